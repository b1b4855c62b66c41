"""The sell screen's cart: a change to the chosen line (a note, a discount) keeps it chosen, so
the line's buttons stay ready for it (the cart is redrawn whole after every change)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from pos_app.ui.dialogs.prompts import TextPrompt
from pos_app.ui.main_window import MainWindow
from pos_app.ui.screens.sell import SellScreen
from tests.pos_app.ui.conftest import open_shift, ring_up, screen, sign_in, type_text, wait_dialog


def test_a_note_on_the_chosen_line_keeps_it_chosen(qtbot: QtBot, window: MainWindow) -> None:
    sign_in(qtbot, window, "Alex")
    open_shift(qtbot, window)
    order = ring_up(qtbot, window, [("BAK-CRO", 1), ("DRK-COL", 1)])
    sell = screen(window, "sell", SellScreen)
    second = order.lines[1].id
    sell._select_line(second)
    assert sell.selected_line() == second
    sell.note.click()
    prompt = wait_dialog(qtbot, TextPrompt)
    type_text(prompt.field, "No ice")
    buttons = prompt.findChild(QDialogButtonBox)
    assert buttons is not None
    buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: window.session.order.line(second).note == "No ice")
    assert sell.selected_line() == second
    assert sell.plus.isEnabled()
    assert sell.remove.isEnabled()
