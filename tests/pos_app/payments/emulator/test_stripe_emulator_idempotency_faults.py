"""Idempotency and injected faults: the behaviour a retrying client must survive."""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import stripe

from pos_app.payments.emulator import StripeEmulator
from tests.support.stripe_emulator_flows import authorized_payment, create_payment_intent

pytestmark = pytest.mark.stripe_emulator

CREATE = {"amount": "1000", "currency": "usd", "payment_method_types[0]": "card_present"}


@pytest.fixture
def raw(stripe_emulator: StripeEmulator) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=stripe_emulator.base_url,
        headers={"Authorization": f"Bearer {stripe_emulator.test_key}"},
        timeout=5,
    ) as client:
        yield client


def test_same_key_same_params_replays_the_stored_response(
    raw: httpx.Client, stripe_emulator: StripeEmulator
) -> None:
    first = raw.post("/v1/payment_intents", data=CREATE, headers={"Idempotency-Key": "k-1"})
    again = raw.post("/v1/payment_intents", data=CREATE, headers={"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["Original-Request"] == first.headers["Request-Id"]
    assert "Idempotent-Replayed" not in first.headers
    assert len(stripe_emulator.payment_intents) == 1


def test_keys_are_scoped_per_api_key(raw: httpx.Client, stripe_emulator: StripeEmulator) -> None:
    raw.post("/v1/payment_intents", data=CREATE, headers={"Idempotency-Key": "shared"})
    other = raw.post(
        "/v1/payment_intents",
        data=CREATE,
        headers={"Idempotency-Key": "shared", "Authorization": "Bearer sk_test_another_shop_key"},
    )
    assert "Idempotent-Replayed" not in other.headers
    assert len(stripe_emulator.payment_intents) == 2


def test_same_key_other_params_is_an_idempotency_error(raw: httpx.Client) -> None:
    raw.post("/v1/payment_intents", data=CREATE, headers={"Idempotency-Key": "k-2"})
    changed = raw.post(
        "/v1/payment_intents", data={**CREATE, "amount": "2000"}, headers={"Idempotency-Key": "k-2"}
    )
    assert changed.status_code == 400
    error = changed.json()["error"]
    assert error["type"] == "idempotency_error"
    assert "same parameters" in error["message"]
    assert changed.headers["Stripe-Should-Retry"] == "false"
    elsewhere = raw.post(
        "/v1/terminal/locations",
        data={"display_name": "x", "address[country]": "US"},
        headers={"Idempotency-Key": "k-2"},
    )
    assert elsewhere.status_code == 400
    assert elsewhere.json()["error"]["type"] == "idempotency_error"


def test_sdk_maps_the_mismatch_to_idempotency_error(stripe_client: stripe.StripeClient) -> None:
    create_payment_intent(stripe_client, 1000)
    stripe_client.v1.payment_intents.create(
        params={"amount": 1000, "currency": "usd"}, options={"idempotency_key": "k-3"}
    )
    with pytest.raises(stripe.IdempotencyError):
        stripe_client.v1.payment_intents.create(
            params={"amount": 1500, "currency": "usd"}, options={"idempotency_key": "k-3"}
        )


def test_concurrent_request_with_a_key_in_flight_gets_409(
    raw: httpx.Client, stripe_emulator: StripeEmulator
) -> None:
    stripe_emulator.faults.add(
        method="POST", path="/v1/payment_intents", kind="delay", delay=0.5, times=1
    )
    answers: dict[str, httpx.Response] = {}

    def first() -> None:
        answers["first"] = raw.post(
            "/v1/payment_intents", data=CREATE, headers={"Idempotency-Key": "k-4"}
        )

    thread = threading.Thread(target=first)
    thread.start()
    time.sleep(0.15)
    second = raw.post("/v1/payment_intents", data=CREATE, headers={"Idempotency-Key": "k-4"})
    thread.join()
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "idempotency_key_in_use"
    assert second.json()["error"]["type"] == "idempotency_error"
    assert answers["first"].status_code == 200
    # Once the first finishes, a retry replays it.
    third = raw.post("/v1/payment_intents", data=CREATE, headers={"Idempotency-Key": "k-4"})
    assert third.headers["Idempotent-Replayed"] == "true"
    assert len(stripe_emulator.payment_intents) == 1


def test_errors_are_replayed_but_validation_errors_are_not_stored(
    raw: httpx.Client, stripe_emulator: StripeEmulator
) -> None:
    bad = raw.post(
        "/v1/payment_intents", data={"currency": "usd"}, headers={"Idempotency-Key": "v"}
    )
    assert bad.status_code == 400
    violations = [v.messages for v in stripe_emulator.take_spec_violations()]
    if stripe_emulator.checker is not None:
        assert violations == [["Missing required param: amount."]]
    fixed = raw.post("/v1/payment_intents", data=CREATE, headers={"Idempotency-Key": "v"})
    assert fixed.status_code == 200  # the key was not burned by the validation error

    raw_pi = fixed.json()["id"]
    first = raw.post(f"/v1/payment_intents/{raw_pi}/capture", headers={"Idempotency-Key": "c"})
    assert first.status_code == 400  # not authorized yet: a business error, stored
    again = raw.post(f"/v1/payment_intents/{raw_pi}/capture", headers={"Idempotency-Key": "c"})
    assert again.status_code == 400
    assert again.headers["Idempotent-Replayed"] == "true"


def test_keys_are_forgotten_after_24_hours(
    raw: httpx.Client, stripe_emulator: StripeEmulator
) -> None:
    raw.post("/v1/payment_intents", data=CREATE, headers={"Idempotency-Key": "old"})
    stripe_emulator.advance_clock(24 * 3600 + 1)
    fresh = raw.post("/v1/payment_intents", data=CREATE, headers={"Idempotency-Key": "old"})
    assert "Idempotent-Replayed" not in fresh.headers
    assert len(stripe_emulator.payment_intents) == 2


# -- faults -----------------------------------------------------------------------------------
def test_drop_after_processing_then_sdk_retry_captures_once(
    stripe_client_retrying: stripe.StripeClient, stripe_emulator: StripeEmulator
) -> None:
    _, payment_intent = authorized_payment(stripe_client_retrying)
    rule = stripe_emulator.faults.add(
        method="POST", path="/v1/payment_intents/*/capture", kind="drop_after", times=1
    )
    captured = stripe_client_retrying.v1.payment_intents.capture(payment_intent.id)
    assert captured.status == "succeeded"
    assert rule.hits == 1
    captures = [r for r in stripe_emulator.requests if r.path.endswith("/capture")]
    assert [r.status for r in captures] == [None, 200]
    assert captures[1].replayed is True
    assert captures[0].idempotency_key == captures[1].idempotency_key
    assert len(stripe_emulator.events_of_type("charge.captured")) == 1


def test_drop_after_without_retry_hides_an_effect_that_happened(
    stripe_client: stripe.StripeClient, stripe_emulator: StripeEmulator
) -> None:
    _, payment_intent = authorized_payment(stripe_client)
    stripe_emulator.faults.add(
        method="POST", path="/v1/payment_intents/*/capture", kind="drop_after"
    )
    with pytest.raises(stripe.APIConnectionError):
        stripe_client.v1.payment_intents.capture(payment_intent.id)
    assert stripe_emulator.payment_intents[payment_intent.id]["status"] == "succeeded"


def test_drop_before_processing_has_no_effect(
    stripe_client: stripe.StripeClient, stripe_emulator: StripeEmulator
) -> None:
    _, payment_intent = authorized_payment(stripe_client)
    stripe_emulator.faults.add(
        method="POST", path="/v1/payment_intents/*/capture", kind="drop_before"
    )
    with pytest.raises(stripe.APIConnectionError):
        stripe_client.v1.payment_intents.capture(payment_intent.id)
    assert stripe_emulator.payment_intents[payment_intent.id]["status"] == "requires_capture"
    assert stripe_client.v1.payment_intents.capture(payment_intent.id).status == "succeeded"


def test_error_before_is_retried_by_the_sdk(
    stripe_client_retrying: stripe.StripeClient, stripe_emulator: StripeEmulator
) -> None:
    stripe_emulator.faults.add(
        method="POST", path="/v1/payment_intents", kind="error_before", status=503, times=2
    )
    payment_intent = create_payment_intent(stripe_client_retrying)
    assert payment_intent.status == "requires_payment_method"
    statuses = [r.status for r in stripe_emulator.requests if r.path == "/v1/payment_intents"]
    assert statuses == [503, 503, 200]
    assert len(stripe_emulator.payment_intents) == 1


def test_error_after_processing_is_replayed_on_retry(
    stripe_client_retrying: stripe.StripeClient, stripe_emulator: StripeEmulator
) -> None:
    stripe_emulator.faults.add(method="POST", path="/v1/payment_intents", kind="error_after")
    payment_intent = create_payment_intent(stripe_client_retrying)
    assert len(stripe_emulator.payment_intents) == 1
    assert payment_intent.id in stripe_emulator.payment_intents
    recorded = [r for r in stripe_emulator.requests if r.path == "/v1/payment_intents"]
    assert [(r.status, r.replayed) for r in recorded] == [(500, False), (200, True)]


def test_error_with_should_retry_false_is_not_retried(
    stripe_client_retrying: stripe.StripeClient, stripe_emulator: StripeEmulator
) -> None:
    stripe_emulator.faults.add(
        method="GET", path="/v1/payment_intents/*", kind="error_before", should_retry=False
    )
    payment_intent = create_payment_intent(stripe_client_retrying)
    with pytest.raises(stripe.APIError):
        stripe_client_retrying.v1.payment_intents.retrieve(payment_intent.id)


def test_delay_fault_slows_matching_requests_only(
    stripe_client: stripe.StripeClient, stripe_emulator: StripeEmulator
) -> None:
    payment_intent = create_payment_intent(stripe_client)
    stripe_emulator.faults.add(
        method="GET", path="/v1/payment_intents/*", kind="delay", delay=0.3, times=1
    )
    started = time.perf_counter()
    stripe_client.v1.payment_intents.retrieve(payment_intent.id)
    slow = time.perf_counter() - started
    started = time.perf_counter()
    stripe_client.v1.payment_intents.retrieve(payment_intent.id)
    fast = time.perf_counter() - started
    assert slow >= 0.3
    assert fast < 0.3


def test_probability_faults_are_reproducible_with_a_seed() -> None:
    def run() -> list[int | None]:
        with (
            StripeEmulator() as emulator,
            httpx.Client(
                base_url=emulator.base_url,
                headers={"Authorization": f"Bearer {emulator.test_key}"},
            ) as client,
        ):
            emulator.faults.add(
                path="/v1/payment_intents", kind="error_before", probability=0.5, seed=42
            )
            for _ in range(20):
                client.get("/v1/payment_intents")
            return [r.status for r in emulator.requests]

    first, second = run(), run()
    assert first == second
    assert set(first) == {200, 500}


def test_global_latency(
    stripe_client: stripe.StripeClient, stripe_emulator: StripeEmulator
) -> None:
    stripe_emulator.set_latency(0.2)
    started = time.perf_counter()
    stripe_client.v1.terminal.readers.list()
    assert time.perf_counter() - started >= 0.2


def test_http_control_endpoints(raw: httpx.Client, stripe_emulator: StripeEmulator) -> None:
    added = raw.post(
        "/_emulator/faults", json={"method": "GET", "path": "/v1/charges/*", "kind": "error_before"}
    )
    assert added.status_code == 200
    assert raw.get("/v1/charges/ch_x").status_code == 500
    assert raw.get("/v1/charges/ch_x").status_code == 404
    moved = raw.post("/_emulator/clock/advance", json={"seconds": 3600})
    assert moved.json()["now"] >= stripe_emulator.now() - 1
    assert raw.post("/_emulator/faults", json={"kind": "explode"}).status_code == 400
    assert raw.get("/_emulator/health").json()["test_key"] == stripe_emulator.test_key


def test_a_request_cut_off_mid_body_is_never_run(stripe_emulator: StripeEmulator) -> None:
    # A client killed while sending: the headers and part of the form arrive, then the
    # connection closes. Stripe waits for Content-Length bytes and runs nothing.
    body = b"amount=1000&currency=usd&payment_method_types[0]=card_present&metadata[order]=1"
    head = (
        f"POST /v1/payment_intents HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Authorization: Bearer {stripe_emulator.test_key}\r\n"
        f"Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", stripe_emulator.port), timeout=5) as sock:
        sock.sendall(head + body[:20])
        sock.shutdown(socket.SHUT_WR)
        assert sock.recv(1024) == b""  # no answer: the connection is closed
    assert stripe_emulator.payment_intents == {}
    assert stripe_emulator.requests == []


def test_a_client_resetting_its_connection_prints_no_traceback(
    stripe_emulator: StripeEmulator, capsys: pytest.CaptureFixture[str]
) -> None:
    sock = socket.create_connection(("127.0.0.1", stripe_emulator.port), timeout=5)
    sock.sendall(b"GET /v1/payment_intents HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    time.sleep(0.1)  # the server is reading the headers
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()  # RST
    time.sleep(0.2)
    assert "Traceback" not in capsys.readouterr().err
