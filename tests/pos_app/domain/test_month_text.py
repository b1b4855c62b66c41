"""The one month formatter (`pos_app.domain.month_text`): what the register, the e-mails, the
web console and the Stripe invoice lines write for a billing month."""

from __future__ import annotations

from datetime import date

import pytest

from pos_app.domain.month_text import day_text, month_text


@pytest.mark.parametrize(
    ("period", "locale", "capital", "expected"),
    [
        ("2026-03", "en_US", False, "March 2026"),
        ("2026-03", "pt_BR", False, "março de 2026"),
        ("2026-03", "pt_BR", True, "Março de 2026"),
        ("2026-12", "en_US", True, "December 2026"),
        ("2027-01", "pt_BR", False, "janeiro de 2027"),
        ("2026-03", "pt_PT", False, "março de 2026"),  # the language's entry
        ("2026-03", "fr_FR", False, "March 2026"),  # then English
    ],
)
def test_a_month_reads_as_people_write_it(
    period: str, locale: str, capital: bool, expected: str
) -> None:
    assert month_text(period, locale, capital=capital) == expected


@pytest.mark.parametrize("text", ["2026-13", "2026-3", "March", ""])
def test_anything_but_a_month_is_shown_as_it_is(text: str) -> None:
    assert month_text(text, "pt_BR") == text


def test_a_day_reads_as_the_console_writes_it() -> None:
    assert day_text(date(2026, 4, 19), "en_US") == "April 19, 2026"
    assert day_text(date(2026, 4, 8), "pt_BR") == "8 de abril de 2026"
    assert day_text(date(2026, 12, 1), "pt") == "1 de dezembro de 2026"
    assert day_text(date(2026, 1, 2), "fr_FR") == "January 2, 2026"
