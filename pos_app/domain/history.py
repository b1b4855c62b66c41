"""Order history as the counter lists and filters it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from pos_app.domain.orders import OrderStatus


@dataclass(frozen=True, slots=True)
class OrderSummary:
    """One row of order history."""

    id: UUID
    number: int
    status: OrderStatus
    business_at: datetime
    """When it was paid or voided (or, still open, last saved): the time history shows."""
    total_minor: int
    refunded_minor: int
    currency: str
    label: str
    card_last4: str | None
    line_count: int = 0


@dataclass(frozen=True, slots=True)
class HistoryFilter:
    number: int | None = None
    since: datetime | None = None
    until: datetime | None = None
    total_minor: int | None = None
    card_last4: str | None = None
    status: OrderStatus | None = None
