"""Background operations: database work on one thread, network work on a small pool.

The shape follows Anki's `aqt.operations`: an operation is a plain function run off the GUI
thread; its result (or its exception) comes back to the GUI thread through a queued signal,
where `on_success` / `on_failure` run. The one rule: never touch a widget inside the function.

SQLite gets a single worker so writes never queue behind each other's locks and reads see
writes in submission order: the process's database worker (`DATABASE_WORKER`), the same thread
the card flow hands its transactions to. Network calls (Stripe, the sync server) get their own
pool so a slow reader never delays a cash sale.
"""

from __future__ import annotations

import concurrent.futures
import logging
import threading
import traceback
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, Signal, Slot

from pos_app.application.workers import DATABASE_WORKER, DatabaseWorker

log = logging.getLogger(__name__)

T = TypeVar("T")
SuccessCallback = Callable[[Any], None]
FailureCallback = Callable[[BaseException], None]


class TaskRunner(QObject):
    sig_finished = Signal(object)
    """Internal: (callback, value) delivered on the GUI thread."""
    sig_busy_changed = Signal(int)
    """How many operations are running (for a busy indicator)."""

    def __init__(self, parent: QObject | None = None, *, network_workers: int = 4) -> None:
        super().__init__(parent)
        self._db: DatabaseWorker = DATABASE_WORKER
        self._db_jobs: set[Future[None]] = set()
        """This runner's database jobs not yet done (the worker outlives the runner)."""
        self._net = ThreadPoolExecutor(max_workers=network_workers, thread_name_prefix="pos-net")
        self._running = 0
        self._lock = threading.Lock()
        self._closed = False
        self.default_failure: FailureCallback = lambda error: log.error(
            "background operation failed: %s", "".join(traceback.format_exception(error))
        )
        self.sig_finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def run_db(
        self,
        fn: Callable[[], T],
        on_success: Callable[[T], None] | None = None,
        on_failure: FailureCallback | None = None,
    ) -> Future[None]:
        """Run `fn` on the database thread."""
        future = self._submit(self._db.submit, fn, on_success, on_failure)
        with self._lock:
            self._db_jobs.add(future)
        future.add_done_callback(self._db_job_done)
        return future

    def _db_job_done(self, future: Future[None]) -> None:
        with self._lock:
            self._db_jobs.discard(future)

    def run_net(
        self,
        fn: Callable[[], T],
        on_success: Callable[[T], None] | None = None,
        on_failure: FailureCallback | None = None,
    ) -> Future[None]:
        """Run `fn` on the network pool."""
        return self._submit(self._net.submit, fn, on_success, on_failure)

    def _submit(
        self,
        submit: Callable[[Callable[[], None]], Future[None]],
        fn: Callable[[], T],
        on_success: Callable[[T], None] | None,
        on_failure: FailureCallback | None,
    ) -> Future[None]:
        if self._closed:
            # The app is closing: a timer that fires now (idle lock, reader check) has nothing
            # left to do. Drop the work rather than raise inside Qt's event loop.
            log.debug("dropped a background operation submitted after shutdown")
            dropped: Future[None] = Future()
            dropped.cancel()
            return dropped
        self._change_running(+1)
        failure = on_failure or self.default_failure

        def job() -> None:
            try:
                value = fn()
            except BaseException as error:  # delivered to the GUI thread, never lost
                self.sig_finished.emit((failure, error))
            else:
                self.sig_finished.emit((on_success, value))

        return submit(job)

    @Slot(object)
    def _deliver(self, payload: tuple[Callable[[Any], None] | None, Any]) -> None:
        callback, value = payload
        self._change_running(-1)
        if callback is None:
            return
        try:
            callback(value)
        except RuntimeError as error:
            # The widget that asked was closed meanwhile (its C++ side is gone): drop it.
            if "already deleted" not in str(error):
                raise
            log.debug("dropped a result for a deleted widget: %s", error)

    def _change_running(self, delta: int) -> None:
        with self._lock:
            self._running += delta
            running = self._running
        self.sig_busy_changed.emit(running)

    @property
    def running(self) -> int:
        with self._lock:
            return self._running

    def shutdown(self, *, wait: bool = True) -> None:
        self._closed = True
        self._net.shutdown(wait=wait, cancel_futures=True)
        # The database worker is the process's: wait for this runner's jobs, not for the thread.
        with self._lock:
            jobs = list(self._db_jobs)
        if wait:
            concurrent.futures.wait(jobs)
