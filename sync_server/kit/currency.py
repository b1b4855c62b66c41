"""Money as text, for customers (e-mails and SMS): the register's one formatter
(`pos_app.domain.money_text`), so an e-mailed receipt writes an amount exactly as the counter's
screen and its paper do (``R$ 12.345,67`` in pt_BR, with a no-break space). Amounts stay
integers until here."""

from __future__ import annotations

from pos_app.domain import money_text
from pos_app.domain.money import CURRENCY_EXPONENTS


def format_money(amount_minor: int, currency: str, locale: str = "en_US") -> str:
    """`1234567` USD → ``$12,345.67`` (en_US) or ``US$ 12.345,67`` (pt_BR). A currency the
    register does not know (the server takes any ISO code) is written by its code, with two
    decimals."""
    exponent = CURRENCY_EXPONENTS.get(currency, 2)
    return money_text.format_money(amount_minor, currency, locale, exponent=exponent)


def decimal_text(amount_minor: int, currency: str) -> str:
    """An amount as a plain decimal for machines (CSV): `-1234` EUR → ``-12.34``, `1234` JPY →
    ``1234``, `1234` KWD → ``1.234``; the currency's decimals by the same table as
    `format_money`, a point, no grouping, no symbol."""
    exponent = CURRENCY_EXPONENTS.get(currency, 2)
    sign = "-" if amount_minor < 0 else ""
    digits = str(abs(amount_minor))
    if exponent == 0:
        return sign + digits
    digits = digits.rjust(exponent + 1, "0")
    return f"{sign}{digits[:-exponent]}.{digits[-exponent:]}"
