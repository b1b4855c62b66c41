"""The counter by keyboard alone: keys go where the keyboard focus is, as on a real window
system (typed into `QApplication.focusWidget()`, never into a widget the test picks)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot
from shiboken6 import isValid as shiboken_alive

from pos_app.ui.dialogs.override import OverrideDialog
from pos_app.ui.dialogs.prompts import DiscountDialog, ModifierDialog
from pos_app.ui.main_window import MainWindow
from pos_app.ui.screens.finish import FinishScreen
from pos_app.ui.screens.login import LoginScreen
from pos_app.ui.screens.pay import PayScreen
from pos_app.ui.screens.sell import SellScreen
from pos_app.ui.screens.shift import ShiftScreen
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


def delivered(window: MainWindow, which: Qt.Key) -> None:
    """A key as the window system delivers it: to the focus widget, or to the active window
    when nothing has the focus (never to a widget the test picks)."""
    target = QApplication.focusWidget() or QApplication.activeWindow() or window
    QTest.keyClick(target, which)


def active(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def test_the_finish_screen_keys_and_enter_in_the_email_box(
    qtbot: QtBot, window: MainWindow
) -> None:
    sign_in(qtbot, window, "Sam")
    open_shift(qtbot, window)
    ring_up(qtbot, window, [("BAK-CRO", 1)])
    active(qtbot, window)
    key(Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: window.current == "pay")
    keyboard("20")
    key(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current == "finish", timeout=10_000)
    finish = screen(window, "finish", FinishScreen)
    # The e-mail box waits to be asked for: the screen's letters are shortcuts.
    assert focused() is not finish.email_field
    key(Qt.Key.Key_E)
    assert focused() is finish.email_field
    keyboard("pat.tenney@example.com")  # P, E, N and T typed into the box are its text
    assert finish.email_field.text() == "pat.tenney@example.com"
    assert window.current == "finish"
    key(Qt.Key.Key_Return)  # Enter in the box sends the receipt (here: not set up, it says)
    assert window.current == "finish"
    assert finish.receipt_status.text() == "Email receipts are not set up on this register."
    assert focused() is not finish.email_field  # handed over: Enter is the next customer
    key(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current == "sell")


def test_screen_keys_work_wherever_the_focus_was_left(qtbot: QtBot, window: MainWindow) -> None:
    sign_in(qtbot, window, "Sam")
    open_shift(qtbot, window)
    active(qtbot, window)
    shift = screen(window, "shift", ShiftScreen)
    # F2 then F4: the shift screen's own keys work, though the focus was on the sell screen.
    delivered(window, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: window.current == "sell")
    delivered(window, Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: window.current == "shift" and shift.page() == shift.OPEN)
    delivered(window, Qt.Key.Key_F10)
    assert shift.page() == shift.COUNT
    assert focused() is next(iter(shift.cash_count.spinners.values()))
    delivered(window, Qt.Key.Key_Escape)
    assert shift.page() == shift.OPEN
    # The focus lost altogether (a step disabled or hid the focused widget): the screen's main
    # field takes it back, so a scanner's digits and Enter still add the product.
    delivered(window, Qt.Key.Key_F2)
    sell = screen(window, "sell", SellScreen)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is sell.scan)
    sell.scan.clearFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is sell.scan)
    grid = sell.grid_host.parentWidget()  # the scroll area's viewport
    assert grid is not None
    below_the_tiles = QPoint(grid.width() - 5, grid.height() - 5)
    QTest.mouseClick(grid, Qt.MouseButton.LeftButton, pos=below_the_tiles)  # an empty spot
    assert focused() is sell.scan
    QTest.keyClicks(focused(), "0012345678905")
    delivered(window, Qt.Key.Key_Return)
    assert [line.name for line in window.session.order.lines] == ["Still Water"]
    delivered(window, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: window.current == "pay")


def test_a_barcode_scanned_right_after_a_dialog_closes(qtbot: QtBot, window: MainWindow) -> None:
    sign_in(qtbot, window, "Sam")
    open_shift(qtbot, window)
    ring_up(qtbot, window, [("BAK-CRO", 1)])
    active(qtbot, window)
    key(Qt.Key.Key_F6)
    discount = wait_dialog(qtbot, DiscountDialog)
    shown(qtbot, discount)
    key(Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: find_dialog(DiscountDialog) is None)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    keyboard("0049000050103")
    key(Qt.Key.Key_Return)
    assert [line.name for line in window.session.order.lines] == ["Croissant", "Cola"]


def test_the_lock_closes_every_dialog_first(qtbot: QtBot, window: MainWindow) -> None:
    """A modifier dialog left open over the idle lock: its OK must not put a latte in the next
    person's cart. Nor may a discount and its manager approval wait for them."""
    session = window.session
    sign_in(qtbot, window, "Sam")
    open_shift(qtbot, window)
    sign_in(qtbot, window, "Alex")
    sell = screen(window, "sell", SellScreen)
    latte = session.find_code("COF-LAT")
    assert latte is not None
    sell.add_product(latte)
    choosing = wait_dialog(qtbot, ModifierDialog)
    window.idle_timer.start(1)  # the idle lock, due now
    qtbot.waitUntil(lambda: session.staff is None)
    assert find_dialog(ModifierDialog) is None
    assert not shiboken_alive(choosing) or not choosing.isVisible()
    assert not any(line.name == "Latte" for line in session.order.lines)

    sign_in(qtbot, window, "Alex")
    assert not any(line.name == "Latte" for line in session.order.lines)
    ring_up(qtbot, window, [("BAK-CRO", 1)])
    active(qtbot, window)
    key(Qt.Key.Key_F6)
    discount = wait_dialog(qtbot, DiscountDialog)
    shown(qtbot, discount)
    keyboard("50")
    key(Qt.Key.Key_Tab)
    keyboard("regular")
    key(Qt.Key.Key_Return)
    wait_dialog(qtbot, OverrideDialog)
    window.lock()  # Ctrl+L is the window's; the idle timer (or the status bar) locks too
    qtbot.waitUntil(lambda: session.staff is None)
    assert find_dialog(OverrideDialog) is None
    assert find_dialog(DiscountDialog) is None
    assert window.current == "login"
    assert session.order.discount is None


def test_ctrl_l_locks_over_a_dialog_and_closes_it(qtbot: QtBot, window: MainWindow) -> None:
    """Ctrl+L typed while a modifier dialog (or the discount dialog) has the keyboard: the
    counter locks and the dialog goes, as with the idle lock (found on a real X server: the
    key did nothing while a dialog was open)."""
    session = window.session
    sign_in(qtbot, window, "Sam")
    open_shift(qtbot, window)
    sell = screen(window, "sell", SellScreen)
    latte = session.find_code("COF-LAT")
    assert latte is not None
    sell.add_product(latte)
    choosing = wait_dialog(qtbot, ModifierDialog)
    shown(qtbot, choosing)
    assert focused().window() is choosing
    QTest.keyClick(focused(), Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: session.staff is None)
    assert find_dialog(ModifierDialog) is None
    assert window.current == "login"
    assert not any(line.name == "Latte" for line in session.order.lines)

    sign_in(qtbot, window, "Sam")
    ring_up(qtbot, window, [("BAK-CRO", 1)])
    active(qtbot, window)
    key(Qt.Key.Key_F6)
    discount = wait_dialog(qtbot, DiscountDialog)
    shown(qtbot, discount)
    QTest.keyClick(focused(), Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: session.staff is None)
    assert find_dialog(DiscountDialog) is None
    assert window.current == "login"


def test_ctrl_l_locks_from_the_sell_screen(qtbot: QtBot, window: MainWindow) -> None:
    session = window.session
    sign_in(qtbot, window, "Sam")
    open_shift(qtbot, window)
    active(qtbot, window)
    QTest.keyClick(focused(), Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: session.staff is None)
    assert window.current == "login"


def test_a_pin_typed_before_a_name_says_to_choose_the_name_first(
    qtbot: QtBot, window: MainWindow
) -> None:
    """Found on a real X server: digits typed on the lock screen with no name chosen did
    nothing, and the prompt did not say a name's first letter chooses it."""
    session = window.session
    login = screen(window, "login", LoginScreen)
    qtbot.waitUntil(lambda: window.current == "login" and bool(login.members))
    assert login.prompt.text() == "Tap your name (or type its first letter)"
    active(qtbot, window)
    keyboard("9999")
    assert login.prompt.text() == "Tap your name (or type its first letter) first"
    assert session.staff is None
    keyboard("s")  # Sam
    assert login.prompt.text() == "Sam: enter your PIN"
    keyboard("9999")
    key(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: session.staff is not None and session.staff.name == "Sam")
