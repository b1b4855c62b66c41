"""What the audit log records: one entry per action a person took."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID


@dataclass(frozen=True, slots=True)
class AuditEntry:
    at: datetime
    action: str
    staff_id: UUID | None
    approved_by_id: UUID | None
    order_id: UUID | None
    details: dict[str, Any]
