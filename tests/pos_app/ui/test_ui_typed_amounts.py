"""Amounts typed at the counter and in the back office are read as typed, in en_US and pt_BR:
the other locale's decimal separator is refused (never read as thousands), the error quotes
the input, and an implausible change asks before the sale completes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from uuid import UUID

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QPushButton
from pytestqt.qtbot import QtBot

from pos_app.app import CounterServices, install_translations
from pos_app.application.register import Register
from pos_app.config import AppConfig
from pos_app.domain.orders import OrderStatus
from pos_app.domain.printers import PrinterConfig, PrinterRole
from pos_app.domain.staff import Permission, authorize
from pos_app.services import catalog, printing
from pos_app.ui.backoffice.catalog_tab import CatalogTab
from pos_app.ui.dialogs.prompts import DiscountDialog
from pos_app.ui.dialogs.staff import ConfirmDialog
from pos_app.ui.main_window import MainWindow
from pos_app.ui.screens.backoffice import BackOfficeScreen
from pos_app.ui.screens.pay import PayScreen
from pos_app.ui.screens.sell import SellScreen
from pos_app.ui.session import CounterSession
from pos_app.ui.tasks import TaskRunner
from tests.pos_app.ui.conftest import (
    click,
    idle,
    open_shift,
    press,
    ring_up,
    screen,
    screenshot,
    sign_in,
    type_text,
    wait_dialog,
)
from tests.support.escpos_printer import LoopbackPrinter, decode


@pytest.fixture(params=["en_US", "pt_BR"])
def session(
    request: pytest.FixtureRequest, qapp: QApplication, app_config: AppConfig
) -> Iterator[CounterSession]:
    locale = str(request.param)
    translators = install_translations(qapp, locale)
    register = Register.open(app_config, demo=True)
    runner = TaskRunner()
    counter = CounterSession(register, runner, app_config, locale)
    yield counter
    counter.shutdown()
    runner.shutdown(wait=True)
    register.close()
    for translator in translators:
        QCoreApplication.removeTranslator(translator)  # type: ignore[arg-type]


# Per locale: the other locale's way of writing the cash handed over, the same amount written
# right, and an amount that would give more change than the largest note.
TYPED = {
    "en_US": ("12,50", "20.00", "1,250"),
    "pt_BR": ("10.00", "20,00", "1.000"),
}
REFUSED_MESSAGE = {"en_US": "is not an amount here", "pt_BR": "não é um valor aqui"}


def is_paid(window: MainWindow, order_id: UUID) -> bool:
    with window.session.register.db.read() as uow:
        stored = uow.orders.get(order_id)
    return stored is not None and stored.status is OrderStatus.PAID


def test_cash_typed_the_other_locales_way_is_refused_and_a_huge_change_asks_first(
    qtbot: QtBot, window: MainWindow, screenshots: Path
) -> None:
    session = window.session
    locale = session.locale_name
    wrong, right, huge = TYPED[locale]
    sign_in(qtbot, window, "Sam")
    open_shift(qtbot, window, "150" if locale == "en_US" else "150,00")
    sign_in(qtbot, window, "Alex")
    order = ring_up(qtbot, window, [("BAK-CRO", 2), ("DRK-COL", 1)])
    total = order.totals().total_minor
    click(qtbot, window, "PayButton")
    pay = screen(window, "pay", PayScreen)

    type_text(pay.cash_field, wrong)
    press(pay.cash_field, Qt.Key.Key_Return)
    message = window.banner.text.text()
    assert f"“{wrong}”" in message
    assert REFUSED_MESSAGE[locale] in message
    assert window.current == "pay"
    assert not pay.tenders
    screenshot(window, screenshots, f"pay-refused-{locale}")

    pay.cash_field.clear()
    type_text(pay.cash_field, huge)
    press(pay.cash_field, Qt.Key.Key_Return)
    asked = wait_dialog(qtbot, ConfirmDialog)
    assert asked.objectName() == "ConfirmChange"
    screenshot(asked, screenshots, f"pay-confirm-change-{locale}")
    asked.reject()
    idle(qtbot, session)
    assert pay.cash_field.text() == huge  # kept, to fix
    assert window.current == "pay"
    assert not pay.tenders
    assert not is_paid(window, order.id)

    pay.cash_field.clear()
    type_text(pay.cash_field, right)
    press(pay.cash_field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current == "finish", timeout=10_000)
    finished = window.finish.finished
    assert finished is not None
    assert finished.change_minor == 2_000 - total
    assert is_paid(window, order.id)


def test_a_back_office_price_typed_the_other_locales_way_is_refused(
    qtbot: QtBot, window: MainWindow
) -> None:
    session = window.session
    locale = session.locale_name
    sign_in(qtbot, window, "Morgan")
    window.show_screen("backoffice")
    catalog: CatalogTab = screen(window, "backoffice", BackOfficeScreen).catalog
    idle(qtbot, session)
    assert catalog.select_sku("COF-ESP")
    wrong, right = ("4,10", "4.10") if locale == "en_US" else ("4.10", "4,10")
    catalog.price.clear()
    type_text(catalog.price, wrong)
    click(qtbot, catalog, "SaveProduct")
    qtbot.waitUntil(lambda: f"“{wrong}”" in catalog.form_error.text())
    idle(qtbot, session)
    espresso = session.find_code("COF-ESP")
    assert espresso is not None
    assert espresso.price_minor != 41_000
    catalog.price.clear()
    type_text(catalog.price, right)
    click(qtbot, catalog, "SaveProduct")
    qtbot.waitUntil(
        lambda: (p := session.find_code("COF-ESP")) is not None and p.price_minor == 410
    )
    idle(qtbot, session)
    # The form shows the saved price as the locale writes it, and it reads back unchanged.
    assert catalog.select_sku("COF-ESP")
    assert catalog.price.text() == right


CSV_CLASHES = """sku,name,category,price,tax_rate,barcod
TEA-GRN,Green Tea,Tea,3.10,8.875,0049000050103
"""
CSV_TAKEN_BARCODE = """sku,name,category,price,tax_rate,barcode
TEA-GRN,Green Tea,Tea,3.10,8.875,0049000050103
"""
UNKNOWN_COLUMN = {
    "en_US": "Row 1, column barcod: unknown column",
    "pt_BR": "Linha 1, coluna barcod: coluna desconhecida",
}
TAKEN = {
    "en_US": "Row 2, column barcode: '0049000050103' is already used by Cola (DRK-COL)",
    "pt_BR": "Linha 2, coluna barcode: '0049000050103' já é usado por Cola (DRK-COL)",
}


ONE_PROBLEM = {
    "en_US": "menu.csv was not imported: 1 problem, listed below.",
    "pt_BR": "menu.csv não foi importado: 1 problema, listado abaixo.",
}
# An order discount typed empty, over 100 % and with the other locale's decimal point.
PERCENT_ERRORS = {
    "en_US": ("Type a percentage.", "“150” is more than 100 %.", "1,5", "like 8.875"),
    "pt_BR": ("Digite uma porcentagem.", "“150” é mais de 100 %.", "1.5", "como 8,875"),
}
OUT_OF_STOCK = {"en_US": "Out of stock", "pt_BR": "Sem estoque"}


def test_discount_errors_and_the_sold_out_tile_speak_the_counters_language(
    qtbot: QtBot, window: MainWindow
) -> None:
    session = window.session
    locale = session.locale_name
    empty, too_much, other_point, example = PERCENT_ERRORS[locale]
    sign_in(qtbot, window, "Morgan")
    open_shift(qtbot, window, "150" if locale == "en_US" else "150,00")
    ring_up(qtbot, window, [("BAK-CRO", 1)])
    press(window, Qt.Key.Key_F6)
    dialog = wait_dialog(qtbot, DiscountDialog)
    ok = dialog.findChild(QDialogButtonBox)
    assert ok is not None
    for typed, expected in (("", empty), ("150", too_much), (other_point, example)):
        dialog.value.setText(typed)
        ok.button(QDialogButtonBox.StandardButton.Ok).click()
        assert expected in dialog.error.text(), (typed, dialog.error.text())
        assert dialog.isVisible()
    dialog.reject()

    with session.register.db.write() as uow:
        cola = uow.catalog.by_sku("DRK-COL")
        assert cola is not None
        morgan = next(m for m in uow.staff.all() if m.name == "Morgan")
        catalog.count_stock(
            uow,
            product_id=cola.id,
            counted=0,
            authorization=authorize(morgan, Permission.MANAGE_CATALOG),
        )
    session.reload_catalog()
    sell = screen(window, "sell", SellScreen)
    qtbot.waitUntil(
        lambda: (p := session.find_code("DRK-COL")) is not None and p.stock_quantity == 0
    )
    sell.tabs.setCurrentIndex(
        next(i for i, c in enumerate(session.categories) if c.name == "Drinks")
    )

    def tile_text() -> str:
        tile = sell.findChild(QPushButton, "product-DRK-COL")
        return tile.text() if tile is not None else ""

    qtbot.waitUntil(lambda: tile_text() == f"Cola\n{OUT_OF_STOCK[locale]}")


def contains(read: Callable[[], str], wanted: str) -> bool:
    return wanted in read()


def test_csv_import_names_unknown_columns_and_taken_barcodes_by_row_and_column(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, screenshots: Path
) -> None:
    from tests.pos_app.ui.backoffice.test_backoffice_screen import import_csv

    session = window.session
    locale = session.locale_name
    sign_in(qtbot, window, "Morgan")
    window.show_screen("backoffice")
    office = screen(window, "backoffice", BackOfficeScreen)
    idle(qtbot, session)
    result = office.catalog.import_result
    for text, expected in (
        (CSV_CLASHES, UNKNOWN_COLUMN[locale]),
        (CSV_TAKEN_BARCODE, TAKEN[locale]),
    ):
        path = tmp_path / "menu.csv"
        path.write_text(text, encoding="utf-8")
        result.clear()
        import_csv(qtbot, window, office, path)
        qtbot.waitUntil(partial(contains, result.toPlainText, expected))
        assert ONE_PROBLEM[locale] in window.banner.text.text()  # one problem, not "1 problems"
    screenshot(window, screenshots, f"backoffice-import-refused-{locale}")
    assert session.find_code("TEA-GRN") is None


def test_the_printed_receipt_writes_amounts_as_the_screen_does(
    qtbot: QtBot, window: MainWindow
) -> None:
    """The register's locale (here also pt_BR on the demo's en_US shop) rules the screen and
    the paper alike: "US$ 3,54" on both, never "$3.54" on the receipt."""
    session = window.session
    front = LoopbackPrinter().start()
    services = CounterServices(session).start(sync=False)
    window.hooks = services.hooks
    try:
        with session.register.db.write() as uow:
            sam = next(m for m in uow.staff.all() if m.name == "Sam")
            printing.save_printer(
                uow,
                printer=PrinterConfig(
                    name="Front counter",
                    role=PrinterRole.RECEIPT,
                    host="127.0.0.1",
                    port=front.port,
                ),
                authorization=authorize(sam, Permission.MANAGE_SETTINGS),
            )
        sign_in(qtbot, window, "Sam")
        open_shift(qtbot, window)
        placed = sell_cash_then_stay(qtbot, window, [("BAK-CRO", 1)])
        click(qtbot, window, "PrintReceipt")
        slip = decode(front.wait_for_jobs(1)[0]).text
        total = session.money(placed)
        assert total.replace("\u00a0", " ") in slip.replace("\u00a0", " "), (total, slip)
    finally:
        services.stop()
        front.stop()


def sell_cash_then_stay(qtbot: QtBot, window: MainWindow, items: list[tuple[str, int]]) -> int:
    """Ring up and pay exact cash; stay on the finish screen. Returns the total."""
    order = ring_up(qtbot, window, items)
    total = order.totals().total_minor
    click(qtbot, window, "PayButton")
    screen(window, "pay", PayScreen).take_cash_amount(total)
    qtbot.waitUntil(lambda: window.current == "finish", timeout=10_000)
    return total
