"""Order totals: discounts, tax and the rounding rule.

The rounding rule (one rule, applied in this order, all amounts in integer minor units):

1. **Line amount** = (unit price + modifier deltas) × quantity. Exact; nothing is rounded.
2. **Line discount**: an amount is capped at the line amount; a percentage is
   ``round_half_up(line amount × rate)``.
3. **Order discount**: an amount is capped at the sum of lines after their own discounts; a
   percentage is ``round_half_up(that sum × rate)``. The order discount is then allocated to the
   lines in proportion to their discounted amounts by the largest-remainder method
   (`money.allocate`), so the shares add up to the order discount exactly.
4. **Tax** is rounded **once per tax rate per order**: the net amounts of all lines that share a
   rate are added, and
   * tax-exclusive pricing (US style): ``tax = round_half_up(base × rate)``;
   * tax-inclusive pricing (VAT / Brazil style): prices already contain tax, and
     ``tax = round_half_up(base × rate / (1 + rate))``.
   Each rate's tax is then allocated back to its lines by largest remainder, so per-line tax
   (used by refunds and reports) adds up to the order's tax exactly.
5. **Totals**: exclusive: ``total = subtotal − discounts + tax``; inclusive:
   ``total = subtotal − discounts`` with the tax contained in it.

Rounding half up (away from zero) is "commercial rounding", what customers and tax authorities
expect on a receipt. Every amount is non-negative, so no total can be negative.

This module is the one copy of the rule: the sync server imports it (`reprice`) to check every
pushed order, so the register and the server cannot disagree about a cent. It must stay pure
(standard library and `pos_app.domain` only): the server loads it without Qt or SQLAlchemy.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from pos_app.domain.errors import ValidationError
from pos_app.domain.money import PPM, allocate, apply_ppm_half_up, div_round_half_up


class TaxMode(StrEnum):
    EXCLUSIVE = "exclusive"
    """Shelf prices exclude tax; tax is added at the till (United States)."""
    INCLUSIVE = "inclusive"
    """Shelf prices include tax (VAT in Europe, ICMS in Brazil)."""


class DiscountKind(StrEnum):
    PERCENT = "percent"
    AMOUNT = "amount"


@dataclass(frozen=True, slots=True)
class Discount:
    """A percentage (``value`` in ppm: 10 % = 100_000) or a fixed amount in minor units."""

    kind: DiscountKind
    value: int
    reason: str = ""

    def __post_init__(self) -> None:
        if self.value < 0:
            raise ValidationError("a discount cannot be negative")
        if self.kind is DiscountKind.PERCENT and self.value > PPM:
            raise ValidationError("a discount cannot be more than 100 %")

    def amount_off(self, base_minor: int) -> int:
        if self.kind is DiscountKind.PERCENT:
            return min(apply_ppm_half_up(base_minor, self.value), base_minor)
        return min(self.value, base_minor)


@dataclass(frozen=True, slots=True)
class PricingLine:
    key: Hashable
    unit_price_minor: int
    quantity: int
    tax_rate_ppm: int
    discount: Discount | None = None


@dataclass(frozen=True, slots=True)
class LineTotals:
    key: Hashable
    gross_minor: int
    """Unit price (with modifiers) × quantity."""
    line_discount_minor: int
    order_discount_minor: int
    """This line's share of the order discount."""
    net_minor: int
    """After both discounts. Includes tax when pricing is tax-inclusive."""
    tax_minor: int
    total_minor: int
    """What the customer pays for this line."""

    @property
    def discount_minor(self) -> int:
        return self.line_discount_minor + self.order_discount_minor

    @property
    def revenue_minor(self) -> int:
        """Product revenue: after discounts, without tax."""
        return self.total_minor - self.tax_minor


@dataclass(frozen=True, slots=True)
class TaxBucket:
    rate_ppm: int
    base_minor: int
    """Net amount of the lines at this rate (tax-inclusive when pricing is inclusive)."""
    tax_minor: int


@dataclass(frozen=True, slots=True)
class OrderTotals:
    tax_mode: TaxMode
    lines: tuple[LineTotals, ...]
    subtotal_minor: int
    line_discount_minor: int
    order_discount_minor: int
    tax_minor: int
    total_minor: int
    taxes: tuple[TaxBucket, ...]

    @property
    def discount_minor(self) -> int:
        return self.line_discount_minor + self.order_discount_minor

    @property
    def revenue_minor(self) -> int:
        return self.total_minor - self.tax_minor

    def line(self, key: Hashable) -> LineTotals:
        for line in self.lines:
            if line.key == key:
                return line
        raise KeyError(key)


def compute_totals(
    lines: Sequence[PricingLine],
    tax_mode: TaxMode,
    order_discount: Discount | None = None,
) -> OrderTotals:
    """Price an order by the rule in this module's docstring."""
    for line in lines:
        if line.quantity <= 0:
            raise ValidationError("quantity must be at least 1")
        if line.unit_price_minor < 0:
            raise ValidationError("a price (with its modifiers) cannot be negative")
        if not 0 <= line.tax_rate_ppm <= PPM:
            raise ValidationError("tax rate must be between 0 and 100 %")

    gross = [line.unit_price_minor * line.quantity for line in lines]
    line_discounts = [
        line.discount.amount_off(amount) if line.discount else 0
        for line, amount in zip(lines, gross, strict=True)
    ]
    after_line = [amount - off for amount, off in zip(gross, line_discounts, strict=True)]
    order_off = order_discount.amount_off(sum(after_line)) if order_discount else 0
    shares = allocate(order_off, after_line)
    net = [amount - share for amount, share in zip(after_line, shares, strict=True)]

    by_rate: dict[int, list[int]] = defaultdict(list)
    for index, line in enumerate(lines):
        by_rate[line.tax_rate_ppm].append(index)
    line_tax = [0] * len(lines)
    buckets: list[TaxBucket] = []
    for rate in sorted(by_rate):
        indexes = by_rate[rate]
        base = sum(net[i] for i in indexes)
        if tax_mode is TaxMode.EXCLUSIVE:
            tax = div_round_half_up(base * rate, PPM)
        else:
            tax = div_round_half_up(base * rate, PPM + rate)
        for i, part in zip(indexes, allocate(tax, [net[i] for i in indexes]), strict=True):
            line_tax[i] = part
        buckets.append(TaxBucket(rate_ppm=rate, base_minor=base, tax_minor=tax))

    line_totals = tuple(
        LineTotals(
            key=line.key,
            gross_minor=gross[i],
            line_discount_minor=line_discounts[i],
            order_discount_minor=shares[i],
            net_minor=net[i],
            tax_minor=line_tax[i],
            total_minor=net[i] + line_tax[i] if tax_mode is TaxMode.EXCLUSIVE else net[i],
        )
        for i, line in enumerate(lines)
    )
    subtotal = sum(gross)
    tax_total = sum(bucket.tax_minor for bucket in buckets)
    discount_total = sum(line_discounts) + order_off
    total = subtotal - discount_total + (tax_total if tax_mode is TaxMode.EXCLUSIVE else 0)
    return OrderTotals(
        tax_mode=tax_mode,
        lines=line_totals,
        subtotal_minor=subtotal,
        line_discount_minor=sum(line_discounts),
        order_discount_minor=order_off,
        tax_minor=tax_total,
        total_minor=total,
        taxes=tuple(buckets),
    )


def reprice(
    lines: Sequence[PricingLine], tax_mode: TaxMode, order_discount_minor: int
) -> OrderTotals:
    """Price an order again from the discounts it states as amounts (the server's check).

    A stored order keeps each discount as the amount applied, not as the percentage typed. That
    loses nothing: a percentage became an amount at step 2 or 3, and an amount discount of that
    size gives the same amount back (it is already within its cap), the same order-discount
    shares (step 3 allocates the same total over the same weights) and so the same tax. An
    order priced by `compute_totals` therefore reprices to itself, cent for cent; any other set
    of figures does not.
    """
    order_discount = (
        Discount(DiscountKind.AMOUNT, order_discount_minor) if order_discount_minor else None
    )
    return compute_totals(lines, tax_mode, order_discount)
