"""Time: a sale or refund must lie between the shop's creation on the server (less a day) and a
few minutes after the server received it. A sale dated decades ahead used to be accepted
(billed then, never now), and a time whose month in the shop's time zone falls outside years
1–9999 was a 500 that stayed at the head of the register's outbox for ever."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, text

from sync_server.config import Settings
from sync_server.fees import service as fees
from tests.support.push_payloads import build_order, build_refund, change, push
from tests.support.sync_server_tenants import create_tenant, pair_device

pytestmark = pytest.mark.postgres

NOW = datetime.now(UTC)


def _order_at(moment: datetime | str, number: int = 1) -> tuple[Any, dict[str, Any]]:
    order_id, data = build_order(
        lines=[("A", "Coffee", 1, 1_000, 100_000)], paid_at=NOW, number=number
    )
    stamp = moment if isinstance(moment, str) else moment.isoformat()
    data["created_at"] = data["paid_at"] = stamp
    return order_id, data


def test_a_shop_ten_days_old_takes_last_weeks_sales_but_not_older_or_future_ones(
    http: httpx.Client, settings: Settings, admin_db: Engine
) -> None:
    tenant = create_tenant(settings, created_at=NOW - timedelta(days=10))
    device = pair_device(http, settings, tenant)
    cases = [
        (NOW - timedelta(days=7), None),  # a register offline for a week
        (NOW - timedelta(days=10, hours=12), None),  # set up the day before the shop
        (NOW + timedelta(minutes=2), None),  # a register clock a little fast
        (NOW - timedelta(days=11, hours=1), "data.created_at"),
        (NOW + timedelta(hours=1), "data.created_at"),
        (NOW + timedelta(days=365 * 30), "data.created_at"),  # billed in 2056, never now
    ]
    batch = [
        change(seq, "order", *_order_at(moment, seq)) for seq, (moment, _) in enumerate(cases, 1)
    ]
    response = push(http, device, batch)
    assert response.status_code == 200, response.text
    refused = {item["seq"]: item for item in response.json()["refused"]}
    for seq, (moment, field) in enumerate(cases, 1):
        if field is None:
            assert seq not in refused, (moment, refused.get(seq))
        else:
            assert (refused[seq]["code"], refused[seq]["field"]) == ("time_window", field), moment
    with admin_db.connect() as conn:
        stored = conn.execute(
            text("SELECT count(*) FROM orders WHERE tenant_id = :t"), {"t": tenant.id}
        ).scalar_one()
        assert stored == 3
        assert fees.verify(conn) == []


@pytest.mark.parametrize(
    "stamp",
    [
        "0001-01-01T00:00:00+14:00",  # year 0 in UTC
        "0001-01-01T00:30:00+23:59",
        "9999-12-31T23:59:59-23:59",  # year 10000 in UTC
        "9999-12-31T20:00:00-05:00",
        "0001-01-01T00:00:00Z",
    ],
)
def test_no_timestamp_is_a_500_or_wedges_the_queue(
    http: httpx.Client, settings: Settings, stamp: str
) -> None:
    tenant = create_tenant(settings, timezone="Pacific/Kiritimati")  # UTC+14
    device = pair_device(http, settings, tenant)
    order_id, order = _order_at(stamp)
    honest_id, honest = _order_at(NOW - timedelta(minutes=1), 2)
    refund_id, refund = build_refund(honest, created_at=NOW, order_id=honest_id)
    refund["created_at"] = stamp
    batch = [
        change(1, "order", order_id, order, occurred_at=None),
        change(2, "order", honest_id, honest),
        change(3, "refund", refund_id, refund),
    ]
    batch[0]["occurred_at"] = stamp
    response = push(http, device, batch)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["acknowledged_seq"] == 3  # the register moves past both
    assert {item["seq"]: item["code"] for item in body["refused"]} == {
        1: "time_window",
        3: "time_window",
    }
    statement = http.get("/v1/devices/me", headers=device.headers)
    assert statement.status_code == 200
