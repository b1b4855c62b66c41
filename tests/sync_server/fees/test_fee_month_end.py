"""Month end and fee schedules an operator can trust (issue 17, items 3 and 4): a month closes
only once it has ended in every shop's time zone, a mistaken close is reopened with its reason
kept, close totals are per currency, a closed month a shop had nothing in is closed for it too,
and `set-fee` takes only the days it honours (the 1st of an open month), listed by
`fees schedule`."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, text

from sync_server.config import Settings
from sync_server.fees import service as fees
from sync_server.tenants.schemas import Tenant
from tests.support.push_payloads import build_order, change, push
from tests.support.sync_server_live import LiveServer, run_cli
from tests.support.sync_server_tenants import create_tenant, pair_device

pytestmark = pytest.mark.postgres

MARCH = datetime(2026, 3, 10, 12, tzinfo=UTC)


def _one_line_refusal(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    for needle in needles:
        assert needle in result.stderr, result.stderr


def _sell(
    http: httpx.Client, settings: Settings, tenant: Tenant, amount: int, currency: str = "EUR"
) -> None:
    device = pair_device(http, settings, tenant)
    order_id, order = build_order(
        lines=[("A", "Apple", 1, amount, 0)], paid_at=MARCH, currency=currency
    )
    assert push(http, device, [change(1, "order", order_id, order)]).status_code == 200


def _statement(settings: Settings, tenant: Tenant, period: str) -> dict[str, Any]:
    shown = run_cli(
        settings, "fees", "statement", "--tenant", tenant.slug, "--period", period, "--format",
        "json",
    )  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    statement: dict[str, Any] = json.loads(shown.stdout)
    return statement


def test_a_month_closes_only_once_it_has_ended_in_every_shops_time_zone(
    fresh_settings: Settings, fresh_admin_db: Engine
) -> None:
    create_tenant(fresh_settings, timezone="Europe/Paris")
    create_tenant(fresh_settings, timezone="America/Los_Angeles")

    future = run_cli(fresh_settings, "fees", "close-period", "--period", "2099-06")
    _one_line_refusal(future, "2099-06 has not ended", "2099-07-01 07:00 UTC", "Los_Angeles")
    with fresh_admin_db.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM fee_periods")).scalar_one() == 0

    # Over in Paris and in UTC, not yet in Los Angeles (UTC-7 on April 1st).
    with fresh_admin_db.begin() as conn:
        with pytest.raises(fees.FeeError, match="2026-04-01 07:00 UTC"):
            fees.close_period(conn, "2026-03", now=datetime(2026, 4, 1, 6, 59, tzinfo=UTC))
        closed = fees.close_period(conn, "2026-03", now=datetime(2026, 4, 1, 7, tzinfo=UTC))
        assert closed.held == {}


def test_a_mistaken_close_is_reopened_with_its_reason_and_totals_are_per_currency(
    fresh_settings: Settings, fresh_live: LiveServer, fresh_admin_db: Engine
) -> None:
    settings = fresh_settings
    euro = create_tenant(settings, currency="EUR")
    dollar = create_tenant(settings, currency="USD", timezone="America/New_York")
    quiet = create_tenant(settings, currency="EUR")
    with httpx.Client(base_url=fresh_live.url, timeout=30) as http:
        _sell(http, settings, euro, 10_000)
        _sell(http, settings, dollar, 5_000, currency="USD")

    closing = run_cli(settings, "fees", "close-period", "--period", "2026-03")
    assert closing.returncode == 0, closing.stderr
    assert "fees EUR 100, USD 50 (minor)" in closing.stdout
    # A shop that sold nothing in March: its March is closed all the same.
    assert _statement(settings, quiet, "2026-03")["closed"] is True
    assert (
        "(closed,"
        in run_cli(
            settings, "fees", "statement", "--tenant", quiet.slug, "--period", "2026-03"
        ).stdout
    )

    # A March sale synced after the close is an adjustment in April...
    with httpx.Client(base_url=fresh_live.url, timeout=30) as http:
        _sell(http, settings, euro, 2_000)
    assert _statement(settings, euro, "2026-04")["adjustments_minor"] == 2_000

    # ...until the operator reopens March: the sale goes back into its own month.
    no_reason = run_cli(settings, "fees", "reopen-period", "--period", "2026-03", "--reason", " ")
    _one_line_refusal(no_reason, "--reason")
    not_closed = run_cli(settings, "fees", "reopen-period", "--period", "2026-05", "--reason", "x")
    _one_line_refusal(not_closed, "2026-05 is not closed")
    reopened = run_cli(
        settings, "fees", "reopen-period", "--period", "2026-03", "--reason", "closed too early"
    )
    assert reopened.returncode == 0, reopened.stderr
    assert "reopened 2026-03 for every shop" in reopened.stdout
    march = _statement(settings, euro, "2026-03")
    assert (march["closed"], march["net_minor"], march["adjustments_minor"]) == (False, 12_000, 0)
    assert _statement(settings, euro, "2026-04")["net_minor"] == 0
    assert _statement(settings, quiet, "2026-03")["closed"] is False
    assert run_cli(settings, "fees", "verify").returncode == 0
    with fresh_admin_db.connect() as conn:
        audited = conn.execute(text("SELECT period, tenant_id, reason FROM fee_reopenings")).all()
    assert [tuple(row) for row in audited] == [("2026-03", None, "closed too early")]

    again = run_cli(settings, "fees", "close-period", "--period", "2026-03")
    assert "fees EUR 120, USD 50 (minor)" in again.stdout, again.stderr

    # One shop only: its month is open (held) while the others' stays closed, then closes again.
    one = run_cli(
        settings, "fees", "reopen-period", "--period", "2026-03", "--reason", "refund missed",
        "--tenant", dollar.slug,
    )  # fmt: skip
    assert one.returncode == 0, one.stderr
    assert _statement(settings, dollar, "2026-03")["closed"] is False
    assert _statement(settings, euro, "2026-03")["closed"] is True
    assert run_cli(settings, "fees", "verify").returncode == 0
    closed_again = run_cli(
        settings, "fees", "close-period", "--period", "2026-03", "--tenant", dollar.slug
    )
    assert closed_again.returncode == 0, closed_again.stderr
    dollar_march = _statement(settings, dollar, "2026-03")
    assert (dollar_march["closed"], dollar_march["fee_minor"]) == (True, 50)
    with fresh_admin_db.connect() as conn:
        assert fees.verify(conn) == []
        reasons = conn.execute(
            text("SELECT reason FROM fee_reopenings WHERE tenant_id = :t"), {"t": dollar.id}
        ).scalars()
        assert list(reasons) == ["refund missed"]


def test_set_fee_takes_only_the_first_of_an_open_month_and_schedule_lists_the_rates(
    fresh_settings: Settings,
) -> None:
    settings = fresh_settings
    shop = create_tenant(settings, fee_bps=100)

    for bad, needle in (
        ("2026-13-01", "--from must be a date like 2026-09-01, got '2026-13-01'"),
        ("next week", "--from must be a date like"),
        ("2026-08-15", "use 2026-08-01 or 2026-09-01"),
    ):
        _one_line_refusal(
            run_cli(settings, "tenants", "set-fee", shop.slug, "--bps", "250", "--from", bad),
            needle,
        )
    _one_line_refusal(
        run_cli(settings, "tenants", "set-fee", shop.slug, "--bps", "-5", "--from", "2026-09-01"),
        "--bps must be between 0 and 10000",
    )

    assert run_cli(settings, "fees", "close-period", "--period", "2026-06").returncode == 0
    _one_line_refusal(
        run_cli(settings, "tenants", "set-fee", shop.slug, "--bps", "250", "--from", "2026-06-01"),
        "2026-06 is closed",
        "2026-07-01 at the earliest",
    )

    accepted = run_cli(
        settings, "tenants", "set-fee", shop.slug, "--bps", "250", "--from", "2026-09-01"
    )
    assert accepted.returncode == 0, accepted.stderr
    assert accepted.stdout.strip() == f"{shop.slug}: 250 bps from 2026-09-01"
    _one_line_refusal(  # the same rate again: nothing to change
        run_cli(settings, "tenants", "set-fee", shop.slug, "--bps", "250", "--from", "2026-09-01"),
        f"{shop.slug} already pays 250 bps in 2026-09",
    )
    _one_line_refusal(  # the shop (created in January 2020) has no month before it
        run_cli(settings, "tenants", "set-fee", shop.slug, "--bps", "250", "--from", "2019-12-01"),
        "2019-12 is before",
        "2020-01-01 at the earliest",
    )

    listed = run_cli(settings, "fees", "schedule", "--tenant", shop.slug)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines() == ["1970-01-01\t100 bps", "2026-09-01\t250 bps"]
    _one_line_refusal(run_cli(settings, "fees", "schedule", "--tenant", "nope"))


def test_reopening_a_later_month_leaves_earlier_closed_months_and_their_adjustments_alone(
    fresh_settings: Settings, fresh_live: LiveServer
) -> None:
    settings = fresh_settings
    shop = create_tenant(settings)
    with httpx.Client(base_url=fresh_live.url, timeout=30) as http:
        _sell(http, settings, shop, 10_000)
        assert run_cli(settings, "fees", "close-period", "--period", "2026-03").returncode == 0
        _sell(http, settings, shop, 3_000)  # late March: an April adjustment
    closed = run_cli(settings, "fees", "close-period", "--period", "2026-05")
    assert "fees EUR 30 (minor)" in closed.stdout, closed.stderr
    march = _statement(settings, shop, "2026-03")

    reopened = run_cli(settings, "fees", "reopen-period", "--period", "2026-04", "--reason", "typo")
    assert "reopened 2026-04 to 2026-05 for every shop" in reopened.stdout, reopened.stderr
    april = _statement(settings, shop, "2026-04")
    assert (april["closed"], april["adjustments_minor"], april["net_minor"]) == (
        False,
        3_000,
        3_000,
    )
    assert _statement(settings, shop, "2026-03") == march
    assert _statement(settings, shop, "2026-05")["closed"] is False
    assert run_cli(settings, "fees", "verify").returncode == 0

    run_cli(settings, "fees", "reopen-period", "--period", "2026-03", "--reason", "wrong month")
    march_again = _statement(settings, shop, "2026-03")
    assert (march_again["closed"], march_again["net_minor"]) == (False, 13_000)
    assert _statement(settings, shop, "2026-04")["net_minor"] == 0
    assert run_cli(settings, "fees", "verify").returncode == 0
