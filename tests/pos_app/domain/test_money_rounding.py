"""Money and the rounding primitives, checked against exact rational arithmetic."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.domain.money import (
    CurrencyMismatch,
    Money,
    MoneyError,
    allocate,
    div_round_half_even,
    div_round_half_up,
    format_major,
    format_rate_percent,
    parse_major,
    parse_rate_percent,
)

amounts = st.integers(min_value=-(10**12), max_value=10**12)
positive_den = st.integers(min_value=1, max_value=10**9)


def reference_half_up(numerator: int, denominator: int) -> int:
    exact = Fraction(numerator, denominator)
    magnitude = abs(exact)
    floor = magnitude.numerator // magnitude.denominator
    rounded = floor + (1 if magnitude - floor >= Fraction(1, 2) else 0)
    return rounded if exact >= 0 else -rounded


@given(amounts, positive_den)
def test_half_up_matches_exact_arithmetic(numerator: int, denominator: int) -> None:
    assert div_round_half_up(numerator, denominator) == reference_half_up(numerator, denominator)


@given(amounts, positive_den)
def test_half_even_matches_python_round_of_fractions(numerator: int, denominator: int) -> None:
    assert div_round_half_even(numerator, denominator) == round(Fraction(numerator, denominator))


def test_half_up_and_half_even_differ_on_ties() -> None:
    assert div_round_half_up(5, 2) == 3
    assert div_round_half_even(5, 2) == 2
    assert div_round_half_up(-5, 2) == -3
    assert div_round_half_even(-5, 2) == -2


@given(
    st.integers(min_value=-(10**9), max_value=10**9),
    st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=30),
)
def test_allocate_adds_up_exactly_and_stays_within_one_unit(total: int, weights: list[int]) -> None:
    parts = allocate(total, weights)
    assert sum(parts) == total
    effective = weights if any(weights) else [1] * len(weights)
    for part, weight in zip(parts, effective, strict=True):
        exact = Fraction(total * weight, sum(effective))
        assert abs(part - exact) < 1


def test_allocate_gives_leftovers_to_largest_remainders_then_earliest() -> None:
    assert allocate(100, [1, 1, 1]) == [34, 33, 33]
    assert allocate(10, [3, 3, 4]) == [3, 3, 4]
    assert allocate(1, [0, 0]) == [1, 0]
    assert allocate(0, []) == []
    with pytest.raises(ValueError, match="no weights"):
        allocate(5, [])


@given(
    st.integers(min_value=-(10**12), max_value=10**12),
    st.sampled_from(["USD", "JPY", "KWD", "BRL"]),
)
def test_format_and_parse_round_trip(amount: int, currency: str) -> None:
    assert parse_major(format_major(amount, currency), currency) == amount


@pytest.mark.parametrize(
    ("text", "currency", "expected"),
    [
        ("4.50", "USD", 450),
        ("4.5", "USD", 450),
        ("4", "USD", 400),
        (".99", "USD", 99),
        ("1200", "JPY", 1200),
        ("1.234", "KWD", 1234),
        (" 7.00 ", "BRL", 700),
    ],
)
def test_parse_major(text: str, currency: str, expected: int) -> None:
    assert parse_major(text, currency) == expected


@pytest.mark.parametrize(
    ("text", "currency", "message"),
    [
        ("4.505", "USD", "more than 2 decimal places"),
        ("1.5", "JPY", "more than 0"),
        ("4,50", "USD", "is not an amount"),
        ("$4", "USD", "is not an amount"),
        ("1e3", "USD", "is not an amount"),
        ("", "USD", "is not an amount"),
        ("NaN", "USD", "is not an amount"),
        ("1", "XYZ", "unsupported currency"),
    ],
)
def test_parse_major_refuses_what_it_cannot_represent(
    text: str, currency: str, message: str
) -> None:
    with pytest.raises(MoneyError, match=message):
        parse_major(text, currency)


def test_rates_in_ppm() -> None:
    assert parse_rate_percent("8.875") == 88_750
    assert parse_rate_percent("20%") == 200_000
    assert parse_rate_percent("0") == 0
    assert format_rate_percent(88_750) == "8.875"
    assert format_rate_percent(200_000) == "20"
    for bad in ("8.87501", "-1", "101", "abc"):
        with pytest.raises(MoneyError):
            parse_rate_percent(bad)


def test_money_refuses_floats_and_mixed_currencies() -> None:
    with pytest.raises(MoneyError, match="must be an int"):
        Money(4.5, "USD")  # type: ignore[arg-type]
    with pytest.raises(MoneyError, match="3-letter"):
        Money(1, "usd")
    with pytest.raises(CurrencyMismatch):
        _ = Money(1, "USD") + Money(1, "EUR")
    assert Money(150, "USD") + Money(50, "USD") == Money(200, "USD")
    assert str(Money(-1234, "USD")) == "-12.34 USD"
    assert Money.parse("3.10", "BRL") == Money(310, "BRL")
