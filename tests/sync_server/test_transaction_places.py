"""Where the server's transactions begin (sync_server/scope.py): a reading of the source, so a
service, a repository or a flow that begins, commits or rolls back a transaction of its own, or
opens a scope, fails here rather than splitting a request's one transaction unnoticed.

- A transaction is begun (`.begin()`, `.connect()`, `.begin_nested()`, `.commit()`,
  `.rollback()`, `db.tenant_transaction`) only by the scope helpers themselves and the few
  places listed in `RAW`, each with its reason.
- A scope (`tenant_scope`, `admin_scope`, `anonymous_scope`, and the request scopes built on
  them, `device_scope` and `request_scope`) is opened only where a request, a job or a command
  begins: endpoints, console pages, the request scope helpers (`deps.py`, `*/auth.py`), tasks,
  the job runner and the CLI; never in a service, a repository, a flow or the kit.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import sync_server

PACKAGE = Path(sync_server.__file__).resolve().parent

RAW_CALLS = frozenset({"begin", "connect", "begin_nested", "commit", "rollback"})
HELPERS = frozenset({"tenant_transaction"})
SCOPES = frozenset(
    {"tenant_scope", "admin_scope", "anonymous_scope", "device_scope", "request_scope"}
)

RAW: dict[str, str] = {
    "scope.py:admin_scope": "the scope helpers",
    "scope.py:anonymous_scope": "the scope helpers",
    "scope.py:tenant_scope": "the scope helpers (through db.tenant_transaction)",
    "db.py:tenant_transaction": "what tenant_scope is built on",
    "db.py:check_database": "`serve`'s start-up check: SELECT 1",
    "db.py:check_connections": "a long-running command's start-up check: SELECT 1",
    "db.py:connections_allowed": "`serve --workers N` reads max_connections",
    "db.py:migrate": "migrations run in a transaction of their own",
    "kit/ratelimit.py:GuessLimit.hit": "the guessing limits count in a transaction of their own, "
    "so a refused request's rollback keeps the attempt counted",
    "kit/ratelimit.py:GuessLimit.wait": "reads the limit (no write)",
    "kit/ratelimit.py:GuessLimit._prune_now_and_then": "housekeeping of the limits' table",
    "sync/service.py:push": "a savepoint inside the request's transaction (begin_nested), to "
    "retry a batch without the refused rows",
}
"""(file relative to sync_server:function) -> why it may begin a transaction itself."""

SCOPE_OPENERS = ("endpoints.py", "_pages.py", "auth.py", "deps.py", "tasks.py", "jobs.py", "cli.py")
"""Files where a request, a job or a command begins: the only ones that open a scope."""

_DRIVERS = frozenset({"psycopg", "BoundedConnection"})  # the driver's own connects


def _calls(path: Path) -> Iterator[tuple[str, str, int]]:
    """(qualified function, called name, line) for each call in the file, by its innermost
    enclosing function (Class.method for methods)."""

    def walk(node: ast.AST, where: str) -> Iterator[tuple[str, str, int]]:
        for child in ast.iter_child_nodes(node):
            inner = where
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                inner = f"{where}.{child.name}" if where else child.name
            if isinstance(child, ast.Call):
                func = child.func
                if isinstance(func, ast.Attribute):
                    driver = isinstance(func.value, ast.Name) and func.value.id in _DRIVERS
                    if (func.attr in RAW_CALLS and not driver) or func.attr in HELPERS | SCOPES:
                        yield where, func.attr, child.lineno
                elif isinstance(func, ast.Name) and func.id in HELPERS | SCOPES:
                    yield where, func.id, child.lineno
            yield from walk(child, inner)

    yield from walk(ast.parse(path.read_text(encoding="utf-8")), "")


def _sources() -> Iterator[tuple[str, Path]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if not relative.startswith("migrations/") and relative != "embedded_pg.py":
            yield relative, path


def test_transactions_begin_only_in_the_scope_helpers_and_the_listed_places() -> None:
    found = [
        (f"{relative}:{where}", f"{relative}:{line} {name}() in {where or 'the module'}")
        for relative, path in _sources()
        for where, name, line in _calls(path)
        if name in RAW_CALLS | HELPERS
    ]
    unlisted = sorted(site for origin, site in found if origin not in RAW)
    assert unlisted == [], "begin the transaction in a scope (sync_server/scope.py) instead"
    gone = sorted(set(RAW) - {origin for origin, _ in found})
    assert gone == [], "no longer begins a transaction: remove it from RAW"


def test_scopes_are_opened_only_where_a_request_job_or_command_begins() -> None:
    misplaced = sorted(
        f"{relative}:{line} {name}() in {where or 'the module'}"
        for relative, path in _sources()
        if relative != "scope.py" and not relative.endswith(SCOPE_OPENERS)
        for where, name, line in _calls(path)
        if name in SCOPES
    )
    assert misplaced == [], "services, repositories and flows are handed a scope's connection"


def test_the_reading_sees_a_transaction_begun_in_a_service(tmp_path: Path) -> None:
    """The reader itself: a begin, a commit, a helper and a scope in a service are all seen."""
    source = tmp_path / "service.py"
    source.write_text(
        "def f(engine, conn):\n"
        "    with engine.begin() as c:\n"
        "        c.commit()\n"
        "    with tenant_transaction(engine, 1):\n"
        "        pass\n"
        "    with scope.admin_scope(engine):\n"
        "        psycopg.connect()\n",
        encoding="utf-8",
    )
    assert [(name, line) for _, name, line in _calls(source)] == [
        ("begin", 2),
        ("commit", 3),
        ("tenant_transaction", 4),
        ("admin_scope", 6),
    ]
