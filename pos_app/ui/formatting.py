"""Money, dates and numbers on screen, formatted by the UI locale (en_US, pt_BR, ...).

Amounts stay integers all the way: the locale only supplies the separators, the symbol and
where the symbol goes, so no float is ever involved in showing a price.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QDateTime, QLocale, QTime

from pos_app.domain.money import currency_exponent, format_rate_percent, parse_rate_percent

_SYMBOLS = {"USD": "$", "BRL": "R$", "EUR": "€", "GBP": "£", "JPY": "¥", "CAD": "$", "AUD": "$"}


@dataclass(frozen=True)
class MoneyPattern:
    prefix: str
    suffix: str
    decimal_point: str
    group_separator: str
    negative_sign: str


@lru_cache(maxsize=32)
def _pattern(locale_name: str, currency: str) -> MoneyPattern:
    locale = QLocale(locale_name)
    symbol = _SYMBOLS.get(currency, currency)
    # Learn the symbol's place from the locale's own rendering of 1 (e.g. "$1.00", "R$ 1,00").
    sample = locale.toCurrencyString(1, symbol)
    start = sample.find("1")
    digits_end = start
    while digits_end < len(sample) and (
        sample[digits_end].isdigit() or sample[digits_end] in ".,\u00a0 "
    ):
        digits_end += 1
    prefix = sample[:start]
    suffix = sample[digits_end:] if digits_end < len(sample) else ""
    if suffix and not suffix.strip():
        suffix = ""
    return MoneyPattern(
        prefix=prefix,
        suffix=(" " + suffix.strip()) if suffix.strip() else "",
        decimal_point=locale.decimalPoint(),
        group_separator=locale.groupSeparator(),
        negative_sign=locale.negativeSign(),
    )


def group_digits(digits: str, separator: str) -> str:
    parts: list[str] = []
    while len(digits) > 3:
        parts.insert(0, digits[-3:])
        digits = digits[:-3]
    parts.insert(0, digits)
    return separator.join(parts)


def format_money(amount_minor: int, currency: str, locale_name: str = "en_US") -> str:
    pattern = _pattern(locale_name, currency)
    exponent = currency_exponent(currency)
    whole, fraction = divmod(abs(amount_minor), 10**exponent)
    text = group_digits(str(whole), pattern.group_separator)
    if exponent:
        text += pattern.decimal_point + f"{fraction:0{exponent}d}"
    sign = pattern.negative_sign if amount_minor < 0 else ""
    return f"{sign}{pattern.prefix}{text}{pattern.suffix}"


def parse_money(text: str, currency: str, locale_name: str = "en_US") -> int:
    """What a cashier typed ("12,50" in pt_BR, "12.50" or "1,234.5" in en_US) → minor units."""
    from pos_app.domain.money import parse_major

    pattern = _pattern(locale_name, currency)
    cleaned = text.strip()
    for token in (pattern.prefix.strip(), pattern.suffix.strip(), "\u00a0", " "):
        if token:
            cleaned = cleaned.replace(token, "")
    cleaned = cleaned.replace(pattern.group_separator, "") if pattern.group_separator else cleaned
    cleaned = cleaned.replace(pattern.decimal_point, ".")
    return parse_major(cleaned, currency)


def _qt_datetime(value: datetime, timezone: str) -> QDateTime:
    local = value.astimezone(ZoneInfo(timezone))
    return QDateTime(
        QDate(local.year, local.month, local.day),
        QTime(local.hour, local.minute, local.second),
    )


def format_datetime(value: datetime, timezone: str, locale_name: str = "en_US") -> str:
    qt_value = _qt_datetime(value, timezone)
    return str(QLocale(locale_name).toString(qt_value, QLocale.FormatType.ShortFormat))


def format_time(value: datetime, timezone: str, locale_name: str = "en_US") -> str:
    qt_value = _qt_datetime(value, timezone).time()
    return str(QLocale(locale_name).toString(qt_value, QLocale.FormatType.ShortFormat))


def format_hour(value: datetime, timezone: str, locale_name: str = "en_US") -> str:
    """The hour alone, as short as the locale allows on a chart axis: "1 PM" (en_US), "13h"
    (pt_BR). A full time ("1:00 PM") is elided to "1…" on a narrow bar."""
    locale = QLocale(locale_name)
    qt_value = _qt_datetime(value, timezone).time()
    twelve_hour = "A" in str(locale.timeFormat(QLocale.FormatType.ShortFormat)).upper()
    return str(locale.toString(qt_value, "h AP" if twelve_hour else "H'h'"))


def format_number(value: int, locale_name: str = "en_US") -> str:
    return str(QLocale(locale_name).toString(value))


def format_percent(rate_ppm: int, locale_name: str = "en_US") -> str:
    """A rate in parts per million as the locale writes it: 88_750 → "8.875" (en), "8,875" (pt)."""
    return format_rate_percent(rate_ppm).replace(".", QLocale(locale_name).decimalPoint())


def parse_percent(text: str, locale_name: str = "en_US") -> int:
    """What a manager typed as a percentage ("8.875", "8,875 %") → parts per million."""
    cleaned = text.strip().rstrip("%").strip()
    point = QLocale(locale_name).decimalPoint()
    if point != ".":
        cleaned = cleaned.replace(".", "").replace(point, ".")
    return parse_rate_percent(cleaned)
