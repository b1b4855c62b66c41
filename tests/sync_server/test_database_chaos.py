"""A database that accepts connections and then says nothing: every route of the live server
still answers within a bound (JSON 503 with Retry-After where it needs the database), the
server recovers when the database does, SIGTERM stops it within a bound, and `serve` refuses
to start on a database it cannot use.

The database sits behind `StallProxy` (tests/support/chaos_proxy.py): a relay in front of the
real PostgreSQL that freezes connections mid-query, lets new ones through their start-up and
then relays nothing, or accepts them and never answers."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from sqlalchemy import make_url

from sync_server.config import Settings
from sync_server.jobs import libpq_url
from sync_server.notifications.service import unsubscribe_token
from sync_server.process import ServerProcess, server_env
from sync_server.stripe_webhooks.signature import sign
from sync_server.tenants.schemas import Tenant
from tests.support.chaos_proxy import StallProxy
from tests.support.push_payloads import build_order, change
from tests.support.sync_server_live import RELAXED_LIMITS
from tests.support.sync_server_tenants import Device, create_tenant, pair_device

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

TIMEOUTS = {
    "SYNC_DB_CONNECT_TIMEOUT": "2",  # psycopg's least
    "SYNC_DB_STATEMENT_TIMEOUT": "2",
    "SYNC_DB_POOL_TIMEOUT": "2",
    "SYNC_POOL_SIZE": "2",
    "SYNC_SHUTDOWN_TIMEOUT": "10",
}
ROUTE_BOUND_S = 25.0
"""Worst case: a request queued behind the 40 worker threads, each held at most for a
connect (2 s) or an answer (2 s + 2 s margin), then its own wait."""
SHUTDOWN_BOUND_S = 15.0
"""The calls in flight end by themselves (each ≤ pool 2 s + an answer 4 s + a connect 2 s),
well inside the graceful shutdown's 10 s."""


def _through(proxy: StallProxy, url: str) -> str:
    return make_url(url).set(port=proxy.port).render_as_string(hide_password=False)


PLATFORM_SECRET = "whsec_platformchaos0123456789"


@dataclass
class Stage:
    settings: Settings
    proxy: StallProxy
    server: ServerProcess
    tenant: Tenant
    device: Device
    startup_bytes: int


@pytest.fixture
def stage(settings: Settings, tmp_path: Path) -> Iterator[Stage]:
    proxy = StallProxy(make_url(settings.database_url).port or 5432).start()
    proxied = _through(proxy, settings.database_url)
    with psycopg.connect(libpq_url(proxied)) as probe:
        probe.execute("SELECT 1")
        time.sleep(0.1)
    startup = proxy.last_server_bytes
    with psycopg.connect(libpq_url(proxied)):
        time.sleep(0.1)
    startup = min(startup, proxy.last_server_bytes)  # the start-up alone, without the query
    env = server_env(
        settings, SYNC_DATABASE_URL=proxied, SYNC_BILLING_WEBHOOK_SECRET=PLATFORM_SECRET,
        **RELAXED_LIMITS, **TIMEOUTS,
    )  # fmt: skip
    server = ServerProcess(settings, env=env, log_path=tmp_path / "server.log")
    tenant = create_tenant(settings, currency="EUR")
    with httpx.Client(base_url=server.url, timeout=30) as client:
        device = pair_device(client, settings, tenant)
    try:
        yield Stage(settings, proxy, server, tenant, device, startup)
    finally:
        server.stop()
        proxy.stop()


def _requests(stage: Stage) -> list[tuple[str, str, dict[str, Any]]]:
    """One call per route of the app, each one that reaches the database when it is up."""
    tenant, device = stage.tenant, stage.device
    address = "ana@example.com"
    token = unsubscribe_token(stage.settings.token_hmac_key, tenant.id, "email", address)
    unsubscribe = {"channel": "email", "address": address, "token": token}
    order_id, order = build_order(
        lines=[("BRD", "Bread", 1, 350, 0)], paid_at=datetime.now(UTC), currency="EUR"
    )
    push = {"device_id": str(device.device_id), "batch": [change(1, "order", order_id, order)]}
    auth = {"headers": device.headers}
    # A fee invoice's event, signed with the platform's secret and naming the shop: stored.
    invoice = {"object": "invoice", "id": "in_chaos", "metadata": {
        "tenant_id": str(tenant.id), "billing_invoice_id": str(uuid.uuid4())}}  # fmt: skip
    platform_event = json.dumps({
        "id": f"evt_chaos_{uuid.uuid4().hex}", "object": "event", "type": "invoice.paid",
        "created": int(time.time()), "data": {"object": invoice},
    }).encode()  # fmt: skip
    return [
        ("GET", "/healthz", {}),
        ("GET", "/openapi.json", {}),
        ("GET", "/docs", {}),
        ("GET", "/docs/oauth2-redirect", {}),
        ("GET", "/redoc", {}),
        ("POST", "/v1/devices/pair", {"json": {"code": "ABCDE-FGHJK", "device_name": "Till"}}),
        ("GET", "/v1/devices/me", auth),
        ("POST", "/v1/sync/push", {"json": push, **auth}),
        ("GET", "/v1/sync/pull", auth),
        (
            "POST",
            f"/v1/stripe/webhooks/{tenant.slug}",
            {
                "content": b"{}",
                "headers": {"Stripe-Signature": f"t={int(time.time())},v1={'0' * 64}"},
            },
        ),
        ("GET", f"/v1/notifications/unsubscribe/{tenant.id}", {"params": unsubscribe}),
        ("POST", f"/v1/notifications/unsubscribe/{tenant.id}", {"params": unsubscribe}),
        (
            "POST",
            "/v1/owners/invitations",
            {
                "json": {"email": "owner@example.com"},
                "headers": {**device.headers, "Idempotency-Key": str(uuid.uuid4())},
            },
        ),
        ("GET", "/v1/billing/invoices", auth),
        (
            "POST",
            "/v1/stripe/platform-webhook",
            {
                "content": platform_event,
                "headers": {
                    "Content-Type": "application/json",
                    "Stripe-Signature": sign(platform_event, PLATFORM_SECRET, int(time.time())),
                },
            },
        ),
    ]


def _routes_of_the_app(url: str) -> set[tuple[str, str]]:
    spec = httpx.get(f"{url}/openapi.json", timeout=10).json()
    return {
        (method.upper(), path)
        for path, operations in spec["paths"].items()
        for method in operations
    }


@dataclass
class Answer:
    method: str
    path: str
    status: int | None
    seconds: float
    content_type: str
    retry_after: str | None
    error: str | None


def _call(url: str, method: str, path: str, options: dict[str, Any]) -> Answer:
    started = time.monotonic()
    try:
        with httpx.Client(base_url=url, timeout=ROUTE_BOUND_S + 10) as client:
            response = client.request(method, path, **options)
    except httpx.HTTPError as exc:
        return Answer(method, path, None, time.monotonic() - started, "", None, repr(exc))
    return Answer(
        method,
        path,
        response.status_code,
        time.monotonic() - started,
        response.headers.get("content-type", ""),
        response.headers.get("retry-after"),
        None,
    )


def _storm(stage: Stage, rounds: int = 5) -> list[Answer]:
    """Every route `rounds` times at once: more calls than the server has worker threads."""
    calls = _requests(stage) * rounds
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(
            pool.map(lambda call: _call(stage.server.url, call[0], call[1], call[2]), calls)
        )


def _check(answers: list[Answer]) -> None:
    for answer in answers:
        where = f"{answer.method} {answer.path}"
        assert answer.error is None, f"{where}: {answer.error}"
        assert answer.seconds < ROUTE_BOUND_S, f"{where} took {answer.seconds:.1f} s"
        assert answer.status is not None
        assert answer.status != 500, where
        if answer.path in ("/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"):
            assert answer.status == 200, where
        else:
            assert answer.status == 503, f"{where}: {answer.status}"
            assert answer.content_type == "application/json", where
            assert answer.retry_after is not None, where
            assert int(answer.retry_after) > 0, where


def _healthy_within(url: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=10).status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    return False


def test_every_route_answers_in_bounded_time_while_the_database_stalls(stage: Stage) -> None:
    cases = {(method, path) for method, path, _ in _requests(stage)}
    routes = _routes_of_the_app(stage.server.url)
    named = {
        (method, path.replace("{tenant}", stage.tenant.slug).replace(
            "{tenant_id}", str(stage.tenant.id)
        ))
        for method, path in routes
    }  # fmt: skip
    # The API's own routes all have a case; the documentation pages are not in the OpenAPI.
    assert named <= cases, f"routes without a case: {named - cases}"

    # Mid-query: pooled connections freeze; new ones finish their start-up, then stall.
    stage.proxy.forward_limit = stage.startup_bytes
    stage.proxy.freeze()
    _check(_storm(stage))

    stage.proxy.heal()
    assert _healthy_within(stage.server.url, 15), "the server did not recover with the database"

    # Silent: connections are accepted and never answered; the open ones freeze too.
    stage.proxy.silent = True
    stage.proxy.freeze()
    _check(_storm(stage))


def test_sigterm_stops_the_server_within_a_bound_while_calls_wait_on_the_database(
    stage: Stage,
) -> None:
    stage.proxy.silent = True
    stage.proxy.freeze()
    with ThreadPoolExecutor(max_workers=30) as pool:
        calls = [
            pool.submit(_call, stage.server.url, method, path, options)
            for method, path, options in _requests(stage) * 2
        ]
        time.sleep(1.0)  # the calls are now waiting on the database
        started = time.monotonic()
        stage.server.process.send_signal(signal.SIGTERM)
        code = stage.server.process.wait(timeout=SHUTDOWN_BOUND_S + 30)
        stopped = time.monotonic() - started
        answers = [call.result() for call in calls]
    for answer in answers:  # each call ended: an answer (503, 200), or the connection closed
        assert answer.status != 500
        assert answer.seconds < SHUTDOWN_BOUND_S + 2
    assert stopped < SHUTDOWN_BOUND_S, f"SIGTERM took {stopped:.1f} s"
    # uvicorn raises the signal again once it has shut down, so a supervisor sees it.
    assert code in (0, -signal.SIGTERM)
    stage.server.stop()  # closes the log
    log = stage.server.log_path.read_text() if stage.server.log_path else ""
    assert "Finished server process" in log  # a shutdown, not a kill
    assert "Traceback" not in log


def _serve(settings: Settings, database_url: str) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "sync_server.cli", "serve", "--port", "0"],
        env=server_env(settings, SYNC_DATABASE_URL=database_url, **TIMEOUTS),
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result, time.monotonic() - started


def test_serve_refuses_to_start_on_a_database_it_cannot_use(settings: Settings) -> None:
    proxy = StallProxy(make_url(settings.database_url).port or 5432).start()
    proxy.silent = True
    try:
        silent, took = _serve(settings, _through(proxy, settings.database_url))
    finally:
        proxy.stop()
    assert silent.returncode == 2, silent.stderr
    assert took < 20
    lines = silent.stderr.strip().splitlines()
    assert len(lines) == 1, silent.stderr
    assert lines[0].startswith("sync-server: ")
    assert "SYNC_DATABASE_URL" in lines[0]

    nowhere = make_url(settings.database_url).set(database="no_such_database_here")
    missing, _ = _serve(settings, nowhere.render_as_string(hide_password=False))
    assert missing.returncode == 2
    assert len(missing.stderr.strip().splitlines()) == 1
    assert "no_such_database_here" in missing.stderr
