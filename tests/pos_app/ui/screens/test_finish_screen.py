"""The finish screen's e-mail box: an address that does not look like one is refused with the
application's own message, in the screen's status line."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from pos_app.domain.errors import ValidationError
from pos_app.ui.main_window import MainWindow
from pos_app.ui.screens.finish import FinishScreen
from pos_app.ui.screens.pay import PayScreen
from tests.pos_app.ui.conftest import click, open_shift, ring_up, screen, sign_in


def test_a_bad_email_address_is_refused_with_the_applications_message(
    qtbot: QtBot, window: MainWindow
) -> None:
    history = window.session.register.history
    with pytest.raises(ValidationError, match="that email address does not look right"):
        history.check_email_address("notanemail")
    assert history.check_email_address(" pat@example.com ") == "pat@example.com"

    sign_in(qtbot, window, "Sam")
    open_shift(qtbot, window)
    order = ring_up(qtbot, window, [("BAK-CRO", 1)])
    click(qtbot, window, "PayButton")
    screen(window, "pay", PayScreen).take_cash_amount(order.totals().total_minor)
    qtbot.waitUntil(lambda: window.current == "finish", timeout=10_000)
    finish = screen(window, "finish", FinishScreen)
    assert finish.email_field.placeholderText() == "Email address"
    qtbot.keyClicks(finish.email_field, "notanemail")
    finish.email_field.returnPressed.emit()  # Enter in the box (its routing: test_ui_keyboard)
    assert finish.receipt_status.text() == "That email address does not look right"
    assert window.current == "finish"
    finish.email_field.clear()
    finish.email_receipt()
    assert finish.receipt_status.text() == "Enter the customer's email address."
