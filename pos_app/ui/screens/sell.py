"""The sell screen: category tabs, a product grid, search and barcode entry, and the cart."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from uuid import UUID

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QStyle,
    QStyleOptionButton,
    QTabBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.catalog import Product
from pos_app.domain.errors import DomainError, OutOfStock
from pos_app.domain.fee_invoices import FeeInvoices
from pos_app.domain.history import OrderSummary
from pos_app.domain.money import MoneyError
from pos_app.domain.pricing import Discount, TaxMode
from pos_app.domain.staff import Authorization, Permission
from pos_app.ui.dialogs.override import with_permission
from pos_app.ui.dialogs.prompts import DiscountDialog, ModifierDialog, TextPrompt, align_right
from pos_app.ui.formatting import describe_amount_error, format_amount_field, parse_money
from pos_app.ui.models.cart_model import CartModel
from pos_app.ui.screens.base import Screen
from pos_app.ui.widgets.common import button, clear_layout, label, shortcut
from pos_app.ui.widgets.fee_reminder import counter_reminder_text

if TYPE_CHECKING:
    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.session import CounterSession

TILE_WIDTH = 150
"""The narrowest a product tile gets: the grid has as many columns as its width holds."""
TILE_SPACING = 8
GRID_MARGIN = 8
TILE_TEXT_AIR = 4
"""Pixels a tile's text keeps free inside its padding."""
SEARCH_TAB = -1


@dataclass(frozen=True, slots=True)
class Tile:
    """A product's button in the grid, with the text it shows (wrapped to its width)."""

    button: QPushButton
    name: str
    second: str
    """Under the name: the price, or why it cannot be sold."""


def wrap_words(text: str, fits: Callable[[str], bool]) -> list[str]:
    """The text in lines that each `fit`, broken between words; a word too long for a line on
    its own (rare: a long compound) is split with a hyphen rather than cut off."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if fits(candidate):
            line = candidate
            continue
        if line:
            lines.append(line)
        while len(word) > 1 and not fits(word):
            cut = len(word) - 1
            while cut > 1 and not fits(word[:cut] + "-"):
                cut -= 1
            lines.append(word[:cut] + "-")
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines


class SellScreen(Screen):
    name = "sell"

    def __init__(self, session: CounterSession, window: MainWindow) -> None:
        super().__init__(session, window)
        root = QHBoxLayout(self)

        # --- left: scan / search, categories, products
        left = QVBoxLayout()
        # The platform's reminder when the shop's fee invoice is past due: a line above the
        # scan field, never in the way of a sale (`show_fee_reminder`).
        self.fee_reminder = label("", "Status")
        self.fee_reminder.setObjectName("FeeReminder")
        self.fee_reminder.setStyleSheet(
            # One or two short lines at 1024×768 (the details are in the back office).
            "color: #7a1014; background: #fdecec; border: 1px solid #a4161a; "
            "border-radius: 4px; padding: 4px 8px; font-size: 16px;"
        )
        self.fee_reminder.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.fee_reminder.hide()
        left.addWidget(self.fee_reminder)
        self.scan = QLineEdit()
        self.scan.setObjectName("ScanField")
        self.scan.setPlaceholderText(self.tr("Scan a barcode, or type to search (Enter adds)"))
        self.scan.returnPressed.connect(self._scan_entered)
        self.scan.textChanged.connect(self._search_changed)
        left.addWidget(self.scan)
        self.tabs = QTabBar()
        self.tabs.setExpanding(False)
        self.tabs.currentChanged.connect(lambda _i: self._fill_grid())
        left.addWidget(self.tabs)
        self.grid_host = QWidget()
        self.grid_host.setObjectName("ProductGrid")
        self.grid = QGridLayout(self.grid_host)
        self.grid.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.grid.setSpacing(TILE_SPACING)
        self.grid.setContentsMargins(*(GRID_MARGIN,) * 4)
        self.product_scroll = QScrollArea()
        self.product_scroll.setObjectName("ProductScroll")
        # A tap between the tiles leaves the keyboard on the scan field (the scanner's).
        self.product_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.product_scroll.setWidgetResizable(True)
        # The grid reflows to the width (`_lay_out_tiles`): it scrolls down, never sideways.
        self.product_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.product_scroll.setWidget(self.grid_host)
        self.product_scroll.viewport().installEventFilter(self)
        self.tiles: list[Tile] = []
        self._columns_laid_out = 0
        self._tile_width = TILE_WIDTH
        self._tile_inset = TILE_TEXT_AIR
        self._restyled = QTimer(self)  # once per style change, however many events it sends
        self._restyled.setSingleShot(True)
        self._restyled.setInterval(0)
        self._restyled.timeout.connect(self._fill_grid)
        self.empty_action: QPushButton | None = None
        left.addWidget(self.product_scroll, 1)
        nav = QHBoxLayout()
        for text, target in (
            (self.tr("History (F3)"), "history"),
            (self.tr("Shift (F4)"), "shift"),
            (self.tr("Back office (F5)"), "backoffice"),
        ):
            b = button(text)
            b.clicked.connect(lambda _=False, t=target: self.window_.show_screen(t))
            nav.addWidget(b)
        left.addLayout(nav)
        root.addLayout(left, 3)

        # --- right: the order
        right = QVBoxLayout()
        self.order_title = label("", "Subtitle")
        right.addWidget(self.order_title)
        self.model = CartModel(session)
        self.table = QTableView()
        self.table.setTabKeyNavigation(False)  # Tab leaves it; arrows move in it
        self.table.setObjectName("Cart")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        right.addWidget(self.table, 1)

        line_actions = QHBoxLayout()
        self.minus = button("−")
        self.plus = button("+")
        self.remove = button(self.tr("Remove"))
        self.note = button(self.tr("Note"))
        self.line_discount = button(self.tr("Discount"))
        self.line_price = button(self.tr("Price"))
        self.line_price.setObjectName("ChangePrice")
        self.line_price.setToolTip(self.tr("Change the price of this line (Ctrl+P)"))
        for widget, slot in (
            (self.minus, lambda: self._change_qty(-1)),
            (self.plus, lambda: self._change_qty(+1)),
            (self.remove, self._remove_line),
            (self.note, self._note),
            (self.line_discount, self._discount_line),
            (self.line_price, self._change_price),
        ):
            widget.clicked.connect(slot)
            line_actions.addWidget(widget)
        right.addLayout(line_actions)

        totals = QGridLayout()
        self.subtotal = align_right(label())
        self.discounts = align_right(label())
        self.tax_name = label(self.tr("Tax"))
        self.tax = align_right(label())
        self.total = align_right(label("", "Total"))
        for row, (name, value) in enumerate(
            (
                (label(self.tr("Subtotal")), self.subtotal),
                (label(self.tr("Discounts")), self.discounts),
                (self.tax_name, self.tax),
                (label(self.tr("Total"), "Total"), self.total),
            )
        ):
            totals.addWidget(name, row, 0)
            totals.addWidget(value, row, 1)
        right.addLayout(totals)

        order_actions = QGridLayout()
        self.park = button(self.tr("Park (F8)"))
        self.recall = button(self.tr("Recall (F9)"))
        self.order_discount = button(self.tr("Order discount (F6)"))
        self.void = button(self.tr("Void (F7)"), "danger")
        self.pay = button(self.tr("Pay (F12)"), "primary")
        self.pay.setObjectName("PayButton")
        self.pay.setMinimumHeight(72)
        order_actions.addWidget(self.park, 0, 0)
        order_actions.addWidget(self.recall, 0, 1)
        order_actions.addWidget(self.order_discount, 1, 0)
        order_actions.addWidget(self.void, 1, 1)
        order_actions.addWidget(self.pay, 2, 0, 1, 2)
        right.addLayout(order_actions)
        root.addLayout(right, 2)

        self.park.clicked.connect(self._park)
        self.recall.clicked.connect(self._recall)
        self.order_discount.clicked.connect(self._discount_order)
        self.void.clicked.connect(self._void)
        self.pay.clicked.connect(self._pay)
        for keys, slot in (
            ("F12", self._pay),
            ("F8", self._park),
            ("F9", self._recall),
            ("F6", self._discount_order),
            ("F7", self._void),
            ("Ctrl++", lambda: self._change_qty(+1)),
            ("Ctrl+=", lambda: self._change_qty(+1)),
            ("Ctrl+-", lambda: self._change_qty(-1)),
            ("Ctrl+Del", self._remove_line),
            ("Ctrl+N", self._note),
            ("Ctrl+D", self._discount_line),
            ("Ctrl+P", self._change_price),
            ("Ctrl+Up", lambda: self._move(-1)),
            ("Ctrl+Down", lambda: self._move(+1)),
        ):
            shortcut(self, keys, slot)

        # A note, a discount or a price on the chosen line keeps it chosen (the cart is redrawn
        # whole after each change): -, +, Remove and Discount stay ready for it.
        self._kept_line: UUID | None = None
        self.model.modelAboutToBeReset.connect(self._keep_selection)
        self.model.modelReset.connect(self._restore_selection)
        session.sig_order_changed.connect(self._order_changed)
        session.sig_catalog_changed.connect(self._catalog_changed)
        session.sig_staff_changed.connect(self._staff_changed)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self._catalog_changed()
        self._order_changed()

    # --- catalog grid ------------------------------------------------------------------------

    def activated(self) -> None:
        self.scan.setFocus()
        self._update_actions()

    def keep_focus(self) -> None:
        self.scan.setFocus()  # a scanner is a keyboard: its digits and Enter come here

    def _catalog_changed(self) -> None:
        current = self.tabs.currentIndex()
        self.tabs.blockSignals(True)
        while self.tabs.count():
            self.tabs.removeTab(0)
        for category in self.session.categories:
            self.tabs.addTab(category.name)
        self.tabs.setCurrentIndex(max(0, min(current, self.tabs.count() - 1)))
        self.tabs.blockSignals(False)
        self._fill_grid()

    def _visible_products(self) -> list[Product]:
        text = self.scan.text().strip().casefold()
        if len(text) >= 2 and not self.session.find_code(text):
            return [
                p
                for p in self.session.products
                if text in p.name.casefold() or text in p.sku.casefold()
            ][:40]
        index = self.tabs.currentIndex()
        if not 0 <= index < len(self.session.categories):
            return [p for p in self.session.products if p.category_id is None]
        category = self.session.categories[index].id
        return [p for p in self.session.products if p.category_id == category]

    def _fill_grid(self) -> None:
        clear_layout(self.grid)
        self.tiles = []
        self.empty_action = None
        products = self._visible_products()
        if not products:
            self._show_empty()
            return
        self.grid.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        for product in products:
            widget = button("", "product")
            widget.setObjectName(f"product-{product.sku}")
            second = self.session.money(product.price_minor)
            if not product.active:
                second = self.tr("86 — off the menu")
                widget.setEnabled(False)
                widget.setProperty("stock", "out")
            elif product.track_stock and product.stock_quantity <= 0:
                # Greyed but tappable: a tap meets the same stock rule as a search or a scan
                # (refused, unless a manager approves selling it anyway).
                second = self.tr("Out of stock")
                widget.setProperty("stock", "out")
            widget.setToolTip(f"{product.name}\n{second}")
            widget.clicked.connect(lambda _=False, p=product: self.add_product(p))
            self.tiles.append(Tile(widget, product.name, second))
        self._columns_laid_out = 0
        self._measure_tile(self.tiles[0].button)
        self._lay_out_tiles()

    def _grid_width(self) -> int:
        return self.product_scroll.viewport().width() - 2 * GRID_MARGIN

    def columns(self) -> int:
        """As many tiles of at least the tile's narrowest width as the grid's width holds."""
        narrowest = self._tile_width + TILE_SPACING
        return max(1, (self._grid_width() + TILE_SPACING) // narrowest)

    def _lay_out_tiles(self) -> None:
        """Tiles in as many columns as fit, sharing the width; each name wrapped at its words
        to the tile's width, and every tile as tall as the tallest text needs."""
        if not self.tiles:
            return
        columns = self.columns()
        width = (self._grid_width() - (columns - 1) * TILE_SPACING) // columns
        if columns != self._columns_laid_out:
            for tile in self.tiles:
                self.grid.removeWidget(tile.button)
            for index, tile in enumerate(self.tiles):
                self.grid.addWidget(tile.button, index // columns, index % columns)
            self._columns_laid_out = columns
        height = 0
        for tile in self.tiles:
            widget = tile.button
            widget.setFixedWidth(width)
            # Measured in the font the tile is drawn with: the style sheet's (bold, larger),
            # which a tile made since the last layout only has once polished.
            widget.ensurePolished()
            metrics = QFontMetrics(widget.font())
            room = width - self._tile_inset

            def fits(text: str, metrics: QFontMetrics = metrics, room: int = room) -> bool:
                return metrics.horizontalAdvance(text) <= room

            lines = wrap_words(tile.name, fits) + wrap_words(tile.second, fits)
            widget.setText("\n".join(line.replace("&", "&&") for line in lines))
            height = max(height, widget.sizeHint().height())
        for tile in self.tiles:
            tile.button.setFixedHeight(height)

    def _measure_tile(self, widget: QPushButton) -> None:
        """The narrowest a tile gets, and what its padding and border take from its width, in
        the style sheet's sizes (larger on a big screen)."""
        widget.ensurePolished()
        self._tile_width = max(TILE_WIDTH, widget.minimumWidth())
        option = QStyleOptionButton()
        widget.initStyleOption(option)
        inside = widget.style().subElementRect(
            QStyle.SubElement.SE_PushButtonContents, option, widget
        )
        self._tile_inset = widget.width() - inside.width() + TILE_TEXT_AIR

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.StyleChange and self.tiles:
            self._restyled.start()  # a new style sheet (larger type): measure the tiles again

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.product_scroll.viewport() and event.type() == QEvent.Type.Resize:
            self._lay_out_tiles()
        return super().eventFilter(watched, event)

    def _show_empty(self) -> None:
        """What to do next, where the products would be."""
        box = QWidget()
        box.setObjectName("EmptyProducts")
        layout = QVBoxLayout(box)
        layout.setContentsMargins(12, 24, 12, 12)
        searched = self.scan.text().strip()
        if not self.session.products:
            title = self.tr("No products yet")
            if self.session.can(Permission.MANAGE_CATALOG):
                text = self.tr(
                    "Add them in the back office's Catalog tab: one at a time, or many at once "
                    "by importing a CSV file."
                )
            else:
                text = self.tr("A manager adds them in the back office (Catalog tab).")
        elif len(searched) >= 2:
            title = self.tr("No product matches “{text}”.").format(text=searched)
            text = self.tr("Check the spelling, or scan the product's barcode.")
        else:
            title = self.tr("No products in this category.")
            text = self.tr("Choose another category above, or search.")
        for words, look in ((title, "Subtitle"), (text, "Empty")):
            line = label(words, look)
            line.setAlignment(Qt.AlignmentFlag.AlignCenter)
            line.setTextFormat(Qt.TextFormat.PlainText)
            layout.addWidget(line)
        if not self.session.products and self.session.can(Permission.MANAGE_CATALOG):
            self.empty_action = button(self.tr("Open the catalog (F5)"), "primary")
            self.empty_action.setObjectName("OpenCatalog")
            self.empty_action.clicked.connect(self._open_catalog)
            layout.addWidget(self.empty_action)
        layout.addStretch(1)
        self.grid.setAlignment(Qt.AlignmentFlag.AlignTop)  # the whole width, not the left
        self.grid.addWidget(box, 0, 0)

    def _open_catalog(self) -> None:
        window = self.window_
        window.show_screen("backoffice")
        if window.current == "backoffice":
            window.backoffice.show_tab(window.backoffice.catalog)

    def _staff_changed(self) -> None:
        # The empty state's action depends on who is signed in.
        if not self.tiles:
            self._fill_grid()

    def _search_changed(self, _text: str) -> None:
        self._fill_grid()

    def show_fee_reminder(self, fees: FeeInvoices | None) -> None:
        """The sync loop's news of the fee invoices: the reminder shows while the shop is past
        due, and goes once the invoice is paid. Information only: nothing waits on it."""
        text = fee_reminder_text(fees, self.session.locale_name)
        self.fee_reminder.setText(text or "")
        self.fee_reminder.setVisible(text is not None)

    def _scan_entered(self) -> None:
        code = self.scan.text().strip()
        if not code:
            return
        product = self.session.find_code(code)
        if product is None:
            matches = self._visible_products()
            if len(matches) == 1:
                product = matches[0]
        if product is None:
            self.session.error(self.tr("No product with code “{code}”.").format(code=code))
            self.scan.selectAll()
            return
        self.scan.clear()
        self.add_product(product)

    # --- the cart -------------------------------------------------------------------------------

    def add_product(self, product: Product) -> None:
        """Tile, search + Enter and the scanner all come here: one stock rule for all three."""
        if self.session.staff is None:
            return
        if not product.active:
            self.session.error(self.tr("{name} is off the menu today.").format(name=product.name))
            return
        if product.modifier_groups:
            dialog = ModifierDialog(product, self.session.money, self)
            dialog.sig_chosen.connect(lambda choice: self._add(product, choice))
            dialog.open()
            return
        self._add(product, None)

    def _add(
        self,
        product: Product,
        choice: dict[UUID, list[UUID]] | None,
        oversell: Authorization | None = None,
    ) -> None:
        if self.session.staff is None:
            return  # a choice made in a dialog the lock closed: not the next person's item
        try:
            line = self.session.order.add_product(product, 1, choice, oversell=oversell)
        except OutOfStock as error:
            self._refuse_out_of_stock(error, lambda granted: self._add(product, choice, granted))
            return
        except DomainError as error:
            self.session.error(error)
            return
        if oversell is not None:
            self._oversell_recorded(product.name)
        self.session.order_changed()
        self._select_line(line.id)
        self.scan.setFocus()

    def _refuse_out_of_stock(
        self, error: OutOfStock, approved: Callable[[Authorization], None]
    ) -> None:
        self.session.error(
            self.tr(
                "{name} is out of stock ({available} left). A manager can approve selling it."
            ).format(name=error.name, available=error.available)
        )
        with_permission(self.session, self, Permission.OVERSELL, approved)

    def _oversell_recorded(self, name: str) -> None:
        self.session.info(
            self.tr("{name} sold beyond stock: approved and recorded.").format(name=name)
        )

    def _select_line(self, line_id: UUID) -> None:
        for row in range(self.model.rowCount()):
            if self.model.data(self.model.index(row, 0), Qt.ItemDataRole.UserRole) == line_id:
                self.table.selectRow(row)
                return

    def _keep_selection(self) -> None:
        self._kept_line = self.selected_line()

    def _restore_selection(self) -> None:
        kept, self._kept_line = self._kept_line, None
        if kept is not None and any(line.id == kept for line in self.session.order.lines):
            self._select_line(kept)

    def selected_line(self) -> UUID | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        line = self.model.line_at(rows[0].row())
        return line.id if line else None

    def _move(self, step: int) -> None:
        rows = self.table.selectionModel().selectedRows()
        row = (rows[0].row() if rows else -1) + step
        if 0 <= row < self.model.rowCount():
            self.table.selectRow(row)

    def _change_qty(self, step: int) -> None:
        line_id = self.selected_line()
        if line_id is not None:
            self._set_quantity(line_id, self.session.order.line(line_id).quantity + step)

    def _set_quantity(
        self, line_id: UUID, quantity: int, oversell: Authorization | None = None
    ) -> None:
        """One more of a line meets the stock rule of `_add`, with the same manager approval."""
        line = self.session.order.line(line_id)
        product = next((p for p in self.session.products if p.id == line.product_id), None)
        try:
            self.session.order.change_quantity(line_id, quantity, product, oversell=oversell)
        except OutOfStock as error:
            self._refuse_out_of_stock(
                error, lambda granted: self._set_quantity(line_id, quantity, granted)
            )
            return
        except DomainError as error:
            self.session.error(error)
            return
        if oversell is not None:
            self._oversell_recorded(line.name)
        self.session.order_changed()
        if any(ln.id == line_id for ln in self.session.order.lines):
            self._select_line(line_id)

    def _remove_line(self) -> None:
        line_id = self.selected_line()
        if line_id is not None:
            self.session.order.remove_line(line_id)
            self.session.order_changed()

    def _note(self) -> None:
        line_id = self.selected_line()
        if line_id is None:
            return
        prompt = TextPrompt(
            self.tr("Note for the kitchen"),
            self.tr("Note"),
            self,
            text=self.session.order.line(line_id).note,
            allow_empty=True,
            choices=(
                self.tr("No onions"),
                self.tr("Extra hot"),
                self.tr("To go"),
                self.tr("Allergy: nuts"),
            ),
        )

        def set_note(text: str) -> None:
            try:
                self.session.order.set_line_note(line_id, text)
            except DomainError as error:
                self.session.error(error)
                return
            self.session.order_changed()

        prompt.sig_value.connect(set_note)
        prompt.open()

    def _discount_line(self) -> None:
        line_id = self.selected_line()
        if line_id is not None:
            self._ask_discount(line_id)

    def _discount_order(self) -> None:
        if not self.session.order.is_empty:
            self._ask_discount(None)

    def _ask_discount(self, line_id: UUID | None) -> None:
        title = self.tr("Line discount") if line_id else self.tr("Order discount")
        dialog = DiscountDialog(
            self.session.shop.currency, self.session.locale_name, self, title=title
        )
        dialog.sig_discount.connect(lambda discount: self.apply_discount(discount, line_id))
        dialog.open()

    def apply_discount(
        self, discount: Discount | None, line_id: UUID | None, approval: Authorization | None = None
    ) -> None:
        staff = self.session.staff
        if staff is None:
            return
        order = self.session.order
        base = 0
        if discount is not None:
            totals = order.totals()
            base = (
                totals.line(line_id).gross_minor
                if line_id
                else sum(ln.gross_minor - ln.line_discount_minor for ln in totals.lines)
            )
        needs = (
            discount is not None
            and approval is None
            and self.session.register.sales.discount_needs_approval(base, discount)
            and not staff.can(Permission.LARGE_DISCOUNT)
        )
        if needs:
            with_permission(
                self.session,
                self,
                Permission.LARGE_DISCOUNT,
                lambda granted: self.apply_discount(discount, line_id, granted),
                on_cancel=lambda: self.session.info(
                    self.tr("Discount not applied: no manager approval.")
                ),
            )
            return
        try:
            capped = self.session.register.sales.apply_discount(
                order,
                discount=discount,
                actor=staff,
                approval=approval,
                line_id=line_id,
            )
        except DomainError as error:
            self.session.error(error)
            return
        self.session.order_changed()
        if capped is not None:
            self.session.info(
                self.tr("Discount capped at {amount}: it cannot be more than the amount.").format(
                    amount=self.session.money(capped)
                )
            )

    # --- a price override on the selected line ---------------------------------------------

    def _change_price(self) -> None:
        line_id = self.selected_line()
        if line_id is None or self.session.staff is None:
            return
        line = self.session.order.line(line_id)
        shop = self.session.shop
        prompt = TextPrompt(
            self.tr("Change price"),
            (
                self.tr("New price of one {name}, before its options:")
                if line.modifiers
                else self.tr("New price of one {name}:")
            ).format(name=line.name),
            self,
            text=format_amount_field(
                line.unit_price_minor, shop.currency, self.session.locale_name
            ),
        )
        prompt.setObjectName("PricePrompt")
        prompt.field.selectAll()
        prompt.sig_value.connect(lambda text: self._price_typed(line_id, text))
        prompt.open()

    def _price_typed(self, line_id: UUID, text: str) -> None:
        # The amount is checked before a manager is asked for their PIN.
        try:
            price = parse_money(text, self.session.shop.currency, self.session.locale_name)
        except MoneyError as error:
            self.session.error(describe_amount_error(error))
            return
        with_permission(
            self.session,
            self,
            Permission.PRICE_OVERRIDE,
            lambda granted: self.override_price(line_id, price, granted),
        )

    def override_price(self, line_id: UUID, price_minor: int, authorization: Authorization) -> None:
        order = self.session.order
        try:
            before = order.line(line_id).unit_price_minor
            self.session.register.sales.override_price(
                order, line_id=line_id, unit_price_minor=price_minor, authorization=authorization
            )
        except DomainError as error:  # the line is gone, or the price is refused
            self.session.error(error)
            return
        self.session.order_changed()
        self._select_line(line_id)
        self.session.info(
            self.tr("Price changed from {before} to {after}.").format(
                before=self.session.money(before), after=self.session.money(price_minor)
            )
        )

    # --- order actions ------------------------------------------------------------------------

    def _order_changed(self) -> None:
        order = self.session.order
        totals = order.totals()
        self.subtotal.setText(self.session.money(totals.subtotal_minor))
        self.discounts.setText(self.session.money(-totals.discount_minor))
        self.tax.setText(self.session.money(totals.tax_minor))
        self.tax_name.setText(
            self.tr("Tax (included)") if order.tax_mode is TaxMode.INCLUSIVE else self.tr("Tax")
        )
        self.total.setText(self.session.money(totals.total_minor))
        if order.number is not None:
            title = self.tr("Order #{number}").format(number=order.number)
        else:
            title = self.tr("New order")
        if order.label:
            title += f" — {order.label}"
        self.order_title.setText(title)
        self._update_actions()

    def _update_actions(self) -> None:
        has_lines = not self.session.order.is_empty
        has_line = self.selected_line() is not None
        for widget in (
            self.minus,
            self.plus,
            self.remove,
            self.note,
            self.line_discount,
            self.line_price,
        ):
            widget.setEnabled(has_line)
        for widget in (self.park, self.order_discount, self.void, self.pay):
            widget.setEnabled(has_lines)

    def _pay(self) -> None:
        if self.session.order.is_empty or self.session.staff is None:
            return
        self.window_.show_screen("pay")

    def _park(self) -> None:
        if self.session.order.is_empty:
            return
        prompt = TextPrompt(
            self.tr("Park order"),
            self.tr("Name or table number"),
            self,
            text=self.session.order.label,
        )
        prompt.sig_value.connect(self.park_as)
        prompt.open()

    def park_as(self, label_text: str) -> None:
        staff = self.session.staff
        if staff is None:
            return
        order = self.session.order.clone()
        shift_id = self.session.shift.id if self.session.shift else None
        sales = self.session.register.sales

        def park() -> int:
            return sales.park(order, label=label_text, staff=staff, shift_id=shift_id)

        def parked(number: int) -> None:
            self.session.replace_order()
            self.session.info(
                self.tr("Order #{number} parked as “{label}”.").format(
                    number=number, label=label_text
                )
            )

        self.session.db(park, parked)

    def _recall(self) -> None:
        self.session.db(self.session.register.sales.parked, self._choose_parked)

    def _choose_parked(self, parked: list[OrderSummary]) -> None:
        if not parked:
            self.session.info(self.tr("No parked orders."))
            return
        dialog = QDialog(self)
        dialog.setWindowTitle(self.tr("Recall a parked order"))
        dialog.setObjectName("RecallDialog")
        layout = QVBoxLayout(dialog)
        listing = QListWidget()
        for summary in parked:
            item = QListWidgetItem(
                f"#{summary.number}  {summary.label}  —  {self.session.money(summary.total_minor)}"
            )
            item.setData(Qt.ItemDataRole.UserRole, summary.id)
            listing.addItem(item)
        listing.setCurrentRow(0)
        layout.addWidget(listing)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel
        )
        layout.addWidget(buttons)
        buttons.rejected.connect(dialog.reject)

        def chosen() -> None:
            item = listing.currentItem()
            dialog.accept()
            if item is not None:
                self.recall_order(item.data(Qt.ItemDataRole.UserRole))

        buttons.accepted.connect(chosen)
        listing.itemDoubleClicked.connect(lambda _item: chosen())
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def recall_order(self, order_id: UUID) -> None:
        if not self.session.order.is_empty:
            self.session.error(self.tr("Park or finish the current order first."))
            return

        sales = self.session.register.sales
        self.session.db(lambda: sales.recall(order_id), self.session.replace_order)

    def _void(self) -> None:
        if self.session.order.is_empty:
            return
        prompt = TextPrompt(
            self.tr("Void order"),
            self.tr("Why is this order voided?"),
            self,
            choices=(
                self.tr("Customer changed their mind"),
                self.tr("Rang up by mistake"),
                self.tr("Customer left"),
                self.tr("Test order"),
            ),
        )
        prompt.sig_value.connect(
            lambda reason: with_permission(
                self.session, self, Permission.VOID, lambda granted: self.void_with(granted, reason)
            )
        )
        prompt.open()

    def void_with(self, authorization: Authorization, reason: str) -> None:
        def voided(number: int) -> None:
            self.session.replace_order()
            self.session.info(self.tr("Order #{number} voided.").format(number=number))

        self.session.void_order(
            self.session.order, reason=reason, authorization=authorization, on_voided=voided
        )


def fee_reminder_text(fees: FeeInvoices | None, locale_name: str) -> str | None:
    """The counter's line when the shop is past due (None: no line)."""
    late = fees.past_due if fees is not None else None
    return None if late is None else counter_reminder_text(late, locale_name)
