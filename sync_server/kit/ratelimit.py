"""Guessing limits per client address (pairing attempts, failed device tokens), counted in
PostgreSQL so that every server process in front of one database shares them.

A fixed window per (kind, address): it opens at the address's first counted attempt and lasts
`window_seconds`; past `limit` attempts in it, the address waits until it closes. One atomic
`INSERT … ON CONFLICT … DO UPDATE … RETURNING` counts an attempt, so two processes counting at
once never lose one. Times are the database's, so processes whose clocks differ agree. At the
edge of two windows an address can make up to twice `limit` attempts in a short burst: enough
to slow guessing, where the secret's size (40 bits for a 15-minute pairing code, 256 for a
token) carries the real weight.
"""

from __future__ import annotations

import threading
import time

from sqlalchemy import Engine, text

_MAX_CLIENT_LENGTH = 64
# A client that keeps hammering past its limit keeps counting, but not into an overflow.
_MAX_HITS = 1_000_000

# Between 1 and the window: a transaction that began before another opened the window (and
# waited for its row lock) sees that window start after its own now().
_SECONDS_LEFT = (
    "least(:window, greatest(1, ceil(extract(epoch FROM "
    "window_start + make_interval(secs => :window) - now()))))::int"
)
_HIT = text(
    "INSERT INTO guess_counts AS c (kind, client, window_start, hits) "
    "VALUES (:kind, :client, now(), 1) "
    "ON CONFLICT (kind, client) DO UPDATE SET "
    "window_start = CASE WHEN c.window_start > now() - make_interval(secs => :window) "
    "    THEN c.window_start ELSE now() END, "
    "hits = CASE WHEN c.window_start > now() - make_interval(secs => :window) "
    f"    THEN least(c.hits + 1, {_MAX_HITS}) ELSE 1 END "
    f"RETURNING hits, {_SECONDS_LEFT} AS wait"
)
_WAIT = text(
    f"SELECT {_SECONDS_LEFT} "
    "FROM guess_counts WHERE kind = :kind AND client = :client AND hits >= :limit "
    "AND window_start > now() - make_interval(secs => :window)"
)
_PRUNE = text(
    "DELETE FROM guess_counts "
    "WHERE kind = :kind AND window_start <= now() - make_interval(secs => :window)"
)


class GuessLimit:
    """At most `limit` counted attempts of one `kind` per client address per window."""

    def __init__(self, engine: Engine, *, kind: str, limit: int, window_seconds: int = 60) -> None:
        self._engine = engine
        self._kind = kind
        self._limit = limit
        self._window = window_seconds
        self._pruned_at = time.monotonic()
        self._prune_lock = threading.Lock()

    def hit(self, client: str) -> int | None:
        """Count an attempt by `client`; the whole seconds it must now wait when this attempt
        is over the limit, else None."""
        params = {"kind": self._kind, "client": _key(client), "window": self._window}
        with self._engine.begin() as conn:
            counted = conn.execute(_HIT, params).one()
        self._prune_now_and_then()
        return int(counted.wait) if counted.hits > self._limit else None

    def wait(self, client: str) -> int | None:
        """Whole seconds until `client` may try again; None when it may now. Counts nothing:
        with `hit`, for limiting on some outcomes only (the failed ones)."""
        params = {
            "kind": self._kind,
            "client": _key(client),
            "window": self._window,
            "limit": self._limit,
        }
        with self._engine.connect() as conn:
            wait = conn.execute(_WAIT, params).scalar_one_or_none()
        return None if wait is None else int(wait)

    def _prune_now_and_then(self) -> None:
        """Forget closed windows, at most once a window per process, so the table holds only
        the addresses seen in the last minute or so however many there were."""
        now = time.monotonic()
        if now - self._pruned_at < self._window or not self._prune_lock.acquire(blocking=False):
            return
        try:
            self._pruned_at = now
            with self._engine.begin() as conn:
                conn.execute(_PRUNE, {"kind": self._kind, "window": self._window})
        finally:
            self._prune_lock.release()


def _key(client: str) -> str:
    return client[:_MAX_CLIENT_LENGTH]
