"""Money, dates and numbers on screen, formatted by the UI locale (en_US, pt_BR, ...).

Amounts are formatted and parsed by `pos_app.domain.money_text` (the same rules print the
receipts); dates and plain numbers by QLocale.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QLocale, QTime

from pos_app.domain import money_text
from pos_app.domain.clock import utcnow
from pos_app.domain.money import MoneyError, format_rate_percent, parse_rate_percent
from pos_app.domain.money_text import AmountProblem, AmountTextError


def format_money(amount_minor: int, currency: str, locale_name: str = "en_US") -> str:
    """The one money formatter (`pos_app.domain.money_text`), the same the receipts use."""
    return money_text.format_money(amount_minor, currency, locale_name)


def format_amount_field(amount_minor: int, currency: str, locale_name: str = "en_US") -> str:
    """The figure alone, for a field the cashier may edit ("10.83", "6,10")."""
    return money_text.format_number_minor(amount_minor, currency, locale_name)


def parse_money(text: str, currency: str, locale_name: str = "en_US") -> int:
    """What a person typed -> minor units, by the one strict parser: "12,50" in en_US is an
    error (never 1250.00), "10.00" in pt_BR too (never 1000,00)."""
    return money_text.parse_amount(text, currency, locale_name)


def translate_message(text: str) -> str:
    """A fixed message from the domain, translated when the catalog has them, written as a
    sentence for the person reading it: capital first letter (the domain's English keys stay
    lowercase, as logs, the CLI, the server and the tests know them)."""
    return sentence(translate_fragment(text))


def translate_fragment(text: str) -> str:
    """A domain message translated but left as it is, for the middle of a sentence
    ("Row 3, column price: is empty")."""
    return QCoreApplication.translate("messages", text)


def sentence(text: str) -> str:
    """`text` with a capital first letter (nothing else changed)."""
    return text[:1].upper() + text[1:]


def describe_amount_error(error: MoneyError) -> str:
    """The translated message for text that is not an amount, quoting it as typed."""
    if not isinstance(error, AmountTextError):
        return translate_message(str(error))
    if error.problem is AmountProblem.EMPTY:
        return QCoreApplication.translate("Amounts", "Type an amount.")
    if error.problem is AmountProblem.MISPLACED_SEPARATOR:
        return QCoreApplication.translate(
            "Amounts", "“{text}” is not an amount here: write it like {example}."
        ).format(text=error.text, example=error.example)
    if error.problem is AmountProblem.TOO_MANY_DECIMALS:
        return QCoreApplication.translate(
            "Amounts", "“{text}” has more than {count} decimal places."
        ).format(text=error.text, count=error.decimals)
    if error.problem is AmountProblem.TOO_LARGE:
        return QCoreApplication.translate("Amounts", "“{text}” is too large an amount.").format(
            text=error.text
        )
    if error.problem is AmountProblem.NEGATIVE:
        return QCoreApplication.translate(
            "Amounts", "“{text}” is below zero: type the amount without a sign."
        ).format(text=error.text)
    return QCoreApplication.translate(
        "Amounts", "“{text}” is not an amount (like {example})."
    ).format(text=error.text, example=error.example)


def _qt_datetime(value: datetime, timezone: str) -> QDateTime:
    local = value.astimezone(ZoneInfo(timezone))
    return QDateTime(
        QDate(local.year, local.month, local.day),
        QTime(local.hour, local.minute, local.second),
    )


def format_datetime(value: datetime, timezone: str, locale_name: str = "en_US") -> str:
    qt_value = _qt_datetime(value, timezone)
    return str(QLocale(locale_name).toString(qt_value, QLocale.FormatType.ShortFormat))


def format_date(value: datetime, timezone: str, locale_name: str = "en_US") -> str:
    """The day alone, on the shop's calendar: "12/19/26" (en_US), "19/12/2026" (pt_BR)."""
    qt_value = _qt_datetime(value, timezone).date()
    return str(QLocale(locale_name).toString(qt_value, QLocale.FormatType.ShortFormat))


def format_time(value: datetime, timezone: str, locale_name: str = "en_US") -> str:
    qt_value = _qt_datetime(value, timezone).time()
    return str(QLocale(locale_name).toString(qt_value, QLocale.FormatType.ShortFormat))


def format_moment(
    value: datetime, timezone: str, locale_name: str = "en_US", now: datetime | None = None
) -> str:
    """The time alone when `value` is today in the shop's zone, else its date and time (a
    shift opened before midnight says which day it began on)."""
    zone = ZoneInfo(timezone)
    today = (now or utcnow()).astimezone(zone).date()
    if value.astimezone(zone).date() == today:
        return format_time(value, timezone, locale_name)
    return format_datetime(value, timezone, locale_name)


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
    return format_rate_percent(rate_ppm).replace(".", money_text.number_style(locale_name).decimal)


def parse_percent(text: str, locale_name: str = "en_US") -> int:
    """What a manager typed as a percentage ("8.875" in en_US, "8,875 %" in pt_BR) → parts per
    million. Strict like amounts: the other locale's decimal separator is refused, not dropped
    (pt_BR "1.5" used to be read as 15 %).
    The errors are written for the person at the counter, in their language, with an example
    in their locale (the domain's own messages are English, for logs and the CLI)."""
    cleaned = text.strip().rstrip("%").strip()
    point = money_text.number_style(locale_name).decimal
    other = "," if point == "." else "."
    typed = text.strip()
    if not cleaned:
        raise MoneyError(QCoreApplication.translate("Amounts", "Type a percentage."))
    normalized = cleaned.replace(point, ".")
    if other in cleaned or not re.fullmatch(r"\d+(\.\d*)?|\.\d+", normalized):
        raise MoneyError(
            QCoreApplication.translate(
                "Amounts", "“{text}” is not a percentage (like {example})."
            ).format(text=typed, example=format_percent(88_750, locale_name))
        )
    if Decimal(normalized) > 100:
        raise MoneyError(
            QCoreApplication.translate("Amounts", "“{text}” is more than 100 %.").format(text=typed)
        )
    try:
        return parse_rate_percent(normalized)
    except MoneyError:
        raise MoneyError(  # the one problem left: too many decimals
            QCoreApplication.translate(
                "Amounts", "“{text}” has more than {count} decimal places."
            ).format(text=typed, count=4)
        ) from None
