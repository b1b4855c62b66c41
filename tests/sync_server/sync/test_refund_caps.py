"""Refund caps from stored state (issue 14): a register holding a device token cannot refund
more than was paid on an order, a line or a tender, and two registers refunding the same order
at once cannot both win. Each refused refund is acknowledged without being stored, with its
reason code, and the fee base never goes below the order."""

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
from sync_server.kit.periods import period_of
from sync_server.tenants.schemas import Tenant
from tests.support.push_payloads import build_order, build_refund, change, push
from tests.support.sync_server_tenants import Device, pair_device

pytestmark = pytest.mark.postgres

PAID = datetime(2026, 3, 14, 12, 0, tzinfo=UTC)
LATER = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)


class Till:
    """One paired register pushing in sequence."""

    def __init__(self, http: httpx.Client, device: Device) -> None:
        self.http, self.device, self.seq = http, device, 0

    def push(self, *changes: tuple[str, uuid.UUID, dict[str, Any]]) -> dict[str, Any]:
        batch = []
        for entity, entity_id, data in changes:
            self.seq += 1
            batch.append(change(self.seq, entity, entity_id, data))
        response = push(self.http, self.device, batch)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        assert body["acknowledged_seq"] == self.seq
        return body


def _sale(till: Till, number: int) -> tuple[uuid.UUID, dict[str, Any]]:
    """Two lines, 2 × 5.00 and 1 × 8.64 (tax inclusive), paid 18.64 by card."""
    order_id, order = build_order(
        lines=[("TEA", "Tea", 2, 500, 100_000), ("CAKE", "Cake", 1, 864, 100_000)],
        paid_at=PAID,
        number=number,
    )
    till.push(("order", order_id, order))
    return order_id, order


def _refund(order_id: uuid.UUID, order: dict[str, Any], **changes: Any) -> dict[str, Any]:
    _, refund = build_refund(order, created_at=LATER, order_id=order_id)
    refund.update(changes)
    return refund


def _codes(body: dict[str, Any]) -> list[str]:
    """The cap each refused refund broke (`over_refund` names it first in its reason), or the
    refusal's own code when the push check refused it before any cap was weighed."""
    return [
        refused["reason"].split(":")[0] if refused["code"] == "over_refund" else refused["code"]
        for refused in body["refused"]
    ]


def _stored_refunds(admin_db: Engine, order_id: uuid.UUID) -> list[Any]:
    with admin_db.connect() as conn:
        return list(
            conn.execute(
                text("SELECT id, amount_minor FROM refunds WHERE order_id = :o"), {"o": order_id}
            )
        )


def _net(admin_db: Engine, tenant: Tenant) -> int:
    with admin_db.connect() as conn:
        (statement,) = fees.statements_for(conn, tenant, period_of(PAID, tenant.timezone))
        problems = [p for p in fees.verify(conn) if f" {tenant.slug} " in f" {p} "]
        assert problems == []
        return statement.net_minor


def test_a_refund_larger_than_its_order_is_refused(
    http: httpx.Client, device: Device, admin_db: Engine
) -> None:
    till = Till(http, device)
    order_id, order = _sale(till, 1)
    revenue = _net(admin_db, device.tenant)
    too_much = _refund(order_id, order, amount_minor=order["total_minor"] + 1)
    too_much["lines"] = []
    too_much["tax_minor"] = 0
    too_much["allocations"][0]["amount_minor"] = order["total_minor"] + 1
    body = till.push(("refund", uuid7(), too_much))
    assert _codes(body) == ["refund_exceeds_order"]
    assert _stored_refunds(admin_db, order_id) == []
    assert _net(admin_db, device.tenant) == revenue


def test_refunds_that_together_exceed_the_order_are_refused_after_the_first(
    http: httpx.Client, device: Device, admin_db: Engine
) -> None:
    till = Till(http, device)
    order_id, order = _sale(till, 2)
    before = _net(admin_db, device.tenant)
    first = _refund(order_id, order)
    first_id = uuid7()
    # The same full refund again under a new id: in one batch, and in a later push.
    body = till.push(("refund", first_id, first), ("refund", uuid7(), _refund(order_id, order)))
    assert _codes(body) == ["refund_exceeds_order"]
    body = till.push(("refund", uuid7(), _refund(order_id, order)))
    assert _codes(body) == ["refund_exceeds_order"]
    amount_only = _refund(order_id, order, lines=[], amount_minor=1, tax_minor=0)
    amount_only["allocations"][0]["amount_minor"] = 1
    assert _codes(till.push(("refund", uuid7(), amount_only))) == ["refund_exceeds_order"]
    assert [row.id for row in _stored_refunds(admin_db, order_id)] == [first_id]
    revenue = sum(line["total_minor"] - line["tax_minor"] for line in order["lines"])
    assert _net(admin_db, device.tenant) == before - revenue


def test_a_line_never_gives_back_more_units_or_money_than_were_sold(
    http: httpx.Client, device: Device
) -> None:
    till = Till(http, device)
    order_id, order = _sale(till, 3)
    tea = order["lines"][0]
    more_units = _refund(order_id, order, lines=[], amount_minor=500, tax_minor=45)
    more_units["lines"] = [
        {"line_id": tea["id"], "quantity": 3, "amount_minor": 500, "tax_minor": 45}
    ]
    more_units["allocations"][0]["amount_minor"] = 500
    assert _codes(till.push(("refund", uuid7(), more_units))) == ["refund_exceeds_line_units"]
    more_money = _refund(order_id, order, amount_minor=1001, tax_minor=45)
    more_money["lines"] = [
        {"line_id": tea["id"], "quantity": 1, "amount_minor": 1001, "tax_minor": 45}
    ]
    more_money["allocations"][0]["amount_minor"] = 1001
    assert _codes(till.push(("refund", uuid7(), more_money))) == ["refund_exceeds_line_amount"]


def test_a_tender_never_gives_back_more_than_it_took(
    http: httpx.Client, device: Device, admin_db: Engine
) -> None:
    till = Till(http, device)
    order_id, order = build_order(lines=[("TEA", "Tea", 2, 500, 100_000)], paid_at=PAID, number=4)
    card = order["tenders"][0]
    cash = {**card, "id": str(uuid7()), "kind": "cash", "card_brand": None, "card_last4": None}
    card.update(amount_minor=300, tendered_minor=300)
    cash.update(amount_minor=700, tendered_minor=700)
    order["tenders"] = [card, cash]
    till.push(("order", order_id, order))

    def amount_refund(allocations: list[tuple[str | None, str, int]]) -> dict[str, Any]:
        total = sum(amount for _, _, amount in allocations)
        refund = _refund(order_id, order, lines=[], amount_minor=total, tax_minor=0)
        refund["allocations"] = [
            {"id": str(uuid7()), "tender_id": tender, "kind": kind, "amount_minor": amount,
             "status": "succeeded", "gateway_refund_id": None}
            for tender, kind, amount in allocations
        ]  # fmt: skip
        return refund

    over_card = amount_refund([(card["id"], "card", 301)])
    assert _codes(till.push(("refund", uuid7(), over_card))) == ["refund_exceeds_tender"]
    card_on_cash = amount_refund([(cash["id"], "card", 100)])
    assert _codes(till.push(("refund", uuid7(), card_on_cash))) == ["refund_card_on_cash_tender"]
    other_order = amount_refund([(str(uuid7()), "card", 100)])
    assert _codes(till.push(("refund", uuid7(), other_order))) == ["refund_tender_not_on_order"]
    short = amount_refund([(card["id"], "card", 100)])
    short["amount_minor"] = 150
    assert _codes(till.push(("refund", uuid7(), short))) == ["refund_allocations_mismatch"]
    # Within the tenders, and the cash drawer paying out against no tender: both stored.
    fits = amount_refund([(card["id"], "card", 300), (cash["id"], "cash", 600)])
    drawer = amount_refund([(None, "cash", 100)])
    assert _codes(till.push(("refund", uuid7(), fits), ("refund", uuid7(), drawer))) == []
    assert sum(row.amount_minor for row in _stored_refunds(admin_db, order_id)) == 1000


def _tips(admin_db: Engine, order_id: uuid.UUID) -> list[tuple[int, int]]:
    """(amount, tip) of each stored refund of the order, and its allocations' tips."""
    with admin_db.connect() as conn:
        return [
            (int(row.amount_minor), int(row.tip_minor))
            for row in conn.execute(
                text(
                    "SELECT r.amount_minor, r.tip_minor FROM refunds r WHERE r.order_id = :o "
                    "AND r.tip_minor = (SELECT coalesce(sum(a.tip_minor), 0) FROM "
                    "refund_allocations a WHERE a.refund_id = r.id) ORDER BY r.created_at, r.id"
                ),
                {"o": order_id},
            )
        ]


def test_a_refund_gives_the_tip_back_without_touching_the_fee(
    http: httpx.Client, device: Device, admin_db: Engine
) -> None:
    """Issue 20: a card order of 10.00 with a 1.50 tip refunded whole, tip too. The tip goes
    back on its card, at most the tip; the fee base (product revenue) falls by the sale part
    only, exactly as for the same refunds without a tip."""
    till = Till(http, device)
    order_id, order = build_order(
        lines=[("TEA", "Tea", 2, 500, 100_000)], paid_at=PAID, number=5, tip_minor=150
    )
    till.push(("order", order_id, order))
    sold = _net(admin_db, device.tenant)

    def by_amount(amount: int, tip: int | None) -> dict[str, Any]:
        refund = _refund(order_id, order, lines=[], amount_minor=amount, tax_minor=0)
        refund["allocations"][0]["amount_minor"] = amount
        if tip is not None:
            refund["tip_minor"] = tip
            refund["allocations"][0]["tip_minor"] = tip
        return refund

    # More than the card's tip: refused (over_refund), nothing stored, the fee as it was.
    body = till.push(("refund", uuid7(), by_amount(400, 151)))
    assert _codes(body) == ["refund_exceeds_tender_tip"]
    assert body["refused"][0]["code"] == "over_refund"
    assert _stored_refunds(admin_db, order_id) == []
    # A tip the allocations do not carry, or a tip out of the cash drawer: refused as money.
    unsaid = by_amount(400, None)
    unsaid["tip_minor"] = 150
    drawer = by_amount(400, 150)
    drawer["allocations"][0].update(tender_id=None, kind="cash")
    assert _codes(till.push(("refund", uuid7(), unsaid), ("refund", uuid7(), drawer))) == [
        "money_mismatch",
        "money_mismatch",
    ]
    assert _net(admin_db, device.tenant) == sold
    # 4.00 and all of the tip, then the rest: the tip is gone, so one more cent of it is
    # refused even though the amount fits.
    assert _codes(till.push(("refund", uuid7(), by_amount(400, 150)))) == []
    assert _codes(till.push(("refund", uuid7(), by_amount(600, 1)))) == [
        "refund_exceeds_tender_tip"
    ]
    assert _codes(till.push(("refund", uuid7(), by_amount(600, 0)))) == []
    assert _tips(admin_db, order_id) == [(400, 150), (600, 0)]
    tipped_drop = sold - _net(admin_db, device.tenant)

    # The same sale without a tip, refunded the same way by a register that knows no tips
    # (no tip field at all: still valid, tip 0): the fee base moves exactly as much.
    plain_id, plain = build_order(lines=[("TEA", "Tea", 2, 500, 100_000)], paid_at=PAID, number=6)
    till.push(("order", plain_id, plain))
    before = _net(admin_db, device.tenant)
    order_id, order = plain_id, plain
    old = [by_amount(400, None), by_amount(600, None)]
    assert all("tip_minor" not in r and "tip_minor" not in r["allocations"][0] for r in old)
    assert _codes(till.push(*(("refund", uuid7(), r) for r in old))) == []
    assert _tips(admin_db, plain_id) == [(400, 0), (600, 0)]
    assert before - _net(admin_db, device.tenant) == tipped_drop
    assert tipped_drop > 0


def _refund_at_once(
    tills: list[Till], order_id: uuid.UUID, order: dict[str, Any]
) -> list[dict[str, Any]]:
    """Each till pushes its own full refund of the order, released together by a barrier."""
    barrier = threading.Barrier(len(tills))
    bodies: list[dict[str, Any]] = []

    def refund_on(till: Till) -> None:
        refund = _refund(order_id, order)
        barrier.wait()
        bodies.append(till.push(("refund", uuid7(), refund)))

    threads = [threading.Thread(target=refund_on, args=(till,)) for till in tills]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return bodies


def test_two_registers_refunding_one_order_at_once_exactly_one_wins(
    http: httpx.Client,
    device: Device,
    settings: Settings,
    live: Any,
    admin_db: Engine,
) -> None:
    first = Till(http, device)
    sales = [_sale(first, 10 + n) for n in range(8)]
    before = _net(admin_db, device.tenant)
    with httpx.Client(base_url=live.url, timeout=30) as other_http:
        second = Till(other_http, pair_device(other_http, settings, device.tenant, "Till 2"))
        for order_id, order in sales:
            bodies = _refund_at_once([first, second], order_id, order)
            assert len(bodies) == 2
            assert sorted(body["applied"] for body in bodies) == [0, 1]
            assert sorted(_codes(body) for body in bodies) == [[], ["refund_exceeds_order"]]
            assert len(_stored_refunds(admin_db, order_id)) == 1
    revenue = sum(
        line["total_minor"] - line["tax_minor"] for _, order in sales for line in order["lines"]
    )
    assert _net(admin_db, device.tenant) == before - revenue
