"""The schema and the server's statements are ready for Citus (PostgreSQL distributed by
`tenant_id`), proven on the migrated database since Citus is not installable here.

Citus's rules checked (its documentation, "Creating and Modifying Distributed Tables (DDL)" and
"Configuration Reference"; see sync_server/SCALE_OUT.md):
- primary keys and unique constraints (unique indexes) of a distributed table include its
  distribution column;
- foreign keys go between two colocated distributed tables (the distribution column maps to
  the distribution column), from a distributed table to a reference table, between reference
  tables, or between local tables; never from a reference or local table to a distributed one;
- a statement is routed to one shard only when it names the tenant in its text (the policy of
  row-level security routes nothing): every statement the server runs must, but the
  platform-wide ones (`citus_readiness.PLATFORM_WIDE_FUNCTIONS`) and, until each names its
  shop, the known ones that lean on the policy alone (`citus_readiness.RLS_ONLY`).
"""

from __future__ import annotations

import ast
import importlib
import json
import re
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Connection, Engine, text

import sync_server
from sync_server import cli
from sync_server.config import Settings
from sync_server.kit.ids import uuid7
from sync_server.process import server_env
from sync_server.stripe_webhooks.signature import sign
from tests.support import citus_readiness
from tests.support.citus_readiness import (
    DISTRIBUTED_TABLES,
    LOCAL_TABLES,
    REFERENCE_TABLES,
    normalise,
    offences,
)
from tests.support.push_payloads import (
    build_notification,
    build_order,
    build_payment,
    build_refund,
    change,
    push,
)
from tests.support.sync_server_live import LiveServer, make_jobs_due, run_jobs
from tests.support.sync_server_tenants import (
    Device,
    create_tenant,
    pair_device,
    set_stripe_secret,
)

pytestmark = pytest.mark.postgres


@pytest.fixture
def catalog(admin_db: Engine) -> Iterator[Connection]:
    with admin_db.connect() as conn:
        yield conn


def _tables(conn: Connection) -> dict[str, bool]:
    """Every table of the schema -> whether it has a tenant_id column."""
    rows = conn.execute(
        text(
            "SELECT c.relname, EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid "
            "AND a.attname = 'tenant_id' AND NOT a.attisdropped) AS has_tenant "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')"
        )
    )
    return {row.relname: row.has_tenant for row in rows}


def _unique_indexes(conn: Connection) -> list[Any]:
    """Every unique index (primary keys and unique constraints have one) with its columns."""
    return list(
        conn.execute(
            text(
                "SELECT t.relname AS table_name, i.relname AS index_name, "
                "ARRAY(SELECT a.attname FROM unnest(x.indkey) AS k(attnum) "
                "JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum"
                ")::text[] AS columns "
                "FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
                "JOIN pg_class t ON t.oid = x.indrelid "
                "JOIN pg_namespace n ON n.oid = t.relnamespace "
                "WHERE n.nspname = 'public' AND x.indisunique"
            )
        )
    )


def _foreign_keys(conn: Connection) -> list[Any]:
    """Every foreign key: its table and columns, the referenced table and columns, in order."""
    return list(
        conn.execute(
            text(
                "SELECT c.conname, t.relname AS table_name, r.relname AS referenced, "
                "ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, i) "
                "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum "
                "ORDER BY k.i)::text[] AS columns, "
                "ARRAY(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, i) "
                "JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum "
                "ORDER BY k.i)::text[] AS referenced_columns "
                "FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid "
                "JOIN pg_class r ON r.oid = c.confrelid "
                "JOIN pg_namespace n ON n.oid = t.relnamespace "
                "WHERE n.nspname = 'public' AND c.contype = 'f'"
            )
        )
    )


def test_every_table_is_classified_and_tenant_tables_are_the_distributed_ones(
    catalog: Connection,
) -> None:
    tables = _tables(catalog)
    classified = {**dict.fromkeys(DISTRIBUTED_TABLES, "distributed")}
    classified.update(dict.fromkeys(REFERENCE_TABLES, "reference"))
    classified.update(dict.fromkeys(LOCAL_TABLES, "local"))
    assert len(classified) == len(DISTRIBUTED_TABLES) + len(REFERENCE_TABLES) + len(LOCAL_TABLES)
    unclassified = sorted(set(tables) - set(classified))
    assert unclassified == [], "classify these tables in tests/support/citus_readiness.py"
    assert sorted(set(classified) - set(tables)) == [], "gone from the schema"
    # A table naming a shop is distributed by it, unless listed (with its reason) as reference.
    with_tenant = {t for t, has in tables.items() if has}
    assert with_tenant - set(REFERENCE_TABLES) == DISTRIBUTED_TABLES
    assert {t for t in LOCAL_TABLES if tables[t]} == set()


def test_distribution_column_is_not_null(catalog: Connection) -> None:
    nullable = catalog.execute(
        text(
            "SELECT c.relname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' "
            "AND a.attname = 'tenant_id' AND NOT a.attnotnull AND c.relkind = 'r'"
        )
    ).scalars()
    assert set(nullable) & DISTRIBUTED_TABLES == set()


def test_every_unique_key_of_a_distributed_table_includes_tenant_id(catalog: Connection) -> None:
    failing = [
        f"{index.table_name}.{index.index_name} ({', '.join(index.columns)})"
        for index in _unique_indexes(catalog)
        if index.table_name in DISTRIBUTED_TABLES and "tenant_id" not in index.columns
    ]
    assert failing == []


def test_foreign_keys_follow_citus_rules(catalog: Connection) -> None:
    kinds = {
        **dict.fromkeys(DISTRIBUTED_TABLES, "distributed"),
        **dict.fromkeys(REFERENCE_TABLES, "reference"),
        **dict.fromkeys(LOCAL_TABLES, "local"),
    }
    allowed = {
        ("distributed", "distributed"),
        ("distributed", "reference"),
        ("reference", "reference"),
        ("local", "local"),
        ("local", "reference"),
    }
    failing = []
    keys = _foreign_keys(catalog)
    assert keys, "no foreign key read: the catalog query is wrong"
    for key in keys:
        pair = (kinds[key.table_name], kinds[key.referenced])
        where = f"{key.conname}: {key.table_name}({', '.join(key.columns)}) -> "
        where += f"{key.referenced}({', '.join(key.referenced_columns)})"
        if pair not in allowed:
            failing.append(f"{where}: {pair[0]} -> {pair[1]} is not allowed")
        elif pair == ("distributed", "distributed") and (
            "tenant_id" not in key.columns
            or key.referenced_columns[key.columns.index("tenant_id")] != "tenant_id"
        ):
            failing.append(f"{where}: tenant_id must map to tenant_id (colocated shards)")
        elif pair == ("distributed", "reference") and "tenant_id" not in key.columns:
            failing.append(f"{where}: a distributed table's key names its tenant")
    assert failing == []


# --- SECURITY DEFINER functions: statements run inside PostgreSQL ------------------------------

ANONYMOUS_LOOK_UPS = {
    # function -> why its body may read a distributed table by something other than the tenant
    "sync_authenticate": "finds the shop of a device token: the hash is all a request has "
    "before its shop is known (one index probe per shard on Citus; see SCALE_OUT.md)",
    "sync_pair_device": "claims a pairing code by its hash before the shop is known "
    "(superseded by sync_pair_register, kept for registers of older releases)",
    "sync_pair_register": "finds a pairing code's shop by the code's hash, before the shop is "
    "known; everything after that names the shop",
    "sync_defer_jobs": "writes the job queue (local tables), checking each job's tenant",
    "stripe_webhook_check": "finds the shop by its slug in tenants (a reference table)",
    # The console's accounts (sign-in comes before the shop is known; see SCALE_OUT.md):
    "console_sign_in_candidates": "finds the accounts of an email before the shop is known "
    "(a multi-shard read on Citus, once per sign-in)",
    "console_check_password": "compares a derived key for an account the caller names with "
    "its shop (operators: a local table)",
    "console_open_session": "opens a session for an account the caller names with its shop",
    "console_session": "finds a session by its secret's hash before the shop is known (a "
    "multi-shard probe per console request on Citus: a session token naming its shop would "
    "make it single-shard, see SCALE_OUT.md)",
    "console_sign_out": "finds a session by its secret's hash, then names the shop",
    "console_claim_invitation": "finds a set-password link by its hash before the shop is "
    "known; everything after that names the shop",
    "console_invitation_live": "checks a set-password link by its hash before the shop is "
    "known (a boolean, nothing else)",
}


def _security_definer_functions(conn: Connection) -> dict[str, str]:
    rows = conn.execute(
        text(
            "SELECT p.proname, p.prosrc FROM pg_proc p "
            "JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = 'public' AND p.prosecdef"
        )
    )
    return {row.proname: row.prosrc for row in rows}


def _body_statements(body: str) -> list[str]:
    cleaned = normalise(body).replace("public.", "")
    return [part.strip() for part in cleaned.split(";") if part.strip()]


def test_security_definer_functions_are_listed_and_name_the_tenant(catalog: Connection) -> None:
    functions = _security_definer_functions(catalog)
    assert sorted(functions) == sorted(ANONYMOUS_LOOK_UPS)
    failing = []
    for name, body in sorted(functions.items()):
        for statement in _body_statements(body):
            missing = offences(statement, DISTRIBUTED_TABLES)
            if missing and not _anonymous_look_up(name, statement):
                failing.append(f"{name}: {', '.join(missing)}: {statement[:200]}")
    assert failing == []


def _anonymous_look_up(function: str, statement: str) -> bool:
    """The one statement of each listed function that finds the shop (by a hash or slug)."""
    look_ups = {
        "sync_authenticate": r"from device_tokens t where t\.token_hash = p_token_hash",
        "sync_pair_device": r"update pairing_codes set used_at = now\(\) where code_hash = ",
        "sync_pair_register": r"from pairing_codes c join tenants t on t\.id = c\.tenant_id "
        r"where c\.code_hash = p_code_hash",
        "console_sign_in_candidates": r"from owner_accounts a join tenants t on t\.id = "
        r"a\.tenant_id where a\.email = lower\(btrim\(p_email\)\)",
        "console_session": r"from owner_sessions s join owner_accounts a on a\.tenant_id = "
        r"s\.tenant_id and a\.id = s\.account_id where s\.secret_hash = p_secret_hash",
        "console_sign_out": r"from owner_sessions s where s\.secret_hash = p_secret_hash",
        "console_claim_invitation": r"update owner_invitations i set used_at = now\(\) where "
        r"i\.token_hash = p_token_hash",
        "console_invitation_live": r"from owner_invitations i where i\.token_hash = "
        r"p_token_hash",
    }
    pattern = look_ups.get(function)
    return pattern is not None and re.search(pattern, statement) is not None


# --- the rule itself --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "missing"),
    [
        ("SELECT id FROM orders WHERE tenant_id = %(t)s AND id = %(i)s", []),
        ("SELECT id FROM orders WHERE id = %(i)s", ["orders"]),
        (
            "SELECT o.id FROM orders o JOIN tenders t ON t.tenant_id = o.tenant_id "
            "AND t.order_id = o.id WHERE o.tenant_id = %(t)s",
            [],
        ),
        (
            "SELECT o.id FROM orders o JOIN tenders t ON t.order_id = o.id "
            "WHERE o.tenant_id = %(t)s",
            ["tenders"],
        ),
        (
            "SELECT id FROM orders WHERE tenant_id = %(t)s AND id IN "
            "(SELECT order_id FROM refunds WHERE id = %(r)s)",
            ["refunds"],
        ),
        ("INSERT INTO orders (tenant_id, id) VALUES (%(t)s, %(i)s)", []),
        ("INSERT INTO orders (id) SELECT %(i)s", ["orders"]),
        ("UPDATE devices SET name = %(n)s WHERE id = %(d)s", ["devices"]),
        ("UPDATE devices d SET name = %(n)s WHERE d.tenant_id = %(t)s AND d.id = %(d)s", []),
        ("SELECT a.tenant_id FROM sync_authenticate(%(h)s) a", []),
        ("SELECT id FROM orders o, tenders t WHERE o.tenant_id = %(t)s", ["tenders"]),
        # joined on tenant_id, but no shop named: every shard
        (
            "SELECT r.id FROM refunds r JOIN orders o ON o.tenant_id = r.tenant_id "
            "AND o.id = r.order_id WHERE r.id = %(r)s",
            ["orders", "refunds"],
        ),
        ("SELECT id FROM orders WHERE tenant_id = ANY(CAST(%(t)s AS uuid[]))", []),
        (
            "UPDATE public.pairing_codes SET used_at = now() "
            "WHERE tenant_id = v_tenant AND code_hash = p_code_hash",
            [],
        ),
    ],
)
def test_the_routing_rule(sql: str, missing: list[str]) -> None:
    assert offences(normalise(sql), DISTRIBUTED_TABLES) == missing


def _named_between(text: str, start: str, end: str) -> set[str]:
    """The table names in backticks between two headings of the document."""
    section = text[text.index(start) : text.index(end)]
    tables = DISTRIBUTED_TABLES | set(REFERENCE_TABLES) | set(LOCAL_TABLES)
    return set(re.findall(r"`([a-z_]+)`", section)) & tables


def test_the_scale_out_document_names_every_table_under_its_kind() -> None:
    """sync_server/SCALE_OUT.md's lists are these lists (a table added to one here, or moved,
    is written there too), and it counts the platform-wide functions right."""
    text = (Path(sync_server.__file__).resolve().parent / "SCALE_OUT.md").read_text("utf-8")
    distributed = _named_between(text, "**Distributed by", "**Reference tables**")
    reference = _named_between(text, "**Reference tables**", "**Local tables**")
    local = _named_between(text, "**Local tables**", "What the catalog test found")
    assert sorted(DISTRIBUTED_TABLES - distributed) == [], "missing from SCALE_OUT.md"
    assert sorted(set(REFERENCE_TABLES) ^ reference) == []
    assert sorted(set(LOCAL_TABLES) ^ local) == []
    assert distributed == DISTRIBUTED_TABLES
    count = len(citus_readiness.PLATFORM_WIDE_FUNCTIONS)
    assert f"{count} functions listed in `PLATFORM_WIDE_FUNCTIONS`" in " ".join(text.split())


def test_every_listed_function_still_exists() -> None:
    """The functions listed as platform-wide or as leaning on row-level security alone still
    exist (one renamed or removed must leave its list)."""
    for origin in (*citus_readiness.PLATFORM_WIDE_FUNCTIONS, *citus_readiness.RLS_ONLY):
        module_path, function = origin.split(":")
        module = importlib.import_module(module_path.removesuffix(".py").replace("/", "."))
        assert hasattr(module, function), f"{origin} is gone: remove it from its list"


def test_no_function_of_the_server_touches_a_tenant_table_without_naming_tenant_id() -> None:
    """A coarse reading of the source, for the paths no test happens to run (the session's
    statement check sees only those that ran): a function whose SQL reads or writes a
    distributed table and never says `tenant_id` must be listed (platform-wide or leaning on
    row-level security alone) or name its shop."""
    package = Path(sync_server.__file__).resolve().parent
    known = {*citus_readiness.PLATFORM_WIDE_FUNCTIONS, *citus_readiness.RLS_ONLY}
    touching = re.compile(
        r"\b(?:FROM|JOIN|INTO|UPDATE)\s+(" + "|".join(sorted(DISTRIBUTED_TABLES)) + r")\b", re.I
    )
    unnamed = []
    for path in sorted(package.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.FunctionDef):
                continue
            body = ast.get_source_segment(source, node) or ""
            origin = f"{path.relative_to(package.parent).as_posix()}:{node.name}"
            runs_sql = "execute(" in body or "text(" in body
            if (
                runs_sql
                and touching.search(body)
                and "tenant_id" not in body
                and origin not in known
            ):
                unnamed.append(origin)
    assert unnamed == []


# --- a broad workload, in this process so that every statement is seen -------------------------

MARCH = datetime(2026, 3, 10, 12, tzinfo=UTC)
SECRET = "whsec_" + "c1t05r3ady" * 3


def _catalog_and_sales() -> list[dict[str, Any]]:
    """One change of every entity a register pushes, for one sale and its refund."""
    category_id, product_id, staff_id, shift_id = uuid7(), uuid7(), uuid7(), uuid7()
    customer_id = uuid7()
    order_id, order = build_order(lines=[("TEA", "Tea", 2, 350, 100_000)], paid_at=MARCH)
    order["customer_id"] = str(customer_id)
    refund_id, refund = build_refund(
        order, created_at=MARCH + timedelta(hours=1), order_id=order_id
    )
    payment_id, payment = build_payment(
        order_id,
        order,
        gateway_payment_id="pi_1Citus",
        gateway_charge_id="ch_1Citus",
        created_at=MARCH,
    )
    note_id, note = build_notification(order_id, customer_id=customer_id)
    at = MARCH.isoformat()
    product = {
        "sku": "TEA",
        "name": "Tea",
        "category_id": str(category_id),
        "price_minor": 350,
        "currency": "EUR",
        "tax_rate_ppm": 100_000,
        "track_stock": True,
        "updated_at": at,
    }
    customer = {"name": "Ana", "email": "ana@example.com", "email_consent": True, "created_at": at}
    shift = {
        "register_id": str(uuid7()),
        "status": "open",
        "opened_at": at,
        "opened_by_id": str(staff_id),
        "opening_float_minor": 10_000,
    }
    cash = {
        "shift_id": str(shift_id),
        "kind": "paid_in",
        "amount_minor": 500,
        "reason": "change",
        "staff_id": str(staff_id),
        "created_at": at,
    }
    stock = {
        "product_id": str(product_id),
        "quantity_delta": -2,
        "reason": "sale",
        "order_id": str(order_id),
        "created_at": at,
    }
    rows: list[tuple[str, uuid.UUID, dict[str, Any]]] = [
        ("category", category_id, {"name": "Drinks", "position": 1, "updated_at": at}),
        ("product", product_id, product),
        ("eighty_six", product_id, {"unavailable": False, "updated_at": at}),
        ("customer", customer_id, customer),
        ("shift", shift_id, shift),
        ("cash_movement", uuid7(), cash),
        ("order", order_id, order),
        ("payment", payment_id, payment),
        ("stock_movement", uuid7(), stock),
        ("audit", uuid7(), {"at": at, "action": "sale", "order_id": str(order_id)}),
        ("refund", refund_id, refund),
        ("notification", note_id, note),
    ]
    return [
        change(seq, entity, id_, data, MARCH)
        for seq, (entity, id_, data) in enumerate(rows, start=1)
    ]


def _dispute_event() -> bytes:
    dispute = {
        "id": "du_1Citus",
        "object": "dispute",
        "amount": 770,
        "currency": "eur",
        "charge": "ch_1Citus",
        "payment_intent": "pi_1Citus",
        "reason": "fraudulent",
        "status": "needs_response",
        "created": int(MARCH.timestamp()),
        "evidence_details": {"due_by": int(time.time()) + 86_400},
        "balance_transactions": [],
    }
    event = {
        "id": "evt_1CitusDispute",
        "object": "event",
        "api_version": "2023-08-16",
        "created": int(time.time()),
        "type": "charge.dispute.created",
        "data": {"object": dispute},
    }
    return json.dumps(event).encode()


def _webhook(http: httpx.Client, slug: str, body: bytes, secret: str) -> httpx.Response:
    return http.post(
        f"/v1/stripe/webhooks/{slug}",
        content=body,
        headers={
            "Content-Type": "application/json",
            "Stripe-Signature": sign(body, secret, int(time.time())),
        },
    )


def _pull_all(http: httpx.Client, device: Device) -> None:
    cursor: str | None = None
    for _ in range(20):
        params = {"cursor": cursor} if cursor else {}
        page = http.get("/v1/sync/pull", params=params, headers=device.headers)
        assert page.status_code == 200, page.text
        body = page.json()
        cursor = body["cursor"]
        if not body.get("has_more"):
            return
    raise AssertionError("the pull did not end")


def _cli(settings: Settings, monkeypatch: pytest.MonkeyPatch, *args: str) -> None:
    """`sync-server ARGS` in this process (a subprocess's statements would not be seen)."""
    for name, value in server_env(settings).items():
        if name.startswith("SYNC_"):
            monkeypatch.setenv(name, value)
    assert cli.main(list(args)) == 0, args


@pytest.mark.slow
def test_a_broad_workload_names_the_tenant_in_every_statement(
    fresh_settings: Settings,
    fresh_live: LiveServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Pairing, a push of every entity (twice), the pull, a Stripe webhook (good and forged),
    the jobs, and the CLI (fee close and reopen, verify, reconcile, notifications, revoke),
    all in this process: every statement names its shop, but the listed ones."""
    settings = fresh_settings
    with citus_readiness.capture() as log:
        tenant = create_tenant(settings)
        set_stripe_secret(settings, tenant, SECRET)
        with httpx.Client(base_url=fresh_live.url, timeout=30) as http:
            device = pair_device(http, settings, tenant)
            back_office = pair_device(http, settings, tenant, name="Back office")
            batch = _catalog_and_sales()
            assert push(http, device, batch).status_code == 200
            assert push(http, device, batch).status_code == 200  # a retried push
            _pull_all(http, back_office)
            assert http.get("/v1/devices/me", headers=device.headers).status_code == 200
            body = _dispute_event()
            assert _webhook(http, tenant.slug, body, SECRET).status_code == 200
            assert _webhook(http, tenant.slug, body, "whsec_" + "x" * 20).status_code == 400
            unknown = http.get("/v1/sync/pull", headers={"Authorization": "Bearer nope"})
            assert unknown.status_code == 401
        run_jobs(settings)
        make_jobs_due(settings)
        run_jobs(settings)
        for command in (
            ("tenants", "list"),
            ("tenants", "export", tenant.slug),
            ("tenants", "set-fee", tenant.slug, "--bps", "150", "--from", "2027-01-01"),
            ("devices", "list", "--tenant", tenant.slug),
            ("devices", "pair-code", "--tenant", tenant.slug),
            ("fees", "schedule", "--tenant", tenant.slug),
            ("fees", "statement", "--tenant", tenant.slug, "--period", "2026-03"),
            ("fees", "verify"),
            ("fees", "close-period", "--period", "2026-03"),
            ("fees", "reopen-period", "--period", "2026-03", "--reason", "a test"),
            ("fees", "close-period", "--period", "2026-03"),
            ("reconcile", "run"),
            ("reconcile", "report", "--tenant", tenant.slug, "--all"),
            ("notifications", "list", "--tenant", tenant.slug),
            ("notifications", "opt-out", "--tenant", tenant.slug, "--address", "bo@example.com"),
            ("sync", "refused", "--tenant", tenant.slug),
            ("jobs", "dead"),
            ("devices", "revoke", str(back_office.device_id)),
        ):
            _cli(settings, monkeypatch, *command)
        capsys.readouterr()
    origins = {seen.origin for seen in log.statements.values()}
    for part in (
        "devices/", "sync/", "stripe_webhooks/", "notifications/", "fees/", "reconciliation/",
        "disputes/", "tenants/",
    ):  # fmt: skip
        assert any(part in origin for origin in origins), f"the workload ran nothing of {part}"
    found = log.offending(known=citus_readiness.RLS_ONLY)
    assert found == [], citus_readiness.report(found)
    # A listed function whose statements all name the tenant now leaves the list.
    still = {offence.seen.origin for offence in log.offending()}
    fixed = sorted(o for o in citus_readiness.RLS_ONLY if o in origins and o not in still)
    assert fixed == [], "these now name the tenant: remove them from RLS_ONLY"
