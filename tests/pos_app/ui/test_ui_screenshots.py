"""Screenshots of the counter, in English and in Brazilian Portuguese, at the screen sizes shops
run it on: every screen at 1024×768 (resources/screenshots/<locale>/, which the README shows)
and at 1366×768 (<locale>/1366x768/); the busiest counter screens (sell, pay, history) at
1280×800 and 1920×1080 too. Look at them after a UI change."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QRect, QSize
from PySide6.QtWidgets import QApplication, QTabWidget
from pytestqt.qtbot import QtBot

from pos_app.app import (
    WIZARD_WINDOW,
    build_window,
    install_translations,
    style_scale,
    stylesheet,
    windowed_geometry,
)
from pos_app.application.register import Register
from pos_app.config import AppConfig, resources_dir
from pos_app.db.repositories.remote import RemoteChangeRepository
from pos_app.ui.first_run import FirstRunWizard
from pos_app.ui.main_window import MainWindow
from pos_app.ui.screens.pay import PayScreen
from pos_app.ui.screens.sell import SellScreen
from pos_app.ui.session import CounterSession
from pos_app.ui.tasks import TaskRunner
from tests.pos_app.ui.conftest import (
    SCREENSHOT_SIZE,
    generate_history,
    idle,
    open_shift,
    ring_up,
    screen,
    sign_in,
)
from tests.pos_app.ui.test_ui_layout import cut_buttons, cut_tiles, sideways_scroll_bars

LOCALES = ("en_US", "pt_BR")
EVERY_SCREEN = None
SIZES: dict[tuple[int, int], frozenset[str] | None] = {
    SCREENSHOT_SIZE: EVERY_SCREEN,
    (1366, 768): EVERY_SCREEN,
    (1280, 800): frozenset({"03-sell", "04-pay", "06-history"}),
    (1920, 1080): frozenset({"03-sell", "04-pay", "06-history"}),
}
"""Each size and the screens shot at it."""


def folder_for(locale: str, size: tuple[int, int]) -> Path:
    folder = resources_dir() / "screenshots" / locale
    return folder if size == SCREENSHOT_SIZE else folder / f"{size[0]}x{size[1]}"


@pytest.fixture(params=[(locale, size) for size in SIZES for locale in LOCALES])
def localized(
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


def shoot(widget: object, folder: Path, name: str, wanted: frozenset[str] | None) -> None:
    if wanted is not None and name not in wanted:
        return
    QApplication.processEvents()
    path = folder / f"{name}.png"
    assert widget.grab().save(str(path)), path  # type: ignore[attr-defined]
    assert path.stat().st_size > 5_000  # a real picture, not a blank


def test_every_screen_in_both_languages(
    qtbot: QtBot, localized: tuple[str, tuple[int, int], MainWindow], tmp_path: Path
) -> None:
    locale, size, window = localized
    wanted = SIZES[size]
    session = window.session
    folder = folder_for(locale, size)
    folder.mkdir(parents=True, exist_ok=True)
    generate_history(session.register.db, session.shop, 40)
    with session.register.db.write() as uow:
        RemoteChangeRepository(uow.session).apply_dispute(
            {
                "id": "du_demo",
                "order_id": None,
                "charge_id": "ch_demo",
                "amount_minor": 1252,
                "currency": "USD",
                "reason": "fraudulent",
                "status": "needs_response",
                "evidence_due_by": "2030-01-01T00:00:00+00:00",
                "fee_minor": 1500,
                "outcome": None,
                "updated_at": "2026-01-01T00:00:00+00:00",
            }
        )
    idle(qtbot, session)
    shoot(window, folder, "01-login", wanted)
    sign_in(qtbot, window, "Sam")
    shoot(window, folder, "02-shift-open", wanted)
    open_shift(qtbot, window)
    ring_up(qtbot, window, [("FOD-FRI", 2), ("DRK-COL", 1), ("BAK-CRO", 1)])
    shoot(window, folder, "03-sell", wanted)
    sell = screen(window, "sell", SellScreen)
    assert not sideways_scroll_bars(window)
    assert not cut_buttons(sell), cut_buttons(sell)  # in this language too
    assert not cut_tiles(sell), cut_tiles(sell)
    window.show_screen("pay")
    shoot(window, folder, "04-pay", wanted)
    pay = screen(window, "pay", PayScreen)
    for tip in pay.tip_buttons:
        tip.setChecked(True)
        assert not cut_buttons(pay), cut_buttons(pay)
    pay.tip_buttons[0].setChecked(True)
    assert not sideways_scroll_bars(window)
    pay.take_cash_amount(2_000)
    qtbot.waitUntil(lambda: window.current == "finish", timeout=10_000)
    shoot(window, folder, "05-finish", wanted)
    assert not sideways_scroll_bars(window)
    window.show_screen("history")
    idle(qtbot, session)
    shoot(window, folder, "06-history", wanted)
    assert not sideways_scroll_bars(window)
    window.show_screen("shift")
    idle(qtbot, session)
    shoot(window, folder, "07-shift", wanted)
    assert not sideways_scroll_bars(window)
    if wanted is not EVERY_SCREEN:
        assert len(list(folder.glob("*.png"))) == len(wanted)
        return
    window.show_screen("backoffice")
    idle(qtbot, session)
    tabs = window.findChild(QTabWidget, "BackOfficeTabs")
    assert tabs is not None
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        idle(qtbot, session)
        shoot(window, folder, f"08-backoffice-{index + 1}", wanted)
    runner = TaskRunner()
    config = AppConfig(data_dir=tmp_path / "wizard")
    from pos_app.db.database import Database

    db = Database(config.db_path)
    wizard = FirstRunWizard(config, db, runner)
    try:
        # As the app opens it: a window with its title bar on a screen of this size.
        wizard.resize(windowed_geometry(QRect(0, 0, *size), QSize(*WIZARD_WINDOW)).size())
        wizard.show()
        for page, name in (
            (wizard.welcome, "10-setup-welcome"),
            (wizard.new_shop, "11-setup-new-shop"),
            (wizard.pairing, "12-setup-pair"),
            (wizard.card, "13-setup-card"),
        ):
            wizard.stack.setCurrentWidget(page)
            shoot(wizard, folder, name, wanted)
    finally:
        wizard.close()
        runner.shutdown()
        db.dispose()
    assert len(list(folder.glob("*.png"))) >= 17
