"""Shifts and the cash drawer: float, paid in/out, expected cash, counted cash, over/short."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Final
from uuid import UUID

from pos_app.domain.errors import ValidationError


class ShiftStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class CashMovementKind(StrEnum):
    PAID_IN = "paid_in"
    PAID_OUT = "paid_out"
    NO_SALE = "no_sale"
    """The drawer opened without a sale: no money moves, but it is always audited."""


#: Notes and coins, in minor units, largest first: the cash-count screen's rows.
DENOMINATIONS: Final[dict[str, tuple[int, ...]]] = {
    "USD": (10000, 5000, 2000, 1000, 500, 100, 25, 10, 5, 1),
    "BRL": (20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 25, 10, 5),
    "EUR": (50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1),
    "GBP": (5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1),
}
_FALLBACK_DENOMINATIONS: Final = (10000, 5000, 2000, 1000, 500, 100, 50, 10, 5, 1)


def denominations(currency: str) -> tuple[int, ...]:
    return DENOMINATIONS.get(currency, _FALLBACK_DENOMINATIONS)


def count_cash(counts: Mapping[int, int]) -> int:
    """Total of a denomination count ``{value_minor: how_many}``."""
    for value, how_many in counts.items():
        if value <= 0 or how_many < 0:
            raise ValidationError("denominations and counts must be positive")
    return sum(value * how_many for value, how_many in counts.items())


@dataclass(frozen=True, slots=True)
class CashSummary:
    opening_float_minor: int
    cash_sales_minor: int
    """Cash applied to orders (tendered minus change)."""
    cash_refunds_minor: int
    paid_in_minor: int
    """Net of corrections (a correction is a reversing entry of the same kind)."""
    paid_out_minor: int
    corrections_count: int = 0

    @property
    def expected_minor(self) -> int:
        return (
            self.opening_float_minor
            + self.cash_sales_minor
            - self.cash_refunds_minor
            + self.paid_in_minor
            - self.paid_out_minor
        )


def over_short(expected_minor: int, counted_minor: int) -> int:
    """Positive: the drawer holds more than it should (over); negative: short."""
    return counted_minor - expected_minor


def check_cash_movement(kind: CashMovementKind, amount_minor: int, reason: str) -> None:
    if kind is CashMovementKind.NO_SALE:
        if amount_minor:
            raise ValidationError("a no-sale moves no money")
    elif amount_minor <= 0:
        raise ValidationError("enter an amount above zero")
    if not reason.strip():
        raise ValidationError("give a reason")


@dataclass(frozen=True, slots=True)
class CashMovement:
    """A paid in, paid out or no-sale of a shift. A correction is a reversing entry: the same
    kind with the opposite amount, pointing at the entry it reverses."""

    id: UUID
    kind: CashMovementKind
    amount_minor: int
    reason: str
    staff_id: UUID
    approved_by_id: UUID | None
    created_at: datetime
    reverses_id: UUID | None = None
    corrected: bool = False
    """A correction has been recorded against this entry."""

    @property
    def drawer_effect_minor(self) -> int:
        """What this entry did to the cash the drawer should hold."""
        if self.kind is CashMovementKind.PAID_IN:
            return self.amount_minor
        if self.kind is CashMovementKind.PAID_OUT:
            return -self.amount_minor
        return 0


def check_correction(movement: CashMovement, reason: str) -> None:
    """Whether `movement` may be reversed: once, money movements only, never a correction."""
    if movement.kind is CashMovementKind.NO_SALE:
        raise ValidationError("a no-sale moved no money: there is nothing to correct")
    if movement.reverses_id is not None:
        raise ValidationError("a correction cannot be corrected: record a new paid in or out")
    if movement.corrected:
        raise ValidationError("that entry is already corrected")
    if not reason.strip():
        raise ValidationError("give a reason")


def check_drawer_holds(expected_minor: int, drawer_effect_minor: int) -> None:
    """Refuse a movement that would take the cash the drawer should hold below zero: the cash
    cannot be handed over, and the count at close would be short by it."""
    if expected_minor + drawer_effect_minor < 0:
        raise ValidationError(
            "the drawer does not hold that much cash: record a paid-in from the safe first, or "
            "take out less"
        )


@dataclass(frozen=True, slots=True)
class ShiftRecord:
    id: UUID
    register_id: UUID
    status: ShiftStatus
    currency: str
    opened_by_id: UUID
    opened_at: datetime
    opening_float_minor: int
    closed_by_id: UUID | None
    closed_at: datetime | None
    expected_cash_minor: int | None
    counted_cash_minor: int | None
    over_short_minor: int | None
