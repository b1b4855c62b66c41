"""Owners' sales reports: today and the last 30 days, cash and card apart, with tips, refunds
and voids as their own rows. Run in a transaction scoped to the shop (the console's owner
request); the caller passes the shop's id and time zone.

A "day" is the shop's calendar day in its time zone, midnight to midnight. The issue asks for
a business day that ends when the shop says (a bar open past midnight): that setting does not
exist yet, and when it does it moves `_day_start` only."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from sync_server.kit.periods import zone
from sync_server.reports import repository
from sync_server.reports.schemas import SalesSummary, TenderFigures

PERIOD_DAYS = 30


def _day_start(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


def sales_summary(
    conn: Connection, *, tenant_id: uuid.UUID, timezone: str, now: datetime | None = None
) -> SalesSummary:
    """Today's and the last 30 days' money (today included), in the shop's time zone."""
    tz = zone(timezone)
    as_of = now or datetime.now(UTC)
    day = as_of.astimezone(tz).date()
    first_day = day - timedelta(days=PERIOD_DAYS - 1)
    bounds = {
        "since": _day_start(first_day, tz),
        "day_from": _day_start(day, tz),
        "until": _day_start(day + timedelta(days=1), tz),
    }
    tenders = repository.tender_sums(conn, tenant_id, **bounds)
    orders = repository.paid_order_counts(conn, tenant_id, **bounds)
    refunds = repository.refund_sums(conn, tenant_id, **bounds)
    refund_counts = repository.refund_counts(conn, tenant_id, **bounds)
    voids = repository.void_sums(conn, tenant_id, **bounds)
    today = TenderFigures(
        sales={row.kind: row.day_sales for row in tenders},
        tips={row.kind: row.day_tips for row in tenders},
        refunds={row.kind: -row.day_amount for row in refunds},
        paid_orders=orders.day_paid,
        refund_count=refund_counts.day_refunds,
        voided_orders=voids.day_count,
        voided_minor=-voids.day_amount,
    )
    period = TenderFigures(
        sales={row.kind: row.period_sales for row in tenders},
        tips={row.kind: row.period_tips for row in tenders},
        refunds={row.kind: -row.period_amount for row in refunds},
        paid_orders=orders.period_paid,
        refund_count=refund_counts.period_refunds,
        voided_orders=voids.period_count,
        voided_minor=-voids.period_amount,
    )
    return SalesSummary(
        today=today, last_30_days=period, day=day, first_day=first_day,
        timezone=timezone, as_of=as_of,
    )  # fmt: skip
