"""Back office → Fees & web console: a manager invites an owner, approved with the owner's PIN;
the request goes to the real sync server on loopback from the network pool while the window
keeps answering, and the section says what happened (sent, not paired, refused, offline)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine, text

from pos_app.application.sync import SERVER_URL, SyncEngine
from pos_app.integrations.secrets import SecretStore
from pos_app.ui.backoffice.web_console import WebConsoleSection
from pos_app.ui.main_window import MainWindow
from pos_app.ui.screens.backoffice import BackOfficeScreen
from sync_server.config import Settings
from sync_server.db import tenant_transaction
from sync_server.tenants.schemas import Tenant
from tests.pos_app.ui.conftest import (
    approve_override,
    idle,
    screen,
    screenshot,
    sign_in,
    tap,
    type_text,
)
from tests.support.sync_server_live import LiveServer
from tests.support.sync_server_tenants import create_tenant, pairing_code


def web_console(qtbot: QtBot, window: MainWindow) -> WebConsoleSection:
    window.show_screen("backoffice")
    office = screen(window, "backoffice", BackOfficeScreen)
    office.show_tab(office.platform)
    idle(qtbot, window.session)
    section = office.platform.web_console
    qtbot.waitUntil(section.isVisible)
    return section


def invite(qtbot: QtBot, section: WebConsoleSection, email: str) -> None:
    section.email.clear()
    type_text(section.email, email)
    tap(section.invite_button)


def test_on_a_register_not_paired_the_section_says_pair_first(
    qtbot: QtBot, window: MainWindow
) -> None:
    sign_in(qtbot, window, "Sam")
    section = web_console(qtbot, window)
    tap(section.invite_button)
    assert section.status.text() == "Enter the owner's email address."
    invite(qtbot, section, "owner@example.test")
    qtbot.waitUntil(lambda: "not paired" in section.status.text(), timeout=10_000)
    assert section.invite_button.isEnabled()


def test_a_manager_on_a_register_not_paired_is_told_before_the_owner_s_pin_is_asked_for(
    qtbot: QtBot, window: MainWindow
) -> None:
    sign_in(qtbot, window, "Morgan")
    section = web_console(qtbot, window)
    invite(qtbot, section, "owner@example.test")
    qtbot.waitUntil(lambda: "not paired" in section.status.text(), timeout=10_000)
    assert QApplication.activeModalWidget() is None
    assert section.invite_button.isEnabled()


@pytest.mark.postgres
def test_a_manager_invites_an_owner_with_the_owner_s_approval(
    qtbot: QtBot,
    window: MainWindow,
    settings: Settings,
    live: LiveServer,
    app_db: Engine,
    screenshots: Path,
) -> None:
    shop: Tenant = create_tenant(settings, currency=window.session.shop.currency)
    engine = SyncEngine(window.session.register.db, secrets=SecretStore())
    window.session.db(
        lambda: engine.pair(
            server_url=live.url, code=pairing_code(settings, shop), device_name="Till 1"
        )
    )
    idle(qtbot, window.session)
    engine.close()

    sign_in(qtbot, window, "Morgan")  # a manager: inviting an owner needs the owner's PIN
    section = web_console(qtbot, window)
    invite(qtbot, section, "Dona.Maria@Example.TEST")
    approve_override(qtbot, "Sam")
    # The request runs on the network pool: the window keeps answering meanwhile.
    QApplication.processEvents()
    qtbot.waitUntil(lambda: "Invitation sent" in section.status.text(), timeout=15_000)
    assert "dona.maria@example.test" in section.status.text()
    assert section.email.text() == ""
    with tenant_transaction(app_db, shop.id) as conn:
        emails = conn.execute(
            text(
                "SELECT a.email FROM owner_invitations i JOIN owner_accounts a "
                "ON a.tenant_id = i.tenant_id AND a.id = i.account_id WHERE i.tenant_id = :t"
            ),
            {"t": shop.id},
        ).scalars().all()  # fmt: skip
    assert emails == ["dona.maria@example.test"]
    assert screenshot(window, screenshots, "backoffice-web-console").stat().st_size > 10_000
    assert screenshot(section, screenshots, "web-console-section").stat().st_size > 5_000

    # A mistyped address is said at once, before any PIN is asked for or anything is sent.
    invite(qtbot, section, "not-an-email")
    assert section.status.text() == "That email address does not look right"
    assert QApplication.activeModalWidget() is None
    assert section.invite_button.isEnabled()
    # One the server refuses (a one-letter top-level domain) says the server's reason.
    invite(qtbot, section, "dona@example.t")
    approve_override(qtbot, "Sam")
    qtbot.waitUntil(lambda: "refused the invitation" in section.status.text(), timeout=15_000)
    assert "is not an email address" in section.status.text()

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}"

    def go_offline() -> None:
        with window.session.register.db.write() as uow:
            uow.outbox.set_state(SERVER_URL, dead)

    window.session.db(go_offline)
    idle(qtbot, window.session)
    invite(qtbot, section, "later@example.test")
    approve_override(qtbot, "Sam")
    qtbot.waitUntil(lambda: "cannot be reached" in section.status.text(), timeout=20_000)
    assert section.invite_button.isEnabled()
