"""Crash chaos: a card register killed with SIGKILL mid-payment, again and again, with a faulty
network to Stripe; after each restart the books must still balance.

`run_crash_chaos` runs the Stripe emulator in this process behind a chaos proxy (refused,
delayed, black-holed and reset-after-request connections) plus the emulator's own injected
faults, and starts `tests.soak.card_register` on one data directory again after each kill.
Kills are aimed with the worker's phase lines so they land inside the payment flow: before and
after creating the PaymentIntent, while the reader is processing, around the capture, while
cancelling, during the start-up recovery itself, and anywhere in checkout.

After every restart (once the app's recovery has run, the worker paused) it checks, from the
register's SQLite file and the emulator's HTTP API:

- every order the register showed as paid is paid in its database, tenders summing to the total;
- every PaymentIntent carrying this register's metadata is either captured, with exactly one
  paid order whose card tender references it for the amount captured, or canceled (released);
- none is left `requires_capture` (a hold on a customer's card), none left merely open;
- no order has two captured PaymentIntents, no PaymentIntent has two captured charges;
- nothing is left in flight: no payment attempt unsettled, no order with a pending tender plan.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import random
import secrets
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID

import stripe

from pos_app.application.register import Register
from pos_app.config import AppConfig
from pos_app.db.database import Database
from pos_app.domain.payments import IN_FLIGHT
from pos_app.payments.emulator import StripeEmulator
from pos_app.payments.emulator.openapi_check import OpenAPIChecker, find_spec
from pos_app.payments.stripe_terminal import STRIPE_API_VERSION, FormHTTPXClient
from tests.support.chaos_proxy import ChaosPolicy, ChaosProxy

ROOT = Path(__file__).resolve().parents[2]
PAID_STATUSES = ("paid", "partially_refunded", "refunded")
RECOVERY_TIMEOUT_S = 120.0
MARKER_TIMEOUT_S = 6.0

#: Where a kill is aimed: (the phase lines that arm it, how many of them to let pass first).
TARGETS: dict[str, tuple[tuple[str, ...], int]] = {
    "checkout": (("card_sale", "cash_sale", "cash"), 2),
    "before create": (("create_payment",), 2),
    "after create": (("create_payment:done",), 2),
    "processing on reader": (("process_on_reader", "process_on_reader:done"), 2),
    "waiting for card": (("present_test_card", "reader_state", "get_payment"), 3),
    "before capture": (("finalize",), 2),
    "capturing": (("capture",), 2),
    "after capture": (("capture:done",), 2),
    "cancelling": (("cancel_payment", "cancel_reader_action", "cashier_cancel", "release"), 1),
}
TARGET_WEIGHTS = {
    "checkout": 8,
    "before create": 10,
    "after create": 10,
    "processing on reader": 10,
    "waiting for card": 10,
    "before capture": 10,
    "capturing": 12,
    "after capture": 12,
    "cancelling": 10,
}
#: The phase a kill landed in, from the last phase line the worker printed.
PHASE_OF_MARKER = {
    "boot": "start-up recovery",
    "card_sale": "checkout",
    "cash_sale": "checkout",
    "cash": "checkout",
    "create_payment": "before create",
    "create_payment:done": "after create",
    "process_on_reader": "processing on reader",
    "process_on_reader:done": "processing on reader",
    "present_test_card": "waiting for card",
    "present_test_card:done": "waiting for card",
    "reader_state": "waiting for card",
    "reader_state:done": "waiting for card",
    "get_payment": "waiting for card",
    "get_payment:done": "waiting for card",
    "finalize": "before capture",
    "capture": "capturing",
    "capture:done": "after capture",
    "cancel_payment": "cancelling",
    "cancel_payment:done": "cancelling",
    "cancel_reader_action": "cancelling",
    "cancel_reader_action:done": "cancelling",
    "cashier_cancel": "cancelling",
    "release": "cancelling",
}


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


@dataclass
class CrashReport:
    kills: int = 0
    kills_by_phase: Counter[str] = field(default_factory=Counter)
    restarts_checked: int = 0
    card_attempts: int = 0
    captured: int = 0
    released: int = 0
    refused: int = 0
    paid_orders_shown: int = 0
    left_authorised: set[str] = field(default_factory=set)
    left_open: set[str] = field(default_factory=set)
    double_charges: set[str] = field(default_factory=set)
    lost_paid_orders: set[str] = field(default_factory=set)
    recovery_seconds: list[float] = field(default_factory=list)
    recovery_repeats: int = 0
    recovery_actions: Counter[str] = field(default_factory=Counter)
    network_faults: Counter[str] = field(default_factory=Counter)
    stripe_faults: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    server_check: str = "not asked"
    elapsed_s: float = 0.0

    @property
    def ok(self) -> bool:
        return (
            not self.problems
            and not self.left_authorised
            and not self.left_open
            and not self.double_charges
            and not self.lost_paid_orders
            and self.restarts_checked > 0
        )

    def rows(self) -> list[tuple[str, str]]:
        phases = ", ".join(f"{name} {count}" for name, count in sorted(self.kills_by_phase.items()))
        network = ", ".join(
            f"{fate} {count}" for fate, count in sorted(self.network_faults.items()) if fate != "ok"
        )
        injected = ", ".join(
            f"{kind} {count}" for kind, count in sorted(self.stripe_faults.items())
        )
        return [
            ("crash chaos", "ok" if self.ok else "FAILED"),
            ("kills (SIGKILL)", str(self.kills)),
            ("kill points hit, by phase", phases or "-"),
            ("restarts checked", str(self.restarts_checked)),
            ("card attempts", str(self.card_attempts)),
            ("captured", str(self.captured)),
            ("released (canceled)", str(self.released)),
            ("refused by Stripe, never created", str(self.refused)),
            ("left authorised (must be 0)", str(len(self.left_authorised))),
            ("left open, not released (must be 0)", str(len(self.left_open))),
            ("double charges (must be 0)", str(len(self.double_charges))),
            ("lost paid orders (must be 0)", str(len(self.lost_paid_orders))),
            ("orders shown paid", str(self.paid_orders_shown)),
            (
                "recovery time p50 / p99 (process start to recovered)",
                f"{_percentile(self.recovery_seconds, 0.5):.2f} s / "
                f"{_percentile(self.recovery_seconds, 0.99):.2f} s",
            ),
            ("recoveries needing another pass", str(self.recovery_repeats)),
            (
                "recovery actions",
                ", ".join(f"{k} {n}" for k, n in sorted(self.recovery_actions.items())) or "-",
            ),
            ("network faults (chaos proxy)", network or "-"),
            ("injected Stripe faults (emulator)", injected or "-"),
            ("sync server holds every paid order", self.server_check),
            ("problems", str(len(self.problems))),
            ("elapsed", f"{self.elapsed_s:.0f} s"),
        ]


# --- the worker process ---------------------------------------------------------------------


class Worker:
    """One run of the card register: its stdout read line by line on a thread."""

    def __init__(self, data_dir: Path, seed: int, env: dict[str, str], stderr: Any) -> None:
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.soak.card_register", str(data_dir), str(seed)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            cwd=ROOT,
            env=env,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.last_phase = "boot"
        self.recovered = False
        self.shown_paid: list[tuple[str, int]] = []
        self.died_by_itself: int | None = None
        """The exit code, when the process had ended before it was killed."""
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def _take(self, line: str) -> None:
        if line.startswith("phase "):
            self.last_phase = line[6:].split(" ", 1)[0]
        elif line.startswith("paid "):
            _, order_id, _number, total = line.split()
            self.shown_paid.append((UUID(order_id).hex, int(total)))

    def next_line(self, timeout: float) -> str | None:
        """The next line (None at end of output); raises queue.Empty on timeout."""
        line = self.lines.get(timeout=timeout)
        if line is not None:
            self._take(line)
        return line

    def wait_recovered(self) -> dict[str, Any]:
        deadline = time.monotonic() + RECOVERY_TIMEOUT_S
        while True:
            line = self.next_line(max(0.01, deadline - time.monotonic()))
            if line is None:
                raise RuntimeError(f"the register exited during start-up ({self.process.wait()})")
            if line.startswith("recovered "):
                self.recovered = True
                recovery: dict[str, Any] = json.loads(line[len("recovered ") :])
                return recovery

    def send(self, command: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()

    def wait_for_phase(self, markers: tuple[str, ...], occurrences: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        seen = 0
        while time.monotonic() < deadline:
            try:
                line = self.next_line(deadline - time.monotonic())
            except queue.Empty:
                return False
            if line is None:
                return False
            if line.startswith("phase ") and self.last_phase in markers:
                seen += 1
                if seen >= occurrences:
                    return True
        return False

    def kill(self) -> str:
        """SIGKILL; returns the phase the process was in (its last phase line)."""
        self.died_by_itself = self.process.poll()
        with contextlib.suppress(ProcessLookupError):
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)
        self.drain()
        self.close()
        return self.last_phase

    def close(self) -> None:
        """Close the pipes (once the process is gone and its output read)."""
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()

    def drain(self) -> None:
        while True:
            try:
                line = self.lines.get(timeout=10)
            except queue.Empty:
                return
            if line is None:
                return
            self._take(line)


# --- the books --------------------------------------------------------------------------------


def _hex(value: Any) -> str:
    return UUID(str(value)).hex


def _stripe_client(emulator: StripeEmulator, key: str) -> tuple[stripe.StripeClient, Any]:
    http_client = FormHTTPXClient(timeout=10.0, allow_sync_methods=True)
    client = stripe.StripeClient(
        key,
        base_addresses={"api": emulator.base_url},
        http_client=http_client,
        stripe_version=STRIPE_API_VERSION,
    )
    return client, http_client


def check_books(
    *,
    db_path: Path,
    client: stripe.StripeClient,
    register_id: str,
    shown_paid: dict[str, int],
    report: CrashReport,
    when: str,
) -> None:
    """Compare the register's database with what Stripe (the emulator) holds; record findings
    in `report` (the counters are those of the latest check)."""
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        orders = {
            _hex(row[0]): row[1:]
            for row in con.execute(
                "SELECT id, number, status, total_minor, pending_tenders FROM orders"
            )
        }
        tenders: dict[str, list[tuple[str, int, int, str | None]]] = {}
        for order_id, kind, amount, tip, payment_id in con.execute(
            "SELECT order_id, kind, amount_minor, tip_minor, payment_id FROM tenders"
        ):
            tenders.setdefault(_hex(order_id), []).append(
                (kind, amount, tip, _hex(payment_id) if payment_id else None)
            )
        attempts = {
            _hex(row[0]): (_hex(row[1]), *row[2:])
            for row in con.execute(
                "SELECT id, order_id, status, gateway_payment_id FROM payment_transactions"
            )
        }
    finally:
        con.close()

    def problem(text: str) -> None:
        report.problems.append(f"{when}: {text}")

    for order_id, total in shown_paid.items():
        found = orders.get(order_id)
        if found is None or found[1] not in PAID_STATUSES:
            report.lost_paid_orders.add(order_id)
            problem(f"order {order_id} was shown paid but is {found[1] if found else 'missing'}")
            continue
        if found[2] != total:
            problem(f"order {found[0]}: shown paid for {total}, recorded {found[2]}")
    for order_id, (number, status, total, pending) in orders.items():
        if status in PAID_STATUSES:
            paid = sum(amount for _kind, amount, _tip, _pid in tenders.get(order_id, []))
            if paid != total:
                problem(f"order {number}: tenders sum to {paid}, total is {total}")
        if pending not in (None, "null"):  # a JSON column: cleared is JSON null
            problem(f"order {number} ({status}) still has a pending tender plan")
    for attempt_id, (order_id, status, _gateway_id) in attempts.items():
        if status in IN_FLIGHT:
            problem(f"payment attempt {attempt_id} (order {order_id}) left {status}")
    card_tenders: dict[str, list[tuple[str, int, int]]] = {}
    for order_id, rows in tenders.items():
        for kind, amount, tip, payment_id in rows:
            if kind == "card" and payment_id is not None:
                card_tenders.setdefault(payment_id, []).append((order_id, amount, tip))

    intents = [
        pi
        for pi in (
            obj.to_dict()
            for obj in client.v1.payment_intents.list({"limit": 100}).auto_paging_iter()
        )
        if (pi.get("metadata") or {}).get("register_id") == register_id
    ]
    captured_charges: Counter[str] = Counter(
        str(charge["payment_intent"])
        for charge in (
            obj.to_dict() for obj in client.v1.charges.list({"limit": 100}).auto_paging_iter()
        )
        if charge.get("captured") and charge.get("payment_intent")
    )
    captured_by_order: dict[str, list[str]] = {}
    report.card_attempts = len(attempts)
    report.refused = sum(
        1
        for _order, status, gateway_id in attempts.values()
        if status == "failed" and gateway_id is None
    )
    report.captured = report.released = 0
    seen_attempts: set[str] = set()
    for pi in intents:
        pi_id, status, received = pi["id"], pi["status"], pi["amount_received"]
        metadata = pi["metadata"]
        attempt_id = _hex(metadata["attempt_id"])
        attempt = attempts.get(attempt_id)
        if attempt is None:
            problem(f"{pi_id}: no payment attempt {attempt_id} in the register")
            continue
        if attempt_id in seen_attempts:
            problem(f"{pi_id}: a second PaymentIntent for attempt {attempt_id}")
        seen_attempts.add(attempt_id)
        if attempt[2] not in (None, pi_id):
            problem(f"{pi_id}: attempt {attempt_id} records {attempt[2]} instead")
        used = card_tenders.get(attempt_id, [])
        if status == "succeeded":
            report.captured += 1
            captured_by_order.setdefault(_hex(metadata["order_id"]), []).append(pi_id)
            if captured_charges[pi_id] != 1:
                report.double_charges.add(pi_id)
                problem(f"{pi_id}: {captured_charges[pi_id]} captured charges")
            paying = [u for u in used if orders.get(u[0], (0, ""))[1] in PAID_STATUSES]
            if not paying:
                report.lost_paid_orders.add(pi_id)
                problem(f"{pi_id}: captured {received}, no paid order records it")
            elif len(paying) > 1:
                problem(f"{pi_id}: {len(paying)} card tenders reference it")
            else:
                order_id, amount, tip = paying[0]
                if order_id != _hex(metadata["order_id"]):
                    problem(f"{pi_id}: paid order {order_id} is not the one in its metadata")
                if amount + tip != received:
                    problem(f"{pi_id}: captured {received}, tender is {amount}+{tip}")
        elif status == "canceled":
            report.released += 1
            if used:
                problem(f"{pi_id}: released, yet a card tender references it")
        elif status == "requires_capture":
            report.left_authorised.add(pi_id)
            problem(f"{pi_id}: left authorised (requires_capture) after recovery")
        else:
            report.left_open.add(pi_id)
            problem(f"{pi_id}: left {status} after recovery")
    for order_id, captured in captured_by_order.items():
        if len(captured) > 1:
            report.double_charges.add(order_id)
            problem(f"order {order_id}: captured twice ({', '.join(captured)})")


# --- the sync server ---------------------------------------------------------------------------


def push_and_compare(*, server_url: str, db_path: Path, report: CrashReport) -> str:
    """Pair the crashed register with the sync server, push everything through the real sync
    client, and check the server holds every order the register has as paid (same total).

    Issuing a pairing code needs the server's admin database and token key, read from
    SYNC_ADMIN_DATABASE_URL and SYNC_TOKEN_HMAC_KEY as the server itself reads them."""
    from sqlalchemy import create_engine, text

    from pos_app.application.sync import SyncEngine
    from pos_app.integrations.secrets import SecretStore
    from pos_app.integrations.sync_client import SyncClient, SyncError
    from sync_server.config import Settings
    from tests.support.memory_keyring import MemoryKeyring
    from tests.support.sync_server_tenants import create_tenant, pairing_code

    if not (os.environ.get("SYNC_ADMIN_DATABASE_URL") and os.environ.get("SYNC_TOKEN_HMAC_KEY")):
        return "skipped: pairing needs SYNC_ADMIN_DATABASE_URL and SYNC_TOKEN_HMAC_KEY"
    settings = Settings.from_env()
    tenant = create_tenant(settings, currency="USD", timezone="America/New_York")
    db = Database(db_path)
    try:
        engine = SyncEngine(
            db,
            secrets=SecretStore(service="counter-pos-crash-chaos", backend=MemoryKeyring()),
            client_factory=lambda url, token: SyncClient(
                url, token, read_timeout_s=10.0, connect_timeout_s=2.0
            ),
        )
        engine.pair(
            server_url=server_url,
            code=pairing_code(settings, tenant),
            device_name="Crash-chaos register",
        )
        for _ in range(30):
            with contextlib.suppress(SyncError, OSError):
                engine.sync_once()
                if engine.status().pending == 0:
                    break
            time.sleep(0.2)
        pending = engine.status().pending
        register = Register.of(db)
        assert register is not None
        paid = {
            str(s.id): s.total_minor
            for s in register.history.page(limit=1_000_000)
            if s.status.value in PAID_STATUSES
        }
    finally:
        db.dispose()
    admin = create_engine(settings.admin_database_url)
    try:
        with admin.connect() as conn:
            held = {
                str(order_id): total
                for order_id, total in conn.execute(
                    text(
                        "SELECT id, total_minor FROM orders "
                        "WHERE tenant_id = :tenant AND status = 'paid'"
                    ),
                    {"tenant": tenant.id},
                )
            }
    finally:
        admin.dispose()
    missing = sorted(set(paid) - set(held))
    wrong = sorted(k for k in set(paid) & set(held) if paid[k] != held[k])
    for order_id in missing:
        report.problems.append(f"sync server: paid order {order_id} is not on the server")
    for order_id in wrong:
        report.problems.append(f"sync server: order {order_id} total differs")
    if pending:
        report.problems.append(f"sync server: {pending} changes still pending after pushing")
    if missing or wrong or pending:
        return f"NO: {len(missing)} missing, {len(wrong)} different, {pending} pending"
    return f"yes ({len(paid)} paid orders)"


# --- the run ----------------------------------------------------------------------------------


def _seed_register(data_dir: Path) -> str:
    register = Register.open(AppConfig(data_dir=data_dir), demo=True)
    try:
        return str(register.shop.register_id)
    finally:
        register.close()


#: What `CardPayments.recover` did, from the words of its notes.
RECOVERY_ACTIONS = (
    ("released", "released"),
    ("recorded after a restart", "captured and recorded"),
    ("already recorded", "already recorded"),
    ("found captured", "found captured"),
    ("lapsed", "approval lapsed"),
    ("never started", "never started"),
    ("left for later", "left for the next pass"),
    ("gone", "demo payment gone"),
    ("parked", "order parked"),
    ("reader not connected", "reader not connected"),
)


def _recovery_action(note: str) -> str:
    return next((name for words, name in RECOVERY_ACTIONS if words in note), "other")


def _in_flight(db_path: Path) -> int:
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        marks = ",".join("?" * len(IN_FLIGHT))
        row = con.execute(
            f"SELECT count(*) FROM payment_transactions WHERE status IN ({marks})", IN_FLIGHT
        ).fetchone()
        return int(row[0])
    finally:
        con.close()


def run_crash_chaos(
    *, workdir: Path, kills: int, seed: int, server_url: str | None = None
) -> CrashReport:
    """Kill a selling card register `kills` times and check the books after each restart."""
    started = time.monotonic()
    rnd = random.Random(seed)
    report = CrashReport()
    data_dir = workdir / "register"
    if data_dir.exists():
        # Its reader and payments live in an earlier run's emulator, which is gone.
        raise ValueError(f"{data_dir} exists: the crash chaos needs a fresh work directory")
    db_path = data_dir / "register.sqlite3"
    register_id = _seed_register(data_dir)
    spec = find_spec()
    checker = OpenAPIChecker.load(spec) if spec is not None and spec.is_file() else None
    # Spend no time waiting for a reader nobody taps: the worker's watch gives up first.
    emulator = StripeEmulator(openapi_spec=checker).start()
    for kind, share in (("error_after", 0.02), ("drop_after", 0.02), ("error_before", 0.01)):
        emulator.faults.add(method="POST", path="/v1/*", kind=kind, probability=share, seed=seed)  # type: ignore[arg-type]
    proxy = ChaosProxy(
        emulator.port,
        policy=ChaosPolicy(
            refuse=0.03,
            delay=0.05,
            blackhole=0.004,
            reset_after_request=0.08,
            delay_s=0.2,
            seed=seed,
        ),
    ).start()
    key = "rk_test_" + secrets.token_hex(16)
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "POS_DATA_DIR": str(data_dir),
        "POS_STRIPE_API_BASE": proxy.url,
        "POS_STRIPE_API_KEY": key,
    }
    client, http_client = _stripe_client(emulator, key)
    shown_paid: dict[str, int] = {}
    stderr = (workdir / "card_register.stderr").open("a", encoding="utf-8")
    worker: Worker | None = None
    try:
        for kill_number in range(kills + 1):
            worker = Worker(data_dir, rnd.randrange(1 << 30), env, stderr)
            aim_at_recovery = kill_number < kills and _in_flight(db_path) and rnd.random() < 0.15
            if aim_at_recovery:
                worker.wait_for_phase(("get_payment", "create_payment", "cancel_payment"), 1, 30)
                time.sleep(rnd.uniform(0.0, 0.02))
                if not worker.recovered:
                    report.kills += 1
                    worker.kill()
                    report.kills_by_phase["start-up recovery"] += 1
                    if worker.died_by_itself is not None:
                        report.problems.append(
                            f"kill {kill_number + 1}: the register had exited by itself "
                            f"during start-up ({worker.died_by_itself})"
                        )
                    shown_paid.update(worker.shown_paid)
                    continue
            recovery = worker.wait_recovered()
            report.recovery_seconds.append(time.monotonic() - worker.started)
            report.recovery_repeats += recovery["rounds"] > 1
            report.recovery_actions.update(_recovery_action(note) for note in recovery["notes"])
            if recovery["left_in_flight"]:
                report.problems.append(
                    f"restart {kill_number}: recovery left {recovery['left_in_flight']} in flight "
                    f"after {recovery['rounds']} passes: {recovery['notes'][-3:]}"
                )
            check_books(
                db_path=db_path,
                client=client,
                register_id=register_id,
                shown_paid=shown_paid,
                report=report,
                when=f"after restart {kill_number}",
            )
            report.restarts_checked += 1
            if kill_number == kills:
                worker.send("exit")
                worker.process.wait(timeout=30)
                worker.drain()
                worker.close()
                break
            worker.send("go")
            target = rnd.choices(list(TARGET_WEIGHTS), weights=list(TARGET_WEIGHTS.values()))[0]
            markers, most = TARGETS[target]
            worker.wait_for_phase(markers, rnd.randint(1, most), MARKER_TIMEOUT_S)
            time.sleep(rnd.uniform(0.0, 0.012))
            phase = worker.kill()
            if worker.died_by_itself is not None:
                report.problems.append(
                    f"kill {kill_number + 1}: the register had exited by itself "
                    f"({worker.died_by_itself}); see card_register.stderr"
                )
            report.kills += 1
            report.kills_by_phase[PHASE_OF_MARKER.get(phase, phase)] += 1
            shown_paid.update(worker.shown_paid)
            worker = None
        if server_url is not None:
            report.server_check = push_and_compare(
                server_url=server_url, db_path=db_path, report=report
            )
    except Exception as error:
        report.problems.append(f"the run stopped: {''.join(traceback.format_exception(error))}")
    finally:
        if worker is not None and worker.process.poll() is None:
            worker.kill()
        stderr.close()
        http_client.close()
        report.paid_orders_shown = len(shown_paid)
        report.network_faults.update(proxy.fates)
        report.stripe_faults.update({rule.kind: rule.hits for rule in emulator.faults.rules})
        proxy.stop()
        emulator.stop()
        report.problems.extend(repr(v) for v in emulator.spec_violations)
        report.problems.extend(emulator.internal_errors)
        report.elapsed_s = time.monotonic() - started
    return report


def main() -> int:
    """python -m tests.soak.crashes [KILLS] [SEED] [WORKDIR]: WORKDIR (kept) defaults to a new
    temporary directory."""
    import tempfile

    kills = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    workdir = Path(sys.argv[3]) if len(sys.argv) > 3 else Path(tempfile.mkdtemp(prefix="crash-"))
    workdir.mkdir(parents=True, exist_ok=True)
    report = run_crash_chaos(workdir=workdir, kills=kills, seed=seed)
    width = max(len(name) for name, _ in report.rows())
    for name, value in report.rows():
        print(f"{name:<{width}}  {value}")
    for text in report.problems[:50]:
        print("  -", text)
    print(f"(work directory: {workdir})")
    return 0 if report.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())


__all__ = ["CrashReport", "check_books", "run_crash_chaos"]
