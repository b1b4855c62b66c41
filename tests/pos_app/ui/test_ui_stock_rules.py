"""One stock rule however an item is added: a tile, the name typed + Enter, or a barcode scan.

An out-of-stock product is refused the same way on all three, and only a manager's approval
sells it anyway; the approval and the oversell go to the audit log."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from pos_app.domain.staff import Permission, authorize
from pos_app.services import catalog
from pos_app.ui.dialogs.override import OverrideDialog
from pos_app.ui.main_window import MainWindow
from pos_app.ui.screens.pay import PayScreen
from pos_app.ui.screens.sell import SellScreen
from tests.pos_app.ui.conftest import (
    approve_override,
    click,
    idle,
    open_shift,
    press,
    screen,
    screenshot,
    sign_in,
    tap,
    type_text,
    wait_dialog,
)

JUICE_BARCODE = "0048500001097"


def _sold_out(qtbot: QtBot, window: MainWindow, sku: str) -> None:
    session = window.session
    with session.register.db.write() as uow:
        product = uow.catalog.by_sku(sku)
        assert product is not None
        sam = next(m for m in uow.staff.all() if m.name == "Sam")
        catalog.count_stock(
            uow,
            product_id=product.id,
            counted=0,
            authorization=authorize(sam, Permission.MANAGE_CATALOG),
        )
    session.reload_catalog()
    qtbot.waitUntil(lambda: (p := session.find_code(sku)) is not None and p.stock_quantity == 0)


def _refused(qtbot: QtBot, window: MainWindow) -> None:
    """The manager-approval dialog is up, the cart untouched; the cashier cancels it."""
    dialog = wait_dialog(qtbot, OverrideDialog)
    assert window.session.order.is_empty
    assert "Orange Juice is out of stock (0 left)" in window.banner.text.text()
    dialog.reject()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert window.session.order.is_empty


def test_an_out_of_stock_item_is_refused_by_tap_search_and_scan(
    qtbot: QtBot, window: MainWindow, screenshots: Path
) -> None:
    session = window.session
    sign_in(qtbot, window, "Sam")
    open_shift(qtbot, window)
    sign_in(qtbot, window, "Alex")  # a cashier
    _sold_out(qtbot, window, "DRK-OJ")
    window.show_screen("sell")
    sell = screen(window, "sell", SellScreen)

    type_text(sell.scan, "orange")  # the name typed + Enter
    press(sell.scan, Qt.Key.Key_Return)
    _refused(qtbot, window)
    screenshot(window, screenshots, "sell-out-of-stock")

    sell.scan.clear()
    sell.tabs.setCurrentIndex(
        next(i for i, c in enumerate(session.categories) if c.name == "Drinks")
    )
    tile = sell.findChild(QPushButton, "product-DRK-OJ")
    assert tile is not None
    assert tile.property("stock") == "out"
    tap(tile)
    _refused(qtbot, window)

    type_text(sell.scan, JUICE_BARCODE)  # the scanner types the code and Enter
    press(sell.scan, Qt.Key.Key_Return)
    wait_dialog(qtbot, OverrideDialog)
    approve_override(qtbot, "Morgan")
    qtbot.waitUntil(lambda: not session.order.is_empty)
    [line] = session.order.lines
    assert (line.sku, line.quantity) == ("DRK-OJ", 1)

    click(qtbot, window, "PayButton")
    pay = screen(window, "pay", PayScreen)
    pay.take_cash_amount(session.order.totals().total_minor)
    qtbot.waitUntil(lambda: window.current == "finish", timeout=10_000)
    click(qtbot, window, "NextCustomer")
    idle(qtbot, session)
    qtbot.waitUntil(
        lambda: (p := session.find_code("DRK-OJ")) is not None and p.stock_quantity == -1
    )
    with session.register.db.read() as uow:
        [approved] = uow.audit.entries(action="stock.oversell_approved")
        [oversold] = uow.audit.entries(action="stock.oversold")
        staff = {m.name: m.id for m in uow.staff.all()}
    assert (approved.staff_id, approved.approved_by_id) == (staff["Alex"], staff["Morgan"])
    assert approved.details == {"sku": "DRK-OJ", "in_stock": 0, "wanted": 1}
    assert oversold.details == {"sku": "DRK-OJ", "available": 0, "sold": 1}


def _stock_of(qtbot: QtBot, window: MainWindow, sku: str, level: int) -> None:
    session = window.session
    with session.register.db.write() as uow:
        product = uow.catalog.by_sku(sku)
        assert product is not None
        uow.catalog.adjust_stock(product.id, level - uow.catalog.stock_level(product.id))
    session.reload_catalog()
    qtbot.waitUntil(lambda: (p := session.find_code(sku)) is not None and p.stock_quantity == level)


def test_the_plus_button_meets_the_stock_rule_too(qtbot: QtBot, window: MainWindow) -> None:
    session = window.session
    sign_in(qtbot, window, "Sam")
    open_shift(qtbot, window)
    sign_in(qtbot, window, "Alex")  # a cashier
    _stock_of(qtbot, window, "DRK-OJ", 1)
    window.show_screen("sell")
    sell = screen(window, "sell", SellScreen)
    type_text(sell.scan, JUICE_BARCODE)
    press(sell.scan, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not session.order.is_empty)
    [line] = session.order.lines

    tap(sell.plus)  # the second of one in stock: refused, a manager may approve
    dialog = wait_dialog(qtbot, OverrideDialog)
    assert line.quantity == 1
    assert "Orange Juice is out of stock (1 left)" in window.banner.text.text()
    dialog.reject()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert line.quantity == 1

    tap(sell.plus)
    wait_dialog(qtbot, OverrideDialog)
    approve_override(qtbot, "Morgan")
    qtbot.waitUntil(lambda: line.quantity == 2)
    assert "sold beyond stock: approved and recorded" in window.banner.text.text()
