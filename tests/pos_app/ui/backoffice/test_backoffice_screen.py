"""The back office driven by a manager: edit and add products, import a CSV, 86 an item and
see it greyed out on the sell screen, count stock, add staff and reset a PIN, save the Stripe
key, and look at today's sales."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QHorizontalBarSeries
from PySide6.QtWidgets import QFileDialog, QPushButton
from pytestqt.qtbot import QtBot

from pos_app.config import AppConfig
from pos_app.domain.staff import Role
from pos_app.integrations.secrets import STRIPE_KEY, SecretStore
from pos_app.ui.backoffice.sales_tab import SalesTab
from pos_app.ui.dialogs.staff import AddStaffDialog, ConfirmDialog, PinDialog
from pos_app.ui.main_window import MainWindow
from pos_app.ui.screens.backoffice import BackOfficeScreen
from pos_app.ui.screens.login import LoginScreen
from pos_app.ui.screens.sell import SellScreen
from tests.pos_app.ui.conftest import (
    click,
    idle,
    open_shift,
    screen,
    screenshot,
    sell_cash,
    sign_in,
    tap,
    type_text,
    wait_dialog,
)
from tests.support.memory_keyring import MemoryKeyring


def back_office(qtbot: QtBot, window: MainWindow) -> BackOfficeScreen:
    window.show_screen("backoffice")
    assert window.current == "backoffice"
    office = screen(window, "backoffice", BackOfficeScreen)
    idle(qtbot, window.session)
    return office


def sell_button(qtbot: QtBot, window: MainWindow, sku: str) -> QPushButton:
    """The product's button on the sell screen, with its category tab chosen."""
    session = window.session
    product = session.find_code(sku)
    assert product is not None
    window.show_screen("sell")
    sell = screen(window, "sell", SellScreen)
    categories = [c.id for c in session.categories]
    assert product.category_id is not None
    sell.tabs.setCurrentIndex(categories.index(product.category_id))
    found: list[QPushButton] = []

    def shown() -> bool:
        # The grid's own buttons: replaced ones may linger until their deferred deletion.
        for index in range(sell.grid.count()):
            item = sell.grid.itemAt(index)
            widget = item.widget() if item is not None else None
            if isinstance(widget, QPushButton) and widget.objectName() == f"product-{sku}":
                found.append(widget)
                return True
        return False

    qtbot.waitUntil(shown)
    return found[-1]


def test_catalog_edit_new_product_and_form_errors(
    qtbot: QtBot, window: MainWindow, screenshots: Path
) -> None:
    session = window.session
    sign_in(qtbot, window, "Alex")
    window.show_screen("backoffice")
    assert window.current != "backoffice"  # cashiers do not get in
    assert "Only a manager" in window.banner.text.text()
    sign_in(qtbot, window, "Morgan")
    office = back_office(qtbot, window)
    catalog = office.catalog
    assert catalog.table.rowCount() == len(session.products)
    assert catalog.select_sku("COF-ESP")
    assert catalog.name.text() == "Espresso"
    catalog.price.clear()
    type_text(catalog.price, "3.10")
    catalog.name.clear()
    type_text(catalog.name, "Espresso doppio")
    screenshot(window, screenshots, "backoffice-catalog")
    click(qtbot, catalog, "SaveProduct")
    qtbot.waitUntil(
        lambda: (p := session.find_code("COF-ESP")) is not None and p.price_minor == 310
    )
    idle(qtbot, session)
    espresso = session.find_code("COF-ESP")
    assert espresso is not None
    assert espresso.name == "Espresso doppio"
    assert "$3.10" in sell_button(qtbot, window, "COF-ESP").text()

    # A new product, counted on the shelf.
    office = back_office(qtbot, window)
    click(qtbot, catalog, "NewProduct")
    assert catalog.sku.text() == ""
    type_text(catalog.sku, "BAK-SCN")
    type_text(catalog.name, "Scone")
    type_text(catalog.price, "2.955")
    catalog.category.setCurrentIndex(catalog.category.findText("Bakery"))
    catalog.track_stock.setChecked(True)
    catalog.stock.setValue(10)
    click(qtbot, catalog, "SaveProduct")
    assert catalog.form_error.text().startswith("Price: ")  # three decimals
    assert session.find_code("BAK-SCN") is None
    catalog.price.clear()
    type_text(catalog.price, "2.95")
    click(qtbot, catalog, "SaveProduct")
    qtbot.waitUntil(lambda: session.find_code("BAK-SCN") is not None)
    idle(qtbot, session)
    scone = session.find_code("BAK-SCN")
    assert scone is not None
    assert (scone.price_minor, scone.tax_rate_ppm, scone.stock_quantity) == (295, 88_750, 10)
    # A SKU another product has is refused with its name.
    click(qtbot, catalog, "NewProduct")
    type_text(catalog.sku, "BAK-SCN")
    type_text(catalog.name, "Another scone")
    type_text(catalog.price, "1")
    click(qtbot, catalog, "SaveProduct")
    qtbot.waitUntil(lambda: "already used by Scone" in catalog.form_error.text())
    assert sell_button(qtbot, window, "BAK-SCN").isEnabled()


CSV_GOOD = """sku,name,category,price,tax_rate,barcode,track_stock,stock
TEA-GRN,Green Tea,Tea,3.10,8.875,,no,
TEA-BLK,Black Tea,Tea,2.90,8.875,0001112223334,yes,40
COF-LAT,Latte (new recipe),Coffee,4.75,8.875,,,
"""
CSV_BAD = """sku,name,category,price,tax_rate
A1,Apple,Fruit,1.999,8.875
,Nameless,Fruit,1.00,8.875
"""


def import_csv(qtbot: QtBot, window: MainWindow, office: BackOfficeScreen, path: Path) -> None:
    click(qtbot, office.catalog, "ImportCsv")
    dialog = wait_dialog(qtbot, QFileDialog)
    assert dialog.testOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.selectFile(str(path))
    dialog.accept()
    idle(qtbot, window.session)


def test_csv_import_and_86_toggle_reach_the_sell_screen(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, screenshots: Path
) -> None:
    session = window.session
    sign_in(qtbot, window, "Morgan")
    office = back_office(qtbot, window)
    good = tmp_path / "menu.csv"
    good.write_text(CSV_GOOD, encoding="utf-8")
    import_csv(qtbot, window, office, good)
    result = office.catalog.import_result
    qtbot.waitUntil(lambda: "2 new, 1 updated, 1 new categories" in result.toPlainText())
    idle(qtbot, session)
    assert session.find_code("0001112223334") is not None
    latte = session.find_code("COF-LAT")
    assert latte is not None
    assert latte.name == "Latte (new recipe)"
    assert "Tea" in [c.name for c in session.categories]
    assert sell_button(qtbot, window, "TEA-GRN").isEnabled()

    office = back_office(qtbot, window)
    bad = tmp_path / "broken.csv"
    bad.write_text(CSV_BAD, encoding="utf-8")
    import_csv(qtbot, window, office, bad)
    qtbot.waitUntil(lambda: "was not imported" in result.toPlainText())
    problems = result.toPlainText()
    assert "Row 2, column price: '1.999' has more than 2 decimal places" in problems
    assert "Row 3, column sku: is empty" in problems
    assert session.find_code("A1") is None

    # 86 the croissants: the sell screen's button goes grey at once; bring them back.
    office.show_tab(office.stock)
    idle(qtbot, session)
    stock = office.stock
    toggle = stock.toggles["BAK-CRO"]
    assert toggle.text() == "On sale"
    tap(toggle)
    qtbot.waitUntil(lambda: (p := session.find_code("BAK-CRO")) is not None and not p.active)
    idle(qtbot, session)
    assert stock.toggles["BAK-CRO"].text() == "86'd — off"
    screenshot(window, screenshots, "backoffice-stock")
    croissant = sell_button(qtbot, window, "BAK-CRO")
    assert not croissant.isEnabled()
    assert "86" in croissant.text()
    with session.register.db.read() as uow:
        assert [e.details for e in uow.audit.entries(action="catalog.86")] == [{"sku": "BAK-CRO"}]
    office = back_office(qtbot, window)
    tap(office.stock.toggles["BAK-CRO"])
    qtbot.waitUntil(lambda: (p := session.find_code("BAK-CRO")) is not None and p.active)
    idle(qtbot, session)
    assert sell_button(qtbot, window, "BAK-CRO").isEnabled()

    # A shelf count: three muffins left shows as low; none as out of stock.
    office = back_office(qtbot, window)
    office.stock.select_sku("BAK-MUF")
    office.stock.count_field.setValue(3)
    click(qtbot, office.stock, "SaveCount")
    qtbot.waitUntil(
        lambda: (p := session.find_code("BAK-MUF")) is not None and p.stock_quantity == 3
    )
    idle(qtbot, session)
    row = [p.sku for p in session.products].index("BAK-MUF")
    state = office.stock.table.item(row, office.stock.STATE)
    assert state is not None
    assert state.text() == "Low"
    office.stock.select_sku("BAK-MUF")
    office.stock.count_field.setValue(0)
    click(qtbot, office.stock, "SaveCount")
    qtbot.waitUntil(
        lambda: (p := session.find_code("BAK-MUF")) is not None and p.stock_quantity == 0
    )
    idle(qtbot, session)
    state = office.stock.table.item(row, office.stock.STATE)
    assert state is not None
    assert state.text() == "Out of stock"
    # Greyed; a tap meets the stock rule (test_ui_stock_rules), like a search or a scan.
    muffin = sell_button(qtbot, window, "BAK-MUF")
    assert muffin.property("stock") == "out"
    assert "Out of stock" in muffin.text()


def test_staff_add_reset_pin_and_deactivate(
    qtbot: QtBot, window: MainWindow, screenshots: Path
) -> None:
    session = window.session
    sign_in(qtbot, window, "Morgan")
    office = back_office(qtbot, window)
    office.show_tab(office.staff)
    idle(qtbot, session)
    staff = office.staff
    assert [m.name for m in staff.members] == ["Alex", "Morgan", "Sam"]

    click(qtbot, staff, "AddStaff")
    dialog = wait_dialog(qtbot, AddStaffDialog)
    assert dialog.role.findData(Role.OWNER.value) == -1  # a manager cannot make owners
    type_text(dialog.name, "Jo")
    type_text(dialog.pin, "4321")
    type_text(dialog.pin_again, "4312")
    click(qtbot, dialog, "DialogConfirm")
    assert "not the same" in dialog.error.text()
    assert dialog.pin.text() == ""  # typed again from scratch
    type_text(dialog.pin, "4321")
    type_text(dialog.pin_again, "4321")
    screenshot(dialog, screenshots, "backoffice-add-staff")
    click(qtbot, dialog, "DialogConfirm")
    qtbot.waitUntil(lambda: "Jo" in [m.name for m in staff.members])
    screenshot(window, screenshots, "backoffice-staff")
    with session.register.db.read() as uow:
        [added] = uow.audit.entries(action="staff.added")
    assert added.details["name"] == "Jo"

    sign_in(qtbot, window, "Jo", "4321")
    assert session.staff is not None
    assert session.staff.role is Role.CASHIER

    sign_in(qtbot, window, "Morgan")
    office = back_office(qtbot, window)
    office.show_tab(office.staff)
    idle(qtbot, session)
    staff.select_name("Jo")
    click(qtbot, staff, "ResetPin")
    pin_dialog = wait_dialog(qtbot, PinDialog)
    type_text(pin_dialog.pin, "8765")
    type_text(pin_dialog.pin_again, "8765")
    click(qtbot, pin_dialog, "DialogConfirm")
    qtbot.waitUntil(lambda: "New PIN set for Jo" in window.banner.text.text())
    with session.register.db.read() as uow:
        [reset] = uow.audit.entries(action="staff.pin_reset")
    assert reset.details["name"] == "Jo"
    # The old PIN no longer opens the register; the new one does.
    session.sign_out()
    login = screen(window, "login", LoginScreen)
    qtbot.waitUntil(lambda: window.current == "login")
    idle(qtbot, session)
    click(qtbot, login, "staff-Jo")
    type_text(login.pinpad.field, "4321")
    login.pinpad.submit()
    qtbot.waitUntil(lambda: "Wrong PIN" in window.banner.text.text())
    assert session.staff is None
    sign_in(qtbot, window, "Jo", "8765")

    # Morgan takes Jo off the register, but cannot touch the owner.
    sign_in(qtbot, window, "Morgan")
    office = back_office(qtbot, window)
    office.show_tab(office.staff)
    idle(qtbot, session)
    staff.select_name("Sam")
    click(qtbot, staff, "DeactivateStaff")
    click(qtbot, wait_dialog(qtbot, ConfirmDialog), "DialogConfirm")
    qtbot.waitUntil(lambda: "Only an owner" in window.banner.text.text())
    staff.select_name("Jo")
    click(qtbot, staff, "DeactivateStaff")
    click(qtbot, wait_dialog(qtbot, ConfirmDialog), "DialogConfirm")
    qtbot.waitUntil(lambda: any(m.name == "Jo" and not m.active for m in staff.members))
    session.sign_out()
    qtbot.waitUntil(lambda: window.current == "login")
    idle(qtbot, session)
    assert window.findChild(QPushButton, "staff-Jo") is None
    assert window.findChild(QPushButton, "staff-Sam") is not None


@pytest.fixture
def memory_keyring() -> Iterator[KeyringBackend]:
    previous = keyring.get_keyring()
    MemoryKeyring.store.clear()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)
    MemoryKeyring.store.clear()


@pytest.fixture
def app_config(tmp_path: Path) -> AppConfig:
    # Stripe at a loopback port nobody listens on: reconnecting fails at once, offline.
    return AppConfig(data_dir=tmp_path / "register", stripe_api_base="http://127.0.0.1:9")


def test_card_reader_key_goes_to_the_keyring_and_is_shown_redacted(
    qtbot: QtBot, window: MainWindow, memory_keyring: KeyringBackend, screenshots: Path
) -> None:
    session = window.session
    sign_in(qtbot, window, "Morgan")
    office = back_office(qtbot, window)
    office.show_tab(office.card_reader)
    idle(qtbot, session)
    tab = office.card_reader
    assert tab.mode_label.text().startswith("Demo")
    assert tab.stored_label.text() == "No key saved"
    assert not tab.pair_button.isEnabled()

    type_text(tab.key_field, "pk_test_" + "x" * 24)
    click(qtbot, tab, "SaveKey")
    assert "not a Stripe secret key" in tab.message.text()
    assert SecretStore(backend=memory_keyring).get(STRIPE_KEY) is None

    key = "rk_test_" + "Q" * 20 + "9z8Y"
    tab.key_field.clear()
    type_text(tab.key_field, key)
    click(qtbot, tab, "SaveKey")
    qtbot.waitUntil(lambda: tab.mode_label.text().startswith("Test"))
    assert SecretStore(backend=memory_keyring).get(STRIPE_KEY) == key
    assert tab.key_field.text() == ""
    assert tab.stored_label.text() == "Saved key: rk_test_…9z8Y"
    assert key not in tab.message.text()
    assert tab.pair_button.isEnabled()
    assert tab.code_field.text() == "simulated-wpe"
    with session.register.db.read() as uow:
        reader = uow.settings.reader()
    assert reader is not None
    assert reader.mode == "test"
    # Reconnecting is tried with the new key; Stripe is unreachable here, and the tab says so.
    qtbot.waitUntil(lambda: tab.online_label.text().startswith("Not available"), timeout=20_000)
    idle(qtbot, session, timeout=20_000)
    screenshot(window, screenshots, "backoffice-card-reader")


def test_sales_charts_show_today(qtbot: QtBot, window: MainWindow, screenshots: Path) -> None:
    session = window.session
    sign_in(qtbot, window, "Morgan")
    open_shift(qtbot, window)
    first = sell_cash(qtbot, window, [("DRK-COL", 3), ("BAK-CRO", 2)])
    second = sell_cash(qtbot, window, [("FOD-FRI", 1), ("DRK-COL", 1)])
    total = first.totals.total_minor + second.totals.total_minor
    office = back_office(qtbot, window)
    office.show_tab(office.sales)
    idle(qtbot, session)
    sales = office.sales
    assert isinstance(sales, SalesTab)
    assert sales.summary.text() == f"Today's sales: {session.money(total)}"
    [hours] = sales.hour_chart.series()
    assert isinstance(hours, QBarSeries)
    [bars] = hours.barSets()
    plotted = sum(bars.at(i) for i in range(bars.count()))
    assert round(plotted * 100) == total
    [top] = sales.top_chart.series()
    assert isinstance(top, QHorizontalBarSeries)
    axis = next(a for a in sales.top_chart.axes() if isinstance(a, QBarCategoryAxis))
    labels = axis.categories()
    assert labels[-1].startswith("Cola ×4")  # the best seller is drawn on top
    assert {label.split(" ×")[0] for label in labels} == {"Cola", "Croissant", "Fries"}
    screenshot(window, screenshots, "backoffice-sales")


def test_the_sync_tab_shows_what_the_server_refused_and_what_to_do(
    qtbot: QtBot, window: MainWindow
) -> None:
    session = window.session
    sign_in(qtbot, window, "Morgan")
    open_shift(qtbot, window)
    sold = sell_cash(qtbot, window, [("DRK-COL", 2)])
    office = back_office(qtbot, window)
    office.show_tab(office.sync)
    idle(qtbot, session)
    assert office.sync.table.rowCount() == 0
    assert office.sync.advice.text() == "The server accepted everything this register sent."

    # What `SyncEngine._push` records when the server's answer lists the sale as refused.
    def refuse() -> None:
        with session.register.db.write() as uow:
            [entry] = [e for e in uow.outbox.pending() if e.entity_id == sold.order_id]
            uow.outbox.acknowledge(entry.seq)
            uow.outbox.mark_refused(
                [(entry.seq, "time_window", "data.paid_at: is ahead of the server's clock")]
            )

    session.db(refuse)
    idle(qtbot, session)
    office.show_tab(office.sync)
    idle(qtbot, session)
    table = office.sync.table
    assert table.rowCount() == 1

    def cell(column: int) -> str:
        item = table.item(0, column)
        assert item is not None
        return item.text()

    assert cell(1) == f"Sale #{sold.number}, {session.money(sold.totals.total_minor)}"
    assert cell(2) == "date outside what the server accepts"
    assert cell(3) == "data.paid_at: is ahead of the server's clock"
    assert office.sync.advice.text().startswith("The register's clock was wrong")
