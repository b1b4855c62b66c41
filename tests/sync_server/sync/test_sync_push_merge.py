"""Push: merge, replay, partial batches, gaps, immutability, concurrency, bad input."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, text

from sync_server.config import Settings
from sync_server.kit.ids import uuid7
from sync_server.tenants.schemas import Tenant
from tests.support.push_payloads import build_order, build_refund, change, push
from tests.support.sync_server_tenants import Device, pair_device

pytestmark = pytest.mark.postgres

PAID = datetime(2026, 3, 14, 12, 0, tzinfo=UTC)


def _orders(start_seq: int, count: int, lines_per_order: int = 2) -> list[dict[str, Any]]:
    batch = []
    for index in range(count):
        order_id, data = build_order(
            lines=[(f"SKU-{n}", f"Item {n}", 1, 450 + n, 100_000) for n in range(lines_per_order)],
            paid_at=PAID,
            number=start_seq + index,
        )
        batch.append(change(start_seq + index, "order", order_id, data))
    return batch


def _count(admin_db: Engine, table: str, tenant: Tenant) -> int:
    with admin_db.connect() as conn:
        return int(
            conn.execute(
                text(f"SELECT count(*) FROM {table} WHERE tenant_id = :t"), {"t": tenant.id}
            ).scalar_one()
        )


def _ledger_total(admin_db: Engine, tenant: Tenant) -> int:
    with admin_db.connect() as conn:
        return int(
            conn.execute(
                text("SELECT coalesce(sum(amount_minor), 0) FROM fee_ledger WHERE tenant_id = :t"),
                {"t": tenant.id},
            ).scalar_one()
        )


def test_push_stores_orders_lines_tenders_and_ledger(
    http: httpx.Client, device: Device, admin_db: Engine
) -> None:
    batch = _orders(1, 3)
    response = push(http, device, batch)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "acknowledged_seq": 3,
        "applied": 3,
        "replayed": 0,
        "conflicts": [],
        "refused": [],
    }
    assert _count(admin_db, "orders", device.tenant) == 3
    assert _count(admin_db, "order_lines", device.tenant) == 6
    assert _count(admin_db, "tenders", device.tenant) == 3
    revenue = sum(
        line["total_minor"] - line["tax_minor"] for c in batch for line in c["data"]["lines"]
    )
    assert _ledger_total(admin_db, device.tenant) == revenue


def test_replayed_batch_changes_nothing(
    http: httpx.Client, device: Device, admin_db: Engine
) -> None:
    batch = _orders(1, 4)
    assert push(http, device, batch).json()["acknowledged_seq"] == 4
    ledger_before = _ledger_total(admin_db, device.tenant)
    again = push(http, device, batch)
    assert again.status_code == 200
    assert again.json() == {
        "acknowledged_seq": 4,
        "applied": 0,
        "replayed": 4,
        "conflicts": [],
        "refused": [],
    }
    assert _count(admin_db, "orders", device.tenant) == 4
    assert _ledger_total(admin_db, device.tenant) == ledger_before


def test_partial_batch_resumes_after_the_stored_prefix(
    http: httpx.Client, device: Device, admin_db: Engine
) -> None:
    batch = _orders(1, 6)
    assert push(http, device, batch[:3]).json()["acknowledged_seq"] == 3
    resumed = push(http, device, batch).json()
    assert resumed == {
        "acknowledged_seq": 6,
        "applied": 3,
        "replayed": 3,
        "conflicts": [],
        "refused": [],
    }
    assert _count(admin_db, "orders", device.tenant) == 6


def test_out_of_order_batch_is_acknowledged_only_up_to_the_gap(
    http: httpx.Client, device: Device, admin_db: Engine
) -> None:
    batch = _orders(1, 6)
    early = push(http, device, batch[3:]).json()
    assert early["acknowledged_seq"] == 0  # seqs 4-6 wait for 1-3: nothing stored out of order
    assert _count(admin_db, "orders", device.tenant) == 0
    assert push(http, device, batch[:3]).json()["acknowledged_seq"] == 3
    assert push(http, device, batch[3:]).json()["acknowledged_seq"] == 6
    # A batch with a hole in the middle stores up to the hole.
    more = _orders(7, 4)
    holed = push(http, device, [more[0], more[2], more[3]]).json()
    assert holed["acknowledged_seq"] == 7
    assert _count(admin_db, "orders", device.tenant) == 7


def test_a_paid_order_is_immutable(http: httpx.Client, device: Device, admin_db: Engine) -> None:
    [first] = _orders(1, 1)
    assert push(http, device, [first]).json()["acknowledged_seq"] == 1
    edited = {**first, "seq": 2, "data": {**first["data"], "number": 999}}
    response = push(http, device, [edited]).json()
    assert response["acknowledged_seq"] == 2  # acknowledged so the register is not stuck
    assert [c["reason"] for c in response["conflicts"]] == [
        "a stored order is immutable: use refund events"
    ]
    with admin_db.connect() as conn:
        number = conn.execute(
            text("SELECT number FROM orders WHERE id = :i"), {"i": first["id"]}
        ).scalar_one()
        conflicts = conn.execute(
            text("SELECT count(*) FROM sync_conflicts WHERE tenant_id = :t"),
            {"t": device.tenant.id},
        ).scalar_one()
    assert number == 1
    assert conflicts == 1
    # The same content under a new seq is simply a no-op.
    same = push(http, device, [{**first, "seq": 3}]).json()
    assert same["conflicts"] == []
    assert same["acknowledged_seq"] == 3


def test_a_voided_order_is_never_paid_later(http: httpx.Client, device: Device) -> None:
    order_id, voided = build_order(lines=[("A", "A", 1, 100, 0)], paid_at=None, status="voided")
    assert (
        push(http, device, [change(1, "order", order_id, voided)]).json()["acknowledged_seq"] == 1
    )
    _, paid = build_order(lines=[("A", "A", 1, 100, 0)], paid_at=PAID, order_id=order_id)
    response = push(http, device, [change(2, "order", order_id, paid)]).json()
    assert len(response["conflicts"]) == 1


def test_refund_events_reduce_the_fee_base(
    http: httpx.Client, device: Device, admin_db: Engine
) -> None:
    order_id, order = build_order(
        lines=[("A", "Apple", 2, 500, 100_000), ("B", "Bread", 1, 300, 100_000)], paid_at=PAID
    )
    refund_id, refund = build_refund(
        order, created_at=PAID, line_indexes=[0], status="pending", order_id=order_id
    )
    batch = [change(1, "order", order_id, order), change(2, "refund", refund_id, refund)]
    assert push(http, device, batch).json()["acknowledged_seq"] == 2
    revenue = sum(line["total_minor"] - line["tax_minor"] for line in order["lines"])
    assert _ledger_total(admin_db, device.tenant) == revenue  # pending: not yet
    done = {**refund, "status": "succeeded"}
    assert push(http, device, [change(3, "refund", refund_id, done)]).json()["conflicts"] == []
    refunded = order["lines"][0]["total_minor"] - order["lines"][0]["tax_minor"]
    assert _ledger_total(admin_db, device.tenant) == revenue - refunded
    # Replaying the success, or pushing it again under a new seq, posts nothing more.
    push(http, device, [change(3, "refund", refund_id, done)])
    push(http, device, [change(4, "refund", refund_id, done)])
    assert _ledger_total(admin_db, device.tenant) == revenue - refunded
    # A final status never changes back.
    failed = {**refund, "status": "failed"}
    assert (
        len(push(http, device, [change(5, "refund", refund_id, failed)]).json()["conflicts"]) == 1
    )


def test_concurrent_pushes_from_several_registers_of_one_shop(
    http: httpx.Client, settings: Settings, tenant: Tenant, admin_db: Engine, live: Any
) -> None:
    devices = [pair_device(http, settings, tenant, f"Register {n}") for n in range(4)]
    failures: list[str] = []

    def run(device: Device) -> None:
        with httpx.Client(base_url=live.url, timeout=60) as client:
            for start in range(1, 61, 20):
                response = push(client, device, _orders(start, 20))
                if response.status_code != 200:
                    failures.append(response.text)

    threads = [threading.Thread(target=run, args=(device,)) for device in devices]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert _count(admin_db, "orders", tenant) == 4 * 60
    with admin_db.connect() as conn:
        acks = conn.execute(
            text("SELECT acknowledged_seq FROM devices WHERE tenant_id = :t"), {"t": tenant.id}
        ).scalars()
        assert sorted(acks) == [60, 60, 60, 60]


def test_the_same_device_pushing_twice_at_once_stores_each_change_once(
    settings: Settings, device: Device, admin_db: Engine, live: Any
) -> None:
    batch = _orders(1, 30)
    results: list[int] = []

    def run() -> None:
        with httpx.Client(base_url=live.url, timeout=60) as client:
            results.append(push(client, device, batch).json()["acknowledged_seq"])

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [30, 30, 30]
    assert _count(admin_db, "orders", device.tenant) == 30
    assert _count(admin_db, "fee_ledger", device.tenant) == 60


# --- bad input --------------------------------------------------------------------------------


def _error(response: httpx.Response) -> dict[str, Any]:
    body: dict[str, Any] = response.json()["error"]
    return body


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda d: d.update(total_minor=d["total_minor"] + 1), "data.total_minor"),
        (lambda d: d["tenders"][0].update(amount_minor=1), "data.tenders"),
        (lambda d: d.update(currency="USD"), "data.currency"),
        (lambda d: d["lines"][0].update(net_minor=1), "data.lines[0].net_minor"),
    ],
)
def test_inconsistent_order_is_refused_naming_seq_and_field(
    http: httpx.Client, device: Device, admin_db: Engine, mutate: Any, field: str
) -> None:
    order_id, data = build_order(lines=[("A", "A", 1, 1000, 100_000)], paid_at=PAID)
    mutate(data)
    response = push(http, device, [change(1, "order", order_id, data)])
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["acknowledged_seq"] == 1  # the register moves on
    [refused] = body["refused"]
    assert (refused["seq"], refused["id"], refused["field"]) == (1, str(order_id), field)
    assert _count(admin_db, "orders", device.tenant) == 0


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d["tenders"][0].update(card_last4="42x2"), "card_last4"),
        (lambda d: d["lines"][0].update(total_minor=-5), "total_minor"),
        (lambda d: d["lines"][0].update(quantity=1.5), "quantity"),
        (lambda d: d.update(paid_at="2026-03-14T12:00:00"), "paid_at"),
        (lambda d: d.pop("lines"), "lines"),
    ],
)
def test_malformed_change_is_refused_with_its_seq_and_the_rest_stored(
    http: httpx.Client, device: Device, admin_db: Engine, mutate: Any, expected: str
) -> None:
    order_id, data = build_order(lines=[("A", "A", 1, 1000, 100_000)], paid_at=PAID)
    mutate(data)
    good = _orders(2, 1)
    response = push(http, device, [change(1, "order", order_id, data), *good])
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["acknowledged_seq"], body["applied"]) == (2, 1)
    [refused] = body["refused"]
    assert (refused["seq"], refused["code"]) == (1, "malformed")
    assert expected in refused["field"], refused
    assert _count(admin_db, "orders", device.tenant) == 1


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[]",
        b'{"device_id": "nope", "batch": []}',
        b'{"batch": [{"seq": 1}]}',
        b'{"device_id": "00000000-0000-0000-0000-000000000000", "batch": [{"seq": 1, '
        b'"entity": "spaceship", "id": "x", "occurred_at": "now", "data": {}}]}',
        b"\xff\xfe",
        b"[" * 100_000 + b"]" * 100_000,  # deeper than any JSON parser's recursion limit
    ],
)
def test_garbage_is_4xx_never_500(http: httpx.Client, device: Device, body: bytes) -> None:
    response = http.post(
        "/v1/sync/push",
        content=body,
        headers={**device.headers, "content-type": "application/json"},
    )
    assert 400 <= response.status_code < 500, response.text
    assert "error" in response.json()


def test_oversized_body_is_413(http: httpx.Client, device: Device) -> None:
    huge = b'{"device_id": "' + b"x" * (6 * 1024 * 1024) + b'"}'
    response = http.post(
        "/v1/sync/push",
        content=huge,
        headers={**device.headers, "content-type": "application/json"},
    )
    assert response.status_code == 413
    assert _error(response)["code"] == "payload_too_large"


def test_too_many_changes_is_422(http: httpx.Client, device: Device) -> None:
    batch = [
        change(n, "audit", uuid7(), {"at": PAID.isoformat(), "action": "noop", "details": {}})
        for n in range(1, 1002)
    ]
    response = push(http, device, batch)
    assert response.status_code == 422
    assert "limit of 1000" in _error(response)["message"]


def test_device_id_must_be_the_tokens_device(http: httpx.Client, device: Device) -> None:
    response = http.post(
        "/v1/sync/push",
        json={"device_id": str(uuid.uuid4()), "batch": _orders(1, 1)},
        headers=device.headers,
    )
    assert response.status_code == 403


def test_refund_of_an_unknown_order_is_refused(http: httpx.Client, device: Device) -> None:
    order_id, order = build_order(lines=[("A", "A", 1, 1000, 0)], paid_at=PAID)
    refund_id, refund = build_refund(order, created_at=PAID, order_id=order_id)
    response = push(http, device, [change(1, "refund", refund_id, refund)])
    assert response.status_code == 200
    [refused] = response.json()["refused"]
    assert (refused["code"], refused["field"]) == ("unknown_order", "data.order_id")


def test_oversized_chunked_body_without_length_is_413(http: httpx.Client, device: Device) -> None:
    def chunks() -> Any:
        yield b'{"device_id": "'
        for _ in range(7):
            yield b"x" * (1024 * 1024)
        yield b'"}'

    response = http.post(
        "/v1/sync/push",
        content=chunks(),
        headers={**device.headers, "content-type": "application/json"},
    )
    assert response.status_code == 413


def test_a_value_the_database_refuses_is_a_422_that_says_why(
    http: httpx.Client, device: Device
) -> None:
    audit = {"at": "2026-01-01T00:00:00Z", "action": "drawer\u0000open"}  # NUL: no text holds it
    response = push(http, device, [change(1, "audit", uuid7(), audit)])
    assert response.status_code == 422, response.text
    assert response.json()["error"]["message"] == (
        "a value is out of range or malformed: unsupported Unicode escape sequence"
    )
    me = http.get("/v1/devices/me", headers=device.headers)
    assert me.json()["acknowledged_seq"] == 0  # nothing of the batch was stored
