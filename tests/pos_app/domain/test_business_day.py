"""The shop's business day: local clock, daylight-saving changes, a day that ends after midnight."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from pos_app.domain.business_day import (
    business_date,
    business_day_utc,
    business_days_utc,
    check_day_end,
)
from pos_app.domain.errors import ValidationError


def test_days_follow_the_shop_clock_across_dst() -> None:
    since, until = business_days_utc(date(2025, 3, 9), date(2025, 3, 9), "America/New_York")
    assert since == datetime(2025, 3, 9, 5, tzinfo=UTC)
    assert until == datetime(2025, 3, 10, 4, tzinfo=UTC)  # a 23-hour day
    since, until = business_days_utc(date(2025, 1, 31), date(2025, 1, 1), "Asia/Kolkata")
    assert since == datetime(2024, 12, 31, 18, 30, tzinfo=UTC)
    assert until == datetime(2025, 1, 31, 18, 30, tzinfo=UTC)
    late_evening = datetime(2025, 7, 2, 3, 30, tzinfo=UTC)  # 23:30 on 1 July in New York
    assert business_day_utc(late_evening, "America/New_York")[0] == datetime(
        2025, 7, 1, 4, tzinfo=UTC
    )


def test_a_sale_just_after_midnight_belongs_to_the_new_day() -> None:
    # The orders #14 and #15: paid at 23:55 and at 00:00:55 the next day.
    zone = "America/Sao_Paulo"  # UTC-3
    assert business_date(datetime(2026, 12, 5, 2, 55, tzinfo=UTC), zone) == date(2026, 12, 4)
    assert business_date(datetime(2026, 12, 5, 3, 0, 55, tzinfo=UTC), zone) == date(2026, 12, 5)


def test_a_bar_open_past_midnight_keeps_its_night_on_one_day() -> None:
    four_am = 4 * 60
    zone = "Europe/Lisbon"  # UTC+0 in winter
    assert business_date(datetime(2026, 12, 5, 3, 59, tzinfo=UTC), zone, four_am) == date(
        2026, 12, 4
    )
    assert business_date(datetime(2026, 12, 5, 4, 0, tzinfo=UTC), zone, four_am) == date(
        2026, 12, 5
    )
    since, until = business_days_utc(date(2026, 12, 4), date(2026, 12, 4), zone, four_am)
    assert (since, until) == (
        datetime(2026, 12, 4, 4, tzinfo=UTC),
        datetime(2026, 12, 5, 4, tzinfo=UTC),
    )
    # The night the clocks go back (Lisbon, 26 October 2025, 02:00 → 01:00): a 25-hour day.
    since, until = business_days_utc(date(2025, 10, 25), date(2025, 10, 25), zone, four_am)
    assert until - since == timedelta(hours=25)


@pytest.mark.parametrize("minutes", [-1, 12 * 60, 24 * 60])
def test_a_day_end_outside_the_morning_is_refused(minutes: int) -> None:
    with pytest.raises(ValidationError):
        check_day_end(minutes)
