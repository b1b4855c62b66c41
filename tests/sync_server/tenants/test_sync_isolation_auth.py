"""Tenant isolation at the SQL level and through the API; pairing and tokens."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import DBAPIError, ProgrammingError

from sync_server.config import Settings
from sync_server.db import tenant_transaction
from sync_server.kit.ids import uuid7
from tests.support.push_payloads import build_order, change, push
from tests.support.sync_server_live import start_live_server
from tests.support.sync_server_tenants import create_tenant, pair_device, pairing_code

pytestmark = pytest.mark.postgres

PAID = datetime(2026, 3, 14, 12, 0, tzinfo=UTC)


def _seed_two_shops(http: httpx.Client, settings: Settings) -> tuple[uuid.UUID, uuid.UUID]:
    a = pair_device(http, settings, create_tenant(settings))
    b = pair_device(http, settings, create_tenant(settings))
    for shop in (a, b):
        order_id, data = build_order(lines=[("A", "A", 1, 100, 0)], paid_at=PAID)
        assert push(http, shop, [change(1, "order", order_id, data)]).status_code == 200
    return a.tenant.id, b.tenant.id


def test_app_role_sees_only_the_current_tenant_with_no_where_clause(
    http: httpx.Client, settings: Settings, app_db: Engine
) -> None:
    tenant_a, tenant_b = _seed_two_shops(http, settings)
    tables = ("orders", "order_lines", "tenders", "fee_ledger", "devices", "tenants")
    with tenant_transaction(app_db, tenant_a) as conn:
        for table in tables:
            column = "id" if table == "tenants" else "tenant_id"
            seen = set(conn.execute(text(f"SELECT DISTINCT {column} FROM {table}")).scalars())
            assert seen == {tenant_a}, table
    # No tenant set: nothing at all.
    with app_db.begin() as conn:
        assert conn.execute(text("SELECT count(*) FROM orders")).scalar_one() == 0
        assert conn.execute(text("SELECT count(*) FROM tenants")).scalar_one() == 0
    assert tenant_b != tenant_a


def test_app_role_cannot_write_another_tenants_rows(
    http: httpx.Client, settings: Settings, app_db: Engine
) -> None:
    tenant_a, tenant_b = _seed_two_shops(http, settings)
    with tenant_transaction(app_db, tenant_a) as conn:
        updated = conn.execute(
            text("UPDATE devices SET name = 'stolen' WHERE tenant_id = :b"), {"b": tenant_b}
        )
        assert updated.rowcount == 0
    with (
        pytest.raises(ProgrammingError, match="row-level security"),
        tenant_transaction(app_db, tenant_a) as conn,
    ):
        conn.execute(
            text(
                "INSERT INTO stock_movements (tenant_id, id, device_id, product_id, "
                "quantity_delta, reason, created_at) VALUES (:b, :i, :i, :i, 1, 'count', now())"
            ),
            {"b": tenant_b, "i": uuid7()},
        )


def test_app_role_owns_nothing_and_cannot_read_token_hashes(
    settings: Settings, app_db: Engine
) -> None:
    with app_db.connect() as conn:
        owned = conn.execute(
            text(
                "SELECT count(*) FROM pg_class WHERE relowner = "
                "(SELECT oid FROM pg_roles WHERE rolname = current_user)"
            )
        ).scalar_one()
        assert owned == 0
        flags = conn.execute(
            text("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
        ).one()
        assert tuple(flags) == (False, False)
    for table in ("device_tokens", "pairing_codes", "fee_periods_missing"):
        with pytest.raises(DBAPIError), app_db.connect() as conn:
            conn.execute(text(f"SELECT * FROM {table}"))
    with pytest.raises(DBAPIError), app_db.begin() as conn:
        conn.execute(text("CREATE TABLE sneaky (id int)"))
    with pytest.raises(DBAPIError), app_db.begin() as conn:
        conn.execute(text("DELETE FROM orders"))


def test_every_tenant_table_forces_row_level_security(admin_db: Engine) -> None:
    with admin_db.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c "
                "JOIN information_schema.columns col ON col.table_name = c.relname "
                "AND col.column_name = 'tenant_id' AND col.table_schema = 'public' "
                "WHERE c.relkind = 'r'"
            )
        ).all()
        assert len(rows) >= 25
        assert all(row.relrowsecurity and row.relforcerowsecurity for row in rows), rows
        keys = conn.execute(
            text(
                "SELECT conrelid::regclass::text AS t, contype, "
                "(SELECT attname FROM pg_attribute "
                " WHERE attrelid = conrelid AND attnum = conkey[1]) AS first "
                "FROM pg_constraint WHERE contype IN ('p', 'f') "
                "AND connamespace = 'public'::regnamespace "
                "AND conrelid::regclass::text NOT IN "
                "('tenants', 'fee_periods', 'device_tokens', 'pairing_codes', 'alembic_version', "
                "'job_errors', 'guess_counts', 'fee_reopenings', "
                # Platform operators' accounts and sessions: no shop's rows, no app-role grant.
                "'operator_accounts', 'operator_sessions') "
                "AND conrelid::regclass::text NOT LIKE 'procrastinate%'"
            )
        ).all()
        assert keys
        assert all(row.first == "tenant_id" for row in keys), [
            r for r in keys if r.first != "tenant_id"
        ]


def test_another_tenants_ids_are_neither_visible_nor_writable_through_the_api(
    http: httpx.Client, settings: Settings, admin_db: Engine
) -> None:
    a = pair_device(http, settings, create_tenant(settings))
    b = pair_device(http, settings, create_tenant(settings))
    order_id, data = build_order(lines=[("A", "A", 1, 100, 0)], paid_at=PAID)
    assert push(http, a, [change(1, "order", order_id, data)]).json()["acknowledged_seq"] == 1
    # B pushes an order with A's order id: B gets its own row; A's stays untouched.
    _, other = build_order(lines=[("B", "B", 1, 999, 0)], paid_at=PAID, order_id=order_id)
    response = push(http, b, [change(1, "order", order_id, other)]).json()
    assert response == {
        "acknowledged_seq": 1,
        "applied": 1,
        "replayed": 0,
        "conflicts": [],
        "refused": [],
    }
    with admin_db.connect() as conn:
        rows: dict[Any, Any] = dict(
            conn.execute(
                text("SELECT tenant_id, total_minor FROM orders WHERE id = :i"), {"i": order_id}
            ).all()
        )
    assert rows == {a.tenant.id: 100, b.tenant.id: 999}
    # B cannot refund A's order: for B it does not exist.
    refund = {
        "order_id": str(order_id), "amount_minor": 100, "tax_minor": 0, "reason": "x",
        "status": "succeeded", "created_at": PAID.isoformat(), "lines": [], "allocations": [],
    }  # fmt: skip
    b2 = pair_device(http, settings, create_tenant(settings))
    denied = push(http, b2, [change(1, "refund", uuid7(), refund)])
    assert denied.json()["refused"][0]["code"] == "unknown_order"
    # B's device id in A's push body is refused.
    forged = http.post(
        "/v1/sync/push",
        json={"device_id": str(b.device_id), "batch": [change(2, "order", uuid7(), data)]},
        headers=a.headers,
    )
    assert forged.status_code == 403


def test_unknown_missing_or_revoked_tokens_are_401(
    http: httpx.Client, settings: Settings, admin_db: Engine
) -> None:
    device = pair_device(http, settings, create_tenant(settings))
    for headers in (
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Basic abc"},
        {"Authorization": "Bearer cps_dev_not-a-real-token"},
        {"Authorization": "Bearer " + device.token + "x"},
    ):
        assert http.get("/v1/devices/me", headers=headers).status_code == 401
        assert http.get("/v1/sync/pull", headers=headers).status_code == 401
    me = http.get("/v1/devices/me", headers=device.headers)
    assert me.status_code == 200
    assert me.json()["tenant"]["currency"] == "EUR"
    assert me.json()["tenant"]["timezone"] == "Europe/Paris"
    from sync_server.devices import service as devices

    with admin_db.begin() as conn:
        assert devices.revoke(conn, device.device_id)
    assert http.get("/v1/devices/me", headers=device.headers).status_code == 401
    # The token is checked before the body: a revoked register learns that first.
    assert push(http, device, []).status_code == 401


def test_pairing_code_is_single_use(http: httpx.Client, settings: Settings) -> None:
    tenant = create_tenant(settings)
    code = pairing_code(settings, tenant)
    first = http.post("/v1/devices/pair", json={"code": code.lower(), "device_name": "Till"})
    assert first.status_code == 200
    body = first.json()
    assert body["token"].startswith("cps_dev_")
    assert body["tenant"]["slug"] == tenant.slug
    again = http.post("/v1/devices/pair", json={"code": code, "device_name": "Till 2"})
    assert again.status_code == 401


def test_pairing_code_expires_after_15_minutes(
    http: httpx.Client, settings: Settings, admin_db: Engine
) -> None:
    tenant = create_tenant(settings)
    code = pairing_code(settings, tenant)
    with admin_db.begin() as conn:
        expires = conn.execute(
            text("SELECT expires_at - created_at FROM pairing_codes WHERE tenant_id = :t"),
            {"t": tenant.id},
        ).scalar_one()
        assert timedelta(minutes=14, seconds=59) < expires <= timedelta(minutes=15, seconds=1)
        conn.execute(
            text(
                "UPDATE pairing_codes SET expires_at = now() - interval '1 second' "
                "WHERE tenant_id = :t"
            ),
            {"t": tenant.id},
        )
    response = http.post("/v1/devices/pair", json={"code": code, "device_name": "Till"})
    assert response.status_code == 401
    assert "expired" in response.json()["error"]["message"]


def test_tokens_and_codes_are_stored_only_as_hmacs(
    http: httpx.Client, settings: Settings, admin_db: Engine
) -> None:
    tenant = create_tenant(settings)
    device = pair_device(http, settings, tenant)
    with admin_db.connect() as conn:
        stored = conn.execute(
            text("SELECT token_hash FROM device_tokens WHERE device_id = :d"),
            {"d": device.device_id},
        ).scalar_one()
        dump = conn.execute(
            text("SELECT string_agg(t::text, ' ') FROM device_tokens t")
        ).scalar_one()
    assert len(bytes(stored)) == 32
    assert device.token not in dump


def _client_from(url: str, address: str) -> httpx.Client:
    """A client whose connections leave from `address` (any of 127/8 reaches the loopback)."""
    return httpx.Client(base_url=url, transport=httpx.HTTPTransport(local_address=address))


def test_pairing_attempts_are_rate_limited_per_address(fresh_settings: Settings) -> None:
    # A database of its own: the counts are shared by every server on one database.
    settings = fresh_settings
    limited = start_live_server(replace(settings, pair_attempts_per_minute=3))
    try:
        with _client_from(limited.url, "127.0.0.1") as guesser:
            answers = [
                guesser.post("/v1/devices/pair", json={"code": "WRONG-CODE1", "device_name": "x"})
                for _ in range(5)
            ]
        with _client_from(limited.url, "127.0.0.2") as other_shop:
            paired = pair_device(other_shop, settings, create_tenant(settings))
    finally:
        limited.stop()
    assert [answer.status_code for answer in answers] == [401, 401, 401, 429, 429]
    assert 1 <= int(answers[-1].headers["Retry-After"]) <= 60
    assert "too many pairing attempts" in answers[-1].json()["error"]["message"]
    assert paired.token.startswith("cps_dev_")


def test_token_guessing_is_rate_limited_per_address_and_only_failures_count(
    fresh_settings: Settings,
) -> None:
    settings = fresh_settings
    limited = start_live_server(replace(settings, token_failures_per_minute=3))
    try:
        with _client_from(limited.url, "127.0.0.1") as guesser:
            device = pair_device(guesser, settings, create_tenant(settings))
            # A register that works is never throttled, however busy.
            busy = [guesser.get("/v1/sync/pull", headers=device.headers) for _ in range(20)]
            guesses = [
                guesser.get("/v1/devices/me", headers={"Authorization": f"Bearer cps_dev_{n}"})
                for n in range(3)
            ]
            guesses.append(guesser.get("/v1/sync/pull"))  # no token at all: a failure too
            # Past the limit even the right token waits, so guessing gains nothing.
            right_token = guesser.get("/v1/devices/me", headers=device.headers)
            pushed = push(guesser, device, [])
        with _client_from(limited.url, "127.0.0.2") as neighbour:
            unaffected = neighbour.get("/v1/devices/me", headers=device.headers)
    finally:
        limited.stop()
    assert {answer.status_code for answer in busy} == {200}
    assert [answer.status_code for answer in guesses] == [401, 401, 401, 429]
    for throttled in (guesses[-1], right_token, pushed):
        assert throttled.status_code == 429
        assert 1 <= int(throttled.headers["Retry-After"]) <= 60
        message = throttled.json()["error"]["message"]
        assert message.startswith("too many failed device tokens from this address: retry in")
    assert unaffected.status_code == 200


def test_health_says_503_when_the_database_does_not_answer(settings: Settings) -> None:
    from sync_server.embedded_pg import free_port

    nowhere = f"postgresql+psycopg://pos_sync_app@127.0.0.1:{free_port()}/nothing"
    cut_off = start_live_server(replace(settings, database_url=nowhere))
    try:
        with httpx.Client(base_url=cut_off.url, timeout=30) as client:
            response = client.get("/healthz")
    finally:
        cut_off.stop()
    assert response.status_code == 503
    assert response.json()["error"]["message"] == "the database does not answer"


def test_health_and_openapi(http: httpx.Client) -> None:
    assert http.get("/healthz").json() == {"status": "ok"}
    spec = http.get("/openapi.json").json()
    assert {"/v1/sync/push", "/v1/sync/pull", "/v1/devices/pair", "/v1/devices/me"} <= set(
        spec["paths"]
    )
    from openapi_schema_validator import OAS31Validator

    schemas = spec["components"]["schemas"]
    for name in ("PushRequest", "PushResponse", "PullResponse", "OrderData", "PairResponse"):
        OAS31Validator.check_schema(schemas[name])
    body = spec["paths"]["/v1/sync/push"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"] == {"$ref": "#/components/schemas/PushRequest"}
    # Which calls need the device token is in the document, not just in prose.
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    secured = {
        (method, path)
        for path, operations in spec["paths"].items()
        for method, operation in operations.items()
        if operation.get("security") == [{"HTTPBearer": []}]
    }
    assert secured == {
        ("get", "/v1/devices/me"),
        ("post", "/v1/sync/push"),
        ("get", "/v1/sync/pull"),
        ("post", "/v1/owners/invitations"),
        ("get", "/v1/billing/invoices"),
    }


def test_app_engine_without_tenant_cannot_insert(settings: Settings) -> None:
    engine = create_engine(settings.database_url)
    try:
        with pytest.raises(ProgrammingError), engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO audit_entries (tenant_id, id, device_id, at, action, details) "
                    "VALUES (gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), now(), "
                    "'x', '{}')"
                )
            )
    finally:
        engine.dispose()


def test_every_error_answer_is_declared_with_the_shared_error_schema(http: httpx.Client) -> None:
    spec = http.get("/openapi.json").json()
    error_ref = {"$ref": "#/components/schemas/ErrorResponse"}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if status.startswith("4"):
                    # JSON even where the success is an HTML page (the unsubscribe link).
                    assert response["content"] == {"application/json": {"schema": error_ref}}, (
                        method,
                        path,
                        status,
                    )
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    unsubscribe = spec["paths"]["/v1/notifications/unsubscribe/{tenant_id}"]
    assert {"404", "422"} <= set(unsubscribe["get"]["responses"])
    assert {"401", "413", "422", "429"} <= set(
        spec["paths"]["/v1/devices/pair"]["post"]["responses"]
    )
    # What the server sends matches what it declares.
    from sync_server.kit.errors import ErrorResponse

    denied = http.get("/v1/devices/me")
    assert denied.status_code == 401
    ErrorResponse.model_validate(denied.json())


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        (b'{"code": "\xff"}', "application/json", "body: not JSON in UTF-8, or nested too deeply"),
        (b"[" * 100_000 + b"]" * 100_000, "application/json", "body: not JSON in UTF-8, or nested"),
        (b"[1]", "application/json", "body: Input should be a valid dictionary"),
        (b'{"code": "ABCDE-FGHJK", "device_name": "x"}', "text/plain", "Content-Type: application"),
        (
            b"code=ABCDE-FGHJK",
            "application/x-www-form-urlencoded",
            "Content-Type: application/json",
        ),
    ],
)
def test_a_body_that_is_not_a_json_object_is_a_clear_422(
    http: httpx.Client, body: bytes, content_type: str, message: str
) -> None:
    response = http.post("/v1/devices/pair", content=body, headers={"content-type": content_type})
    assert response.status_code == 422
    assert message in response.json()["error"]["message"]


def test_the_token_failure_limit_is_read_from_the_environment() -> None:
    assert Settings.from_env({}).token_failures_per_minute == 30
    assert Settings.from_env({"SYNC_TOKEN_FAILURES_PER_MINUTE": "5"}).token_failures_per_minute == 5
