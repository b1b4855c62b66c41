"""The shared widgets a person touches everywhere: the PIN pad (keys and keyboard, dots not
digits, never longer than allowed) and the message banner."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from pos_app.ui.widgets.common import Banner, PinPad
from tests.pos_app.ui.conftest import press, tap, type_text


def key(pad: PinPad, name: str) -> QPushButton:
    [found] = [b for b in pad.findChildren(QPushButton) if b.property("key") == name]
    return found


def test_the_pin_pad_sends_what_was_tapped_or_typed_and_forgets_it(qtbot: QtBot) -> None:
    pad = PinPad(max_length=4)
    qtbot.addWidget(pad)
    pad.show()
    pins: list[str] = []
    pad.sig_submitted.connect(pins.append)
    assert pad.field.echoMode() is QLineEdit.EchoMode.Password

    tap(key(pad, "OK"))  # nothing typed: nothing sent
    assert pins == []
    for digit in "12345":  # one more than fits
        tap(key(pad, digit))
    assert pad.field.text() == "1234"
    tap(key(pad, "C"))
    assert pad.field.text() == ""
    for digit in "908":
        tap(key(pad, digit))
    tap(key(pad, "OK"))
    assert pins == ["908"]
    assert pad.field.text() == ""  # the PIN does not stay on the screen

    type_text(pad.field, "77771")
    press(pad.field, Qt.Key.Key_Return)
    assert pins == ["908", "7777"]


def test_the_banner_says_a_message_and_goes(qtbot: QtBot) -> None:
    screen = QWidget()
    qtbot.addWidget(screen)
    banner = Banner(screen)
    screen.show()
    assert not banner.isVisible()  # nothing to say yet
    banner.show_message("The card was declined.")
    assert banner.isVisible()
    assert banner.text.text() == "The card was declined."
    assert banner.property("kind") == "error"
    banner.hide_stale()  # the same action's outcome survives its own screen change
    assert banner.isVisible()
    qtbot.wait(10)
    banner.hide_stale()  # a later screen change clears it
    assert not banner.isVisible()

    banner.show_message("Printed.", "info", timeout_ms=50)
    assert banner.property("kind") == "info"
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=2_000)

    banner.show_message("Give back $5.00 in cash.", "instruction")
    tap(next(b for b in banner.findChildren(QPushButton) if b.text() == "✕"))
    assert not banner.isVisible()
