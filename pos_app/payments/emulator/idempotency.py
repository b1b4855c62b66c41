"""Stripe's idempotency layer, per API key.

The first request with a key stores its status and body once the endpoint starts executing
(errors included, 5xx too); a retry with the same parameters replays it with
`Idempotent-Replayed: true`; the same key with other parameters or another endpoint is a 400
`idempotency_error`; a retry while the first is still running is a 409
`idempotency_key_in_use`. Keys are pruned 24 hours (emulator clock) after first use.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from pos_app.payments.emulator.clock import EmulatorClock
from pos_app.payments.emulator.errors import StripeError

KEY_LIFETIME_SECONDS = 24 * 3600
MAX_KEY_LENGTH = 255


@dataclass
class StoredResponse:
    status: int
    body: bytes
    request_id: str


@dataclass
class _Entry:
    method: str
    path: str
    params: dict[str, Any]
    created: float
    response: StoredResponse | None = None  # None while the first request runs


class IdempotencyStore:
    def __init__(self, clock: EmulatorClock) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: dict[tuple[str, str], _Entry] = {}
        self._last_prune = clock.now()

    def begin(
        self, api_key: str, key: str, method: str, path: str, params: dict[str, Any]
    ) -> StoredResponse | None:
        """Claims the key, or returns the stored response to replay; raises 400/409."""
        if len(key) > MAX_KEY_LENGTH:
            raise StripeError(
                400,
                f"Idempotency key is too long ({len(key)} characters); the maximum is "
                f"{MAX_KEY_LENGTH}.",
                type="idempotency_error",
                idempotent_result=False,
            )
        now = self._clock.now()
        with self._lock:
            self._prune(now)
            entry = self._entries.get((api_key, key))
            if (
                entry is not None
                and entry.response is not None
                and (now - entry.created >= KEY_LIFETIME_SECONDS)
            ):
                del self._entries[(api_key, key)]
                entry = None
            if entry is None:
                self._entries[(api_key, key)] = _Entry(method, path, params, now)
                return None
            if entry.method != method or entry.path != path:
                raise StripeError(
                    400,
                    "Keys for idempotent requests can only be used for the same endpoint they "
                    f"were first used for ('{entry.method} {entry.path}' vs '{method} {path}'). "
                    f"Try using a key other than '{key}' if you meant to execute a different "
                    "request.",
                    type="idempotency_error",
                    idempotent_result=False,
                    should_retry=False,
                )
            if entry.params != params:
                raise StripeError(
                    400,
                    "Keys for idempotent requests can only be used with the same parameters "
                    f"they were first used with. Try using a key other than '{key}' if you "
                    "meant to execute a different request.",
                    type="idempotency_error",
                    idempotent_result=False,
                    should_retry=False,
                )
            if entry.response is None:
                raise StripeError(
                    409,
                    "There is currently another in-progress request using this Idempotency "
                    f"Key (that probably means you submitted twice, and the other request is "
                    f"still going through): {key}. Please try again later.",
                    type="idempotency_error",
                    code="idempotency_key_in_use",
                    idempotent_result=False,
                    should_retry=True,
                )
            return entry.response

    def finish(self, api_key: str, key: str, response: StoredResponse) -> None:
        with self._lock:
            entry = self._entries.get((api_key, key))
            if entry is not None:
                entry.response = response

    def abandon(self, api_key: str, key: str) -> None:
        """The request never started executing (validation error, injected fault)."""
        with self._lock:
            entry = self._entries.get((api_key, key))
            if entry is not None and entry.response is None:
                del self._entries[(api_key, key)]

    def restore(
        self,
        api_key: str,
        key: str,
        method: str,
        path: str,
        params: dict[str, Any],
        created: float,
        response: StoredResponse,
    ) -> None:
        """A record saved on disk by an earlier run (persist.py)."""
        with self._lock:
            self._entries[(api_key, key)] = _Entry(method, path, params, created, response)

    def completed(
        self,
    ) -> list[tuple[str, str, str, str, dict[str, Any], float, StoredResponse]]:
        """The records worth keeping across a restart: those with an answer."""
        with self._lock:
            return [
                (api_key, key, e.method, e.path, e.params, e.created, e.response)
                for (api_key, key), e in self._entries.items()
                if e.response is not None
            ]

    def prune(self) -> None:
        with self._lock:
            self._prune(self._clock.now(), force=True)

    def _prune(self, now: float, *, force: bool = False) -> None:
        # A full sweep is O(keys): do it at most once a minute of emulator time.
        if not force and now - self._last_prune < 60:
            return
        self._last_prune = now
        expired = [
            k
            for k, e in self._entries.items()
            if e.response is not None and now - e.created >= KEY_LIFETIME_SECONDS
        ]
        for k in expired:
            del self._entries[k]

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)
