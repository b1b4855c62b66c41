"""The cash movement and staff dialogs grow to a long error: Qt counted its wrapped lines as
one, so the reason buttons were squeezed over each other (paid out) and the last row of
buttons was pushed past the dialog's lower edge, cut (a staff member's role)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QDialog, QLabel
from pytestqt.qtbot import QtBot

from pos_app.domain.shifts import CashMovementKind
from pos_app.domain.staff import Role
from pos_app.ui.dialogs.cash_movement import CashMovementDialog
from pos_app.ui.dialogs.staff import AddStaffDialog, PinDialog, RoleDialog
from tests.pos_app.ui.dialogs.test_refund_dialog_fit import squeezed, words  # noqa: F401

LONG = (
    "O PIN deve ter de 4 a 8 dígitos e não pode ser igual ao de outra pessoa da equipe "
    "desta loja, nem repetir o PIN anterior."
)
ERRORS = ("MovementError", "DialogError")


def test_each_dialog_grows_to_a_long_error(qtbot: QtBot, words: str) -> None:  # noqa: F811
    roles = list(Role)
    dialogs: list[QDialog] = [
        CashMovementDialog(CashMovementKind.PAID_OUT, "USD", words),
        CashMovementDialog(CashMovementKind.PAID_IN, "USD", words),
        AddStaffDialog(roles),
        PinDialog("Morgan"),
        RoleDialog("Morgan", roles[0], roles),
    ]
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.open()
        qtbot.waitExposed(dialog)
        assert not squeezed(dialog), (type(dialog).__name__, squeezed(dialog))
        before = dialog.height()
        errors = [e for e in dialog.findChildren(QLabel) if e.objectName() in ERRORS]
        assert errors, type(dialog).__name__
        for error in errors:
            error.setText(LONG)
        QApplication.processEvents()
        assert dialog.height() > before, type(dialog).__name__
        assert not squeezed(dialog), (type(dialog).__name__, squeezed(dialog))
        dialog.reject()
