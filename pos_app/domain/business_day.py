"""The shop's business day: which day a sale, a void or a refund belongs to.

A business day starts when the previous one ends, at the shop's local time `day_ends_minutes`
after midnight (0 for a café, 240 for a bar open until four: a drink sold at 03:59 belongs to
the day before). The arithmetic is on the local wall clock, so a day across a daylight-saving
change is still exactly that day (23 or 25 hours where the clocks moved).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pos_app.domain.errors import ValidationError

MAX_DAY_END_MINUTES = 12 * 60
"""A business day may run on until noon; later would put a whole afternoon on the day before."""


def check_day_end(day_ends_minutes: int) -> int:
    if not 0 <= day_ends_minutes < MAX_DAY_END_MINUTES:
        raise ValidationError("the business day must end between 00:00 and 11:59")
    return day_ends_minutes


def _day_start(day: date, zone: ZoneInfo, day_ends_minutes: int) -> datetime:
    hours, minutes = divmod(day_ends_minutes, 60)
    return datetime.combine(day, time(hours, minutes), zone).astimezone(UTC)


def business_date(moment: datetime, timezone: str, day_ends_minutes: int = 0) -> date:
    """The business day `moment` (timezone-aware) belongs to."""
    local = moment.astimezone(ZoneInfo(timezone)).replace(tzinfo=None)
    return (local - timedelta(minutes=day_ends_minutes)).date()


def business_days_utc(
    first: date, last: date, timezone: str, day_ends_minutes: int = 0
) -> tuple[datetime, datetime]:
    """Business days `first` to `last` (inclusive) as a UTC ``[since, until)`` range."""
    if last < first:
        first, last = last, first
    zone = ZoneInfo(timezone)
    return (
        _day_start(first, zone, day_ends_minutes),
        _day_start(last + timedelta(days=1), zone, day_ends_minutes),
    )


def business_day_utc(
    moment: datetime, timezone: str, day_ends_minutes: int = 0
) -> tuple[datetime, datetime]:
    """The UTC ``[since, until)`` of the business day `moment` falls in."""
    day = business_date(moment, timezone, day_ends_minutes)
    return business_days_utc(day, day, timezone, day_ends_minutes)
