"""Back office → Stock & 86: take an item off sale (or bring it back) in one tap, and record a
shelf count. Out-of-stock and low-stock items stand out."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.catalog import Product
from pos_app.domain.staff import Authorization, Permission
from pos_app.ui.dialogs.override import with_permission
from pos_app.ui.widgets.common import button, label

if TYPE_CHECKING:
    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.session import CounterSession

LOW_STOCK = 5
"""At or below this many left, a tracked item shows as low."""
MAX_COUNT = 999_999

_OUT = QColor("#b00020")
_LOW = QColor("#a15c00")


class StockTab(QWidget):
    NAME, STOCK, STATE, TOGGLE = range(4)

    def __init__(self, session: CounterSession, window: MainWindow) -> None:
        super().__init__()
        self.session = session
        self.window_ = window
        root = QVBoxLayout(self)
        self.filter = QLineEdit()
        self.filter.setObjectName("StockFilter")
        self.filter.setPlaceholderText(self.tr("Find a product by name or SKU"))
        self.filter.textChanged.connect(lambda _t: self._apply_filter())
        root.addWidget(self.filter)
        self.table = QTableWidget(0, 4)
        self.table.setTabKeyNavigation(False)  # Tab leaves it; arrows move in it
        self.table.setObjectName("StockTable")
        self.table.setProperty("dense", True)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Product"), self.tr("In stock"), self.tr("State"), self.tr("On sale / 86")]
        )
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(60)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(self.NAME, QHeaderView.ResizeMode.Stretch)
        for column in (self.STOCK, self.STATE):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.TOGGLE, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(self.TOGGLE, 190)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        root.addWidget(self.table, 1)

        count_row = QHBoxLayout()
        self.count_label = label(self.tr("Choose a product to count."), "Subtitle")
        self.count_field = QSpinBox()
        self.count_field.setObjectName("StockCount")
        self.count_field.setRange(0, MAX_COUNT)
        self.count_field.setMinimumWidth(140)
        self.count_button = button(self.tr("Save count"), "primary")
        self.count_button.setObjectName("SaveCount")
        self.count_button.clicked.connect(self.save_count)
        count_row.addWidget(self.count_label, 3)
        count_row.addWidget(self.count_field, 1)
        count_row.addWidget(self.count_button, 1)
        root.addLayout(count_row)
        self.toggles: dict[str, QPushButton] = {}
        session.sig_catalog_changed.connect(self._fill)
        self._fill()

    def refresh(self) -> None:
        self.session.reload_catalog()

    def _products(self) -> list[Product]:
        return self.session.products

    def selected(self) -> Product | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.table.item(rows[0].row(), self.NAME)
        sku = item.data(Qt.ItemDataRole.UserRole) if item else None
        return next((p for p in self._products() if p.sku == sku), None)

    def _fill(self) -> None:
        keep = self.selected()
        products = self._products()
        self.table.blockSignals(True)
        self.table.setRowCount(len(products))
        self.toggles = {}
        bold = QFont()
        bold.setBold(True)
        for row, product in enumerate(products):
            name = QTableWidgetItem(f"{product.name}  ({product.sku})")
            name.setData(Qt.ItemDataRole.UserRole, product.sku)
            stock = QTableWidgetItem(str(product.stock_quantity) if product.track_stock else "—")
            stock.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            state_text, colour = self._state(product)
            state = QTableWidgetItem(state_text)
            if colour is not None:
                for item in (stock, state):
                    item.setForeground(colour)
                    item.setFont(bold)
            self.table.setItem(row, self.NAME, name)
            self.table.setItem(row, self.STOCK, stock)
            self.table.setItem(row, self.STATE, state)
            toggle = button("", "primary" if product.active else "danger")
            toggle.setObjectName(f"toggle86-{product.sku}")
            toggle.setText(self.tr("On sale") if product.active else self.tr("86'd — off"))
            toggle.setToolTip(
                self.tr("Tap to take it off sale (86)")
                if product.active
                else self.tr("Tap to put it back on sale")
            )
            toggle.clicked.connect(lambda _=False, p=product: self.toggle(p))
            self.table.setCellWidget(row, self.TOGGLE, toggle)
            self.toggles[product.sku] = toggle
        self.table.blockSignals(False)
        if keep is not None:
            for row, product in enumerate(products):
                if product.sku == keep.sku:
                    self.table.selectRow(row)
        self._apply_filter()
        self._selection_changed()

    def _state(self, product: Product) -> tuple[str, QColor | None]:
        if not product.active:
            return self.tr("Off the menu"), _OUT
        if not product.track_stock:
            return self.tr("Not counted"), None
        if product.stock_quantity <= 0:
            return self.tr("Out of stock"), _OUT
        if product.stock_quantity <= LOW_STOCK:
            return self.tr("Low"), _LOW
        return self.tr("OK"), None

    def _apply_filter(self) -> None:
        text = self.filter.text().strip().casefold()
        for row, product in enumerate(self._products()):
            hidden = (
                bool(text)
                and text not in product.name.casefold()
                and (text not in product.sku.casefold())
            )
            self.table.setRowHidden(row, hidden)

    def _selection_changed(self) -> None:
        product = self.selected()
        self.count_button.setEnabled(product is not None)
        self.count_field.setEnabled(product is not None)
        if product is None:
            self.count_label.setText(self.tr("Choose a product to count."))
            return
        self.count_label.setText(self.tr("Count of {name}:").format(name=product.name))
        self.count_field.setValue(max(0, product.stock_quantity) if product.track_stock else 0)

    def select_sku(self, sku: str) -> None:
        for row, product in enumerate(self._products()):
            if product.sku == sku:
                self.table.selectRow(row)

    # --- actions -----------------------------------------------------------------------------

    def toggle(self, product: Product) -> None:
        on_sale = not product.active
        with_permission(
            self.session,
            self,
            Permission.MANAGE_CATALOG,
            lambda granted: self.set_on_sale(product, on_sale, granted),
        )

    def set_on_sale(self, product: Product, on_sale: bool, authorization: Authorization) -> None:
        catalog = self.session.register.catalog
        toggle = self.toggles.get(product.sku)
        if toggle is not None:
            toggle.setEnabled(False)  # one tap, one change

        def write() -> None:
            catalog.set_on_sale(product.id, on_sale=on_sale, authorization=authorization)

        def done(_none: None) -> None:
            self.session.info(
                (
                    self.tr("{name} is back on sale.")
                    if on_sale
                    else self.tr("{name} is 86'd: off the menu.")
                ).format(name=product.name)
            )
            self.session.reload_catalog()

        def failed(error: BaseException) -> None:
            self.session.error(error)
            self.session.reload_catalog()

        self.session.db(write, done, failed)

    def save_count(self) -> None:
        product = self.selected()
        if product is None:
            return
        counted = self.count_field.value()
        with_permission(
            self.session,
            self,
            Permission.MANAGE_CATALOG,
            lambda granted: self.count_with(product, counted, granted),
        )

    def count_with(self, product: Product, counted: int, authorization: Authorization) -> None:
        catalog = self.session.register.catalog

        def write() -> int:
            return catalog.count_stock(product.id, counted=counted, authorization=authorization)

        def done(delta: int) -> None:
            self.session.info(
                self.tr("{name}: {count} counted ({delta:+d}).").format(
                    name=product.name, count=counted, delta=delta
                )
            )
            self.session.reload_catalog()

        self.session.db(write, done)
