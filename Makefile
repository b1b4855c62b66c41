# Set-up is automatic: every target below builds the virtual environment on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

export QT_QPA_PLATFORM ?= $(if $(DISPLAY)$(WAYLAND_DISPLAY),,offscreen)

.PHONY: run platform test bench soak lint format clean translations package test-package

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is needed (found " + sys.version.split()[0] + ")")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { echo "Could not create a virtual environment: on Debian/Ubuntu run 'sudo apt install python3-venv'"; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

run: $(STAMP)  ## the counter app in demo mode (built-in Stripe emulator, demo shop)
	$(BIN)/pos-app demo

platform: $(STAMP)  ## the sync server (embedded PostgreSQL), a demo shop and the counter app paired with it
	$(BIN)/pos-app platform $(if $(PORT),--port $(PORT))

test: $(STAMP)  ## the whole suite
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)  ## benchmarks: figures and ratios against a baseline measured in the same run
	$(BIN)/python -m pytest tests/bench -o python_files='bench_*.py' -p no:randomly -s $(PYTEST_ARGS)

soak: $(STAMP)  ## load + network chaos + crashes on one sync server: DURATION=600 (s), or REGISTERS=50 ORDERS=2000; KILLS=n; then the hostile push fuzz (FUZZ=2000 examples)
	$(BIN)/python -m tests.soak $(if $(DURATION),--duration $(DURATION)) \
		$(if $(REGISTERS),--registers $(REGISTERS)) $(if $(ORDERS),--orders $(ORDERS)) \
		$(if $(SHOPS),--shops $(SHOPS)) $(if $(KILLS),--kills $(KILLS)) $(SOAK_ARGS)
	SYNC_PUSH_FUZZ_EXAMPLES=$(or $(FUZZ),2000) $(BIN)/python -m pytest -q -p no:randomly \
		tests/sync_server/sync/test_push_fuzz.py

# The import-linter contracts `make lint` enforces ([tool.importlinter] in pyproject.toml). "ui"
# is written but pending until the application layer is the UI's only door: add it here then
# (tests/test_import_rules.py holds it as a strict xfail, so it says when).
IMPORT_CONTRACTS = domain db stripe services-no-qt ui payments integrations layers \
	server-domains server-acyclic server-inside-domains \
	server-repository-tenants server-repository-devices server-repository-fees server-repository-sync server-repository-notifications server-repository-disputes server-repository-reconciliation server-repository-stripe-webhooks server-repository-flags \
	server-repository-accounts server-repository-reports server-console server-repository-billing

lint: $(STAMP)
	$(BIN)/lint-imports --no-cache $(foreach contract,$(IMPORT_CONTRACTS),--contract $(contract))
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	MYPYPATH=packaging $(BIN)/mypy packaging/build.py packaging/trim.py packaging/linked_libraries.py

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

translations: $(STAMP)  ## refresh resources/translations/*.ts from the sources (keeps translations)
	$(BIN)/pyside6-lupdate pos_app/app.py $$(find pos_app/ui -name '*.py' | sort) -ts resources/translations/pos_pt_BR.ts

$(VENV)/.installed-package: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,package]'
	@touch $@

package: $(VENV)/.installed-package  ## the store build: dist/pos-app/ (PyInstaller, one folder)
	$(BIN)/python packaging/build.py

test-package: package  ## build, then the smoke test of the built app (self-test, GUI start-up, a sale on Xvfb)
	POS_FROZEN_BUILD=dist/pos-app POS_DESKTOP_TEST=required $(BIN)/python -m pytest tests/packaging -p no:randomly $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) build dist *.egg-info .mypy_cache .ruff_cache
