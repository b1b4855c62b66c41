"""The layering rules, as the code enforces them: import-linter's contracts in pyproject.toml
(the same `make lint` runs), so `make test` alone also refuses a layer reaching past its
neighbours, plus the one rule a contract cannot say: the domain imports the standard library
and nothing else."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

ENFORCED = (
    "domain", "db", "stripe", "services-no-qt", "ui", "payments", "integrations", "layers",
    "server-domains",
    "server-acyclic",
    "server-inside-domains",
    "server-repository-tenants",
    "server-repository-devices",
    "server-repository-fees",
    "server-repository-sync",
    "server-repository-notifications",
    "server-repository-disputes",
    "server-repository-reconciliation",
    "server-repository-stripe-webhooks",
    "server-repository-flags",
    "server-repository-accounts",
    "server-repository-reports",
    "server-console",
    "server-repository-billing",
)  # fmt: skip
"""The contracts `make lint` enforces (IMPORT_CONTRACTS in the Makefile)."""


def lint_imports(*contracts: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"]
        + [arg for contract in contracts for arg in ("--contract", contract)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_makefile_enforces_the_same_contracts() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    line = next(row for row in makefile.splitlines() if row.startswith("IMPORT_CONTRACTS ="))
    assert tuple(line.split("=", 1)[1].split()) == ENFORCED


@pytest.mark.parametrize("contract", ENFORCED)
def test_the_layers_keep_their_contract(contract: str) -> None:
    result = lint_imports(contract)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_domain_imports_the_standard_library_only() -> None:
    """The domain contract names the packages it must not import; this says it positively."""
    graph = grimp.build_graph("pos_app", include_external_packages=True, cache_dir=None)
    domain = {"pos_app.domain"} | graph.find_descendants("pos_app.domain")
    outside = {
        (module, imported)
        for module in domain
        for imported in graph.find_modules_directly_imported_by(module)
        if imported not in domain and imported.split(".")[0] not in sys.stdlib_module_names
    }
    assert not outside, sorted(outside)
