"""An hour-long shift at the counter in its own process: sells through the real window (three
items, cash, next customer; order history opened every ten sales) and prints the resident
memory as JSON lines ``[sale, megabytes]`` every 60 sales. Used by bench_counter_ui.py."""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication

from pos_app.app import build_window, stylesheet
from pos_app.application.register import Register
from pos_app.config import AppConfig
from pos_app.ui.screens.pay import PayScreen
from pos_app.ui.screens.sell import SellScreen
from pos_app.ui.session import CounterSession
from pos_app.ui.tasks import TaskRunner


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def pump(app: QApplication, runner: TaskRunner) -> None:
    """What the event loop of `app.exec()` does between two taps, deferred deletes included
    (`processEvents` alone never runs them)."""
    deadline = time.monotonic() + 10
    app.processEvents()
    while runner.running and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.001)
    app.processEvents()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def main(sales: int) -> int:
    app = QApplication(sys.argv)
    app.setStyleSheet(stylesheet())
    with tempfile.TemporaryDirectory() as folder:
        config = AppConfig(data_dir=Path(folder))
        register = Register.open(config, demo=True)
        runner = TaskRunner()
        session = CounterSession(register, runner, config, "en_US")
        window = build_window(session)
        window.resize(1024, 768)
        window.show()
        session.load()
        pump(app, runner)
        register.shifts.ensure_open(register.access.staff_by_name("Sam"), float_minor=10_000)
        session.refresh_shift()
        session.sign_in(register.access.staff_by_name("Alex"))
        window.show_screen("sell")
        pump(app, runner)
        sell, pay = window.screens["sell"], window.screens["pay"]
        assert isinstance(sell, SellScreen)
        assert isinstance(pay, PayScreen)
        products = [p for p in session.products if not p.modifier_groups and not p.track_stock]
        print(json.dumps([0, rss_mb()]), flush=True)
        for sale in range(1, sales + 1):
            for product in products[sale % 5 : sale % 5 + 3]:
                sell.add_product(product)
            window.show_screen("pay")
            pay.take_cash_amount(pay.due_minor() + 500)
            pump(app, runner)
            if window.current != "finish":
                raise SystemExit(f"sale {sale} did not finish")
            window.show_screen("sell")
            if sale % 10 == 0:
                window.show_screen("history")
                pump(app, runner)
                window.show_screen("sell")
            if sale % 60 == 0:
                print(json.dumps([sale, rss_mb()]), flush=True)
        window.close()
        pump(app, runner)
        session.shutdown()
        runner.shutdown(wait=True)
        register.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(int(sys.argv[1])))
