"""A card payment attempt as the register records it, and the states it moves through."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from pos_app.domain.errors import InvalidTransition


class PaymentStatus(StrEnum):
    """Where a card attempt stands. The values are what SQLite and the server store."""

    PENDING = "pending"
    """Recorded before the gateway was called; the create call's outcome may be unknown."""
    CREATED = "created"
    """The gateway made the payment; it is (being) sent to the reader."""
    PROCESSING = "processing"
    """Older registers' name for a payment on the reader (no step writes it now)."""
    DECLINED = "declined"
    """The reader declined, timed out or stopped it; it may be sent to the reader again."""
    AUTHORIZED = "authorized"
    """Approved on the reader: the money is on hold, not yet taken."""
    CAPTURING = "capturing"
    """The order is being finalized: capture sent (or about to be)."""
    CANCELING = "canceling"
    """A cancel is under way (the hold is being released)."""
    CAPTURED = "captured"
    CANCELED = "canceled"
    FAILED = "failed"


_ON_THE_READER = frozenset(
    {
        PaymentStatus.CREATED,
        PaymentStatus.DECLINED,
        PaymentStatus.DECLINED,
        PaymentStatus.AUTHORIZED,
        PaymentStatus.CANCELING,
        PaymentStatus.CANCELED,
        PaymentStatus.CAPTURED,
    }
)

#: Every move a payment can make (a status may be written again with new details when its
#: own set holds it). Recovery may find any payment the gateway has captured or forgotten,
#: hence `CAPTURED` and `CANCELED` from each state still in flight.
ALLOWED_TRANSITIONS: Mapping[PaymentStatus, frozenset[PaymentStatus]] = {
    PaymentStatus.PENDING: frozenset(
        {
            PaymentStatus.PENDING,
            PaymentStatus.CREATED,
            PaymentStatus.FAILED,
            PaymentStatus.CANCELING,
            PaymentStatus.CANCELED,
        }
    ),
    PaymentStatus.CREATED: _ON_THE_READER,
    PaymentStatus.PROCESSING: _ON_THE_READER | {PaymentStatus.PROCESSING},
    PaymentStatus.DECLINED: _ON_THE_READER,
    PaymentStatus.AUTHORIZED: frozenset(
        {
            PaymentStatus.CAPTURING,
            PaymentStatus.CANCELING,
            PaymentStatus.CANCELED,
            PaymentStatus.CAPTURED,
        }
    ),
    PaymentStatus.CAPTURING: frozenset(
        {PaymentStatus.CAPTURING, PaymentStatus.CAPTURED, PaymentStatus.CANCELED}
    ),
    PaymentStatus.CANCELING: frozenset(
        {PaymentStatus.CANCELING, PaymentStatus.CANCELED, PaymentStatus.CAPTURED}
    ),
    PaymentStatus.CAPTURED: frozenset({PaymentStatus.CAPTURED}),
    PaymentStatus.CANCELED: frozenset(),
    PaymentStatus.FAILED: frozenset(),
}

#: Statuses from which a payment can still move (the recovery pass looks at these).
IN_FLIGHT: tuple[PaymentStatus, ...] = (
    PaymentStatus.PENDING,
    PaymentStatus.CREATED,
    PaymentStatus.PROCESSING,
    PaymentStatus.DECLINED,
    PaymentStatus.AUTHORIZED,
    PaymentStatus.CAPTURING,
    PaymentStatus.CANCELING,
)

#: An approval the order can count on: held, being taken, or taken.
APPROVED = frozenset({PaymentStatus.AUTHORIZED, PaymentStatus.CAPTURING, PaymentStatus.CAPTURED})

#: Nothing more happens to these (nothing is held on the card).
SETTLED = frozenset({PaymentStatus.CANCELED, PaymentStatus.FAILED, PaymentStatus.CAPTURED})


def check_transition(old: PaymentStatus, new: PaymentStatus) -> None:
    """Refuse a move the table does not allow."""
    if new not in ALLOWED_TRANSITIONS[old]:
        raise InvalidTransition(f"a card payment cannot go from {old} to {new}")


@dataclass(frozen=True, slots=True)
class PaymentRecord:
    id: UUID
    order_id: UUID
    gateway: str
    idempotency_key: str
    status: PaymentStatus
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
