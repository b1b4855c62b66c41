"""The one month formatter (`pos_app.domain.month_text`): what the register, the e-mails, the
web console and the Stripe invoice lines write for a billing month."""

from __future__ import annotations

import pytest

from pos_app.domain.month_text import month_text


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
