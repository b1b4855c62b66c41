"""The cart as a Qt table: quantity, item (with modifiers and note), amount."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from pos_app.domain.orders import OrderLine
from pos_app.domain.pricing import OrderTotals
from pos_app.ui.session import CounterSession

_Index = QModelIndex | QPersistentModelIndex


class CartModel(QAbstractTableModel):
    QTY, ITEM, AMOUNT = range(3)

    def __init__(self, session: CounterSession) -> None:
        super().__init__()
        self.session = session
        self.lines: list[OrderLine] = []
        self.totals: OrderTotals | None = None
        self.price_changed: set[str] = set()
        """Ids (as text) of lines whose price was overridden on this order."""
        session.sig_order_changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        self.beginResetModel()
        self.lines = list(self.session.order.lines)
        self.totals = self.session.order.totals() if self.lines else None
        self.price_changed = {
            str(note.details.get("line_id"))
            for note in self.session.order.audit_notes
            if note.action == "price.override"
        }
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return (self.tr("Qty"), self.tr("Item"), self.tr("Amount"))[section]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.lines):
            return None
        line = self.lines[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.QTY:
                return str(line.quantity)
            if column == self.ITEM:
                details = [m.name for m in line.modifiers]
                if str(line.id) in self.price_changed:
                    details.append(self.tr("price changed"))
                if line.discount is not None and self.totals is not None:
                    off = self.totals.line(line.id).line_discount_minor
                    details.append(
                        self.tr("discount {amount}").format(amount=self.session.money(-off))
                    )
                text = line.name
                if details:
                    text += "\n  " + ", ".join(details)
                if line.note:
                    text += "\n  " + self.tr("Note: {note}").format(note=line.note)
                return text
            if column == self.AMOUNT and self.totals is not None:
                figures = self.totals.line(line.id)
                return self.session.money(figures.gross_minor - figures.line_discount_minor)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column == self.AMOUNT:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if column == self.QTY:
                return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.UserRole:
            return line.id
        return None

    def line_at(self, row: int) -> OrderLine | None:
        return self.lines[row] if 0 <= row < len(self.lines) else None
