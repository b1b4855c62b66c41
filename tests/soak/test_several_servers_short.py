"""Several server processes on one database, under the soak's chaos: registers sell through a
proxy that shares their connections out between two `sync-server serve` processes (or among the
workers of one `serve --workers 2`), refuses, delays, resets and duplicates requests (a duplicate
may reach the other process at the same moment), while a server process is SIGKILLed mid-push
again and again. Afterwards the server holds exactly the union of the registers (the soak's own
verification: every row, every outbox acknowledged, 2xx only in every server log, `fees verify`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.soak.load import LoadConfig, LoadResult, platform, run_load
from tests.soak.server_kills import PUSH, KillReport, ServerKiller, kills_summary
from tests.support.chaos_proxy import ChaosPolicy

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

KILLS = 3
CONFIG = LoadConfig(
    registers=4,
    shops=2,
    orders=None,
    duration_s=180.0,  # a bound: the registers sell until the killer is done
    seed=21,
    # Long enough that a busy machine (CI's two cores, a worker importing the app after a kill)
    # is not a timeout: every fault this test means is a refusal, a reset or a closed
    # connection, each counted by the proxy, and the error budget allows only those.
    read_timeout_s=10.0,
    connect_timeout_s=1.0,
    min_backoff_s=0.5,
    chaos=ChaosPolicy(
        refuse=0.05, delay=0.05, reset_after_request=0.1, duplicate=0.15, delay_s=0.2
    ),
)


def _run(tmp_path: Path, *, servers: int, workers: int) -> tuple[LoadResult, KillReport]:
    with platform(tmp_path, servers=servers, workers=workers) as env:
        killer = ServerKiller(env, kills=KILLS, pause_s=0.8, seed=CONFIG.seed)
        result = run_load(env, CONFIG, tmp_path, log=lambda _: None, while_selling=lambda: killer)
        assert len(env.proxy.requests_by_target) == servers  # each `serve` took requests
        cut = [request.request_line for request in env.proxy.cut_in_flight]
    summary = kills_summary(killer.report)
    assert any(line.startswith(PUSH) for line in cut), f"no push was cut by a kill: {summary}"
    return result, killer.report


def _check(result: LoadResult, kills: KillReport) -> None:
    table = "\n".join(f"{name}: {value}" for name, value in result.rows())
    assert result.ok, f"{result.problems}\n{table}"
    assert kills.problems == []
    assert kills.kills == KILLS
    assert kills.aimed_at_push == KILLS, "a kill found no push in flight to aim at"
    for fate in ("refuse", "reset_after_request", "duplicate"):
        assert result.fates.get(fate, 0) > 0, f"no {fate} was injected"
    replayed = sum(run.figures["replayed_changes"] for run in result.registers)
    assert replayed > 0, "the server's idempotent merge was never exercised"
    assert result.compared["orders"] > 100


def test_two_serve_processes_killed_mid_push_end_equal_to_the_union(tmp_path: Path) -> None:
    result, kills = _run(tmp_path, servers=2, workers=1)

    _check(result, kills)
    # Both processes took pushes before any was killed, and each was killed (and restarted).
    assert len(kills.first_processes & kills.pids_seen_pushing) == 2
    assert len(kills.back_s) == KILLS


def test_serve_with_two_workers_killed_mid_push_ends_equal_to_the_union(tmp_path: Path) -> None:
    result, kills = _run(tmp_path, servers=1, workers=2)

    _check(result, kills)
    assert len(kills.first_processes) == 2
    assert len(kills.first_processes & kills.pids_seen_pushing) == 2
    # uvicorn's supervisor replaced each killed worker.
    assert len(kills.pids_seen_pushing - kills.first_processes) >= 1
