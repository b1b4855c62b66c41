"""A moment is its time alone on the day it happened, its date and time on any other day: a
shift opened before midnight says, after midnight, which day it began on (issue 20)."""

from __future__ import annotations

from datetime import UTC, datetime

from pos_app.ui.formatting import format_datetime, format_moment, format_time

ZONE = "America/New_York"  # UTC-5 in December


def test_a_moment_of_today_is_its_time_and_of_another_day_its_date_too() -> None:
    opened = datetime(2026, 12, 5, 4, 30, tzinfo=UTC)  # 11:30 PM on Dec 4 in New York
    before_midnight = datetime(2026, 12, 5, 4, 50, tzinfo=UTC)  # 11:50 PM, Dec 4
    after_midnight = datetime(2026, 12, 5, 5, 10, tzinfo=UTC)  # 12:10 AM, Dec 5
    assert format_moment(opened, ZONE, "en_US", now=before_midnight) == format_time(
        opened, ZONE, "en_US"
    )
    later = format_moment(opened, ZONE, "en_US", now=after_midnight)
    assert later == format_datetime(opened, ZONE, "en_US")
    assert "12/4/26" in later
    assert "11:30" in later
    # The same in pt_BR, with its own date order.
    assert "04/12/2026" in format_moment(opened, ZONE, "pt_BR", now=after_midnight)
