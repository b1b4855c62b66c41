"""A staff meal through the window: a discount bigger than the order is capped with a message,
and the order with nothing to pay completes at no charge with a reason and a manager's PIN
(it used to stop at "Due $0.00" with cash answering "'' is not an amount")."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel
from pytestqt.qtbot import QtBot

from pos_app.domain.orders import OrderStatus
from pos_app.ui.dialogs.override import OverrideDialog
from pos_app.ui.dialogs.prompts import DiscountDialog, TextPrompt
from pos_app.ui.main_window import MainWindow
from pos_app.ui.screens.pay import PayScreen
from tests.pos_app.ui.conftest import (
    approve_override,
    click,
    click_text,
    idle,
    open_shift,
    press,
    ring_up,
    screen,
    screenshot,
    sign_in,
    tap,
    type_text,
    wait_dialog,
)


def test_a_staff_meal_is_capped_with_a_message_then_completed_at_no_charge(
    qtbot: QtBot, window: MainWindow, screenshots: Path
) -> None:
    session = window.session
    sign_in(qtbot, window, "Sam")
    open_shift(qtbot, window)
    sign_in(qtbot, window, "Alex")
    order = ring_up(qtbot, window, [("BAK-CRO", 1)])
    subtotal = order.totals().subtotal_minor

    press(window, Qt.Key.Key_F6)  # the order discount
    dialog = wait_dialog(qtbot, DiscountDialog)
    dialog.amount.setChecked(True)  # the radio's indicator is too small to aim a tap at
    type_text(dialog.value, "10.00")
    type_text(dialog.reason, "staff meal")
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    tap(buttons.button(QDialogButtonBox.StandardButton.Ok))
    approve_override(qtbot, "Morgan")  # a cashier's discount above 10 % needs a manager
    qtbot.waitUntil(lambda: "capped" in window.banner.text.text())
    assert session.money(subtotal) in window.banner.text.text()
    assert session.order.totals().total_minor == 0

    click(qtbot, window, "PayButton")
    pay = screen(window, "pay", PayScreen)
    assert pay.no_charge.isVisible()
    assert not pay.cash_field.isEnabled()
    screenshot(window, screenshots, "pay-nothing-due")
    click(qtbot, pay, "NoCharge")
    reason = wait_dialog(qtbot, TextPrompt)
    click_text(qtbot, reason, "Staff meal")
    approval = wait_dialog(qtbot, OverrideDialog)
    asked = " ".join(label.text() for label in approval.findChildren(QLabel))
    assert "Complete this order at no charge (Staff meal)" in asked  # not "give this discount"
    approve_override(qtbot, "Morgan")
    qtbot.waitUntil(lambda: window.current == "finish", timeout=10_000)
    idle(qtbot, session)
    QApplication.processEvents()

    with session.register.db.read() as uow:
        stored = uow.orders.get(order.id)
        entries = uow.audit.entries(order_id=order.id)
    assert stored is not None
    assert stored.status is OrderStatus.PAID
    comped = [e for e in entries if e.action == "order.no_charge"]
    assert len(comped) == 1
    assert comped[0].details["reason"] == "Staff meal"
    assert comped[0].approved_by_id is not None
