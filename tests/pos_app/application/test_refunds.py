"""Refunds of paid orders: recorded once, cash from the drawer, audited with the approver."""

from __future__ import annotations

import pytest

from pos_app.application.register import Register
from pos_app.domain.errors import DomainError
from pos_app.domain.refunds import LineRefundRequest
from pos_app.domain.staff import Permission, StaffMember, authorize
from tests.pos_app.application.conftest import audit


def test_a_cash_refund_of_a_line_is_recorded_once(
    register: Register, staff: dict[str, StaffMember]
) -> None:
    shift = register.shifts.open(staff["Sam"], float_minor=10_000)
    order = register.sales.ring_up([("COF-ESP", 2)])
    placed = register.sales.sell_cash(order, staff["Alex"])
    approval = authorize(staff["Alex"], Permission.REFUND, staff["Morgan"])
    refund = register.refunds.record(
        placed.order_id,
        authorization=approval,
        reason="cold",
        lines=[LineRefundRequest(order.lines[0].id, 1)],
        to_cash_drawer=True,
        shift_id=shift.id,
        expected_refunded_minor=0,
    )
    half = refund.plan.amount_minor
    assert refund.cash_minor == half
    assert order.totals().total_minor // 2 <= half <= order.totals().total_minor // 2 + 1
    assert refund.card_allocation_ids == ()
    with register.db.read() as uow:
        stored = uow.orders.get(placed.order_id)
    assert stored is not None
    assert stored.refunded_minor == half
    [entry] = audit(register, "order.refunded")
    assert entry.order_id == placed.order_id
    assert entry.approved_by_id == staff["Morgan"].id
    assert register.shifts.x_report().cash.cash_refunds_minor == half
    with pytest.raises(DomainError):  # a second tap, the screen still showing nothing refunded
        register.refunds.record(
            placed.order_id,
            authorization=approval,
            reason="cold",
            lines=[LineRefundRequest(order.lines[0].id, 1)],
            to_cash_drawer=True,
            shift_id=shift.id,
            expected_refunded_minor=0,
        )
    assert len(audit(register, "order.refunded")) == 1
