"""The counter fits the screens shops run it on: 1024×768, 1280×800, 1366×768 and 1920×1080
full screen, and a window on a 1024×768 screen with a title bar and a task bar. At each size no
counter screen scrolls sideways, the sell and pay screens' buttons are touch-sized, and product
names wrap between words inside their tiles instead of being cut. Also: the banner lies over
the screen (it moves nothing), errors stay until something works, and the window is placed on
screens of every size."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QPushButton,
    QScrollBar,
    QStyle,
    QStyleOptionButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from pos_app.app import (
    COUNTER_WINDOW,
    FRAME_ALLOWANCE,
    WIZARD_WINDOW,
    style_scale,
    stylesheet,
    windowed_geometry,
)
from pos_app.cli import build_parser
from pos_app.config import load_config
from pos_app.ui.main_window import INFO_SECONDS, MainWindow
from pos_app.ui.screens.pay import PayScreen
from pos_app.ui.screens.sell import SellScreen, wrap_words
from tests.pos_app.ui.conftest import idle, open_shift, ring_up, screen, sign_in

MIN_TOUCH = 44
"""Pixels: the smallest a button a finger taps may be."""

# A 1024×768 screen less a 40-pixel task bar, as a window with its title bar: the smallest
# space the counter gets.
SMALL_WINDOW = windowed_geometry(QRect(0, 0, 1024, 728), QSize(*COUNTER_WINDOW)).size()
SIZES = [(1024, 768), (1280, 800), (1366, 768), (1920, 1080)]
COUNTER_SCREENS = ("login", "sell", "pay", "finish", "history", "shift")


def sideways_scroll_bars(window: MainWindow) -> list[str]:
    """The visible horizontal scroll bars, each named by the scroll area holding it."""
    names = []
    for bar in window.findChildren(QScrollBar):
        if bar.orientation() is Qt.Orientation.Horizontal and bar.isVisible():
            holder = bar.parent()  # the scroll bar's container, in its scroll area
            area = holder.parent() if holder is not None else None
            names.append(area.objectName() or type(area).__name__ if area else "?")
    return names


def small_buttons(widget: QWidget) -> list[str]:
    return [
        f"{button.objectName() or button.text()!r}: {button.height()} px"
        for button in widget.findChildren(QPushButton)
        if button.isVisible() and button.height() < MIN_TOUCH
    ]


def cut_buttons(widget: QWidget) -> list[str]:
    """Buttons whose text is wider than the room inside their padding (cut at both ends)."""
    problems = []
    for button in widget.findChildren(QPushButton):
        if not button.isVisible():
            continue
        option = QStyleOptionButton()
        button.initStyleOption(option)
        inside = button.style().subElementRect(
            QStyle.SubElement.SE_PushButtonContents, option, button
        )
        metrics = button.fontMetrics()
        for line in button.text().replace("&&", "&").split("\n"):
            if metrics.horizontalAdvance(line) > inside.width():
                problems.append(f"{line!r}: {metrics.horizontalAdvance(line)} > {inside.width()}")
    return problems


def cut_tiles(sell: SellScreen) -> list[str]:
    """Tiles that run past the grid's edge (`cut_buttons` checks the text inside them), or
    whose name is split inside a word though the tile is wide enough for every word."""
    edge = sell.product_scroll.viewport().width()
    problems = []
    for tile in sell.tiles:
        widget = tile.button
        if "-\n" in widget.text() and all(len(word) <= 12 for word in tile.name.split()):
            problems.append(f"{tile.name!r} split in a word: {widget.text()!r}")
        right = widget.mapTo(sell.product_scroll.viewport(), widget.rect().topRight()).x()
        if right > edge:
            problems.append(f"{tile.name!r} ends at {right} px, past {edge}")
    return problems


@pytest.mark.parametrize(
    "size",
    [*SIZES, (SMALL_WINDOW.width(), SMALL_WINDOW.height())],
    ids=lambda size: f"{size[0]}x{size[1]}",
)
def test_every_counter_screen_fits_without_sideways_scrolling(
    qtbot: QtBot, qapp: QApplication, window: MainWindow, size: tuple[int, int]
) -> None:
    qapp.setStyleSheet(stylesheet(style_scale(*size)))  # larger on a big screen, as the app
    window.resize(*size)
    session = window.session
    seen: dict[str, list[str]] = {}

    def check(name: str) -> None:
        idle(qtbot, session)
        qtbot.waitUntil(lambda: window.current == name)
        assert window.size() == QSize(*size), f"the window cannot be {size}"
        page = window.stack.currentWidget()
        assert page is not None
        needs = page.minimumSizeHint()
        room = window.stack.size()
        assert needs.height() <= room.height(), f"{name} needs {needs}, has {room}"
        assert needs.width() <= room.width(), f"{name} needs {needs}, has {room}"
        seen[name] = sideways_scroll_bars(window)

    check("login")
    sign_in(qtbot, window, "Sam")
    check("shift")  # no shift open yet: the screen to open one
    open_shift(qtbot, window)
    ring_up(qtbot, window, [("FOD-FRI", 2), ("DRK-COL", 1), ("BAK-CRO", 1)])
    sell = screen(window, "sell", SellScreen)
    for index in range(sell.tabs.count()):
        sell.tabs.setCurrentIndex(index)
        check("sell")
        assert not small_buttons(sell), small_buttons(sell)
        assert not cut_tiles(sell), cut_tiles(sell)
        assert not cut_buttons(sell), cut_buttons(sell)
    window.show_screen("pay")
    check("pay")
    pay = screen(window, "pay", PayScreen)
    assert not small_buttons(pay), small_buttons(pay)
    assert not cut_buttons(pay), cut_buttons(pay)
    for tip in pay.tip_buttons:  # chosen, each still shows all its text
        tip.setChecked(True)
        assert not cut_buttons(pay), cut_buttons(pay)
    pay.tip_buttons[0].setChecked(True)
    pay.take_cash_amount(2_000)
    qtbot.waitUntil(lambda: window.current == "finish", timeout=10_000)
    check("finish")
    for name in ("history", "shift"):
        window.show_screen(name)
        check(name)
    assert set(seen) == set(COUNTER_SCREENS)
    assert not {name: bars for name, bars in seen.items() if bars}


def test_the_grid_reflows_to_the_width(qtbot: QtBot, window: MainWindow) -> None:
    sign_in(qtbot, window, "Sam")
    open_shift(qtbot, window)
    sell = screen(window, "sell", SellScreen)
    columns: dict[int, int] = {}
    for width, height in SIZES:
        window.resize(width, height)
        qtbot.waitUntil(lambda: window.width() == width)  # noqa: B023 (waited for here)
        columns[width] = sell.columns()
        rows = {tile.button.y() for tile in sell.tiles}
        assert len(rows) == -(-len(sell.tiles) // sell.columns())  # full rows, then the rest
    assert columns[1024] >= 3
    assert columns[1024] < columns[1366] < columns[1920]


def test_the_style_grows_on_a_big_screen_only() -> None:
    assert style_scale(1024, 768) == style_scale(1366, 768) == style_scale(1280, 800) == 1.0
    assert style_scale(1920, 1080) > 1.0
    assert "font-size: 21px" in stylesheet(1.25)  # 17 px type
    assert "font-size: 17px" in stylesheet()


def test_names_wrap_between_words_and_long_words_split_with_a_hyphen() -> None:
    def fits(text: str) -> bool:
        return len(text) <= 10

    assert wrap_words("Blueberry Muffin", fits) == ["Blueberry", "Muffin"]
    assert wrap_words("Soup of the Day", fits) == ["Soup of", "the Day"]
    assert wrap_words("Bagel & Cream Cheese", fits) == ["Bagel &", "Cream", "Cheese"]
    assert wrap_words("Donaudampfschiff", fits) == ["Donaudamp-", "fschiff"]
    assert wrap_words("", fits) == []


def test_an_ampersand_in_a_name_is_shown_not_taken_for_a_shortcut(
    qtbot: QtBot, window: MainWindow
) -> None:
    session = window.session
    sign_in(qtbot, window, "Sam")
    open_shift(qtbot, window)
    sell = screen(window, "sell", SellScreen)
    product = next(p for p in session.products if not p.modifier_groups)
    renamed = [
        replace(p, name="Bagel & Cream Cheese") if p.id == product.id else p
        for p in session.products
    ]
    session.set_catalog(session.categories, renamed)
    [tile] = [t.button for t in sell.tiles if t.button.objectName() == f"product-{product.sku}"]
    # A QPushButton shows "&&" as "&"; a lone "&" would underline the next letter instead.
    assert tile.text().startswith("Bagel &&")


def test_no_products_says_where_to_add_them(qtbot: QtBot, window: MainWindow) -> None:
    session = window.session
    sign_in(qtbot, window, "Morgan")  # a manager
    open_shift(qtbot, window)
    sell = screen(window, "sell", SellScreen)
    session.set_catalog([], [])
    assert sell.findChild(QWidget, "EmptyProducts") is not None
    assert sell.empty_action is not None
    qtbot.waitUntil(sell.empty_action.isVisible)
    assert "CSV" in " ".join(text.text() for text in sell.findChildren(QLabel))
    sell.empty_action.click()
    assert window.current == "backoffice"
    assert window.backoffice.current_tab() is window.backoffice.catalog
    sign_in(qtbot, window, "Alex")  # a cashier: told who adds them, no button
    session.set_catalog([], [])  # (signing in read the demo's catalog again)
    window.show_screen("sell")
    assert sell.tiles == []
    assert sell.empty_action is None


def test_the_banner_lies_over_the_screen_and_moves_nothing(
    qtbot: QtBot, window: MainWindow
) -> None:
    sign_in(qtbot, window, "Sam")
    open_shift(qtbot, window)
    sell = screen(window, "sell", SellScreen)

    def where(widget: QWidget) -> QRect:
        return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())

    before = (where(window.stack), where(sell.tabs), where(sell.product_scroll))
    window.show_message("Something went wrong, and the text is long enough to wrap " * 3)
    assert window.banner.isVisible()
    assert (where(window.stack), where(sell.tabs), where(sell.product_scroll)) == before
    assert where(sell).contains(where(window.banner).topLeft())  # over the screen's top
    # A tap on the banner dismisses it.
    qtbot.mouseClick(window.banner, Qt.MouseButton.LeftButton)
    assert not window.banner.isVisible()


def test_a_tap_under_the_banner_reaches_the_control_under_it(
    qtbot: QtBot, window: MainWindow
) -> None:
    """The banner covers the scan field and the category tabs: a tap there is the cashier's
    (found on a real X server: it only dismissed the banner). Clicked through the window, as
    the window system delivers it, so the widget under the point is the one Qt picks."""
    sign_in(qtbot, window, "Sam")
    open_shift(qtbot, window)
    sell = screen(window, "sell", SellScreen)
    sell.tabs.setCurrentIndex(0)
    window.show_message("Something went wrong, and the text is long enough to wrap " * 6)
    banner = QRect(window.banner.mapTo(window, QPoint(0, 0)), window.banner.size())
    tab = sell.tabs.tabRect(2).center()
    point = sell.tabs.mapTo(window, tab)
    assert banner.contains(point)  # the tab lies under the banner
    handle = window.windowHandle()
    assert handle is not None
    QTest.mouseClick(handle, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
    assert sell.tabs.currentIndex() == 2  # the tap reached the tab
    assert not window.banner.isVisible()  # and the banner went

    # Its ✕ is its own: a tap on it closes the banner and nothing under it.
    window.show_message("No product with code “123”.")
    close = window.banner.close_button
    assert close.isVisible()
    point = close.mapTo(window, close.rect().center())
    assert banner.contains(point)
    sell.scan.setText("typed")
    QTest.mouseClick(handle, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
    assert not window.banner.isVisible()
    assert not close.isVisible()
    assert sell.tabs.currentIndex() == 2


def test_information_expires_errors_stay_until_something_works(
    qtbot: QtBot, window: MainWindow
) -> None:
    session = window.session
    sign_in(qtbot, window, "Sam")
    open_shift(qtbot, window)
    window.show_message("Order parked.", "info")
    assert window.banner._timer.isActive()
    assert window.banner._timer.interval() == INFO_SECONDS * 1000
    session.error("No product with code “123”.")
    assert not window.banner._timer.isActive()  # an error does not time out
    qtbot.wait(50)
    assert window.banner.isVisible()
    sell = screen(window, "sell", SellScreen)
    cola = session.find_code("DRK-COL")
    assert cola is not None
    sell.add_product(cola)  # the next scan works: the error is stale
    assert not window.banner.isVisible()
    session.instruct("Hand back the cash taken: $1.00.")
    qtbot.wait(10)
    sell.add_product(cola)
    assert window.banner.isVisible()  # an instruction stays until dismissed


def test_the_error_raised_with_a_change_survives_it(qtbot: QtBot, window: MainWindow) -> None:
    session = window.session
    sign_in(qtbot, window, "Sam")
    open_shift(qtbot, window)
    session.error("Park or finish the current order first.")
    session.order_changed()  # in the same step: the error is that step's outcome
    assert window.banner.isVisible()


@pytest.mark.parametrize(
    ("available", "fits"),
    [
        (QRect(0, 0, 1920, 1040), True),  # room for 1280×800
        (QRect(0, 0, 1366, 728), False),
        (QRect(0, 0, 1280, 800), False),
        (QRect(0, 0, 1024, 728), False),
        (QRect(0, 0, 1024, 768), False),
    ],
)
def test_a_window_fits_the_free_area_of_its_screen(available: QRect, fits: bool) -> None:
    for preferred in (COUNTER_WINDOW, WIZARD_WINDOW):
        place = windowed_geometry(available, QSize(*preferred))
        frame_width, frame_height = FRAME_ALLOWANCE
        outside = place.adjusted(0, 0, frame_width, frame_height)
        assert available.contains(outside), (available, outside)
        if preferred == COUNTER_WINDOW:
            assert (place.size() == QSize(*preferred)) is fits


def test_full_screen_unless_windowed_by_flag_or_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("POS_WINDOWED", raising=False)
    assert not load_config().windowed
    monkeypatch.setenv("POS_WINDOWED", "1")
    assert load_config().windowed
    monkeypatch.setenv("POS_WINDOWED", "0")
    assert not load_config().windowed
    parser = build_parser()
    assert parser.parse_args(["demo", "--windowed"]).windowed
    assert parser.parse_args(["--windowed", "demo"]).windowed
    assert parser.parse_args(["run", "--windowed"]).windowed
    assert not parser.parse_args(["demo"]).windowed
    assert not parser.parse_args([]).windowed
