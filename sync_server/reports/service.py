"""Owners' sales reports: today and the last 30 days, cash and card apart, with tips, refunds,
discounts and voids as their own rows; sales by hour and by day; by product, register and staff
member; card money as Stripe should pay it out. Run in a transaction scoped to the shop (the
console's owner request); the caller passes the shop.

A "day" is the shop's business day: it runs from the shop's day end time (`day_ends_at`,
midnight by default) to the same time the next day, in the shop's time zone, and is named after
the date it starts. A bar whose day ends at 02:00 counts a sale at 00:30 on December 5 on
December 4."""

from __future__ import annotations

import math
import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from sync_server.kit.periods import zone
from sync_server.reports import repository
from sync_server.reports.schemas import (
    Bar,
    Breakdowns,
    CardPayout,
    GroupRow,
    SalesReport,
    SalesSummary,
    TenderFigures,
)

PERIOD_DAYS = 30
TOP_PRODUCTS = 15
"""Products listed by name; the rest are summed on one "other products" row."""


def _shift(day_ends_at: time) -> timedelta:
    return timedelta(hours=day_ends_at.hour, minutes=day_ends_at.minute)


def _day_start(day: date, tz: ZoneInfo, day_ends_at: time) -> datetime:
    return datetime.combine(day, day_ends_at, tzinfo=tz).astimezone(UTC)


def business_day(moment: datetime, tz: ZoneInfo, day_ends_at: time = time(0)) -> date:
    """The business day `moment` falls in: the local date after taking the day end time off
    the wall clock."""
    local = moment.astimezone(tz).replace(tzinfo=None)
    return (local - _shift(day_ends_at)).date()


class _Bounds:
    def __init__(self, as_of: datetime, tz: ZoneInfo, day_ends_at: time) -> None:
        self.tz = tz
        self.day_ends_at = day_ends_at
        self.day = business_day(as_of, tz, day_ends_at)
        self.first_day = self.day - timedelta(days=PERIOD_DAYS - 1)
        self.since = _day_start(self.first_day, tz, day_ends_at)
        self.day_from = _day_start(self.day, tz, day_ends_at)
        self.until = _day_start(self.day + timedelta(days=1), tz, day_ends_at)

    def sql(self) -> dict[str, datetime]:
        return {"since": self.since, "day_from": self.day_from, "until": self.until}


def sales_summary(
    conn: Connection, *, tenant_id: uuid.UUID, timezone: str, now: datetime | None = None,
    day_ends_at: time = time(0),
) -> SalesSummary:  # fmt: skip
    """Today's and the last 30 days' money (today included), in the shop's time zone."""
    tz = zone(timezone)
    as_of = now or datetime.now(UTC)
    bounds = _Bounds(as_of, tz, day_ends_at)
    return _summary(conn, tenant_id, bounds, timezone, as_of, day_ends_at)


def _summary(
    conn: Connection, tenant_id: uuid.UUID, bounds: _Bounds, timezone: str, as_of: datetime,
    day_ends_at: time, refund_rows: list[repository.RefundKindSums] | None = None,
    order_counts: repository.OrderCounts | None = None,
) -> SalesSummary:  # fmt: skip
    window = bounds.sql()
    tenders = repository.tender_sums(conn, tenant_id, **window)
    orders = order_counts or repository.paid_order_counts(conn, tenant_id, **window)
    refunds = (
        repository.refund_kind_sums(conn, tenant_id, **window)
        if refund_rows is None
        else refund_rows
    )
    refund_counts = repository.refund_counts(conn, tenant_id, **window)
    voids = repository.void_sums(conn, tenant_id, **window)
    today = TenderFigures(
        sales={row.kind: row.day_sales for row in tenders},
        tips={row.kind: row.day_tips for row in tenders},
        refunds={row.kind: -(row.day_amount + row.day_tips) for row in refunds},
        paid_orders=orders.day_paid,
        refund_count=refund_counts.day_refunds,
        voided_orders=voids.day_count,
        voided_minor=voids.day_amount,
        discounts_minor=-orders.day_discounts,
    )
    period = TenderFigures(
        sales={row.kind: row.period_sales for row in tenders},
        tips={row.kind: row.period_tips for row in tenders},
        refunds={row.kind: -(row.period_amount + row.period_tips) for row in refunds},
        paid_orders=orders.period_paid,
        refund_count=refund_counts.period_refunds,
        voided_orders=voids.period_count,
        voided_minor=voids.period_amount,
        discounts_minor=-orders.period_discounts,
    )
    return SalesSummary(
        today=today, last_30_days=period, day=bounds.day, first_day=bounds.first_day,
        timezone=timezone, as_of=as_of, day_ends_at=day_ends_at,
    )  # fmt: skip


def sales_report(
    conn: Connection, *, tenant_id: uuid.UUID, timezone: str, currency: str,
    day_ends_at: time = time(0), now: datetime | None = None,
) -> SalesReport:  # fmt: skip
    """Everything on the owner's report page, for the business day holding `now` and the 30
    ending with it."""
    tz = zone(timezone)
    as_of = now or datetime.now(UTC)
    bounds = _Bounds(as_of, tz, day_ends_at)
    window = bounds.sql()
    refund_rows = repository.refund_kind_sums(conn, tenant_id, **window)
    days = [bounds.first_day + timedelta(days=offset) for offset in range(PERIOD_DAYS)]
    starts = [_day_start(day, tz, day_ends_at) for day in days]
    groups = repository.order_groups(
        conn, tenant_id, day_starts=[*starts, bounds.until], day_from=bounds.day_from
    )
    by_day = {row.day: row for row in groups if row.kind == "day"}
    today_row = by_day.get(PERIOD_DAYS)
    counts = repository.OrderCounts(
        day_paid=today_row.orders if today_row else 0,
        period_paid=sum(row.orders for row in by_day.values()),
        day_discounts=today_row.discounts if today_row else 0,
        period_discounts=sum(row.discounts for row in by_day.values()),
    )
    summary = _summary(conn, tenant_id, bounds, timezone, as_of, day_ends_at, refund_rows, counts)
    disputes = repository.dispute_sums(conn, tenant_id, currency, **window)
    refunds = {row.kind: row for row in refund_rows}
    card_refunds = refunds.get("card")
    payout_today = CardPayout(
        sales=summary.today.sales.get("card", 0),
        tips=summary.today.tips.get("card", 0),
        refunds=-(card_refunds.day_amount + card_refunds.day_tips) if card_refunds else 0,
        disputes_withdrawn=-disputes.day_withdrawn,
        disputes_returned=disputes.day_returned,
    )
    payout_period = CardPayout(
        sales=summary.last_30_days.sales.get("card", 0),
        tips=summary.last_30_days.tips.get("card", 0),
        refunds=-(card_refunds.period_amount + card_refunds.period_tips) if card_refunds else 0,
        disputes_withdrawn=-disputes.period_withdrawn,
        disputes_returned=disputes.period_returned,
    )
    return SalesReport(
        summary=summary,
        payout_today=payout_today,
        payout_period=payout_period,
        by_hour=_hours(conn, tenant_id, bounds, tz),
        by_day=[
            Bar(day.isoformat(), row.amount if row else 0, row.orders if row else 0, day)
            for number, day in enumerate(days, start=1)
            for row in (by_day.get(number),)
        ],
        breakdowns=_breakdowns(conn, tenant_id, window, groups),
    )


def _hours(conn: Connection, tenant_id: uuid.UUID, bounds: _Bounds, tz: ZoneInfo) -> list[Bar]:
    """One bar per hour of today's business day (23 or 25 when the clocks change)."""
    rows = {
        row.hour: row
        for row in repository.sales_by_hour(
            conn, tenant_id, day_from=bounds.day_from, until=bounds.until
        )
    }
    count = math.ceil((bounds.until - bounds.day_from).total_seconds() / 3600)
    bars = []
    for hour in range(count):
        starts = (bounds.day_from + timedelta(hours=hour)).astimezone(tz)
        row = rows.get(hour)
        bars.append(Bar(f"{starts:%H:%M}", row.amount if row else 0, row.orders if row else 0))
    return bars


def _breakdowns(
    conn: Connection, tenant_id: uuid.UUID, window: dict[str, datetime],
    groups: list[repository.OrderGroupSums],
) -> Breakdowns:  # fmt: skip
    products = [
        GroupRow(
            row.label,
            row.day_quantity,
            row.day_amount,
            row.period_quantity,
            row.period_amount,
            row.key,
        )
        for row in repository.sales_by_product(conn, tenant_id, **window)
    ]
    if len(products) > TOP_PRODUCTS:
        rest = products[TOP_PRODUCTS:]
        products = [
            *products[:TOP_PRODUCTS],
            GroupRow(
                None,
                sum(r.day_count for r in rest),
                sum(r.day_amount for r in rest),
                sum(r.period_count for r in rest),
                sum(r.period_amount for r in rest),
                others=True,
            ),
        ]
    return Breakdowns(
        products=products,
        registers=_folded(groups, "device"),
        staff=_folded(groups, "staff"),
    )


def _folded(groups: list[repository.OrderGroupSums], kind: str) -> list[GroupRow]:
    """One row per register (or staff member): today's orders and all the period's, the
    biggest first (then by name, "not recorded" last)."""
    folded: dict[uuid.UUID | None, GroupRow] = {}
    for row in groups:
        if row.kind != kind:
            continue
        seen = folded.get(row.key) or GroupRow(row.label, 0, 0, 0, 0, row.key)
        folded[row.key] = GroupRow(
            seen.label,
            seen.day_count + (row.orders if row.today else 0),
            seen.day_amount + (row.amount if row.today else 0),
            seen.period_count + row.orders,
            seen.period_amount + row.amount,
            row.key,
        )
    return sorted(
        folded.values(),
        key=lambda row: (-row.period_amount, row.label is None, row.label or ""),
    )
