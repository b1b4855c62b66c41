"""The history service: an order's detail, the stale-screen refund guard."""

from __future__ import annotations

import pytest

from pos_app.db.database import Database
from pos_app.domain.errors import ValidationError
from pos_app.domain.orders import OrderStatus
from pos_app.domain.refunds import LineRefundRequest
from pos_app.domain.shop import Shop
from pos_app.domain.staff import Permission, StaffMember, authorize
from pos_app.services import history, refunds
from tests.support.register import open_shift, sell


def test_detail_and_refund_guard(db: Database, shop: Shop, staff: dict[str, StaffMember]) -> None:
    shift_id = open_shift(db, shop, staff["Sam"])
    placed = sell(db, shop, staff["Alex"], [("DRK-COL", 3), ("FOD-FRI", 1)])
    with db.read() as uow:
        before = history.order_detail(uow, order_id=placed.order_id)
    cola = before.order.lines[0]
    assert before.staff_name == "Alex"
    assert before.can_refund
    assert not before.can_void
    assert before.remaining_minor == placed.totals.total_minor
    assert before.refundable_units(cola) == 3
    approval = authorize(staff["Alex"], Permission.REFUND, staff["Morgan"])
    with db.write() as uow:
        refunds.record_refund(
            uow,
            order_id=placed.order_id,
            expected_refunded_minor=0,
            authorization=approval,
            reason="flat",
            lines=[LineRefundRequest(cola.id, 2)],
            shift_id=shift_id,
        )
    # The same request again (a double tap, or a second register) is refused.
    with pytest.raises(ValidationError, match="changed since it was opened"), db.write() as uow:
        refunds.record_refund(
            uow,
            order_id=placed.order_id,
            expected_refunded_minor=0,
            authorization=approval,
            reason="flat",
            lines=[LineRefundRequest(cola.id, 2)],
            shift_id=shift_id,
        )
    with db.read() as uow:
        after = history.order_detail(uow, order_id=placed.order_id)
    assert after.order.status is OrderStatus.PARTIALLY_REFUNDED
    assert after.refundable_units(cola) == 1
    [refund] = after.refunds
    assert (refund.staff_name, refund.approved_by_name, refund.reason) == ("Alex", "Morgan", "flat")
    assert refund.cash_minor == refund.amount_minor == 545
    assert after.remaining_minor == placed.totals.total_minor - 545
