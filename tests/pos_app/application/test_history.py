"""Order history: search and page, one order's detail, receipts and messages of past orders."""

from __future__ import annotations

from pos_app.application.register import Register
from pos_app.domain.history import HistoryFilter
from pos_app.domain.orders import OrderStatus
from pos_app.domain.staff import StaffMember
from tests.pos_app.application.conftest import audit


def test_count_page_summaries_and_detail(register: Register, staff: dict[str, StaffMember]) -> None:
    register.shifts.open(staff["Sam"], float_minor=0)
    placed = [
        register.sales.sell_cash(register.sales.ring_up([("COF-ESP", n)]), staff["Alex"])
        for n in (1, 2, 3)
    ]
    parked = register.sales.ring_up([("FOD-BUR", 1)])
    register.sales.park(parked, label="Table 2", staff=staff["Alex"], shift_id=None)
    assert register.history.count() == 4
    assert register.history.count(HistoryFilter(status=OrderStatus.PAID)) == 3
    first = register.history.page(limit=2)
    rest = register.history.page(limit=10, after=(first[-1].business_at, first[-1].id))
    assert len(first) == 2
    assert len(rest) == 2
    assert {s.id for s in first + rest} == {p.order_id for p in placed} | {parked.id}
    [summary] = register.history.summaries([placed[1].order_id])
    assert summary.number == placed[1].number
    assert summary.total_minor == placed[1].totals.total_minor
    detail = register.history.order_detail(placed[0].order_id)
    assert detail.order.status is OrderStatus.PAID
    assert detail.staff_name == "Alex"
    assert detail.held_card_payments == 0
    assert detail.can_refund


def test_receipts_and_customer_messages_of_a_past_order(
    register: Register, staff: dict[str, StaffMember]
) -> None:
    register.shifts.open(staff["Sam"], float_minor=0)
    placed = register.sales.sell_cash(register.sales.ring_up([("COF-LAT", 1)]), staff["Alex"])
    assert register.history.print_receipt(placed.order_id, shop=register.shop) is None  # no printer
    receipt = register.history.receipt(placed.order_id)
    assert receipt.order_number == placed.number
    assert register.history.tell_ready(placed.order_id) == 0  # no customer asked
    register.sales.text_when_ready(placed.order_id, phone="+15551234567", locale="en_US")
    assert register.history.tell_ready(placed.order_id) == 1  # the texts they agreed to
    register.history.email_receipt(placed.order_id, address="ana@example.com", locale="en_US")
    queued = [e.details for e in audit(register, "notification.queued")]
    assert queued == [
        {"kind": "order_received", "channel": "sms"},
        {"kind": "order_ready", "channel": "sms"},
        {"kind": "receipt", "channel": "email"},
    ]
    sold = register.history.order_json(placed.order_id)
    assert (sold["number"], sold["status"]) == (placed.number, "paid")
    assert sold["lines"][0]["sku"] == "COF-LAT"
