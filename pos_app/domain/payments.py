"""A card payment attempt as the register records it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID


@dataclass(frozen=True, slots=True)
class PaymentRecord:
    id: UUID
    order_id: UUID
    gateway: str
    idempotency_key: str
    status: str
    amount_minor: int
    """The part of the order this card pays (without tip)."""
    tip_minor: int
    currency: str
    reader_id: str | None
    gateway_payment_id: str | None
    gateway_charge_id: str | None
    card_brand: str | None
    card_last4: str | None
    decline_code: str | None
    error_message: str | None
    process_count: int
    captured_minor: int
    refunded_minor: int
    created_at: datetime

    @property
    def charge_minor(self) -> int:
        """What the card is charged: order part plus tip."""
        return self.amount_minor + self.tip_minor
