"""Order totals: the rounding rule holds for any cart (Hypothesis) and on known receipts."""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.domain.errors import ValidationError
from pos_app.domain.money import PPM
from pos_app.domain.pricing import (
    Discount,
    DiscountKind,
    PricingLine,
    TaxMode,
    compute_totals,
)

rates = st.sampled_from([0, 50_000, 88_750, 100_000, 120_000, 170_000, 200_000, 250_000])
discounts = st.one_of(
    st.none(),
    st.builds(Discount, st.just(DiscountKind.PERCENT), st.integers(min_value=0, max_value=PPM)),
    st.builds(Discount, st.just(DiscountKind.AMOUNT), st.integers(min_value=0, max_value=50_000)),
)
lines = st.lists(
    st.builds(
        PricingLine,
        key=st.uuids(),
        unit_price_minor=st.integers(min_value=0, max_value=100_000),
        quantity=st.integers(min_value=1, max_value=50),
        tax_rate_ppm=rates,
        discount=discounts,
    ),
    min_size=1,
    max_size=12,
    unique_by=lambda line: line.key,
)


def half_up(value: Fraction) -> int:
    floor = value.numerator // value.denominator
    return floor + (1 if value - floor >= Fraction(1, 2) else 0)


@given(lines, discounts, st.sampled_from(list(TaxMode)))
def test_totals_are_consistent_to_the_cent(
    cart: list[PricingLine], order_discount: Discount | None, mode: TaxMode
) -> None:
    totals = compute_totals(cart, mode, order_discount)
    # lines + tax - discounts = total (tax is inside the lines when pricing is inclusive)
    if mode is TaxMode.EXCLUSIVE:
        assert (
            totals.subtotal_minor + totals.tax_minor - totals.discount_minor == totals.total_minor
        )
    else:
        assert totals.subtotal_minor - totals.discount_minor == totals.total_minor
        assert totals.tax_minor <= totals.total_minor
    assert sum(line.total_minor for line in totals.lines) == totals.total_minor
    assert sum(line.tax_minor for line in totals.lines) == totals.tax_minor
    assert sum(line.discount_minor for line in totals.lines) == totals.discount_minor
    assert sum(line.gross_minor for line in totals.lines) == totals.subtotal_minor
    for figure in totals.lines:
        assert figure.net_minor >= 0
        assert figure.tax_minor >= 0
        assert figure.total_minor >= 0
        assert figure.discount_minor <= figure.gross_minor
    assert totals.total_minor >= 0
    assert 0 <= totals.discount_minor <= totals.subtotal_minor


@given(lines, discounts, st.sampled_from(list(TaxMode)))
def test_tax_is_rounded_once_per_rate(
    cart: list[PricingLine], order_discount: Discount | None, mode: TaxMode
) -> None:
    totals = compute_totals(cart, mode, order_discount)
    bases: dict[int, int] = defaultdict(int)
    for line, figure in zip(cart, totals.lines, strict=True):
        bases[line.tax_rate_ppm] += figure.net_minor
    for bucket in totals.taxes:
        rate = Fraction(bucket.rate_ppm, PPM)
        exact = (
            bases[bucket.rate_ppm] * rate
            if mode is TaxMode.EXCLUSIVE
            else (bases[bucket.rate_ppm] * rate / (1 + rate))
        )
        assert bucket.tax_minor == half_up(exact)
    assert sum(b.tax_minor for b in totals.taxes) == totals.tax_minor


def test_us_receipt_example() -> None:
    # 2 lattes at 4.50 and a croissant at 3.25, NYC sales tax 8.875 %:
    # 12.25 × 0.08875 = 1.0871875 → 1.09; total 13.34
    cart = [PricingLine("latte", 450, 2, 88_750), PricingLine("croissant", 325, 1, 88_750)]
    totals = compute_totals(cart, TaxMode.EXCLUSIVE)
    assert (totals.subtotal_minor, totals.tax_minor, totals.total_minor) == (1225, 109, 1334)
    assert [line.tax_minor for line in totals.lines] == [80, 29]


def test_vat_inclusive_example_with_order_discount() -> None:
    # Brazil-style inclusive prices: R$ 10,00 + R$ 5,50 at 18 %, 10 % off the order.
    cart = [PricingLine("a", 1000, 1, 180_000), PricingLine("b", 550, 1, 180_000)]
    totals = compute_totals(cart, TaxMode.INCLUSIVE, Discount(DiscountKind.PERCENT, 100_000))
    # 15.50 − 1.55 (half up of 1.55) = 13.95; tax = 13.95 × 18/118 = 2.1280 → 2.13
    assert totals.order_discount_minor == 155
    assert totals.total_minor == 1395
    assert totals.tax_minor == 213
    assert [line.order_discount_minor for line in totals.lines] == [100, 55]


def test_rounding_tie_goes_up() -> None:
    # 50 × 10 % = 5.0; 5 × 10 % = 0.5 → 1 (half up, not banker's)
    totals = compute_totals([PricingLine("x", 5, 1, 100_000)], TaxMode.EXCLUSIVE)
    assert totals.tax_minor == 1


def test_amount_discount_is_capped_and_never_makes_a_line_negative() -> None:
    totals = compute_totals(
        [PricingLine("x", 300, 1, 0, Discount(DiscountKind.AMOUNT, 1000))],
        TaxMode.EXCLUSIVE,
        Discount(DiscountKind.AMOUNT, 1000),
    )
    assert totals.total_minor == 0
    assert totals.line_discount_minor == 300
    assert totals.order_discount_minor == 0


def test_invalid_lines_are_refused() -> None:
    with pytest.raises(ValidationError, match="quantity"):
        compute_totals([PricingLine("x", 100, 0, 0)], TaxMode.EXCLUSIVE)
    with pytest.raises(ValidationError, match="negative"):
        compute_totals([PricingLine("x", -1, 1, 0)], TaxMode.EXCLUSIVE)
    with pytest.raises(ValidationError, match="100 %"):
        Discount(DiscountKind.PERCENT, PPM + 1)
