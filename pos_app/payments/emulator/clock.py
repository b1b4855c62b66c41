"""The emulator's clock: wall time plus an offset that tests move forward with `advance`."""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from collections.abc import Callable


class EmulatorClock:
    def __init__(self) -> None:
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self) -> float:
        return time.time() + self._offset

    def timestamp(self) -> int:
        """Stripe's `created` fields: whole Unix seconds."""
        return int(self.now())

    @property
    def offset(self) -> float:
        """How far emulator time runs ahead of the wall clock (saved across restarts)."""
        return self._offset

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("the emulator clock only moves forward")
        with self._lock:
            self._offset += seconds


class Scheduler:
    """Runs callbacks at emulator-clock times, on one background thread.

    Stripe's timed behaviour (authorizations expiring, reader actions timing out, a demo
    reader tapping a card by itself) lives here. `run_due()` is also called right after the
    clock is advanced, so a test sees the effects as soon as `advance_clock` returns.
    """

    def __init__(self, clock: EmulatorClock, on_error: Callable[[BaseException], None]) -> None:
        self._clock = clock
        self._on_error = on_error
        self._heap: list[tuple[float, int, Callable[[], None]]] = []
        self._counter = itertools.count()
        self._condition = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stopping = False
        # Called after each timer ran (the emulator saves its state there).
        self.after_run: Callable[[], None] = lambda: None

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self._loop, name="stripe-emulator-timers", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        with self._condition:
            self._stopping = True
            self._condition.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def call_at(self, when: float, callback: Callable[[], None]) -> None:
        with self._condition:
            heapq.heappush(self._heap, (when, next(self._counter), callback))
            self._condition.notify_all()

    def call_later(self, delay: float, callback: Callable[[], None]) -> None:
        self.call_at(self._clock.now() + delay, callback)

    def run_due(self) -> None:
        while True:
            with self._condition:
                if not self._heap or self._heap[0][0] > self._clock.now():
                    return
                _, _, callback = heapq.heappop(self._heap)
            self._run(callback)

    def _run(self, callback: Callable[[], None]) -> None:
        try:
            callback()
            self.after_run()
        except Exception as error:  # a timer must never kill the timer thread
            self._on_error(error)

    def _loop(self) -> None:
        while True:
            with self._condition:
                if self._stopping:
                    return
                if not self._heap:
                    self._condition.wait()
                    continue
                delay = self._heap[0][0] - self._clock.now()
                if delay > 0:
                    self._condition.wait(timeout=min(delay, 1.0))
                    continue
            self.run_due()
