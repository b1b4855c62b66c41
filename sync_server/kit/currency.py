"""Money as text, for customers (receipts and messages). Amounts stay integers until here."""

from __future__ import annotations

CURRENCY_EXPONENTS = {
    "USD": 2, "EUR": 2, "GBP": 2, "BRL": 2, "CAD": 2, "AUD": 2, "NZD": 2, "CHF": 2,
    "MXN": 2, "SEK": 2, "NOK": 2, "DKK": 2, "PLN": 2, "CZK": 2, "SGD": 2, "HKD": 2,
    "ZAR": 2, "INR": 2, "JPY": 0, "KRW": 0, "CLP": 0, "ISK": 0, "KWD": 3, "BHD": 3,
}  # fmt: skip
"""The same table as the register's `pos_app.domain.money` (the server does not import it)."""

_SYMBOLS = {
    "USD": "$", "EUR": "€", "GBP": "£", "BRL": "R$", "CAD": "CA$", "AUD": "A$", "NZD": "NZ$",
    "MXN": "MX$", "JPY": "¥", "INR": "₹", "KRW": "₩",
}  # fmt: skip


def format_money(amount_minor: int, currency: str, locale: str = "en_US") -> str:
    """`1234567` USD → ``$12,345.67`` (en_US) or ``$ 12.345,67`` (pt_BR)."""
    exponent = CURRENCY_EXPONENTS.get(currency, 2)
    sign = "-" if amount_minor < 0 else ""
    major, minor = divmod(abs(amount_minor), 10**exponent)
    symbol = _SYMBOLS.get(currency, currency + " ")
    if locale == "pt_BR":
        grouped = f"{major:,}".replace(",", ".")
        fraction = f",{minor:0{exponent}d}" if exponent else ""
        return f"{sign}{symbol.strip()} {grouped}{fraction}"
    grouped = f"{major:,}"
    fraction = f".{minor:0{exponent}d}" if exponent else ""
    return f"{sign}{symbol}{grouped}{fraction}"
