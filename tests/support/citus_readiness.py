"""Every SQL statement the sync server sends through SQLAlchemy, and whether it names the
tenant for every tenant table it touches (the Citus-readiness rule, `sync_server/SCALE_OUT.md`).

Why: on Citus (PostgreSQL distributed by `tenant_id`) a statement is routed to the one shard
holding a shop only when it says which shop, in its own text; the row-level security policy
filters rows but routes nothing, so a statement that leans on it alone is sent to every shard.

How: `install()` hooks `before_cursor_execute` on the `Engine` class, so every engine made in
this process is covered: the tests' own, the in-process uvicorn app's (`LiveServer`), the job
worker's (`run_jobs`) and the CLI's when `sync_server.cli.main` runs in-process. Statements sent
by a server in a process of its own (`ServerProcess`, `run_cli`, `sync-server worker`) are not
seen, and neither are procrastinate's own (it talks to psycopg directly; its tables are the
platform-wide job queue). A statement counts as the server's when a frame of the `sync_server`
package (other than the migrations) is on the stack when it runs;
the innermost such frame is where it came from. Statements a test writes itself are not the
server's and are not checked.

The rule (`offences`), on the statement's text with string literals blanked out:
- the tables it touches are the names after FROM, JOIN, UPDATE, INTO, USING and in FROM's comma
  lists (with their aliases); only distributed tables (those with a `tenant_id` column that
  the caller names) are checked;
- an occurrence (table `t`, alias `a`) is covered when `a.tenant_id` or `t.tenant_id` appears
  in the statement, or by a bare `tenant_id`: there must be at least as many bare `tenant_id`
  mentions as occurrences covered that way (a sub-select cannot borrow the outer statement's
  filter unnoticed);
- an INSERT's target is covered when `tenant_id` is in its column list (its value is routed);
- unless the statement only inserts rows with their tenant_id, at least one tenant_id must be
  pinned to a value (a parameter, a literal, a plpgsql variable).
Reference and local tables are never checked (a copy on every node, or the coordinator's own).
Statements of `PLATFORM_WIDE_FUNCTIONS` (each with its reason) read every shop on purpose;
those of `RLS_ONLY` are the known debt (see that list).
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

from sqlalchemy import Engine, event

import sync_server

_PACKAGE = Path(sync_server.__file__).resolve().parent
_SKIPPED = (_PACKAGE / "migrations",)

# How each table would be placed on Citus. Every table of the schema is in exactly one of the
# three (tests/sync_server/test_citus_readiness.py checks it against the catalog), so a new table
# must be classified before the tests pass.

REFERENCE_TABLES: Mapping[str, str] = {
    # a copy on every node; small, read by every shop's statements, written rarely (2PC)
    "tenants": "one row per shop, read by slug before the shop is known (webhooks), "
    "referenced by every distributed table's foreign key; `id` is the distribution value",
    "fee_periods": "one row per closed billing month, platform-wide; read by every push",
    "fee_reopenings": "an operator's reopenings of months (a handful a year); platform-wide "
    "when tenant_id is null, so tenant_id cannot be a distribution column here",
}

LOCAL_TABLES: Mapping[str, str] = {
    # on the coordinator only; never joined with a distributed table
    "guess_counts": "guessing limits per client address (UNLOGGED, rows live a minute): "
    "platform-wide, read and written only by itself",
    "procrastinate_jobs": "the job queue (platform-wide; polled with FOR UPDATE SKIP LOCKED)",
    "procrastinate_events": "the job queue's history",
    "procrastinate_periodic_defers": "the job queue's cron bookkeeping",
    "procrastinate_workers": "the job queue's worker heartbeats",
    "job_errors": "why job attempts failed; foreign key to procrastinate_jobs",
    "alembic_version": "the migration head",
    "operator_accounts": "the platform's operators (a handful): the console's sign-in, never "
    "joined with a shop's tables",
    "operator_sessions": "the operators' console sessions",
}

DISTRIBUTED_TABLES = frozenset(
    # hash-distributed by tenant_id, all in one colocation group
    [
        "devices",
        "device_tokens",
        "pairing_codes",
        "categories",
        "products",
        "modifier_groups",
        "staff",
        "eighty_six",
        "customers",
        "orders",
        "order_lines",
        "tenders",
        "payments",
        "refunds",
        "refund_lines",
        "refund_allocations",
        "stock_movements",
        "shifts",
        "cash_movements",
        "audit_entries",
        "disputes",
        "dispute_events",
        "sync_changes",
        "sync_conflicts",
        "fee_rates",
        "fee_ledger",
        "fee_statements",
        "fee_statement_lines",
        "fee_holds",
        "stripe_accounts",
        "stripe_events",
        "stripe_object_versions",
        "stripe_payments",
        "stripe_refunds",
        "reconciliation_flags",
        "notifications",
        "notification_opt_outs",
        "push_quarantine",
        "owner_accounts",
        "owner_invitations",
        "owner_sessions",
        "billing_customers",
        "billing_invoices",
        "billing_credit_notes",
        "billing_carries",
        "billing_calls",
        "billing_notices",
    ]
)

_VERIFY = "`fees verify`: every shop's revenue recomputed from its sales, refunds and disputes"
_CLOSE = "the month close (`fees close-period`): every shop's ledger, rates or holds at once"

# Functions whose statements read or write every shop on purpose (admin role, by hand or
# monthly): on Citus, multi-shard statements run on every worker in parallel.
PLATFORM_WIDE_FUNCTIONS: Mapping[str, str] = {
    "sync_server/billing/repository.py:all_invoices": "`invoices list` and `fees verify`: "
    "every shop's fee invoices",
    "sync_server/billing/repository.py:all_credit_notes": _VERIFY,
    "sync_server/billing/repository.py:invoiced_from": "`fees reopen-period` without "
    "--tenant: is any shop's month invoiced",
    "sync_server/billing/repository.py:all_carries": _VERIFY,
    "sync_server/devices/repository.py:prune_pairing_codes": "hourly housekeeping: expired "
    "pairing codes of every shop",
    "sync_server/devices/repository.py:revoke_device": "`devices revoke DEVICE_ID`: an operator "
    "names a device, not its shop",
    "sync_server/fees/repository.py:all_holds": "the console's month-end page: every shop's "
    "held months",
    "sync_server/fees/repository.py:all_frozen_lines": _VERIFY,
    "sync_server/fees/repository.py:all_frozen_statements": _VERIFY,
    "sync_server/fees/repository.py:held_tenants": _CLOSE,
    "sync_server/fees/repository.py:last_closed_by_tenant": _CLOSE,
    "sync_server/fees/repository.py:ledger_by_billing": _VERIFY,
    "sync_server/fees/repository.py:ledger_by_natural": _VERIFY,
    "sync_server/fees/repository.py:open_periods_up_to": _CLOSE,
    "sync_server/fees/repository.py:platform_rates": _CLOSE,
    "sync_server/fees/repository.py:platform_sums": _CLOSE,
    "sync_server/fees/repository.py:raw_dispute_events": _VERIFY,
    "sync_server/fees/repository.py:raw_refunds": _VERIFY,
    "sync_server/fees/repository.py:raw_sums": _VERIFY,
    "sync_server/fees/repository.py:reopen_platform": "`fees reopen-period` without "
    "`--tenant`: every shop's closes of the month",
}

# Per-shop statements that lean on row-level security alone (the policy filters them, but on
# Citus they would go to every shard): none since every per-shop statement names its shop. A
# ratchet: a statement in neither this list nor the platform-wide ones fails the run, and a
# listed function that names its shop must leave it.
RLS_ONLY: Mapping[str, str] = {}


def normalise(statement: str) -> str:
    """One line, lower case outside string literals, literals blanked, bulk VALUES folded."""
    text = re.sub(r"--[^\n]*", " ", statement)
    parts = re.split(r"('(?:[^']|'')*')", text)
    text = "".join("''" if part.startswith("'") else part.lower() for part in parts)
    text = re.sub(r"\s+", " ", text).strip()
    # bulk inserts: "values (...), (...), ..." of any length read as one row
    return re.sub(r"(\((?:[^()]|\([^()]*\))*\))(?:\s*,\s*\1)+", r"\1", text)


_KEYWORDS = frozenset(
    [
        "where",
        "join",
        "left",
        "right",
        "inner",
        "outer",
        "cross",
        "full",
        "on",
        "using",
        "set",
        "values",
        "select",
        "order",
        "group",
        "limit",
        "having",
        "returning",
        "as",
        "union",
        "except",
        "intersect",
        "for",
        "lateral",
        "natural",
        "and",
        "or",
        "not",
    ]
)
_TABLE = r"(?:public\.)?([a-z_][a-z0-9_]*)"
_ALIAS = r"(?:\s+(?:as\s+)?([a-z_][a-z0-9_]*))?"
_TARGET = re.compile(r"\b(from|join|update|into|using)\s+" + _TABLE + _ALIAS)
_COMMA_ITEM = re.compile(r",\s*" + _TABLE + _ALIAS)


@dataclass(frozen=True, slots=True)
class Occurrence:
    table: str
    alias: str | None
    keyword: str
    end: int  # where the table reference ends in the statement


def occurrences(sql: str) -> list[Occurrence]:
    found: list[Occurrence] = []
    for match in _TARGET.finditer(sql):
        keyword, table, alias = match.group(1), match.group(2), match.group(3)
        if table in _KEYWORDS or sql[match.end(2) : match.end(2) + 1] == "(":
            continue  # a sub-select or a function call, not a table
        if alias in _KEYWORDS:
            alias = None
        found.append(Occurrence(table, alias, keyword, match.end()))
        if keyword == "from":  # "FROM a x, b y": the comma list
            position = match.end()
            while (item := _COMMA_ITEM.match(sql, position)) is not None:
                if item.group(1) in _KEYWORDS:
                    break
                extra = item.group(2) if item.group(2) not in _KEYWORDS else None
                found.append(Occurrence(item.group(1), extra, "from", item.end()))
                position = item.end()
    return found


_ANCHOR = re.compile(
    # tenant_id equal to (or in) a value: a parameter, a literal, a plpgsql variable
    r"tenant_id\s*(?:=\s*any\s*\(|=|\bin\b)\s*(?:cast\s*\(\s*)?(?:%\(\w+\)s|'|\$\d|[pv]_\w+|\()"
    r"|(?:%\(\w+\)s|[pv]_\w+)\s*=\s*(?:\w+\.)?tenant_id\b"
)


def offences(sql: str, distributed: Iterable[str]) -> list[str]:
    """The distributed tables `sql` touches without naming their tenant (empty: it routes).

    Each occurrence must name its tenant_id (see the module's docstring), and unless the
    statement only inserts rows with their tenant_id, one tenant_id must be pinned to a value:
    tables joined on tenant_id with none of them pinned would still go to every shard."""
    tables = set(distributed)
    bare = len(re.findall(r"(?<![.\w])tenant_id\b", sql))
    needing_bare = 0
    missing: list[str] = []
    touched = False
    inserted_with_tenant = False
    for occurrence in occurrences(sql):
        if occurrence.table not in tables:
            continue
        touched = True
        if occurrence.keyword == "into":
            columns = re.match(r"\s*\(([^)]*)\)", sql[occurrence.end :])
            if columns and re.search(r"\btenant_id\b", columns.group(1)):
                bare -= 1  # that mention is the column list's
                inserted_with_tenant = True
                continue
            missing.append(occurrence.table)
            continue
        names = [occurrence.table] + ([occurrence.alias] if occurrence.alias else [])
        if any(re.search(rf"\b{re.escape(name)}\.tenant_id\b", sql) for name in names):
            continue
        needing_bare += 1
        if needing_bare <= bare:
            continue
        missing.append(occurrence.table)
    if touched and not missing and not inserted_with_tenant and not _ANCHOR.search(sql):
        missing = sorted({o.table for o in occurrences(sql) if o.table in tables})
    return missing


@dataclass
class Seen:
    origin: str  # "sync_server/<file>.py:<function>", the innermost sync_server frame
    line: int
    test: str  # the test that ran it first


@dataclass
class StatementLog:
    statements: dict[str, Seen] = field(default_factory=dict)
    current_test: str = "(outside a test)"
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, statement: str) -> None:
        origin = _server_origin(sys._getframe(1))
        if origin is None:
            return
        sql = normalise(statement)
        if sql in self.statements:
            return
        with self.lock:
            self.statements.setdefault(sql, Seen(origin[0], origin[1], self.current_test))

    def offending(self, *, known: Mapping[str, str] | None = None) -> list[Offence]:
        """Statements that touch a distributed table without naming its tenant, but the
        platform-wide ones and (when given) those of the `known` functions."""
        found = []
        for sql, seen in sorted(self.statements.items(), key=lambda item: item[1].origin):
            if seen.origin in PLATFORM_WIDE_FUNCTIONS:
                continue
            if known is not None and seen.origin in known:
                continue
            missing = offences(sql, DISTRIBUTED_TABLES)
            if missing:
                found.append(Offence(sql, missing, seen))
        return found


@dataclass(frozen=True, slots=True)
class Offence:
    sql: str
    tables: list[str]
    seen: Seen


_FILES: dict[str, str | None] = {}


def _server_file(filename: str) -> str | None:
    """`sync_server/…py` for a module of the server, "" for one of its skipped parts (test
    scaffolding, migrations), None for anything else; cached per file."""
    if filename not in _FILES:
        path = Path(filename).resolve()
        if not path.is_relative_to(_PACKAGE):
            _FILES[filename] = None
        elif any(path == skipped or path.is_relative_to(skipped) for skipped in _SKIPPED):
            _FILES[filename] = ""
        else:
            _FILES[filename] = str(path.relative_to(_PACKAGE.parent))
    return _FILES[filename]


def _server_origin(frame: FrameType | None) -> tuple[str, int] | None:
    """The innermost frame of the server on the stack, as ("file:function", line)."""
    while frame is not None:
        found = _server_file(frame.f_code.co_filename)
        if found == "":
            return None
        if found is not None:
            return f"{found}:{frame.f_code.co_name}", frame.f_lineno
        frame = frame.f_back
    return None


LOG = StatementLog()
_installed = False


def _before_cursor_execute(
    conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
) -> None:
    LOG.record(statement)


@contextmanager
def capture() -> Iterator[StatementLog]:
    """A log of its own for the length of the block (a test's workload), beside `LOG`."""
    log = StatementLog()

    def record(
        conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
    ) -> None:
        log.record(statement)

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield log
    finally:
        event.remove(Engine, "before_cursor_execute", record)


def install() -> StatementLog:
    """Start recording (once per process) every statement of every engine; returns the log."""
    global _installed
    if not _installed:
        event.listen(Engine, "before_cursor_execute", _before_cursor_execute)
        _installed = True
    return LOG


def report(found: list[Offence]) -> str:
    lines = [
        f"{len(found)} statement(s) of the server touch a distributed table without naming "
        "its tenant_id (on Citus they would go to every shard; see sync_server/SCALE_OUT.md). "
        "Name the tenant (`WHERE tenant_id = :tenant`, `a.tenant_id = b.tenant_id` in joins), "
        "or, for a platform-wide statement, list it in tests/support/citus_readiness.py:"
    ]
    for offence in found:
        seen = offence.seen
        lines.append(f"- {seen.origin} (line {seen.line}), first run by {seen.test}")
        lines.append(f"  tables without tenant_id: {', '.join(offence.tables)}")
        lines.append(f"  {offence.sql[:400]}")
    return "\n".join(lines)


# --- the whole test session (tests/sync_server/conftest.py imports these two hooks) -----------


def pytest_runtest_setup(item: Any) -> None:
    LOG.current_test = item.nodeid


def pytest_sessionfinish(session: Any, exitstatus: int) -> None:
    """Fail the run when any statement seen in it is neither routed nor known (listed)."""
    found = LOG.offending(known=RLS_ONLY)
    if not found:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.ensure_newline()
        reporter.write_sep("=", "Citus readiness: statements without tenant_id", red=True)
        reporter.write_line(report(found))
    if session.exitstatus == 0:
        session.exitstatus = 1
