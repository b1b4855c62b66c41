"""Exact integer rounding for fees: one half-even rounding per statement, a largest-remainder
split.

The rounding primitives are the register's own (`pos_app.domain.money`, pure standard library,
shipped in the same distribution): one copy of each rule, so the server's recomputation of a
sale and the register's pricing cannot drift apart. Only the fee-specific helpers live here.
"""

from __future__ import annotations

from collections.abc import Sequence

from pos_app.domain.money import allocate, div_round_half_even, div_round_half_up

__all__ = ["BPS", "allocate", "div_round_half_even", "div_round_half_up", "fee_of", "split_fee"]

BPS = 10_000
"""Fee rates are in basis points: 100 bps = 1 %."""


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
