"""Billing's plain data: Stripe's objects as the rest of the server sees them (converted at the
boundary, `stripe_client`), our invoice records, and what a run did."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

InvoiceStatus = Literal[
    "pending", "draft", "open", "paid", "void", "uncollectible", "zero", "carried"
]
"""Stripe's invoice states, plus ours: `pending` (not at Stripe yet), `zero` (nothing to
bill), `carried` (moved to a later month: below the minimum charge, or a credit)."""

Step = Literal["planned", "created", "finalized", "credited", "collecting", "done"]
"""How far invoicing got: the Stripe invoice exists (`created`, with its lines), is finalized,
has its credit note, its collection was asked for (`collecting`), its state recorded (`done`)."""

# Stripe's minimum charge per currency (minor units): https://docs.stripe.com/currencies
MINIMUM_CHARGE = {
    "usd": 50, "eur": 50, "gbp": 30, "cad": 50, "aud": 50, "nzd": 50, "chf": 50, "sgd": 50,
    "jpy": 50, "hkd": 400, "sek": 300, "nok": 300, "dkk": 250, "pln": 200, "czk": 1500,
    "mxn": 1000, "brl": 50, "huf": 17500, "ron": 200, "bgn": 100, "aed": 200, "inr": 50,
    "myr": 200, "thb": 1000,
}  # fmt: skip
DEFAULT_MINIMUM_CHARGE = 50


def minimum_charge(currency: str) -> int:
    return MINIMUM_CHARGE.get(currency.lower(), DEFAULT_MINIMUM_CHARGE)


class BillingError(ValueError):
    """A billing command that cannot be done (unknown invoice, billing not configured...)."""


class StripeFailure(Exception):
    """Stripe refused a call or could not be reached. `retryable`: the same call (same key)
    may succeed later; `card`: a card was declined (the invoice stays open, Stripe retries)."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: str | None = None,
        retryable: bool = False,
        card: bool = False,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.retryable = retryable
        self.card = card


@dataclass(frozen=True, slots=True)
class RemoteCustomer:
    id: str
    email: str | None
    default_payment_method: str | None
    metadata: dict[str, str]
    default_payment_method_created: int | None = None
    """When the default card was saved (Stripe's `created`), when it was read expanded."""


@dataclass(frozen=True, slots=True)
class RemoteLine:
    amount: int
    description: str | None
    metadata: dict[str, str]


@dataclass(frozen=True, slots=True)
class RemoteInvoice:
    id: str
    customer: str
    status: str
    currency: str
    total: int
    amount_due: int
    amount_paid: int
    amount_remaining: int
    credited: int
    """Credit notes on it: before payment and after."""
    attempt_count: int
    next_payment_attempt: int | None
    collection_method: str
    hosted_invoice_url: str | None
    metadata: dict[str, str]
    lines: tuple[RemoteLine, ...] = ()
    due_date: int | None = None
    """An emailed invoice's (`send_invoice`) due date, set when it is finalized."""


@dataclass(frozen=True, slots=True)
class RemoteCreditNote:
    id: str
    invoice: str
    amount: int
    status: str
    metadata: dict[str, str]


@dataclass(frozen=True, slots=True)
class SavedCard:
    """The card a shop's fee invoices are charged to, as Stripe describes it (never more)."""

    brand: str
    last4: str
    exp_month: int
    exp_year: int


@dataclass(frozen=True, slots=True)
class RemoteSetupSession:
    """A Checkout Session in setup mode (the owner saving a card), with what it saved."""

    id: str
    customer: str | None
    status: str
    """open, complete or expired."""
    url: str | None
    metadata: dict[str, str]
    payment_method: str | None = None
    payment_method_customer: str | None = None
    card: SavedCard | None = None
    payment_method_created: int | None = None
    """When the card was saved on Stripe's page (Stripe's `created`, Unix seconds)."""


@dataclass(frozen=True, slots=True)
class ChargedInvoice:
    """An unpaid fee invoice charged again once a new card was saved: `paid` or `declined`."""

    period: str
    amount_minor: int
    currency: str
    outcome: str


@dataclass(frozen=True, slots=True)
class CardSetupResult:
    """What finishing a card setup did: `saved` (the card is the default now), `open` (the
    owner has not saved one on Stripe's page), `expired`, or `refused` (the session is not
    this shop's: nothing was changed), or `replaced` (saved, but a card saved after it is the
    default: finishing this one late, or again, changes nothing and charges nothing)."""

    outcome: Literal["saved", "open", "expired", "refused", "replaced"]
    card: SavedCard | None = None
    charged: tuple[ChargedInvoice, ...] = ()


@dataclass(frozen=True, slots=True)
class InvoiceLine:
    """One invoice item we ask for (`key` names it in the item's metadata)."""

    key: str
    amount_minor: int
    description: str


@dataclass(frozen=True, slots=True)
class Plan:
    """What one shop's closed month bills, decided before anything is asked of Stripe."""

    period: str
    currency: str
    fee_minor: int
    carried_in_minor: int
    lines: tuple[InvoiceLine, ...]
    credit_minor: int
    credit_memo: str
    carried_out_minor: int
    carry_reason: str | None
    description: str

    @property
    def charge_minor(self) -> int:
        return sum(line.amount_minor for line in self.lines)

    @property
    def status(self) -> InvoiceStatus:
        if self.lines:
            return "pending"
        return "carried" if self.carried_out_minor else "zero"


@dataclass(frozen=True, slots=True)
class BillingInvoice:
    """Our record of one shop's invoice for one closed month and currency."""

    tenant_id: uuid.UUID
    id: uuid.UUID
    period: str
    currency: str
    fee_minor: int
    charge_minor: int
    credit_minor: int
    carried_in_minor: int
    carried_out_minor: int
    description: str
    status: str
    step: str
    collection_method: str | None
    stripe_invoice_id: str | None
    hosted_invoice_url: str | None
    stripe_attempt_count: int
    next_payment_attempt: datetime | None
    attempts: int
    last_error: str | None
    next_retry_at: datetime | None
    created_at: datetime
    updated_at: datetime
    paid_at: datetime | None = None
    first_failed_at: datetime | None = None
    """The first failed payment: the grace period starts here (`service.GRACE`)."""
    due_at: datetime | None = None
    """An emailed invoice's due date: its grace period starts here (`service.GRACE`)."""

    @property
    def amount_minor(self) -> int:
        """What the invoice asks the shop for."""
        return self.charge_minor - self.credit_minor

    def to_json(self, slug: str | None = None) -> dict[str, Any]:
        return {
            "tenant": slug,
            "id": str(self.id),
            "period": self.period,
            "currency": self.currency,
            "fee_minor": self.fee_minor,
            "charge_minor": self.charge_minor,
            "credit_minor": self.credit_minor,
            "amount_minor": self.amount_minor,
            "carried_in_minor": self.carried_in_minor,
            "carried_out_minor": self.carried_out_minor,
            "status": self.status,
            "step": self.step,
            "collection_method": self.collection_method,
            "stripe_invoice_id": self.stripe_invoice_id,
            "hosted_invoice_url": self.hosted_invoice_url,
            "stripe_attempt_count": self.stripe_attempt_count,
            "attempts": self.attempts,
            "last_error": self.last_error,
            "description": self.description,
            "paid_at": self.paid_at.isoformat() if self.paid_at else None,
            "first_failed_at": self.first_failed_at.isoformat() if self.first_failed_at else None,
            "due_at": self.due_at.isoformat() if self.due_at else None,
        }


@dataclass
class RunReport:
    """What one invoicing run did, shop by shop."""

    invoiced: list[tuple[str, str]] = field(default_factory=list)
    """(shop, period) sent to Stripe and done."""
    zero: list[tuple[str, str]] = field(default_factory=list)
    carried: list[tuple[str, str, int]] = field(default_factory=list)
    failed: list[tuple[str, str, str]] = field(default_factory=list)
    """(shop, period, why): recorded, retried by the next run or `invoices retry`."""
    updated: list[tuple[str, str, str]] = field(default_factory=list)
    """(shop, period, status) of invoices whose state at Stripe changed since last read."""
    seconds: float = 0.0

    def lines(self) -> list[str]:
        out = [
            f"invoices: {len(self.invoiced)} sent, {len(self.zero)} with no fee, "
            f"{len(self.carried)} carried, {len(self.failed)} failed ({self.seconds:.1f} s)"
        ]
        out += [
            f"  carried {shop} {period}: {amount} (minor)" for shop, period, amount in self.carried
        ]
        out += [f"  failed {shop} {period}: {why}" for shop, period, why in self.failed]
        out += [f"  now {status}: {shop} {period}" for shop, period, status in self.updated]
        return out
