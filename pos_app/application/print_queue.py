"""The local print queue: jobs wait in `print_jobs` until their printer takes them.

Queueing is a database insert made in the transaction of whatever caused the print (the sale,
the refund, the no-sale), so a receipt exists exactly when its sale does, and a dead printer
can never block or undo a sale. A `PrintWorker` sends the jobs on its own thread.

Delivery is **at least once**. A job is marked *printing* (with a lease) before its bytes go
out and *printed* after the printer took them. If the app dies between the two, the lease
runs out and the job is sent again: a duplicate slip of paper is acceptable, a lost receipt
or kitchen ticket is not. A drawer kick is the exception: it is only sent within a short
window after it was queued, because a drawer that springs open minutes later, when the
printer comes back, is worse than one that stays shut.

Each printer prints its jobs in the order they were queued; a printer that is away backs off
(exponential, with jitter, capped) without holding up the other printers.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from pos_app.db.database import Database
from pos_app.db.uow import UnitOfWork
from pos_app.db.worker import allow_writes_here
from pos_app.domain.clock import utcnow
from pos_app.domain.printers import ClaimedJob, JobKind, PrinterConfig, PrintJobRecord
from pos_app.integrations.printing.transport import PrinterUnavailable, Timeouts, send_raw

log = logging.getLogger(__name__)

Sender = Callable[[str, int, bytes, Timeouts], None]
"""Delivers bytes to ``host, port`` or raises `PrinterUnavailable` (`transport.send_raw`)."""

DRAWER_KICK_WINDOW = timedelta(seconds=20)
"""A drawer kick not delivered this long after it was queued is dropped, never sent late."""
CLAIM_LEASE = timedelta(seconds=60)
"""Longer than any one send can take (connect + write + close wait)."""
KEEP_PRINTED = timedelta(days=7)
"""Printed jobs are kept this long (for support), then pruned."""
PRUNE_EVERY = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Exponential backoff with jitter: ~1, 2, 4, 8, 16 s, then 30 s at most."""

    base_s: float = 1.0
    cap_s: float = 30.0
    jitter: float = 0.5
    """Up to this share of each delay is taken off at random, so printers don't retry in step."""

    def delay_s(self, attempts: int, rng: random.Random) -> float:
        raw = min(self.cap_s, self.base_s * 2.0 ** max(attempts - 1, 0))
        return raw * (1 - self.jitter * rng.random())


@dataclass(frozen=True, slots=True)
class PassResult:
    """What one pass over the queue did."""

    printed: int = 0
    retried: int = 0
    failed: int = 0


_WHAT = {
    JobKind.RECEIPT: "the receipt is queued and will print when it is back",
    JobKind.REPRINT: "the receipt is queued and will print when it is back",
    JobKind.REFUND: "the refund receipt is queued and will print when it is back",
    JobKind.KITCHEN: "the ticket is queued and will print when it is back",
    JobKind.TEST: "the test page is queued and will print when it is back",
    JobKind.DRAWER: "the cash drawer may not open: use its key if it stays shut",
}


def _printer_label(printer: PrinterConfig) -> str:
    name = printer.name.strip()
    if "printer" not in name.casefold():
        name = f"{name} printer"
    return f"{name} ({printer.host})"


def unavailable_message(printer: PrinterConfig, kind: JobKind, reason: str) -> str:
    """For the cashier: ``Kitchen printer (10.0.0.5) is not answering — the ticket is queued…``."""
    return f"{_printer_label(printer)} {reason} — {_WHAT[kind]}"


class PrintWorker:
    """Sends queued jobs. `run_once` does one pass; `start` runs passes on a daemon thread.

    Pure Python (no Qt): the UI starts it, calls `wake` after each transaction that queued a
    print, and polls `queue_status` from the printing service for its status bar.
    """

    def __init__(
        self,
        db: Database,
        *,
        send: Sender = send_raw,
        timeouts: Timeouts | None = None,
        policy: RetryPolicy | None = None,
        clock: Callable[[], datetime] = utcnow,
        drawer_window: timedelta = DRAWER_KICK_WINDOW,
        idle_poll_s: float = 5.0,
        rng: random.Random | None = None,
    ) -> None:
        self.db = db
        self.send = send
        self.timeouts = timeouts or Timeouts()
        self.policy = policy or RetryPolicy()
        self.clock = clock
        self.drawer_window = drawer_window
        self.idle_poll_s = idle_poll_s
        self.rng = rng or random.Random()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_prune: datetime | None = None

    # --- one pass -------------------------------------------------------------------------

    def run_once(self) -> PassResult:
        """Send every job that is due, each printer's in order; a printer that fails is left
        alone until its next retry time. Never holds a database transaction while sending."""
        printed = retried = failed = 0
        skip: set[UUID] = set()
        while True:
            with self.db.write() as uow:
                claimed, dropped = self._claim_next(uow, skip)
            failed += dropped
            if claimed is None:
                break
            job = claimed.record
            try:
                self.send(
                    claimed.printer.host, claimed.printer.port, claimed.payload, self.timeouts
                )
            except PrinterUnavailable as error:
                message = unavailable_message(claimed.printer, job.kind, error.reason)
                self._retry(job, message)
                skip.add(job.printer_id)
                retried += 1
                continue
            except Exception as error:  # a bug must not leave the job claimed for the lease
                log.exception("print job %s: unexpected error while sending", job.id)
                self._retry(job, f"{_printer_label(claimed.printer)}: unexpected error ({error})")
                skip.add(job.printer_id)
                retried += 1
                continue
            with self.db.write() as uow:
                uow.printing.mark_printed(job, at=self.clock())
            printed += 1
        self._prune_now_and_then()
        return PassResult(printed=printed, retried=retried, failed=failed)

    def _claim_next(self, uow: UnitOfWork, skip: set[UUID]) -> tuple[ClaimedJob | None, int]:
        """The next due head-of-line job, claimed; jobs that can never print are failed."""
        dropped = 0
        now = self.clock()
        while True:
            for head in uow.printing.pending_heads():
                if head.printer_id in skip or head.next_attempt_at > now:
                    continue
                reason = self._reason_to_give_up(uow, head, now)
                if reason is not None:
                    uow.printing.fail(head.id, error=reason)
                    dropped += 1
                    break  # the printer's next job is its new head: look again
                claimed = uow.printing.claim(head, lease_until=now + CLAIM_LEASE)
                if claimed is not None:
                    return claimed, dropped
            else:
                return None, dropped

    def _reason_to_give_up(self, uow: UnitOfWork, job: PrintJobRecord, now: datetime) -> str | None:
        printer = uow.printing.printer(job.printer_id)
        if printer is None:
            return "The printer was removed from the settings"
        if not printer.enabled:
            return (
                f"{_printer_label(printer)} is switched off in the settings — "
                "print again from order history once it is back on"
            )
        if job.kind is JobKind.DRAWER and now - job.created_at > self.drawer_window:
            seconds = int(self.drawer_window.total_seconds())
            return (
                f"{_printer_label(printer)} did not take the drawer kick within {seconds} s, "
                "so it was dropped rather than open the drawer late: use the drawer's key"
            )
        return None

    def _retry(self, job: PrintJobRecord, message: str) -> None:
        # `job.attempts` already counts this attempt (the claim increments it).
        delay = self.policy.delay_s(job.attempts, self.rng)
        next_at = self.clock() + timedelta(seconds=delay)
        with self.db.write() as uow:
            uow.printing.mark_retry(job, error=message, next_attempt_at=next_at)
        log.warning("print job %s (%s): %s; retry in %.1f s", job.id, job.kind, message, delay)

    def _prune_now_and_then(self) -> None:
        now = self.clock()
        if self._last_prune is not None and now - self._last_prune < PRUNE_EVERY:
            return
        self._last_prune = now
        with self.db.write() as uow:
            uow.printing.prune_printed(before=now - KEEP_PRINTED)

    def seconds_until_due(self) -> float | None:
        """How long until the next job may be sent (0 when one is due); None when idle."""
        with self.db.read() as uow:
            heads = uow.printing.pending_heads()
        if not heads:
            return None
        soonest = min(head.next_attempt_at for head in heads)
        return max(0.0, (soonest - self.clock()).total_seconds())

    # --- the thread -----------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="print-worker", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Look at the queue now (call after committing a transaction that queued a print)."""
        self._wake.set()

    def stop(self, timeout_s: float = 10.0) -> None:
        """Finish the job in hand and stop. Unsent jobs stay queued for the next start."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
            self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _run(self) -> None:
        allow_writes_here()  # the print queue's own loop records its jobs' outcomes
        while not self._stop.is_set():
            self._wake.clear()
            wait_s = self.idle_poll_s
            try:
                self.run_once()
                due = self.seconds_until_due()
                if due is not None:
                    wait_s = min(wait_s, due)
            except Exception:  # the worker outlives any one bad pass (a locked database, a bug)
                log.exception("print queue pass failed")
            self._wake.wait(max(wait_s, 0.05))
