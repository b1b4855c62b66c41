"""The history service: an order's detail, the stale-screen refund guard, shop-day ranges."""

from __future__ import annotations

from datetime import UTC, date, datetime

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


def test_day_range_follows_the_shop_clock_across_dst() -> None:
    since, until = history.day_range_utc(date(2025, 3, 9), date(2025, 3, 9), "America/New_York")
    assert since == datetime(2025, 3, 9, 5, tzinfo=UTC)
    assert until == datetime(2025, 3, 10, 4, tzinfo=UTC)  # a 23-hour day
    since, until = history.day_range_utc(date(2025, 1, 31), date(2025, 1, 1), "Asia/Kolkata")
    assert since == datetime(2024, 12, 31, 18, 30, tzinfo=UTC)
    assert until == datetime(2025, 1, 31, 18, 30, tzinfo=UTC)
    late_evening = datetime(2025, 7, 2, 3, 30, tzinfo=UTC)  # 23:30 on 1 July in New York
    assert history.start_of_day_utc(late_evening, "America/New_York") == datetime(
        2025, 7, 1, 4, tzinfo=UTC
    )
