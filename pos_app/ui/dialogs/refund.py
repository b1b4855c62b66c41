"""The refund dialog: some units of some lines, or an amount, with a reason.

Non-blocking like every dialog here: it opens with `open()`, reports the cashier's request
through `sig_request`, and stays up until the screen says the refund is recorded (so a refused
refund's reason can be read and the request corrected).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos_app.application.history import OrderDetail
from pos_app.domain.errors import ValidationError
from pos_app.domain.money import MoneyError
from pos_app.domain.refunds import LineRefundRequest, plan_line_refund
from pos_app.domain.tenders import TenderKind
from pos_app.ui.formatting import describe_amount_error, parse_money
from pos_app.ui.session import translate_message
from pos_app.ui.widgets.common import button, label, tall_as_wrapped_lines


@dataclass(frozen=True, slots=True)
class RefundRequest:
    """What the cashier asked for; exactly one of `lines` and `amount_minor` is set."""

    reason: str
    lines: tuple[LineRefundRequest, ...] | None = None
    amount_minor: int | None = None
    to_cash_drawer: bool = False
    restock: bool = True
    tip_minor: int = 0
    """Card tips to give back too (on the cards they were charged on)."""


class RefundDialog(QDialog):
    sig_request = Signal(object)
    """A `RefundRequest`, each time the cashier confirms a valid one."""

    def __init__(
        self,
        detail: OrderDetail,
        money: Callable[[int], str],
        currency: str,
        locale_name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.detail = detail
        self.money = money
        self.currency = currency
        self.locale_name = locale_name
        self.setObjectName("RefundDialog")
        order = detail.order
        self.setWindowTitle(self.tr("Refund order #{number}").format(number=order.number))
        self.setMinimumWidth(900)
        tall_as_wrapped_lines(self)  # the card note and the amount to refund wrap
        layout = QVBoxLayout(self)
        layout.addWidget(
            label(
                self.tr(
                    "Paid {total}, refunded {refunded}: up to {remaining} can be refunded."
                ).format(
                    total=money(detail.totals.total_minor),
                    refunded=money(order.refunded_minor),
                    remaining=money(detail.remaining_minor),
                ),
                "Subtitle",
            )
        )
        if detail.tip_remaining_minor:
            layout.addWidget(
                label(
                    self.tr("The card tip of {tip} can be given back too.").format(
                        tip=money(detail.tip_remaining_minor)
                    ),
                    "Muted",
                )
            )

        columns = QHBoxLayout()
        left = QVBoxLayout()
        right = QVBoxLayout()
        columns.addLayout(left, 3)
        columns.addLayout(right, 2)
        layout.addLayout(columns, 1)
        modes = QHBoxLayout()
        self.by_line = button(self.tr("By item"))
        self.by_amount = button(self.tr("By amount"))
        self.mode_group = QButtonGroup(self)
        for index, choice in enumerate((self.by_line, self.by_amount)):
            choice.setCheckable(True)
            self.mode_group.addButton(choice, index)
            modes.addWidget(choice)
        left.addLayout(modes)
        self.pages = QStackedWidget()
        left.addWidget(self.pages, 1)

        # --- by line
        line_page = QWidget()
        line_layout = QVBoxLayout(line_page)
        line_layout.setContentsMargins(0, 0, 0, 0)
        self.lines = QTableWidget(len(order.lines), 3)
        self.lines.setTabKeyNavigation(False)  # Tab leaves it; arrows move in it
        self.lines.setObjectName("RefundLines")
        self.lines.setHorizontalHeaderLabels(
            [self.tr("Item"), self.tr("Sold / refunded"), self.tr("Refund")]
        )
        self.lines.verticalHeader().hide()
        self.lines.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.lines.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.lines.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.lines.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.spinners: list[QSpinBox] = []
        for row, line in enumerate(order.lines):
            name = line.name
            if line.modifiers:
                name += "\n  " + ", ".join(m.name for m in line.modifiers)
            self.lines.setItem(row, 0, QTableWidgetItem(name))
            done = detail.refunded_units.get(line.id, 0)
            sold = QTableWidgetItem(f"{line.quantity} / {done}")
            sold.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            self.lines.setItem(row, 1, sold)
            spinner = QSpinBox()
            spinner.setObjectName(f"refund-qty-{row}")
            spinner.setRange(0, detail.refundable_units(line))
            spinner.setEnabled(detail.refundable_units(line) > 0)
            spinner.setMinimumWidth(110)
            spinner.valueChanged.connect(lambda _v: self._update_preview())
            self.lines.setCellWidget(row, 2, spinner)
            self.spinners.append(spinner)
        self.lines.setMinimumHeight(240)
        line_layout.addWidget(self.lines, 1)
        everything = button(self.tr("Refund every item left"))
        everything.clicked.connect(self._everything)
        line_layout.addWidget(everything)
        self.restock = QCheckBox(self.tr("Return the items to stock"))
        self.restock.setChecked(True)
        line_layout.addWidget(self.restock)
        self.pages.addWidget(line_page)

        # --- by amount
        amount_page = QWidget()
        amount_layout = QVBoxLayout(amount_page)
        amount_layout.setContentsMargins(0, 0, 0, 0)
        self.amount = QLineEdit()
        self.amount.setObjectName("RefundAmount")
        self.amount.setPlaceholderText(
            self.tr("Amount, up to {remaining}").format(remaining=money(detail.remaining_minor))
        )
        self.amount.textChanged.connect(lambda _t: self._update_preview())
        amount_layout.addWidget(self.amount)
        amount_layout.addStretch(1)
        self.pages.addWidget(amount_page)

        # --- reason, drawer, confirmation
        self.reason = QLineEdit()
        self.reason.setObjectName("RefundReason")
        self.reason.setMaxLength(200)
        self.reason.setPlaceholderText(self.tr("Reason (required)"))
        self.reason.textChanged.connect(lambda _t: self._update_preview())
        right.addWidget(self.reason)
        quick = QGridLayout()
        for index, text in enumerate(
            (
                self.tr("Wrong item"),
                self.tr("Quality problem"),
                self.tr("Customer changed their mind"),
                self.tr("Charged twice / overcharged"),
            )
        ):
            choice = QPushButton(text)
            choice.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            choice.clicked.connect(lambda _=False, t=text: self.reason.setText(t))
            quick.addWidget(choice, index, 0)
        right.addLayout(quick)
        has_card = any(t.kind is TenderKind.CARD for t in order.tenders)
        self.to_cash = QCheckBox(self.tr("Pay it back in cash from the drawer"))
        self.to_cash.toggled.connect(lambda _on: self._update_preview())
        right.addWidget(self.to_cash)
        # Square and Toast give a tip back only when asked; a full refund asks by default
        # (a customer charged twice gets all of it back), a partial one does not.
        self.refund_tip = QCheckBox(
            self.tr("Refund the tip too ({tip})").format(tip=money(detail.tip_remaining_minor))
        )
        self.refund_tip.setObjectName("RefundTip")
        self.refund_tip.setVisible(detail.tip_remaining_minor > 0)
        self._tip_chosen = False
        """The cashier ticked or cleared the tip box: their choice stays."""
        # `clicked` alone (the cashier's own choice): `toggled` also fires for the box that
        # follows the refund's size, and would run before the choice is noted.
        self.refund_tip.clicked.connect(self._tip_clicked)
        right.addWidget(self.refund_tip)
        if has_card:
            right.addWidget(
                label(
                    self.tr("Card payments go back to the card unless paid back in cash."),
                    "Muted",
                )
            )
        self.preview = label("", "Status")
        self.preview.setObjectName("RefundPreview")
        right.addWidget(self.preview)
        self.error = label("")
        self.error.setObjectName("RefundError")
        self.error.setStyleSheet("color: #b00020; font-weight: bold;")
        right.addWidget(self.error)
        right.addStretch(1)
        actions = QHBoxLayout()
        self.cancel = button(self.tr("Cancel (Esc)"))
        self.cancel.clicked.connect(self.reject)
        self.confirm = button(self.tr("Refund"), "danger")
        self.confirm.setObjectName("ConfirmRefund")
        self.confirm.clicked.connect(self._confirm)
        actions.addWidget(self.cancel)
        actions.addWidget(self.confirm)
        layout.addLayout(actions)

        self._busy = False
        self._amount_problem_shown = False
        self.mode_group.idToggled.connect(self._mode_changed)
        self.by_line.setChecked(True)
        self.finished.connect(self.deleteLater)
        self._update_preview()

    # --- state -------------------------------------------------------------------------------

    def _mode_changed(self, mode: int, checked: bool) -> None:
        if checked:
            self.pages.setCurrentIndex(mode)
            self._update_preview()

    def _tip_clicked(self) -> None:
        self._tip_chosen = True
        self._update_preview()

    def _tip_minor(self, planned: int | None) -> int:
        """The tip the refund gives back: all of what is left when the box is ticked (it
        follows whether the refund is full until the cashier ticks or clears it)."""
        tip = self.detail.tip_remaining_minor
        can = tip > 0 and not self.to_cash.isChecked()
        self.refund_tip.setEnabled(can)
        if not self._tip_chosen:
            full = planned is not None and planned == self.detail.remaining_minor
            self.refund_tip.blockSignals(True)
            self.refund_tip.setChecked(full)
            self.refund_tip.blockSignals(False)
        return tip if can and self.refund_tip.isChecked() else 0

    def use_amount(self) -> None:
        self.by_amount.setChecked(True)

    def _everything(self) -> None:
        for spinner in self.spinners:
            spinner.setValue(spinner.maximum())

    def _line_requests(self) -> tuple[LineRefundRequest, ...]:
        return tuple(
            LineRefundRequest(line.id, spinner.value())
            for line, spinner in zip(self.detail.order.lines, self.spinners, strict=True)
            if spinner.value() > 0
        )

    def _amount_minor(self) -> int | None:
        amount, _problem = self._checked_amount()
        return amount

    def _checked_amount(self) -> tuple[int | None, str]:
        """The amount typed, or why it cannot be refunded (said as it is typed, so the
        cashier never meets a greyed button without a reason, nor a manager's PIN for a
        refund that is then refused)."""
        if not self.amount.text().strip():
            return None, ""
        try:
            amount = parse_money(self.amount.text(), self.currency, self.locale_name)
        except MoneyError as error:
            return None, describe_amount_error(error)
        if amount <= 0:
            return None, translate_message("a refund must be more than zero")
        remaining = self.detail.remaining_minor
        if amount > remaining:
            return None, self.tr("{amount} is more than can be refunded ({remaining}).").format(
                amount=self.money(amount), remaining=self.money(remaining)
            )
        return amount, ""

    def _planned_minor(self) -> int | None:
        """What the refund comes to, worked out the way the service will, or None."""
        if self.by_amount.isChecked():
            return self._amount_minor()
        requests = self._line_requests()
        if not requests:
            return None
        detail = self.detail
        try:
            plan = plan_line_refund(
                detail.totals,
                {line.id: line.quantity for line in detail.order.lines},
                detail.refunded_units,
                requests,
                # The remainder check is the service's; here only the amount is wanted.
                0,
                0,
            )
        except ValidationError:
            return None
        return plan.amount_minor

    def _update_preview(self) -> None:
        problem = self._checked_amount()[1] if self.by_amount.isChecked() else ""
        if problem or self._amount_problem_shown:
            self.error.setText(problem)
            self._amount_problem_shown = bool(problem)
        planned = self._planned_minor()
        tip = self._tip_minor(planned)
        if planned is None:
            text = ""
        elif tip:
            text = self.tr("Refund {amount} + tip {tip}").format(
                amount=self.money(planned), tip=self.money(tip)
            )
        else:
            text = self.tr("Refund {amount}").format(amount=self.money(planned))
        self.preview.setText(text)
        self.confirm.setText(text or self.tr("Refund"))
        self.confirm.setEnabled(
            not self._busy and planned is not None and bool(self.reason.text().strip())
        )
        self.restock.setEnabled(not self.by_amount.isChecked())

    def show_error(self, text: str) -> None:
        self.set_busy(False)
        self.error.setText(text)

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.cancel.setEnabled(not busy)
        self._update_preview()

    def _confirm(self) -> None:
        reason = self.reason.text().strip()
        if not reason:
            self.show_error(self.tr("Give a reason for the refund."))
            self.reason.setFocus()
            return
        self.error.setText("")
        if self.by_amount.isChecked():
            amount, problem = self._checked_amount()
            if amount is None:
                self.show_error(problem or translate_message("a refund must be more than zero"))
                return
            request = RefundRequest(
                reason,
                amount_minor=amount,
                to_cash_drawer=self.to_cash.isChecked(),
                tip_minor=self._tip_minor(amount),
            )
        else:
            lines = self._line_requests()
            if not lines:
                self.show_error(translate_message("choose at least one line to refund"))
                return
            planned, remaining = self._planned_minor(), self.detail.remaining_minor
            if planned is not None and planned > remaining:
                # Lines worth more than an earlier refund by amount left: said before anyone
                # is asked for a manager's PIN, not after.
                self.show_error(
                    self.tr("{amount} is more than can be refunded ({remaining}).").format(
                        amount=self.money(planned), remaining=self.money(remaining)
                    )
                )
                return
            request = RefundRequest(
                reason,
                lines=lines,
                to_cash_drawer=self.to_cash.isChecked(),
                restock=self.restock.isChecked(),
                tip_minor=self._tip_minor(self._planned_minor()),
            )
        self.sig_request.emit(request)
