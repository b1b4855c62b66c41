"""Back office → Catalog: the product list, an edit form, new products and CSV import."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING
from uuid import UUID

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos_app.application.catalog import CsvImportError, ImportResult
from pos_app.domain.catalog import Product
from pos_app.domain.errors import ValidationError
from pos_app.domain.ids import uuid7
from pos_app.domain.money import MoneyError
from pos_app.domain.staff import Authorization, Permission
from pos_app.ui.backoffice.messages import full_stop
from pos_app.ui.dialogs.override import with_permission
from pos_app.ui.formatting import (
    describe_amount_error,
    format_amount_field,
    format_percent,
    parse_money,
    parse_percent,
    translate_fragment,
)
from pos_app.ui.session import describe_error, translate_message
from pos_app.ui.widgets.common import button, label, shortcut, vertical_scroll

if TYPE_CHECKING:
    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.session import CounterSession

MAX_STOCK = 999_999


class CatalogTab(QWidget):
    SKU, NAME, CATEGORY, PRICE, TAX, STOCK = range(6)

    def __init__(self, session: CounterSession, window: MainWindow) -> None:
        super().__init__()
        self.session = session
        self.window_ = window
        self.editing: Product | None = None
        self._select_after_reload: UUID | None = None
        root = QHBoxLayout(self)

        # --- the list
        left = QVBoxLayout()
        self.table = QTableWidget(0, 6)
        self.table.setTabKeyNavigation(False)  # Tab leaves it; arrows move in it
        self.table.setObjectName("CatalogTable")
        self.table.setProperty("dense", True)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("SKU"),
                self.tr("Name"),
                self.tr("Category"),
                self.tr("Price"),
                self.tr("Tax %"),
                self.tr("Stock"),
            ]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for column in range(6):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.NAME, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        left.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.new_button = button(self.tr("New product (Ctrl+N)"))
        self.new_button.setObjectName("NewProduct")
        self.new_button.clicked.connect(self.new_product)
        self.import_button = button(self.tr("Import CSV…"))
        self.import_button.setObjectName("ImportCsv")
        self.import_button.clicked.connect(self.choose_csv)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.import_button)
        left.addLayout(buttons)
        self.import_result = QPlainTextEdit()
        self.import_result.setObjectName("ImportResult")
        self.import_result.setReadOnly(True)
        self.import_result.setMaximumHeight(110)
        self.import_result.hide()
        left.addWidget(self.import_result)
        root.addLayout(left, 3)

        # --- the form (it scrolls on a short screen; Save stays in view below it)
        form_box = QWidget()
        right = QVBoxLayout(form_box)
        right.setContentsMargins(0, 0, 8, 0)
        self.form_title = label(self.tr("Choose a product, or add one"), "Subtitle")
        right.addWidget(self.form_title)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        # 3 px between rows (each field's own frame sets it apart): with 6, the form was 17 px
        # taller than its room at 1024×768.
        form.setVerticalSpacing(3)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.sku = QLineEdit()
        self.sku.setObjectName("ProductSku")
        self.sku.setMaxLength(64)
        self.name = QLineEdit()
        self.name.setObjectName("ProductName")
        self.name.setMaxLength(120)
        self.price = QLineEdit()
        self.price.setObjectName("ProductPrice")
        self.tax = QLineEdit()
        self.tax.setObjectName("ProductTax")
        self.category = QComboBox()
        self.category.setObjectName("ProductCategory")
        self.barcode = QLineEdit()
        self.barcode.setObjectName("ProductBarcode")
        self.barcode.setMaxLength(64)
        self.active = QCheckBox(self.tr("On sale"))
        self.active.setObjectName("ProductActive")
        self.track_stock = QCheckBox(self.tr("Count stock"))
        self.track_stock.setObjectName("ProductTrackStock")
        self.stock = QSpinBox()
        self.stock.setObjectName("ProductStock")
        self.stock.setRange(-MAX_STOCK, MAX_STOCK)
        self.track_stock.toggled.connect(self.stock.setEnabled)
        form.addRow(self.tr("SKU"), self.sku)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Price"), self.price)
        form.addRow(self.tr("Tax %"), self.tax)
        form.addRow(self.tr("Category"), self.category)
        form.addRow(self.tr("Barcode"), self.barcode)
        flags = QHBoxLayout()
        flags.addWidget(self.active)
        flags.addWidget(self.track_stock)
        form.addRow(flags)
        form.addRow(self.tr("In stock"), self.stock)
        right.addLayout(form)
        self.form_error = label("")
        self.form_error.setObjectName("ProductError")
        self.form_error.setStyleSheet("color: #b00020; font-weight: bold;")
        # Shown only with an error in it: an empty line under the form pushed "In stock" out
        # of view at 1024×768 (the form just too tall for its room, its last field cut).
        self.form_error.hide()
        right.addWidget(self.form_error)
        right.addStretch(1)
        side_box = QWidget()
        side_box.setMinimumWidth(320)
        side_box.setMaximumWidth(350)
        side = QVBoxLayout(side_box)
        side.setContentsMargins(0, 0, 0, 0)
        self.form_scroll = vertical_scroll(form_box, "ProductFormScroll")
        side.addWidget(self.form_scroll, 1)
        self.save_button = button(self.tr("Save (Ctrl+S)"), "primary")
        self.save_button.setObjectName("SaveProduct")
        self.save_button.clicked.connect(self.save)
        side.addWidget(self.save_button)
        root.addWidget(side_box, 2)

        shortcut(self, "Ctrl+N", self.new_product)
        shortcut(self, "Ctrl+S", self.save)
        for field in (self.sku, self.name, self.price, self.tax):  # Enter saves, as Ctrl+S
            field.returnPressed.connect(self.save)
        session.sig_catalog_changed.connect(self._fill)
        self._fill()
        self._set_form(None)

    # --- the list --------------------------------------------------------------------------

    def _say_error(self, text: str) -> None:
        """The form's error under its fields (scrolled into view), or none."""
        self.form_error.setText(text)
        self.form_error.setVisible(bool(text))
        if text:  # once the form has made room for it
            QTimer.singleShot(0, lambda: self.form_scroll.ensureWidgetVisible(self.form_error))

    def refresh(self) -> None:
        self.session.reload_catalog()

    def _category_names(self) -> dict[UUID, str]:
        return {c.id: c.name for c in self.session.categories}

    def _fill(self) -> None:
        products = self.session.products
        names = self._category_names()
        saved = self._select_after_reload
        keep = saved or (self.editing.id if self.editing else None)
        self.table.blockSignals(True)
        self.table.setRowCount(len(products))
        for row, product in enumerate(products):
            cells = (
                product.sku,
                product.name,
                names.get(product.category_id, "") if product.category_id else "",
                self.session.money(product.price_minor),
                format_percent(product.tax_rate_ppm, self.session.locale_name),
                # One column for both: an item off sale says so, whatever its stock.
                self.tr("86'd")
                if not product.active
                else str(product.stock_quantity)
                if product.track_stock
                else "—",
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, product.id)
                if not product.active:
                    item.setForeground(Qt.GlobalColor.gray)
                if column in (self.PRICE, self.TAX, self.STOCK):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, column, item)
        self.table.blockSignals(False)
        self._fill_categories()
        if keep is None:
            return
        self._select_after_reload = None
        for row, product in enumerate(products):
            if product.id == keep:
                # Keep the row selected; refill the form only after its own save, so a reload
                # caused elsewhere (an 86 toggle) never wipes an edit in progress.
                self.table.blockSignals(True)
                self.table.selectRow(row)
                self.table.blockSignals(False)
                if saved is not None:
                    self._set_form(product)
                break

    def _fill_categories(self) -> None:
        current = self.category.currentData()
        self.category.clear()
        self.category.addItem(self.tr("(none)"), None)
        for category in self.session.categories:
            self.category.addItem(category.name, str(category.id))
        index = self.category.findData(current)
        self.category.setCurrentIndex(max(0, index))

    def _selection_changed(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        item = self.table.item(rows[0].row(), 0)
        if item is None:
            return
        product_id = item.data(Qt.ItemDataRole.UserRole)
        for product in self.session.products:
            if product.id == product_id:
                self._set_form(product)
                return

    def select_sku(self, sku: str) -> bool:
        for row, product in enumerate(self.session.products):
            if product.sku == sku:
                self.table.selectRow(row)
                return True
        return False

    # --- the form ----------------------------------------------------------------------------

    def _default_tax(self) -> int:
        rates = Counter(p.tax_rate_ppm for p in self.session.products)
        return rates.most_common(1)[0][0] if rates else 0

    def _set_form(self, product: Product | None) -> None:
        self.editing = product
        self._say_error("")
        locale = self.session.locale_name
        if product is None:
            self.form_title.setText(self.tr("New product"))
            self.sku.setReadOnly(False)
            self.sku.clear()
            self.name.clear()
            self.price.clear()
            self.tax.setText(format_percent(self._default_tax(), locale))
            self.barcode.clear()
            self.active.setChecked(True)
            self.track_stock.setChecked(False)
            self.stock.setValue(0)
            self.stock.setEnabled(False)
            return
        self.form_title.setText(self.tr("Edit {name}").format(name=product.name))
        self.sku.setText(product.sku)
        self.name.setText(product.name)
        self.price.setText(
            format_amount_field(product.price_minor, self.session.shop.currency, locale)
        )
        self.tax.setText(format_percent(product.tax_rate_ppm, locale))
        index = self.category.findData(str(product.category_id) if product.category_id else None)
        self.category.setCurrentIndex(max(0, index))
        self.barcode.setText(product.barcode or "")
        self.active.setChecked(product.active)
        self.track_stock.setChecked(product.track_stock)
        self.stock.setValue(product.stock_quantity)
        self.stock.setEnabled(product.track_stock)

    def new_product(self) -> None:
        self.table.clearSelection()
        self._set_form(None)
        self.sku.setFocus()

    def product_from_form(self) -> Product:
        """The form as a product; raises ValidationError naming the field to fix."""
        session = self.session
        try:
            price = parse_money(self.price.text(), session.shop.currency, session.locale_name)
        except MoneyError as error:
            raise ValidationError(
                self.tr("Price: {problem}").format(problem=describe_amount_error(error))
            ) from error
        try:
            tax = parse_percent(self.tax.text(), session.locale_name)
        except MoneyError as error:
            raise ValidationError(
                self.tr("Tax: {problem}").format(problem=translate_message(str(error)))
            ) from error
        category = self.category.currentData()
        base = self.editing
        return Product(
            id=base.id if base else uuid7(),
            sku=self.sku.text().strip(),
            name=" ".join(self.name.text().split()),
            price_minor=price,
            currency=session.shop.currency,
            tax_rate_ppm=tax,
            category_id=UUID(category) if category else None,
            barcode=self.barcode.text().strip() or None,
            active=self.active.isChecked(),
            track_stock=self.track_stock.isChecked(),
            # Stock moves through a count (audited as a stock movement), never silently.
            stock_quantity=base.stock_quantity if base else 0,
            modifier_groups=base.modifier_groups if base else (),
        )

    def save(self) -> None:
        try:
            product = self.product_from_form()
        except ValidationError as error:
            self._say_error(full_stop(translate_message(str(error))))
            return
        counted = self.stock.value() if product.track_stock else None
        with_permission(
            self.session,
            self,
            Permission.MANAGE_CATALOG,
            lambda granted: self.save_with(product, counted, granted),
        )

    def save_with(
        self, product: Product, counted: int | None, authorization: Authorization
    ) -> None:
        catalog = self.session.register.catalog

        def write() -> None:
            catalog.save_product(product, counted=counted, authorization=authorization)

        def saved(_none: None) -> None:
            self._say_error("")
            self.session.info(self.tr("{name} saved.").format(name=product.name))
            self._select_after_reload = product.id
            self.editing = replace(product)
            self.session.reload_catalog()

        def failed(error: BaseException) -> None:
            self.session.error(error)
            self._say_error(full_stop(describe_error(error)))

        self.session.db(write, saved, failed)

    # --- CSV import ----------------------------------------------------------------------------

    def choose_csv(self) -> None:
        dialog = QFileDialog(self, self.tr("Import products from a CSV file"))
        dialog.setObjectName("CsvFileDialog")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilter(self.tr("CSV files (*.csv)"))
        dialog.fileSelected.connect(self.import_file)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def import_file(self, path: str) -> None:
        with_permission(
            self.session,
            self,
            Permission.MANAGE_CATALOG,
            lambda granted: self.import_with(Path(path), granted),
        )

    def import_with(self, path: Path, authorization: Authorization) -> None:
        catalog = self.session.register.catalog

        def run() -> ImportResult:
            return catalog.import_csv_file(path, authorization=authorization)

        def imported(result: ImportResult) -> None:
            text = self.tr("{created} new, {updated} updated").format(
                created=result.created, updated=result.updated
            )
            if result.categories_created:
                text += self.tr(", {count} new categories").format(count=result.categories_created)
            self.import_result.setPlainText(
                self.tr("Imported {file}: {result}.").format(file=path.name, result=text)
            )
            self.import_result.show()
            self.session.info(self.tr("Catalog imported: {result}.").format(result=text))
            self.session.reload_catalog()

        def failed(error: BaseException) -> None:
            if isinstance(error, CsvImportError):
                shown = [
                    self.tr("Row {row}, column {column}: {problem}").format(
                        row=p.row,
                        column=p.column,
                        problem=translate_fragment(p.message).format(**p.values)
                        if p.values
                        else translate_fragment(p.message),
                    )
                    for p in error.problems
                ]
                self.import_result.setPlainText(
                    self.tr("{file} was not imported (nothing changed):").format(file=path.name)
                    + "\n"
                    + "\n".join(shown)
                )
                self.import_result.show()
                count = len(error.problems)
                self.session.error(
                    (
                        self.tr("{file} was not imported: 1 problem, listed below.")
                        if count == 1
                        else self.tr("{file} was not imported: {count} problems, listed below.")
                    ).format(file=path.name, count=count)
                )
                return
            if isinstance(error, OSError):
                self.session.error(
                    self.tr("Could not read {file}: {reason}").format(
                        file=path.name, reason=error.strerror or error
                    )
                )
                return
            self.session.error(error)

        self.session.db(run, imported, failed)
