"""Apply the register's Alembic migrations at start-up (also inside a frozen build).

Alembic itself is imported only when there is something to migrate: on an ordinary start the
database is already at `HEAD`, and one query says so (importing Alembic costs about a tenth
of a second of the counter's start-up).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

HEAD = "0008"
"""The newest revision in migrations/versions (a test keeps it in step with the scripts)."""


def alembic_config(url: str | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    # Absolute, so a frozen app (PyInstaller) finds the scripts it ships without a cwd guess.
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        config.set_main_option("sqlalchemy.url", url)
    return config


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        try:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except OperationalError:
            return None  # a new, empty database


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest schema; a no-op (one query) when it is already there."""
    if current_revision(engine) == HEAD:
        return
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
