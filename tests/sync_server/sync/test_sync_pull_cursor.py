"""Pull: catalog to other registers, stock movements, disputes; a cursor that never skips."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine

from sync_server.config import Settings
from sync_server.db import tenant_transaction
from sync_server.disputes.schemas import DisputeIn
from sync_server.disputes.service import upsert_dispute
from sync_server.kit.cursor import encode_cursor
from sync_server.kit.ids import uuid7
from sync_server.sync import repository
from sync_server.sync.schemas import ProductChange, ProductData
from sync_server.tenants.schemas import Tenant
from tests.support.push_payloads import change, push
from tests.support.sync_server_db import PgServer
from tests.support.sync_server_tenants import Device, pair_device

pytestmark = pytest.mark.postgres

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def _product(name: str, updated_at: datetime, price: int = 450) -> dict[str, Any]:
    return {
        "sku": name.upper(), "name": name, "category_id": None, "barcode": None,
        "price_minor": price, "currency": "EUR", "tax_rate_ppm": 100_000, "active": True,
        "track_stock": True, "updated_at": updated_at.isoformat(),
    }  # fmt: skip


def _pull_all(
    http: httpx.Client, device: Device, cursor: str = "", limit: int = 500
) -> tuple[list[dict[str, Any]], str]:
    changes: list[dict[str, Any]] = []
    while True:
        body = http.get(
            "/v1/sync/pull", params={"cursor": cursor, "limit": limit}, headers=device.headers
        ).json()
        changes.extend(body["changes"])
        cursor = body["cursor"]
        if not body["has_more"]:
            return changes, cursor


@pytest.fixture
def two_registers(http: httpx.Client, settings: Settings, tenant: Tenant) -> tuple[Device, Device]:
    return pair_device(http, settings, tenant, "Front"), pair_device(http, settings, tenant, "Back")


def test_catalog_edits_reach_the_other_register_last_writer_wins(
    http: httpx.Client, two_registers: tuple[Device, Device]
) -> None:
    front, back = two_registers
    coffee = uuid7()
    push(http, front, [change(1, "product", coffee, _product("coffee", T0))])
    changes, cursor = _pull_all(http, back)
    assert [(c["entity"], c["id"], c["data"]["price_minor"]) for c in changes] == [
        ("product", str(coffee), 450)
    ]
    assert _pull_all(http, back, cursor)[0] == []
    # An older edit from the back register loses; a newer one wins and is pulled again.
    push(http, back, [change(1, "product", coffee, _product("coffee", T0 - timedelta(hours=1), 1))])
    assert _pull_all(http, back, cursor)[0] == []
    push(
        http, back, [change(2, "product", coffee, _product("coffee", T0 + timedelta(hours=1), 500))]
    )
    changes, _ = _pull_all(http, front)
    assert [c["data"]["price_minor"] for c in changes] == [500]


def test_stock_movements_go_to_the_other_registers_only(
    http: httpx.Client, two_registers: tuple[Device, Device]
) -> None:
    front, back = two_registers
    product = uuid7()
    movement = {
        "product_id": str(product), "quantity_delta": -2, "reason": "sale", "order_id": None,
        "created_at": T0.isoformat(),
    }  # fmt: skip
    movement_id = uuid7()
    push(http, front, [change(1, "stock_movement", movement_id, movement)])
    back_changes, _ = _pull_all(http, back)
    assert [(c["entity"], c["id"]) for c in back_changes] == [("stock_movement", str(movement_id))]
    assert back_changes[0]["data"]["device_id"] == str(front.device_id)
    assert back_changes[0]["data"]["quantity_delta"] == -2
    assert _pull_all(http, front)[0] == []


def test_86_list_staff_and_disputes_are_pulled(
    http: httpx.Client, two_registers: tuple[Device, Device], app_db: Engine, tenant: Tenant
) -> None:
    front, back = two_registers
    product, clerk = uuid7(), uuid7()
    push(
        http,
        front,
        [
            change(
                1,
                "eighty_six",
                product,
                {"unavailable": True, "reason": "sold out", "updated_at": T0.isoformat()},
            ),
            change(
                2,
                "staff",
                clerk,
                {
                    "name": "Ana",
                    "role": "cashier",
                    "pin_hash": "argon2$x",
                    "updated_at": T0.isoformat(),
                },
            ),
        ],
    )
    with tenant_transaction(app_db, tenant.id) as conn:
        upsert_dispute(
            conn,
            tenant=tenant,
            dispute=DisputeIn(
                id="dp_1",
                charge_id="ch_1",
                amount_minor=1200,
                currency="EUR",
                reason="fraudulent",
                status="needs_response",
                updated_at=T0,
            ),
        )
    changes, _ = _pull_all(http, back)
    kinds = {(c["entity"], c["id"]) for c in changes}
    assert kinds == {("eighty_six", str(product)), ("staff", str(clerk)), ("dispute", "dp_1")}
    dispute = next(c for c in changes if c["entity"] == "dispute")
    assert dispute["data"]["status"] == "needs_response"
    assert "tenant_id" not in dispute["data"]


def test_pages_follow_each_other_without_loss(
    http: httpx.Client, two_registers: tuple[Device, Device]
) -> None:
    front, back = two_registers
    ids = [uuid7() for _ in range(25)]
    push(
        http,
        front,
        [
            change(n + 1, "category", i, {"name": f"C{n}", "updated_at": T0.isoformat()})
            for n, i in enumerate(ids)
        ],
    )
    first = http.get("/v1/sync/pull", params={"limit": 10}, headers=back.headers).json()
    assert first["has_more"] is True
    assert len(first["changes"]) == 10
    rest, _ = _pull_all(http, back, first["cursor"], limit=10)
    assert sorted(c["id"] for c in first["changes"] + rest) == sorted(str(i) for i in ids)


def test_tampered_cursor_is_422(http: httpx.Client, device: Device) -> None:
    forged = [
        encode_cursor(parts)
        for parts in (
            [1, "product", "\ud800"],
            [1, "\x00", "x"],
            [-1, "product", "x"],
            [2**64, "a", "b"],
        )
    ]
    for cursor in ("garbage!", "WzEsMl0", "bm90IGpzb24", *forged):
        response = http.get("/v1/sync/pull", params={"cursor": cursor}, headers=device.headers)
        assert response.status_code == 422, (cursor, response.text)
        assert response.json()["error"]["message"] == "cursor is not one this server handed out"


def test_cursor_never_skips_a_row_committed_out_of_order(
    http: httpx.Client, two_registers: tuple[Device, Device], app_db: Engine, tenant: Tenant
) -> None:
    front, back = two_registers
    _, cursor = _pull_all(http, back)
    slow_id, fast_id = uuid7(), uuid7()

    def product_change(product_id: Any, name: str) -> ProductChange:
        return ProductChange(
            seq=1,
            entity="product",
            id=product_id,
            occurred_at=T0,
            data=ProductData.model_validate(_product(name, T0)),
        )

    slow = app_db.connect()
    slow_tx = slow.begin()
    try:
        from sync_server.devices.repository import set_tenant

        set_tenant(slow, tenant.id)
        written = repository.upsert_products(
            slow, tenant.id, front.device_id, [product_change(slow_id, "slow")]
        )
        repository.record_changes(
            slow, tenant.id, [("product", str(i), front.device_id) for i in written]
        )
        # A second transaction starts later (higher xid) and commits first.
        with tenant_transaction(app_db, tenant.id) as fast:
            written = repository.upsert_products(
                fast, tenant.id, front.device_id, [product_change(fast_id, "fast")]
            )
            repository.record_changes(
                fast, tenant.id, [("product", str(i), front.device_id) for i in written]
            )
        held_back, cursor_during = _pull_all(http, back, cursor)
        # The committed row waits behind the running one rather than pass it.
        assert held_back == []
        assert cursor_during == cursor
        slow_tx.commit()
    finally:
        slow.close()
    changes, _ = _pull_all(http, back, cursor)
    assert [c["data"]["name"] for c in changes] == ["slow", "fast"]


def test_a_transaction_in_another_database_does_not_hold_the_pull_back(
    http: httpx.Client, two_registers: tuple[Device, Device], pg_server: PgServer
) -> None:
    # xids are numbered across the cluster: another database's open transaction (another
    # application, another shop's server, a CREATE DATABASE) can never commit a row into this
    # change log, so the other register gets the change without waiting for it to end.
    front, back = two_registers
    _, cursor = _pull_all(http, back)
    clerk = uuid7()
    with pg_server.admin() as elsewhere, elsewhere.transaction():
        elsewhere.execute("SELECT pg_current_xact_id()")  # an xid older than the push's
        push(
            http,
            front,
            [change(1, "staff", clerk, {"name": "Sam", "role": "cashier",
                                        "pin_hash": "argon2$x", "updated_at": T0.isoformat()})],
        )  # fmt: skip
        changes, _ = _pull_all(http, back, cursor)
        assert [(c["entity"], c["id"]) for c in changes] == [("staff", str(clerk))]
