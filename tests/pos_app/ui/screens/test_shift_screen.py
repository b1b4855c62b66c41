"""The shift screen driven as at the counter: open with a float, sell for cash, pay out,
count the drawer note by note, close, read the Z report."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from pos_app.domain.orders import Order
from pos_app.domain.refunds import LineRefundRequest
from pos_app.domain.shifts import denominations
from pos_app.domain.staff import Permission, authorize
from pos_app.services import checkout, refunds
from pos_app.ui.dialogs.cash_movement import CashMovementDialog
from pos_app.ui.dialogs.prompts import TextPrompt
from pos_app.ui.dialogs.staff import ConfirmDialog
from pos_app.ui.main_window import CounterHooks, MainWindow
from pos_app.ui.screens.shift import ShiftScreen
from tests.pos_app.ui.conftest import (
    approve_override,
    click,
    click_text,
    idle,
    open_shift,
    screen,
    screenshot,
    sell_cash,
    sign_in,
    type_text,
    wait_dialog,
)


def greedy_counts(amount_minor: int, currency: str) -> dict[int, int]:
    counts: dict[int, int] = {}
    for value in denominations(currency):
        counts[value], amount_minor = divmod(amount_minor, value)
    assert amount_minor == 0
    return {v: n for v, n in counts.items() if n}


def test_shift_from_float_to_z_report(qtbot: QtBot, window: MainWindow, screenshots: Path) -> None:
    session = window.session
    shift_screen = screen(window, "shift", ShiftScreen)
    sign_in(qtbot, window, "Alex")
    # No shift yet: signing in lands on the shift screen, asking for the float.
    assert window.current == "shift"
    assert shift_screen.page() == ShiftScreen.CLOSED
    screenshot(window, screenshots, "shift-closed")
    field = window.findChild(QLineEdit, "FloatField")
    assert field is not None
    type_text(field, "12.345")  # more decimals than dollars have
    click(qtbot, window, "OpenShift")
    qtbot.waitUntil(lambda: window.banner.isVisible())
    assert session.shift is None
    field.clear()
    type_text(field, "150.00")
    click(qtbot, window, "OpenShift")
    qtbot.waitUntil(lambda: session.shift is not None and window.current == "sell")
    assert session.shift is not None
    assert session.shift.opening_float_minor == 15_000

    first = sell_cash(qtbot, window, [("DRK-COL", 2), ("BAK-CRO", 1)], tendered_minor=2_000)
    second = sell_cash(qtbot, window, [("FOD-FRI", 3)])
    cash_sales = first.totals.total_minor + second.totals.total_minor

    window.show_screen("shift")
    idle(qtbot, session)
    assert shift_screen.page() == ShiftScreen.OPEN
    expected_label = window.findChild(QLabel, "ExpectedCash")
    assert expected_label is not None
    assert expected_label.text() == session.money(15_000 + cash_sales)
    meta = window.findChild(QLabel, "ShiftMeta")
    assert meta is not None
    assert "Opened by Alex" in meta.text()

    # Paid out: Alex may not, Morgan approves with her PIN.
    click(qtbot, window, "PaidOut")
    dialog = wait_dialog(qtbot, CashMovementDialog)
    type_text(dialog.amount, "20")
    click_text(qtbot, dialog, "Supplier paid in cash")
    click(qtbot, dialog, "ConfirmMovement")
    approve_override(qtbot, "Morgan")
    idle(qtbot, session)
    expected = 15_000 + cash_sales - 2_000
    qtbot.waitUntil(lambda: expected_label.text() == session.money(expected))
    screenshot(window, screenshots, "shift-open")
    with session.register.db.read() as uow:
        [entry] = uow.audit.entries(action="drawer.paid_out")
        staff = {m.name: m.id for m in uow.staff.all()}
    assert (entry.staff_id, entry.approved_by_id) == (staff["Alex"], staff["Morgan"])

    # X report mid-shift.
    click(qtbot, window, "XReport")
    idle(qtbot, session)
    assert shift_screen.page() == ShiftScreen.REPORT
    x_text = shift_screen.report_view.toPlainText()
    assert "X report" in x_text
    assert session.money(expected) in x_text
    # The paid out, negative on the report, is written the same on the screen.
    paid_out = session.money(-2_000)
    assert f"Paid out\n{paid_out}\n" in x_text
    assert shift_screen.figure_labels["paid_out"].text() == paid_out
    click(qtbot, window, "ReportDone")
    assert shift_screen.page() == ShiftScreen.OPEN

    # Count the drawer 25 cents short.
    click(qtbot, window, "CloseShift")
    idle(qtbot, session)
    assert shift_screen.page() == ShiftScreen.COUNT
    for value, how_many in greedy_counts(expected - 25, session.shop.currency).items():
        spinner = shift_screen.cash_count.spinners[value]
        spinner.selectAll()
        type_text(spinner, str(how_many))
    assert shift_screen.cash_count.total() == expected - 25
    over_short = window.findChild(QLabel, "OverShort")
    assert over_short is not None
    assert f"Short {session.money(25)}" in over_short.text()
    assert "#b00020" in over_short.text()  # red
    shift_screen.cash_count.set_count(1, shift_screen.cash_count.spinners[1].value() + 26)
    assert f"Over {session.money(1)}" in over_short.text()
    assert "#0b6b2f" in over_short.text()  # green
    shift_screen.cash_count.set_count(1, shift_screen.cash_count.spinners[1].value() - 26)
    screenshot(window, screenshots, "shift-count")

    click(qtbot, window, "ConfirmClose")
    approve_override(qtbot, "Morgan")
    qtbot.waitUntil(lambda: shift_screen.page() == ShiftScreen.REPORT)
    idle(qtbot, session)
    assert session.shift is None
    z_text = shift_screen.report_view.toPlainText()
    screenshot(window, screenshots, "shift-z-report")
    for figure in (
        "Z report",
        f"Short {session.money(25)}",
        session.money(expected - 25),  # counted
        session.money(cash_sales),  # cash sales
        session.money(-2_000),  # paid out: negative as everywhere, "-$20.00"
        "Cola",
        "Fries",
        "Alex",
        "8.875 %",
    ):
        assert figure in z_text, figure
    with session.register.db.read() as uow:
        closed = uow.shifts.latest_closed(session.shop.register_id)
    assert closed is not None
    assert closed.over_short_minor == -25
    assert closed.counted_cash_minor == expected - 25
    click(qtbot, window, "ReportDone")
    assert shift_screen.page() == ShiftScreen.CLOSED


def test_paid_in_and_no_sale_open_the_drawer_and_are_audited(
    qtbot: QtBot, window: MainWindow
) -> None:
    session = window.session
    drawer_kicks: list[bool] = []
    window.hooks = CounterHooks(open_drawer=lambda: drawer_kicks.append(True))
    sign_in(qtbot, window, "Morgan")
    open_shift(qtbot, window, "100")
    window.show_screen("shift")
    idle(qtbot, session)
    shift_screen = screen(window, "shift", ShiftScreen)
    # A manager needs no approval for either.
    click(qtbot, window, "PaidIn")
    dialog = wait_dialog(qtbot, CashMovementDialog)
    type_text(dialog.amount, "25")
    click(qtbot, dialog, "ConfirmMovement")
    assert dialog.error.text() == "Give a reason"
    click_text(qtbot, dialog, "Change from the bank")
    click(qtbot, dialog, "ConfirmMovement")
    qtbot.waitUntil(lambda: shift_screen.figure_labels["paid_in"].text() == session.money(2_500))
    assert shift_screen.expected_label.text() == session.money(12_500)
    click(qtbot, window, "NoSale")
    prompt = wait_dialog(qtbot, TextPrompt)
    click_text(qtbot, prompt, "Give change")
    qtbot.waitUntil(lambda: len(drawer_kicks) == 2)
    idle(qtbot, session)
    assert shift_screen.expected_label.text() == session.money(12_500)  # no money moved
    with session.register.db.read() as uow:
        entries = [
            (e.action, e.details) for e in uow.audit.entries() if e.action.startswith("drawer.")
        ]
    # No printer is set up in this test: the drawer job id is recorded as None.
    assert entries == [
        (
            "drawer.paid_in",
            {"amount_minor": 2_500, "reason": "Change from the bank", "drawer_job_id": None},
        ),
        ("drawer.no_sale", {"amount_minor": 0, "reason": "Give change", "drawer_job_id": None}),
    ]


def test_a_paid_out_beyond_the_drawer_is_refused_and_a_mistyped_paid_in_is_corrected(
    qtbot: QtBot, window: MainWindow, screenshots: Path
) -> None:
    session = window.session
    shift_screen = screen(window, "shift", ShiftScreen)
    sign_in(qtbot, window, "Morgan")
    open_shift(qtbot, window, "200.00")
    sign_in(qtbot, window, "Alex")
    window.show_screen("shift")
    idle(qtbot, session)
    expected_label = window.findChild(QLabel, "ExpectedCash")
    assert expected_label is not None

    # The issue: $500 paid out with $202.86 expected left the drawer at -$297.14.
    click(qtbot, window, "PaidOut")
    dialog = wait_dialog(qtbot, CashMovementDialog)
    type_text(dialog.amount, "500")
    click_text(qtbot, dialog, "Supplier paid in cash")
    click(qtbot, dialog, "ConfirmMovement")
    approve_override(qtbot, "Morgan")
    qtbot.waitUntil(lambda: "does not hold that much cash" in window.banner.text.text())
    idle(qtbot, session)
    assert expected_label.text() == session.money(20_000)
    # No entry yet: the list says what shows there, and offers nothing to correct.
    [empty] = [
        shift_screen.movements_list.item(i) for i in range(shift_screen.movements_list.count())
    ]
    assert empty.text().startswith("No paid in, paid out or no sale yet this shift.")
    assert not empty.flags() & Qt.ItemFlag.ItemIsSelectable

    # A paid in typed as 500 instead of 50, then corrected by a reversing entry.
    click(qtbot, window, "PaidIn")
    dialog = wait_dialog(qtbot, CashMovementDialog)
    type_text(dialog.amount, "500")
    click_text(qtbot, dialog, "Change from the bank")
    click(qtbot, dialog, "ConfirmMovement")
    approve_override(qtbot, "Morgan")
    qtbot.waitUntil(lambda: expected_label.text() == session.money(70_000))
    qtbot.waitUntil(lambda: shift_screen.movements_list.count() == 1)
    shift_screen.movements_list.setCurrentRow(0)
    click(qtbot, window, "CorrectMovement")
    reason = wait_dialog(qtbot, TextPrompt)
    click_text(qtbot, reason, "Wrong amount typed")
    approve_override(qtbot, "Morgan")
    qtbot.waitUntil(lambda: expected_label.text() == session.money(20_000))
    qtbot.waitUntil(lambda: shift_screen.movements_list.count() == 2)
    listed = [shift_screen.movements_list.item(i).text() for i in range(2)]
    assert "(corrected)" in listed[0]
    assert "Correction of paid in" in listed[1]
    assert session.money(-50_000) in listed[1]
    screenshot(window, screenshots, "shift-corrected")
    with session.register.db.read() as uow:
        [entry] = uow.audit.entries(action="drawer.correction")
        staff = {m.name: m.id for m in uow.staff.all()}
    assert (entry.staff_id, entry.approved_by_id) == (staff["Alex"], staff["Morgan"])

    click(qtbot, window, "XReport")
    idle(qtbot, session)
    x_text = shift_screen.report_view.toPlainText()
    assert "Corrections" in x_text
    assert session.money(20_000) in x_text
    screenshot(window, screenshots, "shift-x-report-corrections")


def test_closing_with_a_parked_order_asks_first_and_the_z_report_nets_out_refunds(
    qtbot: QtBot, window: MainWindow, screenshots: Path
) -> None:
    session = window.session
    shift_screen = screen(window, "shift", ShiftScreen)
    sign_in(qtbot, window, "Morgan")  # a manager: closing needs no one else
    open_shift(qtbot, window)
    sold = sell_cash(qtbot, window, [("DRK-COL", 2)])  # 5.00 + 0.44 tax = 5.44
    manager = session.staff
    assert manager is not None
    assert session.shift is not None
    table = Order(currency=session.shop.currency, tax_mode=session.shop.tax_mode)
    fries = session.find_code("FOD-FRI")
    assert fries is not None
    table.add_product(fries, 1)
    with session.register.db.write() as uow:
        paid = uow.orders.get(sold.order_id)
        assert paid is not None
        refund = refunds.record_refund(  # one of the two colas: 2.72, of it tax 0.22
            uow,
            order_id=sold.order_id,
            authorization=authorize(manager, Permission.REFUND),
            reason="flat",
            lines=[LineRefundRequest(paid.lines[0].id, 1)],
            shift_id=session.shift.id,
        )
        number = checkout.park_order(
            uow,
            order=table,
            label="Table 4",
            shop=session.shop,
            staff=manager,
            shift_id=session.shift.id,
        )
    assert (refund.plan.amount_minor, refund.plan.tax_minor) == (272, 22)
    window.show_screen("shift")
    idle(qtbot, session)
    # Cash refunds leave the drawer: negative, as on the X and Z reports.
    assert shift_screen.figure_labels["refunds"].text() == session.money(-272)
    click(qtbot, window, "CloseShift")
    idle(qtbot, session)
    expected = 15_000 + sold.totals.total_minor - 272
    for value, how_many in greedy_counts(expected, session.shop.currency).items():
        shift_screen.cash_count.set_count(value, how_many)
    click(qtbot, window, "ConfirmClose")
    dialog = wait_dialog(qtbot, ConfirmDialog)
    assert dialog.objectName() == "UnfinishedOrdersDialog"
    text = " ".join(child.text() for child in dialog.findChildren(QLabel))
    assert f"#{number}" in text
    assert "Table 4" in text
    screenshot(dialog, screenshots, "shift-unfinished-orders")
    assert session.shift is not None  # nothing closed yet
    click(qtbot, dialog, "DialogConfirm")
    qtbot.waitUntil(lambda: shift_screen.page() == ShiftScreen.REPORT)
    idle(qtbot, session)
    assert session.shift is None
    z_text = shift_screen.report_view.toPlainText()
    screenshot(window, screenshots, "shift-z-report-net")
    for figure in (
        "Net taken",
        session.money(544 - 272),
        "Tax owed",
        session.money(44 - 22),
        "No sales",
    ):
        assert figure in z_text, figure
    # Refunds are taken away: the total and its cash sub-row both negative, written the way
    # the receipt and the Sales tab write negatives.
    assert z_text.count(session.money(-272)) >= 2, z_text
    assert "−" not in z_text
    with session.register.db.read() as uow:
        [closed] = uow.audit.entries(action="shift.closed")
    assert closed.details["unfinished_orders"] == [number]
