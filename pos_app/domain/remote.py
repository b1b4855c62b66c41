"""What the sync server sent down: oversold products and disputes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID


@dataclass(frozen=True, slots=True)
class Oversold:
    product_id: UUID
    sku: str
    name: str
    level: int


@dataclass(frozen=True, slots=True)
class DisputeRecord:
    id: str
    order_id: UUID | None
    charge_id: str | None
    amount_minor: int
    currency: str
    reason: str
    status: str
    evidence_due_by: datetime | None
    fee_minor: int
    outcome: str | None
    evidence_submitted_at: datetime | None
    updated_at: datetime
