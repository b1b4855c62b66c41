"""Back office → Chargebacks: a manager sends a disputed card sale's evidence. The evidence is
built and recorded on the database worker and sent to Stripe (the emulator) on the network
pool; the tab shows the dispute answered."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from pos_app.config import AppConfig
from pos_app.db.repositories.remote import RemoteChangeRepository
from pos_app.payments.emulator import StripeEmulator
from pos_app.ui.main_window import MainWindow
from pos_app.ui.screens.backoffice import BackOfficeScreen
from pos_app.ui.screens.pay import PayScreen
from tests.pos_app.ui.conftest import (
    click,
    idle,
    open_shift,
    ring_up,
    screen,
    sign_in,
)
from tests.support.stripe_emulator_fixtures import (  # noqa: F401 - fixtures by name
    make_stripe_emulator,
    stripe_openapi_checker,
)

pytestmark = pytest.mark.stripe_emulator


@pytest.fixture
def emulator(make_stripe_emulator: Callable[..., StripeEmulator]) -> StripeEmulator:  # noqa: F811
    return make_stripe_emulator()


@pytest.fixture
def app_config(tmp_path: Path, emulator: StripeEmulator) -> AppConfig:
    return AppConfig(
        data_dir=tmp_path / "register",
        stripe_api_base=emulator.base_url,
        stripe_api_key=emulator.test_key,
    )


def test_a_manager_sends_a_disputed_sale_s_evidence(
    qtbot: QtBot, window: MainWindow, emulator: StripeEmulator
) -> None:
    session = window.session
    session.start_terminal()
    qtbot.waitUntil(lambda: session.card_state.available, timeout=10_000)
    runtime = session.terminal_runtime
    assert runtime is not None
    sign_in(qtbot, window, "Sam")
    open_shift(qtbot, window)
    sign_in(qtbot, window, "Alex")
    window.show_screen("sell")
    order = ring_up(qtbot, window, [("FOD-FRI", 1)])
    click(qtbot, window, "PayButton")
    pay = screen(window, "pay", PayScreen)
    click(qtbot, window, "ChargeCard")
    qtbot.waitUntil(lambda: "Waiting for the customer's card" in pay.card_status.text())
    emulator.present_card(str(runtime.reader_id), number="4242424242424242")
    qtbot.waitUntil(lambda: window.current == "finish", timeout=15_000)
    [intent] = emulator.payment_intents.values()
    dispute = emulator.create_dispute(str(intent["id"]), reason="fraudulent")
    dispute_id = str(dispute["id"])

    def pulled() -> None:  # what the sync pull stores when the server relays the webhook
        with session.register.db.write() as uow:
            RemoteChangeRepository(uow.session).apply_dispute(
                {
                    "id": dispute_id,
                    "order_id": str(order.id),
                    "charge_id": dispute["charge"],
                    "amount_minor": dispute["amount"],
                    "currency": "USD",
                    "reason": "fraudulent",
                    "status": dispute["status"],
                    "evidence_due_by": "2030-01-01T00:00:00+00:00",
                    "fee_minor": 1500,
                    "outcome": None,
                    "updated_at": "2026-01-01T00:00:00+00:00",
                }
            )

    session.db(pulled)
    idle(qtbot, session)

    sign_in(qtbot, window, "Morgan")
    window.show_screen("backoffice")
    office = screen(window, "backoffice", BackOfficeScreen)
    office.show_tab(office.disputes)
    idle(qtbot, session)
    tab = office.disputes
    assert tab.status.text() == "1 need evidence"
    tab.table.selectRow(0)
    assert tab.submit.isEnabled()
    click(qtbot, tab, "SubmitEvidence")
    qtbot.waitUntil(lambda: "Evidence sent" in window.banner.text.text(), timeout=15_000)
    idle(qtbot, session)
    assert tab.status.text() == "Nothing to answer."
    assert emulator.disputes[dispute_id]["status"] == "under_review"
    assert "Fries" in str(emulator.disputes[dispute_id]["evidence"]["product_description"])

    def audited() -> list[object]:
        with session.register.db.read() as uow:
            return [e.staff_id for e in uow.audit.entries(action="dispute.evidence_submitted")]

    staff_ids: list[object] = []
    session.db(audited, staff_ids.extend)
    idle(qtbot, session)
    assert staff_ids == [session.staff.id if session.staff else None]
