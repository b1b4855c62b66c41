"""Refund amounts: by line (some units of a line) or by amount, never more than what remains.

Line refunds use a cumulative rule so partial refunds of a line can never drift from the line's
total: refunding units ``r+1 … r+q`` of a line of ``Q`` units and total ``T`` returns
``through(r+q) − through(r)`` where ``through(k) = round_half_up(T × k / Q)``. Refunding every
unit therefore returns exactly ``T``, in any number of steps. Tax is split by the same rule.

Amount refunds carry tax in proportion to the order: ``round_half_up(amount × tax / total)``,
capped by the tax not yet refunded.

A refund can be only partly paid out: the cash of a split card-and-cash refund is handed over at
once, and then the card part can be refused. Such a refund keeps what went back
(``returned``, the sum of its succeeded allocations) and the tax in proportion,
``round_half_up(tax × returned / amount)`` (see `kept_tax`); the rest is released on the order
so it can be refunded again. The platform's fee is reversed on the same share.

A refund can also give back card tips (as Square and Toast do: Toast keeps a refund's amount
and its ``tipRefundAmount`` apart). The tip part goes back only to the card it was charged on,
at most that card's tip less what earlier refunds gave back of it (`allocate_refund`). It is
kept apart from the refund's amount everywhere: the order's refunded total, its status, the
tax and the platform's fee follow the amount alone (a tip is not revenue).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from pos_app.domain.errors import InvalidTransition, ValidationError
from pos_app.domain.money import allocate, div_round_half_up
from pos_app.domain.pricing import OrderTotals
from pos_app.domain.tenders import TenderKind


@dataclass(frozen=True, slots=True)
class LineRefundRequest:
    line_id: UUID
    quantity: int


@dataclass(frozen=True, slots=True)
class RefundLine:
    line_id: UUID
    quantity: int
    amount_minor: int
    tax_minor: int


@dataclass(frozen=True, slots=True)
class RefundPlan:
    amount_minor: int
    """The sale part: what the order's refunded total counts (never the tip)."""
    tax_minor: int
    lines: tuple[RefundLine, ...] = ()
    tip_minor: int = 0
    """Card tips given back with it (on the cards they were charged on)."""


@dataclass(frozen=True, slots=True)
class RefundableTender:
    tender_id: UUID
    kind: TenderKind
    remaining_minor: int
    """Applied amount of this tender not yet refunded (its tip apart)."""
    tip_remaining_minor: int = 0
    """This card's tip not yet given back."""


@dataclass(frozen=True, slots=True)
class RefundAllocation:
    tender_id: UUID | None
    """None when the refund is paid out of the cash drawer against a non-cash tender."""
    kind: TenderKind
    amount_minor: int
    tip_minor: int = 0
    """The card tip given back through this tender (on top of `amount_minor`)."""

    @property
    def returned_minor(self) -> int:
        """What goes back to the customer through this tender: amount plus tip."""
        return self.amount_minor + self.tip_minor


def _through(total: int, units: int, quantity: int) -> int:
    return div_round_half_up(total * units, quantity)


def plan_line_refund(
    totals: OrderTotals,
    quantities: Mapping[UUID, int],
    already_refunded_units: Mapping[UUID, int],
    requests: Sequence[LineRefundRequest],
    refunded_minor: int,
    refunded_tax_minor: int,
) -> RefundPlan:
    """Refund some units of some lines. `quantities` are the lines' sold quantities."""
    if not requests:
        raise ValidationError("choose at least one line to refund")
    seen: set[UUID] = set()
    lines: list[RefundLine] = []
    for request in requests:
        if request.line_id in seen:
            raise ValidationError("a line is named twice in one refund")
        seen.add(request.line_id)
        if request.line_id not in quantities:
            raise ValidationError("that line is not on this order")
        sold = quantities[request.line_id]
        done = already_refunded_units.get(request.line_id, 0)
        if request.quantity <= 0:
            raise ValidationError("refund at least one unit")
        if done + request.quantity > sold:
            raise ValidationError(
                f"only {sold - done} of {sold} can still be refunded on that line"
            )
        line = totals.line(request.line_id)
        amount = _through(line.total_minor, done + request.quantity, sold) - _through(
            line.total_minor, done, sold
        )
        tax = _through(line.tax_minor, done + request.quantity, sold) - _through(
            line.tax_minor, done, sold
        )
        lines.append(RefundLine(request.line_id, request.quantity, amount, tax))
    amount = sum(line.amount_minor for line in lines)
    remaining = totals.total_minor - refunded_minor
    if amount > remaining:
        raise ValidationError("that refund is more than what remains paid on the order")
    tax = min(sum(line.tax_minor for line in lines), totals.tax_minor - refunded_tax_minor)
    return RefundPlan(amount_minor=amount, tax_minor=tax, lines=tuple(lines))


def plan_amount_refund(
    totals: OrderTotals, amount_minor: int, refunded_minor: int, refunded_tax_minor: int
) -> RefundPlan:
    if amount_minor <= 0:
        raise ValidationError("a refund must be more than zero")
    remaining = totals.total_minor - refunded_minor
    if amount_minor > remaining:
        raise ValidationError("that refund is more than what remains paid on the order")
    tax = (
        div_round_half_up(amount_minor * totals.tax_minor, totals.total_minor)
        if totals.total_minor
        else 0
    )
    tax = min(tax, totals.tax_minor - refunded_tax_minor)
    return RefundPlan(amount_minor=amount_minor, tax_minor=tax)


def kept_tax(tax_minor: int, returned_minor: int, amount_minor: int) -> int:
    """The tax of a refund of `amount_minor` of which only `returned_minor` went back."""
    if not 0 <= returned_minor <= amount_minor or amount_minor <= 0 or tax_minor < 0:
        raise ValueError("returned must be between 0 and a positive refund amount")
    return div_round_half_up(tax_minor * returned_minor, amount_minor)


def returned_tax_by_rate(
    *, tax_minor: int, returned_minor: int, amount_minor: int, rate_tax: Mapping[int, int]
) -> dict[int, int]:
    """The tax a refund gave back (`kept_tax` of what went back), by tax rate.

    `rate_tax` is the tax by rate the refund is made of: its own lines' for a refund by line,
    the order's for a refund by amount (which carries the order's tax in proportion). The kept
    tax is spread over those rates by largest remainder, so the rates add up to it exactly.
    """
    kept = kept_tax(tax_minor, returned_minor, amount_minor)
    rates = sorted(rate_tax)
    if not rates:
        return {}
    return dict(zip(rates, allocate(kept, [rate_tax[rate] for rate in rates]), strict=True))


def allocate_refund(
    amount_minor: int,
    tenders: Sequence[RefundableTender],
    to_cash_drawer: bool = False,
    tip_minor: int = 0,
) -> list[RefundAllocation]:
    """Send a refund back the way the money came: cards first (latest first), then cash.

    With `to_cash_drawer` the whole refund is paid out in cash, whatever the original tender
    was (a customer without the card at hand); the drawer must then be counted short of it.

    `tip_minor` is given back on the cards the tips were charged on (latest first), each at
    most its tip not yet given back; a card may take a tip part with no amount part. A tip
    never comes out of the drawer: it was charged on a card, and goes back there.
    """
    if tip_minor < 0:
        raise ValidationError("a tip refund cannot be negative")
    if to_cash_drawer:
        if tip_minor:
            raise ValidationError(
                "a tip goes back only to the card it was charged on: refund the tip on the card"
            )
        return [RefundAllocation(None, TenderKind.CASH, amount_minor)]
    ordered = [t for t in reversed(tenders) if t.kind is TenderKind.CARD] + [
        t for t in reversed(tenders) if t.kind is TenderKind.CASH
    ]
    left = amount_minor
    tip_left = tip_minor
    allocations: list[RefundAllocation] = []
    for tender in ordered:
        take = min(left, max(tender.remaining_minor, 0))
        tip = (
            min(tip_left, max(tender.tip_remaining_minor, 0))
            if tender.kind is TenderKind.CARD
            else 0
        )
        if take > 0 or tip > 0:
            allocations.append(RefundAllocation(tender.tender_id, tender.kind, take, tip))
            left -= take
            tip_left -= tip
    if left:
        raise ValidationError("that refund is more than the tenders can return")
    if tip_left:
        raise ValidationError("that tip refund is more than the cards' tips not yet refunded")
    return allocations


def refundable_tip(tenders: Sequence[RefundableTender]) -> int:
    """The card tips an order can still give back."""
    return sum(max(t.tip_remaining_minor, 0) for t in tenders if t.kind is TenderKind.CARD)


@dataclass(frozen=True, slots=True)
class RefundRecord:
    id: UUID
    order_id: UUID
    amount_minor: int
    tax_minor: int
    reason: str
    status: str
    created_at: datetime
    staff_id: UUID
    approved_by_id: UUID | None
    restock: bool
    tip_minor: int = 0


class AllocationStatus(StrEnum):
    """Where one tender's part of a refund stands (the values are what is stored and pushed)."""

    PENDING = "pending"
    """A card part not yet answered by the gateway."""
    SUCCEEDED = "succeeded"
    """Went back (cash at once; a card when the gateway accepted it)."""
    FAILED = "failed"
    """Refused, or failed later at the customer's bank: its amount is owed again."""


#: A pending card part gets the gateway's answer; a card refund that went through can still
#: fail later (the bank tells Stripe days after). A failed part is final.
ALLOCATION_TRANSITIONS: Mapping[AllocationStatus, frozenset[AllocationStatus]] = {
    AllocationStatus.PENDING: frozenset({AllocationStatus.SUCCEEDED, AllocationStatus.FAILED}),
    AllocationStatus.SUCCEEDED: frozenset({AllocationStatus.FAILED}),
    AllocationStatus.FAILED: frozenset(),
}


def check_allocation_transition(old: AllocationStatus, new: AllocationStatus) -> None:
    """Refuse a move `ALLOCATION_TRANSITIONS` does not allow."""
    if new not in ALLOCATION_TRANSITIONS[old]:
        raise InvalidTransition(f"a refund allocation cannot go from {old} to {new}")


@dataclass(frozen=True, slots=True)
class AllocationRecord:
    id: UUID
    refund_id: UUID
    tender_id: UUID | None
    kind: str
    amount_minor: int
    status: AllocationStatus
    idempotency_key: str | None
    gateway_refund_id: str | None
    tip_minor: int = 0
    """The card tip this allocation gives back, on top of `amount_minor`."""
