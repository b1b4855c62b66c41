"""The counter's state on the GUI thread: who is signed in, the open shift, the cart, the
catalog in memory, and whether cards can be taken. Screens read it and listen to its signals;
everything that touches the database or the network goes through the task runner."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtGui import QFontMetrics

from pos_app.application.card_payments import (
    CardApprovalsReleased,
    CardPayments,
    RecoveryKind,
    RecoveryNote,
)
from pos_app.application.register import Register
from pos_app.config import AppConfig
from pos_app.domain.catalog import Category, Product
from pos_app.domain.errors import DomainError, NotEnoughStock, OutOfStock, PermissionDenied
from pos_app.domain.money_text import AmountTextError
from pos_app.domain.orders import Order
from pos_app.domain.shifts import ShiftRecord
from pos_app.domain.shop import Shop
from pos_app.domain.staff import Authorization, Permission, StaffMember
from pos_app.payments import messages
from pos_app.ui.formatting import describe_amount_error, format_money
from pos_app.ui.formatting import translate_message as translate_message  # re-exported for screens
from pos_app.ui.tasks import TaskRunner

log = logging.getLogger(__name__)
T = TypeVar("T")

READER_CHECK_INTERVAL_MS = 15_000


def describe_error(error: BaseException) -> str:
    """What the cashier reads for an error that reached the UI."""
    if isinstance(error, CardApprovalsReleased) and isinstance(error.__cause__, DomainError):
        return " ".join(
            (
                describe_error(error.__cause__),
                QCoreApplication.translate(
                    "Session", "The card approval was released: the customer is not charged."
                ),
            )
        )
    if isinstance(error, NotEnoughStock):
        return QCoreApplication.translate(
            "Session", "Not enough stock for {name}: {available} left, {wanted} wanted."
        ).format(name=error.name, available=error.available, wanted=error.wanted)
    if isinstance(error, AmountTextError):
        return describe_amount_error(error)
    if isinstance(error, OutOfStock):
        return QCoreApplication.translate(
            "Session", "{name} is out of stock: {available} left, {wanted} wanted."
        ).format(name=error.name, available=error.available, wanted=error.wanted)
    if isinstance(error, PermissionDenied):
        return translate_message(str(error))
    if isinstance(error, DomainError):
        return translate_message(str(error))
    log.exception("unexpected error reached the counter", exc_info=error)
    return QCoreApplication.translate(
        "Session", "Something went wrong: {error}. The sale is safe; try again."
    ).format(error=error)


def recovery_text(note: RecoveryNote, money: Callable[[int], str]) -> str:
    """What start-up recovery did, for the person at the counter."""
    text = _recovery_what(note)
    if note.cash_minor:
        text += " " + QCoreApplication.translate(
            "Session",
            "{amount} in cash was taken for it before the restart: hand it back to the "
            "customer (the order is due in full).",
        ).format(amount=money(note.cash_minor))
    return text


def _recovery_what(note: RecoveryNote) -> str:
    texts = {
        RecoveryKind.RECORDED: QCoreApplication.translate(
            "Session",
            "Order #{number}: the card payment taken before the restart is recorded; "
            "the order is paid.",
        ),
        RecoveryKind.ALREADY_RECORDED: QCoreApplication.translate(
            "Session", "Order #{number}: its card payment was already recorded."
        ),
        RecoveryKind.FOUND_CAPTURED: QCoreApplication.translate(
            "Session",
            "Order #{number}: Stripe shows its card payment as charged. Check it in History.",
        ),
        RecoveryKind.RELEASED: QCoreApplication.translate(
            "Session",
            "Order #{number}: its card payment was not finished before the restart and was "
            "released; the customer was not charged. It is parked: recall it to take "
            "payment, or void it.",
        ),
        RecoveryKind.LAPSED: QCoreApplication.translate(
            "Session",
            "Order #{number}: the card approval lapsed before the restart; the customer was "
            "not charged. It is parked: recall it to take payment, or void it.",
        ),
        RecoveryKind.NEVER_STARTED: QCoreApplication.translate(
            "Session",
            "Order #{number}: its card payment never started. It is parked: recall it to take "
            "payment, or void it.",
        ),
        RecoveryKind.GONE: QCoreApplication.translate(
            "Session",
            "Order #{number}: the demo card reader restarted with the register; the card was "
            "not charged. It is parked: recall it to take payment, or void it.",
        ),
        RecoveryKind.LEFT_FOR_LATER: QCoreApplication.translate(
            "Session",
            "Order #{number}: Stripe could not be reached to settle its card payment; it is "
            "tried again at the next start. Do not charge the card again.",
        ),
        RecoveryKind.PARKED: QCoreApplication.translate(
            "Session",
            "Order #{number} was left unpaid by a restart. It is parked: recall it to take "
            "payment, or void it.",
        ),
    }
    if note.kind is RecoveryKind.REFUND:
        return translate_message(note.detail)
    return texts[note.kind].format(number=note.order_number)


@dataclass(frozen=True)
class CardState:
    available: bool
    text: str
    """Reader label when ready, or why cards cannot be taken."""
    reader_online: bool | None = None
    busy: bool = False
    connecting: bool = False
    """Still starting up: not a problem to report, just not ready yet."""
    cash_only: bool = False
    """No Stripe key was ever saved (cash only, by choice): not a problem either."""


def card_status_text(card: CardState) -> str:
    """The card part of the status bar (its full text: `elide_words` fits it)."""
    if card.connecting or card.cash_only:
        return card.text  # starting up, or cash only: nothing is wrong
    if card.available:
        return QCoreApplication.translate("Session", "Card reader: {reader}").format(
            reader=card.text
        )
    return QCoreApplication.translate("Session", "Cards off: {reason}").format(reason=card.text)


def elide_words(text: str, metrics: QFontMetrics, width: int) -> str:
    """`text` if it fits in `width` pixels, else as many whole words as fit, then "…"."""
    if metrics.horizontalAdvance(text) <= width:
        return text
    words = text.split()
    while words:
        words.pop()
        candidate = " ".join(words).rstrip(",:;·—-") + "…"
        if metrics.horizontalAdvance(candidate) <= width:
            return candidate
    return "…"


class CounterSession(QObject):
    sig_staff_changed = Signal()
    """Someone signed in or out."""
    sig_order_changed = Signal()
    """The cart changed (lines, discounts, a new order)."""
    sig_shift_changed = Signal()
    sig_catalog_changed = Signal()
    sig_card_changed = Signal()
    """Card availability or the reader's state changed."""
    sig_message = Signal(str, str)
    """(text, kind) for the banner: kind is "error", "info" or "instruction" (an info that
    stays until dismissed)."""
    sig_card_progress = Signal(str)
    """Progress of the card payment on the reader, from the network thread."""
    sig_sale_completed = Signal(object)
    """The id of an order just paid (sync and printing wake up for it)."""
    sig_outbox_changed = Signal()
    """Something was queued for the server (a customer message): sync may push it now."""

    def __init__(
        self, register: Register, runner: TaskRunner, config: AppConfig, locale_name: str
    ) -> None:
        super().__init__()
        self.register = register
        self.shop = register.shop
        self.runner = runner
        self.config = config
        self.locale_name = locale_name
        self.staff: StaffMember | None = None
        self.shift: ShiftRecord | None = None
        self.order = self.new_order()
        self.categories: list[Category] = []
        self.products: list[Product] = []
        self._by_code: dict[str, Product] = {}
        self.card: CardPayments | None = None
        self.terminal_runtime: Any = None
        self.card_state = CardState(
            False,
            QCoreApplication.translate("Session", "Connecting to the card reader…"),
            connecting=True,
        )
        self._reader_timer = QTimer(self)
        self._reader_timer.setInterval(READER_CHECK_INTERVAL_MS)
        self._reader_timer.timeout.connect(self.check_reader)
        self._display_timer = QTimer(self)
        self._display_timer.setSingleShot(True)
        self._display_timer.setInterval(500)
        self._display_timer.timeout.connect(self._push_display)
        # Tiles and the stock rule read the catalog in memory: a sale takes stock, so it is
        # read again (one query) and a product that just sold out shows as such.
        self.sig_sale_completed.connect(self._stock_changed)

    # --- helpers ----------------------------------------------------------------------------

    def set_shop(self, shop: Shop) -> None:
        """The shop's settings changed (saved already): the counter uses them from now on."""
        self.shop = shop
        self.register.shop = shop

    def receipt_shop(self) -> Shop:
        """The shop as this register's receipts show it: in the register's locale (POS_LOCALE,
        else the shop's), like its screens and its e-mailed receipts, so the paper says the
        amount the customer saw on the screen, written the same way."""
        return replace(self.shop, locale=self.locale_name)

    def money(self, amount_minor: int) -> str:
        return format_money(amount_minor, self.shop.currency, self.locale_name)

    def error(self, error: BaseException | str) -> None:
        text = error if isinstance(error, str) else describe_error(error)
        self.sig_message.emit(text, "error")

    def info(self, text: str) -> None:
        self.sig_message.emit(text, "info")

    def instruct(self, text: str) -> None:
        """Information the cashier must act on (cash to give back): shown until dismissed."""
        self.sig_message.emit(text, "instruction")

    def db(
        self,
        fn: Callable[[], T],
        on_success: Callable[[T], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> None:
        self.runner.run_db(fn, on_success, on_failure or self.error)

    def net(
        self,
        fn: Callable[[], T],
        on_success: Callable[[T], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> None:
        self.runner.run_net(fn, on_success, on_failure or self.error)

    def new_order(self) -> Order:
        return Order(currency=self.shop.currency, tax_mode=self.shop.tax_mode)

    def can(self, permission: Permission) -> bool:
        return self.staff is not None and self.staff.can(permission)

    # --- loading ----------------------------------------------------------------------------

    def load(self, on_loaded: Callable[[], None] | None = None) -> None:
        """Catalog and shift into memory, on the database thread."""

        def fetch() -> tuple[list[Category], list[Product], ShiftRecord | None]:
            categories, products = self.register.sales.menu()
            return categories, products, self.register.shifts.current()

        def loaded(result: tuple[list[Category], list[Product], ShiftRecord | None]) -> None:
            categories, products, shift = result
            self.set_catalog(categories, products)
            self.shift = shift
            self.sig_shift_changed.emit()
            if on_loaded:
                on_loaded()

        self.db(fetch, loaded)

    def set_catalog(self, categories: list[Category], products: list[Product]) -> None:
        self.categories = categories
        self.products = products
        self._by_code = {}
        for product in products:
            self._by_code[product.sku.casefold()] = product
            if product.barcode:
                self._by_code[product.barcode] = product
        self.sig_catalog_changed.emit()

    def reload_catalog(self) -> None:
        self.db(self.register.sales.menu, lambda result: self.set_catalog(*result))

    def _stock_changed(self, _order_id: object) -> None:
        self.reload_catalog()

    def find_code(self, code: str) -> Product | None:
        code = code.strip()
        return self._by_code.get(code) or self._by_code.get(code.casefold())

    def refresh_shift(self) -> None:
        def done(shift: ShiftRecord | None) -> None:
            self.shift = shift
            self.sig_shift_changed.emit()

        self.db(self.register.shifts.current, done)

    # --- people ----------------------------------------------------------------------------

    def sign_in(self, member: StaffMember) -> None:
        self.staff = member
        self.sig_staff_changed.emit()

    def sign_out(self) -> None:
        self.staff = None
        self.sig_staff_changed.emit()

    # --- the cart ---------------------------------------------------------------------------

    def replace_order(self, order: Order | None = None) -> None:
        self.order = order or self.new_order()
        self.order_changed()

    def order_changed(self) -> None:
        self.sig_order_changed.emit()
        self._schedule_display()

    def _schedule_display(self) -> None:
        """Mirror the cart on the reader's screen, at most every half second, off the GUI."""
        if self.card is None or self._display_timer.isActive() or self.card_state.busy:
            return
        self._display_timer.start()

    def _push_display(self) -> None:
        card = self.card
        if card is None or self.order.is_empty or self.card_state.busy:
            return
        snapshot = self.order.clone()
        self.runner.run_net(
            lambda: card.show_cart(snapshot),
            None,
            lambda error: log.info("reader display not updated: %s", error),
        )

    # --- voids ------------------------------------------------------------------------------

    def void_order(
        self,
        order: Order,
        *,
        reason: str,
        authorization: Authorization,
        on_voided: Callable[[int], None],
        holds_card: bool | None = None,
    ) -> None:
        """Void `order` (the cart, or one from the history): on the database worker, unless a
        card payment of it may hold money on the customer's card and the reader is connected:
        then the hold is released first, a network call, on the network pool. `holds_card`:
        whether it does, when the caller knows; else it is looked up (with a reader only)."""
        card = self.card
        shift_id = self.shift.id if self.shift else None
        order = order.clone()

        def void_here() -> int:
            return self.register.sales.void(
                order, reason=reason, authorization=authorization, shift_id=shift_id
            )

        def void(holds: bool) -> None:
            if holds and card is not None:
                self.net(
                    lambda: self.register.cards.void(
                        card,
                        order,
                        reason=reason,
                        authorization=authorization,
                        shift_id=shift_id,
                    ),
                    on_voided,
                )
            else:
                self.db(void_here, on_voided)

        if holds_card is None and card is not None:
            self.db(lambda: self.register.sales.holds_card_payment(order.id), void)
        else:
            void(bool(holds_card))

    # --- the card reader ----------------------------------------------------------------------

    def start_terminal(self) -> None:
        from pos_app.application.card_payments import connect_terminal
        from pos_app.payments.runtime import CardsNotSetUp, CardUnavailable, TerminalRuntime

        def connect() -> tuple[TerminalRuntime, CardPayments, list[RecoveryNote]]:
            runtime = connect_terminal(self.config, self.register.db, self.shop)
            card = CardPayments(
                self.register.db,
                runtime.terminal,
                shop=self.shop,
                reader_id=runtime.reader_id,
                ephemeral_gateway=runtime.emulator is not None,
            )
            return runtime, card, card.recover_notes()

        def connected(result: tuple[TerminalRuntime, CardPayments, list[RecoveryNote]]) -> None:
            runtime, card, notes = result
            self.terminal_runtime = runtime
            self.card = card
            self.card_state = CardState(True, runtime.reader_label, True)
            self.sig_card_changed.emit()
            self._reader_timer.start()
            for note in notes:
                log.info("recovery: %s", note)
                text = recovery_text(note, self.money)
                if note.kind is RecoveryKind.LEFT_FOR_LATER:
                    self.error(text)
                elif note.cash_minor:
                    self.instruct(text)  # cash to hand back: up until dismissed
                else:
                    self.info(text)

        def failed(error: BaseException) -> None:
            if isinstance(error, CardsNotSetUp):
                self.card_state = CardState(
                    False, QCoreApplication.translate("Session", "Cash only"), cash_only=True
                )
                self.sig_card_changed.emit()
                return
            reason = str(error) if isinstance(error, CardUnavailable) else describe_error(error)
            self.card_state = CardState(False, reason)
            self.sig_card_changed.emit()

        self.runner.run_net(connect, connected, failed)

    def check_reader(self) -> None:
        runtime = self.terminal_runtime
        if runtime is None or self.card_state.busy:
            return
        from pos_app.payments.terminal import ReaderActionStatus, TerminalError

        def check() -> Any:
            return runtime.terminal.reader_state(runtime.reader_id)

        def checked(state: Any) -> None:
            if not state.online:
                self.card_state = CardState(
                    False,
                    translate_message(messages.TERMINAL_MESSAGES["terminal_reader_offline"]),
                    False,
                )
            else:
                busy = state.action_status is ReaderActionStatus.IN_PROGRESS and (
                    state.action_type == "process_payment_intent"
                )
                self.card_state = CardState(True, runtime.reader_label, True, busy=False)
                if busy:
                    self.card_state = CardState(
                        True,
                        QCoreApplication.translate("Session", "{reader} (busy)").format(
                            reader=runtime.reader_label
                        ),
                        True,
                    )
            self.sig_card_changed.emit()

        def failed(error: BaseException) -> None:
            if isinstance(error, TerminalError) and error.outcome_unknown:
                self.card_state = CardState(False, translate_message(messages.NETWORK_MESSAGE))
            else:
                self.card_state = CardState(False, describe_error(error))
            self.sig_card_changed.emit()

        self.runner.run_net(check, checked, failed)

    def card_busy(self, busy: bool) -> None:
        self.card_state = replace(self.card_state, busy=busy)
        self.sig_card_changed.emit()

    def shutdown(self) -> None:
        self._reader_timer.stop()
        self._display_timer.stop()
        self.card = None
        runtime = self.terminal_runtime
        self.terminal_runtime = None
        if runtime is not None:
            threading.Thread(target=runtime.close, daemon=True).start()
