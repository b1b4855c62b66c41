"""Refunds made outside the register (issue 14): a refund of one of our card orders made in
Stripe's dashboard reaches the register by the pull; the order shows it as already refunded,
so the cashier cannot give the same money back again, and when the server books it for less
(our own refund reached it first) or as failed, the register follows."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from pos_app.application.sync import SyncEngine
from pos_app.db.database import Database
from pos_app.domain.errors import ValidationError
from pos_app.domain.orders import OrderStatus
from pos_app.domain.refunds import kept_tax
from pos_app.domain.shop import Shop
from pos_app.domain.staff import Permission, StaffMember, authorize
from pos_app.domain.tenders import TenderKind, TenderRequest
from pos_app.services import checkout, refunds
from pos_app.services.checkout import PlacedOrder
from tests.support.register import open_shift, ring_up

OUTSIDE_ID = UUID("01939c3e-0000-7000-8000-000000000001")


def _card_sale(db: Database, shop: Shop, staff: dict[str, StaffMember]) -> PlacedOrder:
    shift_id = open_shift(db, shop, staff["Sam"])
    order = ring_up(db, shop, [("FOD-BUR", 2)])
    with db.write() as uow:
        return checkout.place_order(
            uow,
            order=order,
            tenders=[TenderRequest(TenderKind.CARD, order.totals().total_minor)],
            shop=shop,
            staff=staff["Alex"],
            shift_id=shift_id,
        )


def _pulled(placed: PlacedOrder, amount: int, tax: int, status: str) -> dict[str, Any]:
    """The server's booked refund as the pull carries it (`outside_refund`, the refunds row)."""
    return {
        "entity": "outside_refund",
        "id": str(OUTSIDE_ID),
        "data": {
            "id": str(OUTSIDE_ID), "order_id": str(placed.order_id), "amount_minor": amount,
            "tax_minor": tax, "status": status, "reason": "refunded outside the register",
            "device_id": "00000000-0000-0000-0000-000000000000",
        },
    }  # fmt: skip


def _apply(db: Database, change: dict[str, Any]) -> None:
    with db.write() as uow:
        SyncEngine._apply_outside_refund(uow, change)


def _refunded(db: Database, placed: PlacedOrder) -> tuple[OrderStatus, int, int, int]:
    with db.read() as uow:
        order = uow.orders.get(placed.order_id)
        assert order is not None
        (card,) = order.tenders
        return (
            order.status,
            order.refunded_minor,
            uow.orders.refunded_tax(placed.order_id),
            uow.orders.tender_refunded(placed.order_id)[card.id],
        )


def test_an_outside_refund_shows_as_already_refunded_and_caps_the_registers(
    db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> None:
    placed = _card_sale(db, shop, staff)
    total, tax = placed.totals.total_minor, placed.totals.tax_minor
    outside_tax = kept_tax(tax, 500, total)
    for _twice in range(2):  # a pull seen again counts once
        _apply(db, _pulled(placed, 500, outside_tax, "succeeded"))
    assert _refunded(db, placed) == (OrderStatus.PARTIALLY_REFUNDED, 500, outside_tax, 500)
    with db.read() as uow:
        (entry,) = uow.audit.entries(action="refund.outside")
        pushed = [e for e in uow.outbox.pending(limit=10_000) if e.entity == "refund"]
    assert entry.details["counted_minor"] == 500
    assert pushed == []  # the server's refund is not pushed back

    # The cashier cannot pay the whole order back any more: only what is left.
    with db.write() as uow, pytest.raises(ValidationError, match="more than what remains"):
        refunds.record_refund(
            uow,
            order_id=placed.order_id,
            authorization=authorize(staff["Morgan"], Permission.REFUND),
            reason="cold",
            amount_minor=total,
        )

    # The server books it for less, then as failed: the register follows.
    _apply(db, _pulled(placed, 200, kept_tax(tax, 200, total), "succeeded"))
    assert _refunded(db, placed)[1::2] == (200, 200)
    _apply(db, _pulled(placed, 200, kept_tax(tax, 200, total), "failed"))
    assert _refunded(db, placed) == (OrderStatus.PAID, 0, 0, 0)


def test_an_outside_refund_of_another_registers_order_is_ignored(db: Database) -> None:
    change = {
        "entity": "outside_refund",
        "id": str(OUTSIDE_ID),
        "data": {"order_id": str(OUTSIDE_ID), "amount_minor": 100, "tax_minor": 0,
                 "status": "succeeded"},
    }  # fmt: skip
    _apply(db, change)
    with db.read() as uow:
        assert uow.refunds.outside(OUTSIDE_ID) is None
