"""Manager override: an action the signed-in person lacks, approved on the spot by another
staff member's PIN. Both names go to the audit log."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from pos_app.application.access import PinCheck
from pos_app.domain.staff import Authorization, Permission, StaffMember, authorize
from pos_app.ui.session import CounterSession
from pos_app.ui.widgets.common import PinPad, label


def permission_text(permission: Permission) -> str:
    return {
        Permission.VOID: QCoreApplication.translate("Override", "void this order"),
        Permission.REFUND: QCoreApplication.translate("Override", "refund"),
        Permission.LARGE_DISCOUNT: QCoreApplication.translate("Override", "give this discount"),
        Permission.NO_SALE: QCoreApplication.translate(
            "Override", "open the drawer without a sale"
        ),
        Permission.PRICE_OVERRIDE: QCoreApplication.translate("Override", "change a price"),
        Permission.CLOSE_SHIFT: QCoreApplication.translate("Override", "close the shift"),
        Permission.PAID_IN_OUT: QCoreApplication.translate("Override", "pay cash in or out"),
        Permission.MANAGE_CATALOG: QCoreApplication.translate("Override", "change the catalog"),
        Permission.MANAGE_STAFF: QCoreApplication.translate("Override", "manage staff"),
        Permission.MANAGE_SETTINGS: QCoreApplication.translate("Override", "change settings"),
        Permission.VIEW_REPORTS: QCoreApplication.translate("Override", "view reports"),
        Permission.SELL: QCoreApplication.translate("Override", "sell"),
        Permission.OVERSELL: QCoreApplication.translate("Override", "sell beyond the stock"),
    }[permission]


class OverrideDialog(QDialog):
    """Who approves and their PIN. The PIN field holds the keyboard from the start: digits
    typed anywhere go to it, Up/Down (or a name's first letter) choose the approver, Enter
    asks for approval (never cancels), Esc cancels. A refused PIN keeps the dialog open, so
    what the cashier already entered for the action (its reason) is not lost."""

    sig_pin = Signal(object, str)
    """(approver id, PIN) each time a PIN is entered."""

    def __init__(
        self, approvers: list[StaffMember], action_text: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(QCoreApplication.translate("Override", "Manager approval"))
        self.setObjectName("OverrideDialog")
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                QCoreApplication.translate("Override", "A manager must approve: {action}").format(
                    action=action_text[:1].upper() + action_text[1:]
                )
            )
        )
        self.approver = QComboBox()
        for member in approvers:
            self.approver.addItem(member.name, member.id)
        # A focused combo box would swallow the digits (as a search by name) and hand Enter to
        # the dialog's default button; it is chosen with the mouse or from the PIN field.
        self.approver.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout.addWidget(self.approver)
        self.pinpad = PinPad()
        self.pinpad.sig_submitted.connect(self._submitted)
        self.pinpad.field.installEventFilter(self)
        layout.addWidget(self.pinpad)
        self.error = label("")
        self.error.setObjectName("OverrideError")
        self.error.setStyleSheet("color: #b00020; font-weight: bold;")
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAutoDefault(False)
        cancel.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.pinpad.focus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.pinpad.field
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and self._choose_approver(event)
        ):
            return True
        return super().eventFilter(watched, event)

    def _choose_approver(self, event: QKeyEvent) -> bool:
        count = self.approver.count()
        index = self.approver.currentIndex()
        if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            step = -1 if event.key() == Qt.Key.Key_Up else 1
            self.approver.setCurrentIndex((index + step) % count)
            return True
        letter = event.text()
        if letter.isalpha():
            for offset in range(1, count + 1):
                candidate = (index + offset) % count
                if self.approver.itemText(candidate).lower().startswith(letter.lower()):
                    self.approver.setCurrentIndex(candidate)
                    break
            return True
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Keys the PIN field did not take (it lost focus to a click elsewhere)."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.pinpad.submit()
            return
        if event.text().isdigit() or event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.pinpad.focus()
            QCoreApplication.sendEvent(self.pinpad.field, event)
            return
        super().keyPressEvent(event)

    def _submitted(self, pin: str) -> None:
        self.pinpad.setEnabled(False)
        self.sig_pin.emit(self.approver.currentData(), pin)

    def refused(self, reason: str) -> None:
        """The PIN was not accepted: say why, and let them try again."""
        self.error.setText(
            QCoreApplication.translate("Override", "Approval refused: {reason}").format(
                reason=reason
            )
        )
        self.error.show()
        self.pinpad.setEnabled(True)
        self.pinpad.focus()


def with_permission(
    session: CounterSession,
    parent: QWidget,
    permission: Permission,
    action: Callable[[Authorization], None],
    *,
    action_text: str | None = None,
    on_cancel: Callable[[], None] | None = None,
) -> None:
    """Run `action` with an Authorization: directly when the cashier may, else after a
    manager's PIN. A wrong PIN is counted (and can lock the manager out) like at login.
    `action_text` names what the manager approves when the permission's own words do not fit
    (a no-charge order needs the discount permission, but is not "this discount").
    `on_cancel` runs when the manager's dialog is cancelled (nothing was approved)."""
    actor = session.staff
    if actor is None:
        return
    if actor.can(permission):
        action(authorize(actor, permission))
        return

    access = session.register.access

    def fetch() -> list[StaffMember]:
        return access.approvers(permission)

    def ask(approvers: list[StaffMember]) -> None:
        if session.staff is not actor:
            return  # locked (or someone else signed in) while the approvers were read
        approvers = [m for m in approvers if m.id != actor.id]
        if not approvers:
            session.error(
                QCoreApplication.translate("Override", "No one on this register can approve this.")
            )
            return
        dialog = OverrideDialog(approvers, action_text or permission_text(permission), parent)
        cancelled: list[bool] = []
        dialog.rejected.connect(lambda: cancelled.append(True))
        if on_cancel is not None:
            dialog.rejected.connect(on_cancel)
        dialog.sig_pin.connect(lambda approver_id, pin: submit(dialog, approver_id, pin, cancelled))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()  # window-modal, but the event loop (and background results) keep running

    def submit(dialog: OverrideDialog, approver_id: UUID, pin: str, cancelled: list[bool]) -> None:
        def check() -> Authorization | PinCheck:
            return access.approve(actor, permission, approver_id=approver_id, approver_pin=pin)

        def checked(result: Authorization | PinCheck) -> None:
            if cancelled or session.staff is not actor:
                return  # Esc (or the lock) while the PIN was being checked
            if isinstance(result, PinCheck):
                dialog.refused(refusal_text(result.error))
                return
            dialog.accept()
            action(result)

        session.db(check, checked)

    session.db(fetch, ask)


def refusal_text(error: str | None) -> str:
    if error == "wrong PIN" or error is None:
        return QCoreApplication.translate("Override", "wrong PIN")
    return error
