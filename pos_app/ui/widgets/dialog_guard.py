"""Dialogs left open when the register locks are closed: the next person signing in must not
find someone else's refund, PIN or cash count waiting for them."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QWidget

from pos_app.ui.session import CounterSession


def close_dialogs_on_lock(session: CounterSession, owner: QWidget) -> None:
    """Reject every visible dialog under `owner` whenever nobody is signed in any more."""

    def staff_changed() -> None:
        if session.staff is not None:
            return
        for dialog in owner.findChildren(QDialog):
            if dialog.isVisible():
                dialog.reject()

    session.sig_staff_changed.connect(staff_changed)
