"""Engines and transaction scopes. Every tenant transaction sets `app.tenant_id` first.

The setting is transaction-local (`set_config(..., true)`), so a pooled connection carries no
tenant from one request into the next; with no tenant set, the RLS policies match no row.
Services never commit: the scopes of `scope.py`, built on `tenant_transaction`, commit once
when their block ends, or roll back.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from alembic import command
from alembic.config import Config
from psycopg.abc import RV, PQGen
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.pool import ConnectionPoolEntry

from sync_server.config import Settings

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

ANSWER_MARGIN_S = 2.0
"""How much longer than `statement_timeout` the client waits for an answer: long enough for
the server's own cancellation to arrive first, short enough that a stuck network is not a hang."""


class BoundedConnection(psycopg.Connection[Any]):
    """A psycopg connection that stops waiting for the server after `answer_timeout_s`.

    `statement_timeout` is enforced by the server, and `connect_timeout` covers only the
    start-up: neither helps when the server (or something between) has accepted the connection
    and then says nothing, and a blocked thread holds its pool slot and its worker thread for
    ever. Such a connection is closed (an answer may still come, so it can never be reused),
    and the caller gets an OperationalError, which SQLAlchemy treats as a lost connection."""

    answer_timeout_s: float | None = None

    def wait(self, gen: PQGen[RV], interval: float = 0.1, timeout: float | None = None) -> RV:
        bound = timeout if timeout is not None else self.answer_timeout_s
        try:
            return super().wait(gen, interval, bound)
        except psycopg.errors._WaitTimeout:  # psycopg's own signal for `timeout`
            self.close()
            raise psycopg.OperationalError(
                f"the database did not answer within {bound:g} s"
            ) from None


def _engine(
    url: str, settings: Settings, *, pool_size: int, statement_timeout_s: int | None, **options: Any
) -> Engine:
    """An engine whose every wait on PostgreSQL is bounded: connecting (`connect_timeout`),
    a free pooled connection (`pool_timeout`), and, unless `statement_timeout_s` is None, each
    statement (server-side `statement_timeout` and the client's own bound above)."""
    connect_args: dict[str, Any] = {"connect_timeout": settings.db_connect_timeout_s}
    answer_timeout: float | None = None
    if statement_timeout_s is not None:
        connect_args["options"] = f"-c statement_timeout={statement_timeout_s * 1000}"
        answer_timeout = statement_timeout_s + ANSWER_MARGIN_S
    engine = create_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_timeout=settings.db_pool_timeout_s,
        connect_args=connect_args,
        **options,
    )
    if engine.dialect.driver == "psycopg":

        @event.listens_for(engine, "do_connect")
        def _connect(
            dialect: Dialect, record: ConnectionPoolEntry, cargs: Any, cparams: Any
        ) -> BoundedConnection:
            connection = BoundedConnection.connect(*cargs, **cparams)
            connection.answer_timeout_s = answer_timeout
            return connection

    return engine


def app_engine(settings: Settings) -> Engine:
    """The application role's pool (row-level security applies to every statement)."""
    return _engine(
        settings.database_url,
        settings,
        pool_size=settings.pool_size,
        statement_timeout_s=settings.db_statement_timeout_s,
        pool_pre_ping=True,
    )


def admin_engine(settings: Settings, *, bounded: bool = True) -> Engine:
    """The schema owner: the CLI, platform-wide fee runs and the worker's admin work, whose
    statements may rightly take longer than a request's (`SYNC_ADMIN_STATEMENT_TIMEOUT`).
    Migrations pass `bounded=False`: rewriting a large table has no fair limit."""
    return _engine(
        settings.admin_database_url,
        settings,
        pool_size=2,
        statement_timeout_s=settings.admin_statement_timeout_s if bounded else None,
    )


def check_database(engine: Engine) -> str | None:
    """None when the database answers; otherwise its one-line reason (for `serve`)."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except (DBAPIError, PoolTimeout) as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
        return reason[0] if reason else type(exc).__name__
    return None


def check_connections(*engines: Engine) -> None:
    """Connect once through each engine, so a long-running command (serve, worker) fails at
    start with the set-up problem rather than on its first request or job."""
    for engine in engines:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))


def connections_allowed(engine: Engine) -> int:
    """How many connections PostgreSQL lets roles without superuser rights open at once."""
    with engine.connect() as connection:
        return int(
            connection.execute(
                text(
                    "SELECT current_setting('max_connections')::int "
                    "- current_setting('superuser_reserved_connections')::int "
                    "- coalesce(current_setting('reserved_connections', true)::int, 0)"  # 16+
                )
            ).scalar_one()
        )


@contextmanager
def tenant_transaction(engine: Engine, tenant_id: uuid.UUID) -> Iterator[Connection]:
    """One transaction scoped to one tenant; commits when the block ends without error."""
    with engine.begin() as connection:
        set_tenant(connection, tenant_id)
        yield connection


def set_tenant(connection: Connection, tenant_id: uuid.UUID) -> None:
    """Scope the rest of the current transaction to `tenant_id` (after an anonymous look-up)."""
    connection.execute(
        text("SELECT set_config('app.tenant_id', :tenant, true)"), {"tenant": str(tenant_id)}
    )


def alembic_config(settings: Settings) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["app_role"] = settings.app_role
    config.attributes["app_role_password"] = settings.app_role_password
    return config


def migrate(settings: Settings, engine: Engine | None = None) -> None:
    """Bring the database to the newest schema (run as the admin role)."""
    owned = engine is None
    engine = engine or admin_engine(settings, bounded=False)
    try:
        with engine.begin() as connection:
            config = alembic_config(settings)
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    finally:
        if owned:
            engine.dispose()
