"""Paid in / paid out: an amount and a reason, reported through a signal (non-blocking)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.money import MoneyError
from pos_app.domain.shifts import CashMovementKind
from pos_app.ui.formatting import describe_amount_error, parse_money
from pos_app.ui.session import translate_message
from pos_app.ui.widgets.common import button, label, tall_as_wrapped_lines


class CashMovementDialog(QDialog):
    sig_movement = Signal(int, str)
    """(amount in minor units, reason) once both are valid."""

    def __init__(
        self,
        kind: CashMovementKind,
        currency: str,
        locale_name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.kind = kind
        self.currency = currency
        self.locale_name = locale_name
        self.setObjectName("CashMovementDialog")
        paid_in = kind is CashMovementKind.PAID_IN
        self.setWindowTitle(self.tr("Paid in") if paid_in else self.tr("Paid out"))
        self.setMinimumWidth(560)
        tall_as_wrapped_lines(self)  # a long error wraps
        layout = QVBoxLayout(self)
        layout.addWidget(
            label(
                self.tr("Cash put into the drawer (not a sale)")
                if paid_in
                else self.tr("Cash taken out of the drawer (not a refund)"),
                "Subtitle",
            )
        )
        self.amount = QLineEdit()
        self.amount.setObjectName("MovementAmount")
        self.amount.setPlaceholderText(self.tr("Amount"))
        layout.addWidget(self.amount)
        self.reason = QLineEdit()
        self.reason.setObjectName("MovementReason")
        self.reason.setMaxLength(200)
        self.reason.setPlaceholderText(self.tr("Reason (required)"))
        layout.addWidget(self.reason)
        choices = (
            (self.tr("Change from the bank"), self.tr("Float top-up"))
            if paid_in
            else (
                self.tr("Supplier paid in cash"),
                self.tr("Cash drop to the safe"),
                self.tr("Petty cash"),
                self.tr("Tips paid out"),
            )
        )
        quick = QGridLayout()
        for index, text in enumerate(choices):
            choice = QPushButton(text)
            choice.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            choice.clicked.connect(lambda _=False, t=text: self.reason.setText(t))
            quick.addWidget(choice, index // 2, index % 2)
        layout.addLayout(quick)
        self.error = label("")
        self.error.setObjectName("MovementError")
        self.error.setStyleSheet("color: #b00020; font-weight: bold;")
        layout.addWidget(self.error)
        actions = QHBoxLayout()
        cancel = button(self.tr("Cancel (Esc)"))
        cancel.clicked.connect(self.reject)
        self.confirm = button(self.tr("Record"), "primary")
        self.confirm.setObjectName("ConfirmMovement")
        self.confirm.clicked.connect(self._confirm)
        actions.addWidget(cancel)
        actions.addWidget(self.confirm)
        layout.addLayout(actions)
        self.amount.returnPressed.connect(self.reason.setFocus)
        self.reason.returnPressed.connect(self._confirm)
        self.finished.connect(self.deleteLater)
        self.amount.setFocus()

    def _confirm(self) -> None:
        try:
            amount = parse_money(self.amount.text(), self.currency, self.locale_name)
        except MoneyError as error:
            self.error.setText(describe_amount_error(error))
            self.amount.setFocus()
            return
        if amount <= 0:
            self.error.setText(translate_message("enter an amount above zero"))
            self.amount.setFocus()
            return
        reason = self.reason.text().strip()
        if not reason:
            self.error.setText(translate_message("give a reason"))
            self.reason.setFocus()
            return
        self.accept()
        self.sig_movement.emit(amount, reason)
