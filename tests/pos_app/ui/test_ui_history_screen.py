"""Order history driven as a cashier would: search, look at an order, void, refund."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from pos_app.ui.main_window import MainWindow
from pos_app.ui.screens.history import HistoryScreen
from tests.pos_app.ui.conftest import generate_history, idle, screen, screenshot, sign_in


def test_smoke(qtbot: QtBot, window: MainWindow, screenshots: Path) -> None:
    session = window.session
    generate_history(session.register.db, session.shop, 300)
    sign_in(qtbot, window, "Morgan")
    window.show_screen("history")
    history = screen(window, "history", HistoryScreen)
    idle(qtbot, session)
    assert history.model.rowCount() >= 100
    history.table.selectRow(0)
    idle(qtbot, session)
    print(screenshot(window, screenshots, "history"))
