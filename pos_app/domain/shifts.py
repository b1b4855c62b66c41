"""Shifts and the cash drawer: float, paid in/out, expected cash, counted cash, over/short."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

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
    paid_out_minor: int

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
