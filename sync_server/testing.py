"""Helpers for tests and benchmarks of the sync server: throwaway databases built by the
migrations, the app under uvicorn on a loopback port, tenants, paired devices, and builders of
valid push payloads (they double as worked examples of the push contract).

Nothing here runs in production; it lives in the package so that tests/ and tests/bench/ share
it without path tricks.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import psycopg
import uvicorn
from sqlalchemy import create_engine, text

from pos_app.domain.pricing import PricingLine, TaxMode, compute_totals
from sync_server.app import create_app, proxy_options
from sync_server.config import Settings
from sync_server.db import migrate
from sync_server.devices import service as devices
from sync_server.embedded_pg import throwaway_cluster
from sync_server.kit.ids import uuid7
from sync_server.tenants import service as tenants
from sync_server.tenants.schemas import Tenant

HMAC_KEY = "test-hmac-key-0123456789"


def reachable(host: str, port: int) -> bool:
    try:
        with psycopg.connect(
            host=host, port=port, user="postgres", dbname="postgres", connect_timeout=2
        ):
            return True
    except psycopg.OperationalError:
        return False


@dataclass(frozen=True)
class PgServer:
    host: str
    port: int
    user: str

    def url(self, dbname: str, user: str | None = None) -> str:
        return f"postgresql+psycopg://{user or self.user}@{self.host}:{self.port}/{dbname}"

    def admin(self) -> psycopg.Connection[Any]:
        return psycopg.connect(
            host=self.host, port=self.port, user=self.user, dbname="postgres", autocommit=True
        )


def create_database(server: PgServer, role: str = "pos_sync_app") -> tuple[str, Settings]:
    name = f"sync_test_{secrets.token_hex(6)}"
    with server.admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    settings = Settings(
        database_url=server.url(name, role),
        admin_database_url=server.url(name),
        token_hmac_key=HMAC_KEY.encode(),
        app_role=role,
        pool_size=8,
        pair_attempts_per_minute=100_000,
        token_failures_per_minute=100_000,
    )
    migrate(settings)
    return name, settings


def drop_database(server: PgServer, name: str) -> None:
    with server.admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class LiveServer:
    """The real app under uvicorn on a loopback port, in a thread."""

    def __init__(self, settings: Settings) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.app = create_app(settings)
        config = uvicorn.Config(
            self.app,
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            **proxy_options(settings),
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.app.state.context.engine.dispose()


def start_live_server(settings: Settings) -> LiveServer:
    live = LiveServer(settings)
    live.start()
    return live


# --- tenants and devices ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(settings: Settings, **overrides: str) -> dict[str, str]:
    """The environment `sync-server` reads for these settings (this process's, plus overrides)."""
    return {
        **os.environ,
        "SYNC_DATABASE_URL": settings.database_url,
        "SYNC_ADMIN_DATABASE_URL": settings.admin_database_url,
        "SYNC_TOKEN_HMAC_KEY": settings.token_hmac_key.decode(),
        **overrides,
    }


def run_cli(
    settings: Settings, *args: str, timeout: float = 120, **env: str
) -> subprocess.CompletedProcess[str]:
    """`sync-server ARGS` in a process of its own against these settings' databases."""
    return subprocess.run(
        [sys.executable, "-m", "sync_server.cli", *args],
        env=server_env(settings, **env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


RELAXED_LIMITS = {"SYNC_PAIR_ATTEMPTS_PER_MINUTE": "1000", "SYNC_TOKEN_FAILURES_PER_MINUTE": "1000"}
"""Guessing limits high enough for tests that pair and call from one address all the time."""


class ServerDidNotStart(RuntimeError):
    """`sync-server serve` exited, or did not answer /healthz in time."""


class ServerProcess:
    """`sync-server serve` in a process of its own (benchmarks: no GIL shared with the client;
    soaks and log scans: the server as deployed). Returns once /healthz answers.

    `env` defaults to these settings with relaxed guessing limits; with `log_path`, the
    server's output (uvicorn's access log included) goes to that file. `args` are more
    options of `serve` (`--workers 2`, say)."""

    def __init__(
        self,
        settings: Settings,
        *,
        port: int | None = None,
        env: dict[str, str] | None = None,
        log_path: Path | None = None,
        start_timeout_s: float = 30.0,
        args: tuple[str, ...] = (),
    ) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self._log = log_path.open("wb") if log_path is not None else None
        self.process = subprocess.Popen(
            [sys.executable, "-m", "sync_server.cli", "serve", "--port", str(self.port), *args],
            env=server_env(settings, **RELAXED_LIMITS) if env is None else env,
            stdout=self._log or subprocess.DEVNULL,
            stderr=subprocess.STDOUT if self._log else subprocess.PIPE,
        )
        deadline = time.monotonic() + start_timeout_s
        with httpx.Client(base_url=self.url, timeout=5) as client:
            while True:
                try:
                    if client.get("/healthz").status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    where = f": see {log_path}" if log_path is not None else ""
                    raise ServerDidNotStart(f"the sync server did not start{where}")
                time.sleep(0.1)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.communicate()
        if self._log is not None:
            self._log.close()


SHOP_CREATED = datetime(2020, 1, 1, tzinfo=UTC)
"""When test shops were created, by default: long before the sales the tests push (the server
refuses a sale dated before its shop existed)."""


def create_tenant(
    settings: Settings,
    *,
    currency: str = "EUR",
    timezone: str = "Europe/Paris",
    fee_bps: int = 100,
    created_at: datetime | None = SHOP_CREATED,
) -> Tenant:
    """A shop; `created_at=None` keeps the database's now()."""
    engine = create_engine(settings.admin_database_url)
    try:
        with engine.begin() as conn:
            tenant = tenants.create_tenant(
                conn,
                slug=f"shop-{secrets.token_hex(4)}",
                name="Test Shop",
                currency=currency,
                timezone=timezone,
                fee_bps=fee_bps,
            )
            if created_at is not None:
                conn.execute(
                    text("UPDATE tenants SET created_at = :at WHERE id = :id"),
                    {"at": created_at, "id": tenant.id},
                )
            return tenant
    finally:
        engine.dispose()


def pairing_code(settings: Settings, tenant: Tenant) -> str:
    engine = create_engine(settings.admin_database_url)
    try:
        with engine.begin() as conn:
            return devices.create_pairing_code(
                conn, key=settings.token_hmac_key, tenant=tenant
            ).code
    finally:
        engine.dispose()


@dataclass(frozen=True)
class Device:
    tenant: Tenant
    device_id: uuid.UUID
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def pair_device(
    client: httpx.Client, settings: Settings, tenant: Tenant, name: str = "Register"
) -> Device:
    code = pairing_code(settings, tenant)
    response = client.post("/v1/devices/pair", json={"code": code, "device_name": name})
    assert response.status_code == 200, response.text
    body = response.json()
    return Device(tenant=tenant, device_id=uuid.UUID(body["device_id"]), token=body["token"])


# --- payload builders ---------------------------------------------------------------------------


def iso(moment: datetime) -> str:
    return moment.isoformat()


def build_order(
    *,
    lines: list[tuple[str, str, int, int, int]],
    paid_at: datetime | None,
    currency: str = "EUR",
    tax_mode: str = "inclusive",
    tip_minor: int = 0,
    status: str = "paid",
    order_id: uuid.UUID | None = None,
    number: int = 1,
) -> tuple[uuid.UUID, dict[str, Any]]:
    """A consistent order, priced by the register's own rule (`pos_app.domain.pricing`: tax
    rounded once per rate per order, then spread over the lines), so the server's check accepts
    it. `lines`: (sku, name, quantity, unit price, tax ppm)."""
    priced = compute_totals(
        [
            PricingLine(position, unit_price, quantity, tax_ppm)
            for position, (_, _, quantity, unit_price, tax_ppm) in enumerate(lines)
        ],
        TaxMode(tax_mode),
    )
    built_lines: list[dict[str, Any]] = []
    for position, ((sku, name, quantity, unit_price, tax_ppm), figures) in enumerate(
        zip(lines, priced.lines, strict=True)
    ):
        built_lines.append(
            {
                "id": str(uuid7()),
                "position": position,
                "product_id": None,
                "category_id": None,
                "sku": sku,
                "name": name,
                "quantity": quantity,
                "unit_price_minor": unit_price,
                "tax_rate_ppm": tax_ppm,
                "gross_minor": figures.gross_minor,
                "line_discount_minor": 0,
                "order_discount_minor": 0,
                "net_minor": figures.net_minor,
                "tax_minor": figures.tax_minor,
                "total_minor": figures.total_minor,
                "note": "",
                "modifiers": [],
            }
        )
    total = sum(line["total_minor"] for line in built_lines)
    created = paid_at or datetime(2026, 3, 1, 12, tzinfo=UTC)
    order_id = order_id or uuid7()
    data = {
        "number": number,
        "register_id": str(uuid7()),
        "status": status,
        "currency": currency,
        "tax_mode": tax_mode,
        "subtotal_minor": sum(line["gross_minor"] for line in built_lines),
        "line_discount_minor": 0,
        "order_discount_minor": 0,
        "tax_minor": sum(line["tax_minor"] for line in built_lines),
        "total_minor": total,
        "tip_minor": tip_minor if status == "paid" else 0,
        "created_at": iso(created),
        "paid_at": iso(paid_at) if paid_at and status == "paid" else None,
        "voided_at": iso(created) if status == "voided" else None,
        "void_reason": "customer left" if status == "voided" else None,
        "staff_id": None,
        "shift_id": None,
        "customer_id": None,
        "lines": built_lines,
        "tenders": [
            {
                "id": str(uuid7()),
                "kind": "card",
                "amount_minor": total,
                "tip_minor": tip_minor,
                "tendered_minor": total + tip_minor,
                "change_minor": 0,
                "card_brand": "visa",
                "card_last4": "4242",
                "payment_id": None,
            }
        ]
        if status == "paid"
        else [],
    }
    return order_id, data


def change(seq: int, entity: str, entity_id: uuid.UUID | str, data: dict[str, Any],
           occurred_at: datetime | None = None) -> dict[str, Any]:  # fmt: skip
    return {
        "seq": seq,
        "entity": entity,
        "id": str(entity_id),
        "occurred_at": iso(occurred_at or datetime.now(UTC)),
        "data": data,
    }


def build_refund(
    order: dict[str, Any],
    *,
    created_at: datetime,
    line_indexes: list[int] | None = None,
    status: str = "succeeded",
    order_id: uuid.UUID,
) -> tuple[uuid.UUID, dict[str, Any]]:
    """A full refund of the chosen lines (all lines by default)."""
    chosen = [order["lines"][i] for i in (line_indexes or range(len(order["lines"])))]
    lines = [
        {
            "line_id": line["id"],
            "quantity": line["quantity"],
            "amount_minor": line["total_minor"],
            "tax_minor": line["tax_minor"],
        }
        for line in chosen
    ]
    amount = sum(line["amount_minor"] for line in lines)
    return uuid7(), {
        "order_id": str(order_id),
        "amount_minor": amount,
        "tax_minor": sum(line["tax_minor"] for line in lines),
        "reason": "customer changed mind",
        "status": status,
        "created_at": iso(created_at),
        "staff_id": None,
        "approved_by_id": None,
        "lines": lines,
        "allocations": [
            {
                "id": str(uuid7()),
                "tender_id": order["tenders"][0]["id"],
                "kind": "card",
                "amount_minor": amount,
                "status": status,
                "gateway_refund_id": None,
            }
        ],
    }


def push(client: httpx.Client, device: Device, batch: list[dict[str, Any]]) -> httpx.Response:
    return client.post(
        "/v1/sync/push",
        json={"device_id": str(device.device_id), "batch": batch},
        headers=device.headers,
    )


def build_payment(
    order_id: uuid.UUID,
    order: dict[str, Any],
    *,
    gateway_payment_id: str | None,
    gateway_charge_id: str | None,
    status: str = "captured",
    currency: str | None = None,
    created_at: datetime | None = None,
) -> tuple[uuid.UUID, dict[str, Any]]:
    """The card payment of `order` as the register pushes it (Stripe ids from the gateway)."""
    moment = iso(created_at or datetime.now(UTC))
    amount = order["total_minor"]
    return uuid7(), {
        "order_id": str(order_id),
        "gateway": "stripe",
        "gateway_payment_id": gateway_payment_id,
        "gateway_charge_id": gateway_charge_id,
        "status": status,
        "amount_minor": amount,
        "tip_minor": 0,
        "currency": currency or order["currency"],
        "card_brand": "visa",
        "card_last4": "4242",
        "captured_minor": amount if status == "captured" else 0,
        "refunded_minor": 0,
        "created_at": moment,
        "updated_at": moment,
    }


def build_notification(
    order_id: uuid.UUID | None,
    *,
    kind: str = "receipt",
    channel: str = "email",
    to: str = "ana@example.com",
    consent: bool = False,
    locale: str = "en_US",
    customer_id: uuid.UUID | None = None,
) -> tuple[uuid.UUID, dict[str, Any]]:
    """A customer notification as the register queues it (see `sync.schemas`)."""
    return uuid7(), {
        "order_id": str(order_id) if order_id else None,
        "kind": kind,
        "channel": channel,
        "to": to,
        "customer_id": str(customer_id) if customer_id else None,
        "consent": consent,
        "locale": locale,
        "created_at": iso(datetime.now(UTC)),
    }


# --- Stripe and the job queue -------------------------------------------------------------------


def set_stripe_secret(
    settings: Settings, tenant: Tenant, secret: str, account: str | None = None
) -> None:
    from sync_server.stripe_webhooks import service as stripe_webhooks

    engine = create_engine(settings.admin_database_url)
    try:
        with engine.begin() as conn:
            stripe_webhooks.set_account(
                conn, tenant=tenant, webhook_secret=secret, account_id=account
            )
    finally:
        engine.dispose()


def run_jobs(settings: Settings, channels: Any = None) -> None:
    """Run the worker in this process until no job is due (`sync-server worker --once`)."""
    from sync_server.jobs import Runtime, run_worker

    run_worker(
        settings,
        once=True,
        install_signal_handlers=False,
        runtime=Runtime(settings, channels=channels),
    )


def make_jobs_due(settings: Settings) -> int:
    """Bring retries scheduled for later forward to now (time passing, without the wait)."""
    engine = create_engine(settings.admin_database_url)
    try:
        with engine.begin() as conn:
            result = conn.execute(
                text(
                    "UPDATE procrastinate_jobs SET scheduled_at = now() "
                    "WHERE status = 'todo' AND scheduled_at > now()"
                )
            )
            return int(result.rowcount)
    finally:
        engine.dispose()


def job_rows(settings: Settings, task_name: str | None = None) -> list[Any]:
    engine = create_engine(settings.admin_database_url)
    try:
        with engine.connect() as conn:
            return list(
                conn.execute(
                    text(
                        "SELECT id, task_name, queue_name, status, attempts, args, scheduled_at "
                        "FROM procrastinate_jobs "
                        "WHERE CAST(:t AS text) IS NULL OR task_name = :t ORDER BY id"
                    ),
                    {"t": task_name},
                )
            )
    finally:
        engine.dispose()


EMBEDDED_ONLY_VAR = "SYNC_TEST_EMBEDDED_PG"
"""Set to 1, the tests ignore a server at 127.0.0.1:5432 and use the embedded cluster (CI runs
the server tests once that way, so that path keeps working)."""


@contextmanager
def test_postgres() -> Iterator[PgServer]:
    """The server at 127.0.0.1:5432 (user postgres, trust), else an embedded throwaway cluster
    for the length of the block."""
    if os.environ.get(EMBEDDED_ONLY_VAR) != "1" and reachable("127.0.0.1", 5432):
        yield PgServer("127.0.0.1", 5432, "postgres")
        return
    with throwaway_cluster() as port:
        yield PgServer("127.0.0.1", port, "postgres")
