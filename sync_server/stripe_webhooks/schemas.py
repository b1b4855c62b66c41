"""Stripe's event and object shapes (API 2023-08-16), read at the boundary and turned into ours.

Only the fields the server uses are declared; the rest is ignored, so Stripe adding fields
never breaks a handler. Stripe's enums stay strings here and are mapped by the functions
below (`dispute_in`, the `*_version` functions): the domain never sees a Stripe object.

Ordering (why out-of-order deliveries end in the same state): every object gets a version,
a tuple compared lexicographically, and an event is applied only when its object's version is
newer than the one applied last. The first component is the status's place in the object's
life cycle (a dispute is never `needs_response` again once `lost`), then counters that only
grow, then the event's `created` second as the tie-breaker among states of the same rank.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from sync_server.disputes.schemas import DisputeIn

_Id = Annotated[str, Field(min_length=1, max_length=255)]


class _Stripe(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class EventData(_Stripe):
    object: dict[str, Any]


class StripeEvent(_Stripe):
    id: Annotated[str, Field(pattern=r"^evt_[A-Za-z0-9_]{1,250}$")]
    type: Annotated[str, Field(min_length=1, max_length=100)]
    created: Annotated[StrictInt, Field(ge=0, le=2**40)]
    data: EventData
    account: str | None = None

    @property
    def created_at(self) -> datetime:
        return at(self.created)

    @property
    def object_id(self) -> str | None:
        value = self.data.object.get("id")
        return value if isinstance(value, str) else None


class BalanceTransaction(_Stripe):
    amount: StrictInt = 0
    fee: StrictInt = 0


class EvidenceDetails(_Stripe):
    due_by: StrictInt | None = None
    submission_count: StrictInt = 0


class StripeDispute(_Stripe):
    id: Annotated[str, Field(pattern=r"^(du|dp)_[A-Za-z0-9_]{1,60}$")]
    amount: Annotated[StrictInt, Field(ge=0)]
    currency: Annotated[str, Field(pattern=r"^[a-zA-Z]{3}$")]
    charge: _Id | None = None
    payment_intent: _Id | None = None
    reason: Annotated[str, Field(max_length=64)] = ""
    status: Annotated[str, Field(min_length=1, max_length=32)]
    evidence_details: EvidenceDetails = EvidenceDetails()
    balance_transactions: list[BalanceTransaction] = []


class StripePaymentIntent(_Stripe):
    id: Annotated[str, Field(pattern=r"^pi_[A-Za-z0-9_]{1,250}$")]
    amount: Annotated[StrictInt, Field(ge=0)]
    amount_received: StrictInt = 0
    currency: Annotated[str, Field(pattern=r"^[a-zA-Z]{3}$")]
    status: Annotated[str, Field(min_length=1, max_length=40)]
    created: StrictInt
    latest_charge: _Id | None = None
    metadata: dict[str, str] = {}


class StripeCharge(_Stripe):
    id: Annotated[str, Field(pattern=r"^(ch|py)_[A-Za-z0-9_]{1,250}$")]
    amount: Annotated[StrictInt, Field(ge=0)]
    amount_captured: StrictInt = 0
    amount_refunded: StrictInt = 0
    captured: bool = False
    currency: Annotated[str, Field(pattern=r"^[a-zA-Z]{3}$")]
    status: Annotated[str, Field(min_length=1, max_length=40)]
    created: StrictInt
    payment_intent: _Id | None = None
    metadata: dict[str, str] = {}
    payment_method_details: dict[str, Any] | None = None

    def card(self) -> tuple[str | None, str | None]:
        """(brand, last4) of a card or card-present payment."""
        details = self.payment_method_details or {}
        card = details.get("card_present") or details.get("card") or {}
        brand, last4 = card.get("brand"), card.get("last4")
        return (
            brand if isinstance(brand, str) else None,
            last4 if isinstance(last4, str) and len(last4) == 4 and last4.isdigit() else None,
        )


class StripeRefund(_Stripe):
    id: Annotated[str, Field(pattern=r"^(re|pyr)_[A-Za-z0-9_]{1,250}$")]
    amount: Annotated[StrictInt, Field(ge=0)]
    currency: Annotated[str, Field(pattern=r"^[a-zA-Z]{3}$")]
    status: Annotated[str, Field(min_length=1, max_length=40)]
    created: StrictInt
    charge: _Id | None = None
    payment_intent: _Id | None = None
    reason: str | None = None
    balance_transaction: str | dict[str, Any] | None = None
    metadata: dict[str, str] = {}


def at(unix_seconds: int) -> datetime:
    return datetime.fromtimestamp(unix_seconds, UTC)


def metadata_uuid(metadata: dict[str, str], key: str) -> uuid.UUID | None:
    """A UUID the register put in metadata, or None (metadata is free text: never trust it)."""
    try:
        return uuid.UUID(metadata[key])
    except (KeyError, ValueError):
        return None


# --- versions -----------------------------------------------------------------------------------

_DISPUTE_RANK = {
    "warning_needs_response": 0, "warning_under_review": 1, "warning_closed": 2,
    "needs_response": 3, "under_review": 4,
    "won": 5, "lost": 5, "charge_refunded": 5, "prevented": 5,
}  # fmt: skip
# Before the authorization every status is "not yet" (a declined card goes back to
# requires_payment_method): those order by time alone.
_PAYMENT_INTENT_RANK = {"requires_capture": 1, "succeeded": 2, "canceled": 2}
_REFUND_RANK = {"pending": 0, "requires_action": 0, "succeeded": 1, "failed": 2, "canceled": 2}


def dispute_version(dispute: StripeDispute, event_created: int) -> list[int]:
    return [
        _DISPUTE_RANK.get(dispute.status, 0),
        len(dispute.balance_transactions),
        dispute.evidence_details.submission_count,
        event_created,
    ]


def payment_intent_version(intent: StripePaymentIntent, event_created: int) -> list[int]:
    return [_PAYMENT_INTENT_RANK.get(intent.status, 0), event_created]


def charge_version(charge: StripeCharge, event_created: int) -> list[int]:
    return [
        0 if charge.status == "pending" else 1,
        int(charge.captured),
        event_created,
        charge.amount_refunded,
    ]


def refund_version(refund: StripeRefund, event_created: int) -> list[int]:
    return [_REFUND_RANK.get(refund.status, 0), event_created]


# --- Stripe → ours -------------------------------------------------------------------------------

_OUTCOMES = {
    "won": "won",
    "lost": "lost",
    "warning_closed": "inquiry_closed",
    "charge_refunded": "charge_refunded",
    "prevented": "prevented",
}


def dispute_in(
    dispute: StripeDispute, *, order_id: uuid.UUID | None, at_time: datetime
) -> DisputeIn:
    """The platform's record of a Stripe dispute. The fee is what the shop pays net: Stripe's
    dispute fee on the withdrawal, less any fee given back when the dispute is won."""
    due_by = dispute.evidence_details.due_by
    return DisputeIn(
        id=dispute.id,
        order_id=order_id,
        charge_id=dispute.charge,
        amount_minor=dispute.amount,
        currency=dispute.currency.upper(),
        reason=dispute.reason,
        status=dispute.status,
        evidence_due_by=at(due_by) if due_by is not None else None,
        fee_minor=max(0, sum(item.fee for item in dispute.balance_transactions)),
        outcome=_OUTCOMES.get(dispute.status),
        updated_at=at_time,
    )
