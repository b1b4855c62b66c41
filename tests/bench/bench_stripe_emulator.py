"""Round-trip cost of the Stripe emulator: a full approve flow through the official SDK.

Prints p50/p99 for the flow (create PaymentIntent, process on reader, present card, capture)
and for its single calls, with and without the OpenAPI request check, against a baseline
measured in the same run: one bare `GET /v1/terminal/readers/{id}` round trip. Server-side
time comes from the emulator's own request log. No timed assertions.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any, TypeVar

import pytest

from pos_app.payments.emulator import StripeEmulator
from tests.support.stripe_emulator_fixtures import make_stripe_client, openapi_spec_checker
from tests.support.stripe_emulator_flows import (
    create_payment_intent,
    present,
    process,
    register_reader,
)

pytestmark = pytest.mark.stripe_emulator

FLOWS = 200
T = TypeVar("T")
WARMUP = 20


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def timed(samples: list[float], call: Callable[..., T], *args: Any) -> T:
    started = time.perf_counter()
    result = call(*args)
    samples.append(time.perf_counter() - started)
    return result


def run(checked: bool) -> dict[str, list[float]]:
    checker = openapi_spec_checker() if checked else None
    samples: dict[str, list[float]] = {
        "baseline GET reader": [],
        "flow": [],
        "create": [],
        "process": [],
        "present": [],
        "capture": [],
    }
    with StripeEmulator(openapi_spec=checker, reader_action_timeout=None) as emulator:
        client, http = make_stripe_client(emulator)
        reader = register_reader(client)

        def flow() -> None:
            pi = create_payment_intent(client)
            process(client, reader.id, pi.id)
            present(client, reader.id)
            client.v1.payment_intents.capture(pi.id)

        for _ in range(WARMUP):
            flow()
            client.v1.terminal.readers.retrieve(reader.id)
        emulator.clear_requests()
        for _ in range(FLOWS):
            timed(samples["baseline GET reader"], client.v1.terminal.readers.retrieve, reader.id)
            started = time.perf_counter()
            pi = timed(samples["create"], create_payment_intent, client)
            timed(samples["process"], process, client, reader.id, pi.id)
            timed(samples["present"], present, client, reader.id)
            timed(samples["capture"], client.v1.payment_intents.capture, pi.id)
            samples["flow"].append(time.perf_counter() - started)
        samples["server (per request)"] = [r.server_seconds for r in emulator.requests]
        http.close()
    return samples


def report(title: str, samples: dict[str, list[float]], baseline_p50: float) -> None:
    print(f"\n{title}")
    print(f"  {'':24} {'p50 ms':>8} {'p99 ms':>8} {'mean ms':>8} {'x baseline p50':>15}")
    for name, values in samples.items():
        p50 = percentile(values, 0.50)
        print(
            f"  {name:24} {p50 * 1e3:8.3f} {percentile(values, 0.99) * 1e3:8.3f} "
            f"{statistics.fmean(values) * 1e3:8.3f} {p50 / baseline_p50:15.2f}"
        )


def test_bench_stripe_emulator_approve_flow() -> None:
    plain = run(checked=False)
    baseline = percentile(plain["baseline GET reader"], 0.5)
    report(f"Stripe emulator, latency 0, {FLOWS} approve flows, no spec check", plain, baseline)
    if openapi_spec_checker() is not None:
        checked = run(checked=True)
        report("same, every request checked against the OpenAPI spec", checked, baseline)
    flow_p50 = percentile(plain["flow"], 0.5)
    print(f"\n  approve flow p50 = {flow_p50 / baseline:.1f} x one bare GET round trip")
    assert plain["flow"]
