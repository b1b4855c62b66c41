"""The cashier's day at the counter, driven through the window: cash with change, a card with
its receipt on a (loopback) printer, a decline then another card, a cancel on the reader, park
and recall, and the idle lock. Cards go through the Stripe emulator over loopback."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
import stripe
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
)
from pytestqt.qtbot import QtBot

from pos_app.app import CounterServices
from pos_app.config import AppConfig
from pos_app.domain.orders import OrderStatus
from pos_app.domain.printers import PrinterConfig, PrinterRole
from pos_app.domain.staff import Permission, StaffMember, authorize
from pos_app.payments.emulator import StripeEmulator
from pos_app.services import printing
from pos_app.ui.dialogs.prompts import TextPrompt
from pos_app.ui.dialogs.refund import RefundDialog
from pos_app.ui.dialogs.staff import ConfirmDialog
from pos_app.ui.main_window import MainWindow
from pos_app.ui.screens.finish import FinishScreen
from pos_app.ui.screens.history import HistoryScreen
from pos_app.ui.screens.login import LoginScreen
from pos_app.ui.screens.pay import PayScreen
from pos_app.ui.screens.sell import SellScreen
from tests.pos_app.ui.conftest import (
    approve_override,
    click,
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
from tests.support.escpos_printer import LoopbackPrinter, decode
from tests.support.stripe_emulator_fixtures import (  # noqa: F401 - fixtures by name
    make_stripe_emulator,
    stripe_openapi_checker,
)

MakeEmulator = Callable[..., StripeEmulator]

APPROVE_CARD = "4242424242424242"
DECLINE_CARD = "4000000000000002"


@pytest.fixture
def emulator(make_stripe_emulator: MakeEmulator) -> StripeEmulator:  # noqa: F811
    return make_stripe_emulator()


@pytest.fixture
def app_config(tmp_path: Path, emulator: StripeEmulator) -> AppConfig:
    # The demo shop, but talking to a test's own emulator (cards presented by the test).
    return AppConfig(
        data_dir=tmp_path / "register",
        stripe_api_base=emulator.base_url,
        stripe_api_key=emulator.test_key,
    )


@pytest.fixture
def counter(qtbot: QtBot, window: MainWindow) -> MainWindow:
    """Signed in as Alex with a shift open and the card reader connected."""
    session = window.session
    session.start_terminal()
    qtbot.waitUntil(lambda: session.card_state.available, timeout=10_000)
    sign_in(qtbot, window, "Sam")
    open_shift(qtbot, window)
    sign_in(qtbot, window, "Alex")
    window.show_screen("sell")
    return window


def reader(window: MainWindow) -> str:
    runtime = window.session.terminal_runtime
    assert runtime is not None
    return str(runtime.reader_id)


def wait_status(qtbot: QtBot, pay: PayScreen, fragment: str) -> None:
    qtbot.waitUntil(lambda: fragment in pay.card_status.text(), timeout=10_000)


def test_cash_sale_with_change(qtbot: QtBot, counter: MainWindow) -> None:
    placed = sell_cash(qtbot, counter, [("BAK-CRO", 2), ("DRK-COL", 1)], tendered_minor=2_000)
    assert placed.totals.total_minor == 980  # 9.00 + 8.875 % tax (0.79875 → 0.80)
    assert placed.change_minor == 2_000 - 980
    finish = screen(counter, "finish", FinishScreen)
    assert finish.change.text() == "Change due: $10.20"
    assert finish.detail.text() == "Cash $20.00 (change $10.20)"


def test_card_sale_then_the_receipt_prints(
    qtbot: QtBot, counter: MainWindow, emulator: StripeEmulator
) -> None:
    session = counter.session
    front = LoopbackPrinter().start()
    services = CounterServices(session).start(sync=False)
    counter.hooks = services.hooks
    try:
        with session.register.db.write() as uow:
            printing.save_printer(
                uow,
                printer=PrinterConfig(
                    name="Front counter",
                    role=PrinterRole.RECEIPT,
                    host="127.0.0.1",
                    port=front.port,
                ),
                authorization=authorize(_owner(counter), Permission.MANAGE_SETTINGS),
            )
        ring_up(qtbot, counter, [("FOD-FRI", 1), ("DRK-COL", 1)])
        click(qtbot, counter, "PayButton")
        pay = screen(counter, "pay", PayScreen)
        tap(pay.tip_buttons[2])  # 15 % tip
        click(qtbot, counter, "ChargeCard")
        wait_status(qtbot, pay, "Waiting for the customer's card")
        emulator.present_card(reader(counter), number=APPROVE_CARD)
        qtbot.waitUntil(lambda: counter.current == "finish", timeout=15_000)
        finish = screen(counter, "finish", FinishScreen)
        card = finish.finished.placed.tenders[0] if finish.finished else None
        assert card is not None
        assert card.tip_minor > 0
        # What the card was charged, with its tip apart.
        assert finish.detail.text() == (
            f"Visa •••• 4242 {session.money(card.amount_minor + card.tip_minor)} "
            f"(tip {session.money(card.tip_minor)})"
        )
        click(qtbot, counter, "PrintReceipt")
        qtbot.waitUntil(lambda: "Receipt sent" in finish.receipt_status.text(), timeout=10_000)
        job = front.wait_for_jobs(1)[0]
        slip = decode(job)
        assert "Fries" in slip.text
        assert "Cola" in slip.text
        assert "4242" in slip.text
        assert "TIP" in slip.text.upper()
        [intent] = emulator.payment_intents.values()
        assert intent["status"] == "succeeded"
        click(qtbot, counter, "NextCustomer")
        assert counter.current == "sell"
        assert session.order.is_empty
    finally:
        services.stop()
        front.stop()


def _owner(window: MainWindow) -> StaffMember:
    with window.session.register.db.read() as uow:
        return next(m for m in uow.staff.all() if m.name == "Sam")


def test_a_decline_then_another_card(
    qtbot: QtBot, counter: MainWindow, emulator: StripeEmulator
) -> None:
    ring_up(qtbot, counter, [("FOD-SAL", 1)])
    click(qtbot, counter, "PayButton")
    pay = screen(counter, "pay", PayScreen)
    click(qtbot, counter, "ChargeCard")
    wait_status(qtbot, pay, "Waiting for the customer's card")
    emulator.present_card(reader(counter), number=DECLINE_CARD)
    wait_status(qtbot, pay, "Card declined")
    # The watch loop reports the decline as progress before its result reaches the screen;
    # "Try another card" comes on when the result does.
    qtbot.waitUntil(pay.retry_card.isEnabled, timeout=10_000)
    assert pay.payment_id is not None
    click(qtbot, counter, "RetryCard")
    wait_status(qtbot, pay, "Waiting for the customer's card")
    emulator.present_card(reader(counter), number=APPROVE_CARD)
    qtbot.waitUntil(lambda: counter.current == "finish", timeout=15_000)
    intents = list(emulator.payment_intents.values())
    assert len(intents) == 1  # the same payment took the second card
    assert intents[0]["status"] == "succeeded"


def test_cancel_on_the_reader_then_pay_cash(
    qtbot: QtBot, counter: MainWindow, emulator: StripeEmulator
) -> None:
    order = ring_up(qtbot, counter, [("COF-ESP", 2)])
    click(qtbot, counter, "PayButton")
    pay = screen(counter, "pay", PayScreen)
    click(qtbot, counter, "ChargeCard")
    wait_status(qtbot, pay, "Waiting for the customer's card")
    # Cash is refused while the card is on the reader, and its buttons say so.
    assert pay.quick_cash
    assert not any(quick.isEnabled() for quick in pay.quick_cash)
    assert not pay.take_cash.isEnabled()
    click(qtbot, counter, "CancelCard")
    wait_status(qtbot, pay, "cancelled")
    qtbot.waitUntil(lambda: all(quick.isEnabled() for quick in pay.quick_cash))
    [intent] = emulator.payment_intents.values()
    qtbot.waitUntil(lambda: emulator.payment_intents[intent["id"]]["status"] == "canceled")
    assert not pay.cancel_card.isEnabled()
    total = order.totals().total_minor
    pay.take_cash_amount(total)
    qtbot.waitUntil(lambda: counter.current == "finish", timeout=10_000)
    with counter.session.register.db.read() as uow:
        stored = uow.orders.get(order.id)
    assert stored is not None
    assert stored.status is OrderStatus.PAID
    assert [t.kind.value for t in stored.tenders] == ["cash"]


def test_park_and_recall(qtbot: QtBot, counter: MainWindow) -> None:
    session = counter.session
    ring_up(qtbot, counter, [("FOD-FRI", 2)])
    sell = screen(counter, "sell", SellScreen)
    tap(sell.park)
    prompt = wait_dialog(qtbot, TextPrompt)
    type_text(prompt.field, "Table 5")
    ok = prompt.findChild(QDialogButtonBox)
    assert ok is not None
    tap(ok.button(QDialogButtonBox.StandardButton.Ok))
    qtbot.waitUntil(lambda: session.order.is_empty, timeout=10_000)
    assert "parked" in counter.banner.text.text()
    tap(sell.recall)
    qtbot.waitUntil(lambda: _recall_dialog() is not None, timeout=10_000)
    dialog = _recall_dialog()
    assert dialog is not None
    listing = dialog.findChild(QListWidget)
    assert listing is not None
    assert "Table 5" in listing.item(0).text()
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    tap(buttons.button(QDialogButtonBox.StandardButton.Open))
    qtbot.waitUntil(lambda: not session.order.is_empty, timeout=10_000)
    assert session.order.label == "Table 5"
    assert session.order.lines[0].quantity == 2
    assert isinstance(dialog, QDialog)


def _recall_dialog() -> QDialog | None:
    for widget in QApplication.topLevelWidgets():
        if (
            isinstance(widget, QDialog)
            and widget.objectName() == "RecallDialog"
            and widget.isVisible()
        ):
            return widget
    return None


def test_idle_lock_and_unlock(qtbot: QtBot, counter: MainWindow) -> None:
    session = counter.session
    session.shop = replace(session.shop, idle_lock_seconds=1)
    ring_up(qtbot, counter, [("COF-ESP", 1)])
    counter._restart_idle()
    qtbot.waitUntil(lambda: counter.current == "login", timeout=5_000)
    assert session.staff is None
    assert not session.order.is_empty  # locking keeps the cart for whoever signs in next
    sign_in(qtbot, counter, "Alex")
    counter.show_screen("sell")
    assert counter.current == "sell"
    assert screen(counter, "login", LoginScreen) is counter.screens["login"]
    field = counter.findChild(QLineEdit, "ScanField")
    assert field is not None
    idle(qtbot, session)


def test_text_when_ready_then_order_ready_from_history(qtbot: QtBot, counter: MainWindow) -> None:
    session = counter.session
    order = ring_up(qtbot, counter, [("FOD-SAL", 1)])
    click(qtbot, counter, "PayButton")
    screen(counter, "pay", PayScreen).take_cash_amount(order.totals().total_minor)
    qtbot.waitUntil(lambda: counter.current == "finish", timeout=10_000)
    finish = screen(counter, "finish", FinishScreen)
    type_text(finish.phone_field, "+1 555 123 4567")
    click(qtbot, counter, "TextWhenReady")
    qtbot.waitUntil(lambda: "+15551234567" in finish.receipt_status.text(), timeout=10_000)
    click(qtbot, counter, "NextCustomer")
    counter.show_screen("history")
    history = counter.screens["history"]
    qtbot.waitUntil(lambda: history.select_order(order.id), timeout=10_000)  # type: ignore[attr-defined]
    ready = counter.findChild(QPushButton, "OrderReady")
    assert ready is not None
    qtbot.waitUntil(ready.isEnabled, timeout=10_000)
    tap(ready)
    idle(qtbot, session)
    with session.register.db.read() as uow:
        kinds = [
            e.payload["kind"]
            for e in uow.outbox.pending(limit=10_000)
            if e.entity == "notification"
        ]
    assert kinds == ["order_received", "order_ready"]


def test_a_split_refund_whose_card_part_stripe_refuses_tells_the_cashier_what_is_owed(
    qtbot: QtBot, counter: MainWindow, emulator: StripeEmulator, screenshots: Path
) -> None:
    session = counter.session
    order = ring_up(qtbot, counter, [("FOD-SAL", 1), ("FOD-FRI", 1)])
    total = order.totals().total_minor
    click(qtbot, counter, "PayButton")
    pay = screen(counter, "pay", PayScreen)
    pay.take_cash_amount(500)  # 5.00 in cash, the rest on the card
    click(qtbot, counter, "ChargeCard")
    wait_status(qtbot, pay, "Waiting for the customer's card")
    emulator.present_card(reader(counter), number=APPROVE_CARD)
    qtbot.waitUntil(lambda: counter.current == "finish", timeout=15_000)
    with session.register.db.read() as uow:
        stored = uow.orders.get(order.id)
    assert stored is not None
    assert stored.number is not None
    # Meanwhile someone refunds 1.00 of the card in Stripe's dashboard: the register's card
    # refund is then more than the charge has left, and Stripe refuses it.
    [intent] = emulator.payment_intents.values()
    dashboard = stripe.StripeClient(emulator.test_key, base_addresses={"api": emulator.base_url})
    dashboard.v1.refunds.create(params={"payment_intent": str(intent["id"]), "amount": 100})

    counter.show_screen("history")
    history = screen(counter, "history", HistoryScreen)
    idle(qtbot, session)
    history.clear()
    number = history.findChild(QLineEdit, "SearchNumber")
    assert number is not None
    type_text(number, str(stored.number))
    tap(history.search_button)
    qtbot.waitUntil(lambda: history.detail is not None, timeout=10_000)
    click(qtbot, history, "RefundOrder")
    dialog = wait_dialog(qtbot, RefundDialog)
    dialog.use_amount()
    type_text(dialog.amount, session.money(total))
    type_text(dialog.reason, "Salad was warm")
    click(qtbot, dialog, "ConfirmRefund")
    approve_override(qtbot, "Sam")
    qtbot.waitUntil(lambda: "still owed" in counter.banner.text.text(), timeout=15_000)
    assert "The card refund was refused" in counter.banner.text.text()
    assert "Check the payment in Stripe" in counter.banner.text.text()
    refused = session.money(total - 500)
    # The detail reloads after the refund is recorded and again once the card part is answered
    # (the banner comes with the second): wait for it to land ("Loading…" in between).
    idle(qtbot, session)
    qtbot.waitUntil(
        lambda: (
            f"card refund of {refused} refused" in history.payments.toPlainText()
            and history.detail_title.text().endswith("Partly refunded")
        ),
        timeout=10_000,
    )
    assert history.refund_button.isEnabled()  # what the card refused can be paid again
    screenshot(counter, screenshots, "history-card-refund-refused")


def _approve_part(
    qtbot: QtBot, counter: MainWindow, emulator: StripeEmulator, amount: str
) -> PayScreen:
    """Charge part of the order on the card and have the reader approve it."""
    click(qtbot, counter, "PayButton")
    pay = screen(counter, "pay", PayScreen)
    pay.card_amount.clear()
    type_text(pay.card_amount, amount)
    click(qtbot, counter, "ChargeCard")
    wait_status(qtbot, pay, "Waiting for the customer's card")
    emulator.present_card(reader(counter), number=APPROVE_CARD)
    qtbot.waitUntil(lambda: len(pay.tenders) == 1 and not pay.busy(), timeout=15_000)
    return pay


def test_back_to_the_order_after_a_partial_card_approval_asks_and_says_what_happened(
    qtbot: QtBot, counter: MainWindow, emulator: StripeEmulator, screenshots: Path
) -> None:
    session = counter.session
    order = ring_up(qtbot, counter, [("FOD-SAL", 1), ("DRK-COL", 1)])
    pay = _approve_part(qtbot, counter, emulator, "5.50")
    [intent] = emulator.payment_intents.values()
    assert (intent["status"], intent["amount"]) == ("requires_capture", 550)

    # Back to the order: the approval the customer saw is not dropped without a word.
    tap(pay.back)  # "Back to the order (Esc)"
    dialog = wait_dialog(qtbot, ConfirmDialog)
    assert dialog.objectName() == "LeavePaymentDialog"
    text = " ".join(child.text() for child in dialog.findChildren(QLabel))
    assert "Visa •••• 4242 approved $5.50." in text
    assert "Going back releases it: the customer is not charged." in text
    assert f"take the rest ({session.money(order.totals().total_minor - 550)})" in text
    screenshot(dialog, screenshots, "pay-leave-with-approval")
    dialog.reject()  # stay: the approval is kept as a tender, the rest paid in cash
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert counter.current == "pay"
    assert emulator.payment_intents[intent["id"]]["status"] == "requires_capture"
    pay.take_cash_amount(pay.due_minor())
    qtbot.waitUntil(lambda: counter.current == "finish", timeout=15_000)
    with session.register.db.read() as uow:
        paid = uow.orders.get(order.id)
    assert paid is not None
    assert paid.status is OrderStatus.PAID
    assert [(t.kind.value, t.amount_minor) for t in paid.tenders] == [
        ("card", 550),
        ("cash", order.totals().total_minor - 550),
    ]
    assert emulator.payment_intents[intent["id"]]["status"] == "succeeded"
    click(qtbot, counter, "NextCustomer")

    # Going back anyway releases the approval and tells the cashier so.
    second = ring_up(qtbot, counter, [("FOD-SAL", 1)])
    pay = _approve_part(qtbot, counter, emulator, "5.50")
    held = next(i for i in emulator.payment_intents.values() if i["id"] != intent["id"])
    tap(pay.back)  # "Back to the order (Esc)"
    dialog = wait_dialog(qtbot, ConfirmDialog)
    click(qtbot, dialog, "DialogConfirm")
    qtbot.waitUntil(lambda: counter.current == "sell", timeout=15_000)
    assert "Released $5.50 on Visa •••• 4242: the customer is not charged." in (
        counter.banner.text.text()
    )
    assert counter.banner.isVisible()  # the screen change that came with it did not hide it
    assert emulator.payment_intents[held["id"]]["status"] == "canceled"
    assert session.order.id == second.id  # the order is back on the counter, unpaid
    with session.register.db.read() as uow:
        [released] = [
            e for e in uow.audit.entries(action="payment.canceled") if e.order_id == second.id
        ]
    assert released.details["reason"] == "back to the order"


def _stock_level(counter: MainWindow, sku: str, level: int) -> None:
    with counter.session.register.db.write() as uow:
        product = uow.catalog.by_sku(sku)
        assert product is not None
        uow.catalog.adjust_stock(product.id, level - uow.catalog.stock_level(product.id))


def test_stock_is_checked_before_the_card_and_a_late_shortfall_releases_it(
    qtbot: QtBot, counter: MainWindow, emulator: StripeEmulator
) -> None:
    session = counter.session
    ring_up(qtbot, counter, [("DRK-OJ", 2)])
    _stock_level(counter, "DRK-OJ", 1)  # another till sold the rest meanwhile
    click(qtbot, counter, "PayButton")
    pay = screen(counter, "pay", PayScreen)
    click(qtbot, counter, "ChargeCard")
    qtbot.waitUntil(lambda: "Not enough stock" in counter.banner.text.text(), timeout=10_000)
    idle(qtbot, session)
    assert emulator.payment_intents == {}  # refused before anything was sent to Stripe

    # Enough stock when the card is approved, sold out before the rest is paid in cash.
    _stock_level(counter, "DRK-OJ", 2)
    pay.card_amount.clear()
    type_text(pay.card_amount, "1.00")
    click(qtbot, counter, "ChargeCard")
    wait_status(qtbot, pay, "Waiting for the customer's card")
    emulator.present_card(reader(counter), number=APPROVE_CARD)
    qtbot.waitUntil(lambda: len(pay.tenders) == 1 and not pay.busy(), timeout=15_000)
    _stock_level(counter, "DRK-OJ", 1)
    pay.take_cash_amount(pay.due_minor())
    qtbot.waitUntil(
        lambda: "The card approval was released" in counter.banner.text.text(), timeout=15_000
    )
    idle(qtbot, session)
    [intent] = emulator.payment_intents.values()
    assert intent["status"] == "canceled"
    cash = session.order.totals().total_minor - 100
    assert f"Hand back the cash taken: {session.money(cash)}." in counter.banner.text.text()
    assert pay.tenders == []  # nothing held, nothing taken: the order is payable again
    assert pay.due_minor() == session.order.totals().total_minor
    assert "Charging the card" not in pay.card_status.text()
    assert pay.back.isEnabled()
    assert pay.charge.isEnabled()


def test_a_split_refund_keeps_the_cash_to_give_back_on_screen_with_the_cards_answer(
    qtbot: QtBot, counter: MainWindow, emulator: StripeEmulator
) -> None:
    session = counter.session
    order = ring_up(qtbot, counter, [("FOD-SAL", 1), ("FOD-FRI", 1)])
    total = order.totals().total_minor
    click(qtbot, counter, "PayButton")
    pay = screen(counter, "pay", PayScreen)
    pay.take_cash_amount(500)  # 5.00 in cash, the rest on the card
    click(qtbot, counter, "ChargeCard")
    wait_status(qtbot, pay, "Waiting for the customer's card")
    emulator.present_card(reader(counter), number=APPROVE_CARD)
    qtbot.waitUntil(lambda: counter.current == "finish", timeout=15_000)
    click(qtbot, counter, "NextCustomer")

    counter.show_screen("history")
    history = screen(counter, "history", HistoryScreen)
    idle(qtbot, session)
    history.table.selectRow(0)
    qtbot.waitUntil(lambda: history.detail is not None, timeout=10_000)
    click(qtbot, history, "RefundOrder")
    dialog = wait_dialog(qtbot, RefundDialog)
    dialog.use_amount()
    type_text(dialog.amount, session.money(total))
    type_text(dialog.reason, "Salad was warm")
    click(qtbot, dialog, "ConfirmRefund")
    approve_override(qtbot, "Sam")
    qtbot.waitUntil(
        lambda: "The card refund went through." in counter.banner.text.text(), timeout=15_000
    )
    text = counter.banner.text.text()
    assert f"give {session.money(500)} back from the drawer." in text, text
    assert counter.banner.property("kind") == "instruction"  # stays until dismissed


def test_cash_saved_with_a_card_attempt_is_forgotten_once_handed_back(
    qtbot: QtBot, counter: MainWindow, emulator: StripeEmulator
) -> None:
    """The plan saved when the card started names the cash taken; going back hands that cash
    back (the dialog says so), so a later restart must not ask for it again."""
    session = counter.session
    order = ring_up(qtbot, counter, [("COF-ESP", 2)])
    click(qtbot, counter, "PayButton")
    pay = screen(counter, "pay", PayScreen)
    pay.take_cash_amount(100)
    click(qtbot, counter, "ChargeCard")
    wait_status(qtbot, pay, "Waiting for the customer's card")
    with session.register.db.read() as uow:
        plan = uow.orders.pending_tenders(order.id)
    assert plan is not None
    assert [(t["kind"], t["amount_minor"]) for t in plan["tenders"]] == [("cash", 100)]
    click(qtbot, counter, "CancelCard")
    wait_status(qtbot, pay, "cancelled")
    tap(pay.back)
    dialog = wait_dialog(qtbot, ConfirmDialog)
    click(qtbot, dialog, "DialogConfirm")
    qtbot.waitUntil(lambda: counter.current == "sell", timeout=10_000)
    idle(qtbot, session)
    # The cash to give back stays on the sell screen, not only in the dialog that was closed.
    assert f"Hand back the cash taken: {session.money(100)}." in counter.banner.text.text()
    assert counter.banner.isVisible()
    assert counter.banner.property("kind") == "instruction"
    with session.register.db.read() as uow:
        assert uow.orders.pending_tenders(order.id) is None


def test_the_keyboard_still_works_after_the_card_step_disables_the_focused_field(
    qtbot: QtBot, counter: MainWindow, emulator: StripeEmulator
) -> None:
    """The card amount has the focus, F10 charges and disables it: Esc must still reach the
    pay screen afterwards (before, the focus fell out of the screen and Esc did nothing)."""
    ring_up(qtbot, counter, [("FOD-SAL", 1), ("DRK-COL", 1)])
    click(qtbot, counter, "PayButton")
    pay = screen(counter, "pay", PayScreen)
    counter.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is counter)
    pay.card_amount.setFocus()  # the cashier clicks into it
    pay.card_amount.clear()
    type_text(pay.card_amount, "3.00")
    press(pay.card_amount, Qt.Key.Key_F10)
    wait_status(qtbot, pay, "Waiting for the customer's card")
    emulator.present_card(reader(counter), number=APPROVE_CARD)
    qtbot.waitUntil(lambda: len(pay.tenders) == 1 and not pay.busy(), timeout=15_000)

    focus = QApplication.focusWidget()
    assert focus is not None
    assert pay.isAncestorOf(focus), focus
    press(focus, Qt.Key.Key_Escape)  # "Back to the order (Esc)", by keyboard
    dialog = wait_dialog(qtbot, ConfirmDialog)
    assert dialog.objectName() == "LeavePaymentDialog"
    dialog.reject()


def test_a_full_refund_of_a_tipped_card_sale_gives_the_tip_back(
    qtbot: QtBot, counter: MainWindow, emulator: StripeEmulator, screenshots: Path
) -> None:
    """Issue 20: the finish screen shows the card's charge with its tip; the refund dialog
    offers the tip too, ticked for a full refund and not for a partial one, and the card gets
    amount plus tip back in one refund."""
    session = counter.session
    order = ring_up(qtbot, counter, [("FOD-FRI", 1), ("DRK-COL", 1)])
    total = order.totals().total_minor
    click(qtbot, counter, "PayButton")
    pay = screen(counter, "pay", PayScreen)
    tap(pay.tip_buttons[2])  # 15 %
    click(qtbot, counter, "ChargeCard")
    wait_status(qtbot, pay, "Waiting for the customer's card")
    emulator.present_card(reader(counter), number=APPROVE_CARD)
    qtbot.waitUntil(lambda: counter.current == "finish", timeout=15_000)
    finish = screen(counter, "finish", FinishScreen)
    assert finish.finished is not None
    tip = finish.finished.placed.tenders[0].tip_minor
    assert tip > 0
    money = session.money
    assert finish.detail.text() == f"Visa •••• 4242 {money(total + tip)} (tip {money(tip)})"
    screenshot(counter, screenshots, "finish-card-with-tip")
    click(qtbot, counter, "NextCustomer")

    counter.show_screen("history")
    history = screen(counter, "history", HistoryScreen)
    idle(qtbot, session)
    history.table.selectRow(0)
    qtbot.waitUntil(lambda: history.detail is not None, timeout=10_000)
    click(qtbot, history, "RefundOrder")
    dialog = wait_dialog(qtbot, RefundDialog)
    assert dialog.refund_tip.isVisibleTo(dialog)
    assert dialog.refund_tip.text() == f"Refund the tip too ({money(tip)})"
    assert not dialog.refund_tip.isChecked()  # nothing chosen yet
    dialog.use_amount()
    type_text(dialog.amount, money(total - 100))
    assert not dialog.refund_tip.isChecked()  # a partial refund keeps the tip
    assert dialog.confirm.text() == f"Refund {money(total - 100)}"
    dialog.amount.clear()
    type_text(dialog.amount, money(total))
    assert dialog.refund_tip.isChecked()  # a full refund gives it back unless cleared
    assert dialog.confirm.text() == f"Refund {money(total)} + tip {money(tip)}"
    dialog.to_cash.setChecked(True)  # a tip never comes out of the drawer
    assert not dialog.refund_tip.isEnabled()
    assert dialog.confirm.text() == f"Refund {money(total)}"
    dialog.to_cash.setChecked(False)
    type_text(dialog.reason, "Charged twice")
    screenshot(dialog, screenshots, "refund-with-tip")
    click(qtbot, dialog, "ConfirmRefund")
    approve_override(qtbot, "Sam")
    qtbot.waitUntil(
        lambda: "The card refund went through." in counter.banner.text.text(), timeout=15_000
    )
    [refund] = emulator.refunds.values()
    assert int(refund["amount"]) == total + tip
    with session.register.db.read() as uow:
        paid = uow.orders.get(order.id)
        [stored] = uow.refunds.for_order(order.id)
    assert paid is not None
    assert paid.status is OrderStatus.REFUNDED
    assert (stored.amount_minor, stored.tip_minor) == (total, tip)
    # History tells the refund's tip apart from the sale it gave back.
    qtbot.waitUntil(
        lambda: f"Refund {money(total)} + tip {money(tip)} on" in history.payments.toPlainText(),
        timeout=10_000,
    )
    shown = history.payments.toPlainText()
    # The card's part is what the card got back, tip included; the tip has its own total.
    assert f"card {money(total + tip)} incl. tip {money(tip)}" in shown
    assert f"Refunded{money(-total)}" in shown.replace("\t", "").replace("\n", "")
    assert f"Tip refunded{money(-tip)}" in shown.replace("\t", "").replace("\n", "")
    # The items table takes the panel's height before the payments do (it showed two rows).
    assert history.lines.height() > history.payments.height()
    screenshot(counter, screenshots, "history-refund-with-tip")


def test_a_decline_then_another_card_by_keyboard_alone(
    qtbot: QtBot, counter: MainWindow, emulator: StripeEmulator
) -> None:
    """F12, F10, a decline; F10 again asks for another card, and once it is approved Enter on
    the finish screen is the next customer. Every key goes where the window system sends it:
    the focus widget, or the window when nothing has the focus."""

    def key(which: Qt.Key) -> None:
        QTest.keyClick(QApplication.focusWidget() or counter, which)

    ring_up(qtbot, counter, [("FOD-SAL", 1)])
    counter.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is counter)
    key(Qt.Key.Key_F12)
    pay = screen(counter, "pay", PayScreen)
    qtbot.waitUntil(lambda: counter.current == "pay")
    key(Qt.Key.Key_F10)
    wait_status(qtbot, pay, "Waiting for the customer's card")
    emulator.present_card(reader(counter), number=DECLINE_CARD)
    qtbot.waitUntil(pay.retry_card.isEnabled, timeout=10_000)
    focus = QApplication.focusWidget()
    assert focus is not None
    assert pay.isAncestorOf(focus) or focus is pay, focus
    key(Qt.Key.Key_F10)  # another card, on the same payment
    wait_status(qtbot, pay, "Waiting for the customer's card")
    emulator.present_card(reader(counter), number=APPROVE_CARD)
    qtbot.waitUntil(lambda: counter.current == "finish", timeout=15_000)
    assert len(emulator.payment_intents) == 1
    key(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: counter.current == "sell")
