"""Alembic environment for the register database (batch mode: SQLite cannot ALTER much)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from pos_app.db.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:  # the alembic CLI, for autogenerate during development
    from sqlalchemy import create_engine

    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite:///dev.sqlite3")
    with engine.connect() as conn:
        run_migrations(conn)
