"""A billing month (`2026-03`) as people read it, in the shop's language: "March 2026",
"março de 2026". The one formatter for every place an owner sees a month: the register's fee
invoices and counter reminder, the server's e-mails about fee invoices, the web console's pages
and statement files, the fee lines on the platform's Stripe invoices.

A small table, like `money_text` (the domain imports no Qt, and the server has none). Unknown
locales fall back to their language's entry, then to en_US."""

from __future__ import annotations

import re
from datetime import date
from typing import Final

MONTH_NAMES: Final[dict[str, tuple[str, ...]]] = {
    "en_US": (
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December",
    ),
    "pt_BR": (
        "janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro",
        "outubro", "novembro", "dezembro",
    ),
}  # fmt: skip
"""Month names as written inside a sentence (Portuguese writes them in lower case)."""

_PATTERNS: Final[dict[str, str]] = {"en_US": "{month} {year}", "pt_BR": "{month} de {year}"}
_PERIOD: Final = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def _locale(locale: str) -> str:
    if locale in MONTH_NAMES:
        return locale
    language = locale.split("_")[0].split("-")[0]
    return next((name for name in MONTH_NAMES if name.startswith(language + "_")), "en_US")


def month_text(period: str, locale: str = "en_US", *, capital: bool = False) -> str:
    """`2026-03` → "March 2026" (en_US), "março de 2026" (pt_BR); `capital` starts it with a
    capital letter, for the start of a line or a table cell ("Março de 2026"). Anything that is
    not a `YYYY-MM` month comes back as it is (never an error where a month is only shown)."""
    found = _PERIOD.match(period)
    if found is None:
        return period
    name = _locale(locale)
    text = _PATTERNS[name].format(
        month=MONTH_NAMES[name][int(found.group(2)) - 1], year=found.group(1)
    )
    return text[:1].upper() + text[1:] if capital else text


_DAY_PATTERNS: Final[dict[str, str]] = {
    "en_US": "{month} {day}, {year}",
    "pt_BR": "{day} de {month} de {year}",
}


def day_text(day: date, locale: str = "en_US") -> str:
    """A calendar day as the owner reads it in a sentence, with the month's name as the web
    console writes it (its long date, without the weekday): "April 19, 2026" (en_US), "19 de
    abril de 2026" (pt_BR)."""
    name = _locale(locale)
    return _DAY_PATTERNS[name].format(
        month=MONTH_NAMES[name][day.month - 1], day=day.day, year=day.year
    )
