"""Fault injection for tests: delays, 5xx answers, dropped connections, by method and path.

Kinds:
- `delay`: the request runs `delay` seconds longer (its idempotency key stays in use).
- `error_before`: answer `status` (default 500) without running the request.
- `error_after`: run the request (its result is stored for idempotent replay), answer 5xx.
- `drop_before`: close the connection without running the request or answering.
- `drop_after`: run the request, then close the connection without answering: the client sees
  a network error although the effect happened.
- `rate_limit`: answer 429 without running the request, as Stripe's rate limiter does
  (https://docs.stripe.com/rate-limits): error code `rate_limit`, no effect, safe to retry.

A rule matches `method` ("*" for any) and a glob `path` (`/v1/payment_intents/*/capture`), for
the next `times` matching requests, or with `probability` drawn from a seeded generator.
"""

from __future__ import annotations

import fnmatch
import random
import threading
from dataclasses import dataclass, field
from typing import Literal

FaultKind = Literal[
    "delay", "error_before", "error_after", "drop_before", "drop_after", "rate_limit"
]
FAULT_KINDS: tuple[str, ...] = (
    "delay",
    "error_before",
    "error_after",
    "drop_before",
    "drop_after",
    "rate_limit",
)


@dataclass
class FaultRule:
    method: str
    path: str
    kind: FaultKind
    times: int | None = 1
    probability: float | None = None
    seed: int | None = None
    delay: float = 0.0
    status: int = 500
    should_retry: bool | None = None
    hits: int = 0
    _rng: random.Random = field(default_factory=random.Random, repr=False)

    def matches(self, method: str, path: str) -> bool:
        return (
            self.method == "*" or self.method.upper() == method.upper()
        ) and fnmatch.fnmatchcase(path, self.path)

    @property
    def exhausted(self) -> bool:
        return self.times is not None and self.hits >= self.times


class FaultInjector:
    def __init__(self) -> None:
        self._rules: list[FaultRule] = []
        self._lock = threading.Lock()

    def add(
        self,
        *,
        method: str = "*",
        path: str = "*",
        kind: FaultKind,
        times: int | None = 1,
        probability: float | None = None,
        seed: int | None = None,
        delay: float = 0.0,
        status: int = 500,
        should_retry: bool | None = None,
    ) -> FaultRule:
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; choose one of {FAULT_KINDS}")
        if probability is not None:
            if not 0.0 <= probability <= 1.0:
                raise ValueError("probability must be between 0 and 1")
            if times == 1:
                times = None  # a probability rule lasts until removed unless told otherwise
        if kind.startswith("error") and not 500 <= status <= 599:
            raise ValueError("error faults answer a 5xx status")
        rule = FaultRule(method, path, kind, times, probability, seed, delay, status, should_retry)
        rule._rng = random.Random(seed)
        with self._lock:
            self._rules.append(rule)
        return rule

    def remove(self, rule: FaultRule) -> None:
        with self._lock:
            if rule in self._rules:
                self._rules.remove(rule)

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    @property
    def rules(self) -> list[FaultRule]:
        with self._lock:
            return list(self._rules)

    def draw(self, method: str, path: str) -> list[FaultRule]:
        """Rules firing for this request (consumes their counts): delays first, then one other."""
        fired: list[FaultRule] = []
        other: FaultRule | None = None
        with self._lock:
            for rule in self._rules:
                if rule.exhausted or not rule.matches(method, path):
                    continue
                if rule.kind != "delay" and other is not None:
                    continue
                if rule.probability is not None and rule._rng.random() >= rule.probability:
                    continue
                rule.hits += 1
                if rule.kind == "delay":
                    fired.append(rule)
                else:
                    other = rule
        if other is not None:
            fired.append(other)
        return fired
