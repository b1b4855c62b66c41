"""Fixtures for UI tests: a real window over a real SQLite file seeded with the demo café,
plus helpers that drive it the way a cashier does (tap a name, type a PIN, ring up, pay)."""

from __future__ import annotations

import os
import sys
import threading

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from pos_app.app import build_window, stylesheet
from pos_app.application.register import Register
from pos_app.config import AppConfig
from pos_app.db.database import Database
from pos_app.domain.orders import Order
from pos_app.domain.shop import Shop
from pos_app.domain.tenders import TenderKind, TenderRequest
from pos_app.services.checkout import PlacedOrder
from pos_app.ui.main_window import MainWindow
from pos_app.ui.screens.login import LoginScreen
from pos_app.ui.screens.pay import PayScreen
from pos_app.ui.screens.sell import SellScreen
from pos_app.ui.session import CounterSession
from pos_app.ui.tasks import TaskRunner

W = TypeVar("W", bound=QWidget)

DEMO_PINS = {"Alex": "1111", "Morgan": "2222", "Sam": "9999"}
SCREENSHOT_SIZE = (1024, 768)
# The offscreen platform cannot pass a dialog's size limits to a window system it lacks, and
# says so; that is the test platform talking, not the app (any other warning still fails).
OFFSCREEN_NOISE = r"^This plugin does not support propagateSizeHints\(\)$"
_HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if _HERE in item.path.parents:
            item.add_marker(pytest.mark.qt)
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


_UI_PACKAGE = str(Path(__file__).resolve().parents[3] / "pos_app" / "ui")


def _called_from_the_ui_on_the_gui_thread() -> bool:
    if threading.current_thread() is not threading.main_thread():
        return False
    frame = sys._getframe(2)
    while frame is not None:
        if frame.f_code.co_filename.startswith(_UI_PACKAGE):
            return True
        frame = frame.f_back  # type: ignore[assignment]
    return False


@pytest.fixture(autouse=True)
def database_only_off_the_gui_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """THE RULE, enforced: UI code that opens a database transaction on the GUI thread fails
    the test. (Tests themselves may read the database directly to check what happened.)"""
    for name in ("read", "write"):
        original = getattr(Database, name)

        def guarded(
            self: Database, _original: Callable[[Database], object] = original, _name: str = name
        ) -> object:
            if _called_from_the_ui_on_the_gui_thread():
                raise AssertionError(f"the UI called Database.{_name}() on the GUI thread")
            return _original(self)

        monkeypatch.setattr(Database, name, guarded)


@pytest.fixture
def app_config(tmp_path: Path) -> AppConfig:
    """The register's configuration (a test module may override this fixture)."""
    return AppConfig(data_dir=tmp_path / "register")


@pytest.fixture
def session(qapp: QApplication, app_config: AppConfig) -> Iterator[CounterSession]:
    config = app_config
    register = Register.open(config, demo=True)
    runner = TaskRunner()
    counter = CounterSession(register, runner, config, "en_US")
    yield counter
    counter.shutdown()
    runner.shutdown(wait=True)
    register.close()


@pytest.fixture
def window(qapp: QApplication, qtbot: QtBot, session: CounterSession) -> Iterator[MainWindow]:
    qapp.setStyleSheet(stylesheet())
    main = build_window(session)
    assert isinstance(main, MainWindow)
    main.resize(*SCREENSHOT_SIZE)
    main.show()
    loaded: list[bool] = []
    session.load(lambda: loaded.append(True))
    qtbot.waitUntil(lambda: bool(loaded))
    login = screen(main, "login", LoginScreen)
    qtbot.waitUntil(lambda: bool(login.members))
    yield main
    main.close()
    main.deleteLater()
    qtbot.waitUntil(lambda: session.runner.running == 0, timeout=10_000)
    QApplication.processEvents()


def tap(widget: QWidget) -> None:
    """A left click in the middle of the widget, as a finger on the touch screen."""
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


def type_text(widget: QWidget, text: str) -> None:
    """Key presses into a field, one character at a time."""
    QTest.keyClicks(widget, text)


def press(widget: QWidget, key: Qt.Key) -> None:
    QTest.keyClick(widget, key)


def screen(window: MainWindow, name: str, kind: type[W]) -> W:
    found = window.screen_named(name)
    assert isinstance(found, kind), type(found)
    return found


def idle(qtbot: QtBot, session: CounterSession, timeout: int = 10_000) -> None:
    """Wait until every background operation has delivered its result."""
    qtbot.waitUntil(lambda: session.runner.running == 0, timeout=timeout)


def sign_in(qtbot: QtBot, window: MainWindow, name: str, pin: str | None = None) -> None:
    """Tap the name on the login screen and type the PIN (the demo PIN by default)."""
    session = window.session
    if session.staff is not None:
        session.sign_out()
    login = screen(window, "login", LoginScreen)
    qtbot.waitUntil(lambda: window.current == "login" and bool(login.members))
    idle(qtbot, session)  # the staff list is fetched again each time the screen shows
    button = window.findChild(QPushButton, f"staff-{name}")
    assert button is not None, name
    tap(button)
    type_text(login.pinpad.field, pin or DEMO_PINS[name])
    login.pinpad.submit()
    qtbot.waitUntil(lambda: session.staff is not None and session.staff.name == name)
    idle(qtbot, session)


def click(qtbot: QtBot, parent: QWidget, object_name: str) -> QPushButton:
    found = parent.findChild(QPushButton, object_name)
    assert found is not None, object_name
    assert found.isEnabled(), f"{object_name} is disabled"
    tap(found)
    return found


def find_dialog(kind: type[W]) -> W | None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, kind) and widget.isVisible():
            return widget
    return None


def wait_dialog(qtbot: QtBot, kind: type[W], timeout: int = 5_000) -> W:
    found: list[W] = []

    def shown() -> bool:
        dialog = find_dialog(kind)
        if dialog is not None:
            found.append(dialog)
        return dialog is not None

    qtbot.waitUntil(shown, timeout=timeout)
    return found[-1]


def ring_up(qtbot: QtBot, window: MainWindow, items: Sequence[tuple[str, int]]) -> Order:
    """Add products on the sell screen (products without modifier choices)."""
    window.show_screen("sell")
    sell = screen(window, "sell", SellScreen)
    session = window.session
    for sku, quantity in items:
        product = session.find_code(sku)
        assert product is not None, sku
        assert not product.modifier_groups, f"{sku} asks for choices"
        for _ in range(quantity):
            sell.add_product(product)
    return session.order


def sell_cash(
    qtbot: QtBot,
    window: MainWindow,
    items: Sequence[tuple[str, int]],
    tendered_minor: int | None = None,
) -> PlacedOrder:
    """Ring up, pay cash (exact unless `tendered_minor`), and return what was placed."""
    session = window.session
    order = ring_up(qtbot, window, items)
    total = order.totals().total_minor
    click(qtbot, window, "PayButton")
    assert window.current == "pay"
    pay = screen(window, "pay", PayScreen)
    pay.take_cash_amount(total if tendered_minor is None else tendered_minor)
    qtbot.waitUntil(lambda: window.current == "finish", timeout=10_000)
    finished = window.finish.finished
    assert finished is not None
    placed = finished.placed
    assert isinstance(placed, PlacedOrder)
    click(qtbot, window, "NextCustomer")
    idle(qtbot, session)
    return placed


def generate_history(
    db: Database,
    shop: Shop,
    count: int,
    *,
    card_every: int = 7,
    start: datetime | None = None,
    step: timedelta = timedelta(minutes=13),
    on_order: Callable[[int, Order], None] | None = None,
) -> list[Order]:
    """`count` paid orders, oldest first, spread over past days; every `card_every`-th paid by
    card with last 4 digits ``f"{i % 10_000:04d}"``. Written in one transaction."""
    start = start or datetime.now(UTC) - step * (count + 10)
    orders: list[Order] = []
    with db.write() as uow:
        products = [p for p in uow.catalog.products() if not p.modifier_groups]
        staff = uow.staff.all()[0]
        for i in range(count):
            order = Order(currency=shop.currency, tax_mode=shop.tax_mode)
            order.created_at = start + step * i
            order.add_product(products[i % len(products)], 1 + i % 3)
            total = order.totals().total_minor
            if card_every and i % card_every == 0:
                request = TenderRequest(TenderKind.CARD, total, card_last4=f"{i % 10_000:04d}")
            else:
                request = TenderRequest(TenderKind.CASH, total)
            order.pay([request])
            uow.orders.save(
                order,
                order.totals(),
                register_id=shop.register_id,
                staff_id=staff.id,
                shift_id=None,
                paid_at=order.created_at,
            )
            if on_order is not None:
                on_order(i, order)
            orders.append(order)
    return orders


@pytest.fixture
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go (printed so a person can look at them)."""
    configured = os.environ.get("POS_UI_SCREENSHOTS")
    folder = Path(configured) if configured else tmp_path_factory.mktemp("shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def screenshot(widget: QWidget, folder: Path, name: str) -> Path:
    """The window at 1024×768 (or a dialog at its own size) as a PNG to look at."""
    if isinstance(widget, MainWindow):
        widget.resize(*SCREENSHOT_SIZE)
    QApplication.processEvents()
    path = folder / f"{name}.png"
    assert widget.grab().save(str(path)), path
    return path


def open_shift(qtbot: QtBot, window: MainWindow, float_text: str | None = None) -> None:
    """Count the float on the shift screen and open the shift (150 as the locale writes it,
    unless `float_text`)."""
    from PySide6.QtWidgets import QLineEdit

    from pos_app.ui.formatting import format_amount_field

    session = window.session
    if float_text is None:
        float_text = format_amount_field(15_000, session.shop.currency, session.locale_name)
    window.show_screen("shift")
    field = window.findChild(QLineEdit, "FloatField")
    assert field is not None
    qtbot.waitUntil(field.isVisible)
    field.clear()
    type_text(field, float_text)
    click(qtbot, window, "OpenShift")
    qtbot.waitUntil(lambda: session.shift is not None and window.current == "sell")
    idle(qtbot, session)


def approve_override(
    qtbot: QtBot, approver: str, pin: str | None = None, *, refused: bool = False
) -> None:
    """Answer the manager-approval dialog: pick the approver, type their PIN (with `refused`,
    a PIN that is turned down: the dialog stays up and says so)."""
    from pos_app.ui.dialogs.override import OverrideDialog

    dialog = wait_dialog(qtbot, OverrideDialog)
    index = dialog.approver.findText(approver)
    assert index >= 0, approver
    dialog.approver.setCurrentIndex(index)
    type_text(dialog.pinpad.field, pin or DEMO_PINS[approver])
    dialog.pinpad.submit()
    if refused:
        qtbot.waitUntil(lambda: "Approval refused" in dialog.error.text())
        assert dialog.isVisible()
        return
    qtbot.waitUntil(lambda: find_dialog(OverrideDialog) is None)


def click_text(qtbot: QtBot, parent: QWidget, text: str) -> None:
    """Click the button showing `text` (quick choices have no object name)."""
    for candidate in parent.findChildren(QPushButton):
        if candidate.text() == text and candidate.isVisible():
            tap(candidate)
            return
    raise AssertionError(f"no visible button {text!r}")
