"""Amounts as people read and type them, in the shop's locale: the one formatter (screens,
receipts, the server's e-mails and SMS, the Stripe emulator's messages) and the one strict
parser (the pay screen, every dialog that takes an amount, the back office).

A small table, not Babel or QLocale. Measured for issue 19 over 10,000 amounts in each shipped
locale (en_US, pt_BR) and nine currencies: the table agrees with Babel's CLDR output on every
amount, except that Babel leaves out CLDR's no-break space between a letter symbol and the
digits in en_US (``CHF 0.50``, as ICU writes it); QLocale writes negatives its own way
(``($0.50)``, ``R$ -0,50``), knows only the symbol of the locale's own currency, and takes a
float. The table costs ~2 µs an amount, Babel ~17 µs, QLocale ~1.2 µs. The domain may not
import Qt, and the server has no Qt. Unknown locales fall back to their language's entry, then
to en_US.

The parser is strict on purpose: a separator is read only where the locale puts it. A grouping
separator that is not followed by exactly three digits ("12,50" in en_US, "10.00" in pt_BR) is
an error, never a multiplication by a hundred; so is a second decimal point, a stray letter, or
more decimals than the currency has. The error keeps the text exactly as typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from pos_app.domain.money import MoneyError, currency_exponent

NBSP: Final = "\u00a0"


@dataclass(frozen=True, slots=True)
class NumberStyle:
    """How a locale writes an amount (CLDR's standard currency pattern, reduced to what the
    register needs)."""

    decimal: str
    group: str
    symbols: dict[str, str]
    """Currency symbols as the locale writes them; a currency missing here shows its ISO code."""
    symbol_gap: str
    """Between the symbol and the digits ("" in en_US: "$6.10"; a no-break space in pt_BR)."""


STYLES: Final[dict[str, NumberStyle]] = {
    "en_US": NumberStyle(
        decimal=".",
        group=",",
        symbols={
            "USD": "$", "CAD": "CA$", "AUD": "A$", "NZD": "NZ$", "MXN": "MX$", "HKD": "HK$",
            "BRL": "R$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹", "KRW": "₩",
        },
        symbol_gap="",
    ),
    "pt_BR": NumberStyle(
        decimal=",",
        group=".",
        symbols={
            # How Brazilians write foreign money: dollars are "US$", reais "R$" (CLDR pt).
            "USD": "US$", "CAD": "CA$", "AUD": "AU$", "NZD": "NZ$", "MXN": "MX$",
            "HKD": "HK$", "BRL": "R$", "EUR": "€", "GBP": "£", "JPY": "JP¥", "INR": "₹",
            "KRW": "₩",
        },
        symbol_gap=NBSP,
    ),
}  # fmt: skip


def number_style(locale_name: str) -> NumberStyle:
    """The style of `locale_name` ("pt_BR", "pt-BR", "pt"), else en_US."""
    name = locale_name.replace("-", "_")
    if name in STYLES:
        return STYLES[name]
    language = name.split("_")[0]
    for known, style in STYLES.items():
        if known.split("_")[0] == language:
            return style
    return STYLES["en_US"]


def currency_symbol(currency: str, locale_name: str) -> str:
    return number_style(locale_name).symbols.get(currency, currency)


def group_digits(digits: str, separator: str) -> str:
    """``"1234567"`` -> ``"1,234,567"``."""
    head = len(digits) % 3 or 3
    groups = [digits[:head], *(digits[i : i + 3] for i in range(head, len(digits), 3))]
    return separator.join(groups)


def format_number_minor(
    amount_minor: int, currency: str, locale_name: str, *, exponent: int | None = None
) -> str:
    """The figure alone, with the locale's separators: 123456 USD -> ``"1,234.56"`` (en_US),
    ``"1.234,56"`` (pt_BR). For fields a person edits. `exponent` as in `format_money`."""
    style = number_style(locale_name)
    if exponent is None:
        exponent = currency_exponent(currency)
    whole, fraction = divmod(abs(amount_minor), 10**exponent)
    text = group_digits(str(whole), style.group)
    if exponent:
        text += f"{style.decimal}{fraction:0{exponent}d}"
    return f"-{text}" if amount_minor < 0 else text


def format_money(
    amount_minor: int, currency: str, locale_name: str = "en_US", *, exponent: int | None = None
) -> str:
    """An amount as the locale writes it: ``$1,239.17``, ``-$0.50`` (en_US); ``R$ 6,10``,
    ``US$ 6,10`` (pt_BR). Integers all the way: no float touches the figure.

    The one formatter of the register (screens, receipts), of the sync server's e-mails and SMS
    (`sync_server.kit.currency`) and of the Stripe emulator's messages. `exponent` (the
    currency's decimals) is for those two, which take currencies the register does not know
    (by their own rules: the server writes two decimals, the emulator follows Stripe's list of
    zero-decimal currencies); left out, the register's table decides and an unknown currency
    is a `MoneyError`."""
    style = number_style(locale_name)
    symbol = style.symbols.get(currency)
    gap = style.symbol_gap if symbol else NBSP
    figure = format_number_minor(abs(amount_minor), currency, locale_name, exponent=exponent)
    sign = "-" if amount_minor < 0 else ""
    return f"{sign}{symbol or currency}{gap}{figure}"


class AmountProblem(StrEnum):
    EMPTY = "empty"
    NOT_AN_AMOUNT = "not an amount"
    MISPLACED_SEPARATOR = "misplaced separator"
    TOO_MANY_DECIMALS = "too many decimals"
    NEGATIVE = "negative"
    TOO_LARGE = "too large"


MAX_AMOUNT_MINOR: Final = 10**13
"""Larger typed amounts are refused: no till sees them, and the database's integers end."""


class AmountTextError(MoneyError):
    """Text that is not an amount in the locale. `text` is exactly what was typed; `example`
    is how the locale writes a sample amount, for the message."""

    def __init__(
        self, text: str, problem: AmountProblem, *, currency: str, locale_name: str
    ) -> None:
        self.text = text
        self.problem = problem
        self.currency = currency
        self.decimals = currency_exponent(currency)
        self.example = format_number_minor(1250 * 10**self.decimals // 100, currency, locale_name)
        super().__init__(self.describe())

    def describe(self) -> str:
        """The English message (the UI has a translated one for each problem)."""
        quoted = repr(self.text)
        if self.problem is AmountProblem.EMPTY:
            return "type an amount"
        if self.problem is AmountProblem.MISPLACED_SEPARATOR:
            return f"{quoted} is not an amount: write it like {self.example}"
        if self.problem is AmountProblem.TOO_MANY_DECIMALS:
            return f"{quoted} has more than {self.decimals} decimal places for {self.currency}"
        if self.problem is AmountProblem.NEGATIVE:
            return f"{quoted} is below zero"
        if self.problem is AmountProblem.TOO_LARGE:
            return f"{quoted} is too large an amount"
        return f"{quoted} is not an amount (like {self.example})"


_SPACES = re.compile(r"[\s\u00a0\u202f]+")


def _strip_symbol(text: str, currency: str, style: NumberStyle) -> str:
    """The figure without the currency's symbol or ISO code, on either side."""
    symbol = style.symbols.get(currency, currency)
    # Longest first, so "US$" is taken whole rather than leaving "US" behind "$".
    markers = sorted({symbol, currency, symbol.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}, key=len)
    for marker in reversed(markers):
        if not marker:
            continue
        if text.startswith(marker):
            return text[len(marker) :].lstrip()
        if text.endswith(marker):
            return text[: -len(marker)].rstrip()
    return text


def parse_amount(
    text: str, currency: str, locale_name: str = "en_US", *, allow_negative: bool = False
) -> int:
    """What a person typed -> minor units, or `AmountTextError` quoting `text` as typed.

    Accepted: digits with the locale's decimal separator and at most the currency's decimals
    ("12.5", "12.50", ".5" in en_US; "12,5" in pt_BR), optionally grouped correctly ("1,234.50"
    / "1.234,50": every group after the first exactly three digits), optionally with the
    currency's symbol or code on either side, and spaces around. Everything
    `format_money` writes is accepted back.
    """
    style = number_style(locale_name)
    exponent = currency_exponent(currency)

    def refuse(problem: AmountProblem) -> AmountTextError:
        return AmountTextError(text, problem, currency=currency, locale_name=locale_name)

    body = _SPACES.sub(" ", text).strip()
    if not body:
        raise refuse(AmountProblem.EMPTY)
    negative = body.startswith("-")
    if negative:
        body = body[1:].lstrip()
    body = _strip_symbol(body, currency, style)
    if not negative and body.startswith("-"):  # "$-5" as well as "-$5"
        negative = True
        body = body[1:].lstrip()
    if not body:
        raise refuse(AmountProblem.NOT_AN_AMOUNT)
    if not re.fullmatch(r"[0-9.,]+", body):
        raise refuse(AmountProblem.NOT_AN_AMOUNT)
    whole, point, fraction = body.partition(style.decimal)
    if point and (style.decimal in fraction or style.group in fraction):
        raise refuse(AmountProblem.MISPLACED_SEPARATOR)
    if not whole and not fraction:
        raise refuse(AmountProblem.NOT_AN_AMOUNT)
    if style.group in whole:
        if not re.fullmatch(rf"[1-9][0-9]{{0,2}}(?:{re.escape(style.group)}[0-9]{{3}})+", whole):
            raise refuse(AmountProblem.MISPLACED_SEPARATOR)
        whole = whole.replace(style.group, "")
    if len(fraction) > exponent:
        raise refuse(AmountProblem.TOO_MANY_DECIMALS)
    if negative and not allow_negative:
        raise refuse(AmountProblem.NEGATIVE)
    minor: int = int(whole or "0") * 10**exponent + int(fraction.ljust(exponent, "0") or "0")
    if minor > MAX_AMOUNT_MINOR:
        raise refuse(AmountProblem.TOO_LARGE)
    return -minor if negative else minor
