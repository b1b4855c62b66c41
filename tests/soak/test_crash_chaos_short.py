"""A short crash-chaos run (the long one is `make soak`): a card register SIGKILLed mid-payment
a dozen times, through a faulty network to the Stripe emulator, its books checked after every
restart."""

from __future__ import annotations

from pathlib import Path

import pytest

from sync_server.config import Settings
from tests.soak.crashes import run_crash_chaos
from tests.support.sync_server_fixtures import live, pg_server, settings  # noqa: F401
from tests.support.sync_server_live import LiveServer

pytestmark = [pytest.mark.slow, pytest.mark.stripe_emulator]


def test_kills_mid_payment_lose_no_paid_order_and_leave_no_hold(tmp_path: Path) -> None:
    report = run_crash_chaos(workdir=tmp_path, kills=10, seed=11)

    assert report.problems == []
    assert report.kills == 10
    assert report.restarts_checked >= 5
    assert not report.left_authorised, "a customer's card is still on hold"
    assert not report.left_open
    assert not report.double_charges
    assert not report.lost_paid_orders
    assert report.captured > 0, "no card payment was captured: the run proves little"
    assert report.released > 0
    assert sum(report.network_faults.values()) > report.network_faults["ok"]
    assert report.ok
    rows = dict(report.rows())
    assert rows["double charges (must be 0)"] == "0"


@pytest.mark.postgres
def test_after_the_kills_the_sync_server_holds_every_paid_order(
    tmp_path: Path,
    settings: Settings,  # noqa: F811
    live: LiveServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SYNC_ADMIN_DATABASE_URL", settings.admin_database_url)
    monkeypatch.setenv("SYNC_TOKEN_HMAC_KEY", settings.token_hmac_key.decode())

    report = run_crash_chaos(workdir=tmp_path, kills=3, seed=5, server_url=live.url)

    assert report.problems == []
    assert report.server_check.startswith("yes"), report.server_check
    assert report.ok
