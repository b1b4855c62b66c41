"""Shops invoiced per second at month end, against the Stripe emulator on loopback.

`BENCH_BILLING_SHOPS` shops (default 200), each with a month of sales (10 orders of 4 lines,
built with set-based SQL), half of them with a saved card (charged at once: customer, invoice,
item, finalize, auto-advance, pay, read back: 8 calls) and half without (emailed with the hosted
page: 7 calls). The month is closed (`fees.close_period`, verification included), then invoiced
sequentially and with `SYNC_BILLING_CONCURRENCY`-style threads, on two copies of the month, and
`fees verify`'s invoice checks run over the result. The emulator answers in well under a
millisecond; Stripe itself takes 100–400 ms a call, so there the rate is latency-bound
(≈ calls × latency ÷ concurrency per shop).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import Engine, create_engine, text

from pos_app.payments.emulator import StripeEmulator
from sync_server.billing import service as billing
from sync_server.billing import tasks as billing_tasks
from sync_server.config import Settings
from sync_server.db import app_engine
from sync_server.fees import service as fees
from tests.support import sync_server_db
from tests.support.billing_shops import platform_client

pytestmark = [pytest.mark.postgres, pytest.mark.stripe_emulator, pytest.mark.slow]

SHOPS = int(os.environ.get("BENCH_BILLING_SHOPS", "200"))
ORDERS_PER_SHOP = 10

_BUILD = [
    """CREATE FUNCTION bench_uuid(kind int, n bigint) RETURNS uuid LANGUAGE sql IMMUTABLE AS
       $$ SELECT (lpad(to_hex(kind), 8, '0') || '-0000-4000-8000-'
                  || lpad(to_hex(n), 12, '0'))::uuid $$""",
    """INSERT INTO tenants (id, slug, name, currency, timezone, created_at)
       SELECT bench_uuid(1, g), 'bench-' || g, 'Bench ' || g, 'EUR', 'UTC', '2020-01-01'
       FROM generate_series(0, :shops - 1) g""",
    "INSERT INTO fee_rates (tenant_id, effective_from, rate_bps) "
    "SELECT id, '1970-01-01', 100 FROM tenants",
    "INSERT INTO devices (tenant_id, id, name) SELECT id, id, 'bench' FROM tenants",
    """INSERT INTO orders (tenant_id, id, device_id, number, register_id, status, currency,
           tax_mode, subtotal_minor, line_discount_minor, order_discount_minor, tax_minor,
           total_minor, tip_minor, created_at, paid_at, content_hash)
       SELECT bench_uuid(1, o % :shops), bench_uuid(2, o), bench_uuid(1, o % :shops), o,
              bench_uuid(1, o % :shops), 'paid', 'EUR', 'inclusive', 4 * 2500, 0, 0, 4 * 227,
              4 * 2500, 0, timestamptz '2026-03-05 12:00+00', timestamptz '2026-03-05 12:00+00',
              '\\x00'
       FROM generate_series(0, :shops * :orders - 1) o""",
    """INSERT INTO order_lines (tenant_id, id, order_id, position, sku, name, quantity,
           unit_price_minor, tax_rate_ppm, gross_minor, line_discount_minor,
           order_discount_minor, net_minor, tax_minor, total_minor)
       SELECT o.tenant_id, bench_uuid(3, o.number * 4 + k), o.id, k, 'SKU-' || k,
              'Product ' || k, 1, 2500, 100000, 2500, 0, 0, 2500, 227, 2500
       FROM orders o CROSS JOIN generate_series(0, 3) k""",
    """INSERT INTO fee_ledger (tenant_id, kind, source_id, currency, sku, name, natural_period,
           billing_period, amount_minor)
       SELECT tenant_id, 'sale', order_id::text, 'EUR', sku, name, '2026-03', '2026-03',
              total_minor - tax_minor
       FROM order_lines""",
]


@pytest.fixture
def bench_settings() -> Iterator[Settings]:
    with sync_server_db.test_postgres() as server:
        name, built = sync_server_db.create_database(server)
        yield built
        sync_server_db.drop_database(server, name)


def _save_cards(emulator: StripeEmulator, admin: Engine, tenant_ids: list[object]) -> None:
    with (
        httpx.Client(
            base_url=emulator.base_url, headers={"Authorization": f"Bearer {emulator.test_key}"}
        ) as stripe,
        admin.begin() as conn,
    ):
        for tenant_id in tenant_ids:
            made = stripe.post(
                "/v1/customers",
                data={
                    "metadata[tenant_id]": str(tenant_id),
                    "payment_method": "pm_card_visa",
                    "invoice_settings[default_payment_method]": "pm_card_visa",
                },
            )
            assert made.status_code == 200, made.text
            conn.execute(
                text(
                    "INSERT INTO billing_customers (tenant_id, idempotency_key, "
                    "stripe_customer_id) VALUES (:t, :k, :c)"
                ),
                {"t": tenant_id, "k": f"billing-customer-{tenant_id}", "c": made.json()["id"]},
            )


def test_shops_invoiced_per_second_at_month_end(bench_settings: Settings) -> None:
    emulator = StripeEmulator().start()  # unchecked: the spec check would dominate the timing
    settings = bench_settings
    admin = create_engine(settings.admin_database_url)
    app = app_engine(settings)
    try:
        with admin.begin() as conn:
            for statement in _BUILD:
                conn.execute(text(statement), {"shops": SHOPS, "orders": ORDERS_PER_SHOP})
            ids = [row.id for row in conn.execute(text("SELECT id FROM tenants ORDER BY slug"))]
        _save_cards(emulator, admin, ids[::2])
        started = time.perf_counter()
        with admin.begin() as conn:
            closed = fees.close_period(conn, "2026-03", now=datetime(2026, 4, 2, tzinfo=UTC))
        close_s = time.perf_counter() - started
        assert len(closed.frozen) == SHOPS, closed.held
        print(f"\nmonth end for {SHOPS} shops: close (verify + freeze) {close_s:.2f} s")

        for label, concurrency in (("one shop at a time", 1), ("4 shops at once", 4)):
            if concurrency > 1:
                _reset_billing(admin, emulator)
            calls_before = len(emulator.requests)
            with platform_client(
                Settings(billing_stripe_key=emulator.test_key, billing_stripe_url=emulator.base_url)
            ) as client:
                report = billing_tasks.invoice_all(
                    app, admin, client, days_until_due=14, concurrency=concurrency
                )
            calls = len(emulator.requests) - calls_before
            assert report.failed == []
            assert len(report.invoiced) == SHOPS
            print(
                f"  invoiced {SHOPS} shops, {label}: {report.seconds:.2f} s = "
                f"{SHOPS / report.seconds:.1f} shops/s ({calls} Stripe calls, "
                f"{calls / SHOPS:.1f} per shop)"
            )
        with admin.connect() as conn:
            slugs = {row.id: row.slug for row in conn.execute(text("SELECT id, slug FROM tenants"))}
            started = time.perf_counter()
            problems = billing.invoiced_equals_fee(conn, slugs)
            with platform_client(
                Settings(billing_stripe_key=emulator.test_key, billing_stripe_url=emulator.base_url)
            ) as client:
                problems |= billing.stripe_agrees(conn, slugs, client.get_invoice)
            verify_s = time.perf_counter() - started
        assert problems == {}
        print(f"  fees verify's invoice checks over {SHOPS} shops: {verify_s:.2f} s")
        with admin.connect() as conn:
            statuses = conn.execute(
                text("SELECT status, count(*) FROM billing_invoices GROUP BY status ORDER BY 1")
            ).all()
        assert [tuple(row) for row in statuses] == [("open", SHOPS // 2), ("paid", SHOPS // 2)]
    finally:
        app.dispose()
        admin.dispose()
        emulator.stop()


def _reset_billing(admin: Engine, emulator: StripeEmulator) -> None:
    """Forget the run's invoices (ours; Stripe's are voided) so the same month is invoiced
    again, from the same starting point: customers kept, cards saved."""
    with admin.begin() as conn:
        conn.execute(text("DELETE FROM billing_calls"))
        conn.execute(text("DELETE FROM billing_credit_notes"))
        conn.execute(text("DELETE FROM billing_carries"))
        conn.execute(text("DELETE FROM billing_invoices"))
    with httpx.Client(
        base_url=emulator.base_url, headers={"Authorization": f"Bearer {emulator.test_key}"}
    ) as stripe:
        for invoice in emulator.invoices.values():
            if invoice["status"] == "open":
                assert stripe.post(f"/v1/invoices/{invoice['id']}/void").status_code == 200
