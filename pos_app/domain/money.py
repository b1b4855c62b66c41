"""Money as integer minor units plus an ISO 4217 currency code, and the rounding primitives.

No float ever touches an amount. Conversions from text go through `Decimal` and refuse
precision the currency does not have; every division that can leave a remainder goes through
one of the named rounding functions below, so each rounding is a visible decision.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Final

#: Minor-unit exponents (ISO 4217) for the currencies a shop can be set up in.
CURRENCY_EXPONENTS: Final[dict[str, int]] = {
    "USD": 2, "EUR": 2, "GBP": 2, "BRL": 2, "CAD": 2, "AUD": 2, "NZD": 2, "CHF": 2,
    "MXN": 2, "SEK": 2, "NOK": 2, "DKK": 2, "PLN": 2, "CZK": 2, "SGD": 2, "HKD": 2,
    "ZAR": 2, "INR": 2, "JPY": 0, "KRW": 0, "CLP": 0, "ISK": 0, "KWD": 3, "BHD": 3,
}  # fmt: skip

PPM: Final = 1_000_000
"""Rates (tax, percent discounts, fees) are integers in parts per million: 8.875 % = 88_750."""

_CURRENCY_RE = re.compile(r"^[A-Z]{3}$")


class MoneyError(ValueError):
    """An amount or currency that cannot be represented exactly."""


class CurrencyMismatch(MoneyError):
    """Arithmetic between two different currencies."""


def currency_exponent(currency: str) -> int:
    """How many decimal places the currency's minor unit has (USD 2, JPY 0, KWD 3)."""
    try:
        return CURRENCY_EXPONENTS[currency]
    except KeyError:
        raise MoneyError(f"unsupported currency {currency!r}") from None


def check_currency(currency: str) -> str:
    if not _CURRENCY_RE.match(currency):
        raise MoneyError(f"currency must be a 3-letter ISO code, got {currency!r}")
    currency_exponent(currency)
    return currency


@dataclass(frozen=True, slots=True, order=False)
class Money:
    """An exact amount: `amount_minor` cents (or the currency's minor unit) of `currency`."""

    amount_minor: int
    currency: str

    def __post_init__(self) -> None:
        if type(self.amount_minor) is not int:
            raise MoneyError(f"amount_minor must be an int, got {type(self.amount_minor).__name__}")
        check_currency(self.currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(0, currency)

    @classmethod
    def parse(cls, text: str, currency: str) -> Money:
        """Parse a plain major-unit amount such as ``"4.50"`` (no symbols, no grouping)."""
        return cls(parse_major(text, currency), currency)

    def _same(self, other: Money) -> None:
        if self.currency != other.currency:
            raise CurrencyMismatch(f"{self.currency} and {other.currency} cannot be combined")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount_minor + other.amount_minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount_minor - other.amount_minor, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount_minor, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount_minor < other.amount_minor

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.amount_minor <= other.amount_minor

    def __gt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount_minor > other.amount_minor

    def __ge__(self, other: Money) -> bool:
        self._same(other)
        return self.amount_minor >= other.amount_minor

    def times(self, quantity: int) -> Money:
        return Money(self.amount_minor * quantity, self.currency)

    def is_zero(self) -> bool:
        return self.amount_minor == 0

    def to_major_str(self) -> str:
        """Plain text for files and JSON (``"4.50"``); on-screen formatting is the UI's job."""
        return format_major(self.amount_minor, self.currency)

    def __str__(self) -> str:
        return f"{self.to_major_str()} {self.currency}"


def format_major(amount_minor: int, currency: str) -> str:
    exp = currency_exponent(currency)
    sign = "-" if amount_minor < 0 else ""
    whole, frac = divmod(abs(amount_minor), 10**exp)
    return f"{sign}{whole}.{frac:0{exp}d}" if exp else f"{sign}{whole}"


def parse_major(text: str, currency: str) -> int:
    """``"4.50"`` USD -> 450. Refuses more decimals than the currency has, and non-numbers."""
    exp = currency_exponent(currency)
    cleaned = text.strip()
    if not re.fullmatch(r"-?\d+(\.\d*)?|-?\.\d+", cleaned):
        raise MoneyError(f"{text!r} is not an amount (use digits and a dot, like 4.50)")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise MoneyError(f"{text!r} is not an amount") from None
    scaled = value.scaleb(exp)
    if scaled != scaled.to_integral_value():
        raise MoneyError(f"{text!r} has more than {exp} decimal places for {currency}")
    return int(scaled)


def parse_rate_percent(text: str) -> int:
    """``"8.875"`` (percent) -> 88_750 ppm. Up to four decimal places of a percent."""
    cleaned = text.strip().removesuffix("%").strip()
    if not re.fullmatch(r"\d+(\.\d*)?|\.\d+", cleaned):
        raise MoneyError(f"{text!r} is not a percentage (like 8.875)")
    scaled = Decimal(cleaned).scaleb(4)
    if scaled != scaled.to_integral_value():
        raise MoneyError(f"{text!r} has more than 4 decimal places")
    ppm = int(scaled)
    if ppm > 100 * 10_000:
        raise MoneyError(f"{text!r} is more than 100 %")
    return ppm


def format_rate_percent(ppm: int) -> str:
    """88_750 -> ``"8.875"``; trailing zeros dropped."""
    whole, frac = divmod(ppm, 10_000)
    return f"{whole}.{frac:04d}".rstrip("0").rstrip(".")


# --- rounding -------------------------------------------------------------------------------


def div_round_half_up(numerator: int, denominator: int) -> int:
    """Divide and round to the nearest integer, halves away from zero (commercial rounding)."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    quotient, remainder = divmod(abs(numerator), denominator)
    if 2 * remainder >= denominator:
        quotient += 1
    return quotient if numerator >= 0 else -quotient


def div_round_half_even(numerator: int, denominator: int) -> int:
    """Divide and round to the nearest integer, halves to the even neighbour (banker's rounding)."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    quotient, remainder = divmod(numerator, denominator)
    twice = 2 * remainder
    if twice > denominator or (twice == denominator and quotient % 2 == 1):
        quotient += 1
    return quotient


def apply_ppm_half_up(amount_minor: int, rate_ppm: int) -> int:
    """``amount × rate`` rounded half up: a percentage of an amount."""
    return div_round_half_up(amount_minor * rate_ppm, PPM)


def allocate(total: int, weights: Sequence[int]) -> list[int]:
    """Split `total` over `weights` proportionally so the parts add up to `total` exactly.

    Largest-remainder method: every part gets the floor of its exact share, and the units left
    over go one each to the largest remainders, ties to the earliest position. With all weights
    zero the split is even by the same rule. Parts keep the sign of `total`.
    """
    if not weights:
        if total:
            raise ValueError("cannot allocate a non-zero total over no weights")
        return []
    if any(w < 0 for w in weights):
        raise ValueError("weights must be non-negative")
    # The common cases, same result without the arithmetic (an order without an order
    # discount allocates 0 on every sale; the server reprices every pushed order).
    if total == 0:
        return [0] * len(weights)
    if len(weights) == 1:
        return [total]
    sign = -1 if total < 0 else 1
    magnitude = abs(total)
    effective = list(weights) if any(weights) else [1] * len(weights)
    weight_sum = sum(effective)
    parts: list[int] = []
    remainders: list[tuple[int, int]] = []
    for index, weight in enumerate(effective):
        share, remainder = divmod(magnitude * weight, weight_sum)
        parts.append(share)
        remainders.append((remainder, index))
    leftover = magnitude - sum(parts)
    for _, index in sorted(remainders, key=lambda item: (-item[0], item[1]))[:leftover]:
        parts[index] += 1
    return [sign * part for part in parts]


def sum_money(amounts: Iterable[Money], currency: str) -> Money:
    total = Money.zero(currency)
    for amount in amounts:
        total = total + amount
    return total
