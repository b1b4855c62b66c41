"""Issue 6 benchmarks: a register catching up 10,000 orders queued offline, and what a running
sync loop costs a sale.

The server runs as `sync-server serve` in its own process on loopback (real PostgreSQL).
Baselines, measured in the same run: the same outbox batches pushed by a bare HTTP client
(no SQLite reads or acknowledgements), and sales placed with no sync running.
`BENCH_SYNC_ORDERS` (default 10000) sets the backlog.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from pos_app.application.sync import SyncEngine, SyncLoop
from pos_app.db.database import Database
from pos_app.domain.ids import uuid7
from pos_app.domain.tenders import TenderKind, TenderRequest
from pos_app.integrations.secrets import SecretStore
from pos_app.services import checkout, shifts
from pos_app.services.setup import seed_demo
from sync_server.process import ServerProcess, server_env
from tests.bench.support import Timing, report
from tests.support.memory_keyring import MemoryKeyring
from tests.support.register import ring_up
from tests.support.sync_server_db import PgServer, create_database, drop_database, reachable
from tests.support.sync_server_live import RELAXED_LIMITS
from tests.support.sync_server_tenants import create_tenant, pair_device, pairing_code

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

ORDERS = int(os.environ.get("BENCH_SYNC_ORDERS", "10000"))
ITEMS = [("COF-ESP", 1), ("FOD-FRI", 2), ("DRK-TEA", 1)]
PACE_S = 0.025


def measure_paced(name: str, fn: Callable[[], None], *, runs: int) -> Timing:
    """Time `fn` alone, with a pause before each call (the counter between two customers)."""
    samples = []
    for _ in range(runs):
        time.sleep(PACE_S)
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return Timing(name, samples)


def test_catch_up_and_sale_latency_while_syncing(tmp_path: Path) -> None:
    if not reachable("127.0.0.1", 5432):
        pytest.fail("the benchmark needs PostgreSQL at 127.0.0.1:5432")
    pg = PgServer("127.0.0.1", 5432, "postgres")
    name, settings = create_database(pg)
    server = ServerProcess(settings, env=server_env(settings, **RELAXED_LIMITS))
    try:
        tenant = create_tenant(settings, currency="USD", timezone="America/New_York")
        db = Database(tmp_path / "register.sqlite3")
        with db.write() as uow:
            shop = seed_demo(uow)
            owner = next(m for m in uow.staff.all() if m.name == "Sam")
            shift_id = shifts.open_shift(uow, shop=shop, staff=owner, float_minor=0).id
        engine = SyncEngine(db, secrets=SecretStore("bench-sync", MemoryKeyring()))
        engine.pair(server_url=server.url, code=pairing_code(settings, tenant), device_name="T1")
        engine.sync_once()
        template = ring_up(db, shop, ITEMS)
        total = template.totals().total_minor

        def sale() -> None:
            order = template.clone()
            order.id = uuid7()
            for line in order.lines:
                line.id = uuid7()
            with db.write() as uow:
                checkout.place_order(
                    uow,
                    order=order,
                    tenders=[TenderRequest(TenderKind.CASH, total)],
                    shop=shop,
                    staff=owner,
                    shift_id=shift_id,
                )

        # --- a long offline day: the backlog ------------------------------------------------
        started = time.perf_counter()
        for _ in range(ORDERS):
            sale()
        queued_s = time.perf_counter() - started
        with db.read() as uow:
            backlog = uow.outbox.pending_count()
            entries = uow.outbox.pending(limit=backlog)
        started = time.perf_counter()
        result = engine.sync_once()
        catch_up_s = time.perf_counter() - started
        assert result.pushed == backlog
        assert engine.status().pending == 0

        # Baseline: the same payloads, pushed by a bare client to a fresh device of another shop.
        other = create_tenant(settings, currency="USD", timezone="America/New_York")
        with httpx.Client(base_url=server.url, timeout=120) as client:
            device = pair_device(client, settings, other)
            started = time.perf_counter()
            for index in range(0, len(entries), 500):
                batch = [
                    {
                        "seq": n + 1,
                        "entity": e.entity,
                        "id": str(e.entity_id),
                        "occurred_at": e.created_at.isoformat(),
                        "data": e.payload,
                    }
                    for n, e in enumerate(entries[index : index + 500], start=index)
                ]
                response = client.post(
                    "/v1/sync/push",
                    headers=device.headers,
                    json={"device_id": str(device.device_id), "batch": batch},
                )
                assert response.status_code == 200, response.text
            bare_s = time.perf_counter() - started
        print(f"\n== Catching up {ORDERS:,} orders queued offline ({backlog:,} outbox changes)")
        print(f"   queued at the counter in        {queued_s:8.2f} s")
        print(
            f"   register sync_once (push+pull)  {catch_up_s:8.2f} s   "
            f"{ORDERS / catch_up_s:8.0f} orders/s"
        )
        print(
            f"   bare HTTP push of the same data {bare_s:8.2f} s   "
            f"ratio {catch_up_s / bare_s:5.2f}x"
        )

        # --- what a running sync loop costs a sale ------------------------------------------
        # A very busy counter: a sale every 25 ms (2,400 a minute). The app wakes the sync loop
        # after every sale, so each one is pushed while the next is rung up.
        quiet = measure_paced("sale, no sync running", sale, runs=400)
        loop = SyncLoop(engine, interval_s=30.0, min_backoff_s=0.05).start()

        def sale_then_sync() -> None:
            sale()
            loop.wake()

        try:
            busy = measure_paced("sale, sync loop woken after every sale", sale_then_sync, runs=400)
        finally:
            loop.stop()
        report(
            "Sale latency while sync runs",
            quiet,
            busy,
            baseline=quiet,
            target="no measurable difference on the sale's p99",
        )
        print(f"   sync rounds during the measurement: {loop.rounds}, failures: {loop.failures}")
        db.dispose()
    finally:
        server.stop()
        drop_database(pg, name)
