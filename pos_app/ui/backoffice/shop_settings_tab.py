"""Back office → Settings: how long the counter waits before it locks itself, the largest
discount a cashier may give without a manager, and the lines printed at the top and bottom of
every receipt. Saved with the owner's authority and audited; the counter uses them from its
next action."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from pos_app.application.settings import CounterSettings
from pos_app.domain.errors import ValidationError
from pos_app.domain.money import MoneyError
from pos_app.domain.shop import (
    MAX_IDLE_LOCK_MINUTES,
    RECEIPT_LINE_MAX,
    RECEIPT_TEXT_MAX_LINES,
    Shop,
    check_discount_limit,
    check_idle_lock_minutes,
    clean_receipt_text,
)
from pos_app.domain.staff import Authorization, Permission
from pos_app.ui.backoffice.messages import full_stop
from pos_app.ui.dialogs.override import with_permission
from pos_app.ui.formatting import format_percent, parse_percent
from pos_app.ui.session import describe_error, translate_message
from pos_app.ui.widgets.common import button, label, shortcut

if TYPE_CHECKING:
    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.session import CounterSession


def _error_label(name: str) -> QLabel:
    widget = label("")
    widget.setObjectName(name)
    widget.setStyleSheet("color: #b00020; font-weight: bold;")
    widget.hide()
    return widget


class ShopSettingsTab(QWidget):
    def __init__(self, session: CounterSession, window: MainWindow) -> None:
        super().__init__()
        self.session = session
        self.window_ = window
        self.setObjectName("ShopSettingsTab")
        self.saved: CounterSettings | None = None
        root = QVBoxLayout(self)
        columns = QHBoxLayout()

        counter = QGroupBox(self.tr("At the counter"))
        counter_form = QFormLayout(counter)
        self.idle_lock = QSpinBox()
        self.idle_lock.setObjectName("IdleLockMinutes")
        self.idle_lock.setRange(0, MAX_IDLE_LOCK_MINUTES)
        self.idle_lock.setSuffix(self.tr(" min"))
        self.idle_lock.setSpecialValueText(self.tr("Never"))
        self.idle_lock_error = _error_label("IdleLockError")
        counter_form.addRow(self.tr("Lock the counter after"), self.idle_lock)
        counter_form.addRow(
            "",
            label(
                self.tr(
                    "Without a touch or a key for this long, the counter signs the cashier "
                    "out (never in the middle of a card payment)."
                ),
                "Muted",
            ),
        )
        counter_form.addRow("", self.idle_lock_error)
        self.discount_limit = QLineEdit()
        self.discount_limit.setObjectName("DiscountLimit")
        self.discount_limit.setMaximumWidth(120)
        self.discount_limit_error = _error_label("DiscountLimitError")
        counter_form.addRow(self.tr("Discount limit (%)"), self.discount_limit)
        counter_form.addRow(
            "",
            label(
                self.tr(
                    "The largest discount a cashier may give alone, as a share of what it "
                    "applies to; above it a manager approves with their PIN."
                ),
                "Muted",
            ),
        )
        counter_form.addRow("", self.discount_limit_error)
        columns.addWidget(counter, 1)

        receipt = QGroupBox(self.tr("Receipts"))
        receipt_layout = QVBoxLayout(receipt)
        rule = self.tr("Up to {lines} lines of {chars} characters.").format(
            lines=RECEIPT_TEXT_MAX_LINES, chars=RECEIPT_LINE_MAX
        )
        receipt_layout.addWidget(label(self.tr("Header, under the shop's name"), "Subtitle"))
        self.header = QPlainTextEdit()
        self.header.setObjectName("ReceiptHeader")
        self.header.setPlaceholderText(self.tr("12 Main St, Springfield\nTax ID 12-3456789"))
        self.header.setMaximumHeight(110)
        self.header.setTabChangesFocus(True)
        receipt_layout.addWidget(self.header)
        self.header_error = _error_label("ReceiptHeaderError")
        receipt_layout.addWidget(self.header_error)
        receipt_layout.addWidget(label(self.tr("Footer, at the bottom"), "Subtitle"))
        self.footer = QPlainTextEdit()
        self.footer.setObjectName("ReceiptFooter")
        self.footer.setPlaceholderText(self.tr("Thank you! Returns within 30 days."))
        self.footer.setMaximumHeight(110)
        self.footer.setTabChangesFocus(True)
        receipt_layout.addWidget(self.footer)
        self.footer_error = _error_label("ReceiptFooterError")
        receipt_layout.addWidget(self.footer_error)
        receipt_layout.addWidget(label(rule, "Muted"))
        columns.addWidget(receipt, 1)
        root.addLayout(columns)

        actions = QHBoxLayout()
        self.message = label("", "Muted")
        self.message.setObjectName("SettingsMessage")
        actions.addWidget(self.message, 1)
        self.save_button = button(self.tr("Save settings (Ctrl+S)"), "primary")
        self.save_button.setObjectName("SaveSettings")
        self.save_button.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        self.save_button.clicked.connect(self.save)
        actions.addWidget(self.save_button)
        root.addLayout(actions)
        root.addStretch(1)
        shortcut(self, "Ctrl+S", self.save)
        self._show(CounterSettings.of(session.shop))

    # --- showing -----------------------------------------------------------------------------

    def refresh(self) -> None:
        self.session.db(self.session.register.settings.counter_settings, self._show)

    def _show(self, settings: CounterSettings) -> None:
        self.saved = settings
        self.idle_lock.setValue(settings.idle_lock_minutes)
        self.discount_limit.setText(
            format_percent(settings.discount_limit_ppm, self.session.locale_name)
        )
        self.header.setPlainText(settings.receipt_header)
        self.footer.setPlainText(settings.receipt_footer)
        for error in self._errors():
            error.hide()

    def _errors(self) -> tuple[QLabel, ...]:
        return (
            self.idle_lock_error,
            self.discount_limit_error,
            self.header_error,
            self.footer_error,
        )

    # --- saving --------------------------------------------------------------------------------

    def settings_from_form(self) -> CounterSettings | None:
        """The form as settings; None after showing each problem beside its field."""
        problems: dict[QLabel, str] = {}
        try:
            check_idle_lock_minutes(self.idle_lock.value())
        except ValidationError as error:
            problems[self.idle_lock_error] = full_stop(translate_message(str(error)))
        limit = 0
        try:
            limit = check_discount_limit(
                parse_percent(self.discount_limit.text(), self.session.locale_name)
            )
        except (MoneyError, ValidationError):
            problems[self.discount_limit_error] = self.tr(
                "Type a percentage from 0 to 100, like {example}."
            ).format(example=format_percent(100_000, self.session.locale_name))
        texts = {}
        for field, error_label in (
            (self.header, self.header_error),
            (self.footer, self.footer_error),
        ):
            try:
                texts[field] = clean_receipt_text(field.toPlainText())
            except ValidationError as error:
                problems[error_label] = full_stop(translate_message(str(error)))
        for error_label in self._errors():
            error_label.setText(problems.get(error_label, ""))
            error_label.setVisible(error_label in problems)
        if problems:
            return None
        return CounterSettings(
            idle_lock_minutes=self.idle_lock.value(),
            discount_limit_ppm=limit,
            receipt_header=texts[self.header],
            receipt_footer=texts[self.footer],
        )

    def save(self) -> None:
        settings = self.settings_from_form()
        if settings is None:
            self.message.setText(self.tr("Nothing saved: fix what is marked in red."))
            return
        with_permission(
            self.session,
            self,
            Permission.MANAGE_SETTINGS,
            lambda granted: self.save_with(settings, granted),
        )

    def save_with(self, settings: CounterSettings, authorization: Authorization) -> None:
        register_settings = self.session.register.settings

        def saved(shop: Shop) -> None:
            self.session.set_shop(shop)
            self._show(CounterSettings.of(shop))
            self.message.setText(self.tr("Saved: the counter uses these from its next action."))
            self.session.info(self.tr("Shop settings saved."))

        def failed(error: BaseException) -> None:
            self.message.setText(full_stop(describe_error(error)))

        self.session.db(
            lambda: register_settings.save_counter_settings(settings, authorization=authorization),
            saved,
            failed,
        )
