"""PaymentIntents, refunds, search and Stripe's error answers, through the SDK and raw httpx."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import stripe

from pos_app.payments.emulator import StripeEmulator
from tests.support.stripe_emulator_flows import (
    authorized_payment,
    captured_payment,
    create_payment_intent,
)

pytestmark = pytest.mark.stripe_emulator


def test_cancel_releases_an_authorized_payment(
    stripe_client: stripe.StripeClient, stripe_emulator: StripeEmulator
) -> None:
    _, payment_intent = authorized_payment(stripe_client, 1800)
    canceled = stripe_client.v1.payment_intents.cancel(
        payment_intent.id, params={"cancellation_reason": "abandoned"}
    )
    assert canceled.status == "canceled"
    assert canceled.cancellation_reason == "abandoned"
    assert canceled.amount_capturable == 0
    assert canceled.canceled_at is not None
    assert isinstance(canceled.latest_charge, str)
    charge = stripe_client.v1.charges.retrieve(canceled.latest_charge)
    assert charge.refunded is True
    assert charge.amount_refunded == 1800
    assert "payment_intent.canceled" in [e["type"] for e in stripe_emulator.events]

    with pytest.raises(stripe.InvalidRequestError) as raised:
        stripe_client.v1.payment_intents.capture(payment_intent.id)
    assert raised.value.code == "payment_intent_unexpected_state"


def test_a_succeeded_payment_cannot_be_canceled(stripe_client: stripe.StripeClient) -> None:
    payment_intent = captured_payment(stripe_client)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        stripe_client.v1.payment_intents.cancel(payment_intent.id)
    assert raised.value.code == "payment_intent_unexpected_state"
    assert raised.value.user_message is not None
    assert "status of succeeded" in raised.value.user_message


def test_partial_capture_releases_the_rest(stripe_client: stripe.StripeClient) -> None:
    _, payment_intent = authorized_payment(stripe_client, 2000)
    captured = stripe_client.v1.payment_intents.capture(
        payment_intent.id, params={"amount_to_capture": 1500}
    )
    assert (captured.status, captured.amount_received) == ("succeeded", 1500)
    assert isinstance(captured.latest_charge, str)
    charge = stripe_client.v1.charges.retrieve(captured.latest_charge)
    assert (charge.amount_captured, charge.amount_refunded, charge.refunded) == (1500, 500, False)
    refund = stripe_client.v1.refunds.create(params={"payment_intent": captured.id})
    assert refund.amount == 1500


def test_capture_more_than_authorized_is_refused(stripe_client: stripe.StripeClient) -> None:
    _, payment_intent = authorized_payment(stripe_client, 2000)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        stripe_client.v1.payment_intents.capture(
            payment_intent.id, params={"amount_to_capture": 2001}
        )
    assert raised.value.param == "amount_to_capture"


def test_refunds_partial_then_the_rest_then_nothing_left(
    stripe_client: stripe.StripeClient, stripe_emulator: StripeEmulator
) -> None:
    payment_intent = captured_payment(stripe_client, 3000)
    first = stripe_client.v1.refunds.create(
        params={
            "payment_intent": payment_intent.id,
            "amount": 1000,
            "reason": "requested_by_customer",
            "metadata": {"order_line": "7"},
        }
    )
    assert (first.status, first.amount, first.reason) == (
        "succeeded",
        1000,
        "requested_by_customer",
    )
    assert first.metadata is not None
    assert first.metadata.to_dict() == {"order_line": "7"}
    assert isinstance(payment_intent.latest_charge, str)
    charge = stripe_client.v1.charges.retrieve(payment_intent.latest_charge)
    assert (charge.amount_refunded, charge.refunded) == (1000, False)

    with pytest.raises(stripe.InvalidRequestError) as raised:
        stripe_client.v1.refunds.create(
            params={"payment_intent": payment_intent.id, "amount": 2001}
        )
    assert raised.value.param == "amount"
    assert raised.value.user_message == (
        "Refund amount ($20.01) is greater than unrefunded amount on charge ($20.00)"
    )

    rest = stripe_client.v1.refunds.create(params={"charge": charge.id})
    assert rest.amount == 2000
    charge = stripe_client.v1.charges.retrieve(charge.id)
    assert (charge.amount_refunded, charge.refunded) == (3000, True)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        stripe_client.v1.refunds.create(params={"payment_intent": payment_intent.id})
    assert raised.value.code == "charge_already_refunded"

    listed = stripe_client.v1.refunds.list(params={"payment_intent": payment_intent.id})
    assert [r.id for r in listed.data] == [rest.id, first.id]
    assert stripe_client.v1.refunds.retrieve(first.id).amount == 1000
    assert len(stripe_emulator.events_of_type("charge.refunded")) == 2


def test_refund_of_an_uncaptured_payment_is_refused(stripe_client: stripe.StripeClient) -> None:
    _, payment_intent = authorized_payment(stripe_client)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        stripe_client.v1.refunds.create(params={"payment_intent": payment_intent.id})
    assert raised.value.param == "payment_intent"


def test_refund_fail_test_card_fails_after_looking_fine(
    stripe_client: stripe.StripeClient, stripe_emulator: StripeEmulator
) -> None:
    from tests.support.stripe_emulator_flows import present, process, register_reader

    reader = register_reader(stripe_client)
    payment_intent = create_payment_intent(stripe_client)
    process(stripe_client, reader.id, payment_intent.id)
    present(stripe_client, reader.id, number="4000000000005126")
    payment_intent = stripe_client.v1.payment_intents.capture(payment_intent.id)
    refund = stripe_client.v1.refunds.create(params={"payment_intent": payment_intent.id})
    assert refund.status == "succeeded"
    later = stripe_client.v1.refunds.retrieve(refund.id)
    assert later.status == "failed"
    assert later.failure_reason == "expired_or_canceled_card"
    assert stripe_emulator.events_of_type("charge.refund.updated")


def test_authorization_expires_after_two_days(
    stripe_client: stripe.StripeClient, stripe_emulator: StripeEmulator
) -> None:
    _, payment_intent = authorized_payment(stripe_client)
    stripe_emulator.advance_clock(2 * 86400 - 60)
    assert stripe_client.v1.payment_intents.retrieve(payment_intent.id).status == (
        "requires_capture"
    )
    stripe_emulator.advance_clock(61)
    expired = stripe_client.v1.payment_intents.retrieve(payment_intent.id)
    assert expired.status == "canceled"
    assert expired.cancellation_reason == "automatic"
    refunds = stripe_client.v1.refunds.list(params={"payment_intent": payment_intent.id})
    assert [r.reason for r in refunds.data] == ["expired_uncaptured_charge"]
    assert stripe_emulator.events_of_type("charge.expired")
    with pytest.raises(stripe.InvalidRequestError) as raised:
        stripe_client.v1.payment_intents.capture(payment_intent.id)
    assert raised.value.code == "payment_intent_unexpected_state"


def test_search_by_metadata_and_status(stripe_client: stripe.StripeClient) -> None:
    wanted = create_payment_intent(stripe_client, metadata={"attempt_id": "att-42"})
    create_payment_intent(stripe_client, metadata={"attempt_id": "att-43"})
    found = stripe_client.v1.payment_intents.search(
        params={"query": "metadata['attempt_id']:'att-42'"}
    )
    assert [pi.id for pi in found.data] == [wanted.id]
    found = stripe_client.v1.payment_intents.search(
        params={"query": "metadata['attempt_id']:'att-42' AND status:'requires_payment_method'"}
    )
    assert [pi.id for pi in found.data] == [wanted.id]
    none = stripe_client.v1.payment_intents.search(
        params={"query": "metadata['attempt_id']:'att-42' AND status:'succeeded'"}
    )
    assert none.data == []
    with pytest.raises(stripe.InvalidRequestError) as raised:
        stripe_client.v1.payment_intents.search(params={"query": "colour:'red'"})
    assert raised.value.param == "query"


def test_search_pages_through_results(stripe_client: stripe.StripeClient) -> None:
    created = [create_payment_intent(stripe_client, metadata={"shift": "s1"}).id for _ in range(5)]
    seen: list[str] = []
    page = stripe_client.v1.payment_intents.search(
        params={"query": 'metadata["shift"]:"s1"', "limit": 2}
    )
    seen.extend(pi.id for pi in page.data)
    while page.has_more:
        assert page.next_page is not None
        page = stripe_client.v1.payment_intents.search(
            params={"query": 'metadata["shift"]:"s1"', "limit": 2, "page": page.next_page}
        )
        seen.extend(pi.id for pi in page.data)
    assert seen == list(reversed(created))


def test_list_paginates_newest_first(stripe_client: stripe.StripeClient) -> None:
    created = [create_payment_intent(stripe_client).id for _ in range(5)]
    first = stripe_client.v1.payment_intents.list(params={"limit": 3})
    assert [pi.id for pi in first.data] == list(reversed(created))[:3]
    assert first.has_more is True
    second = stripe_client.v1.payment_intents.list(
        params={"limit": 3, "starting_after": first.data[-1].id}
    )
    assert [pi.id for pi in second.data] == list(reversed(created))[3:]
    assert second.has_more is False
    recent = stripe_client.v1.payment_intents.list(
        params={"created": {"gte": first.data[0].created}}
    )
    assert len(recent.data) >= 1


def test_update_metadata_and_amount_while_awaiting_payment(
    stripe_client: stripe.StripeClient,
) -> None:
    payment_intent = create_payment_intent(stripe_client, 1000, metadata={"a": "1", "b": "2"})
    updated = stripe_client.v1.payment_intents.update(
        payment_intent.id, params={"amount": 1200, "metadata": {"a": "", "c": "3"}}
    )
    assert updated.amount == 1200
    assert updated.metadata.to_dict() == {"b": "2", "c": "3"}
    _, authorized = authorized_payment(stripe_client)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        stripe_client.v1.payment_intents.update(authorized.id, params={"amount": 5000})
    assert raised.value.code == "payment_intent_unexpected_state"
    tagged = stripe_client.v1.payment_intents.update(
        authorized.id, params={"metadata": {"order": "o-9"}}
    )
    assert tagged.metadata["order"] == "o-9"


def test_expand_latest_charge(stripe_client: stripe.StripeClient) -> None:
    payment_intent = captured_payment(stripe_client)
    expanded = stripe_client.v1.payment_intents.retrieve(
        payment_intent.id, params={"expand": ["latest_charge"]}
    )
    assert isinstance(expanded.latest_charge, stripe.Charge)
    assert expanded.latest_charge.amount_captured == 1000


def test_amount_below_minimum_is_refused(stripe_client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError) as raised:
        create_payment_intent(stripe_client, 49)
    assert raised.value.code == "amount_too_small"


# -- wire-level answers, with raw httpx ---------------------------------------------------------
@pytest.fixture
def raw(stripe_emulator: StripeEmulator) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stripe_emulator.base_url, timeout=5) as client:
        yield client


def auth(emulator: StripeEmulator) -> dict[str, str]:
    return {"Authorization": f"Bearer {emulator.test_key}"}


def test_missing_and_bad_keys_get_401(raw: httpx.Client, stripe_emulator: StripeEmulator) -> None:
    no_key = raw.get("/v1/payment_intents")
    assert no_key.status_code == 401
    assert no_key.json()["error"]["type"] == "invalid_request_error"
    assert "Request-Id" in no_key.headers
    bad = raw.get("/v1/payment_intents", headers={"Authorization": "Bearer nonsense_key_1234"})
    assert bad.status_code == 401
    assert bad.json()["error"]["message"].startswith("Invalid API Key provided")
    live = raw.get("/v1/payment_intents", headers={"Authorization": "Bearer sk_live_abcdef123456"})
    assert live.status_code == 401
    assert "test mode" in live.json()["error"]["message"]
    restricted = raw.get(
        "/v1/payment_intents", headers={"Authorization": "Bearer rk_test_restricted0001"}
    )
    assert restricted.status_code == 200
    basic = raw.get("/v1/payment_intents", auth=(stripe_emulator.test_key, ""))
    assert basic.status_code == 200


def test_list_objects_have_stripe_shape(raw: httpx.Client, stripe_emulator: StripeEmulator) -> None:
    answer = raw.get("/v1/terminal/readers", headers=auth(stripe_emulator))
    assert answer.status_code == 200
    assert answer.json() == {
        "object": "list",
        "data": [],
        "has_more": False,
        "url": "/v1/terminal/readers",
    }
    assert answer.headers["Request-Id"].startswith("req_")
    assert answer.headers["Stripe-Version"] == "2023-08-16"


def test_unknown_endpoint_and_object_get_404(
    raw: httpx.Client, stripe_emulator: StripeEmulator
) -> None:
    endpoint = raw.get("/v1/nothing_here", headers=auth(stripe_emulator))
    assert endpoint.status_code == 404
    assert endpoint.json()["error"]["message"].startswith("Unrecognized request URL (GET: ")
    missing = raw.get("/v1/payment_intents/pi_doesnotexist", headers=auth(stripe_emulator))
    assert missing.status_code == 404
    assert missing.json()["error"] == {
        "code": "resource_missing",
        "doc_url": "https://stripe.com/docs/error-codes/resource-missing",
        "message": "No such payment_intent: 'pi_doesnotexist'",
        "param": "intent",
        "request_log_url": missing.json()["error"]["request_log_url"],
        "type": "invalid_request_error",
    }


def test_emulator_rejects_unknown_parameters_without_the_spec() -> None:
    with StripeEmulator() as emulator, httpx.Client(base_url=emulator.base_url) as client:
        answer = client.post(
            "/v1/payment_intents",
            headers=auth(emulator),
            data={"amount": "1000", "currency": "usd", "colour": "red"},
        )
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "parameter_unknown"
    assert answer.json()["error"]["param"] == "colour"


def test_requests_are_recorded_without_the_key(
    stripe_client: stripe.StripeClient, stripe_emulator: StripeEmulator
) -> None:
    create_payment_intent(stripe_client, 1000, metadata={"attempt_id": "r-1"})
    recorded = [r for r in stripe_emulator.requests if r.path == "/v1/payment_intents"]
    assert len(recorded) == 1
    request = recorded[0]
    assert request.method == "POST"
    assert request.status == 200
    assert request.params["metadata"] == {"attempt_id": "r-1"}
    assert request.params["payment_method_types"] == {"0": "card_present"}
    assert request.idempotency_key
    assert request.api_key_last4 == stripe_emulator.test_key[-4:]
    assert all(name.lower() != "authorization" for name in request.headers)
    assert request.headers["Stripe-Version"] == "2023-08-16"
