"""The register's database: open (and migrate) the file, hand out units of work."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from sqlalchemy.orm import sessionmaker

from pos_app.db import migrate
from pos_app.db.engine import create_read_engine, create_write_engine
from pos_app.db.uow import UnitOfWork
from pos_app.db.worker import WORKER, DatabaseWorker, WriteGuard

T = TypeVar("T")


class Database:
    def __init__(self, path: Path, *, run_migrations: bool = True) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.write_engine = create_write_engine(path)
        self.read_engine = create_read_engine(path)
        if run_migrations:
            migrate.upgrade(self.write_engine)
        self._write_sessions = sessionmaker(self.write_engine, expire_on_commit=False)
        self._read_sessions = sessionmaker(self.read_engine, expire_on_commit=False)
        self.worker: DatabaseWorker = WORKER
        """The thread database work runs on (`run`; the GUI's `TaskRunner.run_db`)."""
        self.write_guard = WriteGuard()
        """Enabled, a write begun off `worker` raises `WrongThreadWrite` (see db/worker.py)."""

    def run(self, fn: Callable[[], T]) -> T:
        """Run `fn` on the database worker and wait for its result (inline when already
        there): for flows that run on another thread but must write from this one."""
        return self.worker.run(fn)

    @contextmanager
    def write(self) -> Iterator[UnitOfWork]:
        """A write transaction (``BEGIN IMMEDIATE``): commits at the end, rolls back on error."""
        self.write_guard.check()
        with self._write_sessions() as session, session.begin():
            yield UnitOfWork(session)

    @contextmanager
    def read(self) -> Iterator[UnitOfWork]:
        """A read-only snapshot; never blocks and is never blocked by the writer (WAL)."""
        with self._read_sessions() as session:
            try:
                yield UnitOfWork(session)
            finally:
                session.rollback()

    def dispose(self) -> None:
        self.write_engine.dispose()
        self.read_engine.dispose()


_SQLITE_FILES = ("", "-wal", "-shm")


def set_aside(path: Path) -> Path | None:
    """Move a closed database (with its WAL files) aside, for a fresh start that loses nothing;
    returns where the main file went (None when there was no database)."""
    if not path.exists():
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    kept = path.with_name(f"{path.name}.set-aside-{stamp}")
    for suffix in _SQLITE_FILES:
        source = Path(f"{path}{suffix}")
        if source.exists():
            source.rename(f"{kept}{suffix}")
    return kept


def put_back(path: Path, kept: Path) -> None:
    """Undo `set_aside`: drop whatever database is at `path` now and restore the kept one."""
    for suffix in _SQLITE_FILES:
        with suppress(FileNotFoundError):
            Path(f"{path}{suffix}").unlink()
    for suffix in _SQLITE_FILES:
        source = Path(f"{kept}{suffix}")
        if source.exists():
            source.rename(f"{path}{suffix}")
