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


def test_a_refunded_tip_is_reported_apart_from_the_refunded_sales(
    register: Register, staff: dict[str, StaffMember]
) -> None:
    """Issue 20: the card charged 20.25 + 3.04 tip, refunded whole with the tip. The X report
    counts the sales refunded and the tips refunded apart; takings and tax follow the sale."""
    from pos_app.domain.tenders import TenderKind, TenderRequest
    from pos_app.services import refunds

    shift = register.shifts.open(staff["Sam"], float_minor=10_000)
    order = register.sales.ring_up([("FOD-BUR", 1)])
    total = order.totals().total_minor
    placed = register.sales.place(
        order, [TenderRequest(TenderKind.CARD, total, 304)], staff["Alex"]
    )
    recorded = register.refunds.record(
        placed.order_id,
        authorization=authorize(staff["Morgan"], Permission.REFUND),
        reason="charged twice",
        amount_minor=total,
        tip_minor=304,
        shift_id=shift.id,
    )
    with register.db.write() as uow:  # what the gateway's yes records
        refunds.settle_card_allocation(
            uow,
            allocation_id=recorded.card_allocation_ids[0],
            succeeded=True,
            gateway_refund_id="re_1",
        )
    report = register.shifts.x_report()
    assert (report.tips_minor, report.refunded_tips_minor, report.net_tips_minor) == (304, 304, 0)
    assert report.refunds_minor == total
    assert report.net_total_minor == 0
    assert report.net_tax_minor == 0
    [card] = report.refunds_by_tender
    assert (card.kind, card.amount_minor, card.tips_minor) == ("card", total, 304)
    assert "tips refunded" in report.to_text()
    assert report.to_json()["net_tips_minor"] == 0
    detail = register.history.order_detail(placed.order_id)
    assert (detail.remaining_minor, detail.tip_remaining_minor) == (0, 0)
