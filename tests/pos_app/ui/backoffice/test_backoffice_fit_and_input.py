"""The back office on a small screen and under a mouse: every tab's buttons in view at
1024×768 (and the products' at 1366×768) without scrolling, one scroll area at a time, back at
the top on each visit; the wheel scrolls past number and choice fields instead of changing
them; a tap anywhere on a row ticks it; a test page said to be queued, and a printer that does
not answer shown with its whole error; messages written as sentences."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QScrollBar,
    QSpinBox,
    QTabBar,
    QTableView,
    QTableWidgetItem,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from pos_app.app import install_translations
from pos_app.application.print_queue import PrintWorker
from pos_app.integrations.printing.transport import PrinterUnavailable, Timeouts
from pos_app.ui.backoffice.messages import full_stop
from pos_app.ui.dialogs.override import OverrideDialog
from pos_app.ui.main_window import CounterHooks, MainWindow
from pos_app.ui.screens.backoffice import BackOfficeScreen
from pos_app.ui.widgets.common import wheel_only_when_focused
from tests.pos_app.ui.conftest import click, idle, screen, sign_in, type_text

MAIN_BUTTONS = {
    "CatalogTab": ("NewProduct", "ImportCsv", "SaveProduct"),
    "CategoriesTab": ("AddCategory", "RenameCategory", "RemoveCategory"),
    "ModifierGroupsTab": ("NewGroup", "AddChoice", "RemoveChoice", "SaveGroup"),
    "StockTab": ("SaveCount",),
    "StaffTab": ("AddStaff", "ChangeRole", "ResetPin", "UnlockStaff", "DeactivateStaff"),
    "ShopSettingsTab": ("SaveSettings",),
    "PrintersTab": ("AddPrinter", "PrintTestPage", "RemovePrinter", "SavePrinter"),
}
"""Each tab's own buttons (those in the rows of a table scroll with the table)."""


def back_office(qtbot: QtBot, window: MainWindow) -> BackOfficeScreen:
    window.show_screen("backoffice")
    office = screen(window, "backoffice", BackOfficeScreen)
    idle(qtbot, window.session)
    return office


def every_tab(office: BackOfficeScreen) -> list[tuple[int, int | None]]:
    """(top tab, tab inside its section or None) for every tab of the office."""
    found: list[tuple[int, int | None]] = []
    for top in range(office.tabs.count()):
        section = office.tabs.widget(top)
        if isinstance(section, QTabWidget):
            found += [(top, inner) for inner in range(section.count())]
        else:
            found.append((top, None))
    return found


def choose(office: BackOfficeScreen, top: int, inner: int | None) -> QWidget:
    office.tabs.setCurrentIndex(top)
    section = office.tabs.widget(top)
    if isinstance(section, QTabWidget) and inner is not None:
        section.setCurrentIndex(inner)
    tab = office.current_tab()
    assert tab is not None
    return tab


def out_of_view(window: MainWindow, tab: QWidget) -> list[str]:
    """The tab's main buttons that are not wholly inside the visible part of the window's
    page (the window less its status bar, and less what a scroll area keeps out of view)."""
    page = window.stack.currentWidget()
    assert page is not None
    visible = QRect(page.mapTo(window, QPoint(0, 0)), page.size())
    problems = []
    for name in MAIN_BUTTONS.get(type(tab).__name__, ()):
        found = tab.findChild(QPushButton, name)
        assert found is not None, name
        where = QRect(found.mapTo(window, QPoint(0, 0)), found.size())
        if not found.isVisible() or not visible.contains(where):
            problems.append(f"{type(tab).__name__}.{name} at {where}, view {visible}")
    return problems


def scrolling_bars(window: MainWindow) -> list[str]:
    """The scroll bars on show, outside lists and tables (theirs scroll their rows)."""
    bars = []
    for bar in window.findChildren(QScrollBar):
        holder = bar.parent()
        area = holder.parent() if holder is not None else None
        if bar.isVisible() and not isinstance(area, QAbstractItemView):
            bars.append(area.objectName() if area is not None else "?")
    return bars


def page_scroll(window: MainWindow) -> QScrollBar:
    """The scroll bar of the window's page that holds the back office."""
    page = window.pages["backoffice"]
    assert isinstance(page, QScrollArea)
    return page.verticalScrollBar()


def test_every_tab_s_buttons_are_in_view_at_1024_by_768(
    qtbot: QtBot, qapp: QApplication, window: MainWindow
) -> None:
    window.resize(1024, 768)
    sign_in(qtbot, window, "Sam")
    office = back_office(qtbot, window)
    problems: list[str] = []
    for top, inner in every_tab(office):
        tab = choose(office, top, inner)
        idle(qtbot, window.session)
        QApplication.processEvents()
        problems += out_of_view(window, tab)
        assert page_scroll(window).maximum() == 0, type(tab)
        assert len(scrolling_bars(window)) <= 1, (type(tab), scrolling_bars(window))
    assert not problems, problems


def test_products_buttons_are_in_view_at_1366_by_768(
    qtbot: QtBot, qapp: QApplication, window: MainWindow
) -> None:
    window.resize(1366, 768)
    sign_in(qtbot, window, "Sam")
    office = back_office(qtbot, window)
    office.show_tab(office.catalog)
    QApplication.processEvents()
    assert not out_of_view(window, office.catalog)


@pytest.fixture(params=["en_US", "pt_BR"])
def words(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    """The office's words in each language (installed before the window is built)."""
    translators = install_translations(qapp, request.param)
    yield request.param
    for translator in translators:
        QCoreApplication.removeTranslator(translator)  # type: ignore[arg-type]


@pytest.mark.parametrize("size", [(1024, 768), (1366, 768)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_product_form_shows_every_field_whole_without_scrolling(
    qtbot: QtBot, qapp: QApplication, words: str, window: MainWindow, size: tuple[int, int]
) -> None:
    """The form is in a scroll area for a shorter window; at 1024×768 its last field ("In
    stock") was cut at the bottom of it, 43 px short. Its error line takes room only when
    there is an error, and then it is scrolled into view."""
    window.resize(*size)
    sign_in(qtbot, window, "Sam")
    office = back_office(qtbot, window)
    office.show_tab(office.catalog)
    catalog = office.catalog
    catalog.new_product()
    QApplication.processEvents()
    area = catalog.findChild(QScrollArea, "ProductFormScroll")
    assert area is not None
    view = area.viewport()
    assert area.verticalScrollBar().maximum() == 0, (words, view.size())
    for field in (catalog.sku, catalog.barcode, catalog.active, catalog.track_stock, catalog.stock):
        where = QRect(field.mapTo(view, QPoint(0, 0)), field.size())
        assert view.rect().contains(where), (field.objectName(), where, view.rect())
        assert field.height() >= field.minimumSizeHint().height(), field.objectName()
    assert not catalog.form_error.isVisible()
    catalog.save()  # no SKU, no name: an error, in view under the fields
    qtbot.waitUntil(lambda: catalog.form_error.isVisible())
    error = catalog.form_error
    qtbot.waitUntil(
        lambda: view.rect().contains(QRect(error.mapTo(view, QPoint(0, 0)), error.size()))
    )


def test_the_office_and_each_tab_open_at_their_top(qtbot: QtBot, window: MainWindow) -> None:
    window.resize(1024, 768)
    sign_in(qtbot, window, "Sam")
    office = back_office(qtbot, window)
    office.show_tab(office.printers)
    QApplication.processEvents()
    form = office.printers.findChild(QScrollArea, "PrinterFormScroll")
    assert form is not None
    bar = form.verticalScrollBar()
    assert bar.maximum() > 0  # the printer form is taller than the room at 1024×768
    bar.setValue(bar.maximum())
    office.show_tab(office.card_reader)
    office.show_tab(office.printers)
    assert bar.value() == 0
    bar.setValue(bar.maximum())
    window.show_screen("sell")
    window.show_screen("backoffice")
    assert bar.value() == 0
    assert page_scroll(window).value() == 0


def wheel(widget: QWidget, steps: int = 3) -> None:
    """Turn the mouse wheel down over the middle of `widget`."""
    middle = QPointF(widget.width() / 2, widget.height() / 2)
    event = QWheelEvent(
        middle,
        QPointF(widget.mapToGlobal(middle.toPoint())),
        QPoint(0, 0),
        QPoint(0, -120 * steps),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def test_the_wheel_changes_no_field_without_the_keyboard(qtbot: QtBot, window: MainWindow) -> None:
    sign_in(qtbot, window, "Sam")
    office = back_office(qtbot, window)
    office.show_tab(office.modifiers)
    most = office.modifiers.max_choices
    most.setValue(1)
    most.setMaximum(10)
    wheel(most, -3)  # up: would be 4
    assert most.value() == 1
    office.show_tab(office.printers)
    paper = office.printers.paper
    paper.setCurrentIndex(0)
    wheel(paper)
    assert paper.currentIndex() == 0
    assert most.focusPolicy() is Qt.FocusPolicy.StrongFocus

    # A field being edited takes the wheel as ever.
    alone = QSpinBox()
    alone.setRange(0, 10)
    holder = QWidget()
    alone.setParent(holder)
    wheel_only_when_focused(holder)
    holder.show()
    qtbot.waitExposed(holder)
    holder.activateWindow()
    alone.setFocus()
    qtbot.waitUntil(alone.hasFocus)
    wheel(alone, -1)
    assert alone.value() == 1
    holder.close()


def row_point(items: QListWidget, row: int, x: int | None = None) -> QPoint:
    rect = items.visualItemRect(items.item(row))
    return QPoint(rect.center().x() if x is None else rect.left() + x, rect.center().y())


def test_a_tap_on_a_row_ticks_it(qtbot: QtBot, window: MainWindow) -> None:
    sign_in(qtbot, window, "Sam")
    office = back_office(qtbot, window)
    for tab, items in (
        (office.modifiers, office.modifiers.products),
        (office.printers, office.printers.categories),
    ):
        office.show_tab(tab)
        QApplication.processEvents()
        assert items.count() >= 2
        first = items.item(0)
        assert first.checkState() is Qt.CheckState.Unchecked
        qtbot.mouseClick(items.viewport(), Qt.MouseButton.LeftButton, pos=row_point(items, 0))
        assert first.checkState() is Qt.CheckState.Checked
        qtbot.mouseClick(items.viewport(), Qt.MouseButton.LeftButton, pos=row_point(items, 0))
        assert first.checkState() is Qt.CheckState.Unchecked
        # On the box itself: ticked once, not ticked and unticked.
        second = items.item(1)
        qtbot.mouseClick(items.viewport(), Qt.MouseButton.LeftButton, pos=row_point(items, 1, 14))
        assert second.checkState() is Qt.CheckState.Checked
        assert "24px" in items.styleSheet()


def test_a_group_with_one_choice_says_choice(qtbot: QtBot, window: MainWindow) -> None:
    session = window.session
    sign_in(qtbot, window, "Morgan")
    office = back_office(qtbot, window)
    office.show_tab(office.modifiers)
    idle(qtbot, session)
    groups = office.modifiers
    click(qtbot, groups, "NewGroup")
    type_text(groups.group_name, "Syrup")
    groups.choices.setItem(0, groups.CHOICE_NAME, QTableWidgetItem("Vanilla"))
    groups.choices.setItem(0, groups.CHOICE_PRICE, QTableWidgetItem("0.50"))
    groups.choices.selectRow(1)
    click(qtbot, groups, "RemoveChoice")
    click(qtbot, groups, "SaveGroup")
    qtbot.waitUntil(lambda: any(g.name == "Syrup" for g, _ in groups.groups))
    texts = [groups.group_list.item(i).text() for i in range(groups.group_list.count())]
    assert "Syrup · 1 choice" in texts
    assert "Extras · 4 choices" in texts


def test_a_test_page_is_queued_and_a_refusing_printer_shows_its_whole_error(
    qtbot: QtBot, window: MainWindow
) -> None:
    session = window.session
    window.hooks = CounterHooks(open_drawer=lambda: None)
    window.resize(1024, 768)
    sign_in(qtbot, window, "Sam")
    office = back_office(qtbot, window)
    office.show_tab(office.printers)
    idle(qtbot, session)
    tab = office.printers
    click(qtbot, tab.empty, "EmptyStateAction")
    type_text(tab.name, "Front counter")
    type_text(tab.host, "127.0.0.1")
    click(qtbot, tab, "SavePrinter")
    qtbot.waitUntil(lambda: [s.printer.name for s in tab.statuses] == ["Front counter"])
    tab.select_name("Front counter")
    assert not tab.problem.isVisible()
    click(qtbot, tab, "PrintTestPage")
    qtbot.waitUntil(lambda: "queued" in tab.status.text())
    assert "when the printer answers" in tab.status.text()
    assert "check the paper" not in tab.status.text()
    idle(qtbot, session)

    def refuse(host: str, port: int, payload: bytes, timeouts: Timeouts) -> None:
        raise PrinterUnavailable(host, port, "refused the connection")

    result = PrintWorker(session.register.db, send=refuse).run_once()
    assert result.retried == 1
    tab.refresh()
    qtbot.waitUntil(tab.problem.isVisible)
    text = tab.problem.text()
    assert text.startswith("Last error for Front counter: ")
    assert "refused the connection" in text
    assert tab.problem.wordWrap()
    item = tab.table.item(0, tab.PROBLEM)
    assert item is not None
    assert "refused the connection" in item.toolTip()
    assert not out_of_view(window, tab)
    tab.table.clearSelection()
    assert not tab.problem.isVisible()


def test_messages_read_as_sentences(qtbot: QtBot, window: MainWindow) -> None:
    sign_in(qtbot, window, "Sam")
    office = back_office(qtbot, window)
    office.show_tab(office.settings)
    idle(qtbot, window.session)
    tab = office.settings
    tab.header.setPlainText("A line far too long for 58 mm paper, really")
    click(qtbot, tab, "SaveSettings")
    qtbot.waitUntil(tab.header_error.isVisible)
    assert tab.header_error.text() == "A receipt line can be at most 32 characters."
    assert full_stop("too many wrong PINs: try again in 5 min") == (
        "too many wrong PINs: try again in 5 min."
    )
    assert full_stop("Done.") == "Done."

    dialog = OverrideDialog([], "refund")
    texts = [child.text() for child in dialog.findChildren(type(tab.header_error))]
    assert "A manager must approve: Refund" in texts
    dialog.deleteLater()


def test_every_table_made_in_the_ui_lets_tab_leave() -> None:
    """Tables on dialogs too (the refund's lines): each one made is told at once."""
    made = re.compile(r"^\s*(self\.\w+|\w+) = (QTableWidget|QTableView)\(")
    missing = []
    for source in sorted(Path("pos_app/ui").rglob("*.py")):
        lines = source.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines):
            found = made.match(line)
            if found and not any(
                f"{found.group(1)}.setTabKeyNavigation(False)" in later
                for later in lines[number + 1 : number + 12]
            ):
                missing.append(f"{source}:{number + 1}")
    assert missing == []


def test_tab_leaves_every_table_in_one_step(qtbot: QtBot, window: MainWindow) -> None:
    """Tab goes on from a table to the next control (arrows move within it), in every tab of
    the office and on the screens with a table: no walk through each cell."""
    window.resize(1024, 768)
    sign_in(qtbot, window, "Sam")
    office = back_office(qtbot, window)
    for top, inner in every_tab(office):
        choose(office, top, inner)
    for name in ("sell", "history"):
        window.show_screen(name)
    idle(qtbot, window.session)
    tables = window.findChildren(QTableView)
    assert len(tables) >= 10
    walking = [t.objectName() or type(t.parent()).__name__ for t in tables if t.tabKeyNavigation()]
    assert walking == []
    office = back_office(qtbot, window)
    catalog = choose(office, 0, 0)
    table = catalog.findChild(QTableView)
    assert table is not None
    assert table.model().rowCount() > 1
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 0))
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert not table.hasFocus()


RINGED = (
    QTabBar,
    QAbstractItemView,
    QLineEdit,
    QAbstractSpinBox,
    QComboBox,
    QAbstractButton,
    QPlainTextEdit,
    QLabel,
)
"""The controls the style sheet draws a focus ring on (a label: one with a link)."""


def test_every_tab_stop_of_the_office_shows_its_focus(qtbot: QtBot, window: MainWindow) -> None:
    """Tab through each tab of the office: every stop is a control that shows a ring, never a
    scroll area or the screen itself (a Tab that seemed to do nothing)."""
    window.resize(1024, 768)
    window.show()
    window.activateWindow()
    qtbot.waitActive(window)
    sign_in(qtbot, window, "Sam")
    office = back_office(qtbot, window)
    unseen: set[str] = set()
    for top, inner in every_tab(office):
        choose(office, top, inner)
        idle(qtbot, window.session)
        office.tabs.tabBar().setFocus()
        for _ in range(25):
            focused = QApplication.focusWidget()
            assert focused is not None
            if not isinstance(focused, RINGED):
                unseen.add(f"{type(focused).__name__} {focused.objectName()}")
            qtbot.keyClick(focused, Qt.Key.Key_Tab)
    assert unseen == set()
