"""Refused changes never wedge a till: the push answer names each refused change with a reason
code, the rest of the batch is stored, the refused ones are kept in the shop's quarantine (the
change as received, the reason, the time; under row-level security like every tenant table),
a refund or payment of a refused order is refused too, and `sync-server sync refused` lists a
shop's refusals."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, text

from sync_server.config import Settings
from sync_server.db import tenant_transaction
from sync_server.sync import repository
from tests.support.push_payloads import build_order, build_payment, build_refund, change, push
from tests.support.sync_server_live import run_cli
from tests.support.sync_server_tenants import Device, create_tenant, pair_device

pytestmark = pytest.mark.postgres

PAID = datetime(2026, 3, 14, 12, 0, tzinfo=UTC)


def _bad_order(number: int = 1) -> tuple[Any, dict[str, Any]]:
    order_id, data = build_order(
        lines=[("A", "Coffee", 1, 1_000, 100_000)], paid_at=PAID, number=number
    )
    data["lines"][0]["tax_minor"] += 300  # revenue declared as tax
    data["tax_minor"] += 300
    return order_id, data


def _quarantine(app_db: Engine, device: Device) -> list[Any]:
    with tenant_transaction(app_db, device.tenant.id) as conn:
        return repository.quarantine_rows(conn, device.tenant.id, 100)


def test_a_refused_order_is_quarantined_and_the_rest_of_the_batch_is_stored(
    http: httpx.Client, device: Device, app_db: Engine, admin_db: Engine
) -> None:
    bad_id, bad = _bad_order()
    good_id, good = build_order(lines=[("B", "Tea", 1, 800, 0)], paid_at=PAID, number=2)
    # The refund and the card payment of the refused order depend on it: refused too.
    refund_id, refund = build_refund(bad, created_at=PAID, order_id=bad_id)
    _, payment = build_payment(bad_id, bad, gateway_payment_id="pi_1", gateway_charge_id="ch_1")
    payment_id = build_payment(good_id, good, gateway_payment_id=None, gateway_charge_id=None)[0]
    batch = [
        change(1, "order", bad_id, bad),
        change(2, "order", good_id, good),
        change(3, "refund", refund_id, refund),
        change(4, "payment", payment_id, payment),
    ]
    response = push(http, device, batch)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["acknowledged_seq"], body["applied"]) == (4, 1)
    assert [(r["seq"], r["code"]) for r in body["refused"]] == [
        (1, "money_mismatch"),
        (3, "depends_on_refused"),
        (4, "depends_on_refused"),
    ]
    rows = _quarantine(app_db, device)
    assert sorted((row.seq, row.entity, row.code) for row in rows) == [
        (1, "order", "money_mismatch"),
        (3, "refund", "depends_on_refused"),
        (4, "payment", "depends_on_refused"),
    ]
    kept = next(row for row in rows if row.seq == 1)
    assert kept.entity_id == str(bad_id)
    assert kept.field == "data.lines[0].tax_minor"
    assert json.loads(kept.change)["data"]["tax_minor"] == bad["tax_minor"]  # as received
    assert kept.received_at is not None
    with admin_db.connect() as conn:
        stored = conn.execute(
            text("SELECT id FROM orders WHERE tenant_id = :t"), {"t": device.tenant.id}
        ).scalars()
        assert list(stored) == [good_id]

    # A later push about the refused order (a refund made after it) is refused as well; a
    # replay of the whole batch changes nothing and quarantines nothing twice.
    later_id, later = build_refund(bad, created_at=PAID, order_id=bad_id)
    again = push(http, device, [*batch, change(5, "refund", later_id, later)]).json()
    assert again["replayed"] == 4
    assert [(r["seq"], r["code"]) for r in again["refused"]] == [(5, "depends_on_refused")]
    assert len(_quarantine(app_db, device)) == 4


def test_a_malformed_change_is_kept_as_it_came(
    http: httpx.Client, device: Device, app_db: Engine
) -> None:
    raw = {"seq": 1, "entity": "order", "id": "not-a-uuid\u0000", "occurred_at": "whenever",
           "data": {"lines": "\ud800"}}  # fmt: skip
    # A malformed order that still has a usable id: its refund depends on it.
    broken_id, broken = build_order(lines=[("A", "A", 1, 1_000, 0)], paid_at=PAID)
    refund_id, refund = build_refund(broken, created_at=PAID, order_id=broken_id)
    broken["lines"][0]["quantity"] = "two"
    good_id, good = build_order(lines=[("B", "B", 1, 800, 0)], paid_at=PAID, number=2)
    batch = [
        raw,
        change(2, "order", broken_id, broken),
        change(3, "refund", refund_id, refund),
        change(4, "order", good_id, good),
    ]
    response = http.post(
        "/v1/sync/push",
        content=json.dumps({"device_id": str(device.device_id), "batch": batch}),
        headers={**device.headers, "content-type": "application/json"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["acknowledged_seq"], body["applied"]) == (4, 1)
    assert [(r["seq"], r["code"]) for r in body["refused"]] == [
        (1, "malformed"),
        (2, "malformed"),
        (3, "depends_on_refused"),
    ]
    rows = {row.seq: row for row in _quarantine(app_db, device)}
    assert json.loads(rows[1].change) == raw
    assert rows[2].field == "data.lines[0].quantity"


def test_another_shop_sees_none_of_it(
    http: httpx.Client, device: Device, settings: Settings, app_db: Engine
) -> None:
    bad_id, bad = _bad_order()
    assert push(http, device, [change(1, "order", bad_id, bad)]).json()["refused"]
    other = pair_device(http, settings, create_tenant(settings))
    assert _quarantine(app_db, other) == []
    with app_db.connect() as conn:  # no tenant set: row-level security shows nothing
        assert conn.execute(text("SELECT count(*) FROM push_quarantine")).scalar_one() == 0


def test_the_cli_lists_a_shops_refused_changes(
    http: httpx.Client, device: Device, settings: Settings
) -> None:
    bad_id, bad = _bad_order()
    push(http, device, [change(1, "order", bad_id, bad)])
    listed = run_cli(settings, "sync", "refused", "--tenant", device.tenant.slug)
    assert listed.returncode == 0, listed.stderr
    assert str(bad_id) in listed.stdout
    assert "money_mismatch" in listed.stdout
    assert "data.lines[0].tax_minor" in listed.stdout
    as_json_run = run_cli(
        settings, "sync", "refused", "--tenant", device.tenant.slug, "--format", "json"
    )
    assert as_json_run.returncode == 0, as_json_run.stderr
    as_json = as_json_run.stdout
    [item] = json.loads(as_json)
    assert (item["entity"], item["entity_id"], item["code"]) == (
        "order",
        str(bad_id),
        "money_mismatch",
    )
