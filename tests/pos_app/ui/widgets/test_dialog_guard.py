"""When the register locks (nobody signed in any more), the dialogs left open on a screen are
closed, so the next person never finds someone else's refund or PIN prompt waiting; signing
in, or another person taking over, leaves them alone."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot

from pos_app.ui.dialogs.prompts import TextPrompt
from pos_app.ui.session import CounterSession
from pos_app.ui.widgets.dialog_guard import close_dialogs_on_lock
from tests.pos_app.ui.conftest import type_text


def test_locking_the_register_closes_the_screens_open_dialogs(
    qtbot: QtBot, session: CounterSession
) -> None:
    staff = {member.name: member for member in session.register.access.staff()}
    screen = QWidget()
    qtbot.addWidget(screen)
    screen.show()
    elsewhere = QWidget()
    qtbot.addWidget(elsewhere)
    close_dialogs_on_lock(session, screen)

    session.sign_in(staff["Alex"])
    reason = TextPrompt("Void", "Why?", screen)
    reason.open()
    type_text(reason.field, "customer left")
    answers: list[str] = []
    reason.sig_value.connect(answers.append)
    rejected: list[bool] = []
    reason.rejected.connect(lambda: rejected.append(True))
    hidden = QDialog(screen)  # created but never shown: nothing to close
    other = QDialog(elsewhere)  # another screen's: not this guard's
    other.open()

    session.sign_in(staff["Morgan"])  # someone signed in: not a lock
    assert reason.isVisible()

    session.sign_out()
    assert not reason.isVisible()
    assert rejected == [True]
    assert answers == []  # closed as cancelled, never as the answer typed
    assert not hidden.isVisible()
    assert other.isVisible()
    other.reject()
