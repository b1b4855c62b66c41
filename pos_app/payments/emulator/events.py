"""Stripe events and webhook delivery, signed the way Stripe signs them.

Every state change records an `evt_...` object (kept for `GET /v1/events`). Configured
endpoints receive it as a POST with `Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256 of
"<t>.<body>">`, from one background thread, with retries and backoff on non-2xx answers or
network errors. Delivery is in creation order unless a test asks for a redelivery or a
shuffled batch.
"""

from __future__ import annotations

import hashlib
import heapq
import hmac
import itertools
import json
import random
import secrets
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from pos_app.payments.emulator.store import JSONObject, RequestContext, Store, new_id

API_VERSION = "2023-08-16"


@dataclass(frozen=True)
class WebhookEndpoint:
    url: str
    secret: str
    # None: every event type. Otherwise exact types or "prefix.*" patterns.
    enabled_events: tuple[str, ...] | None = None

    def wants(self, event_type: str) -> bool:
        if self.enabled_events is None or "*" in self.enabled_events:
            return True
        return any(
            event_type == pattern
            or (pattern.endswith(".*") and event_type.startswith(pattern[:-1]))
            for pattern in self.enabled_events
        )


@dataclass
class DeliveryAttempt:
    event_id: str
    event_type: str
    url: str
    attempt: int
    status: int | None
    error: str | None
    at: float

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def sign_payload(payload: bytes, secret: str, timestamp: int) -> str:
    signed = f"{timestamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def new_webhook_secret() -> str:
    return "whsec_" + secrets.token_hex(16)


class EventLog:
    """Builds event objects; hands them to the dispatcher. Callers hold `store.lock`."""

    def __init__(self, store: Store, dispatcher: WebhookDispatcher) -> None:
        self.store = store
        self.dispatcher = dispatcher

    def emit(
        self,
        event_type: str,
        obj: JSONObject,
        ctx: RequestContext,
        previous_attributes: dict[str, Any] | None = None,
    ) -> JSONObject:
        data: JSONObject = {"object": Store.snapshot(obj)}
        if previous_attributes:
            data["previous_attributes"] = Store.snapshot(previous_attributes)
        endpoints = self.dispatcher.endpoints_for(event_type)
        event: JSONObject = {
            "id": new_id("evt"),
            "object": "event",
            "api_version": API_VERSION,
            "created": self.store.clock.timestamp(),
            "data": data,
            "livemode": False,
            "pending_webhooks": len(endpoints),
            "request": {"id": ctx.request_id, "idempotency_key": ctx.idempotency_key},
            "type": event_type,
        }
        self.store.add(event)
        self.dispatcher.enqueue(event, endpoints)
        return event


@dataclass(order=True)
class _Delivery:
    due: float
    seq: int
    event_id: str = field(compare=False)
    endpoint: WebhookEndpoint = field(compare=False)
    attempt: int = field(compare=False, default=1)
    count_pending: bool = field(compare=False, default=True)


class WebhookDispatcher:
    def __init__(
        self,
        store: Store,
        endpoints: Sequence[WebhookEndpoint],
        *,
        retry_delays: Sequence[float] = (0.25, 0.5, 1.0, 2.0, 4.0),
        timeout: float = 5.0,
    ) -> None:
        self.store = store
        self._endpoints = list(endpoints)
        self.retry_delays = tuple(retry_delays)
        self.timeout = timeout
        self.attempts: list[DeliveryAttempt] = []
        self._queue: list[_Delivery] = []
        self._seq = itertools.count()
        self._condition = threading.Condition()
        self._paused = False
        self._stopping = False
        self._in_flight = 0
        self._thread: threading.Thread | None = None

    # -- configuration -------------------------------------------------------------------
    @property
    def endpoints(self) -> list[WebhookEndpoint]:
        with self._condition:
            return list(self._endpoints)

    def add_endpoint(self, endpoint: WebhookEndpoint) -> None:
        with self._condition:
            self._endpoints.append(endpoint)

    def endpoints_for(self, event_type: str) -> list[WebhookEndpoint]:
        with self._condition:
            return [endpoint for endpoint in self._endpoints if endpoint.wants(event_type)]

    # -- lifecycle -----------------------------------------------------------------------
    def start(self) -> None:
        self._thread = threading.Thread(
            target=self._loop, name="stripe-emulator-webhooks", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        with self._condition:
            self._stopping = True
            self._condition.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def pause(self) -> None:
        with self._condition:
            self._paused = True

    def resume(self) -> None:
        with self._condition:
            self._paused = False
            self._condition.notify_all()

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Block until nothing is queued for now or in flight (retries later don't count)."""
        deadline = time.monotonic() + timeout
        with self._condition:
            while True:
                due_now = any(d.due <= time.monotonic() for d in self._queue)
                if not due_now and self._in_flight == 0:
                    return True
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._condition.wait(timeout=min(remaining, 0.05))

    # -- queueing ------------------------------------------------------------------------
    def enqueue(self, event: JSONObject, endpoints: Sequence[WebhookEndpoint]) -> None:
        with self._condition:
            for endpoint in endpoints:
                heapq.heappush(
                    self._queue,
                    _Delivery(time.monotonic(), next(self._seq), event["id"], endpoint),
                )
            self._condition.notify_all()

    def redeliver(self, event_id: str, endpoint: WebhookEndpoint | None = None) -> None:
        """Send an already delivered event again (Stripe does this: duplicates happen)."""
        targets = [endpoint] if endpoint else self.endpoints
        with self._condition:
            for target in targets:
                heapq.heappush(
                    self._queue,
                    _Delivery(
                        time.monotonic(), next(self._seq), event_id, target, count_pending=False
                    ),
                )
            self._condition.notify_all()

    def deliver_batch(self, event_ids: Sequence[str], *, seed: int | None = None) -> list[str]:
        """Deliver these events (again) in a shuffled order; returns the order used."""
        order = list(event_ids)
        random.Random(seed).shuffle(order)
        with self._condition:
            base = time.monotonic()
            for event_id in order:
                for target in self._endpoints:
                    heapq.heappush(
                        self._queue,
                        _Delivery(base, next(self._seq), event_id, target, count_pending=False),
                    )
            self._condition.notify_all()
        return order

    # -- the delivery thread ---------------------------------------------------------------
    def _loop(self) -> None:
        with httpx.Client(timeout=self.timeout) as client:
            while True:
                with self._condition:
                    while True:
                        if self._stopping:
                            return
                        if self._queue and not self._paused:
                            wait = self._queue[0].due - time.monotonic()
                            if wait <= 0:
                                delivery = heapq.heappop(self._queue)
                                self._in_flight += 1
                                break
                            self._condition.wait(timeout=min(wait, 0.5))
                        else:
                            self._condition.wait(timeout=0.5)
                try:
                    self._deliver(client, delivery)
                finally:
                    with self._condition:
                        self._in_flight -= 1
                        self._condition.notify_all()

    def _deliver(self, client: httpx.Client, delivery: _Delivery) -> None:
        with self.store.lock:
            event = self.store.find(delivery.event_id)
            payload = json.dumps(event, indent=2).encode() if event is not None else None
            event_type = event["type"] if event is not None else "?"
        if payload is None:
            return
        # Signed with wall time, as Stripe does: the receiver checks it against its own clock.
        header = sign_payload(payload, delivery.endpoint.secret, int(time.time()))
        status: int | None = None
        error: str | None = None
        try:
            response = client.post(
                delivery.endpoint.url,
                content=payload,
                headers={
                    "Content-Type": "application/json; charset=utf-8",
                    "Stripe-Signature": header,
                    "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
                    "Cache-Control": "no-cache",
                },
            )
            status = response.status_code
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"
        attempt = DeliveryAttempt(
            delivery.event_id,
            event_type,
            delivery.endpoint.url,
            delivery.attempt,
            status,
            error,
            time.time(),
        )
        with self._condition:
            self.attempts.append(attempt)
        if attempt.ok:
            if delivery.count_pending:
                with self.store.lock:
                    stored = self.store.find(delivery.event_id)
                    if stored is not None and stored["pending_webhooks"] > 0:
                        stored["pending_webhooks"] -= 1
            return
        if delivery.attempt <= len(self.retry_delays):
            delay = self.retry_delays[delivery.attempt - 1]
            with self._condition:
                heapq.heappush(
                    self._queue,
                    _Delivery(
                        time.monotonic() + delay,
                        next(self._seq),
                        delivery.event_id,
                        delivery.endpoint,
                        delivery.attempt + 1,
                        delivery.count_pending,
                    ),
                )
                self._condition.notify_all()
