"""The one money formatter and the one strict parser of typed amounts, in en_US and pt_BR.

The property: whatever the parser accepts round-trips through the formatter (the figure it
read is the figure the text spells, separators where the locale puts them), everything the
formatter writes is accepted back, and every other text is refused, quoting it as typed.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pos_app.domain.money import currency_exponent
from pos_app.domain.money_text import (
    NBSP,
    AmountProblem,
    AmountTextError,
    format_money,
    format_number_minor,
    number_style,
    parse_amount,
)

LOCALES = ("en_US", "pt_BR")
CURRENCIES = ("USD", "BRL", "EUR", "JPY", "KWD", "CHF")

amounts = st.integers(min_value=0, max_value=10**12)
locales = st.sampled_from(LOCALES)
currencies = st.sampled_from(CURRENCIES)
# What a hurried person can type: digits, both separators, spaces, a sign, symbols, a typo.
typed = st.one_of(
    st.text(alphabet="0123456789.,,..  -$R€US", max_size=14),
    st.lists(
        st.one_of(
            st.text(alphabet="0123456789", min_size=1, max_size=4),
            st.sampled_from([".", ",", " ", "$", "R$", "US$", "-", "x"]),
        ),
        max_size=7,
    ).map("".join),
)


@pytest.mark.parametrize(
    ("locale_name", "text", "expected"),
    [
        ("en_US", "12.50", 1250),
        ("en_US", "12.5", 1250),
        ("en_US", "12", 1200),
        ("en_US", ".5", 50),
        ("en_US", "1,250", 125_000),
        ("en_US", "1,234,567.89", 123_456_789),
        ("en_US", "$1,239.17", 123_917),
        ("en_US", " $ 10.83 ", 1083),
        ("pt_BR", "10,00", 1000),
        ("pt_BR", "6,1", 610),
        ("pt_BR", "1.234,56", 123_456),
        ("pt_BR", "US$ 6,10", 610),
        ("pt_BR", f"US${NBSP}1.239,17", 123_917),
    ],
)
def test_amounts_are_read_as_typed(locale_name: str, text: str, expected: int) -> None:
    assert parse_amount(text, "USD", locale_name) == expected


@pytest.mark.parametrize(
    ("locale_name", "text", "problem"),
    [
        # The cases: the other locale's decimal separator is never a thousands one.
        ("en_US", "12,50", AmountProblem.MISPLACED_SEPARATOR),
        ("en_US", "4,10", AmountProblem.MISPLACED_SEPARATOR),
        ("pt_BR", "10.00", AmountProblem.MISPLACED_SEPARATOR),
        ("pt_BR", "12.5", AmountProblem.MISPLACED_SEPARATOR),
        ("en_US", "1,23,456", AmountProblem.MISPLACED_SEPARATOR),
        ("en_US", "1.2.3", AmountProblem.MISPLACED_SEPARATOR),
        ("en_US", "12,5x", AmountProblem.NOT_AN_AMOUNT),
        ("en_US", "1.234", AmountProblem.TOO_MANY_DECIMALS),
        ("en_US", "", AmountProblem.EMPTY),
        ("en_US", "   ", AmountProblem.EMPTY),
        ("en_US", "$", AmountProblem.NOT_AN_AMOUNT),
        ("en_US", ".", AmountProblem.NOT_AN_AMOUNT),
        ("en_US", "-5", AmountProblem.NEGATIVE),
        ("pt_BR", "R$ 5,00", AmountProblem.NOT_AN_AMOUNT),  # reais typed on a dollar shop
        ("en_US", "1 234.50", AmountProblem.NOT_AN_AMOUNT),
        ("en_US", "99999999999999999999", AmountProblem.TOO_LARGE),
    ],
)
def test_misread_amounts_are_refused_quoting_the_input(
    locale_name: str, text: str, problem: AmountProblem
) -> None:
    with pytest.raises(AmountTextError) as refused:
        parse_amount(text, "USD", locale_name)
    assert refused.value.problem is problem
    assert refused.value.text == text  # as typed, never altered ('12,5x', not '125x')
    if problem is not AmountProblem.EMPTY:
        assert repr(text) in str(refused.value)


def test_the_formatter_writes_each_locale_as_its_people_do() -> None:
    assert format_money(123_917, "USD", "en_US") == "$1,239.17"
    assert format_money(-50, "USD", "en_US") == "-$0.50"
    assert format_money(610, "USD", "pt_BR") == f"US${NBSP}6,10"
    assert format_money(610, "BRL", "pt_BR") == f"R${NBSP}6,10"
    assert format_money(123_456_789, "BRL", "pt_BR") == f"R${NBSP}1.234.567,89"
    assert format_money(1500, "JPY", "en_US") == "¥1,500"
    assert format_money(450, "CHF", "en_US") == f"CHF{NBSP}4.50"
    assert format_money(610, "USD", "pt-BR") == format_money(610, "USD", "pt_BR")


@settings(max_examples=400)
@given(amount=amounts, currency=currencies, locale_name=locales)
def test_everything_the_formatter_writes_is_read_back(
    amount: int, currency: str, locale_name: str
) -> None:
    assert parse_amount(format_money(amount, currency, locale_name), currency, locale_name) == (
        amount
    )
    field = format_number_minor(amount, currency, locale_name)
    assert parse_amount(field, currency, locale_name) == amount
    ungrouped = field.replace(number_style(locale_name).group, "")
    assert parse_amount(ungrouped, currency, locale_name) == amount
    negative = format_money(-amount, currency, locale_name)
    assert parse_amount(negative, currency, locale_name, allow_negative=True) == -amount


def _read(text: str, currency: str, locale_name: str) -> int | AmountTextError:
    try:
        return parse_amount(text, currency, locale_name)
    except AmountTextError as refused:
        return refused


def _spelled_figure(text: str, currency: str, locale_name: str) -> tuple[int, str]:
    """The whole and fraction digits the text spells, read by hand: the symbol, spaces, sign
    and grouping dropped, split at the locale's decimal separator."""
    style = number_style(locale_name)
    body = re.sub(r"[^0-9.,]", "", text)
    whole, _, fraction = body.partition(style.decimal)
    return int(whole.replace(style.group, "") or "0"), fraction


@settings(max_examples=2000)
@given(text=typed, currency=st.sampled_from(("USD", "BRL", "JPY")), locale_name=locales)
@example(text="12,50", currency="USD", locale_name="en_US")
@example(text="10.00", currency="USD", locale_name="pt_BR")
@example(text="1,250", currency="USD", locale_name="en_US")
@example(text="0,123", currency="USD", locale_name="en_US")
def test_what_is_accepted_round_trips_and_the_rest_is_refused(
    text: str, currency: str, locale_name: str
) -> None:
    style = number_style(locale_name)
    minor = _read(text, currency, locale_name)
    if isinstance(minor, AmountTextError):
        assert minor.text == text
        return
    exponent = currency_exponent(currency)
    whole, fraction = _spelled_figure(text, currency, locale_name)
    # The value is exactly the figure spelt, never scaled by a misread separator...
    assert minor == whole * 10**exponent + int(fraction.ljust(exponent, "0") or "0")
    # ...every group separator stands where the formatter would put one...
    body = re.sub(r"[^0-9.,]", "", text).partition(style.decimal)[0]
    if style.group in body:
        assert body == format_number_minor(whole * 10**exponent, currency, locale_name).partition(
            style.decimal
        )[0].lstrip("-")
    # ...and the formatter's rendering of it reads back the same.
    assert parse_amount(format_money(minor, currency, locale_name), currency, locale_name) == minor
