"""The pay screen: cash with quick-tender buttons and change, card on the reader with live
status and Cancel, tips on card, and splits across several tenders."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING
from uuid import UUID

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from pos_app.application.cards import CardApprovalsReleased, CardOutcome, CardOutcomeKind
from pos_app.application.sales import NoCharge, PlacedOrder
from pos_app.domain.money import MoneyError, apply_ppm_half_up
from pos_app.domain.orders import Order
from pos_app.domain.staff import Permission
from pos_app.domain.tenders import (
    TenderKind,
    TenderRequest,
    implausible_change,
    quick_cash_amounts,
)
from pos_app.ui.dialogs.override import with_permission
from pos_app.ui.dialogs.prompts import TextPrompt
from pos_app.ui.dialogs.staff import ConfirmDialog
from pos_app.ui.formatting import format_amount_field, parse_money
from pos_app.ui.screens.base import Screen
from pos_app.ui.session import describe_error, translate_message
from pos_app.ui.widgets.common import button, clear_layout, fit_lines, label, shortcut

if TYPE_CHECKING:
    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.session import CounterSession

TIP_CHOICES_PPM = (0, 100_000, 150_000, 200_000)


@dataclass(frozen=True)
class Finished:
    """What the finish screen shows."""

    placed: PlacedOrder
    change_minor: int
    card_text: str


class PayScreen(Screen):
    name = "pay"

    def __init__(self, session: CounterSession, window: MainWindow) -> None:
        super().__init__(session, window)
        self.tenders: list[TenderRequest] = []
        self.payment_id: UUID | None = None
        self.payment_figures = (0, 0)
        """(amount, tip) of the card payment on the reader."""
        self.cancel_event = threading.Event()
        self._busy = False
        self._finalizing = False
        self.quick_cash: list[QPushButton] = []
        self.order_snapshot: Order | None = None

        root = QVBoxLayout(self)
        self.title = label("", "Title")
        root.addWidget(self.title)
        top = QHBoxLayout()
        self.due = label("", "Total")
        top.addWidget(self.due, 2)
        self.tender_list = QListWidget()
        self.tender_list.setObjectName("TenderList")
        self.tender_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # Until a payment is taken, a line that says what the list is for (not an empty box);
        # both the same height, so nothing moves when the first payment comes in.
        self.no_tenders = label(
            self.tr(
                "Nothing paid yet. To split the bill, take part by card and part in cash: "
                "each payment is listed here."
            ),
            "Muted",
        )
        self.no_tenders.setObjectName("NoTenders")
        self.no_tenders.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.tenders_area = QStackedWidget()
        self.tenders_area.addWidget(self.no_tenders)
        self.tenders_area.addWidget(self.tender_list)
        self.tenders_area.setFixedHeight(96)
        top.addWidget(self.tenders_area, 3)
        root.addLayout(top)

        columns = QHBoxLayout()
        cash = QGroupBox(self.tr("Cash"))
        cash_layout = QVBoxLayout(cash)
        self.quick_grid = QGridLayout()
        cash_layout.addLayout(self.quick_grid)
        custom = QHBoxLayout()
        self.cash_field = QLineEdit()
        self.cash_field.setObjectName("CashField")
        self.cash_field.setPlaceholderText(self.tr("Amount handed over"))
        self.cash_field.returnPressed.connect(self._custom_cash)
        self.take_cash = button(self.tr("Take cash"))
        self.take_cash.clicked.connect(self._custom_cash)
        custom.addWidget(self.cash_field, 2)
        custom.addWidget(self.take_cash, 1)
        cash_layout.addLayout(custom)
        cash_layout.addStretch(1)
        columns.addWidget(cash, 1)

        card = QGroupBox(self.tr("Card"))
        card_layout = QVBoxLayout(card)
        amount_row = QHBoxLayout()
        charge_label = label(self.tr("Charge"))
        amount_row.addWidget(charge_label)
        self.card_amount = QLineEdit()
        self.card_amount.setObjectName("CardAmount")
        amount_row.addWidget(self.card_amount, 1)
        card_layout.addLayout(amount_row)
        tips = QHBoxLayout()
        self.tip_group = QButtonGroup(self)
        self.tip_buttons: list[QPushButton] = []
        for ppm in TIP_CHOICES_PPM:
            text = self.tr("No tip") if ppm == 0 else f"{ppm // 10_000}%"
            tip = button(text)
            tip.setCheckable(True)
            tip.setProperty("tip_ppm", ppm)
            self.tip_group.addButton(tip)
            self.tip_buttons.append(tip)
            tips.addWidget(tip)
        self.tip_buttons[0].setChecked(True)
        self.tip_group.buttonToggled.connect(lambda *_: self._update_card_label())
        card_layout.addLayout(tips)
        self.charge = button("", "card")
        self.charge.setObjectName("ChargeCard")
        self.charge.setMinimumHeight(72)
        self.charge.clicked.connect(self.charge_card)
        card_layout.addWidget(self.charge)
        self.card_status = label("", "Status")
        self.card_status.setObjectName("CardStatus")
        self.card_status.setMinimumHeight(64)
        card_layout.addWidget(self.card_status)
        card_actions = QHBoxLayout()
        self.cancel_card = button(self.tr("Cancel card"), "danger")
        self.cancel_card.setObjectName("CancelCard")
        self.cancel_card.clicked.connect(self._cancel_card)
        self.retry_card = button(self.tr("Try another card"))
        self.retry_card.setObjectName("RetryCard")
        self.retry_card.clicked.connect(self._retry_card)
        card_actions.addWidget(self.retry_card)
        card_actions.addWidget(self.cancel_card)
        card_layout.addLayout(card_actions)
        card_layout.addStretch(1)
        # A shop with no Stripe key (cash only, by choice) sees one line here, not the panel.
        self._card_controls: list[QWidget] = [
            charge_label,
            self.card_amount,
            *self.tip_buttons,
            self.charge,
            self.cancel_card,
            self.retry_card,
        ]
        columns.addWidget(card, 1)
        root.addLayout(columns, 1)

        self.no_charge = button(self.tr("Nothing to pay: complete at no charge"), "primary")
        self.no_charge.setObjectName("NoCharge")
        self.no_charge.setMinimumHeight(72)
        self.no_charge.clicked.connect(self.ask_no_charge_reason)
        self.no_charge.hide()  # for an order of nothing to pay (`_refresh`)
        root.addWidget(self.no_charge)

        self.back = button(self.tr("Back to the order (Esc)"))
        self.back.clicked.connect(self._back)
        root.addWidget(self.back)
        shortcut(self, "Escape", self._back)
        shortcut(self, "F10", self._card_key)
        self.card_amount.textChanged.connect(lambda _t: self._update_card_label())
        session.sig_card_progress.connect(self.card_status.setText)
        session.sig_card_changed.connect(self._update_buttons)

    # --- state -----------------------------------------------------------------------------

    def busy(self) -> bool:
        return self._busy or self._finalizing

    @property
    def order(self) -> Order:
        return self.session.order

    def total_minor(self) -> int:
        return self.order.totals().total_minor

    def paid_minor(self) -> int:
        return sum(t.amount_minor for t in self.tenders)

    def due_minor(self) -> int:
        return max(0, self.total_minor() - self.paid_minor())

    def activated(self) -> None:
        if not self.tenders and self.payment_id is None:
            self.card_status.setText("")
        # An amount typed on an earlier visit (then abandoned) is not this visit's cash.
        self.cash_field.clear()
        self._refresh()
        self.cash_field.setFocus()

    def keep_focus(self) -> None:
        if self.cash_field.isEnabled():
            self.cash_field.setFocus()
        else:
            self.setFocus()

    def _refresh(self) -> None:
        number = self.order.number
        self.title.setText(
            self.tr("Pay order #{number}").format(number=number) if number else self.tr("Pay")
        )
        self.due.setText(
            self.tr("Due: {amount}").format(amount=self.session.money(self.due_minor()))
        )
        self.tender_list.clear()
        for tender in self.tenders:
            if tender.kind is TenderKind.CARD:
                text = self.tr("Card {card}: {amount}").format(
                    card=f"{(tender.card_brand or '').title()} •••• {tender.card_last4 or '????'}",
                    amount=self.session.money(tender.amount_minor + tender.tip_minor),
                )
                if tender.tip_minor:
                    text += "  " + self.tr("(tip {tip})").format(
                        tip=self.session.money(tender.tip_minor)
                    )
            else:
                text = self.tr("Cash: {amount}").format(
                    amount=self.session.money(tender.amount_minor)
                )
            self.tender_list.addItem(text)
        self.tenders_area.setCurrentWidget(self.tender_list if self.tenders else self.no_tenders)
        clear_layout(self.quick_grid)
        self.quick_cash = []
        due = self.due_minor()
        for index, amount in enumerate(
            quick_cash_amounts(due, self.session.shop.currency) if due else []
        ):
            text = self.tr("Exact {amount}") if index == 0 else "{amount}"
            quick = button(
                text.format(amount=self.session.money(amount)), "primary" if index == 0 else None
            )
            quick.setObjectName(f"cash-{amount}")
            quick.clicked.connect(lambda _=False, a=amount: self.take_cash_amount(a))
            self.quick_grid.addWidget(quick, index // 2, index % 2)
            self.quick_cash.append(quick)
        if not self._busy:
            self.card_amount.setText(self._plain(due))
        self.no_charge.setVisible(self.total_minor() == 0 and not self.order.is_empty)
        self._update_buttons()
        focus = self.window_.focusWidget()
        typing = focus is not None and focus in (self.cash_field, self.card_amount)
        typing = typing and focus.isEnabled()
        if self.isVisible() and not typing:
            self.keep_focus()  # after a card step: typed cash, Enter, F10 and Esc work again

    def _plain(self, amount_minor: int) -> str:
        return format_amount_field(
            amount_minor, self.session.shop.currency, self.session.locale_name
        )

    def _card_figures(self) -> tuple[int, int] | None:
        try:
            amount = parse_money(
                self.card_amount.text(), self.session.shop.currency, self.session.locale_name
            )
        except MoneyError:
            return None
        checked = self.tip_group.checkedButton()
        ppm = int(checked.property("tip_ppm")) if checked is not None else 0
        return amount, apply_ppm_half_up(amount, ppm)

    def _update_card_label(self) -> None:
        figures = self._card_figures()
        if figures is None:
            self.charge.setText(self.tr("Enter an amount to charge"))
        else:
            amount, tip = figures
            self.charge.setText(
                self.tr("Charge card {amount} (F10)").format(
                    amount=self.session.money(amount + tip)
                )
            )
        self._update_buttons()

    def _update_buttons(self) -> None:
        state = self.session.card_state
        waiting = self.payment_id is not None
        figures = self._card_figures()
        valid = figures is not None and 0 < figures[0] <= self.due_minor()
        self.charge.setEnabled(
            state.available and not self._busy and not waiting and valid and not self._finalizing
        )
        for widget in self._card_controls:
            widget.setVisible(not state.cash_only)
        if not state.available and not self._busy:
            self.charge.setToolTip(state.text)
            if state.cash_only:
                self.card_status.setText(
                    self.tr("Cash only — set up card payments in the back office (Card reader).")
                )
            elif not waiting and state.connecting:
                self.card_status.setText(state.text)
            elif not waiting:
                self.card_status.setText(
                    self.tr("Cards unavailable: {reason}").format(reason=state.text)
                )
        # While the card is on the reader, Cancel must always work (even before the payment id
        # is back from Stripe: the watch loop cancels as soon as it starts).
        self.cancel_card.setEnabled((waiting or self._busy) and not self._finalizing)
        self.retry_card.setEnabled(waiting and not self._busy and not self._finalizing)
        for tip in self.tip_buttons:
            tip.setEnabled(not state.cash_only and not waiting and not self._busy)
        self.card_amount.setEnabled(not waiting and not self._busy)
        nothing_due = self.total_minor() == 0
        # No cash while a card is on the reader (or waits for another card): it would be
        # refused anyway, so the buttons say so by being off.
        for widget in (self.take_cash, self.cash_field, *self.quick_cash):
            widget.setEnabled(
                not self._busy and not self._finalizing and not nothing_due and not waiting
            )
        self.no_charge.setEnabled(not self._busy and not self._finalizing)
        self.back.setEnabled(not self._busy and not self._finalizing)

    # --- cash ------------------------------------------------------------------------------

    def _custom_cash(self) -> None:
        try:
            amount = parse_money(
                self.cash_field.text(), self.session.shop.currency, self.session.locale_name
            )
        except MoneyError as error:
            self.session.error(error)
            return
        self.take_cash_amount(amount)

    def take_cash_amount(self, amount_minor: int, *, confirmed: bool = False) -> None:
        if self._busy or self._finalizing or amount_minor <= 0:
            return
        if self.session.shift is None:
            self.session.error(self.tr("Open a shift (count the float) before taking cash."))
            return
        if self.payment_id is not None:
            self.session.error(self.tr("Finish or cancel the card on the reader first."))
            return
        due = self.due_minor()
        currency = self.session.shop.currency
        if not confirmed and implausible_change(
            tendered_minor=amount_minor, due_minor=due, currency=currency
        ):
            self._confirm_change(amount_minor, due)  # the typed amount stays, to fix or confirm
            return
        self.cash_field.clear()
        self.tenders.append(TenderRequest(TenderKind.CASH, amount_minor))
        if self.paid_minor() >= self.total_minor():
            self.finalize()  # the last cash tender gives the change
        else:
            self._refresh()

    def _confirm_change(self, amount_minor: int, due_minor: int) -> None:
        """Change above the largest note is most likely a typing slip: ask before completing."""
        money = self.session.money
        dialog = ConfirmDialog(
            self.tr("Check the amount"),
            self.tr(
                "{tendered} handed over for {due} due means {change} in change. Is that right?"
            ).format(
                tendered=money(amount_minor),
                due=money(due_minor),
                change=money(amount_minor - due_minor),
            ),
            self.tr("Yes, give {change} change").format(change=money(amount_minor - due_minor)),
            self,
        )
        dialog.setObjectName("ConfirmChange")
        dialog.sig_confirmed.connect(lambda: self.take_cash_amount(amount_minor, confirmed=True))
        dialog.open()

    # --- card ------------------------------------------------------------------------------

    def charge_card(self) -> None:
        card = self.session.card
        staff = self.session.staff
        figures = self._card_figures()
        if card is None or staff is None or figures is None or self._busy or self.payment_id:
            return
        amount, tip = figures
        self.payment_figures = (amount, tip)
        if not 0 < amount <= self.due_minor():
            self.session.error(
                self.tr("Charge between {low} and {high}.").format(
                    low=self.session.money(1), high=self.session.money(self.due_minor())
                )
            )
            return
        order = self.order.clone()
        order.tenders = []
        taken = list(self.tenders)
        shift_id = self.session.shift.id if self.session.shift else None
        self.cancel_event = threading.Event()
        cancel = self.cancel_event
        self._set_busy(True)
        self.card_status.setText(self.tr("Starting the payment on the reader…"))
        progress = self.session.sig_card_progress.emit
        cards = self.session.register.cards

        def run() -> tuple[UUID, int | None, CardOutcome]:
            payment_id = cards.start(
                card,
                order,
                amount_minor=amount,
                tip_minor=tip,
                staff=staff,
                shift_id=shift_id,
                taken=taken,
            )
            self._remember_payment(payment_id)
            outcome = cards.watch(
                card,
                payment_id,
                on_progress=lambda m: progress(translate_message(m)),
                cancel_requested=cancel,
            )
            return payment_id, order.number, outcome

        def done(result: tuple[UUID, int | None, CardOutcome]) -> None:
            payment_id, number, outcome = result
            self.order.number = number
            self._card_outcome(payment_id, outcome, amount, tip)

        self.session.net(run, done, self._card_failed)

    def _card_key(self) -> None:
        """F10: charge the card, or, after a decline, ask for another card."""
        if self.payment_id is not None and not self._busy:
            self._retry_card()
        else:
            self.charge_card()

    def _remember_payment(self, payment_id: UUID) -> None:
        # Called on the network thread: an attribute write is atomic, the UI reads it later.
        self.payment_id = payment_id

    def _card_outcome(self, payment_id: UUID, outcome: CardOutcome, amount: int, tip: int) -> None:
        self._set_busy(False)
        if outcome.kind is CardOutcomeKind.APPROVED:
            # The service's message is English for the log; the counter says it in its language.
            self.card_status.setText(
                self.tr("Approved: {card}").format(card=self._card_name(outcome))
            )
        else:
            self.card_status.setText(translate_message(outcome.message))
        if outcome.kind is CardOutcomeKind.APPROVED:
            self.payment_id = None
            self.tenders.append(
                TenderRequest(
                    TenderKind.CARD,
                    amount,
                    tip,
                    payment_id=payment_id,
                    card_brand=outcome.card_brand,
                    card_last4=outcome.card_last4,
                )
            )
            if self.paid_minor() >= self.total_minor():
                self.finalize()
                return
        elif outcome.kind is CardOutcomeKind.CANCELED:
            self.payment_id = None
        else:
            self.payment_id = (
                payment_id  # declined or timed out: the same payment takes another card
            )
        self._refresh()

    def _card_name(self, outcome: CardOutcome) -> str:
        brand = (outcome.card_brand or "").title() or self.tr("Card")
        return f"{brand} •••• {outcome.card_last4}" if outcome.card_last4 else brand

    def _card_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.session.error(error)
        self.card_status.setText(translate_message(str(error)))
        self._refresh()

    def _retry_card(self) -> None:
        card = self.session.card
        payment_id = self.payment_id
        if card is None or payment_id is None or self._busy:
            return
        amount, tip = self.payment_figures
        self.cancel_event = threading.Event()
        cancel = self.cancel_event
        self._set_busy(True)
        self.card_status.setText(self.tr("Ask for another card…"))
        progress = self.session.sig_card_progress.emit
        cards = self.session.register.cards

        def run() -> CardOutcome:
            cards.ask_for_another_card(card, payment_id)
            return cards.watch(
                card,
                payment_id,
                on_progress=lambda m: progress(translate_message(m)),
                cancel_requested=cancel,
            )

        self.session.net(
            run,
            lambda outcome: self._card_outcome(payment_id, outcome, amount, tip),
            self._card_failed,
        )

    def _cancel_card(self) -> None:
        card = self.session.card
        payment_id = self.payment_id
        if card is None or payment_id is None:
            return
        if self._busy:
            self.cancel_event.set()  # the watch loop cancels on the reader and at the gateway
            self.card_status.setText(self.tr("Cancelling on the reader…"))
            return
        self._set_busy(True)
        cards = self.session.register.cards
        self.session.net(
            lambda: cards.cancel(card, payment_id),
            lambda outcome: self._card_outcome(payment_id, outcome, 0, 0),
            self._card_failed,
        )

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.session.card_busy(busy)
        self._update_buttons()

    # --- leaving -----------------------------------------------------------------------------

    def _back(self) -> None:
        """Back to the order. Money already taken for it (a card approval the customer saw on
        the reader, cash handed over) is never dropped silently: the cashier is asked first,
        and may stay to take the rest another way instead."""
        if self._busy or self._finalizing:
            return
        approved = [t for t in self.tenders if t.kind is TenderKind.CARD and t.payment_id]
        cash = sum(t.amount_minor for t in self.tenders if t.kind is TenderKind.CASH)
        if not approved and not cash:
            self._leave()
            return
        money = self.session.money
        lines = [
            self.tr(
                "{card} approved {amount}.\nGoing back releases it: the customer is not charged."
            ).format(card=self._card_text(t), amount=money(t.amount_minor + t.tip_minor))
            for t in approved
        ]
        if cash:
            lines.append(self.tr("Hand back the cash taken: {amount}.").format(amount=money(cash)))
        lines.append(
            self.tr("Or stay and take the rest ({due}) another way.").format(
                due=money(self.due_minor())
            )
        )
        dialog = ConfirmDialog(
            self.tr("Money taken for this order"), "\n".join(lines), self.tr("Go back"), self
        )
        dialog.setObjectName("LeavePaymentDialog")
        fit_lines(dialog)
        dialog.sig_confirmed.connect(self._leave)
        dialog.open()

    def _card_text(self, tender: TenderRequest) -> str:
        return f"{(tender.card_brand or '').title()} •••• {tender.card_last4 or '????'}"

    def _leave(self) -> None:
        """Release every card approval of the order (telling the cashier), then go back."""
        if self._busy or self._finalizing:
            return
        card = self.session.card
        approved = [t for t in self.tenders if t.kind is TenderKind.CARD and t.payment_id]
        held = [t.payment_id for t in approved if t.payment_id]
        if self.payment_id is not None:
            held.append(self.payment_id)
        order_id = self.order.id
        cash = sum(t.amount_minor for t in self.tenders if t.kind is TenderKind.CASH)
        cards = self.session.register.cards

        def hand_back_cash() -> None:
            # The dialog before leaving said so; the instruction stays on the sell screen
            # until dismissed, so the cashier still sees it with the cash in hand.
            if cash:
                self.session.instruct(
                    self.tr("Hand back the cash taken: {amount}.").format(
                        amount=self.session.money(cash)
                    )
                )

        if held and card is not None:
            self._set_busy(True)
            self.card_status.setText(self.tr("Releasing the card approval…"))

            def release() -> None:
                cards.release(card, order_id, held, reason="back to the order")

            def released(_none: None) -> None:
                self._set_busy(False)
                for tender in approved:
                    self.session.info(
                        self.tr("Released {amount} on {card}: the customer is not charged.").format(
                            amount=self.session.money(tender.amount_minor + tender.tip_minor),
                            card=self._card_text(tender),
                        )
                    )
                hand_back_cash()
                self.reset()
                self.window_.show_screen("sell")

            self.session.net(release, released, self._card_failed)
            return
        if card is not None and self.tenders:
            # Cash handed back after a card attempt that ended (cancelled): its saved plan goes.
            self.session.db(lambda: cards.hand_back(card, order_id))
        hand_back_cash()
        self.reset()
        self.window_.show_screen("sell")

    def reset(self) -> None:
        self.tenders = []
        self.payment_id = None
        self._busy = False
        self._finalizing = False
        self.card_status.setText("")
        for tip in self.tip_buttons[:1]:
            tip.setChecked(True)

    # --- nothing to pay ----------------------------------------------------------------------

    def ask_no_charge_reason(self) -> None:
        """A comp or a staff meal: a reason, then the discount permission (a manager's PIN when
        the cashier lacks it), both audited with the order."""
        if self.total_minor() != 0 or self._finalizing:
            return
        prompt = TextPrompt(
            self.tr("Complete at no charge"),
            self.tr("Why is there nothing to pay?"),
            self,
            choices=(self.tr("Staff meal"), self.tr("Comp: complaint"), self.tr("Comp: regular")),
        )
        prompt.setObjectName("NoChargeReason")
        prompt.sig_value.connect(
            lambda reason: with_permission(
                self.session,
                self,
                Permission.LARGE_DISCOUNT,
                lambda granted: self.finalize(no_charge=NoCharge(granted, reason)),
                action_text=self.tr("complete this order at no charge ({reason})").format(
                    reason=reason
                ),
            )
        )
        prompt.open()

    # --- finishing --------------------------------------------------------------------------

    def finalize(self, *, no_charge: NoCharge | None = None) -> None:
        staff = self.session.staff
        if staff is None or self._finalizing:
            return
        self._finalizing = True
        self._update_buttons()
        order = self.order.clone()
        tenders = list(self.tenders)
        shift_id = self.session.shift.id if self.session.shift else None
        has_card = any(t.kind is TenderKind.CARD for t in tenders)
        card = self.session.card
        register = self.session.register
        if has_card:
            self.card_status.setText(self.tr("Charging the card…"))

        def place() -> PlacedOrder:
            if has_card:
                assert card is not None
                return register.cards.complete(
                    card, order, tenders=tenders, staff=staff, shift_id=shift_id
                )
            return register.sales.place(order, tenders, staff, no_charge=no_charge)

        def placed(result: PlacedOrder) -> None:
            change = result.change_minor
            card_text = ""
            for tender in result.tenders:
                if tender.kind is TenderKind.CARD and tender.card_last4:
                    card_text = f"{(tender.card_brand or '').title()} •••• {tender.card_last4}"
            self.reset()
            self.session.replace_order()
            self.session.refresh_shift()
            self.session.sig_sale_completed.emit(result.order_id)
            self.window_.show_finish(Finished(result, change, card_text))

        def failed(error: BaseException) -> None:
            self._finalizing = False
            # A cash tender that could not be recorded is taken back; card approvals stay held
            # so the cashier can retry without charging again, unless they were released.
            released = error.released if isinstance(error, CardApprovalsReleased) else ()
            cash = sum(t.amount_minor for t in self.tenders if t.kind is TenderKind.CASH)
            self.tenders = [
                t
                for t in self.tenders
                if t.kind is TenderKind.CARD and t.payment_id not in released
            ]
            self.card_status.setText("")
            text = describe_error(error)
            if cash:
                text += "\n" + self.tr("Hand back the cash taken: {amount}.").format(
                    amount=self.session.money(cash)
                )
            self.session.error(text)
            self._refresh()

        if has_card:
            self.session.net(place, placed, failed)
        else:
            self.session.db(place, placed, failed)
