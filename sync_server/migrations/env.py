"""Alembic environment for the sync server (PostgreSQL only; migrations are hand-written SQL).

`sync-server migrate` passes an open admin connection in `config.attributes["connection"]`
and the application role's name in `config.attributes["app_role"]`.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

config = context.config


def run_migrations(connection: Connection) -> None:
    context.configure(connection=connection, transaction_per_migration=False)
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:  # the plain alembic CLI during development
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("set sqlalchemy.url or run `sync-server migrate`")
    with create_engine(url).connect() as conn:
        run_migrations(conn)
        conn.commit()
