"""Background jobs on a PostgreSQL-backed queue (procrastinate), run by `sync-server worker`.

The Stripe webhook issue adds its handlers here. The worker connects as the admin role: jobs
span tenants (each job scopes itself with `db.tenant_transaction` before touching tenant data).
"""

from __future__ import annotations

import asyncio

import procrastinate

from sync_server.config import Settings
from sync_server.db import admin_engine
from sync_server.devices import repository as device_repository


def libpq_url(sqlalchemy_url: str) -> str:
    """`postgresql+psycopg://…` → `postgresql://…` (what psycopg itself accepts)."""
    scheme, sep, rest = sqlalchemy_url.partition("://")
    return f"{scheme.split('+', 1)[0]}{sep}{rest}"


def build_job_app(settings: Settings) -> procrastinate.App:
    job_app = procrastinate.App(
        connector=procrastinate.PsycopgConnector(conninfo=libpq_url(settings.admin_database_url))
    )

    @job_app.periodic(cron="17 * * * *")
    @job_app.task(name="prune_pairing_codes", queue="housekeeping")
    def prune_pairing_codes(timestamp: int) -> int:
        """Forget pairing codes that expired more than a day ago (they can never be used)."""
        engine = admin_engine(settings)
        try:
            with engine.begin() as conn:
                return device_repository.prune_pairing_codes(conn)
        finally:
            engine.dispose()

    return job_app


def run_worker(settings: Settings, *, once: bool = False) -> None:
    """Run jobs until SIGINT/SIGTERM (or, with `once`, until the queue is empty)."""
    job_app = build_job_app(settings)

    async def main() -> None:
        async with job_app.open_async():
            await job_app.run_worker_async(wait=not once, install_signal_handlers=True)

    asyncio.run(main())
