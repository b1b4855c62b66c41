"""Back office → Shop set-up → Fees & web console: the platform's invoice for each closed
month (its amount, state and when it was paid), as the sync server last told this register,
and a reminder when the shop is past due. Read from the register's copy (a database read);
"Check now" asks the server on the network pool. Paying happens on Stripe's page (linked from
the reminder); the card is saved or changed on the web console's Payment method page."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.clock import utcnow
from pos_app.domain.errors import DomainError
from pos_app.domain.fee_invoices import UNPAID, FeeInvoice, FeeInvoices
from pos_app.domain.month_text import month_text
from pos_app.ui.formatting import format_date, format_datetime, format_money
from pos_app.ui.session import CounterSession, describe_error
from pos_app.ui.widgets.common import button, label, shortcut
from pos_app.ui.widgets.fee_reminder import reminder_html

PAST_DUE_RED = "#a4161a"
FAILED_AMBER = "#7a4100"
"""A failed payment still within its grace: the web console's warning colour (7:1 on white)."""


class FeeInvoicesSection(QGroupBox):
    def __init__(self, session: CounterSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("FeeInvoicesSection")
        self.fees: FeeInvoices | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(label(self.tr("Fee invoices"), "Subtitle"))
        explain = label(
            self.tr(
                "Counter POS invoices each closed month's fee and charges the shop's saved "
                "card; a shop without a saved card gets the invoice by email, with a due date, "
                "and the owner pays it on Stripe's page. If an invoice is still unpaid 14 days "
                "after its first failed payment or after its due date (or once Stripe stops "
                "trying), the counter shows a reminder until it is paid. Sales are never "
                "blocked."
            )
            + " "
            + self.tr(
                "The owner can save or change the card on the web console's Payment method page."
            ),
            "Muted",
        )
        explain.setObjectName("FeeInvoicesExplain")
        layout.addWidget(explain)
        self.reminder = label("", "Status")
        self.reminder.setObjectName("FeePastDue")
        # Tab reaches its link (Enter opens it): the focus shows as the ring the other controls
        # have, the border there in every state so the text never moves.
        self.reminder.setStyleSheet(
            f"QLabel {{ color: {PAST_DUE_RED}; font-weight: bold; "
            "border: 3px solid transparent; border-radius: 6px; }"
            "QLabel:focus { border-color: #b45309; }"
        )
        # Rich text with a link to Stripe's page (the address itself wrapped after "http://").
        self.reminder.setTextFormat(Qt.TextFormat.RichText)
        self.reminder.setOpenExternalLinks(True)
        self.reminder.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.reminder.hide()
        layout.addWidget(self.reminder)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("FeeInvoicesTable")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Month"), self.tr("Amount"), self.tr("Status"), self.tr("Paid on")]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Tab leaves the list (to "Check now", the web console's form); arrows move in it. Qt's
        # default walked Tab through every cell: 4 a month before reaching the next control.
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        # A state with its note ("Past due: payment failed (4 attempts)") wraps in its cell and
        # the row grows, never cut with an ellipsis on a 1024-pixel screen or in Portuguese.
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        # Every month shows at once, the table as tall as its rows: the tab scrolls (one
        # scroll, by wheel or keyboard), never a second scroll hiding the oldest months.
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.verticalHeader().sectionResized.connect(lambda *_: self._fit_height())
        layout.addWidget(self.table)
        row = QHBoxLayout()
        self.status = label("", "Muted")
        self.status.setObjectName("FeeInvoicesStatus")
        row.addWidget(self.status, 1)
        # Buttons take no keyboard focus (it stays on the counter's scanner field): a key asks.
        self.check = button(self.tr("Check now (Ctrl+R)"))
        self.check.setObjectName("FeeInvoicesCheck")
        self.check.clicked.connect(self.check_now)
        shortcut(self, "Ctrl+R", self.check_now)
        row.addWidget(self.check)
        layout.addLayout(row)
        # Word-wrapped labels under-report their height: the section asks for its room.
        self.setMinimumHeight(500)

    def _fit_height(self) -> None:
        rows = sum(self.table.rowHeight(row) for row in range(self.table.rowCount()))
        height = self.table.horizontalHeader().height() + rows + 2 * self.table.frameWidth()
        self.table.setFixedHeight(max(height, 120))

    def refresh(self) -> None:
        """The register's copy (a database read)."""
        self.session.db(self.session.register.settings.fee_invoices, self.show_fees)

    def check_now(self) -> None:
        """Ask the sync server (network pool)."""
        if not self.check.isEnabled():  # already asking
            return
        settings = self.session.register.settings
        config = self.session.config
        self.check.setEnabled(False)
        self.status.setText(self.tr("Asking the sync server…"))
        self.session.net(lambda: settings.read_fee_invoices(config), self._read, self._failed)

    def _read(self, fees: FeeInvoices) -> None:
        self.check.setEnabled(True)
        self.show_fees(fees)

    def _failed(self, error: BaseException) -> None:
        self.check.setEnabled(True)
        reason = describe_error(error) if isinstance(error, DomainError) else str(error)
        self.status.setText(self.tr("The sync server could not be asked: {reason}").format(
            reason=reason))  # fmt: skip

    def status_text(self, invoice: FeeInvoice, now: datetime) -> str:
        """The invoice's state, and what the owner needs to know of it: a failed payment, the
        due date of an emailed invoice, a credit note, an amount carried in or out."""
        state = {
            "pending": self.tr("Being prepared"),
            "draft": self.tr("Being prepared"),
            "open": self.tr("Awaiting payment"),
            "paid": self.tr("Paid"),
            "void": self.tr("Cancelled"),
            "uncollectible": self.tr("Unpaid"),
            "zero": self.tr("No fee"),
            "carried": self.tr("Carried to a later month"),
        }.get(invoice.status, invoice.status)
        if invoice.past_due:
            state = self.tr("Past due")
        shop, locale = self.session.shop, self.session.locale_name

        def money(amount_minor: int) -> str:
            return format_money(amount_minor, invoice.currency, locale)

        notes = []
        if invoice.status == "carried" and invoice.carried_out_minor:
            notes.append(self.tr("{amount}, below Stripe's minimum charge").format(
                amount=money(invoice.carried_out_minor)))  # fmt: skip
        unpaid = invoice.status in UNPAID
        if unpaid and invoice.first_failed_at is not None:
            notes.append(
                self.tr("the card payment failed (1 attempt)")
                if invoice.attempt_count <= 1
                else self.tr("the card payment failed ({count} attempts)").format(
                    count=invoice.attempt_count
                )
            )
        if unpaid and invoice.due_at is not None:
            due = format_date(invoice.due_at, shop.timezone, locale)
            notes.append(
                self.tr("due on {date}").format(date=due)
                if invoice.due_at > now
                else self.tr("was due on {date}").format(date=due)
            )
        if invoice.credit_minor:
            notes.append(self.tr("{amount} credited").format(amount=money(invoice.credit_minor)))
        if invoice.carried_in_minor > 0:
            notes.append(self.tr("includes {amount} carried from earlier months").format(
                amount=money(invoice.carried_in_minor)))  # fmt: skip
        return (
            self.tr("{state}: {notes}").format(state=state, notes="; ".join(notes))
            if notes
            else state
        )

    def show_fees(self, fees: FeeInvoices | None) -> None:
        self.fees = fees
        shop, locale = self.session.shop, self.session.locale_name
        invoices = fees.invoices if fees is not None else ()
        now = fees.fetched_at if fees is not None else utcnow()  # when the server said so
        self.table.setRowCount(len(invoices))
        for row, invoice in enumerate(invoices):
            cells = [
                month_text(invoice.period, locale, capital=True),
                format_money(invoice.amount_minor, invoice.currency, locale),
                self.status_text(invoice, now),
                format_date(invoice.paid_at, shop.timezone, locale) if invoice.paid_at else "–",
            ]
            failed = invoice.status in UNPAID and invoice.first_failed_at is not None
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if invoice.past_due:
                    item.setForeground(QColor(PAST_DUE_RED))
                elif failed:
                    item.setForeground(QColor(FAILED_AMBER))
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        self._fit_height()
        late = fees.past_due if fees is not None else None
        if late is not None:
            self.reminder.setText(reminder_html(late, locale, fees))
            self.reminder.show()
        else:
            self.reminder.hide()
        if fees is None:
            self.status.setText(self.tr("Not read from the sync server yet."))
        elif not invoices:
            self.status.setText(self.tr("No month invoiced yet (checked {when}).").format(
                when=format_datetime(fees.fetched_at, shop.timezone, locale)))  # fmt: skip
        else:
            self.status.setText(self.tr("As the sync server said on {when}.").format(
                when=format_datetime(fees.fetched_at, shop.timezone, locale)))  # fmt: skip
