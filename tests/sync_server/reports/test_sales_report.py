"""The owner's sales report against a known week of a bar's sales (tests/support/report_seed):
every figure exactly, with the bar's business day ending at 02:00 and, on the same sales, at
midnight (the sale at 00:30 moves to the next day, the one at 01:30 to this one)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine

from sync_server.config import Settings
from sync_server.db import app_engine, tenant_transaction
from sync_server.reports import service as reports
from sync_server.reports.schemas import GroupRow, SalesReport
from sync_server.tenants.schemas import Tenant
from tests.support.report_seed import BEER, COFFEE, MUFFIN, local, seed_week
from tests.support.sync_server_db import PgServer, create_database, drop_database
from tests.support.sync_server_tenants import create_tenant

pytestmark = pytest.mark.postgres

DAY = date(2026, 11, 20)
TZ = "America/New_York"


def report_of(app_db: Engine, shop: Tenant, ends: time, now: datetime) -> SalesReport:
    with tenant_transaction(app_db, shop.id) as conn:
        return reports.sales_report(conn, tenant_id=shop.id, timezone=shop.timezone,
                                    currency=shop.currency, day_ends_at=ends, now=now)  # fmt: skip


@pytest.fixture(scope="module")
def settings(pg_server: PgServer) -> Iterator[Settings]:
    """A database of its own: the known week is written straight into the tables, without the
    fee ledger a push writes, so it must never meet `fees verify` in the shared database."""
    name, built = create_database(pg_server)
    yield built
    drop_database(pg_server, name)


@pytest.fixture(scope="module")
def app_db(settings: Settings) -> Iterator[Engine]:
    engine = app_engine(settings)
    yield engine
    engine.dispose()


@pytest.fixture
def bar(settings: Settings) -> Tenant:
    return create_tenant(settings, currency="USD", timezone=TZ)


def test_every_figure_of_a_bar_whose_day_ends_at_two(
    settings: Settings, app_db: Engine, bar: Tenant
) -> None:
    seeded = seed_week(settings, bar, DAY, time(2))
    # At 01:00 on D+1 the bar's business day is still D.
    now = local(DAY + timedelta(days=1), time(1), ZoneInfo(TZ))
    report = report_of(app_db, bar, time(2), now)
    summary = report.summary
    assert summary.day == DAY
    assert summary.first_day == DAY - timedelta(days=29)

    today = summary.today
    assert today.sales == {"card": 2700, "cash": 800}  # O1 12.00 + O4 15.00; O2 at 00:30
    assert today.tips == {"card": 200, "cash": 0}
    assert today.refunds == {"card": -350}
    assert (today.net("cash"), today.net("card"), today.net_total) == (800, 2550, 3350)
    assert (today.discounts_minor, today.voided_minor, today.voided_orders) == (
        -100,
        500,
        1,
    )  # voids unsigned: no money moved
    assert (today.paid_orders, today.refund_count) == (3, 1)

    period = summary.last_30_days
    assert period.sales == {"card": 3600, "cash": 2800}  # + O5 (01:30 on D: D-1) and O6
    assert period.tips == {"card": 300, "cash": 0}
    assert period.net_total == 6350
    assert (period.paid_orders, period.discounts_minor) == (5, -100)

    assert report.payout_today.total == 2700 + 200 - 350 + 700 == 3250
    assert (report.payout_today.disputes_withdrawn, report.payout_today.disputes_returned) == (
        0, 700)  # fmt: skip
    assert (report.payout_period.disputes_withdrawn, report.payout_period.disputes_returned) == (
        -1600, 700)  # fmt: skip
    assert report.payout_period.total == 3600 + 300 - 350 - 1600 + 700 == 2650

    hours = {bar.label: (bar.orders, bar.amount) for bar in report.by_hour if bar.orders}
    assert hours == {"03:00": (1, 1200), "05:00": (1, 1500), "00:00": (1, 800)}
    assert len(report.by_hour) == 24
    assert report.by_hour[0].label == "02:00"
    days = {bar.day: (bar.orders, bar.amount) for bar in report.by_day if bar.orders}
    assert days == {DAY: (3, 3500), DAY - timedelta(days=1): (1, 900),
                    DAY - timedelta(days=10): (1, 2000)}  # fmt: skip
    assert len(report.by_day) == 30
    assert report.by_day[-1].day == DAY

    b = report.breakdowns
    assert b.products == [
        GroupRow("Beer", 2, 800, 7, 2800, BEER), GroupRow("Coffee", 2, 900, 4, 1800, COFFEE),
        GroupRow("Wine", 1, 1500, 1, 1500, None), GroupRow("Muffin", 1, 300, 1, 300, MUFFIN),
    ]  # fmt: skip
    assert b.registers == [GroupRow("Bar till", 2, 2300, 3, 4300, seeded.bar),
                           GroupRow("Front till", 1, 1200, 2, 2100, seeded.front)]  # fmt: skip
    assert b.staff == [GroupRow("Bruno", 1, 800, 2, 2800, seeded.bruno),
                       GroupRow("Ana", 1, 1200, 2, 2100, seeded.ana),
                       GroupRow(None, 1, 1500, 1, 1500, None)]  # fmt: skip


def test_the_same_sales_with_a_day_ending_at_midnight(
    settings: Settings, app_db: Engine, bar: Tenant
) -> None:
    seed_week(settings, bar, DAY, time(2))
    now = local(DAY, time(12), ZoneInfo(TZ))
    report = report_of(app_db, bar, time(0), now)
    assert report.summary.day == DAY
    # O5 at 01:30 is D's now, O2 at 00:30 of D+1 is tomorrow's.
    assert report.summary.today.sales == {"card": 3600, "cash": 0}
    assert report.summary.today.paid_orders == 3
    assert report.by_hour[0].label == "00:00"
    assert {bar.label: bar.amount for bar in report.by_hour if bar.orders} == {
        "01:00": 900, "03:00": 1200, "05:00": 1500}  # fmt: skip


def test_a_business_day_is_named_after_the_date_it_starts() -> None:
    tz = ZoneInfo(TZ)
    half_past_midnight = local(DAY + timedelta(days=1), time(0, 30), tz)
    assert reports.business_day(half_past_midnight, tz, time(2)) == DAY
    assert reports.business_day(half_past_midnight, tz, time(0)) == DAY + timedelta(days=1)
    assert reports.business_day(local(DAY, time(2), tz), tz, time(2)) == DAY
    one_to_two = datetime(2026, 11, 20, 6, 59, tzinfo=UTC)  # 01:59 in New York
    assert reports.business_day(one_to_two, tz, time(2)) == DAY - timedelta(days=1)
    assert reports.business_day(one_to_two + timedelta(minutes=1), tz, time(2)) == DAY


def test_a_day_when_the_clocks_go_back_has_25_hours(app_db: Engine, bar: Tenant) -> None:
    fall_back = date(2026, 11, 1)  # New York leaves daylight saving time at 02:00
    report = report_of(app_db, bar, time(0), local(fall_back, time(12), ZoneInfo(TZ)))
    assert len(report.by_hour) == 25
    assert [bar.label for bar in report.by_hour[:4]] == ["00:00", "01:00", "01:00", "02:00"]
