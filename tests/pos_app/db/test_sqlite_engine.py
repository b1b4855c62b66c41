"""The SQLite file: pragmas, migrations, UTC timestamps, readers never blocked by the writer."""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import StatementError

from pos_app.db import migrate
from pos_app.db.database import Database
from pos_app.db.models import AuditRow
from pos_app.domain.shop import Shop


def test_pragmas_for_a_till(db: Database) -> None:
    with db.write_engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_migrations_create_every_table_and_rerun_as_a_no_op(tmp_path: Path) -> None:
    database = Database(tmp_path / "r.sqlite3")
    tables = set(inspect(database.write_engine).get_table_names())
    assert {
        "orders",
        "order_lines",
        "tenders",
        "payment_transactions",
        "refunds",
        "audit_log",
        "stock_movements",
        "shifts",
        "outbox",
        "print_jobs",
    } <= tables
    with database.write_engine.connect() as connection:
        version = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    assert version == migrate.head_revision() == migrate.HEAD
    database.dispose()
    again = Database(tmp_path / "r.sqlite3")  # second start: nothing to do
    again.dispose()


def test_naive_datetimes_are_refused(db: Database) -> None:
    with db.write() as uow:
        uow.session.add(AuditRow(action="x", at=datetime(2026, 1, 1)))  # noqa: DTZ001
        with pytest.raises(StatementError, match="naive datetime"):
            uow.flush()
        uow.session.rollback()


def test_timestamps_come_back_utc_aware(db: Database, shop: Shop) -> None:
    with db.read() as uow:
        entries = uow.audit.entries(action="shop.demo_seeded")
    assert entries[0].at.tzinfo is not None
    assert entries[0].at.utcoffset().total_seconds() == 0  # type: ignore[union-attr]


def test_a_reader_is_not_blocked_by_a_long_write(db: Database, shop: Shop) -> None:
    in_write = threading.Event()
    release = threading.Event()

    def writer() -> None:
        with db.write() as uow:
            uow.audit.record("long.write")
            uow.flush()
            in_write.set()
            release.wait(5)

    thread = threading.Thread(target=writer)
    thread.start()
    assert in_write.wait(5)
    try:
        with db.read() as uow:  # would hang (busy) if reads took the write lock
            assert uow.catalog.product_count() == 20
            assert (
                uow.session.execute(
                    text("SELECT count(*) FROM audit_log WHERE action='long.write'")
                ).scalar()
                == 0
            )
    finally:
        release.set()
        thread.join()
