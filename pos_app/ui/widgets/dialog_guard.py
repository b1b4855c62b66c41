"""Dialogs never outlive the lock: the next person signing in must not find someone else's
modifier choice, discount, refund, PIN or cash count waiting for them (an OK pressed on a
modifier dialog left over the lock screen would put a latte in their cart)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QDialog, QWidget


def _depth(widget: QWidget) -> int:
    depth = 0
    parent = widget.parentWidget()
    while parent is not None:
        depth += 1
        parent = parent.parentWidget()
    return depth


def close_open_dialogs() -> int:
    """Reject every dialog on show, a dialog opened over another one first, and close any
    open pop-up (a combo box's list, a menu). Returns how many dialogs were rejected."""
    while (popup := QApplication.activePopupWidget()) is not None:
        if not popup.close():
            break
    dialogs = [
        widget
        for widget in QApplication.topLevelWidgets()
        if isinstance(widget, QDialog) and widget.isVisible()
    ]
    for dialog in sorted(dialogs, key=_depth, reverse=True):
        dialog.reject()
    return len(dialogs)
