"""Pytest fixtures for the Stripe emulator: one per test, every request checked against
Stripe's OpenAPI description, a test failing at teardown if any request broke it.

Use from a conftest: `from tests.support.stripe_emulator_fixtures import *  # noqa: F403`.
When the spec file is absent the emulator runs unchecked and `require_openapi_spec()` skips
the tests that need it, saying where the file was looked for.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import stripe

from pos_app.payments.emulator import StripeEmulator
from pos_app.payments.emulator.openapi_check import (
    OpenAPIChecker,
    find_spec,
    spec_search_description,
)
from pos_app.payments.stripe_terminal import FormHTTPXClient

STRIPE_VERSION = "2023-08-16"


def openapi_spec_checker() -> OpenAPIChecker | None:
    path = find_spec()
    if path is None or not path.is_file():
        return None
    return OpenAPIChecker.load(path)


def require_openapi_spec() -> OpenAPIChecker:
    checker = openapi_spec_checker()
    if checker is None:
        pytest.skip(
            "Stripe's OpenAPI spec (openapi-spec3-2023-08-16.json) is absent: looked for "
            f"{spec_search_description()}; request checks are skipped"
        )
    return checker


def make_stripe_client(
    emulator: StripeEmulator, *, max_network_retries: int = 0, timeout: float = 5.0
) -> tuple[stripe.StripeClient, FormHTTPXClient]:
    """A StripeClient against the emulator, as the app builds it. Close the http client."""
    http_client = FormHTTPXClient(timeout=timeout, allow_sync_methods=True)
    client = stripe.StripeClient(
        emulator.test_key,
        base_addresses={"api": emulator.base_url},
        http_client=http_client,
        stripe_version=STRIPE_VERSION,
        max_network_retries=max_network_retries,
    )
    return client, http_client


def assert_emulator_clean(emulator: StripeEmulator) -> None:
    problems = [repr(v) for v in emulator.spec_violations] + emulator.internal_errors
    if problems:
        pytest.fail(
            "the Stripe emulator saw requests Stripe would refuse, or failed itself:\n"
            + "\n".join(problems),
            pytrace=False,
        )


@pytest.fixture(scope="session")
def stripe_openapi_checker() -> OpenAPIChecker | None:
    return openapi_spec_checker()


@pytest.fixture
def stripe_emulator(stripe_openapi_checker: OpenAPIChecker | None) -> Iterator[StripeEmulator]:
    emulator = StripeEmulator(
        openapi_spec=stripe_openapi_checker, webhook_retry_delays=(0.05, 0.1, 0.2)
    )
    with emulator:
        yield emulator
    assert_emulator_clean(emulator)


@pytest.fixture
def make_stripe_emulator(
    stripe_openapi_checker: OpenAPIChecker | None,
) -> Iterator[Callable[..., StripeEmulator]]:
    """Started emulators with custom options, spec-checked like `stripe_emulator`."""
    made: list[StripeEmulator] = []

    def make(**options: Any) -> StripeEmulator:
        options.setdefault("openapi_spec", stripe_openapi_checker)
        options.setdefault("webhook_retry_delays", (0.05, 0.1, 0.2))
        emulator = StripeEmulator(**options).start()
        made.append(emulator)
        return emulator

    yield make
    for emulator in made:
        emulator.stop()
    for emulator in made:
        assert_emulator_clean(emulator)


@pytest.fixture
def stripe_client(stripe_emulator: StripeEmulator) -> Iterator[stripe.StripeClient]:
    client, http_client = make_stripe_client(stripe_emulator)
    yield client
    http_client.close()


@pytest.fixture
def stripe_client_retrying(stripe_emulator: StripeEmulator) -> Iterator[stripe.StripeClient]:
    """Three network retries, as the app's gateway configures them."""
    client, http_client = make_stripe_client(stripe_emulator, max_network_retries=3)
    yield client
    http_client.close()


@dataclass
class ReceivedWebhook:
    body: bytes
    headers: dict[str, str]

    @property
    def event(self) -> dict[str, Any]:
        parsed: dict[str, Any] = json.loads(self.body)
        return parsed


@dataclass
class WebhookReceiver:
    """A real HTTP endpoint on loopback that records what Stripe (the emulator) posts."""

    statuses: list[int] = field(default_factory=list)  # answered in turn, then 200
    received: list[ReceivedWebhook] = field(default_factory=list)
    condition: threading.Condition = field(default_factory=threading.Condition)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}/webhooks/stripe"

    def wait_for(self, count: int, timeout: float = 5.0) -> list[ReceivedWebhook]:
        with self.condition:
            self.condition.wait_for(lambda: len(self.received) >= count, timeout=timeout)
            return list(self.received)

    def event_types(self) -> list[str]:
        with self.condition:
            return [str(item.event["type"]) for item in self.received]


@pytest.fixture
def webhook_receiver() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with receiver.condition:
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                if status == 200:
                    receiver.received.append(ReceivedWebhook(body, dict(self.headers.items())))
                receiver.condition.notify_all()
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    receiver.server = server
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield receiver
    server.shutdown()
    server.server_close()
    thread.join()


__all__: Sequence[str] = (
    "FormHTTPXClient",
    "ReceivedWebhook",
    "WebhookReceiver",
    "assert_emulator_clean",
    "make_stripe_client",
    "make_stripe_emulator",
    "openapi_spec_checker",
    "require_openapi_spec",
    "stripe_client",
    "stripe_client_retrying",
    "stripe_emulator",
    "stripe_openapi_checker",
    "webhook_receiver",
)
