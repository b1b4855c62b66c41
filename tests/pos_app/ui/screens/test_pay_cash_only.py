"""A shop that chose cash only (no Stripe key ever saved) is told so in one line, not with the
keyring's explanation; a real card problem still shows its reason, cut at a whole word."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QFont, QFontMetrics
from pytestqt.qtbot import QtBot

from pos_app.config import AppConfig
from pos_app.domain.shop import ReaderConfig
from pos_app.integrations.secrets import SecretsUnavailable
from pos_app.payments.runtime import CardsNotSetUp, open_terminal
from pos_app.ui.main_window import MainWindow
from pos_app.ui.screens.pay import PayScreen
from pos_app.ui.session import CardState, card_status_text, elide_words
from tests.pos_app.ui.conftest import click, open_shift, ring_up, screen, sign_in

UNSET = ReaderConfig("stripe", "unset", None, None, None)


class _NoKeyring:
    def get(self, name: str) -> str | None:
        raise SecretsUnavailable("This computer has no keyring service")


def test_a_shop_without_a_key_is_cash_only_without_asking_the_keyring(
    window: MainWindow, tmp_path: Path
) -> None:
    with pytest.raises(CardsNotSetUp):
        open_terminal(
            AppConfig(data_dir=tmp_path),
            UNSET,
            window.session.shop,
            secrets=_NoKeyring(),  # type: ignore[arg-type]
        )


def test_the_pay_screen_of_a_cash_only_shop_says_so_in_one_line(
    qtbot: QtBot, window: MainWindow
) -> None:
    session = window.session
    with session.register.db.write() as uow:
        uow.settings.save_reader(UNSET)
    session.start_terminal()
    qtbot.waitUntil(lambda: session.card_state.cash_only, timeout=10_000)
    assert window.card_label.text() == "Cash only"
    sign_in(qtbot, window, "Sam")
    open_shift(qtbot, window)
    ring_up(qtbot, window, [("BAK-CRO", 1)])
    click(qtbot, window, "PayButton")
    pay = screen(window, "pay", PayScreen)
    assert pay.card_status.text() == (
        "Cash only — set up card payments in the back office (Card reader)."
    )
    assert "keyring" not in pay.card_status.text().lower()
    assert not pay.charge.isVisible()
    assert not pay.card_amount.isVisible()
    assert not any(tip.isVisible() or tip.isEnabled() for tip in pay.tip_buttons)
    assert pay.take_cash.isEnabled()


def test_a_card_problem_keeps_its_reason_cut_at_a_whole_word(window: MainWindow) -> None:
    reason = (
        "This computer has no keyring service to keep the Stripe key and device token safe. "
        "Start the desktop's keyring (GNOME Keyring, KWallet)."
    )
    text = card_status_text(CardState(False, reason))
    assert text == f"Cards off: {reason}"
    metrics = QFontMetrics(QFont())
    shown = elide_words(text, metrics, 320)
    assert shown.endswith("…")
    assert metrics.horizontalAdvance(shown) <= 320
    assert text.startswith(shown[:-1])
    assert text[len(shown) - 1] in " .,:;"  # cut between two words, not inside one
    assert elide_words("Cash only", metrics, 320) == "Cash only"
    window.session.card_state = CardState(False, reason)
    window.session.sig_card_changed.emit()
    assert window.card_label.toolTip() == text
    assert window.card_label.text().endswith("…")
