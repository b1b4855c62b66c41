"""The database worker: the one thread the register's SQLite work runs on.

SQLite takes one writer at a time; one thread doing all the database work means writes never
queue behind each other's locks and reads see writes in the order they were asked for. The GUI's
`TaskRunner.run_db` submits to it, and flows that run on the network pool (card payments) hand
their transactions to it with `run` and wait, so their Stripe calls stay where they are.

`WriteGuard` is the check that it holds: once enabled on a `Database` (the GUI does, and so do
the tests that prove it), a write transaction begun on any other thread raises
`WrongThreadWrite`, naming that thread. Threads that own their writes by design (the sync loop,
the print queue: one long-lived loop each) say so with `allow_writes_here`.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")

THREAD_NAME = "pos-db"


class WrongThreadWrite(RuntimeError):
    """A write transaction was begun off the database worker while the guard was on."""


class DatabaseWorker:
    """One single-thread executor for the process (made again after a fork)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._executor: ThreadPoolExecutor | None = None
        self._pid = 0
        self._thread_id: int | None = None

    def _mark(self) -> None:
        self._thread_id = threading.get_ident()

    def _live(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._executor is None or self._pid != os.getpid():
                self._executor = ThreadPoolExecutor(
                    max_workers=1, thread_name_prefix=THREAD_NAME, initializer=self._mark
                )
                self._pid = os.getpid()
                self._thread_id = None
            return self._executor

    def on_worker(self) -> bool:
        """True on the worker's own thread."""
        return self._thread_id is not None and threading.get_ident() == self._thread_id

    def submit(self, fn: Callable[[], T]) -> Future[T]:
        return self._live().submit(fn)

    def run(self, fn: Callable[[], T]) -> T:
        """Run `fn` on the worker and wait for it (inline when already on the worker)."""
        if self.on_worker():
            return fn()
        return self.submit(fn).result()


WORKER = DatabaseWorker()
"""The process's database worker (every `Database` and every `TaskRunner` use this one)."""

_writers = threading.local()


def allow_writes_here() -> None:
    """Mark the calling thread as one that owns its database writes (a long-lived loop of its
    own, such as the sync loop or the print queue), so the guard lets it write."""
    _writers.allowed = True


class WriteGuard:
    """Refuses write transactions begun off the database worker, once enabled."""

    def __init__(self) -> None:
        self.enabled = False

    def check(self) -> None:
        if not self.enabled or WORKER.on_worker() or getattr(_writers, "allowed", False):
            return
        name = threading.current_thread().name
        raise WrongThreadWrite(
            f"SQLite write begun on thread {name!r}: database work runs on the database "
            f"worker ({THREAD_NAME})"
        )
