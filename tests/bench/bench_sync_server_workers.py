"""Push throughput with 1, 2 and 4 server processes (`sync-server serve --workers N`) on this
machine, and where the ceiling is: the API's CPU, PostgreSQL's CPU, or lock waits.

Eight client processes (one paired register each, four shops) push as fast as the server answers,
each waiting for its answer before the next push, for `SYNC_BENCH_WORKERS_S` seconds (default 6)
per run. Each push goes on a new connection, as a register's do when they are more than uvicorn's
5 s keep-alive apart (the kernel then hands each connection to a process that is waiting); one
run with 4 processes keeps the connections alive instead, to show how the processes share a few
long-lived connections. Two shapes of push: what a register sends after a sale (2 orders, 3 lines
each, a tender: the request's fixed cost dominates) and a catch-up after time offline (50 orders:
the merge in PostgreSQL weighs more). The baseline is one process, measured in the same run,
first and again last (so drift, such as tables growing, shows).

During each run the bench samples, from /proc, the CPU time of every process involved (those of
`serve`, the database's backends for this database, PostgreSQL's own background processes, the
clients) and the whole machine's; and, 20 times a second, `pg_stat_activity`: how many of this
database's backends are running a statement and what each waits on (a heavyweight `Lock`, an
`LWLock`, `IO`, nothing: on CPU). "other" is CPU used by processes outside the bench (anything
else running on the machine): the figures are only clean on an otherwise idle machine.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import statistics
import threading
import time
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from multiprocessing.managers import SyncManager
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from sync_server.config import Settings
from sync_server.process import ServerProcess, server_env
from tests.support import procfs
from tests.support.push_payloads import build_order, change
from tests.support.sync_server_db import PgServer, create_database, drop_database, reachable
from tests.support.sync_server_live import RELAXED_LIMITS
from tests.support.sync_server_tenants import create_tenant, pair_device

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

RUNS = ((1, False), (2, False), (4, False), (4, True), (1, False))
"""(server processes, kept-alive connections): one process first and again last."""
CLIENTS = 8
SHOPS = 4
SHAPES = {"after a sale (2 orders)": 2, "catch-up (50 orders)": 50}
SECONDS = float(os.environ.get("SYNC_BENCH_WORKERS_S", "6"))
SAMPLE_S = 0.05
READY_S = 300.0
"""How long building a run's pushes may take the clients (minutes on a loaded machine)."""
START_LEAD_S = 1.0
"""From the last client ready to the start: long enough for every client to wake."""


@dataclass(frozen=True)
class Start:
    """The clients' start line (proxies of a multiprocessing manager, shared with them): each
    client puts its pid in `ready` once its pushes are built; then `at` is set and `go` set."""

    ready: Any
    go: Any
    at: Any

    @classmethod
    def new(cls, manager: SyncManager) -> Start:
        return cls(manager.Queue(), manager.Event(), manager.Value("d", 0.0))

    def when_all_ready(self, clients: int) -> tuple[float, float]:
        """Wait for `clients` to be ready, set the start; (start, stop) wall-clock times."""
        for _ in range(clients):
            self.ready.get(timeout=READY_S)
        start_at = time.time() + START_LEAD_S
        self.at.value = start_at
        self.go.set()
        return start_at, start_at + SECONDS


# --- the clients (each in a process of its own) ----------------------------------------------


def _bodies(device_id: str, orders_per_push: int, count: int, first_seq: int) -> list[bytes]:
    bodies = []
    seq = first_seq
    start = datetime(2026, 6, 1, tzinfo=UTC)
    for _ in range(count):
        batch = []
        for _ in range(orders_per_push):
            lines = [
                (
                    f"SKU-{(seq + k) % 40}",
                    f"Item {(seq + k) % 40}",
                    1 + k % 3,
                    250 + 17 * k,
                    100_000,
                )
                for k in range(3)
            ]
            paid = start + timedelta(seconds=seq)
            order_id, data = build_order(lines=lines, paid_at=paid, number=seq)
            batch.append(change(seq, "order", order_id, data))
            seq += 1
        bodies.append(json.dumps({"device_id": device_id, "batch": batch}).encode())
    return bodies


def _client(
    url: str,
    token: str,
    device_id: str,
    orders_per_push: int,
    start: Start,
    keep_alive: bool,
) -> dict[str, Any]:
    """Build the pushes, say so, and once every client has (`start`), push from its start time
    for `SECONDS` (wall clock), each push after the answer to the previous one; on a connection
    of its own unless `keep_alive`."""
    # Enough for 60 pushes/s of 2 orders, or 25 of 50 orders, from each client: about twice
    # what this 2-core machine serves.
    rate = 60 if orders_per_push <= 10 else 25
    bodies = _bodies(device_id, orders_per_push, int(SECONDS * rate) + 10, 1)
    headers = {"Authorization": f"Bearer {token}", "content-type": "application/json"}
    latencies: list[float] = []
    limits = httpx.Limits(max_keepalive_connections=None if keep_alive else 0)
    start.ready.put(os.getpid())
    if not start.go.wait(READY_S):
        return {"error": f"no start within {READY_S:g} s of being ready"}
    start_at = start.at.value
    stop_at = start_at + SECONDS
    with httpx.Client(base_url=url, timeout=60, limits=limits) as client:
        late_s = time.time() - start_at
        if late_s > 0.2:
            return {"error": f"a client woke {late_s:.1f} s after the start: give it longer"}
        time.sleep(max(0.0, -late_s))
        cpu = time.process_time()
        for body in bodies:
            if time.time() >= stop_at:
                break
            began = time.perf_counter()
            answer = client.post("/v1/sync/push", content=body, headers=headers)
            latencies.append((time.perf_counter() - began) * 1000)
            if answer.status_code != 200:
                return {"error": f"{answer.status_code}: {answer.text[:300]}"}
        else:
            return {"error": "ran out of prepared pushes: raise their number"}
        cpu = time.process_time() - cpu
    return {"latencies": latencies, "cpu_s": cpu, "pid": os.getpid()}


def _pid(_: int) -> int:
    time.sleep(0.05)
    return os.getpid()


# --- sampling -----------------------------------------------------------------------------------


def _machine_busy_s() -> float:
    """CPU seconds the whole machine has been busy since boot (not idle, not waiting for IO)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:8]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def _api_processes(server: ServerProcess) -> tuple[list[int], list[int]]:
    """(every process of `serve`, the ones that serve requests): with --workers, uvicorn's
    supervisor and multiprocessing's resource tracker serve nothing."""
    every = procfs.with_descendants(server.process.pid)
    serving = [pid for pid in every[1:] if "multiprocessing.spawn" in procfs.command_line(pid)]
    return every, serving or [server.process.pid]


@dataclass
class Sampler:
    """CPU of the processes involved and what this database's busy backends wait on."""

    libpq: str
    database: str
    active: list[int] = field(default_factory=list)
    waits: Counter[str] = field(default_factory=Counter)
    backends: set[int] = field(default_factory=set)
    background: set[int] = field(default_factory=set)
    _stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        with psycopg.connect(self.libpq, autocommit=True) as conn:
            me = conn.execute("SELECT pg_backend_pid()").fetchone()
            assert me is not None
            while not self._stop.wait(SAMPLE_S):
                rows = conn.execute(
                    "SELECT pid, datname, backend_type, state, wait_event_type, wait_event "
                    "FROM pg_stat_activity WHERE pid <> %s",
                    (me[0],),
                ).fetchall()
                busy = 0
                for pid, datname, kind, state, wait_type, wait in rows:
                    if datname == self.database and kind == "client backend":
                        self.backends.add(pid)
                        if state == "active":
                            busy += 1
                            self.waits[f"{wait_type}:{wait}" if wait_type else "CPU"] += 1
                    elif kind != "client backend":
                        self.background.add(pid)
                self.active.append(busy)

    def stop(self) -> None:
        self._stop.set()


def _cpu(pids: set[int] | list[int]) -> dict[int, float]:
    return {pid: procfs.cpu_seconds(pid) for pid in pids}


@dataclass
class Run:
    shape: str
    workers: int
    keep_alive: bool
    seconds: float
    pushes: int
    changes: int
    latencies: list[float]
    api_cores: float
    """Every process of `serve` together."""
    api_cores_each: list[float]
    """Each process that serves requests."""
    pg_cores: float
    pg_background_cores: float
    client_cores: float
    machine_cores: float
    active_backends: float
    waits: Counter[str]

    @property
    def pushes_per_s(self) -> float:
        return self.pushes / self.seconds

    def ms_per_push(self, cores: float) -> float:
        """CPU milliseconds per push, from cores busy on average."""
        return cores * 1000 / self.pushes_per_s

    def wait_share(self, kind: str) -> float:
        total = sum(self.waits.values())
        return sum(n for key, n in self.waits.items() if key.split(":")[0] == kind) / max(1, total)


def _measure(
    pool: ProcessPoolExecutor,
    manager: SyncManager,
    pg: PgServer,
    settings: Settings,
    name: str,
    *,
    shape: str,
    orders_per_push: int,
    workers: int,
    keep_alive: bool,
) -> Run:
    server = ServerProcess(
        settings,
        env=server_env(settings, **RELAXED_LIMITS),
        args=("--workers", str(workers)) if workers > 1 else (),
    )
    try:
        tenants = [create_tenant(settings) for _ in range(SHOPS)]
        with httpx.Client(base_url=server.url, timeout=60) as http:
            devices = [pair_device(http, settings, tenants[i % SHOPS]) for i in range(CLIENTS + 1)]
            warm_up = devices.pop()
            for body in _bodies(str(warm_up.device_id), orders_per_push, 3, 1):
                answer = http.post(
                    "/v1/sync/push",
                    content=body,
                    headers={**warm_up.headers, "content-type": "application/json"},
                )
                assert answer.status_code == 200, answer.text
        every, serving = _api_processes(server)
        start = Start.new(manager)
        futures = [
            pool.submit(
                _client, server.url, d.token, str(d.device_id), orders_per_push, start, keep_alive
            )
            for d in devices
        ]
        start_at, stop_at = start.when_all_ready(len(devices))
        sampler = Sampler(pg.url(name).replace("+psycopg", ""), name)
        time.sleep(max(0.0, start_at - time.time()))
        thread = threading.Thread(target=sampler.run, daemon=True)
        thread.start()
        time.sleep(0.5)  # the backends are known by now (each pool connects at its first push)
        began = time.monotonic()
        machine_before = _machine_busy_s()
        api_before = _cpu(every)
        backends_before = _cpu(sampler.backends)
        background_before = _cpu(sampler.background)
        time.sleep(max(0.0, stop_at - time.time()))
        api_after = _cpu(every)
        backends_after = _cpu(sampler.backends | set(backends_before))
        background_after = _cpu(sampler.background | set(background_before))
        machine_after = _machine_busy_s()
        elapsed = time.monotonic() - began
        sampler.stop()
        thread.join(5)
        results = [future.result(timeout=120) for future in futures]
    finally:
        server.stop()
    errors = [r["error"] for r in results if "error" in r]
    assert not errors, errors
    latencies = [ms for r in results for ms in r["latencies"]]

    def cores(after: dict[int, float], before: dict[int, float], pids: Iterable[int]) -> float:
        """Average cores busy over the window (a process gone by the end counts nothing)."""
        return sum(after[p] - before.get(p, 0.0) for p in pids if after.get(p, 0.0) > 0) / elapsed

    return Run(
        shape=shape,
        workers=workers,
        keep_alive=keep_alive,
        # The clients pushed from start_at to stop_at, and then had their last answers.
        seconds=SECONDS + statistics.median(r["latencies"][-1] for r in results) / 1000,
        pushes=len(latencies),
        changes=len(latencies) * orders_per_push,
        latencies=latencies,
        api_cores=cores(api_after, api_before, every),
        api_cores_each=[cores(api_after, api_before, [pid]) for pid in serving],
        pg_cores=cores(backends_after, backends_before, backends_after),
        pg_background_cores=cores(background_after, background_before, background_after),
        client_cores=sum(r["cpu_s"] for r in results) / SECONDS,
        machine_cores=(machine_after - machine_before) / elapsed,
        active_backends=statistics.fmean(sampler.active) if sampler.active else 0.0,
        waits=sampler.waits,
    )


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _print(runs: list[Run]) -> None:
    cores = os.cpu_count() or 1
    print(
        f"\npush throughput by server processes ({cores} cores here; {CLIENTS} client processes "
        f"in {SHOPS} shops, each push on a new connection unless marked kept-alive; "
        f"{SECONDS:g} s a run)"
    )
    for shape in SHAPES:
        chosen = [run for run in runs if run.shape == shape]
        baseline = chosen[0]
        print(f"\n== {shape}")
        print(
            f"   {'N':<7} {'pushes/s':>8} {'changes/s':>9} {'× N=1':>6} {'p50 ms':>7} "
            f"{'p99 ms':>7} │ CPU ms/push {'API':>4} {'PG':>4} {'cl.':>4} │ cores {'API':>4} "
            f"{'(each serving process)':<24} {'PG':>4} {'other':>5} {'all':>4} │ "
            f"{'busy':>4} {'Lock':>4} {'LWLock':>6} {'IO':>4} {'CPU':>4}"
        )
        for run in chosen:
            pg = run.pg_cores + run.pg_background_cores
            other = max(0.0, run.machine_cores - run.api_cores - pg - run.client_cores)
            each = "(" + " ".join(f"{c:.2f}" for c in run.api_cores_each) + ")"
            label = f"{run.workers}{' ka' if run.keep_alive else ''}"
            print(
                f"   {label:<7} {run.pushes_per_s:>8.1f} {run.changes / run.seconds:>9.0f} "
                f"{run.pushes_per_s / baseline.pushes_per_s:>5.2f}x "
                f"{statistics.median(run.latencies):>7.1f} {_percentile(run.latencies, 0.99):>7.1f}"
                f" │ {'':>11} {run.ms_per_push(run.api_cores):>4.1f} {run.ms_per_push(pg):>4.1f} "
                f"{run.ms_per_push(run.client_cores):>4.1f} │ {'':>5} {run.api_cores:>4.2f} "
                f"{each:<24} {pg:>4.2f} {other:>5.2f} {run.machine_cores:>4.2f} │ "
                f"{run.active_backends:>4.1f} {run.wait_share('Lock'):>4.0%} "
                f"{run.wait_share('LWLock'):>6.0%} {run.wait_share('IO'):>4.0%} "
                f"{run.wait_share('CPU'):>4.0%}"
            )
        first = chosen[0]
        server_ms = first.ms_per_push(first.api_cores) + first.ms_per_push(
            first.pg_cores + first.pg_background_cores
        )
        print(
            f"   CPU bounds from N=1: one process serves at most "
            f"{1000 / first.ms_per_push(first.api_cores):.0f} pushes/s (one core: the GIL); the "
            f"API and PostgreSQL together, on all {cores} cores and nothing else, at most "
            f"{cores * 1000 / server_ms:.0f} pushes/s"
        )
        waits = Counter[str]()
        for run in chosen:
            waits.update({k: v for k, v in run.waits.items() if k != "CPU"})
        top = ", ".join(f"{kind} {count}" for kind, count in waits.most_common(5))
        print(f"   most sampled waits (all runs of this shape): {top or 'none'}")
    print(
        "   N: server processes (ka: the clients keep their connections alive). CPU ms/push: "
        "API = every process of `serve`, PG = this database's backends and PostgreSQL's own "
        "processes, cl. = the clients. cores: CPU busy on average; each serving process apart "
        "(with N > 1 the supervisor serves none); other = the rest of the machine. busy: this "
        "database's backends running a statement, on average; then what those samples waited on."
    )


def test_push_throughput_by_worker_count() -> None:
    if not reachable("127.0.0.1", 5432):
        pytest.fail("the benchmark needs PostgreSQL at 127.0.0.1:5432")
    pg = PgServer("127.0.0.1", 5432, "postgres")
    name, settings = create_database(pg)
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["tests.support.push_payloads", "httpx"])
    runs: list[Run] = []
    try:
        with (
            context.Manager() as manager,
            ProcessPoolExecutor(max_workers=CLIENTS, mp_context=context) as pool,
        ):
            assert len(set(pool.map(_pid, range(4 * CLIENTS)))) >= 1  # the clients are up
            for shape, orders_per_push in SHAPES.items():
                for workers, keep_alive in RUNS:
                    runs.append(
                        _measure(
                            pool,
                            manager,
                            pg,
                            settings,
                            name,
                            shape=shape,
                            orders_per_push=orders_per_push,
                            workers=workers,
                            keep_alive=keep_alive,
                        )
                    )
    finally:
        drop_database(pg, name)
    _print(runs)
    load = os.getloadavg()
    print(f"   load average at the end: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
