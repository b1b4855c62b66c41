"""The platform's fee invoices on the register: the sync loop reads them from the real sync
server on loopback, the counter screen shows a reminder while the shop is past due (and a sale
still goes through), Back office → Fees & web console lists each month with its state, and
once the invoice is paid the reminder goes."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine, text

from pos_app.app import CounterServices
from pos_app.application.sync import FEE_INVOICES, SyncEngine
from pos_app.domain.fee_invoices import FeeInvoice, FeeInvoices
from pos_app.integrations.secrets import SecretStore
from pos_app.ui.backoffice.fee_invoices import FAILED_AMBER, PAST_DUE_RED, FeeInvoicesSection
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
    # By keyboard: Ctrl+R asks (buttons take no focus), and Tab leaves the list at once
    # instead of walking through every cell.
    section.status.setText("")
    section.table.setFocus()
    QTest.keyClick(section.table, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "not paired" in section.status.text(), timeout=10_000)
    assert not section.table.tabKeyNavigation()
    assert not window.sell.fee_reminder.isVisible()


def _month(period: str, amount: int, status: str, **values: object) -> FeeInvoice:
    fields: dict[str, object] = {"hosted_url": None, "paid_at": None, **values}
    return FeeInvoice(
        period=period, amount_minor=amount, currency="USD", status=status,
        **fields,  # type: ignore[arg-type]
    )  # fmt: skip


def test_each_month_says_what_the_owner_needs_to_know_and_every_month_shows_at_once(
    qtbot: QtBot, window: MainWindow
) -> None:
    """A failed payment, a past-due invoice (in red), an emailed invoice's due date, a credit
    note, an amount carried out of a month and into the next; the table as tall as its rows
    (the tab scrolls, not the table); the month in the register's language."""
    sign_in(qtbot, window, "Sam")
    section = fee_section(qtbot, window)
    now = datetime(2026, 7, 20, 15, tzinfo=UTC)
    fees = FeeInvoices(
        invoices=(
            _month("2026-06", 400, "open", due_at=datetime(2026, 7, 24, 18, tzinfo=UTC)),
            _month(
                "2026-05",
                830,
                "open",
                first_failed_at=now - timedelta(days=20),
                attempt_count=3,
                carried_in_minor=30,
                past_due=True,
            ),
            _month("2026-04", 0, "carried", carried_out_minor=30),
            _month("2026-03", 400, "paid", credit_minor=600, paid_at=now - timedelta(days=100)),
            _month("2026-02", 600, "open", first_failed_at=now, attempt_count=1),
            _month("2026-01", 500, "open", due_at=datetime(2026, 6, 20, tzinfo=UTC), past_due=True),
        ),
        past_due_period="2026-05",
        past_due_url="https://invoice.stripe.test/i/in_may",
        fetched_at=now,
    )
    section.show_fees(fees)
    states = [cell(section, row, 2) for row in range(6)]
    assert states == [
        "Awaiting payment: due on 7/24/26",
        "Past due: the card payment failed (3 attempts); includes $0.30 carried from earlier "
        "months",
        "Carried to a later month: $0.30, below Stripe's minimum charge",
        "Paid: $6.00 credited",
        "Awaiting payment: the card payment failed (1 attempt)",
        "Past due: was due on 6/19/26",  # the shop's calendar (New York)
    ]
    assert cell(section, 3, 3) == "4/11/26"  # the day it was paid, on the shop's calendar
    assert section.table.item(1, 1).foreground().color().name() == PAST_DUE_RED  # type: ignore[union-attr]
    assert section.table.item(0, 1).foreground().color().name() != PAST_DUE_RED  # type: ignore[union-attr]
    # A failed payment still within its grace: the warning colour, the whole row.
    assert {section.table.item(4, c).foreground().color().name() for c in range(4)} == {  # type: ignore[union-attr]
        FAILED_AMBER
    }
    assert section.table.item(0, 2).foreground().color().name() != FAILED_AMBER  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: section.table.verticalScrollBar().maximum() == 0)
    rows = sum(section.table.rowHeight(row) for row in range(6))
    assert section.table.height() >= rows + section.table.horizontalHeader().height()
    reminder = section.reminder.text()
    assert "May 2026" in reminder
    # A link to Stripe's page, its address escaped, under a short name that wraps well.
    assert '<a href="https://invoice.stripe.test/i/in_may">Pay on Stripe\'s page</a>' in reminder
    assert "Payment method page" in reminder
    assert section.reminder.openExternalLinks()
    flags = section.reminder.textInteractionFlags()
    assert flags & Qt.TextInteractionFlag.LinksAccessibleByKeyboard  # Tab reaches it, Enter opens
    explain = section.findChild(QLabel, "FeeInvoicesExplain")
    assert explain is not None
    assert "Payment method page" in explain.text()

    window.session.locale_name = "pt_BR"
    section.show_fees(fees)
    assert [cell(section, row, 0) for row in range(2)] == ["Junho de 2026", "Maio de 2026"]
    assert "maio de 2026" in section.reminder.text()  # within the sentence: lower case
    assert cell(section, 3, 3) == "11/04/2026"


def test_the_reminder_shows_from_the_start_from_the_register_s_copy(
    qtbot: QtBot, window: MainWindow
) -> None:
    """Restarted (or offline), a past-due register shows the reminder from the copy it keeps,
    not only after its first sync round (up to 30 s later, never while offline)."""
    body = {
        "invoices": [
            {"period": "2026-05", "currency": "USD", "amount_minor": 830, "status": "open",
             "past_due": True},
        ],
        "past_due": True,
        "past_due_period": "2026-05",
    }  # fmt: skip
    kept = json.dumps({"at": datetime.now(UTC).isoformat(), "body": body})

    def keep() -> None:
        with window.session.register.db.write() as uow:
            uow.outbox.set_state(FEE_INVOICES, kept)

    window.session.db(keep)
    idle(qtbot, window.session)
    services = CounterServices(window.session).start(sync=False, printing=False)
    services.attach(window)
    try:
        sign_in(qtbot, window, "Sam")
        window.show_screen("sell")
        reminder = window.sell.fee_reminder
        qtbot.waitUntil(reminder.isVisible, timeout=10_000)
        assert "May 2026" in reminder.text()
        # The whole way to the tab where the owner finds the page to pay.
        assert "Back office → Shop set-up → Fees & web console" in reminder.text()
    finally:
        services.stop()


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
        # One short line: where to look; the details are in the back office.
        assert reminder.text() == (
            "Fee for February 2026 is past due — Back office → Shop set-up → Fees & web console"
        )
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
        carried = window.session.money(30)
        assert states == [
            f"Carried to a later month: {carried}, below Stripe's minimum charge",
            "Past due: the card payment failed (2 attempts)",
            "Paid",
        ]
        assert cell(section, 2, 3) != "–"  # January's paid date
        assert section.reminder.isVisible()
        assert 'href="https://invoice.stripe.test' in section.reminder.text()
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
        assert section.table.item(1, 0).foreground().color().name() != PAST_DUE_RED  # type: ignore[union-attr]
        assert services.sync_loop is not None
        services.sync_loop.sync_now()
        qtbot.waitUntil(lambda: not reminder.isVisible() and not reminder.text(), timeout=15_000)
    finally:
        services.stop()
