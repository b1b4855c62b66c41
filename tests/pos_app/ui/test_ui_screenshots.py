"""A screenshot of every screen at 1024×768, in English and in Brazilian Portuguese, saved to
resources/screenshots/<locale>/ (the README shows them). Look at them after a UI change."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QTabWidget
from pytestqt.qtbot import QtBot

from pos_app.app import build_window, install_translations, stylesheet
from pos_app.application.register import Register
from pos_app.config import AppConfig, resources_dir
from pos_app.db.repositories.remote import RemoteChangeRepository
from pos_app.ui.first_run import FirstRunWizard
from pos_app.ui.main_window import MainWindow
from pos_app.ui.screens.pay import PayScreen
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

LOCALES = ("en_US", "pt_BR")


@pytest.fixture(params=LOCALES)
def localized(
    request: pytest.FixtureRequest, qapp: QApplication, tmp_path: Path, qtbot: QtBot
) -> Iterator[tuple[str, MainWindow]]:
    locale = str(request.param)
    translators = install_translations(qapp, locale)
    qapp.setStyleSheet(stylesheet())
    config = AppConfig(data_dir=tmp_path / locale)
    register = Register.open(config, demo=True)
    runner = TaskRunner()
    session = CounterSession(register, runner, config, locale)
    window = build_window(session)
    window.resize(*SCREENSHOT_SIZE)
    window.show()
    loaded: list[bool] = []
    session.load(lambda: loaded.append(True))
    qtbot.waitUntil(lambda: bool(loaded))
    try:
        yield locale, window
    finally:
        window.close()
        window.deleteLater()
        qtbot.waitUntil(lambda: runner.running == 0, timeout=10_000)
        session.shutdown()
        runner.shutdown(wait=True)
        register.close()
        for translator in translators:
            QCoreApplication.removeTranslator(translator)  # type: ignore[arg-type]


def shoot(widget: object, folder: Path, name: str) -> None:
    QApplication.processEvents()
    path = folder / f"{name}.png"
    assert widget.grab().save(str(path)), path  # type: ignore[attr-defined]
    assert path.stat().st_size > 5_000  # a real picture, not a blank


def test_every_screen_in_both_languages(
    qtbot: QtBot, localized: tuple[str, MainWindow], tmp_path: Path
) -> None:
    locale, window = localized
    session = window.session
    folder = resources_dir() / "screenshots" / locale
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
    shoot(window, folder, "01-login")
    sign_in(qtbot, window, "Sam")
    shoot(window, folder, "02-shift-open")
    open_shift(qtbot, window)
    ring_up(qtbot, window, [("FOD-FRI", 2), ("DRK-COL", 1), ("BAK-CRO", 1)])
    shoot(window, folder, "03-sell")
    window.show_screen("pay")
    shoot(window, folder, "04-pay")
    pay = screen(window, "pay", PayScreen)
    pay.take_cash_amount(2_000)
    qtbot.waitUntil(lambda: window.current == "finish", timeout=10_000)
    shoot(window, folder, "05-finish")
    window.show_screen("history")
    idle(qtbot, session)
    shoot(window, folder, "06-history")
    window.show_screen("shift")
    idle(qtbot, session)
    shoot(window, folder, "07-shift")
    window.show_screen("backoffice")
    idle(qtbot, session)
    tabs = window.findChild(QTabWidget, "BackOfficeTabs")
    assert tabs is not None
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        idle(qtbot, session)
        shoot(window, folder, f"08-backoffice-{index + 1}")
    runner = TaskRunner()
    config = AppConfig(data_dir=tmp_path / "wizard")
    from pos_app.db.database import Database

    db = Database(config.db_path)
    wizard = FirstRunWizard(config, db, runner)
    try:
        wizard.resize(*SCREENSHOT_SIZE)
        wizard.show()
        for page, name in (
            (wizard.welcome, "10-setup-welcome"),
            (wizard.new_shop, "11-setup-new-shop"),
            (wizard.pairing, "12-setup-pair"),
            (wizard.card, "13-setup-card"),
        ):
            wizard.stack.setCurrentWidget(page)
            shoot(wizard, folder, name)
    finally:
        wizard.close()
        runner.shutdown()
        db.dispose()
    assert len(list(folder.glob("*.png"))) >= 17
