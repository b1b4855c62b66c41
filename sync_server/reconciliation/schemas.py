"""What reconciliation works with: a gateway refund in our terms, and the flags it raises."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sync_server.sync.schemas import EXTERNAL_DEVICE_ID as EXTERNAL_DEVICE_ID

FLAG_KINDS = (
    "uncaptured_authorization", "unsynced_payment", "external_refund", "unmatched_refund",
    "failed_refund", "over_refund", "card_amount_mismatch",
)  # fmt: skip
"""
- ``uncaptured_authorization``: a card authorization left uncaptured for over 24 hours (the
  customer's money is held, the shop has not got it; it expires after a few days).
- ``unsynced_payment``: a card payment Stripe captured that no register ever pushed (a
  register that lost its data, or a charge made in Stripe's dashboard).
- ``external_refund``: a refund made outside the register (Stripe's dashboard), booked by the
  server against its order: review it. Closed by ``sync-server reconcile ack``.
- ``unmatched_refund``: the same, but its order is not on the server yet; booked (and the flag
  resolved) once the order arrives.
- ``failed_refund``: a register's card refund that Stripe failed later (the customer is still
  owed it).
- ``over_refund``: money went back beyond what the order's payment allows: a refund made
  outside the register and the register's own refund of the same money, or a lost dispute
  after refunds (or with a tip). Only the order's payment is counted, once.
- ``card_amount_mismatch``: Stripe captured a different amount for the order's PaymentIntents
  than the register's card tenders (amount and tip) say.
"""


@dataclass(frozen=True, slots=True)
class GatewayRefund:
    """A refund as Stripe reports it, in our vocabulary."""

    id: str
    payment_intent_id: str | None
    charge_id: str | None
    amount_minor: int
    currency: str
    status: str
    """pending | succeeded | failed (Stripe's canceled counts as failed)."""
    reason: str | None
    register_refund_id: uuid.UUID | None
    """Set when a register made it (it carries the register's refund id in metadata)."""
    metadata: dict[str, str]
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Flag:
    id: int
    kind: str
    object_id: str
    order_id: uuid.UUID | None
    amount_minor: int | None
    currency: str | None
    detail: str
    first_seen_at: datetime
    last_seen_at: datetime
    resolved_at: datetime | None
