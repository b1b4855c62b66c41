"""Back office → Staff: who can sign in, with which role; add people, change a role, reset a
forgotten PIN, take someone off the register."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.errors import ValidationError
from pos_app.domain.staff import Authorization, Permission, Role, StaffMember
from pos_app.ui.dialogs.override import with_permission
from pos_app.ui.dialogs.staff import AddStaffDialog, ConfirmDialog, PinDialog, RoleDialog, role_text
from pos_app.ui.formatting import format_time
from pos_app.ui.session import describe_error
from pos_app.ui.widgets.common import button

if TYPE_CHECKING:
    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.session import CounterSession


class StaffTab(QWidget):
    NAME, ROLE, STATE = range(3)

    def __init__(self, session: CounterSession, window: MainWindow) -> None:
        super().__init__()
        self.session = session
        self.window_ = window
        self.members: list[StaffMember] = []
        self.locked: dict[UUID, datetime] = {}
        root = QVBoxLayout(self)
        self.table = QTableWidget(0, 3)
        self.table.setTabKeyNavigation(False)  # Tab leaves it; arrows move in it
        self.table.setObjectName("StaffTable")
        self.table.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Role"), self.tr("Status")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(self.NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(self.ROLE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.STATE, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._update_actions)
        root.addWidget(self.table, 1)
        actions = QHBoxLayout()
        self.add_button = button(self.tr("Add staff…"), "primary")
        self.add_button.setObjectName("AddStaff")
        self.role_button = button(self.tr("Change role…"))
        self.role_button.setObjectName("ChangeRole")
        self.pin_button = button(self.tr("Reset PIN…"))
        self.pin_button.setObjectName("ResetPin")
        self.unlock_button = button(self.tr("Unlock"))
        self.unlock_button.setObjectName("UnlockStaff")
        self.unlock_button.setToolTip(self.tr("Let them sign in again now, after wrong PINs."))
        self.deactivate_button = button(self.tr("Deactivate"), "danger")
        self.deactivate_button.setObjectName("DeactivateStaff")
        for widget, slot in (
            (self.add_button, self.add),
            (self.role_button, self.change_role),
            (self.pin_button, self.reset_pin),
            (self.unlock_button, self.unlock),
            (self.deactivate_button, self.deactivate),
        ):
            widget.clicked.connect(slot)
            actions.addWidget(widget)
        root.addLayout(actions)
        self._update_actions()

    def refresh(self) -> None:
        staff = self.session.register.staff

        def read() -> tuple[list[StaffMember], dict[UUID, datetime]]:
            return staff.members(), staff.locked_out()

        self.session.db(read, lambda result: self._fill(*result))

    def state_text(self, member: StaffMember) -> str:
        if not member.active:
            return self.tr("Deactivated")
        until = self.locked.get(member.id)
        if until is not None:
            return self.tr("Locked until {time} (wrong PINs)").format(
                time=format_time(until, self.session.shop.timezone, self.session.locale_name)
            )
        return self.tr("Active")

    def _fill(self, members: list[StaffMember], locked: dict[UUID, datetime] | None = None) -> None:
        keep = self.selected()
        self.members = members
        self.locked = locked or {}
        self.table.setRowCount(len(members))
        for row, member in enumerate(members):
            cells = (
                member.name,
                role_text(member.role),
                self.state_text(member),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, str(member.id))
                if not member.active:
                    item.setForeground(Qt.GlobalColor.gray)
                elif member.id in self.locked:
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.table.setItem(row, column, item)
            if keep is not None and member.id == keep.id:
                self.table.selectRow(row)
        self._update_actions()

    def selected(self) -> StaffMember | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or not 0 <= rows[0].row() < len(self.members):
            return None
        return self.members[rows[0].row()]

    def select_name(self, name: str) -> None:
        for row, member in enumerate(self.members):
            if member.name == name:
                self.table.selectRow(row)

    def _roles(self) -> list[Role]:
        """Roles the signed-in person may hand out (only owners make owners)."""
        me = self.session.staff
        if me is not None and me.role is Role.OWNER:
            return [Role.CASHIER, Role.MANAGER, Role.OWNER]
        return [Role.CASHIER, Role.MANAGER]

    def _update_actions(self) -> None:
        member = self.selected()
        active = member is not None and member.active
        self.role_button.setEnabled(active)
        self.pin_button.setEnabled(active)
        self.deactivate_button.setEnabled(active)
        self.unlock_button.setEnabled(active and member is not None and member.id in self.locked)

    # --- actions ---------------------------------------------------------------------------

    def _with_staff_permission(self, action: Callable[[Authorization], None]) -> None:
        with_permission(self.session, self, Permission.MANAGE_STAFF, action)

    def _write(self, change: Callable[[], object], done_text: str) -> None:
        def done(_result: object) -> None:
            self.session.info(done_text)
            self.refresh()

        self.session.db(change, done)

    def add(self) -> None:
        staff = self.session.register.staff
        dialog = AddStaffDialog(self._roles(), self)

        def add_with(name: str, role: Role, pin: str, granted: Authorization) -> None:
            def added(member: StaffMember) -> None:
                dialog.added()
                self.session.info(self.tr("{name} can now sign in.").format(name=member.name))
                self.refresh()

            def refused(error: BaseException) -> None:
                # The form stays as typed, the problem beside the name (a duplicate, say).
                dialog.refused(
                    describe_error(error),
                    about_name=isinstance(error, ValidationError),
                )

            self.session.db(
                lambda: staff.add(name=name, role=role, pin=pin, authorization=granted),
                added,
                refused,
            )

        dialog.sig_add.connect(
            lambda name, role, pin: self._with_staff_permission(
                lambda granted: add_with(name, role, pin, granted)
            )
        )
        dialog.open()

    def change_role(self) -> None:
        staff = self.session.register.staff
        member = self.selected()
        if member is None:
            return
        dialog = RoleDialog(member.name, member.role, self._roles(), self)
        dialog.sig_role.connect(
            lambda role: self._with_staff_permission(
                lambda granted: self._write(
                    lambda: staff.change_role(member.id, role=role, authorization=granted),
                    self.tr("{name} is now {role}.").format(name=member.name, role=role_text(role)),
                )
            )
        )
        dialog.open()

    def reset_pin(self) -> None:
        staff = self.session.register.staff
        member = self.selected()
        if member is None:
            return
        dialog = PinDialog(member.name, self)
        dialog.sig_pin.connect(
            lambda pin: self._with_staff_permission(
                lambda granted: self._write(
                    lambda: staff.reset_pin(member.id, pin=pin, authorization=granted),
                    self.tr("New PIN set for {name}.").format(name=member.name),
                )
            )
        )
        dialog.open()

    def unlock(self) -> None:
        staff = self.session.register.staff
        member = self.selected()
        if member is None or member.id not in self.locked:
            return
        self._with_staff_permission(
            lambda granted: self._write(
                lambda: staff.unlock(member.id, authorization=granted),
                self.tr("{name} can sign in again.").format(name=member.name),
            )
        )

    def deactivate(self) -> None:
        staff = self.session.register.staff
        member = self.selected()
        if member is None:
            return
        dialog = ConfirmDialog(
            self.tr("Deactivate {name}?").format(name=member.name),
            self.tr(
                "{name} will no longer be able to sign in. Their sales stay in the history."
            ).format(name=member.name),
            self.tr("Deactivate"),
            self,
        )
        dialog.sig_confirmed.connect(
            lambda: self._with_staff_permission(
                lambda granted: self._write(
                    lambda: staff.deactivate(member.id, authorization=granted),
                    self.tr("{name} is deactivated.").format(name=member.name),
                )
            )
        )
        dialog.open()
