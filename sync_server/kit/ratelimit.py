"""A small in-memory sliding-window limiter (per process): pairing attempts, failed tokens.

One process per deployment is the expected shape today; with several, each keeps its own
window, which loosens the limit by that factor — acceptable for slowing down guessing, where
the secret's size (40 bits for a 15-minute pairing code, 256 for a token) carries the real
weight.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

_MAX_KEYS = 10_000


class RateLimiter:
    def __init__(
        self, limit: int, window_seconds: float, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._limit = limit
        self._window = window_seconds
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        """Record an attempt by `key`; False when it is over the limit for the window."""
        now = self._clock()
        with self._lock:
            hits = self._recent(key, now)
            if len(hits) >= self._limit:
                return False
            self._add(key, hits, now)
            return True

    def retry_after(self, key: str) -> int | None:
        """Whole seconds until `key` is under the limit again; None when it is now. Records
        nothing: with `record`, for counting only some attempts (the failed ones)."""
        now = self._clock()
        with self._lock:
            hits = self._recent(key, now)
            if len(hits) < self._limit:
                return None
            return max(1, math.ceil(hits[-self._limit] + self._window - now))

    def record(self, key: str) -> None:
        now = self._clock()
        with self._lock:
            self._add(key, self._recent(key, now), now)

    def _recent(self, key: str, now: float) -> deque[float]:
        hits = self._hits.get(key)
        if hits is None:
            return deque()
        while hits and hits[0] <= now - self._window:
            hits.popleft()
        return hits

    def _add(self, key: str, hits: deque[float], now: float) -> None:
        hits.append(now)
        while len(hits) > self._limit:  # older hits than the limit's worth change nothing
            hits.popleft()
        self._hits[key] = hits
        if len(self._hits) > _MAX_KEYS:  # forget quiet addresses so memory stays bounded
            for quiet in [k for k, v in self._hits.items() if not v or v[-1] <= now - self._window]:
                del self._hits[quiet]
