"""Counting the drawer: one row per note and coin (how many, and what they come to), with a
running total. Notes on the left, coins on the right, so every row fits on a 768-pixel screen."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QSpinBox, QWidget

from pos_app.domain.shifts import denominations
from pos_app.ui.widgets.common import label

MAX_PIECES = 9_999


class CashCountWidget(QWidget):
    sig_changed = Signal(int)
    """The counted total in minor units, after any change of a count."""

    def __init__(
        self, currency: str, money: Callable[[int], str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("CashCount")
        self.money = money
        self.values = denominations(currency)
        self.spinners: dict[int, QSpinBox] = {}
        self.subtotals: dict[int, QLabel] = {}
        columns = QHBoxLayout(self)
        columns.setContentsMargins(0, 0, 0, 0)
        half = (len(self.values) + 1) // 2
        for part in (self.values[:half], self.values[half:]):
            grid = QGridLayout()
            grid.setHorizontalSpacing(12)
            grid.setVerticalSpacing(6)
            grid.addWidget(label(self.tr("Note / coin"), "Muted"), 0, 0)
            grid.addWidget(label(self.tr("How many"), "Muted"), 0, 1)
            grid.addWidget(label(self.tr("Amount"), "Muted"), 0, 2)
            for row, value in enumerate(part, start=1):
                name = label(money(value))
                name.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                spinner = QSpinBox()
                spinner.setObjectName(f"count-{value}")
                spinner.setRange(0, MAX_PIECES)
                spinner.setAccelerated(True)
                spinner.setMinimumWidth(96)
                spinner.valueChanged.connect(lambda _n, v=value: self._changed(v))
                subtotal = label(money(0))
                subtotal.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                subtotal.setMinimumWidth(110)
                grid.addWidget(name, row, 0)
                grid.addWidget(spinner, row, 1)
                grid.addWidget(subtotal, row, 2)
                self.spinners[value] = spinner
                self.subtotals[value] = subtotal
            grid.setRowStretch(len(part) + 1, 1)
            columns.addLayout(grid, 1)

    def _changed(self, value: int) -> None:
        self.subtotals[value].setText(self.money(value * self.spinners[value].value()))
        self.sig_changed.emit(self.total())

    def counts(self) -> dict[int, int]:
        """``{value_minor: how_many}`` for the denominations counted."""
        return {value: s.value() for value, s in self.spinners.items() if s.value()}

    def total(self) -> int:
        return sum(value * s.value() for value, s in self.spinners.items())

    def set_count(self, value: int, how_many: int) -> None:
        self.spinners[value].setValue(how_many)

    def clear(self) -> None:
        for spinner in self.spinners.values():
            spinner.setValue(0)
