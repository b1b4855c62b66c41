"""The two installs (`counter-pos[register]`, `counter-pos[server]`) hold what each side
imports: every module of one side loads, and its commands run, with the other side's stack
made impossible to import (tests/support/import_blocker.py), in a fresh interpreter."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.support.import_blocker import BLOCKED_MARK
from tests.support.sync_server_db import HMAC_KEY, PgServer, create_database, drop_database
from tests.support.sync_server_fixtures import pg_server  # noqa: F401 - fixture by name

ROOT = Path(__file__).resolve().parents[1]

# The other side's distributions, as importable names. The server shares the register's pure
# money rule (`pos_app.domain`: standard library only, so the one pricing, tax and rounding rule
# has no second copy), so of `pos_app` only the register's own layers are blocked.
REGISTER_LIBRARIES = ("PySide6", "shiboken6", "stripe", "keyring", "escpos", "qrcode")
REGISTER_STACK = (
    *REGISTER_LIBRARIES,
    *(f"pos_app.{layer}" for layer in ("ui", "db", "services", "payments", "integrations")),
    *(f"pos_app.{module}" for module in ("app", "cli", "config", "platform_demo")),
)
SERVER_STACK = ("fastapi", "starlette", "uvicorn", "pydantic", "psycopg", "procrastinate",
                "sync_server")  # fmt: skip

# Every module of a package, imported; the entry points and Alembic's env scripts (which run
# a migration when imported) are left out.
IMPORT_ALL = """
import importlib, pkgutil, sys
package = importlib.import_module({package!r})
skipped = ("__main__", ".migrations.env", ".migrations.versions")
names = [info.name for info in pkgutil.walk_packages(package.__path__, {package!r} + ".")
         if not any(part in info.name for part in skipped)]
for name in names:
    importlib.import_module(name)
print(len(names))
"""


def _blocked_python(
    blocked: tuple[str, ...], code: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tests.support.import_blocker", ",".join(blocked), code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


def _assert_clean(result: subprocess.CompletedProcess[str]) -> None:
    assert BLOCKED_MARK not in result.stderr, result.stderr
    assert result.returncode == 0, result.stderr


def _extra(name: str) -> list[str]:
    with open(ROOT / "pyproject.toml", "rb") as file:
        project = tomllib.load(file)["project"]
    return [*project["dependencies"], *project["optional-dependencies"][name]]


def test_the_blocker_makes_a_package_unimportable_and_says_so() -> None:
    result = _blocked_python(("PySide6",), "import pos_app.ui.first_run")
    assert result.returncode == 1
    assert f"{BLOCKED_MARK}PySide6" in result.stderr
    assert "ModuleNotFoundError: No module named 'PySide6' (blocked)" in result.stderr


def test_every_server_module_loads_without_the_register_stack() -> None:
    result = _blocked_python(REGISTER_STACK, IMPORT_ALL.format(package="sync_server"))
    _assert_clean(result)
    assert int(result.stdout) > 40


def test_every_register_module_loads_without_the_server_stack() -> None:
    # pos_app.ui included: the register install has Qt.
    result = _blocked_python(SERVER_STACK, IMPORT_ALL.format(package="pos_app"))
    _assert_clean(result)
    assert int(result.stdout) > 80


@pytest.mark.slow
def test_the_register_sells_and_reports_without_the_server_stack() -> None:
    result = _blocked_python(
        SERVER_STACK,
        "import sys; from pos_app.cli import main; sys.exit(main(['self-test']))",
    )
    _assert_clean(result)
    assert "self-test: OK" in result.stdout


@pytest.mark.postgres
@pytest.mark.slow
def test_the_server_migrates_and_serves_commands_without_the_register_stack(
    pg_server: PgServer,  # noqa: F811 - the fixture imported above
) -> None:
    name, settings = create_database(pg_server)
    try:
        env = {
            "SYNC_DATABASE_URL": settings.database_url,
            "SYNC_ADMIN_DATABASE_URL": settings.admin_database_url,
            "SYNC_TOKEN_HMAC_KEY": HMAC_KEY,
        }
        steps = (
            ["migrate"],
            ["tenants", "create", "cafe", "--name", "Café", "--currency", "EUR",
             "--timezone", "Europe/Paris"],
            ["devices", "pair-code", "--tenant", "cafe"],
            ["fees", "verify"],
            ["worker", "--once"],
        )  # fmt: skip
        code = (
            "import sys; from sync_server.cli import main\n"
            f"for step in {steps!r}:\n"
            "    if main(step) != 0: sys.exit(f'{step} failed')\n"
        )
        result = _blocked_python(REGISTER_STACK, code, env)
        _assert_clean(result)
        assert "fees verify: the ledger equals the recomputation" in result.stdout
    finally:
        drop_database(pg_server, name)


@pytest.mark.parametrize(
    ("script", "blocked", "message"),
    [
        ("pos_app", ("platformdirs", *REGISTER_LIBRARIES),
         "pos-app: this install has no register (platformdirs is missing): "
         "pip install 'counter-pos[register]'"),
        ("sync_server", SERVER_STACK[:-1],
         "sync-server: this install has no sync server (psycopg is missing): "
         "pip install 'counter-pos[server]'"),
    ],
)  # fmt: skip
def test_each_script_says_which_install_is_missing(
    script: str, blocked: tuple[str, ...], message: str
) -> None:
    """Both scripts come with either install: the other side's says what to install."""
    result = _blocked_python(
        blocked, f"import sys; from {script}.entry import main; sys.exit(main())"
    )
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == message
    assert "Traceback" not in result.stderr


def test_the_install_sets_split_the_stacks() -> None:
    """What pyproject declares matches the blocked lists above: each extra carries its own
    side's stack and none of the other's; the dev set (make run/test) pulls both."""

    def names(requirements: list[str]) -> set[str]:
        return {
            requirement.split(";")[0].split("[")[0].split(">")[0].split("<")[0].strip().lower()
            for requirement in requirements
        }

    register, server = names(_extra("register")), names(_extra("server"))
    assert {"pyside6-essentials", "stripe", "keyring", "python-escpos"} <= register
    assert {"fastapi", "uvicorn", "psycopg", "procrastinate", "pydantic"} <= server
    assert not register & {"fastapi", "uvicorn", "psycopg", "procrastinate", "pydantic"}
    assert not server & {"pyside6-essentials", "pyside6-addons", "stripe", "keyring"}
    assert "counter-pos[register,server]" in _extra("dev")
    assert "counter-pos[register]" in _extra("package")
