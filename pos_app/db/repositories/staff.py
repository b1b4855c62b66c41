"""Staff members, their PIN hashes and lockout counters."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos_app.db.models import StaffRow
from pos_app.db.repositories.outbox import OutboxRepository
from pos_app.domain.staff import Credentials, Role, StaffMember


def _member(row: StaffRow) -> StaffMember:
    return StaffMember(id=row.id, name=row.name, role=Role(row.role), active=row.active)


class StaffRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def all(self, *, include_inactive: bool = False) -> list[StaffMember]:
        query = select(StaffRow).order_by(StaffRow.name)
        if not include_inactive:
            query = query.where(StaffRow.active.is_(True))
        return [_member(row) for row in self.session.scalars(query)]

    def get(self, staff_id: UUID) -> StaffMember | None:
        row = self.session.get(StaffRow, staff_id)
        return _member(row) if row else None

    def credentials(self, staff_id: UUID) -> Credentials | None:
        row = self.session.get(StaffRow, staff_id)
        if row is None:
            return None
        return Credentials(_member(row), row.pin_hash, row.failed_attempts, row.locked_until)

    def add(self, member: StaffMember, pin_hash: str) -> None:
        row = StaffRow(
            id=member.id,
            name=member.name,
            role=member.role.value,
            pin_hash=pin_hash,
            active=member.active,
        )
        self.session.add(row)
        OutboxRepository(self.session).record_staff(row)

    def update(self, member: StaffMember, pin_hash: str | None = None) -> None:
        row = self.session.get(StaffRow, member.id)
        if row is None:
            raise LookupError(member.id)
        row.name = member.name
        row.role = member.role.value
        row.active = member.active
        if pin_hash is not None:
            row.pin_hash = pin_hash
            row.failed_attempts = 0
            row.locked_until = None
        OutboxRepository(self.session).record_staff(row)

    def record_login_failure(self, staff_id: UUID, locked_until: datetime | None) -> None:
        row = self.session.get(StaffRow, staff_id)
        if row is not None:
            row.failed_attempts += 1
            row.locked_until = locked_until

    def reset_login_failures(self, staff_id: UUID) -> None:
        row = self.session.get(StaffRow, staff_id)
        if row is not None and (row.failed_attempts or row.locked_until):
            row.failed_attempts = 0
            row.locked_until = None

    def count(self) -> int:
        return len(self.session.scalars(select(StaffRow.id)).all())
