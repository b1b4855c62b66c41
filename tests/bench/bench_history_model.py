"""The history screen's model over a million orders: how long until the first page is on
screen, the count arrives, a deep page loads, and a search answers — measured through the real
background runner, against the bare repository call in the same run."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from pos_app.application.register import Register
from pos_app.config import AppConfig
from pos_app.db.database import Database
from pos_app.domain.history import HistoryFilter
from pos_app.services.setup import seed_demo
from pos_app.ui.models.history_model import HistoryModel
from pos_app.ui.session import CounterSession
from pos_app.ui.tasks import TaskRunner
from tests.bench.support import Timing, measure, report

HISTORY_ORDERS = int(os.environ.get("BENCH_HISTORY_ORDERS", "1000000"))
RUNS = int(os.environ.get("BENCH_MODEL_RUNS", "30"))


def _fill(path: Path, count: int) -> None:
    """`count` paid orders, one a second, every third by card (set-based: seconds, not hours)."""
    db = Database(path)
    with db.write() as uow:
        seed_demo(uow)
    db.dispose()
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("BEGIN")
    con.execute(
        """
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
        INSERT INTO orders (id, number, register_id, status, currency, tax_mode, label,
            discount_reason, subtotal_minor, line_discount_minor, order_discount_minor, tax_minor,
            total_minor, tip_minor, paid_minor, refunded_minor, refunded_tax_minor, card_last4,
            created_at, updated_at, paid_at, business_at)
        SELECT printf('%012x7000%016x', 1700000000000 + i * 1000, i), i,
               '00000000000000000000000000000001', 'paid', 'USD', 'exclusive', '', '',
               (i * 37) % 5000 + 100, 0, 0, 0, (i * 37) % 5000 + 100, 0, (i * 37) % 5000 + 100,
               0, 0, CASE WHEN i % 3 = 0 THEN printf('%04d', i % 10000) END,
               strftime('%Y-%m-%dT%H:%M:%S.000000+00:00', 1700000000 + i, 'unixepoch'),
               strftime('%Y-%m-%dT%H:%M:%S.000000+00:00', 1700000000 + i, 'unixepoch'),
               strftime('%Y-%m-%dT%H:%M:%S.000000+00:00', 1700000000 + i, 'unixepoch'),
               strftime('%Y-%m-%dT%H:%M:%S.000000+00:00', 1700000000 + i, 'unixepoch')
        FROM n
        """,
        (count,),
    )
    con.execute("COMMIT")
    con.execute("ANALYZE")
    con.close()


def _until(qtbot: QtBot, action: Callable[[], None], done: Callable[[], bool]) -> float:
    """Milliseconds from `action` on the GUI thread until `done()` holds there. The event loop
    sleeps until the background result is posted (no polling interval in the figure)."""
    started = time.perf_counter()
    action()
    deadline = started + 60
    while not done():
        assert time.perf_counter() < deadline, "no result within a minute"
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
    return (time.perf_counter() - started) * 1000


def _more_rows_than(model: HistoryModel, rows: int) -> Callable[[], bool]:
    return lambda: model.rowCount() > rows


def _timing(
    name: str, qtbot: QtBot, action: Callable[[], None], done: Callable[[], bool]
) -> Timing:
    return Timing(name, [_until(qtbot, action, done) for _ in range(RUNS)])


def test_history_model_over_a_million_orders(
    qapp: QApplication, qtbot: QtBot, tmp_path: Path
) -> None:
    config = AppConfig(data_dir=tmp_path)
    started = time.perf_counter()
    _fill(config.db_path, HISTORY_ORDERS)
    print(f"\n   (filled {HISTORY_ORDERS:,} orders in {time.perf_counter() - started:.1f} s)")
    register = Register.open(config)
    runner = TaskRunner()
    session = CounterSession(register, runner, config, "en_US")
    model = HistoryModel(session)
    db = register.db
    try:

        def bare_page() -> None:
            with db.read() as uow:
                uow.orders.page(limit=model.page_size)

        baseline = measure(
            f"repository page ({model.page_size} rows), same thread", bare_page, runs=RUNS
        )

        def first_page_shown() -> bool:
            return model.rowCount() > 0

        def search(history: HistoryFilter) -> Callable[[], None]:
            def start() -> None:
                model.search(history)
                model.fetchMore()

            return start

        first = _timing(
            "model: search → first page inserted", qtbot, search(HistoryFilter()), first_page_shown
        )
        counted = _timing(
            f"model: search → count of {HISTORY_ORDERS:,} shown",
            qtbot,
            search(HistoryFilter()),
            lambda: model.total is not None,
        )

        # Scroll 50 pages deep, then time the next page (keyset: as cheap as the first).
        model.search(HistoryFilter())
        for _page in range(50):
            _until(qtbot, model.fetchMore, _more_rows_than(model, model.rowCount()))
        deep = [
            _until(qtbot, model.fetchMore, _more_rows_than(model, model.rowCount()))
            for _ in range(RUNS)
        ]
        deep_page = Timing(f"model: next page at row {50 * model.page_size:,}+", deep)

        last4 = _timing(
            "model: search card last 4",
            qtbot,
            search(HistoryFilter(card_last4="0042")),
            first_page_shown,
        )
        amount = _timing(
            "model: search exact total",
            qtbot,
            search(HistoryFilter(total_minor=1234)),
            first_page_shown,
        )
        number = _timing(
            "model: search order number",
            qtbot,
            search(HistoryFilter(number=HISTORY_ORDERS // 2)),
            first_page_shown,
        )
        report(
            f"History screen model over {HISTORY_ORDERS:,} orders",
            baseline,
            first,
            counted,
            deep_page,
            last4,
            amount,
            number,
            baseline=baseline,
            target="first page on screen <= 100 ms; deep pages as fast as the first",
        )
        qtbot.waitUntil(lambda: runner.running == 0, timeout=60_000)
    finally:
        runner.shutdown(wait=True)
        register.close()
