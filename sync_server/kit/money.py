"""Exact integer rounding for fees.

The register has the same primitives in `pos_app.domain.money`; the server keeps its own small
copy so that it deploys without the register package and its release cadence. The rules are
the ones the issue names: one half-even rounding per statement, a largest-remainder split.
"""

from __future__ import annotations

from collections.abc import Sequence

BPS = 10_000
"""Fee rates are in basis points: 100 bps = 1 %."""


def div_round_half_even(numerator: int, denominator: int) -> int:
    """Divide and round to the nearest integer, halves to the even neighbour."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    quotient, remainder = divmod(numerator, denominator)
    twice = 2 * remainder
    if twice > denominator or (twice == denominator and quotient % 2 == 1):
        quotient += 1
    return quotient


def div_round_half_up(numerator: int, denominator: int) -> int:
    """Divide and round to the nearest integer, halves away from zero (the register's rule)."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    quotient, remainder = divmod(abs(numerator), denominator)
    if 2 * remainder >= denominator:
        quotient += 1
    return quotient if numerator >= 0 else -quotient


def fee_of(base_minor: int, rate_bps: int) -> int:
    """The fee on `base_minor` at `rate_bps`, rounded once, half even."""
    return div_round_half_even(base_minor * rate_bps, BPS)


def split_fee(total_fee: int, bases: Sequence[int], rate_bps: int) -> list[int]:
    """Split `total_fee` over rows whose exact shares are ``base × rate / 10 000``.

    Each row gets the floor of its exact share; the units left over go one each to the rows
    with the largest remainders (ties to the earliest row). Works with negative bases (refunds,
    chargebacks): flooring is toward minus infinity, so remainders are never negative. The parts
    add up to `total_fee` exactly when `total_fee` is the rounded sum of the exact shares.
    """
    floors: list[int] = []
    remainders: list[tuple[int, int]] = []
    for index, base in enumerate(bases):
        share, remainder = divmod(base * rate_bps, BPS)
        floors.append(share)
        remainders.append((remainder, index))
    leftover = total_fee - sum(floors)
    if leftover < 0 or leftover > len(bases):
        raise ValueError("the total is not the rounded sum of the rows' exact shares")
    ranked = sorted(remainders, key=lambda item: (-item[0], item[1]))
    for _, index in ranked[:leftover]:
        floors[index] += 1
    return floors


def allocate(total: int, weights: Sequence[int]) -> list[int]:
    """Split `total` over non-negative `weights` by largest remainder (even split if all zero)."""
    if not weights:
        if total:
            raise ValueError("cannot allocate a non-zero total over no weights")
        return []
    if any(weight < 0 for weight in weights):
        raise ValueError("weights must be non-negative")
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
    for _, index in sorted(remainders, key=lambda item: (-item[0], item[1]))[
        : magnitude - sum(parts)
    ]:
        parts[index] += 1
    return [sign * part for part in parts]
