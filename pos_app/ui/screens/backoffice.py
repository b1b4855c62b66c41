"""The manager back office: the catalog (products, categories and modifier groups), stock and
86, staff, today's sales, chargebacks, and the shop's set-up (settings, printers and the cash
drawer, the card reader, sync).

Only managers reach it (the window checks MANAGE_CATALOG); every change still goes through
`with_permission`, so the services receive an Authorization and audit who made it.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QScrollArea, QTabWidget, QVBoxLayout, QWidget

from pos_app.ui.backoffice.card_reader_tab import CardReaderTab
from pos_app.ui.backoffice.catalog_tab import CatalogTab
from pos_app.ui.backoffice.disputes_tab import DisputesTab
from pos_app.ui.backoffice.menu_tab import CategoriesTab, ModifierGroupsTab
from pos_app.ui.backoffice.platform_tab import PlatformTab
from pos_app.ui.backoffice.printers_tab import PrintersTab
from pos_app.ui.backoffice.shop_settings_tab import ShopSettingsTab
from pos_app.ui.backoffice.staff_tab import StaffTab
from pos_app.ui.backoffice.stock_tab import StockTab
from pos_app.ui.backoffice.sync_tab import SyncTab
from pos_app.ui.screens.base import Screen
from pos_app.ui.widgets.common import button, label, shortcut, wheel_only_when_focused

if TYPE_CHECKING:
    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.session import CounterSession

log = logging.getLogger(__name__)

OPTIONAL_QT_MODULES = ("PySide6.QtCharts",)
"""Qt modules the back office does without (PySide6-Addons, which a trimmed install may lack)."""


class _FillingLayout(QVBoxLayout):
    """The screen's layout: the screen takes the height it is given (its lists and forms
    shrink and scroll inside), never a taller one worked out from how its wrapped text would
    like to lie, which would scroll the whole screen and hide the buttons under the lists."""

    def hasHeightForWidth(self) -> bool:
        return False


class BackOfficeScreen(Screen):
    name = "backoffice"

    def __init__(self, session: CounterSession, window: MainWindow) -> None:
        super().__init__(session, window)
        root = _FillingLayout(self)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("BackOfficeTabs")
        # The way back sits beside the tabs: the tabs say where you are, and the height goes
        # to the lists and forms.
        back = button(self.tr("Back to selling (F2)"))
        back.setObjectName("BackOfficeBack")
        back.setMinimumWidth(180)
        back.clicked.connect(lambda: self.window_.show_screen("sell"))
        corner = QWidget()
        corner_layout = QHBoxLayout(corner)
        corner_layout.setContentsMargins(0, 0, 4, 4)
        corner_layout.addWidget(back)
        self.tabs.setCornerWidget(corner, Qt.Corner.TopRightCorner)
        self.catalog = CatalogTab(session, window)
        self.categories = CategoriesTab(session, window)
        self.modifiers = ModifierGroupsTab(session, window)
        self.stock = StockTab(session, window)
        self.staff = StaffTab(session, window)
        self.sales = self._sales_tab()
        self.disputes = DisputesTab(session, window)
        self.settings = ShopSettingsTab(session, window)
        self.printers = PrintersTab(session, window)
        self.card_reader = CardReaderTab(session, window)
        self.sync = SyncTab(session, window)
        self.platform = PlatformTab(session)
        # Related tabs share a top tab, so the row fits a 1024-pixel screen in every language.
        self.products = self._section(
            "BackOfficeProducts",
            (self.catalog, self.tr("Products")),
            (self.categories, self.tr("Categories")),
            (self.modifiers, self.tr("Modifier groups")),
        )
        self.setup = self._section(
            "BackOfficeSetup",
            (self.settings, self.tr("Settings")),
            (self.printers, self.tr("Printers && drawer")),
            (self.card_reader, self.tr("Card reader")),
            (self.sync, self.tr("Sync")),
            (self.platform, self.tr("Fees && web console")),
        )
        for widget, title in (
            (self.products, self.tr("Catalog")),
            (self.stock, self.tr("Stock && 86")),
            (self.staff, self.tr("Staff")),
            (self.sales, self.tr("Sales")),
            (self.disputes, self.tr("Chargebacks")),
            (self.setup, self.tr("Shop set-up")),
        ):
            self.tabs.addTab(widget, title)
        self.tabs.currentChanged.connect(lambda _index: self._refresh_current())
        root.addWidget(self.tabs, 1)
        for index in range(self.tabs.count()):
            shortcut(self, f"Ctrl+{index + 1}", lambda i=index: self.tabs.setCurrentIndex(i))
        # A wheel turn over a form scrolls it; it changes a number or a choice only in the
        # field being edited.
        wheel_only_when_focused(self)

    def _section(self, name: str, *tabs: tuple[QWidget, str]) -> QTabWidget:
        section = QTabWidget()
        section.setObjectName(name)
        section.setDocumentMode(True)
        for widget, title in tabs:
            section.addTab(widget, title)
        section.currentChanged.connect(lambda _index: self._refresh_current())
        return section

    def _sales_tab(self) -> QWidget:
        # QtCharts ships in PySide6-Addons: without it the charts are missing, not the office.
        # Only that is skipped (and said, on the tab and in the log): any other ImportError is
        # a broken module, and stops the back office with its error.
        try:
            from pos_app.ui.backoffice.sales_tab import SalesTab
        except ImportError as error:
            if not (error.name or "").startswith(OPTIONAL_QT_MODULES):
                raise
            log.warning("sales tab without charts: %s", error)
            return label(
                self.tr("Sales charts need the PySide6-Addons package ({error}).").format(
                    error=error
                ),
                "Subtitle",
            )
        return SalesTab(self.session, self.window_)

    def activated(self) -> None:
        self._refresh_current()

    def show_tab(self, widget: QWidget) -> None:
        """Bring a tab forward (one inside a section too) and refresh it."""
        for section in (self.products, self.setup):
            if section.indexOf(widget) >= 0:
                section.blockSignals(True)
                section.setCurrentWidget(widget)
                section.blockSignals(False)
                widget = section
        self.tabs.blockSignals(True)
        self.tabs.setCurrentWidget(widget)
        self.tabs.blockSignals(False)
        self._refresh_current()

    def current_tab(self) -> QWidget | None:
        """The tab on screen (inside its section, for a section)."""
        tab = self.tabs.currentWidget()
        if isinstance(tab, QTabWidget):
            tab = tab.currentWidget()
        return tab

    def _refresh_current(self) -> None:
        self._scroll_to_top()
        tab = self.current_tab()
        refresh = getattr(tab, "refresh", None)
        if callable(refresh):
            refresh()

    def _scroll_to_top(self) -> None:
        """Show the back office, or a tab just chosen, from its top: the tabs and the form's
        first fields in view, not where the last visit left the scroll bars."""
        areas = self.current_form_scrolls()
        holder = self.parentWidget()
        while holder is not None and not isinstance(holder, QScrollArea):
            holder = holder.parentWidget()
        if holder is not None:
            areas.append(holder)
        for area in areas:
            area.verticalScrollBar().setValue(0)
            area.horizontalScrollBar().setValue(0)

    def current_form_scrolls(self) -> list[QScrollArea]:
        tab = self.current_tab()
        return tab.findChildren(QScrollArea) if tab is not None else []


SCREEN = BackOfficeScreen
