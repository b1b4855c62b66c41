"""The OpenAPI request checker: Stripe's nested form keys checked against Stripe's own spec."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from pos_app.payments.emulator import StripeEmulator
from pos_app.payments.emulator.forms import decode_nested
from pos_app.payments.emulator.openapi_check import SPEC_ENV, OpenAPIChecker, find_spec
from tests.support.stripe_emulator_fixtures import require_openapi_spec

pytestmark = pytest.mark.stripe_emulator


@pytest.fixture
def checker() -> OpenAPIChecker:
    return require_openapi_spec()


def messages(checker: OpenAPIChecker, method: str, path: str, **form: str) -> list[str]:
    return [v.message for v in checker.check(method, path, (), list(form.items()))]


def test_nested_keys_decode_into_nested_data() -> None:
    decoded = decode_nested(
        [
            ("metadata[order]", "o-1"),
            ("cart[line_items][0][amount]", "450"),
            ("cart[line_items][1][amount]", "325"),
            ("expand[]", "latest_charge"),
            ("expand[]", "customer"),
            ("plain", "x"),
        ]
    )
    assert decoded == {
        "metadata": {"order": "o-1"},
        "cart": {"line_items": {"0": {"amount": "450"}, "1": {"amount": "325"}}},
        "expand": ["latest_charge", "customer"],
        "plain": "x",
    }


def test_a_valid_request_passes(checker: OpenAPIChecker) -> None:
    form = [
        ("amount", "1000"),
        ("currency", "usd"),
        ("payment_method_types[0]", "card_present"),
        ("capture_method", "manual"),
        ("metadata[attempt_id]", "a-1"),
    ]
    assert checker.check("POST", "/v1/payment_intents", (), form) == []
    display = [
        ("type", "cart"),
        ("cart[currency]", "usd"),
        ("cart[line_items][0][description]", "Latte"),
        ("cart[line_items][0][amount]", "450"),
        ("cart[line_items][0][quantity]", "2"),
        ("cart[total]", "900"),
    ]
    assert checker.check("POST", "/v1/terminal/readers/tmr_1/set_reader_display", (), display) == []


def test_unknown_parameters_are_caught_top_level_and_nested(checker: OpenAPIChecker) -> None:
    assert messages(
        checker, "POST", "/v1/payment_intents", amount="100", currency="usd", colour="red"
    ) == ["Received unknown parameter: colour"]
    found = checker.check(
        "POST",
        "/v1/terminal/readers/tmr_1/process_payment_intent",
        (),
        [("payment_intent", "pi_1"), ("process_config[enable_customer_cancellation]", "true")],
    )
    # Added to Stripe after 2023-08: the pinned spec does not know it.
    assert [(v.code, v.param) for v in found] == [
        ("parameter_unknown", "process_config[enable_customer_cancellation]")
    ]


def test_missing_required_parameters_are_caught(checker: OpenAPIChecker) -> None:
    assert messages(checker, "POST", "/v1/payment_intents", currency="usd") == [
        "Missing required param: amount."
    ]
    assert messages(checker, "POST", "/v1/terminal/readers/tmr_1/process_payment_intent") == [
        "Missing required param: payment_intent."
    ]
    query = checker.check("GET", "/v1/payment_intents/search", (("limit", "3"),), ())
    assert [v.code for v in query] == ["parameter_missing"]


def test_wrong_types_are_caught(checker: OpenAPIChecker) -> None:
    assert messages(checker, "POST", "/v1/payment_intents", amount="ten", currency="usd") == [
        "Invalid integer: ten"
    ]
    assert messages(checker, "POST", "/v1/disputes/du_1", submit="yes") == ["Invalid boolean: yes"]
    enum = messages(checker, "POST", "/v1/payment_intents/pi_1/cancel", cancellation_reason="bored")
    assert enum == [
        "Invalid cancellation_reason: must be one of abandoned, duplicate, fraudulent, "
        "requested_by_customer"
    ]
    query = checker.check("GET", "/v1/terminal/readers", (("limit", "many"),), ())
    assert [v.message for v in query] == ["Invalid integer: many"]


def test_empty_string_unsets_where_stripe_allows_it(checker: OpenAPIChecker) -> None:
    assert messages(checker, "POST", "/v1/payment_intents/pi_1", metadata="") == []
    assert checker.check("POST", "/v1/payment_intents/pi_1", (), [("metadata[gone]", "")]) == []


def test_literal_paths_win_over_templates(checker: OpenAPIChecker) -> None:
    operation = checker.operation_for("GET", "/v1/payment_intents/search")
    assert operation is not None
    assert operation.template == "/v1/payment_intents/search"
    assert checker.check("GET", "/v1/nowhere", (), ())[0].message.startswith("Unknown endpoint")


def test_the_spec_is_parsed_once(checker: OpenAPIChecker) -> None:
    assert OpenAPIChecker.load() is OpenAPIChecker.load()


def test_spec_path_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(SPEC_ENV, str(tmp_path / "spec.json"))
    assert find_spec() == tmp_path / "spec.json"
    monkeypatch.delenv(SPEC_ENV)
    found = find_spec()
    assert found is None or found.name == "openapi-spec3-2023-08-16.json"


def test_emulator_answers_a_violation_with_a_400_and_records_it(
    checker: OpenAPIChecker, make_stripe_emulator: Callable[..., StripeEmulator]
) -> None:
    emulator = make_stripe_emulator()
    with httpx.Client(base_url=emulator.base_url, timeout=5) as client:
        answer = client.post(
            "/v1/terminal/readers/tmr_x/process_payment_intent",
            headers={"Authorization": f"Bearer {emulator.test_key}"},
            data={"payment_intent": "pi_x", "process_config[sparkles]": "true"},
        )
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "parameter_unknown"
    assert answer.json()["error"]["param"] == "process_config[sparkles]"
    violations = emulator.take_spec_violations()
    assert [v.messages for v in violations] == [
        ["Received unknown parameter: process_config[sparkles]"]
    ]
    assert emulator.requests[-1].spec_violations == violations[0].messages


def test_every_request_in_an_sdk_flow_passes(
    stripe_emulator: StripeEmulator, checker: OpenAPIChecker
) -> None:
    from tests.support.stripe_emulator_fixtures import make_stripe_client
    from tests.support.stripe_emulator_flows import captured_payment

    client, http = make_stripe_client(stripe_emulator)
    payment_intent = captured_payment(client)
    client.v1.refunds.create(params={"payment_intent": payment_intent.id, "amount": 100})
    client.v1.payment_intents.search(params={"query": "status:'succeeded'", "limit": 5})
    client.v1.payment_intents.list(params={"limit": 3, "expand": ["data.latest_charge"]})
    http.close()
    assert len(stripe_emulator.requests) >= 9
    assert stripe_emulator.spec_violations == []


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_cli_serves_until_interrupted(tmp_path: Path) -> None:
    env = {**os.environ, "POS_DATA_DIR": str(tmp_path)}
    process = subprocess.Popen(
        [
            sys.executable,
            "-X",
            "faulthandler",  # SIGABRT dumps every thread's stack, should it ever hang
            "-m",
            "pos_app",
            "--data-dir",
            str(tmp_path),
            "stripe-emulator",
            "--port",
            "0",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        # Ctrl-C as in a terminal: a suite started in the background (`make test &`, nohup)
        # hands its children SIGINT ignored, and Python then never raises KeyboardInterrupt.
        preexec_fn=_default_sigint,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        key_line = process.stdout.readline()
        assert "listening on http://127.0.0.1:" in first, first
        base_url = first.rsplit(" ", 1)[-1].strip()
        key = key_line.split(":", 1)[1].strip()
        answer = httpx.get(
            f"{base_url}/v1/terminal/readers", headers={"Authorization": f"Bearer {key}"}, timeout=5
        )
        assert answer.status_code == 200
        process.send_signal(signal.SIGINT)
        try:
            code = process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            # Show where it is stuck (this is how the inherited SIG_IGN above was found).
            process.send_signal(signal.SIGABRT)
            _out, err = process.communicate(timeout=10)
            pytest.fail(f"the emulator did not stop 30 s after Ctrl-C; its threads:\n{err}")
        assert code == 0, process.stderr.read() if process.stderr else ""
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
