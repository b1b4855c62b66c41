"""SIGKILL a selling register at random moments, many times: no half-written order, ever."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pos_app.db.database import Database
from pos_app.services.setup import seed_demo

KILLS = int(os.environ.get("POS_CRASH_KILLS", "15"))
ROOT = Path(__file__).resolve().parents[3]


def check_invariants(path: Path, initial_stock: dict[str, int]) -> int:
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        orders = con.execute(
            "SELECT id, number, status, total_minor, paid_minor, refunded_minor FROM orders"
        ).fetchall()
        numbers = sorted(row[1] for row in orders)
        assert numbers == list(range(1, len(numbers) + 1)), "order numbers have a gap or repeat"
        for order_id, number, status, total, paid, refunded in orders:
            assert status in ("paid", "partially_refunded", "refunded"), (number, status)
            lines = con.execute(
                "SELECT coalesce(sum(total_minor), 0), count(*) FROM order_lines WHERE order_id=?",
                (order_id,),
            ).fetchone()
            assert lines[1] >= 1, f"order {number} has no lines"
            assert lines[0] == total, f"order {number}: lines do not add up"
            tendered = con.execute(
                "SELECT coalesce(sum(amount_minor), 0) FROM tenders WHERE order_id=?", (order_id,)
            ).fetchone()[0]
            assert tendered == total == paid, f"order {number}: tenders do not add up"
            refunds = con.execute(
                "SELECT coalesce(sum(amount_minor), 0) FROM refunds WHERE order_id=?", (order_id,)
            ).fetchone()[0]
            assert refunds == refunded, f"order {number}: refunds half-written"
            sold = dict(
                con.execute(
                    "SELECT product_id, sum(quantity) FROM order_lines "
                    "WHERE order_id=? AND track_stock GROUP BY product_id",
                    (order_id,),
                ).fetchall()
            )
            moved = dict(
                con.execute(
                    "SELECT product_id, -sum(quantity_delta) FROM stock_movements "
                    "WHERE order_id=? AND reason='sale' GROUP BY product_id",
                    (order_id,),
                ).fetchall()
            )
            assert sold == moved, f"order {number}: stock movements half-written"
        for sku, start in initial_stock.items():
            level, moved_total = con.execute(
                "SELECT p.stock_quantity, coalesce(sum(m.quantity_delta), 0) FROM products p "
                "LEFT JOIN stock_movements m ON m.product_id = p.id WHERE p.sku=?",
                (sku,),
            ).fetchone()
            # Every stock change is a movement (the seed's opening stock included).
            assert level == moved_total, f"{sku}: stock level and movements disagree"
            assert start > 0
        return len(orders)
    finally:
        con.close()


@pytest.mark.slow
def test_sigkill_at_random_moments_never_leaves_a_half_written_order(tmp_path: Path) -> None:
    path = tmp_path / "register.sqlite3"
    db = Database(path)
    with db.write() as uow:
        seed_demo(uow)
    with db.read() as uow:
        initial = {p.sku: p.stock_quantity for p in uow.catalog.products() if p.track_stock}
    db.dispose()
    rnd = random.Random(1234)
    committed_seen = 0
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for attempt in range(KILLS):
        worker = subprocess.Popen(
            [sys.executable, "-m", "tests.support.crash_worker", str(path), str(attempt)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env=env,
        )
        assert worker.stdout is not None
        line = worker.stdout.readline()
        assert line.strip() == "ready", worker.stderr.read() if worker.stderr else line
        time.sleep(rnd.uniform(0.0, 0.25))
        worker.send_signal(signal.SIGKILL)
        out, err = worker.communicate(timeout=10)
        assert worker.returncode == -signal.SIGKILL, err
        committed_seen += out.count("order ")
        orders = check_invariants(path, initial)
        # Every order the worker reported as committed survived the kill.
        assert orders >= committed_seen
        committed_seen = orders
    assert committed_seen > KILLS, "the worker barely sold anything: the test proves little"
