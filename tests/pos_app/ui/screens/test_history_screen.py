"""Order history driven as a cashier would: search a few thousand orders, look at one, void a
parked order with a manager's PIN, refund part of a cash sale, and be told when a refund is
more than what is left."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from uuid import UUID
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QLabel, QLineEdit
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from pos_app.domain.orders import Order, OrderStatus
from pos_app.ui.dialogs.override import OverrideDialog
from pos_app.ui.dialogs.prompts import TextPrompt
from pos_app.ui.dialogs.refund import RefundDialog
from pos_app.ui.main_window import MainWindow
from pos_app.ui.screens.history import HistoryScreen
from pos_app.ui.screens.sell import SellScreen
from tests.pos_app.ui.conftest import (
    approve_override,
    click,
    click_text,
    find_dialog,
    generate_history,
    idle,
    open_shift,
    press,
    ring_up,
    screen,
    screenshot,
    sell_cash,
    sign_in,
    tap,
    type_text,
    wait_dialog,
)

HISTORY_SIZE = 3_000


def search_for(qtbot: QtBot, history: HistoryScreen, field: str, text: str) -> None:
    history.clear()
    idle(qtbot, history.session)
    edit = history.findChild(QLineEdit, field)
    assert edit is not None
    type_text(edit, text)
    tap(history.search_button)
    idle(qtbot, history.session)


def read_to_the_end(qtbot: QtBot, history: HistoryScreen) -> None:
    """Scroll down until the last page is in, as a cashier flicking through the list."""
    idle(qtbot, history.session)
    while not history.model.exhausted:
        history.table.scrollToBottom()
        idle(qtbot, history.session)


def shown_numbers(history: HistoryScreen) -> list[int]:
    model = history.model
    return [int(model.data(model.index(row, model.NUMBER))) for row in range(model.rowCount())]


def test_history_model_passes_the_model_tester(
    qtbot: QtBot, window: MainWindow, qtmodeltester: ModelTester
) -> None:
    """Qt's model tester re-checks the model at every reset and page insertion."""
    session = window.session
    generate_history(session.register.db, session.shop, 250)
    history = screen(window, "history", HistoryScreen)
    model = history.model
    qtmodeltester.check(model)
    sign_in(qtbot, window, "Alex")
    window.show_screen("history")
    read_to_the_end(qtbot, history)
    assert model.rowCount() == 250
    assert model.total == 250
    history.search()  # a reset, then the pages again
    read_to_the_end(qtbot, history)
    assert model.rowCount() == 250
    assert model.data(model.index(0, model.NUMBER)) == "250"
    assert model.data(model.index(0, model.NUMBER), Qt.ItemDataRole.UserRole) is not None
    assert model.data(model.index(0, 99)) is None
    idle(qtbot, session)


def test_search_and_lazy_paging_over_thousands_of_orders(
    qtbot: QtBot, window: MainWindow, screenshots: Path
) -> None:
    session = window.session
    orders = generate_history(session.register.db, session.shop, HISTORY_SIZE)
    sign_in(qtbot, window, "Alex")
    history = screen(window, "history", HistoryScreen)
    model = history.model
    window.show_screen("history")
    idle(qtbot, session)
    # One page, not three thousand rows; the count arrives on its own.
    assert model.rowCount() == model.page_size
    assert model.total == HISTORY_SIZE
    assert history.count_label.text() == "3,000 orders"
    assert shown_numbers(history)[:3] == [3000, 2999, 2998]  # newest first
    # Scrolling to the end of the list asks for the next page, in the background.
    history.table.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() == 2 * model.page_size)
    history.table.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() == 3 * model.page_size)
    numbers = shown_numbers(history)
    assert numbers == list(range(3000, 3000 - 3 * model.page_size, -1))
    screenshot(window, screenshots, "history")
    # Away to sell and back: the list is fresh and the order being looked at stays chosen.
    history.table.selectRow(3)
    qtbot.waitUntil(lambda: history.detail is not None)
    chosen = history.selected_id()
    window.show_screen("sell")
    window.show_screen("history")
    idle(qtbot, session)
    assert history.selected_id() == chosen
    qtbot.waitUntil(lambda: history.detail is not None and history.detail.order.id == chosen)

    # By number: one order, selected and shown.
    search_for(qtbot, history, "SearchNumber", "1234")
    assert shown_numbers(history) == [1234]
    assert history.count_label.text() == "1 order"
    qtbot.waitUntil(lambda: history.detail is not None)
    assert history.detail is not None
    assert history.detail.order.number == 1234
    assert history.detail_title.text() == "Order #1234 — Paid"

    # By exact total: every order of that amount, and only those.
    target = orders[2_500].totals().total_minor
    wanted = sorted(
        (o.number for o in orders if o.totals().total_minor == target and o.number),
        reverse=True,
    )
    search_for(qtbot, history, "SearchAmount", session.money(target))
    read_to_the_end(qtbot, history)
    assert shown_numbers(history) == wanted
    assert model.total == len(wanted)

    # By the card's last 4 digits.
    search_for(qtbot, history, "SearchLast4", "1407")
    assert shown_numbers(history) == [1408]  # the 1408th order, i = 1407, paid by card
    qtbot.waitUntil(lambda: history.detail is not None)
    assert "•••• 1407" in history.payments.toPlainText()

    # By the shop's day (its own time zone), combined with the status filter.
    zone = ZoneInfo(session.shop.timezone)
    days = Counter(o.created_at.astimezone(zone).date() for o in orders)
    busy_day = sorted(days)[len(days) // 2]
    history.clear()
    idle(qtbot, session)
    qt_day = QDate(busy_day.year, busy_day.month, busy_day.day)
    history.date_from.setDate(qt_day)
    history.date_to.setDate(qt_day)
    assert history.dates.isChecked()
    history.status_combo.setCurrentIndex(history.status_combo.findData(OrderStatus.PAID.value))
    tap(history.search_button)
    idle(qtbot, session)
    assert model.total == days[busy_day]

    # A bad search says what to fix and keeps the list.
    search_for(qtbot, history, "SearchLast4", "12a")
    assert window.banner.isVisible()
    assert "last 4 digits" in window.banner.text.text()


def test_void_a_parked_order_with_a_manager_override(
    qtbot: QtBot, window: MainWindow, screenshots: Path
) -> None:
    session = window.session
    sign_in(qtbot, window, "Alex")
    window.show_screen("sell")
    ring_up(qtbot, window, [("BAK-MUF", 2), ("DRK-TEA", 1)])
    sell = screen(window, "sell", SellScreen)
    tap(sell.park)
    prompt = wait_dialog(qtbot, TextPrompt)
    type_text(prompt.field, "Table 4")
    press(prompt.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: session.order.is_empty)
    idle(qtbot, session)

    window.show_screen("history")
    history = screen(window, "history", HistoryScreen)
    idle(qtbot, session)
    history.table.selectRow(0)
    qtbot.waitUntil(lambda: history.detail is not None)
    assert history.detail is not None
    assert history.detail.order.status is OrderStatus.PARKED
    assert history.void_button.isEnabled()
    assert not history.refund_button.isEnabled()
    assert history.recall_button.isEnabled()
    assert not history.reprint_button.isEnabled()  # an unpaid order has no receipt yet
    assert "Table 4" in history.detail_meta.text()

    click(qtbot, history, "VoidOrder")
    reason = wait_dialog(qtbot, TextPrompt)
    click_text(qtbot, reason, "Rang up by mistake")
    # Alex may not void: a manager approves with her PIN. A wrong PIN first is refused, in the
    # dialog, which stays up with the reason kept for the next try.
    approve_override(qtbot, "Morgan", "0000", refused=True)
    assert history.detail.order.status is OrderStatus.PARKED
    approve_override(qtbot, "Morgan")
    qtbot.waitUntil(lambda: history.detail_title.text().endswith("Voided"))
    idle(qtbot, session)
    assert history.model.data(history.model.index(0, history.model.STATUS)) == "Voided"
    assert not history.void_button.isEnabled()
    assert "Rang up by mistake" in history.payments.toPlainText()
    screenshot(window, screenshots, "history-voided")

    with session.register.db.read() as uow:
        [entry] = uow.audit.entries(action="order.voided")
        names: dict[UUID | None, str] = {m.id: m.name for m in uow.staff.all()}
        stored = uow.orders.get(history.detail.order.id)
    assert stored is not None
    assert stored.status is OrderStatus.VOIDED
    assert names[entry.staff_id] == "Alex"
    assert entry.approved_by_id is not None
    assert names[entry.approved_by_id] == "Morgan"
    assert entry.details["reason"] == "Rang up by mistake"


def _stock(window: MainWindow, sku: str) -> int:
    with window.session.register.db.read() as uow:
        product = uow.catalog.by_sku(sku)
    assert product is not None
    return product.stock_quantity


def _open_in_history(qtbot: QtBot, window: MainWindow, number: int) -> HistoryScreen:
    window.show_screen("history")
    history = screen(window, "history", HistoryScreen)
    idle(qtbot, window.session)
    search_for(qtbot, history, "SearchNumber", str(number))
    qtbot.waitUntil(lambda: history.detail is not None)
    return history


def test_partial_refund_by_line_updates_status_and_stock(
    qtbot: QtBot, window: MainWindow, screenshots: Path
) -> None:
    session = window.session
    sign_in(qtbot, window, "Morgan")
    open_shift(qtbot, window)
    cola_before = _stock(window, "DRK-COL")
    placed = sell_cash(qtbot, window, [("DRK-COL", 3), ("BAK-CRO", 1)], tendered_minor=2_000)
    assert _stock(window, "DRK-COL") == cola_before - 3

    history = _open_in_history(qtbot, window, placed.number)
    assert history.refund_button.isEnabled()
    click(qtbot, history, "RefundOrder")
    dialog = wait_dialog(qtbot, RefundDialog)
    screenshot(dialog, screenshots, "history-refund-dialog")
    cola = dialog.spinners[0]
    assert cola.maximum() == 3
    cola.setFocus()
    press(cola, Qt.Key.Key_Up)
    press(cola, Qt.Key.Key_Up)
    assert cola.value() == 2
    assert not dialog.confirm.isEnabled()  # no reason yet
    click_text(qtbot, dialog, "Quality problem")
    assert dialog.confirm.isEnabled()
    preview = dialog.confirm.text()
    assert preview.startswith("Refund $")
    click(qtbot, dialog, "ConfirmRefund")
    qtbot.waitUntil(lambda: history.detail_title.text().endswith("Partly refunded"))
    idle(qtbot, session)
    assert find_dialog(RefundDialog) is None  # closed once the refund was recorded
    with session.register.db.read() as uow:
        [refund] = uow.refunds.for_order(placed.order_id)
    refunded = refund.amount_minor
    assert preview == f"Refund {session.money(refunded)}"  # the dialog showed what was refunded
    assert f"give {session.money(refunded)} back from the drawer" in window.banner.text.text()
    assert _stock(window, "DRK-COL") == cola_before - 3 + 2
    cola_line = history.lines.item(0, 1)
    assert cola_line is not None
    assert cola_line.text() == "Cola\n  2 refunded"
    assert cola_line.data(Qt.ItemDataRole.UserRole) == 2
    assert "Quality problem" in history.payments.toPlainText()
    assert session.money(-refunded) in history.payments.toPlainText()  # as the receipt says it
    assert history.model.data(history.model.index(0, history.model.REFUNDED)) == session.money(
        refunded
    )
    screenshot(window, screenshots, "history-refunded")
    with session.register.db.read() as uow:
        order = uow.orders.get(placed.order_id)
        shift = uow.shifts.current(session.shop.register_id)
        assert shift is not None
        drawer = uow.shifts.cash_summary(shift)
    assert order is not None
    assert order.status is OrderStatus.PARTIALLY_REFUNDED
    assert order.refunded_minor == refunded
    assert drawer.cash_refunds_minor == refunded

    # The last cola: at most one is left to refund on that line.
    click(qtbot, history, "RefundOrder")
    again = wait_dialog(qtbot, RefundDialog)
    assert again.spinners[0].maximum() == 1
    again.reject()


def test_refund_above_what_remains_is_refused_with_the_reason(
    qtbot: QtBot, window: MainWindow
) -> None:
    session = window.session
    sign_in(qtbot, window, "Alex")
    open_shift(qtbot, window)
    placed = sell_cash(qtbot, window, [("FOD-FRI", 2)])
    total = placed.totals.total_minor
    history = _open_in_history(qtbot, window, placed.number)
    click(qtbot, history, "RefundOrder")
    dialog = wait_dialog(qtbot, RefundDialog)
    tap(dialog.by_amount)
    assert session.money(total) in dialog.amount.placeholderText()
    type_text(dialog.reason, "Overcharged")
    error = dialog.findChild(QLabel, "RefundError")
    assert error is not None
    type_text(dialog.amount, "2,00")  # a comma in en_US: the parser's reason, as typed
    assert "“2,00” is not an amount here" in error.text(), error.text()
    assert not dialog.confirm.isEnabled()
    dialog.amount.clear()
    assert error.text() == ""
    # More than can be refunded: said as typed, before anyone is asked for a manager's PIN.
    type_text(dialog.amount, session.money(total + 1))
    assert error.text() == (
        f"{session.money(total + 1)} is more than can be refunded ({session.money(total)})."
    )
    assert not dialog.confirm.isEnabled()
    tap(dialog.confirm)
    assert find_dialog(OverrideDialog) is None
    assert dialog.isVisible()  # the cashier can correct the amount
    with session.register.db.read() as uow:
        assert uow.refunds.for_order(placed.order_id) == []
        order = uow.orders.get(placed.order_id)
    assert order is not None
    assert order.status is OrderStatus.PAID

    # Corrected to exactly what remains: refunded in full.
    dialog.amount.clear()
    type_text(dialog.amount, session.money(total))
    click(qtbot, dialog, "ConfirmRefund")
    approve_override(qtbot, "Sam")
    qtbot.waitUntil(lambda: history.detail_title.text().endswith("— Refunded"))
    assert not history.refund_button.isEnabled()
    with session.register.db.read() as uow:
        [entry] = uow.audit.entries(action="order.refunded")
        names: dict[UUID | None, str] = {m.id: m.name for m in uow.staff.all()}
    assert names[entry.staff_id] == "Alex"
    assert entry.approved_by_id is not None
    assert names[entry.approved_by_id] == "Sam"


def test_lines_worth_more_than_remains_are_refused_before_the_managers_pin(
    qtbot: QtBot, window: MainWindow
) -> None:
    session = window.session
    sign_in(qtbot, window, "Alex")
    open_shift(qtbot, window)
    placed = sell_cash(qtbot, window, [("FOD-FRI", 2)])
    total = placed.totals.total_minor
    history = _open_in_history(qtbot, window, placed.number)
    click(qtbot, history, "RefundOrder")
    dialog = wait_dialog(qtbot, RefundDialog)
    tap(dialog.by_amount)
    type_text(dialog.reason, "Overcharged")
    type_text(dialog.amount, session.money(total - 100))
    click(qtbot, dialog, "ConfirmRefund")
    approve_override(qtbot, "Sam")
    qtbot.waitUntil(lambda: history.detail_title.text().endswith("Partly refunded"))
    idle(qtbot, session)

    # One fries by line is worth more than the dollar left: refused in the dialog, no PIN asked.
    click(qtbot, history, "RefundOrder")
    again = wait_dialog(qtbot, RefundDialog)
    again.spinners[0].setValue(1)
    type_text(again.reason, "Cold")
    click(qtbot, again, "ConfirmRefund")
    error = again.findChild(QLabel, "RefundError")
    assert error is not None
    assert error.text().endswith(f"is more than can be refunded ({session.money(100)}).")
    assert find_dialog(OverrideDialog) is None
    assert again.isVisible()
    with session.register.db.read() as uow:
        assert len(uow.refunds.for_order(placed.order_id)) == 1


def test_recall_a_parked_order_from_history(qtbot: QtBot, window: MainWindow) -> None:
    session = window.session
    sign_in(qtbot, window, "Alex")
    ring_up(qtbot, window, [("DRK-WAT", 2)])
    screen(window, "sell", SellScreen).park_as("Sam's table")
    qtbot.waitUntil(lambda: session.order.is_empty)
    window.show_screen("history")
    history = screen(window, "history", HistoryScreen)
    idle(qtbot, session)
    history.table.selectRow(0)
    qtbot.waitUntil(lambda: history.detail is not None)
    click(qtbot, history, "RecallOrder")
    qtbot.waitUntil(lambda: not session.order.is_empty)
    assert window.current == "sell"
    recalled: Order = session.order
    assert [(line.sku, line.quantity) for line in recalled.lines] == [("DRK-WAT", 2)]
    assert recalled.label == "Sam's table"
    assert recalled.number == 1  # the same order, under its number, for the kitchen


def test_locking_the_register_closes_an_open_refund(qtbot: QtBot, window: MainWindow) -> None:
    session = window.session
    sign_in(qtbot, window, "Morgan")
    open_shift(qtbot, window)
    placed = sell_cash(qtbot, window, [("DRK-WAT", 1)])
    history = _open_in_history(qtbot, window, placed.number)
    click(qtbot, history, "RefundOrder")
    wait_dialog(qtbot, RefundDialog)
    window.lock()  # Ctrl+L, or the idle timer
    qtbot.waitUntil(lambda: find_dialog(RefundDialog) is None)
    assert window.current == "login"
    assert session.staff is None
