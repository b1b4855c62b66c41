"""Issue 2 benchmarks: placing a paid order, and order history over a million orders."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from pathlib import Path

from pos_app.db.database import Database
from pos_app.domain.clock import utcnow
from pos_app.domain.history import HistoryFilter
from pos_app.domain.ids import uuid7
from pos_app.domain.orders import Order
from pos_app.domain.tenders import TenderKind, TenderRequest
from pos_app.services import checkout, shifts
from pos_app.services.setup import seed_demo
from tests.bench.support import measure, report
from tests.support.register import ring_up

RUNS = int(os.environ.get("BENCH_RUNS", "400"))
HISTORY_ORDERS = int(os.environ.get("BENCH_HISTORY_ORDERS", "1000000"))
ITEMS = [("COF-ESP", 1), ("FOD-FRI", 2), ("DRK-TEA", 1)]


def _ts() -> str:
    return utcnow().strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def test_place_paid_order_vs_raw_sqlite(tmp_path: Path) -> None:
    db = Database(tmp_path / "service.sqlite3")
    with db.write() as uow:
        shop = seed_demo(uow)
        owner = next(m for m in uow.staff.all() if m.name == "Sam")
        shift_id = shifts.open_shift(uow, shop=shop, staff=owner, float_minor=0).id
    template = ring_up(db, shop, ITEMS)
    total = template.totals().total_minor

    def service_order() -> None:
        order = _fresh(template)
        with db.write() as uow:
            checkout.place_order(
                uow,
                order=order,
                tenders=[TenderRequest(TenderKind.CASH, total)],
                shop=shop,
                staff=owner,
                shift_id=shift_id,
            )

    # The raw baseline writes the same rows with the same pragmas and the same write lock.
    raw_db = Database(tmp_path / "raw.sqlite3")
    with raw_db.write() as uow:
        seed_demo(uow)
    raw_db.dispose()
    con = sqlite3.connect(tmp_path / "raw.sqlite3", isolation_level=None)
    for pragma in ("journal_mode = WAL", "synchronous = FULL", "foreign_keys = ON"):
        con.execute(f"PRAGMA {pragma}")
    products = {
        sku: con.execute(
            "SELECT id, price_minor, tax_rate_ppm, name FROM products WHERE sku=?", (sku,)
        ).fetchone()
        for sku, _ in ITEMS
    }
    register = uuid7().hex

    def raw_order() -> None:
        order_id = uuid7().hex
        now = _ts()
        con.execute("BEGIN IMMEDIATE")
        number = (con.execute("SELECT max(number) FROM orders").fetchone()[0] or 0) + 1
        con.execute(
            "INSERT INTO orders (id, number, register_id, status, currency, tax_mode, label, discount_reason,"
            " subtotal_minor, line_discount_minor, order_discount_minor, tax_minor, total_minor, tip_minor,"
            " paid_minor, refunded_minor, refunded_tax_minor, created_at, updated_at, paid_at,"
            " business_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                order_id,
                number,
                register,
                "paid",
                "USD",
                "exclusive",
                "",
                "",
                total,
                0,
                0,
                0,
                total,
                0,
                total,
                0,
                0,
                now,
                now,
                now,
                now,
            ),
        )
        con.executemany(
            "INSERT INTO order_lines (id, order_id, position, product_id, sku, name, unit_price_minor,"
            " tax_rate_ppm, quantity, note, track_stock, gross_minor, line_discount_minor,"
            " order_discount_minor, net_minor, tax_minor, total_minor, refunded_quantity)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    uuid7().hex,
                    order_id,
                    i,
                    products[sku][0],
                    sku,
                    products[sku][3],
                    products[sku][1],
                    products[sku][2],
                    qty,
                    "",
                    0,
                    products[sku][1] * qty,
                    0,
                    0,
                    products[sku][1] * qty,
                    0,
                    products[sku][1] * qty,
                    0,
                )
                for i, (sku, qty) in enumerate(ITEMS)
            ],
        )
        con.execute(
            "INSERT INTO tenders (id, order_id, kind, amount_minor, tip_minor, tendered_minor,"
            " change_minor, refunded_minor, created_at) VALUES (?,?,?,?,?,?,?,?,?)",
            (uuid7().hex, order_id, "cash", total, 0, total, 0, 0, now),
        )
        # The sync outbox entry, as the service writes it in the same transaction.
        con.execute(
            "INSERT INTO outbox (entity, entity_id, payload, created_at) VALUES (?,?,?,?)",
            (
                "order",
                order_id,
                json.dumps({"number": number, "lines": ITEMS, "total": total}),
                now,
            ),
        )
        con.execute("COMMIT")

    raw = measure("raw sqlite3 transaction (same rows)", raw_order, runs=RUNS)
    service = measure("service layer place_order (3 lines, cash)", service_order, runs=RUNS)
    report(
        "Placing a paid three-line order",
        raw,
        service,
        baseline=raw,
        target="p99 <= 10 ms and <= 5x raw",
    )
    con.close()
    db.dispose()


def _fresh(template: Order) -> Order:
    """A copy of the rung-up cart with new ids: placing is measured, not ringing up."""
    order = template.clone()
    order.id = uuid7()
    for line in order.lines:
        line.id = uuid7()
    return order


def test_history_over_a_million_orders(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    db = Database(path)
    with db.write() as uow:
        seed_demo(uow)
    db.dispose()
    con = sqlite3.connect(path, isolation_level=None)
    started = time.perf_counter()
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("BEGIN")
    # Set-based fill: ids are time-ordered hex like UUIDv7s, one order per second of history.
    con.execute(
        """
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
        INSERT INTO orders (id, number, register_id, status, currency, tax_mode, label,
            discount_reason, subtotal_minor, line_discount_minor, order_discount_minor, tax_minor,
            total_minor, tip_minor, paid_minor, refunded_minor, refunded_tax_minor, card_last4,
            created_at, updated_at, paid_at, business_at)
        SELECT printf('%012x7000%016x', 1700000000000 + i * 1000, i), i,
               '00000000000000000000000000000001', 'paid', 'USD', 'exclusive', '', '',
               (i * 37) % 5000 + 100, 0, 0, 0, (i * 37) % 5000 + 100, 0, (i * 37) % 5000 + 100, 0, 0,
               CASE WHEN i % 3 = 0 THEN printf('%04d', i % 10000) END,
               strftime('%Y-%m-%dT%H:%M:%S.000000+00:00', 1700000000 + i, 'unixepoch'),
               strftime('%Y-%m-%dT%H:%M:%S.000000+00:00', 1700000000 + i, 'unixepoch'),
               strftime('%Y-%m-%dT%H:%M:%S.000000+00:00', 1700000000 + i, 'unixepoch'),
               strftime('%Y-%m-%dT%H:%M:%S.000000+00:00', 1700000000 + i, 'unixepoch')
        FROM n
        """,
        (HISTORY_ORDERS,),
    )
    con.execute("COMMIT")
    con.execute("ANALYZE")
    con.close()
    print(f"\n   (filled {HISTORY_ORDERS:,} orders in {time.perf_counter() - started:.1f} s)")

    db = Database(path)
    numbers = iter(range(HISTORY_ORDERS // 3, HISTORY_ORDERS, 997))

    def first_page() -> None:
        with db.read() as uow:
            assert len(uow.orders.page(limit=50)) == 50

    def by_number() -> None:
        with db.read() as uow:
            assert uow.orders.get_by_number(next(numbers)) is not None

    def by_last4() -> None:
        with db.read() as uow:
            uow.orders.page(limit=50, history=HistoryFilter(card_last4="0042"))

    def next_page() -> None:
        with db.read() as uow:
            page = uow.orders.page(limit=50)
            last = page[-1]
            uow.orders.page(limit=50, after=(last.business_at, last.id))

    page = measure("first page of history (50 rows)", first_page, runs=200)
    number = measure("lookup by order number (whole order)", by_number, runs=200)
    last4 = measure("search by card last 4", by_last4, runs=100)
    second = measure("first + second page (keyset)", next_page, runs=100)
    report(
        f"Order history over {HISTORY_ORDERS:,} orders",
        page,
        number,
        last4,
        second,
        target="first page <= 50 ms; lookup by number <= 5 ms",
    )
    db.dispose()
