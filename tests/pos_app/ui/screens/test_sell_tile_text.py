"""Every product name shows whole on its tile, at every screen size shops run the counter on,
in English and in Brazilian Portuguese: each line of a tile's text, measured in the font the
tile is drawn with (the style sheet's bold type, once the tile is polished), fits inside the
style sheet's padding. Found on a real X server: "gel & Cream Chee", "lueberry Muffi"."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QPushButton, QStyle, QStyleOptionButton
from pytestqt.qtbot import QtBot

from pos_app.app import build_window, install_translations, style_scale, stylesheet
from pos_app.application.register import Register
from pos_app.config import AppConfig
from pos_app.ui.main_window import MainWindow
from pos_app.ui.screens.sell import SellScreen
from pos_app.ui.session import CounterSession
from pos_app.ui.tasks import TaskRunner
from tests.pos_app.ui.conftest import idle, open_shift, screen, sign_in

SIZES = [(1024, 768), (1366, 768), (1280, 800), (1920, 1080)]
LOCALES = ("en_US", "pt_BR")


@pytest.fixture(params=[(locale, size) for size in SIZES for locale in LOCALES])
def counter(
    request: pytest.FixtureRequest, qapp: QApplication, tmp_path: Path, qtbot: QtBot
) -> Iterator[tuple[str, tuple[int, int], MainWindow]]:
    locale, size = request.param
    translators = install_translations(qapp, locale)
    qapp.setStyleSheet(stylesheet(style_scale(*size)))  # as the app shows it full screen
    config = AppConfig(data_dir=tmp_path / locale)
    register = Register.open(config, demo=True)
    runner = TaskRunner()
    session = CounterSession(register, runner, config, locale)
    window = build_window(session)
    assert isinstance(window, MainWindow)
    window.resize(*size)
    window.show()
    loaded: list[bool] = []
    session.load(lambda: loaded.append(True))
    qtbot.waitUntil(lambda: bool(loaded))
    try:
        yield locale, size, window
    finally:
        window.close()
        window.deleteLater()
        qtbot.waitUntil(lambda: runner.running == 0, timeout=10_000)
        session.shutdown()
        runner.shutdown(wait=True)
        register.close()
        for translator in translators:
            QCoreApplication.removeTranslator(translator)  # type: ignore[arg-type]
        qapp.setStyleSheet(stylesheet())


def lines_past_the_padding(tile: QPushButton) -> list[str]:
    """The lines of the tile's text wider than the room inside its padding and border, each
    measured in the font the tile is drawn with."""
    tile.ensurePolished()
    metrics = QFontMetrics(tile.font())
    option = QStyleOptionButton()
    tile.initStyleOption(option)
    inside = tile.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, option, tile)
    room = min(inside.width(), tile.contentsRect().width())
    return [
        f"{tile.objectName()}: {line!r} is {metrics.horizontalAdvance(line)} px, room {room}"
        for line in tile.text().replace("&&", "&").split("\n")
        if metrics.horizontalAdvance(line) > room
    ]


def test_every_name_shows_whole_in_its_tile(
    qtbot: QtBot, counter: tuple[str, tuple[int, int], MainWindow]
) -> None:
    locale, size, window = counter
    sign_in(qtbot, window, "Sam")
    open_shift(qtbot, window)
    idle(qtbot, window.session)
    sell = screen(window, "sell", SellScreen)
    qtbot.waitUntil(lambda: window.current == "sell")
    shots = (
        Path(os.environ.get("POS_UI_SCREENSHOTS", ""))
        if "POS_UI_SCREENSHOTS" in os.environ
        else None
    )
    problems: list[str] = []
    for index in range(sell.tabs.count()):
        sell.tabs.setCurrentIndex(index)  # no resize in between: as a cashier taps the tabs
        assert sell.tiles
        for tile in sell.tiles:
            problems += lines_past_the_padding(tile.button)
            shown = " ".join(
                line.removesuffix("-") if line.endswith("-") else line + " "
                for line in tile.button.text().replace("&&", "&").split("\n")
            )
            assert tile.name.replace(" ", "") in shown.replace(" ", "")  # every letter shown
        if shots is not None:
            QApplication.processEvents()
            name = f"{locale}-{size[0]}-{sell.tabs.tabText(index)}.png"
            window.grab().save(str(shots / name))
        QApplication.processEvents()  # and once the tabs' events are through
        for tile in sell.tiles:
            problems += lines_past_the_padding(tile.button)
    assert not problems, problems
