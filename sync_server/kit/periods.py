"""Billing months ("YYYY-MM") in a tenant's time zone."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_PERIOD_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class PeriodError(ValueError):
    """A period or time zone that cannot be used."""


@lru_cache(maxsize=1024)
def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise PeriodError(
            f"unknown time zone {name!r} (use an IANA name like Europe/Paris)"
        ) from None


def check_period(period: str) -> str:
    if not _PERIOD_RE.match(period):
        raise PeriodError(f"period must look like 2026-03, got {period!r}")
    return period


def period_of(moment: datetime, timezone: str) -> str:
    """The billing month `moment` falls in, seen on the tenant's wall clock."""
    if moment.tzinfo is None:
        raise PeriodError("naive datetime: timestamps must carry an offset")
    local = moment.astimezone(zone(timezone))
    return f"{local.year:04d}-{local.month:02d}"


def next_period(period: str) -> str:
    year, month = (int(part) for part in check_period(period).split("-"))
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return f"{year:04d}-{month:02d}"


def previous_period(period: str) -> str:
    year, month = (int(part) for part in check_period(period).split("-"))
    year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return f"{year:04d}-{month:02d}"


def period_end(period: str, timezone: str) -> datetime:
    """The moment `period` ends on the wall clock of `timezone` (midnight starting the next)."""
    start = first_day(next_period(period))
    return datetime(start.year, start.month, start.day, tzinfo=zone(timezone)).astimezone(UTC)


def first_day(period: str) -> date:
    year, month = (int(part) for part in check_period(period).split("-"))
    return date(year, month, 1)


def billing_period(natural: str, last_closed: str | None) -> str:
    """Where an event of month `natural` is billed: its own month, or the first open one.

    Closed months form a prefix of the calendar (closing a month closes every month before
    it), so "the next open month" is simply the month after the last closed one.
    """
    if last_closed is None or natural > last_closed:
        return natural
    return next_period(last_closed)


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)
