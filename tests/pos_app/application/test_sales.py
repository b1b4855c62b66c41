"""Selling: ring up, pay cash or at no charge, discounts, park and recall, void, texts."""

from __future__ import annotations

import pytest

from pos_app.application.register import Register
from pos_app.application.sales import NoCharge
from pos_app.domain.errors import NotFound, PermissionDenied, ValidationError
from pos_app.domain.orders import OrderStatus
from pos_app.domain.pricing import Discount, DiscountKind
from pos_app.domain.staff import Permission, StaffMember, authorize
from pos_app.domain.tenders import TenderKind
from tests.pos_app.application.conftest import audit


def test_ring_up_takes_skus_and_barcodes_with_the_required_choices(register: Register) -> None:
    order = register.sales.ring_up([("COF-LAT", 2), ("BAK-CRO", 1)])
    assert [(line.sku, line.quantity) for line in order.lines] == [("COF-LAT", 2), ("BAK-CRO", 1)]
    assert [m.name for m in order.lines[0].modifiers] == ["Small"]  # Size is required
    with pytest.raises(NotFound):
        register.sales.ring_up([("NOPE", 1)])


def test_a_cash_sale_is_stored_paid_with_its_change_in_the_open_shift(
    register: Register, staff: dict[str, StaffMember]
) -> None:
    shift = register.shifts.open(staff["Sam"], float_minor=10_000)
    order = register.sales.ring_up([("COF-ESP", 1)])
    total = order.totals().total_minor
    placed = register.sales.sell_cash(order, staff["Alex"], tendered_minor=total + 225)
    assert placed.change_minor == 225
    with register.db.read() as uow:
        stored = uow.orders.get(placed.order_id)
        meta = uow.orders.meta(placed.order_id)
        assert meta is not None
        assert meta.shift_id == shift.id
    assert stored is not None
    assert stored.status is OrderStatus.PAID
    [tender] = stored.tenders
    assert (tender.kind, tender.amount_minor, tender.change_minor) == (TenderKind.CASH, total, 225)
    assert register.shifts.x_report().cash.cash_sales_minor == total
    short = register.sales.ring_up([("COF-ESP", 1)])
    with pytest.raises(ValidationError):
        register.sales.sell_cash(short, staff["Alex"], tendered_minor=1)


def test_no_charge_is_audited_with_the_approver_and_the_reason(
    register: Register, staff: dict[str, StaffMember]
) -> None:
    order = register.sales.ring_up([("COF-ESP", 1)])
    approval = authorize(staff["Alex"], Permission.LARGE_DISCOUNT, staff["Morgan"])
    register.sales.apply_discount(
        order, discount=Discount(DiscountKind.PERCENT, 1_000_000, "staff meal"),
        actor=staff["Alex"], approval=approval,
    )  # fmt: skip
    assert order.totals().total_minor == 0
    placed = register.sales.place(
        order, [], staff["Alex"], no_charge=NoCharge(approval, "Staff meal")
    )
    [entry] = audit(register, "order.no_charge")
    assert entry.order_id == placed.order_id
    assert entry.approved_by_id == staff["Morgan"].id
    [discount] = audit(register, "discount.order")
    assert discount.order_id == placed.order_id


def test_a_large_discount_needs_a_manager(
    register: Register, staff: dict[str, StaffMember]
) -> None:
    order = register.sales.ring_up([("COF-ESP", 1)])
    big = Discount(DiscountKind.PERCENT, 500_000, "friend")
    assert register.sales.discount_needs_approval(order.totals().total_minor, big)
    with pytest.raises(PermissionDenied):
        register.sales.apply_discount(order, discount=big, actor=staff["Alex"])
    capped = register.sales.apply_discount(
        order, discount=Discount(DiscountKind.AMOUNT, 10**6, "all"), actor=staff["Sam"]
    )
    assert capped == order.totals().subtotal_minor


def test_park_and_recall(register: Register, staff: dict[str, StaffMember]) -> None:
    order = register.sales.ring_up([("FOD-BUR", 1)])
    number = register.sales.park(order, label="Table 4", staff=staff["Alex"], shift_id=None)
    [summary] = register.sales.parked()
    assert (summary.id, summary.number, summary.label) == (order.id, number, "Table 4")
    [entry] = audit(register, "order.parked")
    assert entry.order_id == order.id
    assert entry.details == {"label": "Table 4"}
    recalled = register.sales.recall(order.id)
    assert [line.sku for line in recalled.lines] == ["FOD-BUR"]
    assert recalled.status is OrderStatus.OPEN


def test_void_of_an_unsaved_cart_stores_it_voided_and_audits_the_reason(
    register: Register, staff: dict[str, StaffMember]
) -> None:
    order = register.sales.ring_up([("COF-LAT", 1)])
    authorization = authorize(staff["Alex"], Permission.VOID, staff["Morgan"])
    assert not register.sales.holds_card_payment(order.id)
    number = register.sales.void(
        order, reason="  rang up by mistake ", authorization=authorization, shift_id=None
    )
    with register.db.read() as uow:
        stored = uow.orders.get(order.id)
    assert stored is not None
    assert stored.status is OrderStatus.VOIDED
    assert stored.number == number
    [entry] = audit(register, "order.voided")
    assert entry.order_id == order.id
    assert entry.approved_by_id == staff["Morgan"].id
    assert entry.details["reason"] == "rang up by mistake"
    with pytest.raises(ValidationError):
        register.sales.void(order, reason="", authorization=authorization, shift_id=None)


def test_text_when_ready_queues_the_message_with_consent(
    register: Register, staff: dict[str, StaffMember]
) -> None:
    register.shifts.open(staff["Sam"], float_minor=0)
    placed = register.sales.sell_cash(register.sales.ring_up([("COF-ESP", 1)]), staff["Alex"])
    register.sales.text_when_ready(placed.order_id, phone="+15551234567", locale="en_US")
    [entry] = audit(register, "notification.queued")
    assert entry.order_id == placed.order_id
    assert entry.details == {"kind": "order_received", "channel": "sms"}
    with pytest.raises(ValidationError):
        register.sales.text_when_ready(placed.order_id, phone="555", locale="en_US")


def test_scripted_cash_sale_returns_the_order_as_json(
    register: Register, staff: dict[str, StaffMember]
) -> None:
    register.shifts.ensure_open(staff["Sam"], float_minor=0)
    sold = register.sales.scripted_sale(
        staff["Sam"], [("COF-LAT", 2)], pay="cash", tendered_minor=None
    )
    assert sold["status"] == "paid"
    assert [t["kind"] for t in sold["tenders"]] == ["cash"]
    assert sold["tenders"][0]["amount_minor"] == sold["total_minor"]
    with pytest.raises(ValidationError, match="tips"):
        register.sales.scripted_sale(
            staff["Sam"], [("COF-LAT", 1)], pay="cash", tendered_minor=None, tip_minor=100
        )
