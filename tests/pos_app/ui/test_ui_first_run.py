"""The first-run screen's "new shop": the values are checked by the same service as
`pos-app setup`, so the screen refuses what the command refuses."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from pos_app.config import AppConfig
from pos_app.db.database import Database
from pos_app.domain.staff import Role
from pos_app.services.setup import UNKNOWN_TIMEZONE
from pos_app.ui.first_run import FirstRunWizard
from pos_app.ui.formatting import sentence
from pos_app.ui.tasks import TaskRunner


def _click(qtbot: QtBot, wizard: FirstRunWizard, name: str) -> None:
    found = wizard.findChild(QPushButton, name)
    assert found is not None, name
    qtbot.mouseClick(found, Qt.MouseButton.LeftButton)


def test_the_new_shop_screen_refuses_an_unknown_time_zone_then_sets_up_the_shop(
    qtbot: QtBot, tmp_path: Path
) -> None:
    config = AppConfig(data_dir=tmp_path)
    db = Database(config.db_path)
    runner = TaskRunner()
    wizard = FirstRunWizard(config, db, runner)
    qtbot.addWidget(wizard)
    wizard.show()
    try:
        _click(qtbot, wizard, "NewShop")
        assert wizard.stack.currentWidget() is wizard.new_shop
        qtbot.keyClicks(wizard.shop_name, "Bean Bar")
        qtbot.keyClicks(wizard.owner_name, "Ana")
        qtbot.keyClicks(wizard.owner_pin, "4821")
        qtbot.keyClicks(wizard.owner_pin_again, "4821")
        # The time zone box is editable: a typo used to be saved as the shop's time zone.
        wizard.timezone.setEditText("Europe/Lisbn")
        _click(qtbot, wizard, "CreateShop")
        qtbot.waitUntil(lambda: wizard.banner.isVisible(), timeout=10_000)
        assert wizard.banner.text.text() == sentence(UNKNOWN_TIMEZONE)
        assert wizard.stack.currentWidget() is wizard.new_shop
        with db.read() as uow:
            assert uow.settings.shop() is None

        wizard.timezone.setEditText("Europe/Lisbon")
        _click(qtbot, wizard, "CreateShop")
        qtbot.waitUntil(lambda: wizard.stack.currentWidget() is wizard.card, timeout=10_000)
    finally:
        runner.shutdown()
    with db.read() as uow:
        shop = uow.settings.shop()
        staff = uow.staff.all()
    db.dispose()
    assert shop is not None
    assert (shop.name, shop.timezone) == ("Bean Bar", "Europe/Lisbon")
    assert [(member.name, member.role) for member in staff] == [("Ana", Role.OWNER)]


def test_the_new_shop_form_is_ready_for_typing_and_enter_creates_the_shop(
    qtbot: QtBot, tmp_path: Path
) -> None:
    config = AppConfig(data_dir=tmp_path)
    db = Database(config.db_path)
    runner = TaskRunner()
    wizard = FirstRunWizard(config, db, runner)
    qtbot.addWidget(wizard)
    wizard.show()
    try:
        _click(qtbot, wizard, "NewShop")
        # The shop's name has the keyboard: typing needs no Tab (or click) first.
        assert wizard.focusWidget() is wizard.shop_name
        qtbot.keyClicks(wizard.shop_name, "Bean Bar")
        qtbot.keyClicks(wizard.owner_name, "Ana")
        qtbot.keyClicks(wizard.owner_pin, "4821")
        qtbot.keyClicks(wizard.owner_pin_again, "4821")
        wizard.timezone.setEditText("Europe/Lisbon")
        qtbot.keyClick(wizard.owner_pin_again, Qt.Key.Key_Return)  # Enter in "PIN again"
        qtbot.waitUntil(lambda: wizard.stack.currentWidget() is wizard.card, timeout=10_000)
        assert wizard.focusWidget() is wizard.stripe_key
    finally:
        runner.shutdown()
    with db.read() as uow:
        shop = uow.settings.shop()
    db.dispose()
    assert shop is not None
    assert shop.name == "Bean Bar"
