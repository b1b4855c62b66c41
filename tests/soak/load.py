"""Load and network chaos against one sync server: N registers (one process each, the real
register code, see `tests.soak.register`) in several shops sell through a chaos proxy; then the
network heals, every register drains its outbox, and the server must hold exactly the union of
what the registers hold, with the fee ledger intact.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import re
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any
from uuid import UUID

from sqlalchemy import Engine, create_engine, func, select, text

from pos_app.application.sync import SEQ_BASE
from pos_app.db.database import Database
from pos_app.db.models import (
    OrderLineRow,
    OrderRow,
    OutboxRow,
    PaymentTransactionRow,
    RefundAllocationRow,
    RefundLineRow,
    RefundRow,
    StockMovementRow,
    SyncStateRow,
    TenderRow,
)
from pos_app.db.repositories.outbox import PUSHED_PAYMENT_STATUSES
from pos_app.payments.emulator import StripeEmulator
from sync_server.billing import stripe_client as billing_stripe
from sync_server.billing import tasks as billing_tasks
from sync_server.config import Settings
from sync_server.db import app_engine
from sync_server.embedded_pg import free_port
from sync_server.fees import service as fees
from sync_server.process import ServerProcess
from sync_server.process import server_env as process_server_env
from sync_server.tenants.schemas import Tenant
from tests.soak.register import RegisterSpec
from tests.soak.register import run as run_register
from tests.support import procfs
from tests.support.chaos_proxy import ChaosPolicy, ChaosProxy
from tests.support.sync_server_db import PgServer, create_database, drop_database, test_postgres
from tests.support.sync_server_tenants import create_tenant, pairing_code

# Modules every register imports, loaded once in the fork server rather than fifty times.
_PRELOAD = [
    "tests.soak.register",
    "pos_app.db.migrate",
    "alembic.command",
    "pos_app.services.checkout",
    "pos_app.application.sync",
]


@dataclass(frozen=True)
class LoadConfig:
    registers: int = 50
    shops: int = 5
    orders: int | None = None
    """Per register; with no duration the registers sell exactly this many."""
    duration_s: float | None = 600.0
    """How long the registers sell (the first of the two limits to be reached ends it)."""
    seed: int = 1
    sync_interval_s: float = 30.0
    min_backoff_s: float = 2.0
    read_timeout_s: float = 15.0
    connect_timeout_s: float = 5.0
    chaos: ChaosPolicy = field(
        default_factory=lambda: ChaosPolicy(
            refuse=0.02,
            delay=0.05,
            blackhole=0.002,
            reset_after_request=0.03,
            duplicate=0.05,
            delay_s=0.5,
        )
    )


INJECTED = ("refuse", "delay", "blackhole", "reset_after_request", "duplicate")
DISRUPTIVE = ("refuse", "blackhole", "reset_after_request")
"""Faults that cost the client its answer (a delay or a duplicate must not)."""
SERVER_SIDE = ("server_closed", "server_closed_in_flight", "server_unreachable")
"""Connections the server itself closed or refused, counted by the proxy."""


# --- the platform: PostgreSQL, the server, the proxy ------------------------------------------


def server_env(settings: Settings) -> dict[str, str]:
    """The soak server's environment: pairing fifty registers at once is not guessing."""
    return process_server_env(settings, SYNC_PAIR_ATTEMPTS_PER_MINUTE="100000")


class SoakServer(ServerProcess):
    """`sync-server serve` in its own process, its log (access log included) in a file."""

    log_path: Path

    def __init__(
        self, settings: Settings, log_path: Path, *, port: int | None = None, workers: int = 1
    ) -> None:
        self.workers = workers
        super().__init__(
            settings,
            port=port,
            env=server_env(settings),
            log_path=log_path,
            start_timeout_s=60,
            args=("--workers", str(workers)) if workers > 1 else (),
        )

    def cpu_s(self) -> float:
        """CPU time the server's processes (its workers too) used so far (Linux; 0 elsewhere)."""
        return sum(map(procfs.cpu_seconds, procfs.with_descendants(self.process.pid)))


@dataclass
class Platform:
    pg: PgServer
    database: str
    settings: Settings
    proxy: ChaosProxy
    admin: Engine
    servers: list[SoakServer] = field(default_factory=list)
    """One, or several on the one database behind the proxy (each may have workers)."""
    logs: list[Path] = field(default_factory=list)
    """Every server's log, a restarted one's too."""

    @property
    def server(self) -> SoakServer:
        return self.servers[0]

    def server_cpu_s(self) -> float:
        return sum(server.cpu_s() for server in self.servers)

    def start_server(self, log: Path, *, port: int | None = None, workers: int = 1) -> SoakServer:
        server = SoakServer(self.settings, log, port=port, workers=workers)
        self.logs.append(log)
        return server

    def restart(self, index: int) -> SoakServer:
        """Start server `index` again on its port (after it was killed), with a log of its own."""
        old = self.servers[index]
        old.stop()  # reaps it and closes its log
        log = old.log_path.with_name(f"{old.log_path.stem}.{len(self.logs)}.log")
        self.servers[index] = self.start_server(log, port=old.port, workers=old.workers)
        return self.servers[index]


@contextmanager
def platform(workdir: Path, *, servers: int = 1, workers: int = 1) -> Iterator[Platform]:
    """A fresh database built by the migrations, the server, and a (quiet) chaos proxy in front.
    With `servers` above 1, that many `sync-server serve` processes on the one database, the
    proxy sharing the connections out among them; each has `workers` processes."""
    workdir.mkdir(parents=True, exist_ok=True)
    with test_postgres() as pg:
        name, settings = create_database(pg)
        ports = [free_port() for _ in range(servers)]
        proxy = ChaosProxy(ports).start()
        env = Platform(pg, name, settings, proxy, create_engine(settings.admin_database_url))
        try:
            for index, port in enumerate(ports):
                log = workdir / ("server.log" if servers == 1 else f"server-{index}.log")
                env.servers.append(env.start_server(log, port=port, workers=workers))
            yield env
        finally:
            env.admin.dispose()
            env.proxy.stop()
            for server in env.servers:
                server.stop()
            drop_database(pg, name)


# --- the load ----------------------------------------------------------------------------------


@dataclass
class RegisterRun:
    spec: RegisterSpec
    process: Any
    conn: Connection
    token: str = ""
    device_id: str = ""
    figures: dict[str, Any] = field(default_factory=dict)
    failure: str | None = None


@dataclass
class LoadResult:
    config: LoadConfig
    registers: list[RegisterRun]
    tenants: list[Tenant]
    selling_s: float
    drain_s: float
    fates: dict[str, int]
    server_cpu_s: float
    problems: list[str] = field(default_factory=list)
    checks: dict[str, bool] = field(default_factory=dict)
    compared: Counter[str] = field(default_factory=Counter)
    month_end: dict[str, Any] = field(default_factory=dict)
    """What the month end after the load did (`month_end`): the period, invoices by outcome."""

    @property
    def tokens(self) -> list[str]:
        return [run.token for run in self.registers if run.token]

    @property
    def orders(self) -> int:
        return sum(int(run.figures.get("orders", 0)) for run in self.registers)

    @property
    def push_ms(self) -> list[float]:
        return [ms for run in self.registers for ms in run.figures.get("push_ms", [])]

    def errors(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for run in self.registers:
            total.update(run.figures.get("errors", {}))
        return total

    @property
    def ok(self) -> bool:
        return not self.problems and all(self.checks.values())

    def rows(self) -> list[tuple[str, str]]:
        pushes = self.push_ms
        quantiles = statistics.quantiles(pushes, n=100) if len(pushes) >= 2 else [0.0] * 99
        faults = {k: v for k, v in sorted(self.fates.items()) if k in INJECTED}
        other = {k: v for k, v in sorted(self.fates.items()) if k not in INJECTED and k != "ok"}
        errors = self.errors()
        total_s = self.selling_s + self.drain_s
        sum_of = lambda key: sum(int(r.figures.get(key, 0)) for r in self.registers)  # noqa: E731
        rows = [
            ("registers", f"{len(self.registers)} in {len(self.tenants)} shops"),
            (
                "orders",
                f"{self.orders:,} ({sum_of('voids'):,} voided, "
                f"{sum_of('refunds'):,} refunds, {sum_of('card'):,} on card)",
            ),
            ("selling time", f"{self.selling_s:.1f} s (+ {self.drain_s:.1f} s draining)"),
            (
                "orders/s",
                f"{self.orders / self.selling_s:.1f} selling, "
                f"{self.orders / total_s:.1f} until all on the server",
            ),
            (
                "pushes",
                f"{len(pushes):,} ({sum_of('pushed_changes'):,} changes, "
                f"{sum_of('pulls'):,} pulls)",
            ),
            ("replayed (already stored)", f"{sum_of('replayed_changes'):,} changes"),
            (
                "server CPU",
                f"{self.server_cpu_s:.0f} s "
                f"({self.server_cpu_s * 1000 / max(1, self.orders):.1f} ms an order)",
            ),
            ("push p50 / p99", f"{quantiles[49]:.0f} ms / {quantiles[98]:.0f} ms"),
            ("injected faults", ", ".join(f"{k} {v}" for k, v in faults.items()) or "none"),
            (
                "not injected (server side)",
                ", ".join(f"{k} {v}" for k, v in other.items()) or "none",
            ),
            (
                "retries (failed calls)",
                ", ".join(f"{k} {v}" for k, v in sorted(errors.items())) or "none",
            ),
            ("compared", ", ".join(f"{k} {v:,}" for k, v in sorted(self.compared.items()))),
            ("month end", ", ".join(f"{k} {v}" for k, v in self.month_end.items()) or "not run"),
        ]
        rows += [(name, "PASS" if passed else "FAIL") for name, passed in self.checks.items()]
        return rows


def _specs(config: LoadConfig, workdir: Path, proxy_url: str, settings: Settings,
           tenants: list[Tenant]) -> list[RegisterSpec]:  # fmt: skip
    return [
        RegisterSpec(
            index=index,
            shop=index % config.shops,
            data_dir=workdir / "registers" / f"register-{index:03d}",
            server_url=proxy_url,
            pairing_code=pairing_code(settings, tenants[index % config.shops]),
            seeds_catalog=index < config.shops,
            seed=config.seed * 1000 + index,
            sync_interval_s=config.sync_interval_s,
            min_backoff_s=config.min_backoff_s,
            read_timeout_s=config.read_timeout_s,
            connect_timeout_s=config.connect_timeout_s,
        )
        for index in range(config.registers)
    ]


def _collect(runs: list[RegisterRun], kind: str, timeout_s: float) -> None:
    """Wait for message `kind` from every register; a failure or a silent death is fatal."""
    waiting = {run.conn: run for run in runs}
    deadline = time.monotonic() + timeout_s
    while waiting:
        left = deadline - time.monotonic()
        if left <= 0:
            names = ", ".join(str(run.spec.index) for run in waiting.values())
            raise RuntimeError(f"registers {names} did not say {kind!r} in {timeout_s:.0f} s")
        for ready in wait(list(waiting), timeout=min(left, 5.0)):
            assert isinstance(ready, Connection)
            run = waiting[ready]
            try:
                message = ready.recv()
            except EOFError:
                raise RuntimeError(
                    f"register {run.spec.index} died (exit {run.process.exitcode})"
                ) from None
            if message["kind"] == "failed":
                run.failure = message["error"]
                raise RuntimeError(f"register {run.spec.index} failed:\n{message['error']}")
            assert message["kind"] == kind, message["kind"]
            if kind == "ready":
                run.token, run.device_id = message["token"], message["device_id"]
            elif kind == "done":
                run.figures = message["figures"]
            del waiting[ready]


def run_load(env: Platform, config: LoadConfig, workdir: Path, log: Any = print,
             while_selling: Callable[[], AbstractContextManager[object]] | None = None,
             ) -> LoadResult:  # fmt: skip
    """Start the registers, sell under chaos, heal, drain; then verify (`verify`).
    `while_selling`: more chaos (server kills, say), entered when the selling starts; when it
    has been left, the registers stop selling (or sooner, at the config's limits)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_PRELOAD)
    tenants = [
        create_tenant(env.settings, currency="USD", timezone="America/New_York")
        for _ in range(config.shops)
    ]
    specs = _specs(config, workdir, env.proxy.url, env.settings, tenants)
    runs: list[RegisterRun] = []
    try:
        # The first register of each shop brings the catalog; the others pull it.
        for batch in (specs[: config.shops], specs[config.shops :]):
            started = []
            for spec in batch:
                parent, child = context.Pipe()
                process = context.Process(target=run_register, args=(spec, child), daemon=True)
                process.start()
                child.close()
                started.append(RegisterRun(spec, process, parent))
            runs += started
            _collect(started, "ready", timeout_s=300 + 5 * len(started))
        log(f"{len(runs)} registers paired in {config.shops} shops; selling under chaos")
        env.proxy.fates.clear()
        env.proxy.policy = dataclasses.replace(config.chaos, seed=config.seed)
        began = time.monotonic()
        server_cpu_s = env.server_cpu_s()
        deadline = time.time() + config.duration_s if config.duration_s else None
        if while_selling is None:
            for item in runs:
                item.conn.send({"orders": config.orders, "deadline": deadline})
        else:
            with while_selling():
                for item in runs:
                    item.conn.send({"orders": config.orders, "deadline": deadline})
            for item in runs:
                item.conn.send({"stop": True})
        _collect(runs, "sold", timeout_s=(config.duration_s or 0) + 3600)
        selling_s = time.monotonic() - began
        env.proxy.heal()
        log(f"sold for {selling_s:.0f} s; network healed, draining")
        drained = time.monotonic()
        for item in runs:
            item.conn.send({"drain": True})
        _collect(runs, "done", timeout_s=900)
        drain_s = time.monotonic() - drained
        fates = dict(env.proxy.fates)
        server_cpu_s = env.server_cpu_s() - server_cpu_s
        for item in runs:
            item.process.join(60)
    finally:
        for item in runs:
            if item.process.is_alive():
                item.process.kill()
                item.process.join(10)
            item.conn.close()
    result = LoadResult(config, runs, tenants, selling_s, drain_s, fates, server_cpu_s)
    verify(env, result)
    return result


# --- verification ------------------------------------------------------------------------------

# (server table, columns) compared with what the registers hold; the register's order status
# after a refund is its own business (the server's copy of an order is immutable).
_SERVER_SQL = {
    "orders": "SELECT id, status, number, total_minor, tax_minor, tip_minor FROM orders",
    "order_lines": "SELECT id, order_id, sku, quantity, total_minor, tax_minor FROM order_lines",
    "tenders": "SELECT id, order_id, kind, amount_minor, tip_minor, change_minor FROM tenders",
    "payments": "SELECT id, order_id, status, amount_minor FROM payments",
    "refunds": "SELECT id, order_id, amount_minor, tax_minor, status FROM refunds",
    "refund_lines": "SELECT refund_id, line_id, quantity, amount_minor FROM refund_lines",
    "refund_allocations": "SELECT id, refund_id, kind, amount_minor, status "
    "FROM refund_allocations",
    "stock_movements": "SELECT id, product_id, quantity_delta, reason, order_id "
    "FROM stock_movements",
}


def register_rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """What one register holds that the server must hold too (its own pushed records)."""
    db = Database(path, run_migrations=False)
    try:
        with db.read() as uow:
            session = uow.session
            orders = session.execute(
                select(
                    OrderRow.id,
                    OrderRow.status,
                    OrderRow.number,
                    OrderRow.total_minor,
                    OrderRow.tax_minor,
                    OrderRow.tip_minor,
                ).where(OrderRow.status.not_in(("open", "parked")))
            ).all()
            pushed = {row[0] for row in orders}
            rows: dict[str, list[tuple[Any, ...]]] = {
                "orders": [
                    (id_, "voided" if status == "voided" else "paid", *rest)
                    for id_, status, *rest in orders
                ],
                "order_lines": [
                    tuple(row)
                    for row in session.execute(
                        select(
                            OrderLineRow.id,
                            OrderLineRow.order_id,
                            OrderLineRow.sku,
                            OrderLineRow.quantity,
                            OrderLineRow.total_minor,
                            OrderLineRow.tax_minor,
                        )
                    )
                    if row[1] in pushed
                ],
                "tenders": [
                    tuple(row)
                    for row in session.execute(
                        select(
                            TenderRow.id,
                            TenderRow.order_id,
                            TenderRow.kind,
                            TenderRow.amount_minor,
                            TenderRow.tip_minor,
                            TenderRow.change_minor,
                        )
                    )
                    if row[1] in pushed
                ],
                "payments": [
                    tuple(row)
                    for row in session.execute(
                        select(
                            PaymentTransactionRow.id,
                            PaymentTransactionRow.order_id,
                            PaymentTransactionRow.status,
                            PaymentTransactionRow.amount_minor,
                        ).where(PaymentTransactionRow.status.in_(PUSHED_PAYMENT_STATUSES))
                    )
                ],
                "refunds": [
                    tuple(row)
                    for row in session.execute(
                        select(
                            RefundRow.id,
                            RefundRow.order_id,
                            RefundRow.amount_minor,
                            RefundRow.tax_minor,
                            RefundRow.status,
                        )
                    )
                ],
                "refund_lines": [
                    tuple(row)
                    for row in session.execute(
                        select(
                            RefundLineRow.refund_id,
                            RefundLineRow.line_id,
                            RefundLineRow.quantity,
                            RefundLineRow.amount_minor,
                        )
                    )
                ],
                "refund_allocations": [
                    tuple(row)
                    for row in session.execute(
                        select(
                            RefundAllocationRow.id,
                            RefundAllocationRow.refund_id,
                            RefundAllocationRow.kind,
                            RefundAllocationRow.amount_minor,
                            RefundAllocationRow.status,
                        )
                    )
                ],
                "stock_movements": [
                    tuple(row)
                    for row in session.execute(
                        select(
                            StockMovementRow.id,
                            StockMovementRow.product_id,
                            StockMovementRow.quantity_delta,
                            StockMovementRow.reason,
                            StockMovementRow.order_id,
                        )
                    )
                ],
            }
            max_seq = session.scalar(select(func.max(OutboxRow.seq))) or 0
            pending = session.scalar(
                select(func.count()).select_from(OutboxRow).where(OutboxRow.pushed_at.is_(None))
            )
            base = session.scalar(select(SyncStateRow.value).where(SyncStateRow.key == SEQ_BASE))
            rows["_outbox"] = [(int(max_seq) - int(base or 0), int(pending or 0))]
            return rows
    finally:
        db.dispose()


def server_rows(admin: Engine, tenant_id: UUID) -> dict[str, list[tuple[Any, ...]]]:
    with admin.connect() as conn:
        return {
            table: [
                tuple(row)
                for row in conn.execute(text(f"{sql} WHERE tenant_id = :t"), {"t": tenant_id})
            ]
            for table, sql in _SERVER_SQL.items()
        }


def _diff(label: str, server: list[tuple[Any, ...]], local: list[tuple[Any, ...]]) -> list[str]:
    problems = []
    if len(server) != len(set(server)):
        problems.append(f"{label}: the server holds duplicate rows")
    if len(local) != len(set(local)):
        problems.append(f"{label}: the registers hold duplicate rows")
    missing, extra = set(local) - set(server), set(server) - set(local)
    if missing:
        problems.append(f"{label}: {len(missing)} missing on the server, e.g. {min(missing)}")
    if extra:
        problems.append(f"{label}: {len(extra)} on the server no register holds, e.g. {min(extra)}")
    return problems


_STATUS = re.compile(rb'" (\d{3}) ')


def server_log_statuses(path: Path) -> Counter[str]:
    counts: Counter[str] = Counter()
    for line in path.read_bytes().splitlines():
        match = _STATUS.search(line)
        if match and b"HTTP/1.1" in line:
            counts[match.group(1).decode()] += 1
        elif b"Traceback" in line:
            counts["traceback"] += 1
    return counts


def fees_verify(settings: Settings) -> tuple[bool, str]:
    """`sync-server fees verify`, the operator's own check of the ledger."""
    done = subprocess.run(
        [sys.executable, "-m", "sync_server.cli", "fees", "verify"],
        env=server_env(settings),
        capture_output=True,
        text=True,
        timeout=600,
    )
    return done.returncode == 0, (done.stdout + done.stderr).strip()


def verify(env: Platform, result: LoadResult) -> None:
    problems = result.problems
    for run in result.registers:
        if run.figures.get("unexpected"):
            problems.append(f"register {run.spec.index}: {run.figures['unexpected'][:3]}")
    errors = result.errors()
    network = errors.pop("network", 0)
    disruptive = sum(result.fates.get(fate, 0) for fate in DISRUPTIVE + SERVER_SIDE)
    result.checks["no errors but injected faults"] = not errors and network <= disruptive
    if errors:
        problems.append(f"sync errors other than the network's: {dict(errors)}")
    if network > disruptive:
        causes: Counter[str] = Counter()
        for run in result.registers:
            causes.update(run.figures.get("causes", {}))
        problems.append(
            f"{network} network errors for {disruptive} faults the proxy saw: {dict(causes)}"
        )

    statuses: Counter[str] = Counter()
    for log in env.logs:
        statuses += server_log_statuses(log)
    bad = {code: n for code, n in statuses.items() if not code.startswith("2")}
    result.checks["server answered 2xx only"] = not bad
    if bad:
        problems.append(f"server log: {bad}")

    by_shop: dict[int, dict[str, list[tuple[Any, ...]]]] = defaultdict(lambda: defaultdict(list))
    with env.admin.connect() as conn:
        acknowledged = {
            str(device_id): int(seq)
            for device_id, seq in conn.execute(text("SELECT id, acknowledged_seq FROM devices"))
        }
    outbox_ok = True
    for run in result.registers:
        local = register_rows(run.spec.data_dir / "register.sqlite3")
        (pushed_seq, pending), = local.pop("_outbox")  # fmt: skip
        if pending or acknowledged.get(run.device_id) != pushed_seq:
            outbox_ok = False
            problems.append(
                f"register {run.spec.index}: {pending} pending, device sequence {pushed_seq}, "
                f"server acknowledged {acknowledged.get(run.device_id)}"
            )
        for table, rows in local.items():
            by_shop[run.spec.shop][table] += rows
    result.checks["every outbox drained and acknowledged"] = outbox_ok

    union_ok = True
    seen_orders: set[Any] = set()
    for shop, tenant in enumerate(result.tenants):
        server = server_rows(env.admin, tenant.id)
        for table, rows in server.items():
            found = _diff(f"shop {shop} {table}", rows, by_shop[shop][table])
            result.compared[table] += len(rows)
            union_ok = union_ok and not found
            problems += found
        orders = {row[0] for row in server["orders"]}
        if orders & seen_orders:
            union_ok = False
            problems.append(f"shop {shop}: orders also stored under another shop")
        seen_orders |= orders
    result.checks["server == union of registers"] = union_ok

    passed, output = fees_verify(env.settings)
    result.checks["fees verify"] = passed
    if not passed:
        problems.append(output[:2000])
    month_end(env, result)


def month_end(env: Platform, result: LoadResult) -> None:
    """The month end after the load: close the months the shops sold in, invoice every shop it
    created at the platform's Stripe account (the emulator on loopback), then `fees verify`
    with the invoice checks (invoiced − credited + carried = fee; Stripe agrees)."""
    problems = result.problems
    with env.admin.connect() as conn:
        last = conn.execute(text("SELECT max(billing_period) FROM fee_ledger")).scalar()
    if last is None:
        result.checks["month end invoiced every shop"] = False
        problems.append("month end: no fee in the ledger to invoice")
        return
    year, month = int(last[:4]), int(last[5:])
    end = datetime(year + (month == 12), month % 12 + 1, 2, tzinfo=UTC)
    with env.admin.begin() as conn:
        closed = fees.close_period(conn, str(last), now=end)
    with StripeEmulator() as emulator:
        settings = dataclasses.replace(
            env.settings,
            billing_stripe_key=emulator.test_key,
            billing_stripe_url=emulator.base_url,
        )
        app = app_engine(settings)
        client = billing_stripe.from_settings(settings)
        assert client is not None
        try:
            with client:
                report = billing_tasks.invoice_all(
                    app, env.admin, client, days_until_due=14, concurrency=4
                )
        finally:
            app.dispose()
        with env.admin.connect() as conn:
            billed = {
                (tenant_id, period)
                for tenant_id, period in conn.execute(
                    text("SELECT tenant_id, period FROM billing_invoices")
                )
            }
        missing = [tenant.slug for tenant in result.tenants if (tenant.id, str(last)) not in billed]
        result.month_end = {
            "period": str(last),
            "held": len(closed.held),
            "sent": len(report.invoiced),
            "carried": len(report.carried),
            "zero": len(report.zero),
            "failed": len(report.failed),
            "seconds": round(report.seconds, 2),
            "stripe invoices": len(emulator.invoices),
        }
        every = not missing and not report.failed and not closed.held
        result.checks["month end invoiced every shop"] = every
        if not every:
            problems.append(
                f"month end {last}: not invoiced {missing}, failed {report.failed}, "
                f"held {list(closed.held)}"
            )
        done = subprocess.run(
            [sys.executable, "-m", "sync_server.cli", "fees", "verify"],
            env={
                **server_env(settings),
                "SYNC_BILLING_STRIPE_KEY": emulator.test_key,
                "SYNC_BILLING_STRIPE_URL": emulator.base_url,
            },
            capture_output=True,
            text=True,
            timeout=600,
        )
        verified = done.returncode == 0 and "check stripe: ok" in done.stdout
        result.checks["fees verify after invoicing"] = verified
        if not verified:
            problems.append((done.stdout + done.stderr).strip()[:2000])
