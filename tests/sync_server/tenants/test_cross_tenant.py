"""Cross-tenant attempts on every route of the app.

A register of shop A aims at shop B: B's slug or id in the path, B's ids in bodies and query
strings, B's device id, a webhook for B signed with A's secret, A's unsubscribe token on B's
customer. Each attempt must end in a 4xx or in an answer about A alone, and B's rows in
PostgreSQL (read as the admin role, which bypasses row-level security) must be exactly what
they were. The routes are enumerated from the app, so a new endpoint without a case here fails
`test_every_route_has_a_cross_tenant_case`.

Complements `test_sync_isolation_auth.py` (RLS at the SQL level, tokens, pairing).
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy import create_engine, text
from starlette.routing import Mount

from sync_server.accounts import service as accounts
from sync_server.app import create_app
from sync_server.config import Settings
from sync_server.db import tenant_transaction
from sync_server.kit.ids import uuid7
from sync_server.notifications.service import unsubscribe_token
from sync_server.stripe_webhooks.signature import sign
from tests.support.billing_records import seed_invoices
from tests.support.push_payloads import build_order, build_payment, change, push
from tests.support.sync_server_db import HMAC_KEY, PgServer, create_database, drop_database
from tests.support.sync_server_live import LiveServer, run_jobs, start_live_server
from tests.support.sync_server_tenants import (
    Device,
    create_tenant,
    pair_device,
    pairing_code,
    set_stripe_secret,
)

pytestmark = pytest.mark.postgres

PAID = datetime(2026, 3, 14, 12, 0, tzinfo=UTC)
SECRET_A = "whsec_shopAsecret0123456789"
SECRET_B = "whsec_shopBsecret0123456789"
B_PRODUCT_NAME = "Shop B's secret croissant"
B_CUSTOMER_EMAIL = "bea@example.com"
B_DISPUTE = "dp_shopB0001"


@dataclass
class Arena:
    """Two shops on a database of their own: A attacks, B holds the data."""

    settings: Settings
    live: LiveServer
    http: httpx.Client
    a: Device
    b: Device
    b_used_code: str
    b_order_id: uuid.UUID
    b_second_order_id: uuid.UUID
    b_product_id: uuid.UUID
    b_customer_id: uuid.UUID
    b_stock_movement_id: uuid.UUID
    b_payment_intent: str
    b_charge: str
    baseline: list[str]

    @property
    def b_markers(self) -> list[str]:
        """Strings only B's data contains: none may appear in an answer to A."""
        return [
            str(self.b.tenant.id),
            self.b.tenant.slug,
            str(self.b.device_id),
            B_PRODUCT_NAME,
            str(self.b_stock_movement_id),
            B_DISPUTE,
        ]

    def assert_only_a(self, response: httpx.Response) -> None:
        for marker in self.b_markers:
            assert marker not in response.text, (marker, response.text[:500])


def dump_shop(settings: Settings, tenant_id: uuid.UUID) -> list[str]:
    """Every row of the tenant in every table, and its queued jobs, as sorted JSON text."""
    engine = create_engine(settings.admin_database_url)
    try:
        with engine.connect() as conn:
            tables = conn.execute(
                text(
                    "SELECT c.table_name FROM information_schema.columns c "
                    "JOIN information_schema.tables t USING (table_schema, table_name) "
                    "WHERE c.table_schema = 'public' AND c.column_name = 'tenant_id' "
                    "AND t.table_type = 'BASE TABLE' ORDER BY 1"
                )
            ).scalars()
            rows: list[str] = []
            for table in tables:
                rows += [
                    f"{table}: {row}"
                    for row in conn.execute(
                        text(f'SELECT to_jsonb(t)::text FROM "{table}" t WHERE tenant_id = :b'),
                        {"b": tenant_id},
                    ).scalars()
                ]
            rows += conn.execute(
                text("SELECT 'tenants: ' || to_jsonb(t)::text FROM tenants t WHERE id = :b"),
                {"b": tenant_id},
            ).scalars()
            rows += conn.execute(
                text(
                    "SELECT 'procrastinate_jobs: ' || to_jsonb(j)::text FROM procrastinate_jobs j "
                    "WHERE args::text LIKE '%' || CAST(:b AS text) || '%'"
                ),
                {"b": str(tenant_id)},
            ).scalars()
    finally:
        engine.dispose()
    assert len(rows) > 10  # the dump sees B's data at all
    return sorted(rows)


def _stripe_event(event_id: str, obj: dict[str, Any], account: str | None = None) -> bytes:
    event = {
        "id": event_id,
        "object": "event",
        "type": f"charge.dispute.{'created'}",
        "created": int(time.time()),
        "data": {"object": obj},
        "account": account,
    }
    return json.dumps(event).encode()


def _dispute(dispute_id: str, charge: str, payment_intent: str) -> dict[str, Any]:
    return {
        "id": dispute_id,
        "object": "dispute",
        "amount": 450,
        "currency": "eur",
        "charge": charge,
        "payment_intent": payment_intent,
        "reason": "fraudulent",
        "status": "needs_response",
    }


def _deliver(http: httpx.Client, slug: str, body: bytes, secret: str) -> httpx.Response:
    header = sign(body, secret, int(time.time()))
    return http.post(
        f"/v1/stripe/webhooks/{slug}", content=body, headers={"Stripe-Signature": header}
    )


@pytest.fixture(scope="module")
def arena(pg_server: PgServer) -> Iterator[Arena]:
    name, settings = create_database(pg_server)
    live = start_live_server(settings)
    try:
        with httpx.Client(base_url=live.url, timeout=30) as http:
            yield _open_arena(settings, live, http)
    finally:
        live.stop()
        drop_database(pg_server, name)


def _open_arena(settings: Settings, live: LiveServer, http: httpx.Client) -> Arena:
    a = pair_device(http, settings, create_tenant(settings), name="Till A")
    b_tenant = create_tenant(settings)
    b_used_code = pairing_code(settings, b_tenant)
    response = http.post("/v1/devices/pair", json={"code": b_used_code, "device_name": "Till B"})
    body = response.json()
    b = Device(tenant=b_tenant, device_id=uuid.UUID(body["device_id"]), token=body["token"])
    set_stripe_secret(settings, a.tenant, SECRET_A, "acct_shopA")
    set_stripe_secret(settings, b.tenant, SECRET_B, "acct_shopB")

    order_id, order = build_order(lines=[("CRO", "Croissant", 1, 450, 0)], paid_at=PAID)
    second_id, second = build_order(lines=[("CRO", "Croissant", 1, 450, 0)], paid_at=PAID, number=2)
    payment_intent, charge = "pi_shopB0001", "ch_shopB0001"
    payment_id, payment = build_payment(
        order_id, order, gateway_payment_id=payment_intent, gateway_charge_id=charge
    )
    product_id, customer_id, movement_id = uuid7(), uuid7(), uuid7()
    product = {
        "sku": "CRO-B", "name": B_PRODUCT_NAME, "price_minor": 450, "currency": "EUR",
        "tax_rate_ppm": 0, "track_stock": True, "updated_at": PAID.isoformat(),
    }  # fmt: skip
    customer = {
        "name": "Bea", "email": B_CUSTOMER_EMAIL, "email_consent": True,
        "created_at": PAID.isoformat(),
    }  # fmt: skip
    movement = {
        "product_id": str(product_id), "quantity_delta": -1, "reason": "sale",
        "order_id": str(order_id), "created_at": PAID.isoformat(),
    }  # fmt: skip
    seeded = push(
        http,
        b,
        [
            change(1, "product", product_id, product),
            change(2, "order", order_id, order),
            change(3, "order", second_id, second),
            change(4, "payment", payment_id, payment),
            change(5, "customer", customer_id, customer),
            change(6, "stock_movement", movement_id, movement),
        ],
    )
    assert seeded.status_code == 200, seeded.text
    assert seeded.json()["applied"] == 6, seeded.text
    dispute = _stripe_event("evt_shopB0001", _dispute(B_DISPUTE, charge, payment_intent))
    assert _deliver(http, b.tenant.slug, dispute, SECRET_B).status_code == 200
    run_jobs(settings)
    seed_invoices(settings, b.tenant)  # B's fee invoices (past due): never shown to A
    return Arena(
        settings=settings, live=live, http=http, a=a, b=b, b_used_code=b_used_code,
        b_order_id=order_id, b_second_order_id=second_id, b_product_id=product_id,
        b_customer_id=customer_id, b_stock_movement_id=movement_id,
        b_payment_intent=payment_intent, b_charge=charge,
        baseline=dump_shop(settings, b.tenant.id),
    )  # fmt: skip


# --- one attack per route ----------------------------------------------------------------------

Attack = Callable[[Arena], None]
ATTACKS: dict[tuple[str, str], Attack] = {}


def attack(method: str, *paths: str) -> Callable[[Attack], Attack]:
    def register(function: Attack) -> Attack:
        for path in paths:
            ATTACKS[(method, path)] = function
        return function

    return register


@attack("GET", "/healthz", "/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc")
def _no_tenant_data_at_all(arena: Arena) -> None:
    for path in ("/healthz", "/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"):
        response = arena.http.get(
            path, params={"tenant_id": str(arena.b.tenant.id)}, headers=arena.a.headers
        )
        assert response.status_code == 200, (path, response.text)
        arena.assert_only_a(response)


@attack("POST", "/v1/devices/pair")
def _pair_into_b(arena: Arena) -> None:
    # B's code, already used by B's till: no second device for B, and nothing about B.
    reused = arena.http.post(
        "/v1/devices/pair",
        json={"code": arena.b_used_code, "device_name": "Stolen"},
        headers=arena.a.headers,
    )
    assert reused.status_code == 401
    arena.assert_only_a(reused)
    # Naming B's tenant in the body is no way in either.
    named = arena.http.post(
        "/v1/devices/pair",
        json={"code": "ABCDE-FGHJK", "device_name": "Stolen", "tenant_id": str(arena.b.tenant.id)},
        headers=arena.a.headers,
    )
    assert named.status_code == 422


@attack("GET", "/v1/devices/me")
def _me_as_b(arena: Arena) -> None:
    response = arena.http.get(
        "/v1/devices/me",
        params={"tenant_id": str(arena.b.tenant.id), "device_id": str(arena.b.device_id)},
        headers={**arena.a.headers, "X-Tenant-Id": str(arena.b.tenant.id)},
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["device_id"], body["tenant"]["id"]) == (
        str(arena.a.device_id),
        str(arena.a.tenant.id),
    )
    arena.assert_only_a(response)


@attack("POST", "/v1/sync/push")
def _push_over_b(arena: Arena) -> None:
    http, a = arena.http, arena.a
    # As B's device: refused outright.
    _, forged_order = build_order(lines=[("X", "X", 1, 1, 0)], paid_at=PAID)
    as_b = http.post(
        "/v1/sync/push",
        json={
            "device_id": str(arena.b.device_id),
            "batch": [change(1, "order", arena.b_second_order_id, forged_order)],
        },
        headers=a.headers,
    )
    assert as_b.status_code == 403
    arena.assert_only_a(as_b)
    # B's ids in A's batch: each becomes (or stays) A's own row; B's rows are untouched.
    acknowledged = http.get("/v1/devices/me", headers=a.headers).json()["acknowledged_seq"]
    seq = acknowledged + 1
    _, order = build_order(
        lines=[("X", "A's order", 1, 999, 0)], paid_at=PAID, order_id=arena.b_order_id
    )
    _, payment = build_payment(
        arena.b_order_id, order, gateway_payment_id=arena.b_payment_intent,
        gateway_charge_id=arena.b_charge,
    )  # fmt: skip
    product = {
        "sku": "X", "name": "A's product", "price_minor": 1, "currency": "EUR",
        "tax_rate_ppm": 0, "updated_at": PAID.isoformat(),
    }  # fmt: skip
    customer = {"name": "Mallory", "email": B_CUSTOMER_EMAIL, "created_at": PAID.isoformat()}
    batch = [
        change(seq, "order", arena.b_order_id, order),
        change(seq + 1, "payment", uuid7(), payment),
        change(seq + 2, "product", arena.b_product_id, product),
        change(seq + 3, "customer", arena.b_customer_id, customer),
    ]
    over = push(http, a, batch)
    assert over.status_code == 200, over.text
    arena.assert_only_a(over)
    # A refund of B's other order (for A, unknown) is refused.
    refund = {
        "order_id": str(arena.b_second_order_id), "amount_minor": 450, "tax_minor": 0,
        "reason": "x", "status": "succeeded", "created_at": PAID.isoformat(), "lines": [],
        "allocations": [],
    }  # fmt: skip
    refused = push(http, a, [change(seq + 4, "refund", uuid7(), refund)])
    assert refused.json()["refused"][0]["code"] == "unknown_order"
    arena.assert_only_a(refused)


@attack("GET", "/v1/sync/pull")
def _pull_b(arena: Arena) -> None:
    cursor = ""
    for _ in range(50):
        page = arena.http.get(
            "/v1/sync/pull",
            params={"cursor": cursor, "tenant_id": str(arena.b.tenant.id)},
            headers={**arena.a.headers, "X-Tenant-Id": str(arena.b.tenant.id)},
        )
        assert page.status_code == 200, page.text
        arena.assert_only_a(page)
        cursor = page.json()["cursor"]
        if not page.json()["has_more"]:
            break


@attack("POST", "/v1/stripe/webhooks/{tenant}")
def _webhook_for_b(arena: Arena) -> None:
    http = arena.http
    body = _stripe_event(
        "evt_fromA0001", _dispute("dp_fromA0001", arena.b_charge, arena.b_payment_intent)
    )
    # To B's endpoint, signed with A's secret: not from Stripe as far as B is concerned.
    forged = _deliver(http, arena.b.tenant.slug, body, SECRET_A)
    assert forged.status_code == 400
    assert forged.json()["error"]["code"] == "bad_signature"
    # B's event (B's account) delivered to A's endpoint with A's secret: not A's account.
    other_account = _stripe_event(
        "evt_fromA0002", _dispute("dp_fromA0002", arena.b_charge, arena.b_payment_intent),
        account="acct_shopB",
    )  # fmt: skip
    refused = _deliver(http, arena.a.tenant.slug, other_account, SECRET_A)
    assert refused.status_code == 400
    # A dispute on B's charge through A's own endpoint lands in A, linked to none of B's orders.
    own = _deliver(http, arena.a.tenant.slug, body, SECRET_A)
    assert own.status_code == 200, own.text
    arena.assert_only_a(own)
    run_jobs(arena.settings)


@attack("GET", "/v1/notifications/unsubscribe/{tenant_id}")
@attack("POST", "/v1/notifications/unsubscribe/{tenant_id}")
def _unsubscribe_bs_customer(arena: Arena) -> None:
    # A's server key signs links for A's customers: such a token names A, not B.
    token = unsubscribe_token(HMAC_KEY.encode(), arena.a.tenant.id, "email", B_CUSTOMER_EMAIL)
    for method in ("GET", "POST"):
        response = arena.http.request(
            method,
            f"/v1/notifications/unsubscribe/{arena.b.tenant.id}",
            params={"channel": "email", "address": B_CUSTOMER_EMAIL, "token": token},
            headers=arena.a.headers,
        )
        assert response.status_code == 404, response.text
        arena.assert_only_a(response)


@attack("POST", "/v1/owners/invitations")
def _invite_an_owner_of_b(arena: Arena) -> None:
    """A's register invites with B's ids in the body, the query and a header: the body's extra
    fields are refused, and a plain invitation lands in A (the shop comes from the token)."""
    headers = {**arena.a.headers, "X-Tenant-Id": str(arena.b.tenant.id)}
    params = {"tenant_id": str(arena.b.tenant.id), "shop": arena.b.tenant.slug}
    named_b = arena.http.post(
        "/v1/owners/invitations", params=params,
        json={"email": "mallory@shop-b.example", "tenant_id": str(arena.b.tenant.id),
              "tenant": arena.b.tenant.slug, "device_id": str(arena.b.device_id)},
        headers={**headers, "Idempotency-Key": str(uuid.uuid4())},
    )  # fmt: skip
    assert named_b.status_code == 422, named_b.text
    invited = arena.http.post(
        "/v1/owners/invitations", params=params, json={"email": "mallory@shop-b.example"},
        headers={**headers, "Idempotency-Key": str(uuid.uuid4())},
    )  # fmt: skip
    assert invited.status_code == 200, invited.text
    arena.assert_only_a(invited)
    engine = create_engine(arena.settings.admin_database_url)
    try:
        with engine.connect() as conn:
            shops = conn.execute(
                text("SELECT tenant_id FROM owner_accounts WHERE email = :e"),
                {"e": "mallory@shop-b.example"},
            ).scalars().all()  # fmt: skip
    finally:
        engine.dispose()
    assert shops == [arena.a.tenant.id]


# --- the web console: an owner of A signed in, naming B wherever a request can --------------------

CONSOLE_PASSWORD = "tram lantern pebble 42"


def _invitation_of_a(arena: Arena) -> str:
    """A fresh invitation to own A: the token of its set-password link."""
    engine = create_engine(arena.settings.database_url)
    try:
        with tenant_transaction(engine, arena.a.tenant.id) as conn:
            invited = accounts.invite_owner(
                conn, key=arena.settings.token_hmac_key, tenant=arena.a.tenant,
                email=f"owner-{uuid.uuid4().hex[:8]}@shop-a.example",
                public_base_url=arena.live.url, send_email=False,
            )  # fmt: skip
    finally:
        engine.dispose()
    return invited.link.partition("token=")[2]


def _owner_of_a(arena: Arena) -> str:
    token = _invitation_of_a(arena)
    engine = create_engine(arena.settings.database_url)
    try:
        with engine.begin() as conn:
            claimed = accounts.set_password(
                conn, key=arena.settings.token_hmac_key, token=token, password=CONSOLE_PASSWORD
            )
    finally:
        engine.dispose()
    return claimed.email


def _console_csrf(client: httpx.Client, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, page.text
    found = re.search(r'name="csrf" value="([^"]*)"', page.text)
    assert found is not None
    return found.group(1)


def _b_everywhere(arena: Arena) -> dict[str, str]:
    b = arena.b
    return {"tenant_id": str(b.tenant.id), "tenant": str(b.tenant.id), "shop": b.tenant.slug,
            "device_id": str(b.device_id), "order_id": str(arena.b_order_id)}  # fmt: skip


def _console_sign_in_as_a(arena: Arena, client: httpx.Client) -> None:
    email = _owner_of_a(arena)
    form = {**_b_everywhere(arena), "email": email, "password": CONSOLE_PASSWORD,
            "csrf": _console_csrf(client, "/console/sign-in"),
            "next": f"/console/today?tenant_id={arena.b.tenant.id}"}  # fmt: skip
    signed_in = client.post("/console/sign-in", data=form)
    assert signed_in.status_code == 303, signed_in.text
    arena.assert_only_a(signed_in)


@attack("GET", "/console", "/console/", "/console/sign-in", "/console/today")
@attack("POST", "/console/sign-in", "/console/sign-out", "/console/sign-out-everywhere")
def _console_owner_of_a_names_b(arena: Arena) -> None:
    with httpx.Client(base_url=arena.live.url, timeout=30) as client:
        _console_sign_in_as_a(arena, client)
        headers = {"X-Tenant-Id": str(arena.b.tenant.id)}
        for path in ("/console", "/console/", "/console/sign-in", "/console/today",
                     f"/console/today/{arena.b.tenant.id}"):  # fmt: skip
            answer = client.get(path, params=_b_everywhere(arena), headers=headers)
            assert answer.status_code in (200, 303, 404), (path, answer.text)
            arena.assert_only_a(answer)
        today = client.get("/console/today", params=_b_everywhere(arena))
        assert today.status_code == 200
        assert B_PRODUCT_NAME not in today.text
        for action in ("/console/sign-out", "/console/sign-out-everywhere"):
            form = {**_b_everywhere(arena), "csrf": _console_csrf(client, "/console/today")}
            done = client.post(action, data=form, headers=headers)
            assert done.status_code == 303, done.text
            arena.assert_only_a(done)
            _console_sign_in_as_a(arena, client)


OPERATOR_PAGES = ("/console/shops", "/console/shops/{slug}", "/console/month-end", "/console/fees",
                  "/console/jobs", "/console/refused")  # fmt: skip
OPERATOR_ACTIONS = ("/console/shops", "/console/shops/{slug}/fee-rate",
                    "/console/shops/{slug}/invite", "/console/month-end/close",
                    "/console/month-end/release", "/console/month-end/reopen",
                    "/console/jobs/{job_id}/retry")  # fmt: skip


@attack("GET", *OPERATOR_PAGES)
@attack("POST", *OPERATOR_ACTIONS)
def _console_owner_of_a_asks_for_every_shop(arena: Arena) -> None:
    """The operators' pages and actions, aimed at B by an owner of A with a valid CSRF token of
    their own: 403 before anything is read or changed (B's rows are checked after each case)."""
    b = arena.b.tenant
    with httpx.Client(base_url=arena.live.url, timeout=30) as client:
        _console_sign_in_as_a(arena, client)
        for path in OPERATOR_PAGES:
            refused = client.get(path.format(slug=b.slug), params=_b_everywhere(arena))
            assert refused.status_code == 403, path
            arena.assert_only_a(refused)
        form = {**_b_everywhere(arena), "csrf": _console_csrf(client, "/console/today"),
                "slug": b.slug, "name": "B again", "currency": "EUR", "timezone": "UTC",
                "fee": "0", "month": "2031-01", "email": "intruder@example.com",
                "period": "2026-03", "reason": "owner of A"}  # fmt: skip
        for path in OPERATOR_ACTIONS:
            refused = client.post(path.format(slug=b.slug, job_id=1), data=form)
            assert refused.status_code == 403, path
            arena.assert_only_a(refused)


OWNER_PAGES = ("/console/statements", "/console/statements/2026-03", "/console/devices",
               "/console/disputes", "/console/problems")  # fmt: skip


@attack("GET", *(page for page in OWNER_PAGES if not page.endswith("2026-03")))
@attack("GET", "/console/statements/{period}")
@attack("GET", "/console/statements/{period}/statement.csv")
@attack("GET", "/console/statements/{period}/statement.pdf")
def _console_owner_of_a_reads_only_a(arena: Arena) -> None:
    """B's month (B sold croissants in 2026-03; A nothing), devices, dispute: with B's ids in
    every query string and header, A's pages and files show A's alone."""
    with httpx.Client(base_url=arena.live.url, timeout=30) as client:
        _console_sign_in_as_a(arena, client)
        headers = {"X-Tenant-Id": str(arena.b.tenant.id)}
        for path in (*OWNER_PAGES, "/console/statements/2026-03/statement.csv",
                     "/console/statements/2026-03/statement.pdf"):  # fmt: skip
            answer = client.get(path, params=_b_everywhere(arena), headers=headers)
            assert answer.status_code == 200, (path, answer.text)
            arena.assert_only_a(answer)
            assert "Croissant" not in answer.text, path
        csv_rows = client.get("/console/statements/2026-03/statement.csv").text.splitlines()
        assert csv_rows[1].startswith(f"{arena.a.tenant.slug},2026-03,")
        assert csv_rows[1].split(",")[-9:] == ["total", "", "", *["0.00"] * 6]
        assert len(csv_rows) == 2  # the total row alone: none of B's products
        devices = client.get("/console/devices").text
        assert "Till A" in devices
        assert "Till B" not in devices
        # B's shop by slug or id where a month goes: not a month, a 404 page.
        for period in (arena.b.tenant.slug, str(arena.b.tenant.id)):
            for suffix in ("", "/statement.csv", "/statement.pdf"):
                refused = client.get(f"/console/statements/{period}{suffix}")
                assert refused.status_code == 404
                arena.assert_only_a(refused)


@attack("GET", "/console/devices/{device_id}/revoke")
@attack("POST", "/console/devices/{device_id}/revoke")
def _console_owner_of_a_revokes_bs_register(arena: Arena) -> None:
    with httpx.Client(base_url=arena.live.url, timeout=30) as client:
        _console_sign_in_as_a(arena, client)
        path = f"/console/devices/{arena.b.device_id}/revoke"
        confirm = client.get(path, params=_b_everywhere(arena))
        assert confirm.status_code == 404
        arena.assert_only_a(confirm)
        form = {**_b_everywhere(arena), "csrf": _console_csrf(client, "/console/devices")}
        refused = client.post(path, data=form, headers={"X-Tenant-Id": str(arena.b.tenant.id)})
        assert refused.status_code == 404
        arena.assert_only_a(refused)
        assert arena.http.get("/v1/devices/me", headers=arena.b.headers).status_code == 200


@attack("POST", "/console/devices/pairing-code")
@attack("GET", "/console/devices/pairing-code")
def _console_owner_of_a_makes_a_code_naming_b(arena: Arena) -> None:
    """The code is made for the session's shop and shown (after the redirect) to that session
    only: its cookie, copied into another session, shows nothing."""
    headers = {"X-Tenant-Id": str(arena.b.tenant.id)}
    with httpx.Client(base_url=arena.live.url, timeout=30) as client:
        _console_sign_in_as_a(arena, client)
        form = {**_b_everywhere(arena), "csrf": _console_csrf(client, "/console/devices")}
        made = client.post("/console/devices/pairing-code", data=form, headers=headers)
        assert made.status_code == 303, made.text
        arena.assert_only_a(made)
        page = client.get(made.headers["location"], params=_b_everywhere(arena), headers=headers)
        assert page.status_code == 200, page.text
        arena.assert_only_a(page)
        code = re.search(r"data-code>([A-Z0-9-]+)<", page.text)
        assert code is not None
        cookies = dict(client.cookies)
    with httpx.Client(base_url=arena.live.url, timeout=30) as other:
        _console_sign_in_as_a(arena, other)  # another session of A's owner
        for name in ("console_pairing",):
            other.cookies.set(name, cookies[name])
        copied = other.get("/console/devices/pairing-code", headers=headers)
        assert copied.status_code == 303
        assert code.group(1) not in copied.text
        arena.assert_only_a(copied)
    # The code is A's: a register held by B's data is refused it (and it stays unused).
    refused = arena.http.post("/v1/devices/pair", json={
        "code": code.group(1), "device_name": "B's spare", "held_tenant_id": str(arena.b.tenant.id),
    })  # fmt: skip
    assert refused.status_code == 409, refused.text


@attack("GET", "/console/invoices")
def _console_owner_of_a_reads_bs_invoices(arena: Arena) -> None:
    """B's fee invoices (and B's past-due banner) never show on A's page, whatever ids the
    query or headers carry: A has none."""
    with httpx.Client(base_url=arena.live.url, timeout=30) as client:
        _console_sign_in_as_a(arena, client)
        page = client.get("/console/invoices", params=_b_everywhere(arena),
                          headers={"X-Tenant-Id": str(arena.b.tenant.id)})  # fmt: skip
        assert page.status_code == 200, page.text
        arena.assert_only_a(page)
        assert 'id="invoices-empty"' in page.text
        assert 'id="past-due"' not in page.text


@attack("GET", "/console/payment-method")
@attack("POST", "/console/payment-method/setup")
@attack("GET", "/console/payment-method/done")
def _console_owner_of_a_saves_a_card_for_b(arena: Arena) -> None:
    """A's card page, and its actions, whatever B ids the query, form or headers carry: A's
    shop only (no platform Stripe key here: nothing is asked of Stripe, the return page says
    card payments are not set up; a real session of B's customer opened by A is refused in
    test_payment_method_pages); B's rows unchanged."""
    headers = {"X-Tenant-Id": str(arena.b.tenant.id)}
    with httpx.Client(base_url=arena.live.url, timeout=30) as client:
        _console_sign_in_as_a(arena, client)
        page = client.get("/console/payment-method", params=_b_everywhere(arena), headers=headers)
        assert page.status_code == 200, page.text
        arena.assert_only_a(page)
        assert 'id="past-due"' not in page.text  # B is past due, A is not
        form = {**_b_everywhere(arena), "attempt": str(uuid7()),
                "csrf": _console_csrf(client, "/console/payment-method")}  # fmt: skip
        setup = client.post("/console/payment-method/setup", data=form, headers=headers)
        assert setup.status_code == 404
        arena.assert_only_a(setup)
        done = client.get(
            "/console/payment-method/done",
            params={**_b_everywhere(arena), "session_id": f"cs_test_{arena.b.tenant.slug}"},
            headers=headers,
        )
        assert done.status_code == 404  # no platform key: card payments are not set up here
        assert 'data-outcome="not_configured"' in done.text  # A's shop reads Portuguese
        arena.assert_only_a(done)


@attack("GET", "/v1/billing/invoices")
def _invoices_of_b(arena: Arena) -> None:
    """A register of A naming B: A's invoices (none) and A's past-due state (not)."""
    answer = arena.http.get(
        "/v1/billing/invoices",
        params={"tenant_id": str(arena.b.tenant.id)},
        headers={**arena.a.headers, "X-Tenant-Id": str(arena.b.tenant.id)},
    )
    assert answer.status_code == 200, answer.text
    arena.assert_only_a(answer)
    assert answer.json()["invoices"] == []
    assert answer.json()["past_due"] is False


@attack("POST", "/v1/stripe/platform-webhook")
def _platform_webhook_naming_b(arena: Arena) -> None:
    """The platform's endpoint takes only the platform's signature: an event that marks B's
    invoice paid, signed with A's (or B's own) shop secret, is refused and changes nothing."""
    event = json.dumps({
        "id": "evt_platformB0001", "object": "event", "type": "invoice.paid",
        "created": int(time.time()),
        "data": {"object": {"object": "invoice", "id": f"in_feb_{arena.b.tenant.slug}",
                            "status": "paid", "customer": "cus_x", "currency": "eur",
                            "metadata": {"tenant_id": str(arena.b.tenant.id)}}},
    }).encode()  # fmt: skip
    for secret in (SECRET_A, SECRET_B):
        header = sign(event, secret, int(time.time()))
        refused = arena.http.post(
            "/v1/stripe/platform-webhook", content=event, headers={"Stripe-Signature": header}
        )
        assert refused.status_code == 400, refused.text
        arena.assert_only_a(refused)


@attack("GET", "/console/settings")
@attack("POST", "/console/settings")
def _console_owner_of_a_sets_bs_business_day(arena: Arena) -> None:
    """The settings form changes the session's shop only, whatever ids the form, the query or
    the headers carry (B's row is in the dump the test compares)."""
    with httpx.Client(base_url=arena.live.url, timeout=30) as client:
        _console_sign_in_as_a(arena, client)
        headers = {"X-Tenant-Id": str(arena.b.tenant.id)}
        page = client.get("/console/settings", params=_b_everywhere(arena), headers=headers)
        assert page.status_code == 200
        arena.assert_only_a(page)
        form = {**_b_everywhere(arena), "day_ends_at": "03:00", "locale": "pt_BR",
                "csrf": _console_csrf(client, "/console/settings")}  # fmt: skip
        done = client.post("/console/settings", data=form, headers=headers,
                           params={"tenant_id": str(arena.b.tenant.id)})  # fmt: skip
        assert done.status_code == 303, done.text
        arena.assert_only_a(done)
        engine = create_engine(arena.settings.admin_database_url)
        try:
            with engine.connect() as conn:
                a_row = conn.execute(
                    text("SELECT day_ends_at::text, locale FROM tenants WHERE id = :a"),
                    {"a": arena.a.tenant.id},
                ).one()
        finally:
            engine.dispose()
        assert tuple(a_row) == ("03:00:00", "pt_BR")  # A's own, from A's session


@attack("GET", "/console/set-password")
@attack("POST", "/console/set-password")
def _console_invitation_of_a_names_b(arena: Arena) -> None:
    token = _invitation_of_a(arena)
    with httpx.Client(base_url=arena.live.url, timeout=30) as client:
        path = f"/console/set-password?token={token}&tenant_id={arena.b.tenant.id}"
        form = {**_b_everywhere(arena), "token": token, "password": CONSOLE_PASSWORD,
                "confirm": CONSOLE_PASSWORD, "csrf": _console_csrf(client, path)}  # fmt: skip
        done = client.post("/console/set-password", data=form)
        assert done.status_code == 303, done.text
        arena.assert_only_a(done)


# --- the tests ---------------------------------------------------------------------------------


def _flat_routes(app: FastAPI) -> list[Any]:
    try:  # newer FastAPI keeps included routers nested in `app.routes`: flatten them
        from fastapi.routing import iter_route_contexts
    except ImportError:
        return list(app.routes)
    return list(iter_route_contexts(app.routes))


def _static_files(route: Any) -> bool:
    """The console's stylesheet (`/console/static`): files of the package, no shop's data."""
    mounted = getattr(route, "route", route)
    return isinstance(mounted, Mount) and isinstance(mounted.app, StaticFiles)


def _routes() -> set[tuple[str, str]]:
    app = create_app(Settings(token_hmac_key=HMAC_KEY.encode()))
    try:
        routes = _flat_routes(app)
        unknown = [
            route
            for route in routes
            if not getattr(route, "methods", None) and not _static_files(route)
        ]
        assert not unknown, f"a route kind this test cannot attack yet: {unknown}"
        return {
            (method, route.path)
            for route in routes
            if not _static_files(route)
            for method in route.methods
            if method != "HEAD"
        }
    finally:
        app.state.context.engine.dispose()


def test_every_route_has_a_cross_tenant_case() -> None:
    routes = _routes()
    assert routes - set(ATTACKS) == set(), "write a cross-tenant attack for the new route(s)"
    assert set(ATTACKS) - routes == set(), "a case for a route that no longer exists"


@pytest.mark.parametrize("route", sorted(ATTACKS), ids=" ".join)
def test_a_device_of_shop_a_cannot_reach_shop_bs_data(arena: Arena, route: tuple[str, str]) -> None:
    ATTACKS[route](arena)
    assert dump_shop(arena.settings, arena.b.tenant.id) == arena.baseline
