"""A short crash-chaos run (the long one is `make soak`): a card register SIGKILLed mid-payment
a dozen times, through a faulty network to the Stripe emulator, its books checked after every
restart."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.soak.crashes import run_crash_chaos

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
