"""Who is at the counter: sign in by PIN, a manager's approval on the spot."""

from __future__ import annotations

from uuid import UUID

from pos_app.application._area import Area
from pos_app.domain.errors import NotFound
from pos_app.domain.staff import Authorization, Permission, Role, StaffMember
from pos_app.services import auth
from pos_app.services.auth import PinCheck

__all__ = ["Access", "PinCheck"]


class Access(Area):
    def staff(self) -> list[StaffMember]:
        """The active staff, for the sign-in screen."""
        with self.db.read() as uow:
            return uow.staff.all()

    def sign_in(self, staff_id: UUID, pin: str) -> PinCheck:
        """Check a PIN. A wrong one is counted (and audited), and can lock the member out: the
        failure is committed, never raised."""
        with self.db.write() as uow:
            return auth.check_pin(uow, staff_id=staff_id, pin=pin)

    def approvers(self, permission: Permission) -> list[StaffMember]:
        """Who can approve `permission` (the manager override's list)."""
        with self.db.read() as uow:
            return auth.approvers(uow, permission)

    def approve(
        self,
        actor: StaffMember,
        permission: Permission,
        *,
        approver_id: UUID | None = None,
        approver_pin: str | None = None,
    ) -> Authorization | PinCheck:
        """`actor` may do it, or a manager's PIN approves it on the spot. A wrong PIN comes
        back as the failed PinCheck, its failure committed like at sign-in."""
        with self.db.write() as uow:
            return auth.approve(
                uow,
                actor=actor,
                permission=permission,
                approver_id=approver_id,
                approver_pin=approver_pin,
            )

    def staff_by_name(self, name: str) -> StaffMember:
        with self.db.read() as uow:
            for member in uow.staff.all():
                if member.name.casefold() == name.casefold():
                    return member
        raise NotFound(f"no active staff member called {name!r}")

    def cli_staff(self, name: str | None) -> StaffMember:
        """The named staff member, or the first owner (support staff act as the owner)."""
        if name:
            return self.staff_by_name(name)
        with self.db.read() as uow:
            owners = [m for m in uow.staff.all() if m.role is Role.OWNER]
        if not owners:
            raise NotFound("this register has no owner account")
        return owners[0]
