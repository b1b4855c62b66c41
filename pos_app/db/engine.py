"""SQLite engines tuned for a till: WAL, fsync on every commit, foreign keys, write lock up front.

Two engines share the file. Writes begin with ``BEGIN IMMEDIATE`` so a transaction that reads
stock and then decrements it holds the write lock from its first statement: two threads racing
for the last unit serialise instead of both reading "1 left". Reads begin with a plain
``BEGIN`` and, under WAL, never wait for a writer.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import ConnectionPoolEntry

BUSY_TIMEOUT_MS = 15_000


def _on_connect(dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
    # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's implicit BEGIN is deferred).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        # FULL: a paid order is on disk before the cashier sees "paid", even across a power cut.
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA temp_store = MEMORY")
        cursor.execute("PRAGMA cache_size = -16000")
    finally:
        cursor.close()


def _engine(path: Path, begin_statement: str, **kwargs: Any) -> Engine:
    engine = create_engine(
        f"sqlite+pysqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
        **kwargs,
    )
    event.listen(engine, "connect", _on_connect)

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql(begin_statement)

    return engine


def create_write_engine(path: Path) -> Engine:
    # One writer at a time anyway; a small pool avoids reopening the file.
    return _engine(path, "BEGIN IMMEDIATE", pool_size=2, max_overflow=4)


def create_read_engine(path: Path) -> Engine:
    return _engine(path, "BEGIN", pool_size=4, max_overflow=8)
