"""Stripe's documented behaviour, tried through the official SDK (and raw HTTP) against
`pos-app stripe-emulator` running in its own process, as a developer would start it.

Each test's docstring gives the Stripe page the expectation comes from; where Stripe's
documentation is silent and the emulator has to choose, the docstring says so.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import stripe

from pos_app.payments.stripe_terminal import StripeSettings, StripeTerminal
from pos_app.payments.terminal import TerminalError, TerminalErrorKind
from tests.support.stripe_emulator_cli import EmulatorProcess, running_cli, sdk_client
from tests.support.stripe_emulator_flows import (
    create_payment_intent,
    present,
    process,
    register_reader,
)

pytestmark = pytest.mark.stripe_emulator


@pytest.fixture(scope="module")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorProcess]:
    with running_cli(tmp_path_factory.mktemp("stripe-emulator")) as started:
        yield started


@pytest.fixture
def client(emulator: EmulatorProcess) -> Iterator[stripe.StripeClient]:
    with sdk_client(emulator) as sdk:
        yield sdk


def raw_post(emulator: EmulatorProcess, path: str, form: dict[str, str]) -> httpx.Response:
    return httpx.post(
        f"{emulator.base_url}{path}",
        data=form,
        headers={"Authorization": f"Bearer {emulator.test_key}"},
        timeout=5,
    )


def authorized(client: stripe.StripeClient, amount: int = 1000) -> tuple[str, str]:
    """A card_present PaymentIntent authorized on a simulated reader: (reader, intent)."""
    reader = register_reader(client)
    intent = create_payment_intent(client, amount)
    process(client, reader.id, intent.id)
    present(client, reader.id)
    return reader.id, intent.id


# -- parameters -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("path", "params", "param"),
    [
        (
            "/v1/payment_intents",
            {
                "amount": 1000,
                "currency": "usd",
                "payment_method_types": ["card_present"],
                "payment_method_options": {"card_present": {"bogus": "true"}},
            },
            "payment_method_options[card_present][bogus]",
        ),
        ("/v1/refunds", {"payment_intent": "pi_x", "metadata": {}, "instructions": "x"}, None),
    ],
)
def test_unknown_parameters_at_any_depth_are_refused(
    client: stripe.StripeClient, path: str, params: dict[str, Any], param: str | None
) -> None:
    """https://docs.stripe.com/error-codes#parameter-unknown: "The request contains one or more
    unexpected parameters. Remove these and try again." `param` names it in bracket notation
    (https://docs.stripe.com/api/errors: "the parameter related to the error")."""
    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.raw_request("post", path, **params)
    assert refused.value.http_status == 400
    assert refused.value.code == "parameter_unknown"
    assert refused.value.param == (param or "instructions")


def test_a_misspelt_process_config_key_is_refused_not_echoed(client: stripe.StripeClient) -> None:
    """https://docs.stripe.com/error-codes#parameter-unknown (issue 18: `skip_tiping` used to be
    echoed back in the reader's action)."""
    reader = register_reader(client)
    intent = create_payment_intent(client)
    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.terminal.readers.process_payment_intent(
            reader.id,
            {"payment_intent": intent.id, "process_config": {"skip_tiping": True}},  # type: ignore[typeddict-unknown-key]
        )
    assert (refused.value.code, refused.value.param) == (
        "parameter_unknown",
        "process_config[skip_tiping]",
    )
    assert client.v1.terminal.readers.retrieve(reader.id).action is None
    accepted = client.v1.terminal.readers.process_payment_intent(
        reader.id, {"payment_intent": intent.id, "process_config": {"skip_tipping": True}}
    )
    assert accepted.action is not None
    config = accepted.action.process_payment_intent.process_config  # type: ignore[union-attr]
    assert config is not None
    assert config.skip_tipping is True


def test_an_unknown_payment_method_type_is_refused(client: stripe.StripeClient) -> None:
    """https://docs.stripe.com/api/payment_intents/create#create_payment_intent-payment_method_types
    lists the types a PaymentIntent may use; the refusal's wording is the emulator's choice
    (Stripe's documentation does not quote it)."""
    with pytest.raises(stripe.InvalidRequestError) as refused:
        create_payment_intent(client, payment_method_types=["card_present", "bogus"])
    assert refused.value.param == "payment_method_types"


@pytest.mark.parametrize(
    ("form", "code", "param"),
    [
        ({"currency": "usd"}, "parameter_missing", "amount"),
        ({"amount": "ten", "currency": "usd"}, "parameter_invalid_integer", "amount"),
        ({"amount": "", "currency": "usd"}, "parameter_invalid_empty", "amount"),
        (
            {"amount": "1000", "currency": "usd", "automatic_payment_methods[enabled]": ""},
            "parameter_invalid_empty",
            "automatic_payment_methods[enabled]",
        ),
        (
            {
                "amount": "1000",
                "currency": "usd",
                "automatic_payment_methods[allow_redirects]": "x",
            },
            "parameter_missing",
            "automatic_payment_methods[enabled]",
        ),
    ],
)
def test_missing_malformed_and_empty_values_get_stripes_codes(
    emulator: EmulatorProcess, form: dict[str, str], code: str, param: str
) -> None:
    """https://docs.stripe.com/error-codes: parameter_missing ("One or more required values are
    missing"), parameter_invalid_integer ("One or more of the parameters requires an integer"),
    parameter_invalid_empty ("One or more required string values is empty")."""
    answer = raw_post(emulator, "/v1/payment_intents", form)
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert (error["type"], error["code"], error["param"]) == ("invalid_request_error", code, param)
    assert error["doc_url"] == f"https://stripe.com/docs/error-codes/{code.replace('_', '-')}"
    assert error["request_log_url"].endswith(f"{answer.headers['Request-Id']}?t=emulator")


# -- errors carry the objects they are about ---------------------------------------------------
def test_capturing_a_canceled_payment_intent_carries_the_payment_intent(
    client: stripe.StripeClient,
) -> None:
    """https://docs.stripe.com/api/errors: `payment_intent` is "the PaymentIntent object for
    errors returned on a request involving a PaymentIntent";
    https://docs.stripe.com/error-codes#payment-intent-unexpected-state."""
    _reader, intent_id = authorized(client)
    client.v1.payment_intents.cancel(intent_id)
    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.payment_intents.capture(intent_id)
    error = refused.value.error
    assert refused.value.http_status == 400
    assert error is not None
    assert error.code == "payment_intent_unexpected_state"
    assert error.type == "invalid_request_error"
    assert error.payment_intent is not None
    assert (error.payment_intent.id, error.payment_intent.status) == (intent_id, "canceled")


def test_capturing_more_than_authorised_is_refused_with_the_payment_intent(
    client: stripe.StripeClient,
) -> None:
    """https://docs.stripe.com/api/payment_intents/capture: amount_to_capture "must be less
    than or equal to the original amount"; the error code (amount_too_large) is from
    https://docs.stripe.com/error-codes#amount-too-large."""
    _reader, intent_id = authorized(client, 1000)
    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.payment_intents.capture(intent_id, {"amount_to_capture": 1001})
    error = refused.value.error
    assert error is not None
    assert (error.code, error.param) == ("amount_too_large", "amount_to_capture")
    assert error.payment_intent is not None
    assert error.payment_intent.status == "requires_capture"
    assert client.v1.payment_intents.retrieve(intent_id).amount_capturable == 1000


def test_capturing_less_than_authorised_releases_the_rest(client: stripe.StripeClient) -> None:
    """https://docs.stripe.com/api/payment_intents/capture (amount_to_capture: "Any additional
    amount is automatically refunded") and
    https://docs.stripe.com/payments/place-a-hold-on-a-payment-method#capture-funds."""
    _reader, intent_id = authorized(client, 1000)
    captured = client.v1.payment_intents.capture(
        intent_id, {"amount_to_capture": 750, "expand": ["latest_charge"]}
    )
    assert (captured.status, captured.amount_received) == ("succeeded", 750)
    charge = captured.latest_charge
    assert isinstance(charge, stripe.Charge)
    assert (charge.amount_captured, charge.amount_refunded) == (750, 250)


def test_a_refund_of_a_payment_intent_whose_charge_failed_is_refused(
    client: stripe.StripeClient,
) -> None:
    """https://docs.stripe.com/api/refunds/create refunds "a charge that has previously been
    created but not yet refunded"; a declined charge was never paid. The wording and `param`
    are the emulator's choice: Stripe's documentation does not quote this error."""
    reader = register_reader(client)
    intent = create_payment_intent(client)
    process(client, reader.id, intent.id)
    present(client, reader.id, "4000000000000002")  # generic_decline
    declined = client.v1.payment_intents.retrieve(intent.id)
    assert declined.status == "requires_payment_method"
    assert declined.last_payment_error is not None
    assert declined.last_payment_error.charge == declined.latest_charge
    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.refunds.create({"payment_intent": intent.id})
    assert refused.value.param == "payment_intent"


# -- the reader ---------------------------------------------------------------------------------
def test_a_busy_reader_refuses_a_second_payment_with_terminal_reader_busy(
    client: stripe.StripeClient, emulator: EmulatorProcess
) -> None:
    """https://docs.stripe.com/terminal/payments/collect-card-payment?terminal-sdk-platform=server-driven#handle-errors:
    terminal_reader_busy when the reader is processing another request. A payment still
    waiting for a card is replaced by a new process_payment_intent (same page, "Process the
    payment")."""
    reader = register_reader(client)
    first = create_payment_intent(client)
    second = create_payment_intent(client)
    process(client, reader.id, first.id)
    replaced = process(client, reader.id, second.id)
    assert replaced.action is not None
    assert replaced.action.process_payment_intent.payment_intent == second.id  # type: ignore[union-attr]
    emulator.control("POST", f"readers/{reader.id}/busy", {"busy": True})
    try:
        with pytest.raises(stripe.InvalidRequestError) as refused:
            process(client, reader.id, first.id)
    finally:
        emulator.control("POST", f"readers/{reader.id}/busy", {"busy": False})
    assert refused.value.code == "terminal_reader_busy"
    assert refused.value.http_status == 400


def test_cancel_action_after_the_action_completed(client: stripe.StripeClient) -> None:
    """Stripe's documentation is silent on cancel_action once the action has succeeded
    (https://docs.stripe.com/api/terminal/readers/cancel_action only says it cancels "the
    current reader action"). The emulator's choice: it answers 200 and clears the action; the
    authorized PaymentIntent is untouched (canceling that is a PaymentIntent call)."""
    reader_id, intent_id = authorized(client)
    after = client.v1.terminal.readers.cancel_action(reader_id)
    assert after.action is None
    assert client.v1.payment_intents.retrieve(intent_id).status == "requires_capture"


# -- rate limiting --------------------------------------------------------------------------------
def test_a_rate_limited_request_is_a_429_that_did_not_run(
    client: stripe.StripeClient, emulator: EmulatorProcess
) -> None:
    """https://docs.stripe.com/rate-limits: a 429 with error code `rate_limit`; the request was
    not executed, and Stripe advises retrying with an exponential backoff. The
    `Stripe-Rate-Limited-Reason` header is named on that page (it could not be re-read here)."""
    before = len(client.v1.payment_intents.list({"limit": 100}).data)
    emulator.control(
        "POST", "faults", {"method": "POST", "path": "/v1/payment_intents", "kind": "rate_limit"}
    )
    with pytest.raises(stripe.RateLimitError) as limited:
        create_payment_intent(client)
    assert limited.value.http_status == 429
    body: Any = limited.value.json_body
    assert body["error"]["code"] == "rate_limit"
    assert limited.value.headers is not None
    assert limited.value.headers.get("Stripe-Rate-Limited-Reason")
    assert len(client.v1.payment_intents.list({"limit": 100}).data) == before


def test_the_register_retries_a_429_with_its_idempotency_key(emulator: EmulatorProcess) -> None:
    """https://docs.stripe.com/rate-limits (retry with backoff) and
    https://docs.stripe.com/api/idempotent_requests (a retry with the same key cannot run
    twice): two 429s, then the same PaymentIntent, created once."""
    emulator.control(
        "POST",
        "faults",
        {"method": "POST", "path": "/v1/payment_intents", "kind": "rate_limit", "times": 2},
    )
    terminal = StripeTerminal(
        StripeSettings(
            api_key=emulator.test_key,
            api_base=emulator.base_url,
            rate_limit_backoff_s=(0.01, 0.02, 0.04),
        )
    )
    try:
        payment = terminal.create_payment(
            amount_minor=1200,
            currency="usd",
            metadata={"attempt_id": "rate-limited-1"},
            description="Order 1",
            idempotency_key="rate-limited-1",
        )
        again = terminal.create_payment(
            amount_minor=1200,
            currency="usd",
            metadata={"attempt_id": "rate-limited-1"},
            description="Order 1",
            idempotency_key="rate-limited-1",
        )
    finally:
        terminal.close()
    assert again.gateway_payment_id == payment.gateway_payment_id
    requests = emulator.control("GET", "requests")
    creates = [r for r in requests if r["idempotency_key"] == "rate-limited-1"]
    assert [r["status"] for r in creates] == [429, 429, 200, 200]
    assert creates[-1]["replayed"] is True


def test_the_register_gives_up_on_a_429_that_lasts(emulator: EmulatorProcess) -> None:
    """https://docs.stripe.com/rate-limits: back off, but not forever: after its retries the
    register shows the cashier that Stripe is unavailable."""
    emulator.control(
        "POST",
        "faults",
        {"method": "POST", "path": "/v1/payment_intents", "kind": "rate_limit", "times": 4},
    )
    terminal = StripeTerminal(
        StripeSettings(
            api_key=emulator.test_key, api_base=emulator.base_url, rate_limit_backoff_s=(0.01,)
        )
    )
    try:
        with pytest.raises(TerminalError) as failed:
            terminal.create_payment(
                amount_minor=1200,
                currency="usd",
                metadata={},
                description="Order 2",
                idempotency_key="rate-limited-2",
            )
    finally:
        terminal.close()
        emulator.control("DELETE", "faults")
    assert failed.value.kind is TerminalErrorKind.RATE_LIMITED
