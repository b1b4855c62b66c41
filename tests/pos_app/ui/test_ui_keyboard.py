"""The counter by keyboard alone: keys go where the keyboard focus is, as on a real window
system (typed into `QApplication.focusWidget()`, never into a widget the test picks)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from pos_app.ui.dialogs.override import OverrideDialog
from pos_app.ui.dialogs.prompts import DiscountDialog
from pos_app.ui.main_window import MainWindow
from pos_app.ui.screens.pay import PayScreen
from tests.pos_app.ui.conftest import find_dialog, open_shift, ring_up, screen, sign_in, wait_dialog


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def keyboard(text: str) -> None:
    """Typed on the keyboard: into whatever has the focus."""
    QTest.keyClicks(focused(), text)


def key(which: Qt.Key) -> None:
    QTest.keyClick(focused(), which)


def shown(qtbot: QtBot, dialog: QDialog) -> None:
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)


def test_the_order_discount_and_its_approval_by_keyboard_alone(
    qtbot: QtBot, window: MainWindow
) -> None:
    session = window.session
    sign_in(qtbot, window, "Sam")
    open_shift(qtbot, window)
    sign_in(qtbot, window, "Alex")  # a cashier: a discount over 10 % needs a manager
    order = ring_up(qtbot, window, [("BAK-CRO", 2)])
    subtotal = order.totals().subtotal_minor

    key(Qt.Key.Key_F6)
    discount = wait_dialog(qtbot, DiscountDialog)
    shown(qtbot, discount)
    assert focused() is discount.value  # typing right away fills in the discount
    keyboard("50")
    key(Qt.Key.Key_Tab)
    assert focused() is discount.reason
    keyboard("staff meal")
    key(Qt.Key.Key_Return)

    approval = wait_dialog(qtbot, OverrideDialog)
    shown(qtbot, approval)
    assert focused() is approval.pinpad.field
    names = [approval.approver.itemText(i) for i in range(approval.approver.count())]
    assert sorted(names) == ["Morgan", "Sam"]
    # Up/Down and a name's first letter choose who approves, without leaving the PIN field.
    start = approval.approver.currentText()
    key(Qt.Key.Key_Down)
    assert approval.approver.currentText() != start
    keyboard("m")
    assert approval.approver.currentText() == "Morgan"
    assert focused() is approval.pinpad.field

    keyboard("0000")  # a wrong PIN: refused in the dialog, which stays up
    assert approval.pinpad.field.text() == "0000"
    key(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "wrong PIN" in approval.error.text())
    assert approval.isVisible()
    assert session.order.totals().subtotal_minor == subtotal
    assert session.order.totals().total_minor == order.totals().total_minor
    assert session.order.discount is None

    qtbot.waitUntil(lambda: focused() is approval.pinpad.field)
    keyboard("2222")  # Morgan's PIN; Enter approves, the reason typed before is kept
    key(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: find_dialog(OverrideDialog) is None)
    qtbot.waitUntil(lambda: session.order.discount is not None)
    assert session.order.discount is not None
    assert session.order.discount.reason == "staff meal"
    assert session.order.totals().total_minor < subtotal


def test_enter_in_the_approval_dialog_never_cancels(qtbot: QtBot, window: MainWindow) -> None:
    sign_in(qtbot, window, "Sam")
    open_shift(qtbot, window)
    sign_in(qtbot, window, "Alex")
    ring_up(qtbot, window, [("BAK-CRO", 1)])
    key(Qt.Key.Key_F6)
    discount = wait_dialog(qtbot, DiscountDialog)
    shown(qtbot, discount)
    discount.value.setText("50")
    discount.reason.setText("loyalty")
    key(Qt.Key.Key_Return)
    approval = wait_dialog(qtbot, OverrideDialog)
    shown(qtbot, approval)
    key(Qt.Key.Key_Return)  # nothing typed yet
    QTest.keyClick(approval, Qt.Key.Key_Return)  # and with the focus anywhere in the dialog
    assert approval.isVisible()
    QTest.keyClick(approval, Qt.Key.Key_2)  # digits typed anywhere reach the PIN
    assert approval.pinpad.field.text() == "2"
    key(Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: find_dialog(OverrideDialog) is None)
    assert window.session.order.discount is None


def test_cash_typed_then_abandoned_is_not_there_on_the_next_visit(
    qtbot: QtBot, window: MainWindow
) -> None:
    sign_in(qtbot, window, "Sam")
    open_shift(qtbot, window)
    ring_up(qtbot, window, [("BAK-CRO", 1)])
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    key(Qt.Key.Key_F12)
    pay = screen(window, "pay", PayScreen)
    qtbot.waitUntil(lambda: window.current == "pay")
    assert focused() is pay.cash_field
    keyboard("1,000")
    key(Qt.Key.Key_Escape)  # back to the order without taking it
    qtbot.waitUntil(lambda: window.current == "sell")
    key(Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: window.current == "pay")
    assert pay.cash_field.text() == ""
