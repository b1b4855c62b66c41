"""Order history as a lazily loaded table: pages of summaries arrive from the database thread
as the view scrolls, so a register with a million orders opens its history at once.

Paging is by keyset (the last row's ``(business_at, id)``), never by OFFSET and never by loading
every id: each page costs the same however deep the cashier scrolls. The number of matching
orders is counted separately, also in the background.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from pos_app.domain.history import HistoryFilter, OrderSummary
from pos_app.domain.orders import OrderStatus
from pos_app.ui.formatting import format_datetime
from pos_app.ui.session import CounterSession

_Index = QModelIndex | QPersistentModelIndex

PAGE_SIZE = 100

_MUTED = QColor("#777777")
_REFUNDED = QColor("#b00020")


def status_text(status: OrderStatus) -> str:
    """An order status as the cashier reads it (safe on any thread)."""
    texts = {
        OrderStatus.OPEN: QCoreApplication.translate("History", "Open"),
        OrderStatus.PARKED: QCoreApplication.translate("History", "Parked"),
        OrderStatus.PAID: QCoreApplication.translate("History", "Paid"),
        OrderStatus.PARTIALLY_REFUNDED: QCoreApplication.translate("History", "Partly refunded"),
        OrderStatus.REFUNDED: QCoreApplication.translate("History", "Refunded"),
        OrderStatus.VOIDED: QCoreApplication.translate("History", "Voided"),
    }
    return texts[status]


class HistoryModel(QAbstractTableModel):
    NUMBER, DATE, STATUS, TOTAL, REFUNDED, CARD = range(6)
    COLUMNS = 6

    sig_count_changed = Signal(int)
    """How many orders match the search (counted in the background)."""
    sig_page_loaded = Signal(int)
    """A page arrived; the argument is how many rows it added."""

    def __init__(self, session: CounterSession, *, page_size: int = PAGE_SIZE) -> None:
        super().__init__()
        self.session = session
        self.page_size = page_size
        self.history = HistoryFilter()
        self.total: int | None = None
        self._rows: list[OrderSummary] = []
        self._cells: list[tuple[str, ...]] = []
        self._generation = 0
        self._loading = False
        self._exhausted = False

    # --- searching -------------------------------------------------------------------------

    def search(self, history: HistoryFilter) -> None:
        """Start over with another filter: the rows go, the first page and the count load."""
        self.beginResetModel()
        self.history = history
        self._generation += 1
        self._rows = []
        self._cells = []
        self._loading = False
        self._exhausted = False
        self.total = None
        self.endResetModel()
        self._count()

    def refresh(self) -> None:
        self.search(self.history)

    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def exhausted(self) -> bool:
        return self._exhausted

    def _count(self) -> None:
        generation = self._generation
        history = self.history
        orders = self.session.register.history

        def count() -> int:
            return orders.count(history)

        def counted(total: int) -> None:
            if generation == self._generation:
                self.total = total
                self.sig_count_changed.emit(total)

        self.session.db(count, counted)

    # --- lazy loading ----------------------------------------------------------------------

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._loading or self._exhausted:
            return
        self._loading = True
        generation = self._generation
        history = self.history
        limit = self.page_size
        last = self._rows[-1] if self._rows else None
        after = (last.business_at, last.id) if last is not None else None
        orders = self.session.register.history

        format_row = self._format

        def fetch() -> tuple[list[OrderSummary], list[tuple[str, ...]]]:
            page = orders.page(limit=limit, after=after, search=history)
            # Formatting (dates in the shop's zone, money) is done here too, off the GUI thread.
            return page, [format_row(summary) for summary in page]

        def loaded(result: tuple[list[OrderSummary], list[tuple[str, ...]]]) -> None:
            if generation != self._generation:
                return  # a new search started meanwhile
            page, cells = result
            if len(page) < limit:
                self._exhausted = True
            if page:
                # Still "loading" while the rows go in: a view or tester reacting to the
                # insertion must not ask for the next page before this one is in place.
                first = len(self._rows)
                self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
                self._rows.extend(page)
                self._cells.extend(cells)
                self.endInsertRows()
            self._loading = False
            self.sig_page_loaded.emit(len(page))

        def failed(error: BaseException) -> None:
            if generation == self._generation:
                self._loading = False
                self._exhausted = True  # no retry loop: searching again starts over
                self.session.error(error)

        self.session.db(fetch, loaded, failed)

    def _format(self, summary: OrderSummary) -> tuple[str, ...]:
        """The row's texts. Runs on the database thread: no widgets, only immutable data."""
        session = self.session
        return (
            str(summary.number),
            format_datetime(summary.business_at, session.shop.timezone, session.locale_name),
            status_text(summary.status),
            session.money(summary.total_minor),
            session.money(summary.refunded_minor) if summary.refunded_minor else "",
            summary.card_last4 or "",
        )

    def replace_summary(self, summary: OrderSummary) -> None:
        """Show an order's new state (after a refund or a void) without reloading the list."""
        for row, existing in enumerate(self._rows):
            if existing.id == summary.id:
                self._rows[row] = summary
                self._cells[row] = self._format(summary)
                self.dataChanged.emit(self.index(row, 0), self.index(row, self.COLUMNS - 1))
                return

    # --- the model interface ---------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMNS

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role != Qt.ItemDataRole.DisplayRole
            or orientation != Qt.Orientation.Horizontal
            or not 0 <= section < self.COLUMNS
        ):
            return None
        return (
            self.tr("#"),
            self.tr("Date"),
            self.tr("Status"),
            self.tr("Total"),
            self.tr("Refunded"),
            self.tr("Card"),
        )[section]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        column = index.column()
        if not 0 <= column < self.COLUMNS:
            return None
        summary = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells[index.row()][column]
        if role == Qt.ItemDataRole.UserRole:
            return summary.id
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in (self.TOTAL, self.REFUNDED, self.NUMBER):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            if summary.status is OrderStatus.VOIDED:
                return _MUTED
            if summary.status in (OrderStatus.REFUNDED, OrderStatus.PARTIALLY_REFUNDED):
                return _REFUNDED
        return None

    def summary_at(self, row: int) -> OrderSummary | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, order_id: object) -> int:
        for row, summary in enumerate(self._rows):
            if summary.id == order_id:
                return row
        return -1
