"""Structure: a child id (line, tender, refund allocation) already used by another parent, a
currency other than the shop's, an amount beyond any sale: the change is refused naming the
entity and id, nothing of it is stored, and `fees verify` stays clean (it used to fail, and
with it every shop's month end, when a second order reusing a line id was stored without its
lines while the ledger counted them)."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, text

from sync_server.config import Settings
from sync_server.fees import service as fees
from sync_server.kit.ids import uuid7
from tests.support.push_payloads import build_order, build_refund, change, push
from tests.support.sync_server_tenants import Device, create_tenant, pair_device

pytestmark = pytest.mark.postgres

PAID = datetime(2026, 3, 14, 12, 0, tzinfo=UTC)


def _order(**kwargs: Any) -> tuple[uuid.UUID, dict[str, Any]]:
    return build_order(lines=[("A", "Coffee", 1, 1_000, 100_000)], paid_at=PAID, **kwargs)


def _stored(admin_db: Engine, device: Device) -> dict[str, int]:
    with admin_db.connect() as conn:
        return {
            table: int(
                conn.execute(
                    text(f"SELECT count(*) FROM {table} WHERE tenant_id = :t"),
                    {"t": device.tenant.id},
                ).scalar_one()
            )
            for table in ("orders", "order_lines", "tenders", "refunds", "refund_allocations")
        }


def _verify_clean(admin_db: Engine) -> None:
    with admin_db.connect() as conn:
        assert fees.verify(conn) == []


def _refused(response: httpx.Response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    return list(response.json()["refused"])


def test_two_orders_in_one_batch_reusing_a_line_id(
    http: httpx.Client, device: Device, admin_db: Engine
) -> None:
    first_id, first = _order()
    second_id, second = _order(number=2)
    second["lines"][0]["id"] = first["lines"][0]["id"]
    response = push(
        http, device, [change(1, "order", first_id, first), change(2, "order", second_id, second)]
    )
    [refused] = _refused(response)
    line_id = first["lines"][0]["id"]
    assert (refused["seq"], refused["entity"], refused["id"]) == (2, "order", str(second_id))
    assert (refused["code"], refused["field"]) == ("id_reused", "data.lines[0].id")
    assert line_id in refused["reason"]
    assert str(first_id) in refused["reason"]
    assert response.json()["acknowledged_seq"] == 2
    assert _stored(admin_db, device) == {
        "orders": 1, "order_lines": 1, "tenders": 1, "refunds": 0, "refund_allocations": 0,
    }  # fmt: skip
    _verify_clean(admin_db)


@pytest.mark.parametrize("child", ["lines", "tenders"])
def test_a_later_order_reusing_a_stored_child_id(
    http: httpx.Client, device: Device, admin_db: Engine, child: str
) -> None:
    first_id, first = _order()
    assert _refused(push(http, device, [change(1, "order", first_id, first)])) == []
    second_id, second = _order(number=2)
    second[child][0]["id"] = first[child][0]["id"]
    [refused] = _refused(push(http, device, [change(2, "order", second_id, second)]))
    assert (refused["code"], refused["field"]) == ("id_reused", f"data.{child}[0].id")
    assert _stored(admin_db, device)["orders"] == 1
    _verify_clean(admin_db)


def test_a_refund_allocation_id_of_another_refund(
    http: httpx.Client, device: Device, admin_db: Engine
) -> None:
    order_id, order = build_order(
        lines=[("A", "A", 1, 1_000, 0), ("B", "B", 1, 2_000, 0)], paid_at=PAID
    )
    first_id, first = build_refund(order, created_at=PAID, line_indexes=[0], order_id=order_id)
    second_id, second = build_refund(order, created_at=PAID, line_indexes=[1], order_id=order_id)
    second["allocations"][0]["id"] = first["allocations"][0]["id"]
    response = push(
        http,
        device,
        [
            change(1, "order", order_id, order),
            change(2, "refund", first_id, first),
            change(3, "refund", second_id, second),
        ],
    )
    [refused] = _refused(response)
    assert (refused["entity"], refused["id"]) == ("refund", str(second_id))
    assert (refused["code"], refused["field"]) == ("id_reused", "data.allocations[0].id")
    stored = _stored(admin_db, device)
    assert (stored["refunds"], stored["refund_allocations"]) == (1, 1)
    _verify_clean(admin_db)


def test_another_currency_and_amounts_beyond_any_sale_are_refused(
    http: httpx.Client, device: Device, admin_db: Engine
) -> None:
    dollars_id, dollars = _order(currency="USD")
    huge_id, huge = build_order(lines=[("A", "Yacht", 3, 9_000_000_000, 0)], paid_at=PAID)
    product = {
        "sku": "Y", "name": "Yen item", "price_minor": 100, "currency": "JPY",
        "tax_rate_ppm": 0, "updated_at": PAID.isoformat(),
    }  # fmt: skip
    product_id = uuid7()
    response = push(
        http,
        device,
        [
            change(1, "order", dollars_id, dollars),
            change(2, "order", huge_id, huge),
            change(3, "product", product_id, product),
        ],
    )
    refused = {item["seq"]: item for item in _refused(response)}
    assert (refused[1]["code"], refused[1]["field"]) == ("currency", "data.currency")
    assert (refused[2]["code"], refused[2]["field"]) == ("out_of_range", "data.subtotal_minor")
    assert (refused[3]["code"], refused[3]["id"]) == ("currency", str(product_id))
    assert _stored(admin_db, device)["orders"] == 0
    _verify_clean(admin_db)


def test_two_registers_claiming_one_new_line_id_at_the_same_moment(
    http: httpx.Client, settings: Settings, admin_db: Engine
) -> None:
    tenant = create_tenant(settings)
    tills = [pair_device(http, settings, tenant, name) for name in ("Till 1", "Till 2")]
    line_id = str(uuid7())
    orders = []
    for number in (1, 2):
        order_id, data = _order(number=number)
        data["lines"][0]["id"] = line_id
        orders.append((order_id, data))
    barrier = threading.Barrier(2)
    answers: list[httpx.Response] = [httpx.Response(0)] * 2

    def send(index: int) -> None:
        with httpx.Client(base_url=str(http.base_url), timeout=30) as client:
            barrier.wait()
            answers[index] = push(client, tills[index], [change(1, "order", *orders[index])])

    threads = [threading.Thread(target=send, args=(index,)) for index in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # One order gets the line; the other is refused, or told to push again (409) and then
    # refused: never stored without its line.
    for index, answer in enumerate(answers):
        if answer.status_code == 409:
            answers[index] = push(http, tills[index], [change(1, "order", *orders[index])])
    codes = sorted(
        (answer.json()["applied"], [r["code"] for r in answer.json()["refused"]])
        for answer in answers
    )
    assert codes == [(0, ["id_reused"]), (1, [])]
    with admin_db.connect() as conn:
        lines = conn.execute(
            text("SELECT count(*) FROM order_lines WHERE tenant_id = :t"), {"t": tenant.id}
        ).scalar_one()
        orders_stored = conn.execute(
            text("SELECT count(*) FROM orders WHERE tenant_id = :t"), {"t": tenant.id}
        ).scalar_one()
    assert (orders_stored, lines) == (1, 1)
    _verify_clean(admin_db)
