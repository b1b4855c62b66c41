"""Push ingest end to end (HTTP, validation, merge, fee ledger) against a raw executemany
`INSERT … ON CONFLICT` of the same rows into the same tables, measured in the same run.

Target: the push, with every check on (the money recomputed by the pricing rule, child ids,
currency, range, time window), reaches ≥ 60 % of the raw rate; a replayed batch costs ≤ 50 %
of the first push. Also printed: what the per-order checks (`sync_server.sync.checks`) cost.
The server runs as `sync-server serve` in its own process, so the client does not share its GIL.
Batches: 125 orders × 4 lines = 500 order lines (+ 125 tenders). `SYNC_BENCH_PUSH_BATCHES`
(default 40) sets how many.
"""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import psycopg
import pytest

from sync_server.process import ServerProcess, server_env
from sync_server.sync import checks
from sync_server.sync import schemas as s
from tests.support.push_payloads import build_order, change
from tests.support.sync_server_db import PgServer, create_database, drop_database, reachable
from tests.support.sync_server_live import RELAXED_LIMITS
from tests.support.sync_server_tenants import create_tenant, pair_device

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

ORDERS_PER_BATCH = 125
LINES_PER_ORDER = 4


def _raw_insert(table: str, columns: str, count: int) -> str:
    values = ", ".join(["%s"] * count)
    return (
        f"INSERT INTO {table} (tenant_id, {columns}) VALUES ('{{tenant}}', {values}) "
        "ON CONFLICT DO NOTHING"
    )


RAW_ORDERS = _raw_insert(
    "orders",
    "id, device_id, number, register_id, status, currency, tax_mode, subtotal_minor, "
    "line_discount_minor, order_discount_minor, tax_minor, total_minor, tip_minor, created_at, "
    "paid_at, content_hash",
    16,
)
RAW_LINES = _raw_insert(
    "order_lines",
    "id, order_id, position, sku, name, quantity, unit_price_minor, tax_rate_ppm, gross_minor, "
    "line_discount_minor, order_discount_minor, net_minor, tax_minor, total_minor",
    14,
)
RAW_TENDERS = _raw_insert(
    "tenders",
    "id, order_id, kind, amount_minor, tip_minor, tendered_minor, change_minor, card_brand, "
    "card_last4",
    9,
)


def _batches(count: int, start: datetime) -> list[list[dict[str, Any]]]:
    batches = []
    seq = 1
    for b in range(count):
        batch = []
        for o in range(ORDERS_PER_BATCH):
            paid = start + timedelta(minutes=b * ORDERS_PER_BATCH + o)
            lines = [
                (f"SKU-{(o + k) % 40}", f"Item {(o + k) % 40}", 1 + k % 3, 250 + 17 * k, 100_000)
                for k in range(LINES_PER_ORDER)
            ]
            order_id, data = build_order(lines=lines, paid_at=paid, number=seq)
            batch.append(change(seq, "order", order_id, data))
            seq += 1
        batches.append(batch)
    return batches


def _raw_rows(batch: list[dict[str, Any]], device_id: str) -> tuple[list[tuple[Any, ...]], ...]:
    orders, lines, tenders = [], [], []
    for item in batch:
        d = item["data"]
        orders.append((
            item["id"], device_id, d["number"], d["register_id"], d["status"], d["currency"],
            d["tax_mode"], d["subtotal_minor"], d["line_discount_minor"], d["order_discount_minor"],
            d["tax_minor"], d["total_minor"], d["tip_minor"], d["created_at"], d["paid_at"],
            b"\x00",
        ))  # fmt: skip
        for line in d["lines"]:
            lines.append((
                line["id"], item["id"], line["position"], line["sku"], line["name"],
                line["quantity"], line["unit_price_minor"], line["tax_rate_ppm"],
                line["gross_minor"], line["line_discount_minor"], line["order_discount_minor"],
                line["net_minor"], line["tax_minor"], line["total_minor"],
            ))  # fmt: skip
        for tender in d["tenders"]:
            tenders.append((
                tender["id"], item["id"], tender["kind"], tender["amount_minor"],
                tender["tip_minor"], tender["tendered_minor"], tender["change_minor"],
                tender["card_brand"], tender["card_last4"],
            ))  # fmt: skip
    return orders, lines, tenders


def _checks_seconds(batches: list[list[dict[str, Any]]]) -> float:
    """The pure per-order judgement the server runs on every pushed order, timed alone."""
    orders = [s.OrderChange.model_validate(item) for batch in batches for item in batch]
    bounds = checks.Bounds(
        currency="EUR",
        earliest=datetime(2020, 1, 1, tzinfo=UTC),
        latest=datetime.now(UTC),
        max_amount_minor=10_000_000_000,
    )
    started = time.perf_counter()
    for order in orders:
        assert checks.check_order(order, bounds) is None
    return time.perf_counter() - started


def test_push_ingest_against_raw_executemany() -> None:
    if not reachable("127.0.0.1", 5432):
        pytest.fail("the benchmark needs PostgreSQL at 127.0.0.1:5432")
    server = PgServer("127.0.0.1", 5432, "postgres")
    name, settings = create_database(server)
    process = ServerProcess(settings, env=server_env(settings, **RELAXED_LIMITS))
    try:
        url = process.url
        with httpx.Client(base_url=url, timeout=120) as client:
            count = int(os.environ.get("SYNC_BENCH_PUSH_BATCHES", "40"))
            warm = _batches(2, datetime(2026, 1, 5, tzinfo=UTC))
            batches = _batches(count, datetime(2026, 2, 1, tzinfo=UTC))
            tenant = create_tenant(settings)
            device = pair_device(client, settings, tenant)
            headers = {**device.headers, "content-type": "application/json"}

            def body(batch: list[dict[str, Any]]) -> bytes:
                return json.dumps({"device_id": str(device.device_id), "batch": batch}).encode()

            # Warm-up: first connections, prepared plans.
            offset = len(warm) * ORDERS_PER_BATCH
            for batch in warm:
                assert (
                    client.post("/v1/sync/push", content=body(batch), headers=headers).status_code
                    == 200
                )
            # Statistics as a live database has them (autovacuum would ANALYZE soon enough);
            # fresh empty tables otherwise keep sequential-scan plans for foreign-key checks.
            admin_libpq = settings.admin_database_url.replace(
                "postgresql+psycopg://", "postgresql://"
            )
            with psycopg.connect(admin_libpq, autocommit=True) as admin:
                admin.execute("ANALYZE")
            for batch in batches:
                for item in batch:
                    item["seq"] += offset
            bodies = [body(batch) for batch in batches]

            started = time.perf_counter()
            for payload in bodies:
                response = client.post("/v1/sync/push", content=payload, headers=headers)
                assert response.status_code == 200, response.text
            push_seconds = time.perf_counter() - started
            assert response.json()["acknowledged_seq"] == offset + count * ORDERS_PER_BATCH

            started = time.perf_counter()
            for payload in bodies:
                response = client.post("/v1/sync/push", content=payload, headers=headers)
                assert response.json()["applied"] == 0
            replay_seconds = time.perf_counter() - started

        raw_tenant = create_tenant(settings)
        raw_batches = _batches(count, datetime(2026, 2, 1, tzinfo=UTC))
        raw_rows = [_raw_rows(batch, str(raw_tenant.id)) for batch in raw_batches]
        libpq = settings.database_url.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(libpq) as conn:
            started = time.perf_counter()
            for orders, lines, tenders in raw_rows:
                with conn.transaction(), conn.cursor() as cur:
                    cur.execute(
                        "SELECT set_config('app.tenant_id', %s, true)", (str(raw_tenant.id),)
                    )
                    for sql, rows in (
                        (RAW_ORDERS, orders),
                        (RAW_LINES, lines),
                        (RAW_TENDERS, tenders),
                    ):
                        cur.executemany(sql.format(tenant=raw_tenant.id), rows)
            raw_seconds = time.perf_counter() - started
    finally:
        process.stop()
        drop_database(server, name)

    checks_seconds = _checks_seconds(batches)
    lines_total = count * ORDERS_PER_BATCH * LINES_PER_ORDER
    push_rate = lines_total / push_seconds
    raw_rate = lines_total / raw_seconds
    print()
    print(f"push ingest: {count} batches × 500 lines, {lines_total} order lines")
    print(f"  raw executemany INSERT … ON CONFLICT (orders, lines, tenders): "
          f"{raw_rate:,.0f} lines/s ({raw_seconds / count * 1000:.1f} ms/batch)")  # fmt: skip
    print(f"  POST /v1/sync/push end to end (HTTP, validation, merge, ledger): "
          f"{push_rate:,.0f} lines/s ({push_seconds / count * 1000:.1f} ms/batch)")  # fmt: skip
    print(f"  push / raw = {push_rate / raw_rate:.0%} (target ≥ 60 %)")
    orders_total = count * ORDERS_PER_BATCH
    print(f"  the per-order checks (pricing rule, structure, range, time; in process): "
          f"{checks_seconds / orders_total * 1e6:.1f} µs/order = "
          f"{checks_seconds / push_seconds:.1%} of the push time")  # fmt: skip
    print(f"  replayed batch: {replay_seconds / count * 1000:.1f} ms/batch = "
          f"{replay_seconds / push_seconds:.0%} of the first push (target ≤ 50 %)")  # fmt: skip
