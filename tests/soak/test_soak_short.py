"""The soak in small (`make soak` is the long one): four registers in two shops sell fifty orders
each through a network that refuses, delays, black-holes, resets and duplicates; afterwards the
server holds exactly the union of the registers, every fault was retried, and the fee ledger
verifies; the month end then invoices both shops and verifies again. The device tokens appear
in none of the files written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.soak.__main__ import secrets_scan
from tests.soak.load import LoadConfig, platform, run_load
from tests.support.chaos_proxy import ChaosPolicy

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def test_registers_under_load_and_chaos_end_with_the_server_equal_to_their_union(
    tmp_path: Path,
) -> None:
    config = LoadConfig(
        registers=4,
        shops=2,
        orders=50,
        duration_s=None,
        seed=7,
        # Short timeouts: a black-holed request costs its read timeout.
        read_timeout_s=2.0,
        connect_timeout_s=1.0,
        chaos=ChaosPolicy(
            refuse=0.08,
            delay=0.08,
            blackhole=0.02,
            reset_after_request=0.15,
            duplicate=0.1,
            delay_s=0.2,
        ),
    )
    with platform(tmp_path) as env:
        result = run_load(env, config, tmp_path, log=lambda _: None)
    table = "\n".join(f"{name}: {value}" for name, value in result.rows())
    assert result.ok, f"{result.problems}\n{table}"
    assert result.orders == 200
    for fate in ("refuse", "delay", "reset_after_request", "duplicate"):
        assert result.fates.get(fate, 0) > 0, f"no {fate} was injected: the test proves little"
    assert result.errors()["network"] > 0, "no fault reached a register"
    replayed = sum(run.figures["replayed_changes"] for run in result.registers)
    assert replayed > 0, "the server's idempotent merge was never exercised"
    assert result.compared["refunds"] > 0
    assert result.compared["stock_movements"] > 0
    # The month end invoices both shops at the platform's Stripe account and verifies.
    assert result.checks["month end invoiced every shop"]
    assert result.checks["fees verify after invoicing"]
    ends = result.month_end
    assert ends["sent"] + ends["carried"] + ends["zero"] == 2, ends
    clean, rows = secrets_scan(tmp_path, result.tokens)
    assert clean, rows
