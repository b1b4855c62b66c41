"""Finish: change due in big type, the receipt choice, and "next customer"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QVBoxLayout

from pos_app.domain.errors import DomainError
from pos_app.domain.tenders import TenderKind
from pos_app.ui.formatting import translate_message
from pos_app.ui.screens.base import Screen
from pos_app.ui.screens.pay import Finished
from pos_app.ui.widgets.common import button, label, shortcut

if TYPE_CHECKING:
    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.session import CounterSession


class FinishScreen(Screen):
    name = "finish"

    def __init__(self, session: CounterSession, window: MainWindow) -> None:
        super().__init__(session, window)
        self.finished: Finished | None = None
        root = QVBoxLayout(self)
        root.addStretch(1)
        self.title = label("", "Title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        root.addWidget(self.title)
        self.change = label("", "Huge")
        self.change.setObjectName("ChangeDue")
        self.change.setAlignment(Qt.AlignmentFlag.AlignCenter)
        root.addWidget(self.change)
        self.detail = label("", "Subtitle")
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        root.addWidget(self.detail)
        receipts = QHBoxLayout()
        self.print_button = button(self.tr("Print receipt (P)"))
        self.print_button.setObjectName("PrintReceipt")
        self.email_field = QLineEdit()
        self.email_field.setObjectName("EmailAddress")
        self.email_field.setPlaceholderText(self.tr("Email address"))
        self.email_button = button(self.tr("Email receipt (E)"))
        self.none_button = button(self.tr("No receipt (N)"))
        receipts.addWidget(self.print_button)
        receipts.addWidget(self.email_field, 1)
        receipts.addWidget(self.email_button)
        receipts.addWidget(self.none_button)
        root.addLayout(receipts)
        updates = QHBoxLayout()
        self.phone_field = QLineEdit()
        self.phone_field.setObjectName("UpdatesPhone")
        self.phone_field.setPlaceholderText(self.tr("Mobile, e.g. +15551234567"))
        self.text_button = button(self.tr("Text when it's ready (T)"))
        self.text_button.setObjectName("TextWhenReady")
        updates.addWidget(self.phone_field, 2)
        updates.addWidget(self.text_button, 1)
        root.addLayout(updates)
        self.receipt_status = label("", "Muted")
        self.receipt_status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        root.addWidget(self.receipt_status)
        self.next_button = button(self.tr("Next customer (Enter)"), "primary")
        self.next_button.setObjectName("NextCustomer")
        self.next_button.setMinimumHeight(90)
        root.addWidget(self.next_button)
        root.addStretch(1)
        self.print_button.clicked.connect(self.print_receipt)
        self.email_button.clicked.connect(self.email_receipt)
        self.none_button.clicked.connect(self.next_customer)
        self.next_button.clicked.connect(self.next_customer)
        self.email_field.returnPressed.connect(self.email_receipt)
        self.text_button.clicked.connect(self.text_when_ready)
        self.phone_field.returnPressed.connect(self.text_when_ready)
        # The letters are shortcuts only while no field has the keyboard: typed into the
        # e-mail or phone field, they are that field's text.
        shortcut(self, "Return", self._enter)
        shortcut(self, "Enter", self._enter)
        shortcut(self, "Escape", self.keep_focus)
        shortcut(self, "P", self.print_receipt)
        shortcut(self, "E", lambda: self.email_field.setFocus())
        shortcut(self, "N", self.next_customer)
        shortcut(self, "T", lambda: self.phone_field.setFocus())

    def activated(self) -> None:
        self.keep_focus()  # not the e-mail field: P, E, N, T and Enter are the screen's keys

    def _enter(self) -> None:
        """Enter does what the field being typed in is for (send the e-mail receipt, queue
        the text) and goes to the next customer only from the screen itself."""
        if self.email_field.hasFocus():
            self.email_receipt()
        elif self.phone_field.hasFocus():
            self.text_when_ready()
        else:
            self.next_customer()

    def show_finished(self, finished: Finished) -> None:
        self.finished = finished
        placed = finished.placed
        self.title.setText(
            self.tr("Order #{number} paid — {total}").format(
                number=placed.number, total=self.session.money(placed.totals.total_minor)
            )
        )
        if finished.change_minor:
            self.change.setText(
                self.tr("Change due: {amount}").format(
                    amount=self.session.money(finished.change_minor)
                )
            )
        else:
            self.change.setText(self.tr("No change due"))
        self.detail.setText("\n".join(self.tender_lines(finished)))
        self.receipt_status.setText("")
        self.email_field.clear()
        self.phone_field.clear()

    def tender_lines(self, finished: Finished) -> list[str]:
        """One line per tender: what it took, a card's charge with its tip, cash with change."""
        money = self.session.money
        lines = []
        for tender in finished.placed.tenders:
            if tender.kind is TenderKind.CASH:
                if tender.change_minor:
                    lines.append(
                        self.tr("Cash {tendered} (change {change})").format(
                            tendered=money(tender.tendered_minor),
                            change=money(tender.change_minor),
                        )
                    )
                else:
                    lines.append(self.tr("Cash {amount}").format(amount=money(tender.amount_minor)))
                continue
            card = (
                f"{(tender.card_brand or '').title()} •••• {tender.card_last4}"
                if tender.card_last4
                else self.tr("Card")
            )
            if tender.tip_minor:
                lines.append(
                    self.tr("{card} {charged} (tip {tip})").format(
                        card=card, charged=money(tender.charged_minor), tip=money(tender.tip_minor)
                    )
                )
            else:
                lines.append(
                    self.tr("{card} {charged}").format(
                        card=card, charged=money(tender.charged_minor)
                    )
                )
        return lines

    def print_receipt(self) -> None:
        if self.finished is None:
            return
        self.window_.print_receipt(self.finished.placed.order_id, self.receipt_status)

    def email_receipt(self) -> None:
        if self.finished is None:
            return
        address = self.email_field.text().strip()
        if not address:
            self.receipt_status.setText(self.tr("Enter the customer's email address."))
            self.email_field.setFocus()
            return
        try:
            address = self.session.register.history.check_email_address(address)
        except DomainError as error:
            self.receipt_status.setText(translate_message(str(error)))
            self.email_field.setFocus()
            return
        self.window_.email_receipt(self.finished.placed.order_id, address, self.receipt_status)
        self.keep_focus()  # handed over: Enter (or N) is the next customer again

    def text_when_ready(self) -> None:
        """The customer gives a number to hear when the order is ready: consent for updates
        on this order, queued now and sent by the platform (works offline)."""
        if self.finished is None:
            return
        phone = self.phone_field.text().strip().replace(" ", "").replace("-", "")
        order_id = self.finished.placed.order_id
        session = self.session

        def queue() -> None:
            session.register.sales.text_when_ready(
                order_id, phone=phone, locale=session.locale_name
            )

        def queued(_none: None) -> None:
            self.receipt_status.setText(
                self.tr("We will text {phone} when the order is ready.").format(phone=phone)
            )
            session.sig_outbox_changed.emit()
            if self.phone_field.hasFocus():
                self.keep_focus()

        def failed(error: BaseException) -> None:
            from pos_app.ui.session import describe_error

            self.receipt_status.setText(describe_error(error))
            self.phone_field.setFocus()

        session.db(queue, queued, failed)

    def next_customer(self) -> None:
        self.finished = None
        self.window_.show_screen("sell")
