"""Back office → Catalog: the categories (the sell screen's tabs: add, rename, reorder,
remove) and the modifier groups (a name, how many choices, the choices with their price changes, and
the products that offer the group)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING
from uuid import UUID

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos_app.application.catalog import GroupDraft
from pos_app.domain.catalog import Category, Modifier, ModifierGroup
from pos_app.domain.errors import ValidationError
from pos_app.domain.ids import uuid7
from pos_app.domain.money import MoneyError
from pos_app.domain.staff import Authorization, Permission
from pos_app.ui.backoffice.empty_state import EmptyOr, EmptyState
from pos_app.ui.backoffice.messages import full_stop
from pos_app.ui.dialogs.override import with_permission
from pos_app.ui.formatting import describe_amount_error, format_amount_field, parse_money
from pos_app.ui.session import describe_error
from pos_app.ui.widgets.common import button, fill_ticked, label, tick_on_click, ticked_ids

if TYPE_CHECKING:
    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.session import CounterSession

MAX_CHOICES = 20


def _error_label(name: str) -> QLabel:
    widget = label("")
    widget.setObjectName(name)
    widget.setStyleSheet("color: #b00020; font-weight: bold;")
    return widget


class CategoriesTab(QWidget):
    """The categories: the sell screen's tabs, in their order."""

    def __init__(self, session: CounterSession, window: MainWindow) -> None:
        super().__init__()
        self.session = session
        self.window_ = window
        self.setObjectName("CategoriesTab")
        root = QHBoxLayout(self)
        left = QVBoxLayout()
        left.addWidget(
            label(
                self.tr(
                    "Each category is a tab on the sell screen, in this order. A product is "
                    "filed in one on the Products tab (or by the category column of a CSV)."
                ),
                "Muted",
            )
        )
        self.category_list = QListWidget()
        self.category_list.setObjectName("CategoryList")
        self.category_list.currentRowChanged.connect(lambda _row: self._category_chosen())
        left.addWidget(self.category_list, 1)
        root.addLayout(left, 3)

        right = QVBoxLayout()
        right.addWidget(label(self.tr("Name"), "Subtitle"))
        self.category_name = QLineEdit()
        self.category_name.setObjectName("CategoryName")
        self.category_name.setMaxLength(60)
        self.category_name.setPlaceholderText(self.tr("Category name"))
        self.category_name.returnPressed.connect(self.add_category)
        self.category_error = _error_label("CategoryError")
        self.category_name.textEdited.connect(lambda _t: self.category_error.setText(""))
        right.addWidget(self.category_name)
        right.addWidget(self.category_error)
        grid = QGridLayout()
        self.add_category_button = button(self.tr("Add as a new category"), "primary")
        self.add_category_button.setObjectName("AddCategory")
        self.add_category_button.clicked.connect(self.add_category)
        self.rename_button = button(self.tr("Rename the chosen one"))
        self.rename_button.setObjectName("RenameCategory")
        self.rename_button.clicked.connect(self.rename_category)
        self.up_button = button(self.tr("Move up"))
        self.up_button.setObjectName("CategoryUp")
        self.up_button.clicked.connect(lambda: self.move_category(-1))
        self.down_button = button(self.tr("Move down"))
        self.down_button.setObjectName("CategoryDown")
        self.down_button.clicked.connect(lambda: self.move_category(+1))
        self.remove_category_button = button(self.tr("Remove"), "danger")
        self.remove_category_button.setObjectName("RemoveCategory")
        self.remove_category_button.clicked.connect(self.remove_category)
        grid.addWidget(self.add_category_button, 0, 0, 1, 2)
        grid.addWidget(self.rename_button, 1, 0, 1, 2)
        grid.addWidget(self.up_button, 2, 0)
        grid.addWidget(self.down_button, 2, 1)
        grid.addWidget(self.remove_category_button, 3, 0, 1, 2)
        right.addLayout(grid)
        right.addStretch(1)
        root.addLayout(right, 2)
        session.sig_catalog_changed.connect(self._fill_categories)
        self._fill_categories()

    def refresh(self) -> None:
        self.session.reload_catalog()

    def _fill_categories(self) -> None:
        current = self.selected_category()
        keep = current.id if current is not None else None
        counts: dict[UUID | None, int] = {}
        for product in self.session.products:
            counts[product.category_id] = counts.get(product.category_id, 0) + 1
        self.category_list.blockSignals(True)
        self.category_list.clear()
        for category in self.session.categories:
            count = counts.get(category.id, 0)
            item = QListWidgetItem(
                self.tr("{name} ({count} products)").format(name=category.name, count=count)
                if count != 1
                else self.tr("{name} (1 product)").format(name=category.name)
            )
            item.setData(Qt.ItemDataRole.UserRole, str(category.id))
            self.category_list.addItem(item)
            if category.id == keep:
                self.category_list.setCurrentItem(item)
        self.category_list.blockSignals(False)
        self._update_category_actions()

    def selected_category(self) -> Category | None:
        row = self.category_list.currentRow()
        categories = self.session.categories
        return categories[row] if 0 <= row < len(categories) else None

    def select_category(self, name: str) -> None:
        for row, category in enumerate(self.session.categories):
            if category.name == name:
                self.category_list.setCurrentRow(row)

    def _category_chosen(self) -> None:
        category = self.selected_category()
        if category is not None:
            self.category_name.setText(category.name)
        self.category_error.setText("")
        self._update_category_actions()

    def _update_category_actions(self) -> None:
        category = self.selected_category()
        row = self.category_list.currentRow()
        count = self.category_list.count()
        self.rename_button.setEnabled(category is not None)
        self.remove_category_button.setEnabled(category is not None)
        self.up_button.setEnabled(category is not None and row > 0)
        self.down_button.setEnabled(category is not None and row < count - 1)

    # --- categories ----------------------------------------------------------------------------

    def _with_catalog(self, action: Callable[[Authorization], None]) -> None:
        with_permission(self.session, self, Permission.MANAGE_CATALOG, action)

    def _category_write(
        self, change: Callable[[Authorization], object], done_text: str, select: str | None
    ) -> None:
        def done(_result: object) -> None:
            self.session.info(done_text)
            self.category_error.setText("")
            self.session.reload_catalog()
            if select is not None:
                # The list refills when the catalog arrives; choose the row then.
                def chosen() -> None:
                    self.session.sig_catalog_changed.disconnect(chosen)
                    if shiboken6.isValid(self):  # the back office may have closed meanwhile
                        self.select_category(select)

                self.session.sig_catalog_changed.connect(chosen)

        def failed(error: BaseException) -> None:
            self.category_error.setText(full_stop(describe_error(error)))

        self._with_catalog(lambda granted: self.session.db(lambda: change(granted), done, failed))

    def add_category(self) -> None:
        name = " ".join(self.category_name.text().split())
        if not name:
            self.category_error.setText(self.tr("Type the new category's name first."))
            self.category_name.setFocus()
            return
        catalog = self.session.register.catalog
        self._category_write(
            lambda granted: catalog.add_category(name, authorization=granted),
            self.tr("Category {name} added.").format(name=name),
            name,
        )

    def rename_category(self) -> None:
        category = self.selected_category()
        name = " ".join(self.category_name.text().split())
        if category is None:
            return
        if not name:
            self.category_error.setText(self.tr("Type the new name first."))
            return
        catalog = self.session.register.catalog
        self._category_write(
            lambda granted: catalog.rename_category(category.id, name, authorization=granted),
            self.tr("{old} is now {new}.").format(old=category.name, new=name),
            name,
        )

    def move_category(self, step: int) -> None:
        category = self.selected_category()
        if category is None:
            return
        catalog = self.session.register.catalog
        self._category_write(
            lambda granted: catalog.move_category(category.id, step, authorization=granted),
            self.tr("{name} moved.").format(name=category.name),
            category.name,
        )

    def remove_category(self) -> None:
        category = self.selected_category()
        if category is None:
            return
        catalog = self.session.register.catalog
        self._category_write(
            lambda granted: catalog.remove_category(category.id, authorization=granted),
            self.tr("Category {name} removed.").format(name=category.name),
            None,
        )


class ModifierGroupsTab(QWidget):
    """Modifier groups: a name, how many choices, the choices with their price changes, and
    the products that offer the group."""

    CHOICE_NAME, CHOICE_PRICE = range(2)

    def __init__(self, session: CounterSession, window: MainWindow) -> None:
        super().__init__()
        self.session = session
        self.window_ = window
        self.setObjectName("ModifierGroupsTab")
        self.groups: list[tuple[ModifierGroup, list[UUID]]] = []
        self.editing: ModifierGroup | None = None
        self._select_group: UUID | None = None
        root = QHBoxLayout(self)

        group_list_box = QVBoxLayout()
        self.group_list = QListWidget()
        self.group_list.setObjectName("GroupList")
        self.group_list.currentRowChanged.connect(lambda _row: self._group_chosen())
        self.groups_empty = EmptyState(
            self.tr("No modifier groups yet"),
            self.tr("A group offers choices with a product: a size, a milk, extras."),
        )
        self.group_pane = EmptyOr(self.group_list, self.groups_empty)
        group_list_box.addWidget(self.group_pane, 1)
        self.new_group_button = button(self.tr("New group"))
        self.new_group_button.setObjectName("NewGroup")
        self.new_group_button.clicked.connect(self.new_group)
        group_list_box.addWidget(self.new_group_button)
        root.addLayout(group_list_box, 2)

        editor = QVBoxLayout()
        self.group_title = label(self.tr("New group"), "Subtitle")
        editor.addWidget(self.group_title)
        form = QFormLayout()
        self.group_name = QLineEdit()
        self.group_name.setObjectName("GroupName")
        self.group_name.setMaxLength(60)
        self.group_name.setPlaceholderText(self.tr("Milk"))
        self.required = QCheckBox(self.tr("A choice is required"))
        self.required.setObjectName("GroupRequired")
        self.required.toggled.connect(self._required_toggled)
        self.min_choices = QSpinBox()
        self.min_choices.setObjectName("GroupMin")
        self.min_choices.setRange(0, MAX_CHOICES)
        self.min_choices.valueChanged.connect(self._min_changed)
        self.max_choices = QSpinBox()
        self.max_choices.setObjectName("GroupMax")
        self.max_choices.setRange(1, MAX_CHOICES)
        form.addRow(self.tr("Name"), self.group_name)
        form.addRow(self.required)
        form.addRow(self.tr("Fewest choices"), self.min_choices)
        form.addRow(self.tr("Most choices"), self.max_choices)
        editor.addLayout(form)
        self.choices = QTableWidget(0, 2)
        self.choices.setTabKeyNavigation(False)  # Tab leaves it; arrows move in it
        self.choices.setObjectName("GroupChoices")
        self.choices.setHorizontalHeaderLabels([self.tr("Choice"), self.tr("Price change")])
        self.choices.verticalHeader().hide()
        self.choices.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.choices.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.choices.horizontalHeader()
        header.setSectionResizeMode(self.CHOICE_NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(self.CHOICE_PRICE, QHeaderView.ResizeMode.ResizeToContents)
        editor.addWidget(self.choices, 1)
        choice_actions = QHBoxLayout()
        self.add_choice_button = button(self.tr("Add choice"))
        self.add_choice_button.setObjectName("AddChoice")
        self.add_choice_button.clicked.connect(lambda: self.add_choice())
        self.remove_choice_button = button(self.tr("Remove choice"))
        self.remove_choice_button.setObjectName("RemoveChoice")
        self.remove_choice_button.clicked.connect(self.remove_choice)
        choice_actions.addWidget(self.add_choice_button)
        choice_actions.addWidget(self.remove_choice_button)
        editor.addLayout(choice_actions)
        root.addLayout(editor, 4)

        offered = QVBoxLayout()
        offered.addWidget(label(self.tr("Offered with"), "Subtitle"))
        self.products = QListWidget()
        self.products.setObjectName("GroupProducts")
        tick_on_click(self.products)
        offered.addWidget(self.products, 1)
        self.group_error = _error_label("GroupError")
        offered.addWidget(self.group_error)
        self.save_group_button = button(self.tr("Save group"), "primary")
        self.save_group_button.setObjectName("SaveGroup")
        self.save_group_button.clicked.connect(self.save_group)
        offered.addWidget(self.save_group_button)
        root.addLayout(offered, 3)

        # A bound method, not a lambda: Qt drops the connection when this tab is deleted.
        session.sig_catalog_changed.connect(self._catalog_changed)
        self._fill_products(set())
        self._set_group(None)

    def refresh(self) -> None:
        self.session.db(self.session.register.catalog.modifier_groups, self._show_groups)

    def _with_catalog(self, action: Callable[[Authorization], None]) -> None:
        with_permission(self.session, self, Permission.MANAGE_CATALOG, action)

    def _show_groups(self, groups: list[tuple[ModifierGroup, list[UUID]]]) -> None:
        keep = self._select_group or (self.editing.id if self.editing else None)
        self._select_group = None
        self.groups = groups
        self.group_pane.show_empty(not groups)
        self.group_list.blockSignals(True)
        self.group_list.clear()
        chosen: tuple[ModifierGroup, list[UUID]] | None = None
        for group, product_ids in groups:
            count = len(group.modifiers)
            item = QListWidgetItem(
                self.tr("{name} · 1 choice").format(name=group.name)
                if count == 1
                else self.tr("{name} · {count} choices").format(name=group.name, count=count)
            )
            self.group_list.addItem(item)
            if group.id == keep:
                self.group_list.setCurrentItem(item)
                chosen = (group, product_ids)
        self.group_list.blockSignals(False)
        if chosen is not None:
            self._set_group(*chosen)

    # --- modifier groups -----------------------------------------------------------------------

    def _catalog_changed(self) -> None:
        self._fill_products(self._checked_products())

    def _fill_products(self, checked: set[UUID]) -> None:
        fill_ticked(self.products, ((p.id, p.name) for p in self.session.products), checked)

    def _checked_products(self) -> set[UUID]:
        return ticked_ids(self.products)

    def _group_chosen(self) -> None:
        row = self.group_list.currentRow()
        if 0 <= row < len(self.groups):
            self._set_group(*self.groups[row])

    def _required_toggled(self, required: bool) -> None:
        if required and self.min_choices.value() == 0:
            self.min_choices.setValue(1)
        elif not required:
            self.min_choices.setValue(0)

    def _min_changed(self, value: int) -> None:
        self.required.blockSignals(True)
        self.required.setChecked(value >= 1)
        self.required.blockSignals(False)
        if self.max_choices.value() < value:
            self.max_choices.setValue(value)

    def _set_group(
        self, group: ModifierGroup | None, product_ids: list[UUID] | None = None
    ) -> None:
        self.editing = group
        self.group_error.setText("")
        self.choices.setRowCount(0)
        if group is None:
            self.group_title.setText(self.tr("New group"))
            self.group_name.clear()
            self.min_choices.setValue(0)
            self.max_choices.setValue(1)
            self.add_choice()
            self.add_choice()
            self._fill_products(set())
            return
        self.group_title.setText(self.tr("Edit {name}").format(name=group.name))
        self.group_name.setText(group.name)
        self.max_choices.setValue(max(1, group.max_choices))
        self.min_choices.setValue(group.min_choices)
        for modifier in group.modifiers:
            self.add_choice(modifier)
        self._fill_products(set(product_ids or ()))

    def add_choice(self, modifier: Modifier | None = None) -> None:
        row = self.choices.rowCount()
        self.choices.insertRow(row)
        name = QTableWidgetItem(modifier.name if modifier else "")
        name.setData(Qt.ItemDataRole.UserRole, str(modifier.id if modifier else uuid7()))
        price = QTableWidgetItem(
            self._delta_text(modifier.price_delta_minor) if modifier else self._delta_text(0)
        )
        price.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.choices.setItem(row, self.CHOICE_NAME, name)
        self.choices.setItem(row, self.CHOICE_PRICE, price)
        if modifier is None and self.isVisible():
            self.choices.setCurrentCell(row, self.CHOICE_NAME)
            self.choices.editItem(name)

    def remove_choice(self) -> None:
        row = self.choices.currentRow()
        if row >= 0:
            self.choices.removeRow(row)

    def new_group(self) -> None:
        self.group_list.clearSelection()
        self.group_list.setCurrentRow(-1)
        self._set_group(None)
        self.group_name.setFocus()

    def _delta_text(self, amount_minor: int) -> str:
        text = format_amount_field(
            abs(amount_minor), self.session.shop.currency, self.session.locale_name
        )
        return f"-{text}" if amount_minor < 0 else text

    def _parse_delta(self, text: str) -> int:
        text = text.strip().replace("−", "-")
        negative = text.startswith("-")
        text = text.lstrip("+-").strip() or "0"
        amount = parse_money(text, self.session.shop.currency, self.session.locale_name)
        return -amount if negative else amount

    def draft_from_form(self) -> GroupDraft:
        """The editor as a group draft; raises ValidationError naming what to fix."""
        modifiers = []
        for row in range(self.choices.rowCount()):
            name_item = self.choices.item(row, self.CHOICE_NAME)
            price_item = self.choices.item(row, self.CHOICE_PRICE)
            name = name_item.text().strip() if name_item else ""
            price_text = price_item.text() if price_item else ""
            if not name and not price_text.strip().strip("0.,"):
                continue  # an empty row left over: not a choice
            try:
                delta = self._parse_delta(price_text)
            except MoneyError as error:
                raise ValidationError(
                    self.tr("{choice}: {problem}").format(
                        choice=name or self.tr("Row {row}").format(row=row + 1),
                        problem=describe_amount_error(error),
                    )
                ) from error
            choice_id = name_item.data(Qt.ItemDataRole.UserRole) if name_item else None
            modifiers.append(Modifier(UUID(choice_id) if choice_id else uuid7(), name, delta))
        return GroupDraft(
            id=self.editing.id if self.editing else uuid7(),
            name=self.group_name.text(),
            min_choices=self.min_choices.value(),
            max_choices=self.max_choices.value(),
            modifiers=tuple(modifiers),
        )

    def save_group(self) -> None:
        try:
            draft = self.draft_from_form()
        except ValidationError as error:
            self.group_error.setText(str(error))
            return
        product_ids = sorted(self._checked_products())
        catalog = self.session.register.catalog

        def saved(group: ModifierGroup) -> None:
            self.session.info(self.tr("Modifier group {name} saved.").format(name=group.name))
            self._select_group = group.id
            self.editing = group
            self.refresh()
            self.session.reload_catalog()  # the counter offers the group from now on

        def failed(error: BaseException) -> None:
            self.group_error.setText(full_stop(describe_error(error)))

        self._with_catalog(
            lambda granted: self.session.db(
                lambda: catalog.save_modifier_group(
                    draft, product_ids=product_ids, authorization=granted
                ),
                saved,
                failed,
            )
        )
