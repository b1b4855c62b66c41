"""The main window: every screen present and typed, hooks to the services around it, and a
broken module that fails loudly instead of taking its screen (or tab) away in silence."""

from __future__ import annotations

import logging
import sys
from uuid import UUID

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from pos_app.app import CounterServices, build_window
from pos_app.domain.ids import uuid7
from pos_app.ui.backoffice.sales_tab import SalesTab
from pos_app.ui.main_window import CounterHooks, MainWindow
from pos_app.ui.screens.backoffice import BackOfficeScreen
from pos_app.ui.screens.finish import FinishScreen
from pos_app.ui.screens.history import HistoryScreen
from pos_app.ui.screens.login import LoginScreen
from pos_app.ui.screens.pay import PayScreen
from pos_app.ui.screens.sell import SellScreen
from pos_app.ui.screens.shift import ShiftScreen
from pos_app.ui.session import CounterSession

pytestmark = pytest.mark.qt


def test_every_screen_is_on_the_window_by_name_and_by_type(window: MainWindow) -> None:
    typed = {
        window.login: LoginScreen,
        window.sell: SellScreen,
        window.pay: PayScreen,
        window.finish: FinishScreen,
        window.history: HistoryScreen,
        window.shift: ShiftScreen,
        window.backoffice: BackOfficeScreen,
    }
    for screen, kind in typed.items():
        assert type(screen) is kind
        assert window.screens[screen.name] is screen
        page = window.pages[screen.name]  # the screen, or a scroll area around it
        assert window.stack.indexOf(page) >= 0
        assert page is screen or page.isAncestorOf(screen)
    assert len(window.screens) == len(typed)


def test_a_screen_that_fails_to_import_stops_the_app(
    monkeypatch: pytest.MonkeyPatch, session: CounterSession
) -> None:
    """A broken history.py used to make the History screen vanish without a word."""
    monkeypatch.delitem(sys.modules, "pos_app.ui.main_window")
    monkeypatch.setitem(sys.modules, "pos_app.ui.screens.history", None)
    with pytest.raises(ImportError, match=r"pos_app\.ui\.screens\.history"):
        build_window(session)


def test_without_hooks_the_window_says_what_is_not_set_up(window: MainWindow) -> None:
    status = QLabel()
    window.print_receipt(uuid7(), status)
    assert status.text() == "No receipt printer is set up."
    window.email_receipt(uuid7(), "ana@example.com", status)
    assert status.text() == "Email receipts are not set up on this register."
    window.open_drawer()  # nothing to kick: no error either


def test_the_hooks_are_what_the_window_calls(window: MainWindow) -> None:
    calls: list[tuple[object, ...]] = []
    order_id = uuid7()
    status = QLabel()

    def printed(order: UUID, label: QLabel) -> None:
        calls.append(("print", order, label))

    def emailed(order: UUID, address: str, label: QLabel) -> None:
        calls.append(("email", order, address, label))

    window.hooks = CounterHooks(
        print_receipt=printed, email_receipt=emailed, open_drawer=lambda: calls.append(("drawer",))
    )
    window.print_receipt(order_id, status)
    window.email_receipt(order_id, "ana@example.com", status)
    window.open_drawer()
    assert calls == [
        ("print", order_id, status),
        ("email", order_id, "ana@example.com", status),
        ("drawer",),
    ]


def test_the_services_hooks_follow_what_runs(qtbot: QtBot, session: CounterSession) -> None:
    services = CounterServices(session).start(sync=False, printing=False)
    try:
        hooks = services.hooks
        assert hooks.print_receipt is None  # no print queue: the window says so
        assert hooks.open_drawer is None
        assert hooks.email_receipt is not None
    finally:
        services.stop()
    services = CounterServices(session).start(sync=False)
    try:
        hooks = services.hooks
        assert services.print_worker is not None
        assert hooks.print_receipt is not None
        assert hooks.open_drawer == services.print_worker.wake
    finally:
        services.stop()


def test_the_sales_tab_does_without_qtcharts_and_says_so(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, window: MainWindow
) -> None:
    assert isinstance(window.backoffice.sales, SalesTab)
    monkeypatch.delitem(sys.modules, "pos_app.ui.backoffice.sales_tab")
    monkeypatch.setitem(sys.modules, "PySide6.QtCharts", None)
    with caplog.at_level(logging.WARNING, logger="pos_app.ui.screens.backoffice"):
        tab = window.backoffice._sales_tab()
    assert isinstance(tab, QLabel)
    assert "PySide6-Addons" in tab.text()
    assert "PySide6.QtCharts" in caplog.text


def test_a_broken_sales_tab_is_not_taken_for_missing_charts(
    monkeypatch: pytest.MonkeyPatch, window: MainWindow
) -> None:
    monkeypatch.setitem(sys.modules, "pos_app.ui.backoffice.sales_tab", None)
    with pytest.raises(ImportError, match=r"pos_app\.ui\.backoffice\.sales_tab"):
        window.backoffice._sales_tab()
