"""Engines and transaction scopes. Every tenant transaction sets `app.tenant_id` first.

The setting is transaction-local (`set_config(..., true)`), so a pooled connection carries no
tenant from one request into the next; with no tenant set, the RLS policies match no row.
Services never commit: the scope below commits once when the block ends, or rolls back.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, text

from sync_server.config import Settings
from sync_server.kit.database_errors import CONNECT_TIMEOUT_S

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def app_engine(settings: Settings) -> Engine:
    """The application role's pool (row-level security applies to every statement)."""
    return create_engine(
        settings.database_url,
        pool_size=settings.pool_size,
        max_overflow=settings.pool_size,
        pool_pre_ping=True,
        connect_args={"connect_timeout": CONNECT_TIMEOUT_S},
    )


def admin_engine(settings: Settings) -> Engine:
    """The schema owner: migrations, the CLI and platform-wide fee runs."""
    return create_engine(
        settings.admin_database_url,
        pool_size=2,
        max_overflow=2,
        connect_args={"connect_timeout": CONNECT_TIMEOUT_S},
    )


def check_connections(*engines: Engine) -> None:
    """Connect once through each engine, so a long-running command (serve, worker) fails at
    start with the set-up problem rather than on its first request or job."""
    for engine in engines:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))


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


@contextmanager
def anonymous_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction with no tenant: only the SECURITY DEFINER look-ups answer anything."""
    with engine.begin() as connection:
        yield connection


def alembic_config(settings: Settings) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["app_role"] = settings.app_role
    config.attributes["app_role_password"] = settings.app_role_password
    return config


def migrate(settings: Settings, engine: Engine | None = None) -> None:
    """Bring the database to the newest schema (run as the admin role)."""
    owned = engine is None
    engine = engine or admin_engine(settings)
    try:
        with engine.begin() as connection:
            config = alembic_config(settings)
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    finally:
        if owned:
            engine.dispose()
