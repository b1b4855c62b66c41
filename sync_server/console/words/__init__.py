"""The console's words by page area: each module holds `WORDS = {"en_US": {...}, "pt_BR": {...}}`
and is listed in `AREAS` (the base words, shared by every page, are in `console.i18n`)."""

from __future__ import annotations

from sync_server.console.words import billing, operator, owner, reports

AREAS: tuple[dict[str, dict[str, str]], ...] = (
    reports.WORDS,
    owner.WORDS,
    operator.WORDS,
    billing.WORDS,
)
