"""Every SQLite write of the counter runs on the database worker: a card sale (its attempt,
approval, capture and order, start-up recovery and the reader's connection included) and a
cash sale, driven through the window with the real `CounterSession` and `TaskRunner`, with the
write guard on and each write transaction's thread recorded."""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from pos_app.application.workers import DATABASE_WORKER
from pos_app.config import AppConfig
from pos_app.db.database import Database
from pos_app.db.uow import UnitOfWork
from pos_app.domain.orders import OrderStatus
from pos_app.payments.emulator import StripeEmulator
from pos_app.ui.main_window import MainWindow
from pos_app.ui.screens.pay import PayScreen
from tests.pos_app.ui.conftest import (
    click,
    idle,
    open_shift,
    ring_up,
    screen,
    sell_cash,
    sign_in,
)
from tests.support.stripe_emulator_fixtures import (  # noqa: F401 - fixtures by name
    make_stripe_emulator,
    stripe_openapi_checker,
)

APPROVE_CARD = "4242424242424242"


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


@pytest.fixture
def writers(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The name of the thread each write transaction begins on, in order."""
    names: list[str] = []
    original = Database.write

    def recorded(self: Database) -> AbstractContextManager[UnitOfWork]:
        names.append(threading.current_thread().name)
        return original(self)

    monkeypatch.setattr(Database, "write", recorded)
    return names


def test_a_card_sale_and_a_cash_sale_write_only_on_the_database_worker(
    qtbot: QtBot, window: MainWindow, emulator: StripeEmulator, writers: list[str]
) -> None:
    session = window.session
    session.register.db.write_guard.enabled = True
    try:
        session.start_terminal()  # the reader's connection and start-up recovery
        qtbot.waitUntil(lambda: session.card_state.available, timeout=10_000)
        sign_in(qtbot, window, "Sam")
        open_shift(qtbot, window)
        sign_in(qtbot, window, "Alex")
        order = ring_up(qtbot, window, [("FOD-FRI", 1), ("DRK-COL", 1)])
        click(qtbot, window, "PayButton")
        pay = screen(window, "pay", PayScreen)
        click(qtbot, window, "ChargeCard")
        qtbot.waitUntil(
            lambda: "Waiting for the customer's card" in pay.card_status.text(), timeout=10_000
        )
        runtime = session.terminal_runtime
        assert runtime is not None
        emulator.present_card(runtime.reader_id, number=APPROVE_CARD)
        qtbot.waitUntil(lambda: window.current == "finish", timeout=15_000)
        click(qtbot, window, "NextCustomer")
        idle(qtbot, session)
        placed = sell_cash(qtbot, window, [("BAK-CRO", 1)])
        idle(qtbot, session)
    finally:
        session.register.db.write_guard.enabled = False
    with session.register.db.read() as uow:
        card_order = uow.orders.get(order.id)
        cash_order = uow.orders.get(placed.order_id)
        payments = uow.payments.for_order(order.id)
    assert card_order is not None
    assert card_order.status is OrderStatus.PAID
    assert [p.status for p in payments] == ["captured"]
    assert cash_order is not None
    assert cash_order.status is OrderStatus.PAID
    # The card flow alone writes the attempt, its creation, approval, capture and the order.
    assert len(writers) >= 6
    worker = {name for name in writers if name.startswith("pos-db")}
    assert set(writers) == worker, f"SQLite written off the database worker: {set(writers)}"
    assert not DATABASE_WORKER.on_worker()
