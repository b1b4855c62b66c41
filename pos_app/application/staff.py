"""Staff accounts in the back office: the list, adding people, roles, PINs, deactivating.

Each change is one transaction; the staff service checks MANAGE_STAFF and the owners' rules
and writes the audit entry."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pos_app.application._area import Area
from pos_app.domain.staff import Authorization, Role, StaffMember
from pos_app.services import staff as staff_service


class Staff(Area):
    def members(self, *, include_inactive: bool = True) -> list[StaffMember]:
        with self.db.read() as uow:
            return uow.staff.all(include_inactive=include_inactive)

    def add(self, *, name: str, role: Role, pin: str, authorization: Authorization) -> StaffMember:
        with self.db.write() as uow:
            return staff_service.add_staff(
                uow, name=name, role=role, pin=pin, authorization=authorization
            )

    def change_role(
        self, staff_id: UUID, *, role: Role, authorization: Authorization
    ) -> StaffMember:
        with self.db.write() as uow:
            return staff_service.change_role(
                uow, staff_id=staff_id, role=role, authorization=authorization
            )

    def reset_pin(self, staff_id: UUID, *, pin: str, authorization: Authorization) -> StaffMember:
        with self.db.write() as uow:
            return staff_service.reset_pin(
                uow, staff_id=staff_id, pin=pin, authorization=authorization
            )

    def deactivate(self, staff_id: UUID, *, authorization: Authorization) -> StaffMember:
        with self.db.write() as uow:
            return staff_service.deactivate(uow, staff_id=staff_id, authorization=authorization)

    def locked_out(self) -> dict[UUID, datetime]:
        """Who is locked out by wrong PINs right now, and until when (UTC)."""
        with self.db.read() as uow:
            return staff_service.locked_out(uow)

    def unlock(self, staff_id: UUID, *, authorization: Authorization) -> StaffMember:
        """Lift a lockout after wrong PINs; audited as `staff.unlocked`."""
        with self.db.write() as uow:
            return staff_service.unlock(uow, staff_id=staff_id, authorization=authorization)
