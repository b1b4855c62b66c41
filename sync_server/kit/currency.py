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
