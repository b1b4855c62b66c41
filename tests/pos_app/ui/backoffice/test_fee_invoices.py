"""The platform's fee invoices on the register: the sync loop reads them from the real sync
server on loopback, the counter screen shows a reminder while the shop is past due (and a sale
still goes through), Back office → Fees & web console lists each month with its state, and
once the invoice is paid the reminder goes."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine, text

from pos_app.app import CounterServices
from pos_app.application.sync import SyncEngine
from pos_app.integrations.secrets import SecretStore
from pos_app.ui.backoffice.fee_invoices import FeeInvoicesSection
from pos_app.ui.main_window import MainWindow
from pos_app.ui.screens.backoffice import BackOfficeScreen
from sync_server.config import Settings
from sync_server.db import tenant_transaction
from tests.pos_app.ui.conftest import (
    idle,
    open_shift,
    screen,
    screenshot,
    sell_cash,
    sign_in,
    tap,
)
from tests.support.billing_records import seed_invoices
from tests.support.sync_server_live import LiveServer
from tests.support.sync_server_tenants import create_tenant, pairing_code


def cell(section: FeeInvoicesSection, row: int, column: int) -> str:
    item = section.table.item(row, column)
    assert item is not None, (row, column)
    return item.text()


def fee_section(qtbot: QtBot, window: MainWindow) -> FeeInvoicesSection:
    window.show_screen("backoffice")
    office = screen(window, "backoffice", BackOfficeScreen)
    office.show_tab(office.platform)
    idle(qtbot, window.session)
    section = office.platform.fee_invoices
    qtbot.waitUntil(section.isVisible)
    return section


def test_on_a_register_not_paired_the_section_says_so(qtbot: QtBot, window: MainWindow) -> None:
    sign_in(qtbot, window, "Sam")
    section = fee_section(qtbot, window)
    qtbot.waitUntil(lambda: "Not read" in section.status.text(), timeout=10_000)
    assert section.table.rowCount() == 0
    assert not section.reminder.isVisible()
    tap(section.check)
    qtbot.waitUntil(lambda: "not paired" in section.status.text(), timeout=10_000)
    assert section.check.isEnabled()
    assert not window.sell.fee_reminder.isVisible()


@pytest.mark.postgres
def test_past_due_shows_on_the_counter_never_blocks_a_sale_and_goes_once_paid(
    qtbot: QtBot,
    window: MainWindow,
    settings: Settings,
    live: LiveServer,
    app_db: Engine,
    screenshots: Path,
) -> None:
    shop = create_tenant(settings, currency=window.session.shop.currency)
    seed_invoices(settings, shop)  # February failed 20 days ago: past due
    engine = SyncEngine(window.session.register.db, secrets=SecretStore())
    window.session.db(
        lambda: engine.pair(
            server_url=live.url, code=pairing_code(settings, shop), device_name="Till 1"
        )
    )
    idle(qtbot, window.session)
    engine.close()
    services = CounterServices(window.session).start(printing=False)
    services.attach(window)
    try:
        sign_in(qtbot, window, "Sam")
        window.show_screen("sell")
        reminder = window.sell.fee_reminder
        qtbot.waitUntil(reminder.isVisible, timeout=15_000)
        assert "February 2026" in reminder.text()
        assert "past due" in reminder.text()
        assert "Sales go on as usual" in reminder.text()
        assert "http" not in reminder.text()  # the page's address is the back office's
        assert screenshot(window, screenshots, "counter-fee-past-due").stat().st_size > 10_000
        # A sale goes through with the reminder up.
        open_shift(qtbot, window)
        sell_cash(qtbot, window, [("BAK-CRO", 1)])
        window.show_screen("sell")
        assert reminder.isVisible()

        section = fee_section(qtbot, window)
        qtbot.waitUntil(lambda: section.table.rowCount() == 3, timeout=10_000)
        months = [cell(section, row, 0) for row in range(3)]
        states = [cell(section, row, 2) for row in range(3)]
        assert months == ["March 2026", "February 2026", "January 2026"]
        assert states == ["Carried to a later month", "Awaiting payment", "Paid"]
        assert cell(section, 2, 3) != "–"  # January's paid date
        assert section.reminder.isVisible()
        assert "invoice.stripe.test" in section.reminder.text()
        assert screenshot(window, screenshots, "backoffice-fee-invoices").stat().st_size > 10_000

        # The owner pays February: "Check now" reads it, and the counter's reminder goes.
        with tenant_transaction(app_db, shop.id) as conn:
            conn.execute(
                text(
                    "UPDATE billing_invoices SET status = 'paid', paid_at = now() "
                    "WHERE tenant_id = :t AND period = '2026-02'"
                ),
                {"t": shop.id},
            )
        tap(section.check)
        qtbot.waitUntil(lambda: not section.reminder.isVisible(), timeout=15_000)
        assert cell(section, 1, 2) == "Paid"
        assert services.sync_loop is not None
        services.sync_loop.sync_now()
        qtbot.waitUntil(lambda: not reminder.isVisible() and not reminder.text(), timeout=15_000)
    finally:
        services.stop()
