"""The audit log (who did what, who approved it) and the error log."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos_app.db.models import AuditRow, ErrorRow
from pos_app.db.repositories.outbox import OutboxRepository
from pos_app.domain.audit import AuditEntry
from pos_app.domain.clock import utcnow
from pos_app.domain.ids import uuid7


class AuditRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def record(
        self,
        action: str,
        *,
        staff_id: UUID | None = None,
        approved_by_id: UUID | None = None,
        order_id: UUID | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        row = AuditRow(
            id=uuid7(),
            at=utcnow(),
            action=action,
            staff_id=staff_id,
            approved_by_id=approved_by_id,
            order_id=order_id,
            details=details or {},
        )
        self.session.add(row)
        OutboxRepository(self.session).record_audit(row)

    def entries(
        self, *, action: str | None = None, order_id: UUID | None = None
    ) -> list[AuditEntry]:
        query = select(AuditRow).order_by(AuditRow.at, AuditRow.id)
        if action is not None:
            query = query.where(AuditRow.action == action)
        if order_id is not None:
            query = query.where(AuditRow.order_id == order_id)
        return [
            AuditEntry(r.at, r.action, r.staff_id, r.approved_by_id, r.order_id, dict(r.details))
            for r in self.session.scalars(query)
        ]

    def record_error(
        self, source: str, code: str, message: str, context: dict[str, Any] | None = None
    ) -> None:
        self.session.add(ErrorRow(source=source, code=code, message=message, context=context or {}))
