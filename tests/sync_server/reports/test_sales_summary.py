"""The owner's sales summary against pushed sales: a day is the shop's calendar day in its
time zone, and the 30 days end with it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import Engine

from sync_server.db import tenant_transaction
from sync_server.reports import service as reports
from sync_server.tenants.schemas import Tenant
from tests.support.push_payloads import build_order, change, push
from tests.support.sync_server_tenants import Device

pytestmark = pytest.mark.postgres


def test_today_is_the_shops_calendar_day_and_the_period_its_last_30(
    http: httpx.Client, app_db: Engine, tenant: Tenant, device: Device
) -> None:
    now = datetime.now(UTC)
    sold = now - timedelta(seconds=1)
    order_id, order = build_order(lines=[("C1", "Coffee", 2, 450, 0)], paid_at=sold, tip_minor=100)
    assert push(http, device, [change(1, "order", order_id, order)]).status_code == 200

    with tenant_transaction(app_db, tenant.id) as conn:
        summary = reports.sales_summary(conn, tenant_id=tenant.id, timezone=tenant.timezone,
                                        now=now)  # fmt: skip
        tomorrow = reports.sales_summary(conn, tenant_id=tenant.id, timezone=tenant.timezone,
                                         now=now + timedelta(days=1))  # fmt: skip
        month_later = reports.sales_summary(conn, tenant_id=tenant.id, timezone="UTC",
                                            now=now + timedelta(days=31))  # fmt: skip

    assert summary.day == now.astimezone(ZoneInfo(tenant.timezone)).date()
    assert summary.first_day == summary.day - timedelta(days=29)
    assert summary.today.sales == {"card": 900}
    assert summary.today.tips == {"card": 100}
    assert summary.today.net_total == 1000
    assert summary.today.paid_orders == 1
    assert summary.last_30_days.net_total == 1000
    assert tomorrow.today.net_total == 0  # yesterday's sale, in the shop's time zone
    assert tomorrow.last_30_days.net_total == 1000
    assert month_later.last_30_days.net_total == 0
    assert month_later.last_30_days.paid_orders == 0
