"""Fee statements with millions of order lines in the database.

Targets: a tenant's monthly statement ≤ 50 ms with 5,000,000 order lines in the database; the
platform-wide monthly fee run over 5,000,000 lines ≤ 3 s.

The data is built with set-based SQL (`generate_series`): 1,000 tenants in four time zones, one
large tenant holding 10 % of all orders, 4 lines per order, orders spread evenly over twelve
months (2025-07 … 2026-06), and the fee ledger those orders produce. Building 5,000,000 lines
takes minutes, so the database (`sync_bench_fees_<lines>`) is kept between runs and rebuilt only
when the schema changes; `SYNC_BENCH_LINES` sets the size (default 5,000,000),
`SYNC_BENCH_REBUILD=1` forces a rebuild.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable

import psycopg
import pytest
from sqlalchemy import create_engine, text

from sync_server.config import Settings
from sync_server.db import app_engine, migrate, tenant_transaction
from sync_server.fees import service as fees
from sync_server.tenants import repository as tenant_repository
from sync_server.tenants.schemas import Tenant
from tests.support.sync_server_db import reachable

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

TENANTS = 1000
LINES_PER_ORDER = 4
SCHEMA_MARK = "fees-bench-v1"

_BUILD = [
    """CREATE FUNCTION bench_uuid(kind int, n bigint) RETURNS uuid LANGUAGE sql IMMUTABLE AS
       $$ SELECT (lpad(to_hex(kind), 8, '0') || '-0000-4000-8000-'
                  || lpad(to_hex(n), 12, '0'))::uuid $$""",
    """INSERT INTO tenants (id, slug, name, currency, timezone)
       SELECT bench_uuid(1, g), 'bench-' || g, 'Bench ' || g, 'EUR',
              (ARRAY['Europe/Paris', 'America/New_York', 'Asia/Tokyo', 'UTC'])[1 + g % 4]
       FROM generate_series(0, :tenants - 1) g""",
    "INSERT INTO fee_rates (tenant_id, effective_from, rate_bps) "
    "SELECT id, '1970-01-01', 100 FROM tenants",
    "INSERT INTO devices (tenant_id, id, name) SELECT id, id, 'bench' FROM tenants",
    """INSERT INTO orders (tenant_id, id, device_id, number, register_id, status, currency,
           tax_mode,
           subtotal_minor, line_discount_minor, order_discount_minor, tax_minor, total_minor,
           tip_minor, created_at, paid_at, content_hash)
       SELECT t, bench_uuid(2, o), t, o, t, 'paid', 'EUR', 'inclusive', s.gross, 0, 0, s.tax,
              s.gross, 0, p, p, '\\x00'
       FROM generate_series(0, :orders - 1) o
       CROSS JOIN LATERAL (SELECT bench_uuid(1, CASE WHEN o % 10 = 0 THEN 0
                                                   ELSE 1 + o % (:tenants - 1) END) AS t,
                                  timestamptz '2025-07-01 00:00+00'
                                  + (o * 31363200.0 / :orders) * interval '1 second' AS p) y
       CROSS JOIN LATERAL (SELECT sum(100 + ((o * 4 + k) % 50) * 37) AS gross,
                                  sum((100 + ((o * 4 + k) % 50) * 37) / 11) AS tax
                           FROM generate_series(0, 3) k) s""",
    """INSERT INTO order_lines (tenant_id, id, order_id, position, sku, name, quantity,
           unit_price_minor, tax_rate_ppm, gross_minor, line_discount_minor, order_discount_minor,
           net_minor, tax_minor, total_minor)
       SELECT o.tenant_id, bench_uuid(3, o.number * 4 + k), o.id, k, 'SKU-' || j, 'Product ' || j,
              1, price, 100000, price, 0, 0, price, price / 11, price
       FROM orders o CROSS JOIN generate_series(0, 3) k
       CROSS JOIN LATERAL (SELECT (o.number * 4 + k) % 50 AS j) jj
       CROSS JOIN LATERAL (SELECT 100 + jj.j * 37 AS price) pp""",
    """INSERT INTO fee_ledger (tenant_id, kind, source_id, currency, sku, name, natural_period,
           billing_period, amount_minor)
       SELECT l.tenant_id, 'sale', l.order_id::text, 'EUR', l.sku, l.name, x.per, x.per,
              l.total_minor - l.tax_minor
       FROM order_lines l
       JOIN orders o ON o.tenant_id = l.tenant_id AND o.id = l.order_id
       JOIN tenants t ON t.id = o.tenant_id
       CROSS JOIN LATERAL (
           SELECT to_char(o.paid_at AT TIME ZONE t.timezone, 'YYYY-MM') AS per) x""",
    "CREATE TABLE bench_meta (mark text, lines bigint)",
]


def _settings(lines: int) -> Settings:
    name = f"sync_bench_fees_{lines}"
    return Settings(
        database_url=f"postgresql+psycopg://pos_sync_app@127.0.0.1:5432/{name}",
        admin_database_url=f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}",
        token_hmac_key=b"bench-key-0123456789",
    )


def _ensure_database(lines: int) -> Settings:
    settings = _settings(lines)
    name = f"sync_bench_fees_{lines}"
    with psycopg.connect(
        host="127.0.0.1", user="postgres", dbname="postgres", autocommit=True
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists and os.environ.get("SYNC_BENCH_REBUILD") != "1":
            with psycopg.connect(host="127.0.0.1", user="postgres", dbname=name) as bench:
                try:
                    mark = bench.execute("SELECT mark, lines FROM bench_meta").fetchone()
                except psycopg.errors.UndefinedTable:
                    mark = None
            if mark == (SCHEMA_MARK, lines):
                print(f"\nreusing {name}")
                return settings
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    migrate(settings)
    started = time.perf_counter()
    engine = create_engine(settings.admin_database_url)
    params = {"tenants": TENANTS, "orders": lines // LINES_PER_ORDER}
    with engine.begin() as conn:
        conn.execute(text("SET LOCAL synchronous_commit = off"))
        conn.execute(text("SET LOCAL maintenance_work_mem = '512MB'"))
        for statement in _BUILD:
            conn.execute(text(statement), params)
        conn.execute(text("INSERT INTO bench_meta VALUES (:m, :l)"), {"m": SCHEMA_MARK, "l": lines})
    engine.dispose()
    with psycopg.connect(host="127.0.0.1", user="postgres", dbname=name, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    print(f"\nbuilt {name} in {time.perf_counter() - started:.0f} s")
    return settings


def _median_ms(action: Callable[[], object], runs: int) -> float:
    action()  # warm the cache and the plans
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def test_statement_and_platform_fee_run_with_millions_of_lines() -> None:
    if not reachable("127.0.0.1", 5432):
        pytest.fail("the benchmark needs PostgreSQL at 127.0.0.1:5432")
    lines = int(os.environ.get("SYNC_BENCH_LINES", "5000000"))
    settings = _ensure_database(lines)
    admin = create_engine(settings.admin_database_url)
    app = app_engine(settings)
    try:
        with admin.connect() as conn:
            total_lines = conn.execute(text("SELECT count(*) FROM order_lines")).scalar_one()
            big = tenant_repository.by_slug(conn, "bench-0")
            typical = tenant_repository.by_slug(conn, "bench-501")
            assert big is not None
            assert typical is not None
            month_rows = {
                slug: conn.execute(
                    text(
                        "SELECT count(*) FROM fee_ledger "
                        "WHERE tenant_id = :t AND billing_period = '2026-03'"
                    ),
                    {"t": tenant.id},
                ).scalar_one()
                for slug, tenant in (("big", big), ("typical", typical))
            }
        print(f"\nfee statements with {total_lines:,} order lines in the database")

        for label, tenant in (("large tenant", big), ("typical tenant", typical)):

            def app_statement(tenant: Tenant = tenant) -> object:
                with tenant_transaction(app, tenant.id) as conn:
                    return fees.statements_for(conn, tenant, "2026-03")

            ms = _median_ms(app_statement, 20)
            rows = month_rows["big" if tenant is big else "typical"]
            print(
                f"  {label} ({rows:,} ledger rows in 2026-03), app role under RLS: "
                f"{ms:.1f} ms (target ≤ 50 ms)"
            )

        with admin.connect() as conn:
            month_ms = _median_ms(lambda: fees.platform_statements(conn, "2026-03"), 5)
            month_total = conn.execute(
                text("SELECT count(*) FROM fee_ledger WHERE billing_period = '2026-03'")
            ).scalar_one()
            statements = len(fees.platform_statements(conn, "2026-03"))
            print(f"  platform-wide fee run for 2026-03 ({month_total:,} ledger rows, "
                  f"{statements} statements): {month_ms:.0f} ms (target ≤ 3 s)")  # fmt: skip
            periods = [f"2025-{m:02d}" for m in range(7, 13)] + [
                f"2026-{m:02d}" for m in range(1, 7)
            ]
            started = time.perf_counter()
            for period in periods:
                fees.platform_statements(conn, period)
            year_s = time.perf_counter() - started
            print(f"  platform-wide fee runs for all 12 months (every one of the "
                  f"{total_lines:,} lines): {year_s:.2f} s")  # fmt: skip
    finally:
        admin.dispose()
        app.dispose()
