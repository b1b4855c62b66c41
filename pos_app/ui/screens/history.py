"""Order history: find an order (number, day, amount, card), see all of it, and act on it —
void an unpaid one, refund a paid one, reprint the receipt, recall a parked one."""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import TYPE_CHECKING
from uuid import UUID
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QItemSelection, QLocale, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QSizePolicy,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from pos_app.application.history import OrderDetail
from pos_app.application.refunds import RecordedRefund
from pos_app.domain.business_day import business_date, business_days_utc
from pos_app.domain.clock import utcnow
from pos_app.domain.errors import ValidationError
from pos_app.domain.history import HistoryFilter, OrderSummary
from pos_app.domain.money import MoneyError
from pos_app.domain.orders import OrderStatus
from pos_app.domain.staff import Authorization, Permission
from pos_app.domain.tenders import TenderKind
from pos_app.ui.dialogs.override import with_permission
from pos_app.ui.dialogs.prompts import TextPrompt
from pos_app.ui.dialogs.refund import RefundDialog, RefundRequest
from pos_app.ui.formatting import describe_amount_error, format_datetime, format_number, parse_money
from pos_app.ui.models.history_model import HistoryModel, status_text
from pos_app.ui.screens.base import Screen
from pos_app.ui.session import describe_error, translate_message
from pos_app.ui.widgets.common import button, label, shortcut

if TYPE_CHECKING:
    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.session import CounterSession


REFUNDED_COLOUR = QColor("#b00020")
CELL_PADDING = 10
"""Pixels around a cell's text (the table's margins and a little air)."""
HEADING_PADDING = 16
"""Pixels around a heading (the style sheet's 6 px each side, and air)."""
DETAIL_WIDTH = 320
"""The selected order's pane at its narrowest (its widest button fits): at 1024 pixels the
list keeps every column of the longest locale (pt_BR's dates) without scrolling sideways."""


_RECEIPTED = frozenset({OrderStatus.PAID, OrderStatus.PARTIALLY_REFUNDED, OrderStatus.REFUNDED})
"""Orders that have a receipt to print again: paid ones (an open, parked or voided order has
none)."""


class HistoryScreen(Screen):
    name = "history"

    def __init__(self, session: CounterSession, window: MainWindow) -> None:
        super().__init__(session, window)
        self.detail: OrderDetail | None = None
        self._detail_request = 0
        self._refund_dialog: RefundDialog | None = None
        root = QVBoxLayout(self)

        # --- title and search
        top = QHBoxLayout()
        top.addWidget(label(self.tr("Order history"), "Title"), 1)
        self.count_label = label("", "Subtitle")
        self.count_label.setObjectName("HistoryCount")
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(self.count_label)
        root.addLayout(top)

        search = QGridLayout()
        self.number_field = QLineEdit()
        self.number_field.setObjectName("SearchNumber")
        self.number_field.setPlaceholderText(self.tr("Order #"))
        self.amount_field = QLineEdit()
        self.amount_field.setObjectName("SearchAmount")
        self.amount_field.setPlaceholderText(
            self.tr("Total, e.g. {example}").format(example=session.money(1250))
        )
        self.last4_field = QLineEdit()
        self.last4_field.setObjectName("SearchLast4")
        self.last4_field.setMaxLength(4)
        self.last4_field.setPlaceholderText(self.tr("Card last 4"))
        self.status_combo = QComboBox()
        self.status_combo.setObjectName("SearchStatus")
        self.status_combo.addItem(self.tr("Any status"), None)
        for status in OrderStatus:
            self.status_combo.addItem(status_text(status), status.value)
        self.search_button = button(self.tr("Search (Enter)"), "primary")
        self.search_button.setObjectName("SearchButton")
        self.clear_button = button(self.tr("Clear"))
        search.addWidget(self.number_field, 0, 0)
        search.addWidget(self.amount_field, 0, 1)
        search.addWidget(self.last4_field, 0, 2)
        search.addWidget(self.status_combo, 0, 3)
        self.dates = QCheckBox(self.tr("Only from"))
        self.dates.setObjectName("SearchDates")
        today = self._today()
        self.date_from = QDateEdit(today)
        self.date_to = QDateEdit(today)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(session_date_format(session.locale_name))
            edit.setEnabled(False)
            edit.dateChanged.connect(lambda _d: self.dates.setChecked(True))
        self.dates.toggled.connect(self.date_from.setEnabled)
        self.dates.toggled.connect(self.date_to.setEnabled)
        dates = QHBoxLayout()
        dates.addWidget(self.dates)
        dates.addWidget(self.date_from, 1)
        dates.addWidget(label(self.tr("to")))
        dates.addWidget(self.date_to, 1)
        today_button = button(self.tr("Today"))
        today_button.clicked.connect(self._only_today)
        dates.addWidget(today_button)
        search.addLayout(dates, 1, 0, 1, 2)
        search.addWidget(self.search_button, 1, 2)
        search.addWidget(self.clear_button, 1, 3)
        for column in range(4):
            search.setColumnStretch(column, 1)
        root.addLayout(search)

        # --- the list and the selected order
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        self.model = HistoryModel(session)
        self.table = QTableView()
        self.table.setTabKeyNavigation(False)  # Tab leaves it; arrows move in it
        self.table.setObjectName("HistoryTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(40)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # No orders: say why, and what fills the list, across the empty rows.
        self.empty_label = label("", "Empty")
        self.empty_label.setObjectName("NoOrders")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.hide()
        empty_layout = QVBoxLayout(self.table.viewport())
        empty_layout.setContentsMargins(16, 16, 16, 16)
        empty_layout.addWidget(self.empty_label)
        splitter.addWidget(self.table)
        splitter.addWidget(self._build_detail())
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.splitter = splitter
        root.addWidget(splitter, 1)
        # The order's actions span the width under both panes: room for the detail above.
        actions = QHBoxLayout()
        back = button(self.tr("Back to selling (F2)"))
        back.clicked.connect(lambda: self.window_.show_screen("sell"))
        for widget in (
            self.refund_button,
            self.void_button,
            self.reprint_button,
            self.recall_button,
            back,
        ):
            actions.addWidget(widget)
        root.addLayout(actions)

        for field in (self.number_field, self.amount_field, self.last4_field):
            field.returnPressed.connect(self.search)
        self.search_button.clicked.connect(self.search)
        self.clear_button.clicked.connect(self.clear)
        self.model.sig_count_changed.connect(self._show_count)
        self.model.sig_page_loaded.connect(lambda _n: self._keep_selection())
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        session.sig_staff_changed.connect(self._update_actions)
        for keys, slot in (
            ("Return", self.search),
            ("Enter", self.search),
            ("Ctrl+F", self._focus_search),
            ("F7", self.void),
            ("Ctrl+R", self.refund),
            ("Ctrl+P", self.reprint),
            ("F9", self.recall),
        ):
            shortcut(self, keys, slot)
        self._searched_once = False
        self._filtered = False
        self._reselect: UUID | None = None
        self._show_detail(None)

    def _build_detail(self) -> QWidget:
        panel = QWidget()
        panel.setObjectName("OrderDetail")
        panel.setMinimumWidth(DETAIL_WIDTH)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(6, 0, 0, 0)
        self.detail_title = label("", "Subtitle")
        self.detail_title.setObjectName("DetailTitle")
        self.detail_meta = label("", "Muted")
        self.detail_meta.setObjectName("DetailMeta")
        layout.addWidget(self.detail_title)
        layout.addWidget(self.detail_meta)
        self.lines = QTableWidget(0, 3)
        self.lines.setTabKeyNavigation(False)  # Tab leaves it; arrows move in it
        self.lines.setObjectName("DetailLines")
        self.lines.setHorizontalHeaderLabels([self.tr("Qty"), self.tr("Item"), self.tr("Amount")])
        self.lines.verticalHeader().hide()
        self.lines.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.lines.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.lines.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.lines.setWordWrap(True)
        header = self.lines.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.lines.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # The items take the panel's height first (a table of two rows was all that showed);
        # the payments below keep enough for the totals and a refund or two.
        self.lines.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        layout.addWidget(self.lines, 3)
        self.payments = QTextBrowser()
        self.payments.setObjectName("DetailPayments")
        self.payments.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout.addWidget(self.payments, 2)
        self.receipt_status = label("", "Muted")
        self.receipt_status.setObjectName("ReceiptStatus")
        layout.addWidget(self.receipt_status)
        self.ready_button = button(self.tr("Order ready: tell the customer"))
        self.ready_button.setObjectName("OrderReady")
        self.ready_button.clicked.connect(self.tell_ready)
        layout.addWidget(self.ready_button)
        self.void_button = button(self.tr("Void (F7)"), "danger")
        self.void_button.setObjectName("VoidOrder")
        self.refund_button = button(self.tr("Refund (Ctrl+R)"), "danger")
        self.refund_button.setObjectName("RefundOrder")
        self.reprint_button = button(self.tr("Reprint (Ctrl+P)"))
        self.reprint_button.setObjectName("ReprintOrder")
        self.recall_button = button(self.tr("Recall (F9)"), "primary")
        self.recall_button.setObjectName("RecallOrder")
        self.void_button.clicked.connect(self.void)
        self.refund_button.clicked.connect(self.refund)
        self.reprint_button.clicked.connect(self.reprint)
        self.recall_button.clicked.connect(self.recall)
        return panel

    # --- searching ---------------------------------------------------------------------------

    def _fit_columns(self) -> None:
        """Column widths from the samples each column shows, in the table's own font (so
        they suit every locale's date and money formats without measuring every row)."""
        self.table.ensurePolished()
        metrics = self.table.fontMetrics()
        session = self.session
        sample_time = datetime(2000, 12, 28, 22, 58, tzinfo=ZoneInfo("UTC"))
        samples = {
            HistoryModel.NUMBER: ["000000"],
            HistoryModel.DATE: [format_datetime(sample_time, "UTC", session.locale_name)],
            HistoryModel.STATUS: [status_text(s) for s in OrderStatus],
            HistoryModel.TOTAL: [session.money(99_999)],
            HistoryModel.REFUNDED: [session.money(99_999)],
            HistoryModel.CARD: ["0000"],
        }
        header = self.table.horizontalHeader()
        # The headings are bold (the style sheet's), which the header's own font is not.
        bold = QFont(header.font())
        bold.setBold(True)
        heading_metrics = QFontMetrics(bold)
        for column, texts in samples.items():
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            widest = max(metrics.horizontalAdvance(t) for t in texts) + CELL_PADDING
            heading = heading_metrics.horizontalAdvance(title) + HEADING_PADDING
            header.resizeSection(column, max(widest, heading))
        # The frame (its focus ring) on both sides, and 2 px of air.
        frame = 2 * self.table.frameWidth() + 2
        wanted = header.length() + self.table.verticalScrollBar().sizeHint().width() + frame
        total = sum(self.splitter.sizes())
        self.splitter.setSizes(
            [min(wanted, total - DETAIL_WIDTH), max(DETAIL_WIDTH, total - wanted)]
        )

    def activated(self) -> None:
        self._fit_columns()
        if not self._searched_once:
            self.search()
        else:
            # Sales made since the last visit show up; the order being looked at stays chosen.
            self._reselect = self.selected_id()
            self._show_detail(None)
            self.model.refresh()
            if self.model.canFetchMore():
                self.model.fetchMore()
        self.number_field.setFocus()

    def keep_focus(self) -> None:
        self.number_field.setFocus()

    def _today(self) -> QDate:
        shop = self.session.shop
        today = business_date(utcnow(), shop.timezone, shop.business_day_ends_minutes)
        return QDate(today.year, today.month, today.day)

    def _only_today(self) -> None:
        today = self._today()
        self.date_from.setDate(today)
        self.date_to.setDate(today)
        self.dates.setChecked(True)
        self.search()

    def _focus_search(self) -> None:
        self.number_field.setFocus()
        self.number_field.selectAll()

    def build_filter(self) -> HistoryFilter:
        """The search fields as a filter; raises ValidationError with what to fix."""
        number = None
        text = self.number_field.text().strip().lstrip("#")
        if text:
            if not text.isdigit():
                raise ValidationError(self.tr("An order number is digits only."))
            number = int(text)
        total = None
        if self.amount_field.text().strip():
            try:
                total = parse_money(
                    self.amount_field.text(), self.session.shop.currency, self.session.locale_name
                )
            except MoneyError as error:
                raise ValidationError(describe_amount_error(error)) from error
        last4 = self.last4_field.text().strip() or None
        if last4 is not None and not (len(last4) == 4 and last4.isdigit()):
            raise ValidationError(self.tr("Enter the card's last 4 digits."))
        since = until = None
        if self.dates.isChecked():
            first = self.date_from.date().toPython()
            last = self.date_to.date().toPython()
            shop = self.session.shop
            since, until = business_days_utc(
                first,  # type: ignore[arg-type]
                last,  # type: ignore[arg-type]
                shop.timezone,
                shop.business_day_ends_minutes,
            )
        status_value = self.status_combo.currentData()
        return HistoryFilter(
            number=number,
            since=since,
            until=until,
            total_minor=total,
            card_last4=last4,
            status=OrderStatus(status_value) if status_value else None,
        )

    def search(self) -> None:
        try:
            history_filter = self.build_filter()
        except ValidationError as error:
            self.session.error(translate_message(str(error)))
            return
        self._searched_once = True
        self._filtered = history_filter != HistoryFilter()
        self._reselect = None
        self.count_label.setText(self.tr("Searching…"))
        self._show_detail(None)
        self.model.search(history_filter)
        if self.model.canFetchMore():
            self.model.fetchMore()  # the view would ask too, but only once it is shown

    def clear(self) -> None:
        for field in (self.number_field, self.amount_field, self.last4_field):
            field.clear()
        self.status_combo.setCurrentIndex(0)
        self.dates.setChecked(False)
        self.search()

    def _show_count(self, total: int) -> None:
        self.count_label.setText(
            self.tr("{count} orders").format(count=format_number(total, self.session.locale_name))
            if total != 1
            else self.tr("1 order")
        )
        if total == 0:
            self.empty_label.setText(
                self.tr("No order matches this search.\nClear shows every order.")
                if self._filtered
                else self.tr(
                    "No orders yet.\nEvery order rung up on this register is listed here: "
                    "back to selling (F2) for the first."
                )
            )
        self.empty_label.setVisible(total == 0)
        if total == 1 and self.model.rowCount() == 1 and self.selected_id() is None:
            self.table.selectRow(0)

    def _keep_selection(self) -> None:
        if self._reselect is not None and self.select_order(self._reselect):
            self._reselect = None
            return
        if self.model.total == 1 and self.model.rowCount() == 1 and self.selected_id() is None:
            self.table.selectRow(0)

    # --- the selected order ------------------------------------------------------------------

    def selected_id(self) -> UUID | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        summary = self.model.summary_at(rows[0].row())
        return summary.id if summary else None

    def select_order(self, order_id: UUID) -> bool:
        row = self.model.row_of(order_id)
        if row >= 0:
            self.table.selectRow(row)
        return row >= 0

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        order_id = self.selected_id()
        if order_id is None:
            self._show_detail(None)
        else:
            self.load_detail(order_id)

    def load_detail(self, order_id: UUID) -> None:
        self._detail_request += 1
        request = self._detail_request
        register = self.session.register

        def fetch() -> OrderDetail:
            return register.history.order_detail(order_id)

        def loaded(detail: OrderDetail) -> None:
            if request == self._detail_request:  # the cashier has not moved on meanwhile
                self._show_detail(detail)

        self.detail_title.setText(self.tr("Loading…"))
        self.session.db(fetch, loaded)

    def _show_detail(self, detail: OrderDetail | None) -> None:
        self.detail = detail
        self.receipt_status.setText("")
        if detail is None:
            self._detail_request += 1
            self.detail_title.setText(self.tr("Choose an order on the left."))
            self.detail_meta.setText("")
            self.lines.setRowCount(0)
            self.payments.clear()
            self._update_actions()
            return
        order = detail.order
        money = self.session.money
        self.detail_title.setText(
            self.tr("Order #{number} — {status}").format(
                number=order.number, status=status_text(order.status)
            )
        )
        meta = [
            format_datetime(
                detail.business_at, self.session.shop.timezone, self.session.locale_name
            )
        ]
        if detail.staff_name:
            meta.append(self.tr("by {name}").format(name=detail.staff_name))
        if order.label:
            meta.append(order.label)
        self.detail_meta.setText(" · ".join(meta))
        self.lines.setRowCount(len(order.lines))
        for row, line in enumerate(order.lines):
            item = line.name
            details = [m.name for m in line.modifiers]
            if line.note:
                details.append(self.tr("Note: {note}").format(note=line.note))
            if details:
                item += "\n  " + ", ".join(details)
            figures = detail.totals.line(line.id)
            refunded = detail.refunded_units.get(line.id, 0)
            if refunded:
                item += "\n  " + self.tr("{count} refunded").format(count=refunded)
            cells = (
                str(line.quantity),
                item,
                money(figures.gross_minor - figures.line_discount_minor),
            )
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if column == 0:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                elif column == 2:
                    cell.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if refunded:
                    cell.setForeground(REFUNDED_COLOUR)
                cell.setData(Qt.ItemDataRole.UserRole, refunded)
                self.lines.setItem(row, column, cell)
        self.payments.setHtml(self._payments_html(detail))
        self._update_actions()

    def _payments_html(self, detail: OrderDetail) -> str:
        order = detail.order
        totals = detail.totals
        money = self.session.money
        rows: list[tuple[str, str]] = [(self.tr("Subtotal"), money(totals.subtotal_minor))]
        if totals.discount_minor:
            rows.append((self.tr("Discounts"), money(-totals.discount_minor)))
        rows.append((self.tr("Tax"), money(totals.tax_minor)))
        total_text = self.tr("Total")
        rows.append((f"<b>{total_text}</b>", f"<b>{money(totals.total_minor)}</b>"))
        for tender in order.tenders:
            if tender.kind is TenderKind.CARD:
                card = f"{(tender.card_brand or '').title()} •••• {tender.card_last4 or '????'}"
                text = self.tr("Card {card}").format(card=escape(card.strip()))
                amount = money(tender.amount_minor)
                if tender.tip_minor:
                    amount += " " + self.tr("+ tip {tip}").format(tip=money(tender.tip_minor))
            else:
                text = self.tr("Cash")
                amount = money(tender.amount_minor)
                if tender.change_minor:
                    amount += " " + self.tr("(given {given}, change {change})").format(
                        given=money(tender.tendered_minor), change=money(tender.change_minor)
                    )
            rows.append((text, amount))
        if order.refunded_minor:
            rows.append(
                (
                    "<span style='color:#b00020'>" + self.tr("Refunded") + "</span>",
                    f"<span style='color:#b00020'>{money(-order.refunded_minor)}</span>",
                )
            )
        # A tip given back goes to the card with its refund, apart from the sale's total.
        tip_refunded = sum(r.tip_minor for r in detail.refunds if r.status != "failed")
        if tip_refunded:
            rows.append(
                (
                    "<span style='color:#b00020'>" + self.tr("Tip refunded") + "</span>",
                    f"<span style='color:#b00020'>{money(-tip_refunded)}</span>",
                )
            )
        html = ["<table width='100%' cellspacing='2'>"]
        html += [f"<tr><td>{name}</td><td align='right'>{value}</td></tr>" for name, value in rows]
        html.append("</table>")
        if detail.void_reason:
            html.append(
                "<p>"
                + escape(self.tr("Voided: {reason}").format(reason=detail.void_reason))
                + "</p>"
            )
        for refund in detail.refunds:
            who = refund.staff_name
            if refund.approved_by_name:
                who = self.tr("{name}, approved by {approver}").format(
                    name=refund.staff_name, approver=refund.approved_by_name
                )
            how = []
            if refund.cash_minor:
                how.append(self.tr("cash {amount}").format(amount=money(refund.cash_minor)))
            if refund.tip_minor:  # the tip goes back on the card, with the card's part
                how.append(
                    self.tr("card {amount} incl. tip {tip}").format(
                        amount=money(refund.card_minor + refund.tip_minor),
                        tip=money(refund.tip_minor),
                    )
                )
            elif refund.card_minor:
                how.append(self.tr("card {amount}").format(amount=money(refund.card_minor)))
            state = {
                "pending": self.tr("card refund pending"),
                "failed": self.tr("failed"),
            }.get(refund.status, "")
            if refund.status == "failed" and 0 < refund.refused_minor < refund.amount_minor:
                state = self.tr("card refund of {refused} refused").format(
                    refused=money(refund.refused_minor)
                )
            when = format_datetime(
                refund.created_at, self.session.shop.timezone, self.session.locale_name
            )
            amount = money(refund.amount_minor)
            if refund.tip_minor:  # given back on the card with it, apart from the sale
                amount += " " + self.tr("+ tip {tip}").format(tip=money(refund.tip_minor))
            text = self.tr("Refund {amount} on {when} — “{reason}” — {who} — {how}").format(
                amount=amount,
                when=when,
                reason=refund.reason,
                who=who,
                how=", ".join(how),
            )
            if state:
                text += f" ({state})"
            html.append(f"<p style='color:#b00020'>{escape(text)}</p>")
        return "".join(html)

    def _update_actions(self) -> None:
        detail = self.detail
        signed_in = self.session.staff is not None
        self.void_button.setEnabled(signed_in and detail is not None and detail.can_void)
        self.refund_button.setEnabled(signed_in and detail is not None and detail.can_refund)
        self.reprint_button.setEnabled(detail is not None and detail.order.status in _RECEIPTED)
        self.recall_button.setEnabled(
            signed_in and detail is not None and detail.order.status is OrderStatus.PARKED
        )
        self.ready_button.setEnabled(
            signed_in
            and detail is not None
            and detail.order.customer_id is not None
            and detail.order.status is OrderStatus.PAID
        )

    def tell_ready(self) -> None:
        """Queue "your order is ready" for the order's customer (on the channels they agreed to)."""
        detail = self.detail
        if detail is None:
            return
        order_id = detail.order.id
        session = self.session

        def queue() -> int:
            return session.register.history.tell_ready(order_id)

        def queued(count: int) -> None:
            if count:
                self.receipt_status.setText(self.tr("The customer will be told it is ready."))
                session.sig_outbox_changed.emit()
            else:
                self.receipt_status.setText(self.tr("This customer did not ask for updates."))

        session.db(queue, queued)

    def _reload_selected(self, order_id: UUID) -> None:
        """After a change: the row and the detail panel show the order as it is now."""
        register = self.session.register

        def fetch() -> list[OrderSummary]:
            return register.history.summaries([order_id])

        def fetched(summaries: list[OrderSummary]) -> None:
            for summary in summaries:
                self.model.replace_summary(summary)
            if self.selected_id() == order_id:
                self.load_detail(order_id)

        self.session.db(fetch, fetched)

    # --- actions ---------------------------------------------------------------------------

    def reprint(self) -> None:
        detail = self.detail
        if detail is None or detail.order.status not in _RECEIPTED:
            return
        self.window_.print_receipt(detail.order.id, self.receipt_status)

    def recall(self) -> None:
        detail = self.detail
        if detail is None or detail.order.status is not OrderStatus.PARKED:
            return
        if not self.session.order.is_empty:
            self.session.error(self.tr("Park or finish the current order first."))
            return
        self.window_.show_screen("sell")
        self.window_.sell.recall_order(detail.order.id)

    def void(self) -> None:
        detail = self.detail
        if detail is None or not detail.can_void or self.session.staff is None:
            return
        prompt = TextPrompt(
            self.tr("Void order #{number}").format(number=detail.order.number),
            self.tr("Why is this order voided?"),
            self,
            choices=(
                self.tr("Customer changed their mind"),
                self.tr("Rang up by mistake"),
                self.tr("Customer left"),
                self.tr("Test order"),
            ),
        )
        prompt.setObjectName("VoidReasonPrompt")
        prompt.sig_value.connect(
            lambda reason: with_permission(
                self.session,
                self,
                Permission.VOID,
                lambda granted: self.void_with(detail, granted, reason),
            )
        )
        prompt.open()

    def void_with(self, detail: OrderDetail, authorization: Authorization, reason: str) -> None:
        order = detail.order
        if self.session.card is None and detail.held_card_payments:
            self.session.error(
                self.tr(
                    "This order has a card approval to release: the card reader must be "
                    "connected to void it."
                )
            )
            return

        def voided(number: int) -> None:
            self.session.info(self.tr("Order #{number} voided.").format(number=number))
            self._reload_selected(order.id)

        self.session.void_order(
            order,
            reason=reason,
            authorization=authorization,
            on_voided=voided,
            holds_card=detail.held_card_payments > 0,
        )

    def refund(self) -> None:
        detail = self.detail
        if detail is None or not detail.can_refund or self.session.staff is None:
            return
        dialog = RefundDialog(
            detail,
            self.session.money,
            self.session.shop.currency,
            self.session.locale_name,
            self,
        )
        dialog.sig_request.connect(
            lambda request: with_permission(
                self.session,
                dialog,
                Permission.REFUND,
                lambda granted: self.refund_with(detail, request, granted, dialog),
            )
        )
        dialog.finished.connect(lambda _result: setattr(self, "_refund_dialog", None))
        self._refund_dialog = dialog
        dialog.open()

    def refund_with(
        self,
        detail: OrderDetail,
        request: RefundRequest,
        authorization: Authorization,
        dialog: RefundDialog | None = None,
    ) -> None:
        order_id = detail.order.id
        expected = detail.order.refunded_minor
        register = self.session.register
        shift_id = self.session.shift.id if self.session.shift else None
        if dialog is not None:
            dialog.set_busy(True)

        def record() -> RecordedRefund:
            return register.refunds.record(
                order_id,
                expected_refunded_minor=expected,
                authorization=authorization,
                reason=request.reason,
                lines=request.lines,
                amount_minor=request.amount_minor,
                to_cash_drawer=request.to_cash_drawer,
                restock=request.restock,
                shift_id=shift_id,
                tip_minor=request.tip_minor,
            )

        def recorded(result: RecordedRefund) -> None:
            if dialog is not None and self._refund_dialog is dialog:
                dialog.accept()
            # What went back to the customer: the sale part and any card tip with it.
            money = self.session.money(result.plan.amount_minor + result.plan.tip_minor)
            if result.cash_minor:
                # Stays up until dismissed, and the card's answer is added to it rather than
                # put in its place: the cashier must still see how much cash to give back.
                text = self.tr(
                    "Refund of {amount} recorded: give {cash} back from the drawer."
                ).format(amount=money, cash=self.session.money(result.cash_minor))
                self.session.instruct(text)
            else:
                text = self.tr("Refund of {amount} recorded.").format(amount=money)
                self.session.info(text)
            if result.card_allocation_ids:
                self._send_card_refunds(result, text if result.cash_minor else "")
            if result.cash_minor:
                self.session.refresh_shift()
            self._reload_selected(order_id)

        def failed(error: BaseException) -> None:
            text = describe_error(error)
            if dialog is not None and self._refund_dialog is dialog:
                dialog.show_error(text)
            self.session.error(text)

        self.session.db(record, recorded, failed)

    def _send_card_refunds(self, result: RecordedRefund, cash_text: str = "") -> None:
        """Send the card part; `cash_text` (the cash to give back) heads whatever it says."""

        def with_cash(text: str) -> str:
            return f"{cash_text}\n{text}" if cash_text else text

        card = self.session.card
        if card is None:
            self.session.error(
                with_cash(
                    self.tr(
                        "The card refund is saved but the card reader is not connected: it is "
                        "sent when the reader is back. Do not refund it again."
                    )
                )
            )
            return
        refund_id = result.refund_id
        order_id = result.order_id

        def sent(problems: list[str]) -> None:
            if problems:
                self.session.error(with_cash("\n".join(translate_message(p) for p in problems)))
            elif cash_text:
                self.session.instruct(with_cash(self.tr("The card refund went through.")))
            else:
                self.session.info(self.tr("The card refund went through."))
            self._reload_selected(order_id)

        refunds = self.session.register.refunds
        self.session.net(lambda: refunds.send_to_cards(card, refund_id), sent)


def session_date_format(locale_name: str) -> str:
    return str(QLocale(locale_name).dateFormat(QLocale.FormatType.ShortFormat))


SCREEN = HistoryScreen
