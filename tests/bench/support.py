"""Shared helpers for benchmarks: timing, percentiles and a uniform printout."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Timing:
    name: str
    samples_ms: list[float]

    @property
    def p50(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p99(self) -> float:
        ordered = sorted(self.samples_ms)
        return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]

    @property
    def mean(self) -> float:
        return statistics.fmean(self.samples_ms)


def measure(name: str, fn: Callable[[], object], *, runs: int, warmup: int = 5) -> Timing:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return Timing(name, samples)


def report(title: str, *timings: Timing, baseline: Timing | None = None, target: str = "") -> None:
    print(f"\n== {title}")
    for timing in timings:
        line = (
            f"   {timing.name:<44} p50 {timing.p50:8.3f} ms   p99 {timing.p99:8.3f} ms"
            f"   (n={len(timing.samples_ms)})"
        )
        if baseline is not None and timing is not baseline:
            line += (
                f"   ratio p50 {timing.p50 / baseline.p50:5.2f}x"
                f"  p99 {timing.p99 / baseline.p99:5.2f}x"
            )
        print(line)
    if target:
        print(f"   target: {target}")
