"""Tenders: how an order's total is paid (cash with change, card with tip, or a split of both)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from uuid import UUID

from pos_app.domain.errors import ValidationError
from pos_app.domain.ids import uuid7
from pos_app.domain.money import currency_exponent, format_major
from pos_app.domain.shifts import denominations


class TenderKind(StrEnum):
    CASH = "cash"
    CARD = "card"


@dataclass(frozen=True, slots=True)
class TenderRequest:
    """What the cashier entered.

    For cash, `amount_minor` is what the customer handed over (change is worked out);
    for card, it is the part of the order charged to the card, and `tip_minor` is added on top.
    """

    kind: TenderKind
    amount_minor: int
    tip_minor: int = 0
    payment_id: UUID | None = None
    card_brand: str | None = None
    card_last4: str | None = None


@dataclass(frozen=True, slots=True)
class Tender:
    kind: TenderKind
    amount_minor: int
    """The part of the order total this tender pays (never includes tip or change)."""
    tip_minor: int = 0
    tendered_minor: int = 0
    """Cash handed over, or amount + tip charged to the card."""
    change_minor: int = 0
    payment_id: UUID | None = None
    card_brand: str | None = None
    card_last4: str | None = None
    id: UUID = field(default_factory=uuid7)

    @property
    def charged_minor(self) -> int:
        """What left the customer's pocket for good: amount plus tip."""
        return self.amount_minor + self.tip_minor


def check_tip(amount_minor: int, tip_minor: int) -> None:
    """A tip is at most the amount of the card payment it is added to (100 %).

    Tips are not product revenue, so they pay no platform fee: a tip larger than the sale (or
    any tip on a free sale) is a sale booked as a tip. The pay screen offers percentages of the
    card amount well below this; the server refuses a pushed order that breaks it.
    """
    if tip_minor < 0:
        raise ValidationError("a tip cannot be negative")
    if tip_minor > amount_minor:
        raise ValidationError("a tip cannot be more than the amount it is added to")


def settle(total_minor: int, requests: Sequence[TenderRequest]) -> list[Tender]:
    """Turn the cashier's tenders into settled tenders that pay `total_minor` exactly.

    Rules: amounts are non-negative; only cash gives change and only the cash tender that
    completes the order may exceed what is still due; tips only on card; the applied amounts
    add up to the total to the cent, or the order is not paid.
    """
    if total_minor < 0:
        raise ValidationError("an order total cannot be negative")
    remaining = total_minor
    settled: list[Tender] = []
    for request in requests:
        if request.amount_minor < 0 or request.tip_minor < 0:
            raise ValidationError("tender amounts cannot be negative")
        if request.card_last4 is not None and not (
            len(request.card_last4) == 4 and request.card_last4.isdigit()
        ):
            raise ValidationError("only the last 4 digits of a card are kept")
        if request.kind is TenderKind.CASH:
            if request.tip_minor:
                raise ValidationError("tips are taken on card only")
            if remaining == 0 and request.amount_minor:
                raise ValidationError("the order is already paid in full")
            applied = min(request.amount_minor, remaining)
            settled.append(
                Tender(
                    kind=TenderKind.CASH,
                    amount_minor=applied,
                    tendered_minor=request.amount_minor,
                    change_minor=request.amount_minor - applied,
                )
            )
        else:
            if request.amount_minor > remaining:
                raise ValidationError("a card cannot be charged more than what is still due")
            check_tip(request.amount_minor, request.tip_minor)
            applied = request.amount_minor
            settled.append(
                Tender(
                    kind=TenderKind.CARD,
                    amount_minor=applied,
                    tip_minor=request.tip_minor,
                    tendered_minor=applied + request.tip_minor,
                    payment_id=request.payment_id,
                    card_brand=request.card_brand,
                    card_last4=request.card_last4,
                )
            )
        remaining -= applied
    if remaining:
        raise ValidationError(f"{remaining} (minor units) still due")
    return settled


def quick_cash_amounts(due_minor: int, currency: str) -> list[int]:
    """Suggested notes for the quick-tender buttons: exact, then round-ups by common notes."""
    unit = 10 ** currency_exponent(currency)
    steps = [1, 5, 10, 20, 50, 100]
    amounts = [due_minor]
    for step in steps:
        rounded = -(-due_minor // (step * unit)) * step * unit
        if rounded > due_minor and rounded not in amounts:
            amounts.append(rounded)
    return amounts[:5]


def describe_tender(tender: Tender, currency: str) -> str:
    """A short plain-text label (for logs and receipts before localisation)."""
    if tender.kind is TenderKind.CARD:
        card = f" {tender.card_brand or 'card'} •{tender.card_last4}" if tender.card_last4 else ""
        return f"card{card} {format_major(tender.charged_minor, currency)}"
    return f"cash {format_major(tender.tendered_minor, currency)}"


def implausible_change(*, tendered_minor: int, due_minor: int, currency: str) -> bool:
    """True when the change would exceed the currency's largest note: nobody hands over more
    than one extra big note, so the amount was most likely mistyped ("1250" for "12.50") and
    the cashier is asked before the sale completes."""
    return tendered_minor - due_minor > denominations(currency)[0]
