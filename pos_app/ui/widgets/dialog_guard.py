"""Dialogs never outlive the lock: the next person signing in must not find someone else's
modifier choice, discount, refund, PIN or cash count waiting for them (an OK pressed on a
modifier dialog left over the lock screen put a latte in their cart). The window guards
itself whole (`MainWindow`), so every dialog of every screen is closed before the lock screen
shows."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QDialog, QWidget

from pos_app.ui.session import CounterSession


def close_dialogs_on_lock(session: CounterSession, owner: QWidget) -> None:
    """Reject every visible dialog under `owner` whenever nobody is signed in any more."""

    def staff_changed() -> None:
        if session.staff is None:
            close_dialogs_under(owner)

    session.sig_staff_changed.connect(staff_changed)


def close_dialogs_under(owner: QWidget) -> int:
    """Close any open pop-up (a combo box's list), then reject every visible dialog under
    `owner`, one opened over another first. Returns how many dialogs were rejected."""
    while (popup := QApplication.activePopupWidget()) is not None:
        if not popup.close():
            break
    dialogs = [dialog for dialog in owner.findChildren(QDialog) if dialog.isVisible()]
    for dialog in sorted(dialogs, key=_depth, reverse=True):
        dialog.reject()
    return len(dialogs)


def _depth(widget: QWidget) -> int:
    depth = 0
    parent = widget.parentWidget()
    while parent is not None:
        depth += 1
        parent = parent.parentWidget()
    return depth
