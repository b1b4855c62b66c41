"""The job queue: a failing job is retried with exponential backoff, its errors are kept, it
ends dead once its retries are used up; `sync-server jobs dead` shows it, `jobs retry` queues
it again. And the monthly statement job."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from sync_server.config import Settings
from sync_server.db import app_engine, tenant_transaction
from sync_server.jobs import STRIPE_EVENT_RETRIES, Runtime, close_previous_month
from sync_server.kit import queue
from tests.support.sync_server_live import job_rows, make_jobs_due, run_jobs
from tests.support.sync_server_tenants import create_tenant

pytestmark = pytest.mark.postgres


def _cli(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "SYNC_DATABASE_URL": settings.database_url,
        "SYNC_ADMIN_DATABASE_URL": settings.admin_database_url,
    }
    return subprocess.run(
        [sys.executable, "-m", "sync_server.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _poison_event(settings: Settings) -> None:
    """An inbox row no handler can read, and its job (as the webhook endpoint enqueues it)."""
    tenant = create_tenant(settings)
    engine = app_engine(settings)
    try:
        with tenant_transaction(engine, tenant.id) as conn:
            conn.execute(
                text(
                    "INSERT INTO stripe_events (tenant_id, id, type, created_at, payload) "
                    "VALUES (:t, 'evt_poison', 'charge.dispute.created', now(), '{\"no\": 1}')"
                ),
                {"t": tenant.id},
            )
            queue.defer(
                conn,
                queue.HANDLE_STRIPE_EVENT,
                [{"tenant_id": str(tenant.id), "event_id": "evt_poison"}],
            )
    finally:
        engine.dispose()


def _delay_and_errors(settings: Settings) -> tuple[float, list[Any]]:
    engine = create_engine(settings.admin_database_url)
    try:
        with engine.connect() as conn:
            delay = conn.execute(
                text(
                    "SELECT extract(epoch FROM scheduled_at - now()) FROM procrastinate_jobs "
                    "WHERE task_name = 'handle_stripe_event'"
                )
            ).scalar_one()
            errors = list(conn.execute(text("SELECT attempt, error FROM job_errors ORDER BY 1")))
            return float(delay), errors
    finally:
        engine.dispose()


def test_failures_back_off_exponentially_then_the_job_is_dead_and_can_be_retried(
    fresh_settings: Settings,
) -> None:
    settings = fresh_settings
    _poison_event(settings)
    run_jobs(settings)
    (job,) = job_rows(settings, queue.HANDLE_STRIPE_EVENT)
    assert (job.status, job.attempts) == ("todo", 1)
    delay, errors = _delay_and_errors(settings)
    assert 0 < delay <= 2  # 2¹ s
    assert [attempt for attempt, _ in errors] == [0]
    assert "ValidationError" in errors[0].error

    make_jobs_due(settings)
    run_jobs(settings)
    delay, errors = _delay_and_errors(settings)
    assert 2 < delay <= 4  # 2² s
    assert [attempt for attempt, _ in errors] == [0, 1]

    engine = create_engine(settings.admin_database_url)
    try:
        with engine.begin() as conn:  # as if the other retries had failed too
            conn.execute(
                text("UPDATE procrastinate_jobs SET attempts = :n, scheduled_at = now()"),
                {"n": STRIPE_EVENT_RETRIES},
            )
    finally:
        engine.dispose()
    run_jobs(settings)
    (job,) = job_rows(settings, queue.HANDLE_STRIPE_EVENT)
    assert job.status == "failed"

    dead = _cli(settings, "jobs", "dead")
    assert dead.returncode == 0, dead.stderr
    (line,) = dead.stdout.splitlines()
    assert line.startswith(f"{job.id}\thandle_stripe_event\tstripe\tattempts=")
    assert "evt_poison" in line
    assert "ValidationError" in line

    retried = _cli(settings, "jobs", "retry", str(job.id))
    assert retried.returncode == 0, retried.stderr
    assert job_rows(settings, queue.HANDLE_STRIPE_EVENT)[0].status == "todo"
    assert _cli(settings, "jobs", "dead").stdout == ""
    again = _cli(settings, "jobs", "retry", str(job.id))
    assert again.returncode == 2
    assert "not failed" in again.stderr
    missing = _cli(settings, "jobs", "retry", "999999")
    assert (missing.returncode, "no job 999999" in missing.stderr) == (2, True)


def test_the_monthly_statement_job_closes_the_previous_month_holding_a_bad_shop(
    fresh_settings: Settings,
) -> None:
    runtime = Runtime(fresh_settings)
    try:
        assert close_previous_month(runtime, date(2026, 4, 3)) == "closed 2026-03: 0 statements"
        assert "already closed" in close_previous_month(runtime, date(2026, 4, 3))
        assert close_previous_month(runtime, date(2027, 1, 3)).startswith("closed 2026-12")
        with runtime.admin.begin() as conn:  # a ledger row nothing explains
            tenant = create_tenant(fresh_settings)
            conn.execute(
                text(
                    "INSERT INTO fee_ledger (tenant_id, kind, source_id, currency, sku, name, "
                    "natural_period, billing_period, amount_minor) VALUES "
                    "(:t, 'sale', 'x', 'EUR', 'S', 'S', '2027-01', '2027-01', 100)"
                ),
                {"t": tenant.id},
            )
        # That shop's close is held; the month closes for every other shop.
        assert close_previous_month(runtime, date(2027, 2, 3)) == (
            f"closed 2027-01: 0 statements; held for {tenant.slug} (their ledger differs)"
        )
        with runtime.admin.connect() as conn:
            closed = conn.execute(text("SELECT max(period) FROM fee_periods")).scalar_one()
            held = conn.execute(text("SELECT tenant_id, period FROM fee_holds")).all()
        assert closed == "2027-01"
        assert [tuple(row) for row in held] == [(tenant.id, "2027-01")]
    finally:
        runtime.dispose()
