"""`pos-app stripe-emulator` in its own process, as a developer runs it, and the SDK against it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import stripe

from pos_app.payments.stripe_terminal import STRIPE_API_VERSION, FormHTTPXClient


@dataclass(frozen=True)
class EmulatorProcess:
    process: subprocess.Popen[str]
    base_url: str
    test_key: str

    def control(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """The emulator's test controls over HTTP (`/_emulator/...`)."""
        answer = httpx.request(method, f"{self.base_url}/_emulator/{path}", json=body, timeout=5)
        answer.raise_for_status()
        return answer.json()


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_cli(home: Path, *extra: str) -> EmulatorProcess:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pos_app",
            "--data-dir",
            str(home),
            "stripe-emulator",
            "--port",
            "0",
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "POS_DATA_DIR": str(home)},
        # Ctrl-C as in a terminal, even when the suite runs with SIGINT ignored.
        preexec_fn=_default_sigint,
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    key_line = process.stdout.readline()
    if "listening on http://127.0.0.1:" not in first:
        end(process)
        raise AssertionError(f"the emulator did not start: {first!r}")
    return EmulatorProcess(
        process, first.rsplit(" ", 1)[-1].strip(), key_line.split(":", 1)[1].strip()
    )


def end(process: subprocess.Popen[str], *, kill: bool = False) -> None:
    if process.poll() is None:
        if kill:
            process.kill()
        else:
            process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    for stream in (process.stdout, process.stderr):
        if stream is not None:
            stream.close()


@contextmanager
def running_cli(home: Path, *extra: str) -> Iterator[EmulatorProcess]:
    emulator = start_cli(home, *extra)
    try:
        yield emulator
    finally:
        end(emulator.process)


@contextmanager
def sdk_client(emulator: EmulatorProcess) -> Iterator[stripe.StripeClient]:
    """The official SDK, built as the register builds it (no automatic retries)."""
    http_client = FormHTTPXClient(timeout=5.0, allow_sync_methods=True)
    try:
        yield stripe.StripeClient(
            emulator.test_key,
            base_addresses={"api": emulator.base_url},
            http_client=http_client,
            stripe_version=STRIPE_API_VERSION,
            max_network_retries=0,
        )
    finally:
        http_client.close()
