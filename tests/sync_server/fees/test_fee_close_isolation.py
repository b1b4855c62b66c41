"""Fee runs that isolate shops (issue 14): one shop whose fee ledger disagrees with the
recomputation is reported on its own by `fees verify`, and its own month close is held while
every other shop's month closes; once its ledger is put right, its held months close too."""

from __future__ import annotations

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


def _sell(http: httpx.Client, settings: Settings, tenant: Tenant, amounts: list[int]) -> None:
    device = pair_device(http, settings, tenant)
    batch = []
    for seq, amount in enumerate(amounts, start=1):
        order_id, order = build_order(lines=[("A", "Apple", 1, amount, 0)], paid_at=MARCH)
        batch.append(change(seq, "order", order_id, order))
    assert push(http, device, batch).status_code == 200


def _statement(fresh_admin_db: Engine, tenant: Tenant, period: str) -> dict[str, Any]:
    with fresh_admin_db.connect() as conn:
        (statement,) = fees.statements_for(conn, tenant, period)
        return statement.to_json()


def test_one_shops_bad_ledger_holds_only_its_own_month_close(
    fresh_settings: Settings, fresh_live: LiveServer, fresh_admin_db: Engine
) -> None:
    settings = fresh_settings
    good, other, bad = (create_tenant(settings) for _ in range(3))
    with httpx.Client(base_url=fresh_live.url, timeout=30) as http:
        _sell(http, settings, good, [10_000, 2_500])
        _sell(http, settings, other, [7_000])
        _sell(http, settings, bad, [4_000])
    with fresh_admin_db.begin() as conn:  # a ledger row nothing explains, in one shop only
        conn.execute(
            text(
                "INSERT INTO fee_ledger (tenant_id, kind, source_id, currency, sku, name, "
                "natural_period, billing_period, amount_minor) VALUES "
                "(:t, 'sale', 'forged', 'EUR', 'A', 'Apple', '2026-03', '2026-03', 999)"
            ),
            {"t": bad.id},
        )

    verified = run_cli(settings, "fees", "verify")
    assert verified.returncode == 1
    assert f"shop {bad.slug}:" in verified.stderr
    assert good.slug not in verified.stderr
    assert other.slug not in verified.stderr

    closing = run_cli(settings, "fees", "close-period", "--period", "2026-03")
    assert closing.returncode == 1, closing.stderr
    assert "closed up to 2026-03: 2 statements, fees EUR 195 (minor)" in closing.stdout
    assert f"held for {bad.slug}: ledger {bad.slug} 2026-03" in closing.stderr
    good_march = _statement(fresh_admin_db, good, "2026-03")
    assert (good_march["closed"], good_march["fee_minor"]) == (True, 125)
    assert _statement(fresh_admin_db, other, "2026-03")["closed"] is True
    held = _statement(fresh_admin_db, bad, "2026-03")
    assert (held["closed"], held["gross_minor"]) == (False, 4_999)

    # A late March sale: an adjustment in April for a closed shop, still March for the held one.
    with httpx.Client(base_url=fresh_live.url, timeout=30) as http:
        _sell(http, settings, good, [1_000])
        _sell(http, settings, bad, [600])
    assert _statement(fresh_admin_db, good, "2026-03") == good_march
    assert _statement(fresh_admin_db, good, "2026-04")["adjustments_minor"] == 1_000
    assert _statement(fresh_admin_db, bad, "2026-03")["gross_minor"] == 5_599
    refused = run_cli(settings, "fees", "close-period", "--period", "2026-03", "--tenant", bad.slug)
    assert refused.returncode != 0
    assert "still differs" in refused.stderr
    with fresh_admin_db.begin() as conn:
        conn.execute(text("DELETE FROM fee_ledger WHERE source_id = 'forged'"))
    assert run_cli(settings, "fees", "verify").returncode == 0
    released = run_cli(
        settings, "fees", "close-period", "--period", "2026-03", "--tenant", bad.slug
    )
    assert released.returncode == 0, released.stderr
    bad_march = _statement(fresh_admin_db, bad, "2026-03")
    assert (bad_march["closed"], bad_march["gross_minor"], bad_march["fee_minor"]) == (
        True,
        4_600,
        46,
    )
    assert _statement(fresh_admin_db, good, "2026-03") == good_march
    with fresh_admin_db.connect() as conn:
        assert fees.verify(conn) == []
        assert conn.execute(text("SELECT count(*) FROM fee_holds")).scalar_one() == 0
