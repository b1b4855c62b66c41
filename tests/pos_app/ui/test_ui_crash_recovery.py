"""A register killed (SIGKILL, a real subprocess) while the reader waits for the card, then
started again: recovery leaves the order parked (recallable and voidable), says so in the
counter's language, and the screens act on it.

Two gateways: the demo's in-process emulator (it dies with the register, so its payment is
gone) and one that outlives the register, as Stripe does (the payment is released there)."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from uuid import UUID

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from pos_app.app import build_window, install_translations, stylesheet
from pos_app.application.register import Register
from pos_app.config import AppConfig
from pos_app.domain.orders import OrderStatus
from pos_app.payments.emulator import StripeEmulator
from pos_app.ui.dialogs.prompts import TextPrompt
from pos_app.ui.main_window import MainWindow
from pos_app.ui.screens.history import HistoryScreen
from pos_app.ui.screens.pay import PayScreen
from pos_app.ui.session import CounterSession
from pos_app.ui.tasks import TaskRunner
from tests.pos_app.ui.conftest import (
    SCREENSHOT_SIZE,
    approve_override,
    click,
    click_text,
    idle,
    screen,
    screenshot,
    sign_in,
    wait_dialog,
)
from tests.support.stripe_emulator_fixtures import (  # noqa: F401 - fixtures by name
    make_stripe_emulator,
    stripe_openapi_checker,
)

ROOT = Path(__file__).resolve().parents[3]
Counter = Callable[[AppConfig, str], MainWindow]


def kill_while_waiting_for_the_card(
    data_dir: Path, *gateway: str, cash_minor: int = 0
) -> tuple[UUID, UUID]:
    """Run the worker until its payment is on the reader, then SIGKILL it."""
    cash = [f"--cash={cash_minor}"] if cash_minor else []
    worker = subprocess.Popen(
        [sys.executable, "-m", "tests.support.card_crash_worker", *cash, str(data_dir), *gateway],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert worker.stdout is not None
        line = worker.stdout.readline().split()
        assert line[:1] == ["waiting"], line
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
        if worker.stdout is not None:
            worker.stdout.close()
    assert worker.returncode == -signal.SIGKILL
    return UUID(line[1]), UUID(line[2])


@pytest.fixture
def counter(qapp: QApplication, qtbot: QtBot) -> Iterator[Counter]:
    """The counter app over a data dir, in a language, started as the app starts it."""
    opened: list[tuple[MainWindow, CounterSession, TaskRunner, Register, list[object]]] = []

    def start(config: AppConfig, locale: str) -> MainWindow:
        translators = install_translations(qapp, locale)
        qapp.setStyleSheet(stylesheet())
        register = Register.open(config, demo=True)
        runner = TaskRunner()
        session = CounterSession(register, runner, config, locale)
        window = build_window(session)
        window.resize(*SCREENSHOT_SIZE)
        window.show()
        loaded: list[bool] = []
        session.load(lambda: loaded.append(True))
        qtbot.waitUntil(lambda: bool(loaded))
        opened.append((window, session, runner, register, translators))
        session.start_terminal()
        qtbot.waitUntil(lambda: session.card is not None, timeout=20_000)
        idle(qtbot, session)
        return window

    yield start
    for window, session, runner, register, translators in opened:
        window.close()
        window.deleteLater()
        qtbot.waitUntil(lambda: runner.running == 0, timeout=10_000)  # noqa: B023
        session.shutdown()
        runner.shutdown(wait=True)
        register.close()
        for translator in translators:
            QCoreApplication.removeTranslator(translator)  # type: ignore[arg-type]


def _select(qtbot: QtBot, window: MainWindow, order_id: UUID) -> HistoryScreen:
    window.show_screen("history")
    history = screen(window, "history", HistoryScreen)
    idle(qtbot, window.session)
    history.table.selectRow(0)
    qtbot.waitUntil(lambda: history.detail is not None)
    assert history.detail is not None
    assert history.detail.order.id == order_id
    return history


def test_demo_reader_killed_mid_payment_the_order_is_parked_and_voidable_in_pt_br(
    tmp_path: Path, qtbot: QtBot, counter: Counter, screenshots: Path
) -> None:
    config = AppConfig(data_dir=tmp_path / "register")
    order_id, payment_id = kill_while_waiting_for_the_card(config.data_dir)
    window = counter(config, "pt_BR")
    session = window.session
    message = window.banner.text.text()
    screenshot(window, screenshots, "crash-recovered-pt_BR")
    assert "left for later" not in message
    assert str(payment_id) not in message
    assert message.startswith("Pedido nº 1:"), message
    assert "não foi cobrado" in message
    assert "suspenso" in message
    with session.register.db.read() as uow:
        assert uow.payments.in_flight() == []
        [audit] = uow.audit.entries(action="payment.recovered")
    # The demo's Stripe keeps its objects on disk (demo-stripe/), so after the restart it still
    # knows the payment and the recovery releases it, as with Stripe itself.
    assert audit.details["action"] == "released"

    sign_in(qtbot, window, "Alex")
    history = _select(qtbot, window, order_id)
    assert history.detail is not None
    assert history.detail.order.status is OrderStatus.PARKED
    assert history.recall_button.isEnabled()
    assert history.void_button.isEnabled()
    click(qtbot, history, "VoidOrder")
    reason = wait_dialog(qtbot, TextPrompt)
    click_text(qtbot, reason, "Cliente foi embora")
    approve_override(qtbot, "Morgan")
    idle(qtbot, session)
    qtbot.waitUntil(
        lambda: history.detail is not None and history.detail.order.status is OrderStatus.VOIDED
    )
    screenshot(window, screenshots, "crash-recovered-voided-pt_BR")


def test_a_payment_stripe_still_holds_is_released_and_the_order_recalled_and_paid(
    tmp_path: Path,
    qtbot: QtBot,
    counter: Counter,
    make_stripe_emulator: Callable[..., StripeEmulator],  # noqa: F811
) -> None:
    emulator = make_stripe_emulator()
    config = AppConfig(
        data_dir=tmp_path / "register",
        stripe_api_base=emulator.base_url,
        stripe_api_key=emulator.test_key,
    )
    order_id, _payment_id = kill_while_waiting_for_the_card(
        config.data_dir, emulator.base_url, emulator.test_key
    )
    window = counter(config, "en_US")
    session = window.session
    assert window.banner.text.text() == (
        "Order #1: its card payment was not finished before the restart and was released; "
        "the customer was not charged. It is parked: recall it to take payment, or void it."
    )
    with session.register.db.read() as uow:
        [payment] = uow.payments.for_order(order_id)
    assert payment.status == "canceled"

    sign_in(qtbot, window, "Alex")
    history = _select(qtbot, window, order_id)
    click(qtbot, history, "RecallOrder")
    qtbot.waitUntil(lambda: session.order.id == order_id)
    assert window.current == "sell"
    click(qtbot, window, "PayButton")
    pay = screen(window, "pay", PayScreen)
    pay.take_cash_amount(session.order.totals().total_minor)
    qtbot.waitUntil(lambda: window.current == "finish", timeout=10_000)
    with session.register.db.read() as uow:
        paid = uow.orders.get(order_id)
    assert paid is not None
    assert paid.status is OrderStatus.PAID


def test_cash_taken_before_the_crash_is_accounted_for_at_the_restart(
    tmp_path: Path, qtbot: QtBot, counter: Counter
) -> None:
    """US$ 1.00 cash handed over, the rest on the card, then kill -9 while the reader waits:
    the restart says how much cash to hand back, and the audit log keeps it."""
    config = AppConfig(data_dir=tmp_path / "register")
    order_id, _payment_id = kill_while_waiting_for_the_card(config.data_dir, cash_minor=100)
    window = counter(config, "en_US")
    session = window.session
    message = window.banner.text.text()
    assert message.startswith("Order #1:"), message
    assert message.endswith(
        "$1.00 in cash was taken for it before the restart: hand it back to the customer "
        "(the order is due in full)."
    ), message
    assert window.banner.property("kind") == "instruction"  # stays up until dismissed
    with session.register.db.read() as uow:
        [audit] = uow.audit.entries(action="order.cash_to_hand_back")
        assert uow.orders.pending_tenders(order_id) is None
        parked = uow.orders.get(order_id)
    assert audit.details == {"number": 1, "cash_minor": 100}
    assert parked is not None
    assert parked.status is OrderStatus.PARKED
