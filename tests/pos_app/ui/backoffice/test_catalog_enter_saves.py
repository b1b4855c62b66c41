"""Enter in the product form saves it, as Ctrl+S does (the barcode field excepted: a
scanner ends its digits with Enter)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pos_app.ui.main_window import MainWindow
from pos_app.ui.screens.backoffice import BackOfficeScreen
from tests.pos_app.ui.conftest import idle, screen, sign_in, type_text


def test_enter_in_the_product_form_saves_it(qtbot: QtBot, window: MainWindow) -> None:
    session = window.session
    sign_in(qtbot, window, "Morgan")
    window.show_screen("backoffice")
    catalog = screen(window, "backoffice", BackOfficeScreen).catalog
    idle(qtbot, session)
    assert catalog.select_sku("COF-ESP")
    catalog.price.clear()
    type_text(catalog.price, "3.20")
    qtbot.keyClick(catalog.price, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: (p := session.find_code("COF-ESP")) is not None and p.price_minor == 320
    )
    idle(qtbot, session)
