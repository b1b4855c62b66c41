"""The refund dialog over a real paid order: it never offers more than was paid (by amount) or
sold (by item), what it asks for is what the refund service records, and a second refund of
the same order is capped by the first."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel, QPushButton, QSpinBox
from pytestqt.qtbot import QtBot

from pos_app.application.history import OrderDetail
from pos_app.domain.orders import OrderStatus
from pos_app.domain.staff import Permission, StaffMember, authorize
from pos_app.ui.dialogs.refund import RefundDialog, RefundRequest
from pos_app.ui.session import CounterSession
from tests.pos_app.ui.conftest import tap, type_text


@pytest.fixture
def manager(session: CounterSession) -> StaffMember:
    member = session.register.access.staff_by_name("Morgan")
    session.register.shifts.open(member, float_minor=50_000)
    return member


@pytest.fixture
def paid(session: CounterSession, manager: StaffMember) -> OrderDetail:
    """Two colas, a croissant and a latte (with its size), paid in cash."""
    register = session.register
    order = register.sales.ring_up([("DRK-COL", 2), ("BAK-CRO", 1), ("COF-LAT", 1)])
    placed = register.sales.sell_cash(order, manager)
    return register.history.order_detail(placed.order_id)


def refund_dialog(qtbot: QtBot, session: CounterSession, detail: OrderDetail) -> RefundDialog:
    dialog = RefundDialog(detail, session.money, "USD", "en_US")
    qtbot.addWidget(dialog)
    dialog.open()
    return dialog


def cell(dialog: RefundDialog, row: int, column: int) -> str:
    item = dialog.lines.item(row, column)
    assert item is not None
    return item.text()


def requested(dialog: RefundDialog) -> list[RefundRequest]:
    got: list[RefundRequest] = []
    dialog.sig_request.connect(got.append)
    if dialog.confirm.isEnabled():
        tap(dialog.confirm)
    return got


def record(session: CounterSession, detail: OrderDetail, request: RefundRequest) -> None:
    manager = session.register.access.staff_by_name("Morgan")
    shift = session.register.shifts.current()
    assert shift is not None
    session.register.refunds.record(
        detail.order.id,
        authorization=authorize(manager, Permission.REFUND),
        reason=request.reason,
        lines=request.lines,
        amount_minor=request.amount_minor,
        to_cash_drawer=request.to_cash_drawer,
        restock=request.restock,
        shift_id=shift.id,
        expected_refunded_minor=detail.order.refunded_minor,
    )


def test_by_amount_cannot_refund_more_than_was_paid(
    qtbot: QtBot, session: CounterSession, paid: OrderDetail
) -> None:
    total = paid.totals.total_minor
    dialog = refund_dialog(qtbot, session, paid)
    money = session.money
    assert f"Paid {money(total)}, refunded $0.00: up to {money(total)} can be refunded." in [
        text.text() for text in dialog.findChildren(QLabel)
    ]
    dialog.use_amount()
    type_text(dialog.reason, "Charged twice / overcharged")
    type_text(dialog.amount, money(total + 1).lstrip("$"))
    assert dialog.error.text() == (
        f"{money(total + 1)} is more than can be refunded ({money(total)})."
    )
    assert not dialog.confirm.isEnabled()
    assert requested(dialog) == []

    dialog.amount.clear()
    type_text(dialog.amount, "5,00")  # the other locale's way: said as it is typed
    assert dialog.error.text() == "“5,00” is not an amount here: write it like 12.50."
    assert not dialog.confirm.isEnabled()

    dialog.amount.clear()
    type_text(dialog.amount, "5")
    assert dialog.error.text() == ""
    assert dialog.confirm.text() == "Refund $5.00"
    [request] = requested(dialog)
    assert request == RefundRequest("Charged twice / overcharged", amount_minor=500)
    record(session, paid, request)

    # The same order again: only what is left can go back.
    again = session.register.history.order_detail(paid.order.id)
    assert again.remaining_minor == total - 500
    second = refund_dialog(qtbot, session, again)
    second.use_amount()
    type_text(second.reason, "Wrong item")
    type_text(second.amount, money(total).lstrip("$"))
    assert second.error.text() == (
        f"{money(total)} is more than can be refunded ({money(total - 500)})."
    )
    assert not second.confirm.isEnabled()


def test_by_item_offers_only_the_units_left_and_prices_them_as_the_service_does(
    qtbot: QtBot, session: CounterSession, paid: OrderDetail
) -> None:
    dialog = refund_dialog(qtbot, session, paid)
    lines = paid.order.lines
    names = [cell(dialog, row, 0) for row in range(dialog.lines.rowCount())]
    assert names == ["Cola", "Croissant", "Latte\n  Small"]  # modifiers under the name
    assert [s.maximum() for s in dialog.spinners] == [2, 1, 1]
    assert not dialog.confirm.isEnabled()  # nothing chosen, no reason

    dialog.spinners[0].setValue(5)  # more colas than were sold: held at two
    assert dialog.spinners[0].value() == 2
    type_text(dialog.reason, "Quality problem")
    cola = paid.totals.line(lines[0].id)
    assert dialog.confirm.text() == f"Refund {session.money(cola.total_minor)}"
    dialog.spinners[0].setValue(1)
    dialog.restock.setChecked(False)  # a flat cola goes in the bin
    [request] = requested(dialog)
    assert request.lines is not None
    assert [(r.line_id, r.quantity) for r in request.lines] == [(lines[0].id, 1)]
    assert request.restock is False
    record(session, paid, request)

    after = session.register.history.order_detail(paid.order.id)
    assert after.order.status is OrderStatus.PARTIALLY_REFUNDED
    second = refund_dialog(qtbot, session, after)
    assert [s.maximum() for s in second.spinners] == [1, 1, 1]
    assert cell(second, 0, 1) == "2 / 1"  # sold / refunded
    type_text(second.reason, "Customer changed their mind")
    everything = [
        b for b in second.findChildren(QPushButton) if b.text() == "Refund every item left"
    ]
    tap(everything[0])
    assert [s.value() for s in second.spinners] == [1, 1, 1]
    [rest] = requested(second)
    record(session, after, rest)
    done = session.register.history.order_detail(paid.order.id)
    assert done.order.status is OrderStatus.REFUNDED
    assert done.remaining_minor == 0
    assert done.order.refunded_minor == paid.totals.total_minor
    last = refund_dialog(qtbot, session, done)
    assert all(not s.isEnabled() and s.maximum() == 0 for s in last.findChildren(QSpinBox))
