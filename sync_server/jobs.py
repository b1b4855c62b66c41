"""Background jobs on a PostgreSQL-backed queue (procrastinate), run by `sync-server worker`.

Why procrastinate rather than PgQueuer: deferring a procrastinate job is one SQL function call,
so the server enqueues in the *same transaction* as the rows a job handles (the webhook inbox,
pushed notifications) through `sync_defer_jobs` (`kit/queue.py`): never a job without its row
nor a row without its job. It also brings what the rest needs without extra code: per-task
retries with exponential backoff, cron tasks that several workers defer only once (the
database deduplicates them), worker heartbeats to find the jobs of a worker that died, and
plain synchronous task functions (our database code is synchronous SQLAlchemy).

Tasks (queue: task, retries):

* ``stripe``: ``handle_stripe_event`` — apply one inbox event; 8 retries, 2ⁿ s apart; an
  object the server cannot read fails at once (no retry can read it), into `jobs dead`. A
  shop's events go to `stripe_webhooks.flows`; the platform's own (its fee invoices, from
  `POST /v1/stripe/platform-webhook`) to `billing.flows`; a saved card's
  `checkout.session.completed` is then finished after the event's transaction
  (`billing.tasks.finish_card_setup`: the default card, the failed invoices charged).
* ``notifications``: ``send_notification`` — at most once (`notifications.service`); waits for
  its order; 10 retries, 3ⁿ s apart (about a day in all), then it gives up as ``failed``. With
  no provider configured for its channel it is ``failed`` at once, saying so;
  `sync-server notifications retry` queues it again.
  ``send_owner_invitation`` — a console invitation's set-password link, at most once
  (`accounts.tasks.send_invitation`), same retries. ``send_billing_notice`` — the owner's
  email about a failed payment of a fee invoice, at most once per Stripe event
  (`billing.tasks.send_notice`), same retries.
* ``housekeeping`` (cron, UTC): ``reconcile`` daily at 04:10 (every tenant, see
  `reconciliation.service`); ``close_statements`` on the 3rd of each month at 05:00 (verify the
  fee ledger, then close the month before: late pushes land in the next statement as
  adjustments); ``recover_stalled_jobs`` every minute (jobs of a worker silent for 60 s go
  back to the queue); ``prune_pairing_codes`` hourly.

The worker polls the jobs table every ``JOB_POLLING_SECONDS`` rather than listening: any role
of the database may ``NOTIFY`` on the queue's channels (PostgreSQL checks no privilege), and
procrastinate stops a worker whose listener gets a notification it cannot parse. Migration 0005
drops the triggers that announced each job on those channels, to every listener.

A job that used up its retries is ``failed``: `sync-server jobs dead` lists them with the last
error (`job_errors`), `sync-server jobs retry ID` queues one again. Tenant work runs on the
application role under row-level security (`scope.tenant_scope`), never as the admin role.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar

import procrastinate
from sqlalchemy import Connection, Engine, text

from sync_server.accounts import service as accounts
from sync_server.accounts import tasks as account_tasks
from sync_server.billing import flows as billing_flows
from sync_server.billing import stripe_client as billing_stripe
from sync_server.billing import tasks as billing_tasks
from sync_server.config import Settings
from sync_server.db import admin_engine, app_engine
from sync_server.devices import service as devices
from sync_server.fees import service as fees
from sync_server.kit import queue
from sync_server.notifications import service as notifications
from sync_server.notifications import tasks as notification_tasks
from sync_server.reconciliation import service as reconciliation
from sync_server.scope import admin_scope, tenant_scope
from sync_server.stripe_webhooks import flows as stripe_flows
from sync_server.stripe_webhooks.flows import UnreadableEvent
from sync_server.stripe_webhooks.schemas import StripeEvent
from sync_server.tenants import service as tenants
from sync_server.tenants.schemas import Tenant

log = logging.getLogger(__name__)

STRIPE_EVENT_RETRIES = 8
NOTIFICATION_RETRIES = 10
STALLED_AFTER_SECONDS = 60.0
JOB_POLLING_SECONDS = 1.0
"""How soon a waiting worker sees a job queued: it polls rather than listens (`run_worker`)."""

T = TypeVar("T")


def libpq_url(sqlalchemy_url: str) -> str:
    """`postgresql+psycopg://…` → `postgresql://…` (what psycopg itself accepts)."""
    scheme, sep, rest = sqlalchemy_url.partition("://")
    return f"{scheme.split('+', 1)[0]}{sep}{rest}"


@dataclass
class Runtime:
    """What tasks share in one worker process: pools made on first use, the providers."""

    settings: Settings
    channels: notifications.Channels | None = None
    _app: Engine | None = field(default=None, repr=False)
    _admin: Engine | None = field(default=None, repr=False)

    @property
    def app(self) -> Engine:
        if self._app is None:
            self._app = app_engine(self.settings)
        return self._app

    @property
    def admin(self) -> Engine:
        if self._admin is None:
            self._admin = admin_engine(self.settings)
        return self._admin

    def notification_channels(self) -> notifications.Channels:
        if self.channels is None:
            self.channels = notifications.Channels.from_settings(self.settings)
        return self.channels

    def dispose(self) -> None:
        for engine in (self._app, self._admin):
            if engine is not None:
                engine.dispose()
        self._app = self._admin = None


def _recorded(runtime: Runtime) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Keep why an attempt failed (procrastinate keeps only the status) for `jobs dead`."""

    def decorate(func: Callable[..., T]) -> Callable[..., T]:
        @functools.wraps(func)
        def wrapper(context: procrastinate.JobContext, **kwargs: Any) -> T:
            try:
                return func(context, **kwargs)
            except Exception as exc:
                _record_failure(runtime, context, exc)
                raise

        return wrapper

    return decorate


def _record_failure(runtime: Runtime, context: procrastinate.JobContext, exc: Exception) -> None:
    job = context.job
    error = "".join(traceback.format_exception_only(exc)).strip()
    log.warning("job %s %s attempt %s failed: %s", job.id, job.task_name, job.attempts, error)
    try:
        with admin_scope(runtime.admin) as scope:
            scope.connection.execute(
                text(
                    "INSERT INTO job_errors (job_id, attempt, task_name, error) "
                    "VALUES (:j, :a, :t, :e) ON CONFLICT (job_id, attempt) "
                    "DO UPDATE SET error = EXCLUDED.error, at = now()"
                ),
                {"j": job.id, "a": job.attempts, "t": job.task_name, "e": error[:2000]},
            )
    except Exception:  # the record is a courtesy: the retry must happen regardless
        log.exception("could not record the failure of job %s", job.id)


class _RetryUnlessUnreadable(procrastinate.RetryStrategy):
    """A Stripe object the server cannot read fails for good at once (`jobs dead` shows it):
    eight retries would read it the same way."""

    def get_retry_decision(
        self, *, exception: BaseException, job: procrastinate.jobs.Job
    ) -> procrastinate.retry.RetryDecision | None:
        if isinstance(exception, UnreadableEvent):
            return None
        return super().get_retry_decision(exception=exception, job=job)


def build_job_app(settings: Settings, *, runtime: Runtime | None = None) -> procrastinate.App:
    runtime = runtime or Runtime(settings)
    job_app = procrastinate.App(
        connector=procrastinate.PsycopgConnector(conninfo=libpq_url(settings.admin_database_url))
    )

    @job_app.task(
        name=queue.HANDLE_STRIPE_EVENT,
        queue="stripe",
        pass_context=True,
        retry=_RetryUnlessUnreadable(max_attempts=STRIPE_EVENT_RETRIES, exponential_wait=2),
    )
    @_recorded(runtime)
    def handle_stripe_event(
        context: procrastinate.JobContext, tenant_id: str, event_id: str
    ) -> str | None:
        with tenant_scope(runtime.app, uuid.UUID(tenant_id)) as scope:
            outcome = stripe_flows.process_event(
                scope.connection, event_id=event_id, platform=_platform_event
            )
        session_id = billing_flows.card_setup_to_finish(outcome)
        if session_id is not None:
            # After the event's transaction: Stripe is asked (a failure retries the job, which
            # finds the event processed and finishes the setup again, nothing twice).
            return finish_card_setup(runtime, uuid.UUID(tenant_id), session_id)
        return outcome

    @job_app.task(
        name=queue.SEND_BILLING_NOTICE,
        queue="notifications",
        pass_context=True,
        retry=procrastinate.RetryStrategy(max_attempts=NOTIFICATION_RETRIES, exponential_wait=3),
    )
    @_recorded(runtime)
    def send_billing_notice(
        context: procrastinate.JobContext, tenant_id: str, event_id: str
    ) -> str:
        return billing_tasks.send_notice(
            runtime.app,
            tenant_id=uuid.UUID(tenant_id),
            event_id=event_id,
            sender=runtime.notification_channels().email,
            last_attempt=context.job.attempts >= NOTIFICATION_RETRIES,
            console_url=runtime.settings.console_url,
        )

    @job_app.task(
        name=queue.SEND_NOTIFICATION,
        queue="notifications",
        pass_context=True,
        retry=procrastinate.RetryStrategy(max_attempts=NOTIFICATION_RETRIES, exponential_wait=3),
    )
    @_recorded(runtime)
    def send_notification(
        context: procrastinate.JobContext, tenant_id: str, notification_id: str
    ) -> str:
        return notification_tasks.send(
            runtime.app,
            tenant_id=uuid.UUID(tenant_id),
            notification_id=uuid.UUID(notification_id),
            channels=runtime.notification_channels(),
            last_attempt=context.job.attempts >= NOTIFICATION_RETRIES,
        )

    @job_app.task(
        name=accounts.SEND_OWNER_INVITATION,
        queue="notifications",
        pass_context=True,
        retry=procrastinate.RetryStrategy(max_attempts=NOTIFICATION_RETRIES, exponential_wait=3),
    )
    @_recorded(runtime)
    def send_owner_invitation(
        context: procrastinate.JobContext, tenant_id: str, invitation_id: str, link: str
    ) -> str:
        return account_tasks.send_invitation(
            runtime.app,
            tenant_id=uuid.UUID(tenant_id),
            invitation_id=uuid.UUID(invitation_id),
            link=link,
            sender=runtime.notification_channels().email,
            last_attempt=context.job.attempts >= NOTIFICATION_RETRIES,
        )

    @job_app.periodic(cron="10 4 * * *")
    @job_app.task(name="reconcile", queue="housekeeping")
    def reconcile(timestamp: int) -> int:
        """Daily checks of every tenant; returns how many flags are open."""
        return reconcile_all(runtime, datetime.fromtimestamp(timestamp, UTC))

    @job_app.periodic(cron="0 5 3 * *")
    @job_app.task(name="close_statements", queue="housekeeping")
    def close_statements(timestamp: int) -> str:
        return close_previous_month(runtime, datetime.fromtimestamp(timestamp, UTC).date())

    @job_app.periodic(cron="23 * * * *")
    @job_app.task(name="invoice_fees", queue="housekeeping")
    def invoice_fees(timestamp: int) -> str:
        return invoice_closed_months(runtime)

    @job_app.periodic(cron="* * * * *")
    @job_app.task(name="recover_stalled_jobs", queue="housekeeping")
    async def recover_stalled_jobs_task(timestamp: int) -> int:
        return await recover_stalled_jobs(job_app, STALLED_AFTER_SECONDS)

    @job_app.periodic(cron="17 * * * *")
    @job_app.task(name="prune_pairing_codes", queue="housekeeping")
    def prune_pairing_codes(timestamp: int) -> int:
        """Forget pairing codes that expired more than a day ago (they can never be used)."""
        with admin_scope(runtime.admin) as scope:
            return devices.prune_pairing_codes(scope.connection)

    return job_app


def _platform_event(conn: Connection, tenant: Tenant, event: StripeEvent) -> str:
    return billing_flows.apply_platform_event(conn, tenant=tenant, event=event)


def finish_card_setup(runtime: Runtime, tenant_id: uuid.UUID, session_id: str) -> str:
    """The owner saved a card on Stripe's page (`checkout.session.completed`): make it the
    shop's default card and charge its failed invoices (`billing.tasks.finish_card_setup`)."""
    client = billing_stripe.from_settings(runtime.settings)
    if client is None:
        return f"card setup {session_id}: not finished (SYNC_BILLING_STRIPE_KEY is not set)"
    with tenant_scope(runtime.app, tenant_id) as scope:
        tenant = tenants.current_tenant(scope.connection)
    if tenant is None:
        return f"card setup {session_id}: no such shop"
    with client:
        result = billing_tasks.finish_card_setup(runtime.app, tenant, client, session_id)
    charged = ", ".join(f"{c.period} {c.outcome}" for c in result.charged)
    return f"card setup {session_id}: {result.outcome}" + (
        f"; charged {charged}" if charged else ""
    )


def reconcile_all(runtime: Runtime, now: datetime) -> int:
    """Run the daily reconciliation of every tenant, each in its own transaction."""
    with admin_scope(runtime.admin) as scope:
        tenant_ids = [tenant.id for tenant in tenants.list_tenants(scope.connection)]
    open_flags = 0
    for tenant_id in tenant_ids:
        with tenant_scope(runtime.app, tenant_id) as scope:
            tenant = tenants.current_tenant(scope.connection)
            assert tenant is not None
            reconciliation.run_daily(scope.connection, tenant=tenant, now=now)
            open_flags += len(reconciliation.report(scope.connection, tenant_id=tenant.id))
    return open_flags


def close_previous_month(runtime: Runtime, today: date) -> str:
    """Close the month before `today`'s (if still open), shop by shop: a shop whose fee ledger
    differs from the recomputation has its own close held (`fees.close_period`); the others
    close."""
    previous = (today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    with admin_scope(runtime.admin) as scope:
        try:
            # The start of `today` is never later than the real clock (the job runs on or after
            # its scheduled day), so the close is still refused for a month not yet over.
            closed = fees.close_period(
                scope.connection, previous, now=datetime.combine(today, time(), UTC)
            )
        except fees.FeeError as exc:
            return str(exc)
    outcome = f"closed {previous}: {len(closed.frozen)} statements"
    for slug, problems in closed.held.items():
        log.error("fee close of %s held for %s: %s", previous, slug, problems[0])
    if closed.held:
        outcome += f"; held for {', '.join(closed.held)} (their ledger differs)"
    if runtime.settings.billing_stripe_key:
        outcome += f"; {invoice_closed_months(runtime)}"
    return outcome


def invoice_closed_months(runtime: Runtime) -> str:
    """Invoice every shop's closed months not invoiced yet, and go on with unfinished invoices
    (after the close has committed: never inside its transaction)."""
    client = billing_stripe.from_settings(runtime.settings)
    if client is None:
        return "invoices: none sent (SYNC_BILLING_STRIPE_KEY is not set)"
    with client:
        report = billing_tasks.invoice_all(
            runtime.app,
            runtime.admin,
            client,
            days_until_due=runtime.settings.billing_days_until_due,
            concurrency=runtime.settings.billing_concurrency,
        )
    for shop, period, why in report.failed:
        log.error("fee invoice of %s for %s failed (retried later): %s", shop, period, why)
    return report.lines()[0]


async def recover_stalled_jobs(job_app: procrastinate.App, seconds_since_heartbeat: float) -> int:
    """Put back in the queue the running jobs of workers with no heartbeat for that long."""
    stalled = await job_app.job_manager.get_stalled_jobs(
        seconds_since_heartbeat=seconds_since_heartbeat
    )
    count = 0
    for job in stalled:
        log.warning("job %s (%s) stalled: its worker stopped; queued again", job.id, job.task_name)
        await job_app.job_manager.retry_job(job)
        count += 1
    return count


_OUTCOMES = {
    "job_success": "succeeded",
    "job_error_retry": "failed, to retry",
    "job_error": "failed for good (see `sync-server jobs dead`)",
    "job_aborted": "aborted",
    "job_aborted_retry": "aborted, to retry",
}


class _OutcomeCounter(logging.Handler):
    """Counts the jobs this process ran by outcome, from the worker's own end-of-job records
    (procrastinate tags each with an `action`)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.counts: dict[str, int] = {}

    def emit(self, record: logging.LogRecord) -> None:
        outcome = _OUTCOMES.get(str(getattr(record, "action", "")))
        if outcome is not None:
            self.counts[outcome] = self.counts.get(outcome, 0) + 1


class _UtcFormatter(logging.Formatter):
    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        moment = datetime.fromtimestamp(record.created, UTC)
        return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def log_jobs_to_stderr() -> None:
    """One timestamped line (UTC) per job started and per job ended, with its outcome and
    duration (procrastinate's worker records), and our own warnings: `sync-server worker`."""
    handler = logging.StreamHandler()
    handler.setFormatter(_UtcFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for name in ("procrastinate.worker", "sync_server"):
        logger = logging.getLogger(name)
        logger.setLevel(logging.INFO)
        logger.addHandler(handler)
        logger.propagate = False


def run_worker(
    settings: Settings,
    *,
    once: bool = False,
    install_signal_handlers: bool = True,
    runtime: Runtime | None = None,
    on_ready: Callable[[], None] | None = None,
) -> dict[str, int]:
    """Run jobs until SIGINT/SIGTERM (or, with `once`, until nothing is due). Returns how many
    jobs ended with each outcome.

    `on_ready` is called once the queue is open and stalled jobs are recovered, just before
    the worker starts taking jobs (the CLI says so on stderr, for supervisors and tests).
    """
    runtime = runtime or Runtime(settings)
    counter = _OutcomeCounter()
    worker_log = logging.getLogger("procrastinate.worker")
    if worker_log.getEffectiveLevel() > logging.INFO:
        worker_log.setLevel(logging.INFO)  # the end-of-job records are INFO
    worker_log.addHandler(counter)
    job_app = build_job_app(settings, runtime=runtime)

    async def main() -> None:
        async with job_app.open_async():
            await recover_stalled_jobs(job_app, STALLED_AFTER_SECONDS)
            if on_ready is not None:
                on_ready()
            # No LISTEN: any role of the database may NOTIFY on the queue's channels, and a
            # notification the worker cannot parse stops it (migration 0005). Polling the
            # jobs table, which only the admin role reaches, costs a query a second.
            await job_app.run_worker_async(
                wait=not once,
                install_signal_handlers=install_signal_handlers,
                listen_notify=False,
                fetch_job_polling_interval=JOB_POLLING_SECONDS,
            )

    try:
        asyncio.run(main())
    finally:
        worker_log.removeHandler(counter)
        runtime.dispose()
    return counter.counts


# --- dead jobs (admin role) ----------------------------------------------------------------------
# The queries live in `kit.queue` (`failed_jobs`, `retry_failed_job`), shared with the console's
# job queue page: one implementation of each operation, whoever asks.

DeadJob = queue.DeadJob
JobError = queue.JobError


def dead_jobs(engine: Engine, limit: int = 100) -> list[DeadJob]:
    with admin_scope(engine) as scope:
        return queue.failed_jobs(scope.connection, limit)


def retry_dead_job(engine: Engine, job_id: int) -> None:
    """Queue a failed job again, now (it gets one more attempt)."""
    with admin_scope(engine) as scope:
        queue.retry_failed_job(scope.connection, job_id)
