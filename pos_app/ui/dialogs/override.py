"""Manager override: an action the signed-in person lacks, approved on the spot by another
staff member's PIN. Both names go to the audit log."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from pos_app.domain.staff import Authorization, Permission, StaffMember, authorize
from pos_app.services import auth
from pos_app.ui.session import CounterSession
from pos_app.ui.widgets.common import PinPad


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
                    action=action_text
                )
            )
        )
        self.approver = QComboBox()
        for member in approvers:
            self.approver.addItem(member.name, member.id)
        layout.addWidget(self.approver)
        self.pinpad = PinPad()
        self.pinpad.sig_submitted.connect(self._submitted)
        layout.addWidget(self.pinpad)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.pin = ""

    def _submitted(self, pin: str) -> None:
        self.pin = pin
        self.accept()


def with_permission(
    session: CounterSession,
    parent: QWidget,
    permission: Permission,
    action: Callable[[Authorization], None],
) -> None:
    """Run `action` with an Authorization: directly when the cashier may, else after a
    manager's PIN. A wrong PIN is counted (and can lock the manager out) like at login."""
    actor = session.staff
    if actor is None:
        return
    if actor.can(permission):
        action(authorize(actor, permission))
        return

    def fetch() -> list[StaffMember]:
        with session.register.db.read() as uow:
            return auth.approvers(uow, permission)

    def ask(approvers: list[StaffMember]) -> None:
        approvers = [m for m in approvers if m.id != actor.id]
        if not approvers:
            session.error(
                QCoreApplication.translate("Override", "No one on this register can approve this.")
            )
            return
        dialog = OverrideDialog(approvers, permission_text(permission), parent)
        dialog.accepted.connect(lambda: submit(dialog))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()  # window-modal, but the event loop (and background results) keep running

    def submit(dialog: OverrideDialog) -> None:
        approver_id = dialog.approver.currentData()
        pin = dialog.pin

        def check() -> Authorization | auth.PinCheck:
            with session.register.db.write() as uow:
                return auth.approve(
                    uow,
                    actor=actor,
                    permission=permission,
                    approver_id=approver_id,
                    approver_pin=pin,
                )

        def checked(result: Authorization | auth.PinCheck) -> None:
            if isinstance(result, auth.PinCheck):
                session.error(
                    QCoreApplication.translate("Override", "Approval refused: {reason}").format(
                        reason=QCoreApplication.translate("Override", "wrong PIN")
                        if result.error == "wrong PIN"
                        else result.error
                    )
                )
                return
            action(result)

        session.db(check, checked)

    session.db(fetch, ask)
