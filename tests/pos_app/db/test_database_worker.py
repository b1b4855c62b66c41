"""The database worker and the write guard: with the guard on, a write transaction begun off
the worker raises and names its thread; the same work handed to the worker passes."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from pos_app.db.database import Database
from pos_app.db.worker import WORKER, WrongThreadWrite, allow_writes_here
from pos_app.domain.shop import Shop


def _audit(db: Database, action: str) -> None:
    with db.write() as uow:
        uow.audit.record(action)


def _actions(db: Database) -> list[str]:
    with db.read() as uow:
        return [entry.action for entry in uow.audit.entries()]


def test_the_guard_refuses_writes_off_the_worker_and_names_the_thread(
    db: Database, shop: Shop
) -> None:
    db.write_guard.enabled = True
    try:
        with pytest.raises(WrongThreadWrite, match=threading.current_thread().name):
            _audit(db, "test.refused")
        with ThreadPoolExecutor(1, thread_name_prefix="pos-net") as pool:
            refused = pool.submit(_audit, db, "test.refused_net").exception()
        assert isinstance(refused, WrongThreadWrite)
        assert "pos-net" in str(refused)
        db.run(lambda: _audit(db, "test.on_the_worker"))
        # Reads are not guarded: tests and screens' models may read anywhere.
        assert "test.on_the_worker" in _actions(db)
    finally:
        db.write_guard.enabled = False
    assert "test.refused" not in _actions(db)
    assert "test.refused_net" not in _actions(db)


def test_a_thread_that_owns_its_writes_may_write(db: Database, shop: Shop) -> None:
    db.write_guard.enabled = True

    def loop() -> None:
        allow_writes_here()
        _audit(db, "test.own_loop")

    try:
        thread = threading.Thread(target=loop, name="pos-sync")
        thread.start()
        thread.join()
    finally:
        db.write_guard.enabled = False
    assert "test.own_loop" in _actions(db)


def test_run_is_inline_on_the_worker_and_returns_its_value(db: Database) -> None:
    def nested() -> tuple[bool, int]:
        return WORKER.on_worker(), db.run(lambda: 41) + 1  # no deadlock: already there

    assert db.run(nested) == (True, 42)
    assert not WORKER.on_worker()
    with pytest.raises(ZeroDivisionError):
        db.run(lambda: 1 // 0)
