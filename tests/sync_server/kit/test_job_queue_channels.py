"""What the application role can and cannot do with the job queue.

PostgreSQL asks no privilege for `LISTEN` or `NOTIFY`, so the application role (the web
process) can always listen and send on any channel: that cannot be taken away. What it must
not get from that: news of other shops' jobs (nothing is sent on the queue's channels any
more), or a way to stop the worker (which no longer listens). And it cannot reach the queue's
tables except through `sync_defer_jobs`, for its own shop and two tasks.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from sync_server.config import Settings
from sync_server.db import app_engine, tenant_transaction
from sync_server.jobs import libpq_url
from sync_server.kit import queue
from sync_server.process import server_env
from tests.support.sync_server_live import job_rows
from tests.support.sync_server_tenants import create_tenant

pytestmark = pytest.mark.postgres

CHANNELS = (
    "procrastinate_any_queue_v1",
    "procrastinate_queue_v1#stripe",
    "procrastinate_queue_v1#notifications",
)


@pytest.fixture
def app_session(fresh_settings: Settings) -> Iterator[psycopg.Connection[Any]]:
    """A plain connection of the application role, as the web process has."""
    with psycopg.connect(libpq_url(fresh_settings.database_url), autocommit=True) as conn:
        yield conn


@pytest.fixture
def app_db_fresh(fresh_settings: Settings) -> Iterator[Engine]:
    engine = app_engine(fresh_settings)
    yield engine
    engine.dispose()


def _defer_stripe_job(engine: Engine, settings: Settings, event_id: str) -> None:
    tenant = create_tenant(settings)
    with tenant_transaction(engine, tenant.id) as conn:
        queue.defer(
            conn, queue.HANDLE_STRIPE_EVENT, [{"tenant_id": str(tenant.id), "event_id": event_id}]
        )


def test_listening_as_the_app_role_hears_nothing_of_queued_jobs(
    fresh_settings: Settings, app_session: psycopg.Connection[Any], app_db_fresh: Engine
) -> None:
    for channel in CHANNELS:
        app_session.execute(f'LISTEN "{channel}"')  # allowed: PostgreSQL checks nothing here
    # Another shop's webhook is queued (through the same function the web process uses).
    _defer_stripe_job(app_db_fresh, fresh_settings, "evt_1OtherShop")
    assert len(job_rows(fresh_settings, queue.HANDLE_STRIPE_EVENT)) == 1
    heard = [(n.channel, n.payload) for n in app_session.notifies(timeout=1.5, stop_after=1)]
    assert heard == []


def test_the_app_role_reaches_the_queue_only_through_sync_defer_jobs(
    fresh_settings: Settings, app_db_fresh: Engine
) -> None:
    tenant = create_tenant(fresh_settings)
    other = create_tenant(fresh_settings)
    refused = [
        "SELECT count(*) FROM procrastinate_jobs",
        "UPDATE procrastinate_jobs SET status = 'failed'",
        "DELETE FROM procrastinate_jobs",
        "SELECT procrastinate_defer_jobs_v1(ARRAY[ROW('stripe', 'handle_stripe_event', 0, "
        "NULL, NULL, '{}'::jsonb, NULL)::procrastinate_job_to_defer_v1])",
        "SELECT sync_defer_jobs('reconcile', ARRAY['{}'::jsonb])",
        f"SELECT sync_defer_jobs('handle_stripe_event', "
        f'ARRAY[\'{{"tenant_id": "{other.id}", "event_id": "evt_x"}}\'::jsonb])',
    ]
    for statement in refused:
        with pytest.raises(DBAPIError), tenant_transaction(app_db_fresh, tenant.id) as conn:
            conn.execute(text(statement))
    assert job_rows(fresh_settings) == []


def _worker(settings: Settings) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "sync_server.cli", "worker"],
        env=server_env(settings),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_forged_notifications_from_the_app_role_neither_stop_nor_steer_the_worker(
    fresh_settings: Settings, app_session: psycopg.Connection[Any], app_db_fresh: Engine
) -> None:
    worker = _worker(fresh_settings)
    try:
        assert worker.stderr is not None
        assert "worker ready" in worker.stderr.readline()
        forged = ["not json", json.dumps({"type": "abort_job_requested"}), "{}"]
        # For a few seconds: "ready" comes before a listening worker would have subscribed.
        until = time.monotonic() + 3
        while time.monotonic() < until:
            for channel in CHANNELS:
                for payload in forged:
                    app_session.execute("SELECT pg_notify(%s, %s)", (channel, payload))
            time.sleep(0.1)
        time.sleep(1)
        assert worker.poll() is None, worker.communicate(timeout=10)[1]
        # It still takes jobs, found by polling.
        _defer_stripe_job(app_db_fresh, fresh_settings, "evt_1AfterForgery")
        deadline = time.monotonic() + 20
        while job_rows(fresh_settings)[0].status != "succeeded":
            assert time.monotonic() < deadline, job_rows(fresh_settings)
            time.sleep(0.2)
        worker.send_signal(signal.SIGTERM)
        worker.communicate(timeout=30)
        assert worker.returncode == 0
    finally:
        if worker.poll() is None:
            os.kill(worker.pid, signal.SIGKILL)
        worker.communicate()
