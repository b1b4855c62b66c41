"""The Terminal server-driven flow against the emulator, through the official Stripe SDK."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
import stripe

from pos_app.payments.emulator import StripeEmulator
from tests.support.stripe_emulator_fixtures import make_stripe_client
from tests.support.stripe_emulator_flows import (
    authorized_payment,
    create_payment_intent,
    present,
    process,
    register_reader,
)

pytestmark = pytest.mark.stripe_emulator


def test_approve_flow_from_reader_to_capture(
    stripe_client: stripe.StripeClient, stripe_emulator: StripeEmulator
) -> None:
    reader = register_reader(stripe_client)
    assert reader.device_type == "simulated_wisepos_e"
    assert reader.status == "online"
    assert reader.action is None
    payment_intent = create_payment_intent(stripe_client, 1250, metadata={"attempt_id": "a-1"})
    assert payment_intent.status == "requires_payment_method"

    reader = process(stripe_client, reader.id, payment_intent.id)
    assert reader.action is not None
    assert reader.action.type == "process_payment_intent"
    assert reader.action.status == "in_progress"
    assert reader.action.process_payment_intent is not None
    assert reader.action.process_payment_intent.payment_intent == payment_intent.id

    reader = present(stripe_client, reader.id)
    assert reader.action is not None
    assert reader.action.status == "succeeded"
    assert reader.action.failure_code is None

    payment_intent = stripe_client.v1.payment_intents.retrieve(payment_intent.id)
    assert payment_intent.status == "requires_capture"
    assert payment_intent.amount_capturable == 1250
    assert isinstance(payment_intent.latest_charge, str)
    assert payment_intent.latest_charge.startswith("ch_")
    charge = stripe_client.v1.charges.retrieve(payment_intent.latest_charge)
    assert charge.captured is False
    assert charge.payment_method_details is not None
    card = charge.payment_method_details.card_present
    assert card is not None
    assert (card.brand, card.last4) == ("visa", "4242")
    assert card.capture_before == charge.created + 2 * 86400

    payment_intent = stripe_client.v1.payment_intents.capture(payment_intent.id)
    assert payment_intent.status == "succeeded"
    assert payment_intent.amount_received == 1250
    charge = stripe_client.v1.charges.retrieve(charge.id)
    assert charge.captured is True
    assert charge.amount_captured == 1250
    assert charge.balance_transaction is not None

    assert [event["type"] for event in stripe_emulator.events] == [
        "payment_intent.created",
        "charge.succeeded",
        "payment_intent.amount_capturable_updated",
        "terminal.reader.action_succeeded",
        "charge.captured",
        "payment_intent.succeeded",
    ]


DECLINES = [
    (1001, "call_issuer"),
    (1005, "generic_decline"),
    (1055, "incorrect_pin"),
    (1060, "online_or_offline_pin_required"),
    (1065, "withdrawal_count_limit_exceeded"),
    (1075, "pin_try_exceeded"),
]


@pytest.mark.parametrize(("amount", "decline_code"), DECLINES)
def test_each_test_amount_declines_with_its_code(
    stripe_client: stripe.StripeClient, amount: int, decline_code: str
) -> None:
    reader = register_reader(stripe_client)
    payment_intent = create_payment_intent(stripe_client, amount)
    process(stripe_client, reader.id, payment_intent.id)
    reader = present(stripe_client, reader.id)

    assert reader.action is not None
    assert reader.action.status == "failed"
    assert reader.action.failure_code == "card_declined"
    assert reader.action.failure_message == "Your card was declined."
    payment_intent = stripe_client.v1.payment_intents.retrieve(payment_intent.id)
    assert payment_intent.status == "requires_payment_method"
    error = payment_intent.last_payment_error
    assert error is not None
    assert (error.type, error.code, error.decline_code) == (
        "card_error",
        "card_declined",
        decline_code,
    )
    assert error.charge is not None
    charge = stripe_client.v1.charges.retrieve(error.charge)
    assert charge.status == "failed"
    assert charge.outcome is not None
    assert charge.outcome.type == "issuer_declined"


@pytest.mark.parametrize("amount", [1000, 1002, 1003, 2599])
def test_other_test_amounts_approve(stripe_client: stripe.StripeClient, amount: int) -> None:
    _, payment_intent = authorized_payment(stripe_client, amount)
    assert payment_intent.status == "requires_capture"


def test_decline_then_second_card_on_the_same_payment_intent(
    stripe_client: stripe.StripeClient, stripe_emulator: StripeEmulator
) -> None:
    reader = register_reader(stripe_client)
    payment_intent = create_payment_intent(stripe_client, 2000)
    process(stripe_client, reader.id, payment_intent.id)
    reader = present(stripe_client, reader.id, number="4000000000009995")
    assert reader.action is not None
    assert reader.action.failure_code == "card_declined"
    assert reader.action.failure_message == "Your card has insufficient funds."
    declined = stripe_client.v1.payment_intents.retrieve(payment_intent.id)
    assert declined.last_payment_error is not None
    assert declined.last_payment_error.decline_code == "insufficient_funds"

    process(stripe_client, reader.id, payment_intent.id)
    reader = present(stripe_client, reader.id, number="5555555555554444")
    assert reader.action is not None
    assert reader.action.status == "succeeded"
    approved = stripe_client.v1.payment_intents.retrieve(payment_intent.id)
    assert approved.status == "requires_capture"
    assert approved.last_payment_error is None
    assert approved.latest_charge != declined.latest_charge
    charges = stripe_emulator.charges
    assert sorted(c["status"] for c in charges.values()) == ["failed", "succeeded"]
    succeeded = next(c for c in charges.values() if c["status"] == "succeeded")
    assert succeeded["payment_method_details"]["card_present"]["brand"] == "mastercard"


@pytest.mark.parametrize(
    ("number", "code", "decline_code"),
    [
        ("4000000000000002", "card_declined", "generic_decline"),
        ("4000000000009987", "card_declined", "lost_card"),
        ("4000000000009979", "card_declined", "stolen_card"),
        ("4000000000000069", "expired_card", "expired_card"),
        ("4000000000000119", "processing_error", None),
        ("4111111111111112", "incorrect_number", None),
    ],
)
def test_decline_test_card_numbers(
    stripe_client: stripe.StripeClient, number: str, code: str, decline_code: str | None
) -> None:
    reader = register_reader(stripe_client)
    payment_intent = create_payment_intent(stripe_client)
    process(stripe_client, reader.id, payment_intent.id)
    reader = present(stripe_client, reader.id, number=number)
    assert reader.action is not None
    assert reader.action.failure_code == code
    error = stripe_client.v1.payment_intents.retrieve(payment_intent.id).last_payment_error
    assert error is not None
    assert error.code == code
    assert error.to_dict().get("decline_code") == decline_code


def test_on_reader_tip_raises_the_amount(stripe_client: stripe.StripeClient) -> None:
    reader = register_reader(stripe_client)
    payment_intent = create_payment_intent(stripe_client, 1000)
    process(stripe_client, reader.id, payment_intent.id)
    stripe_client.v1.test_helpers.terminal.readers.present_payment_method(
        reader.id, params={"amount_tip": 150}
    )
    payment_intent = stripe_client.v1.payment_intents.retrieve(payment_intent.id)
    assert payment_intent.amount == 1150
    assert payment_intent.amount_capturable == 1150
    assert payment_intent.amount_details is not None
    assert payment_intent.amount_details.tip is not None
    assert payment_intent.amount_details.tip.amount == 150


def test_offline_reader_refuses_commands(
    stripe_client: stripe.StripeClient, stripe_emulator: StripeEmulator
) -> None:
    reader = register_reader(stripe_client)
    payment_intent = create_payment_intent(stripe_client)
    stripe_emulator.set_reader_online(reader.id, False)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        process(stripe_client, reader.id, payment_intent.id)
    assert raised.value.code == "terminal_reader_offline"
    assert raised.value.http_status == 400
    assert "offline" in raised.value.user_message
    listed = stripe_client.v1.terminal.readers.list(params={"status": "offline"})
    assert [r.id for r in listed.data] == [reader.id]

    stripe_emulator.set_reader_online(reader.id, True)
    assert process(stripe_client, reader.id, payment_intent.id).action is not None


def test_busy_reader_refuses_commands(
    stripe_client: stripe.StripeClient, stripe_emulator: StripeEmulator
) -> None:
    reader = register_reader(stripe_client)
    payment_intent = create_payment_intent(stripe_client)
    stripe_emulator.set_reader_busy(reader.id, True)
    calls: list[Callable[[], object]] = [
        lambda: process(stripe_client, reader.id, payment_intent.id),
        lambda: stripe_client.v1.terminal.readers.cancel_action(reader.id),
    ]
    for call in calls:
        with pytest.raises(stripe.InvalidRequestError) as raised:
            call()
        assert raised.value.code == "terminal_reader_busy"


def test_reader_is_busy_while_a_presented_card_is_being_authorized(
    make_stripe_emulator: Callable[..., StripeEmulator],
) -> None:
    with make_stripe_emulator(authorization_delay=30.0) as emulator:
        client, http = make_stripe_client(emulator)
        reader = register_reader(client)
        payment_intent = create_payment_intent(client)
        process(client, reader.id, payment_intent.id)
        in_flight = present(client, reader.id)
        assert in_flight.action is not None
        assert in_flight.action.status == "in_progress"
        other = create_payment_intent(client)
        with pytest.raises(stripe.InvalidRequestError) as raised:
            process(client, reader.id, other.id)
        assert raised.value.code == "terminal_reader_busy"
        with pytest.raises(stripe.InvalidRequestError) as raised:
            client.v1.terminal.readers.cancel_action(reader.id)
        assert raised.value.code == "terminal_reader_busy"

        emulator.advance_clock(30)
        done = client.v1.terminal.readers.retrieve(reader.id)
        assert done.action is not None
        assert done.action.status == "succeeded"
        assert client.v1.payment_intents.retrieve(payment_intent.id).status == "requires_capture"
        http.close()


def test_a_payment_waiting_for_a_card_can_be_replaced(stripe_client: stripe.StripeClient) -> None:
    reader = register_reader(stripe_client)
    first = create_payment_intent(stripe_client, 1000)
    second = create_payment_intent(stripe_client, 1500)
    process(stripe_client, reader.id, first.id)
    reader = process(stripe_client, reader.id, second.id)
    assert reader.action is not None
    assert reader.action.process_payment_intent is not None
    assert reader.action.process_payment_intent.payment_intent == second.id
    present(stripe_client, reader.id)
    assert stripe_client.v1.payment_intents.retrieve(first.id).status == "requires_payment_method"
    assert stripe_client.v1.payment_intents.retrieve(second.id).status == "requires_capture"


def test_processing_a_payment_intent_not_awaiting_payment_is_refused(
    stripe_client: stripe.StripeClient,
) -> None:
    reader, payment_intent = authorized_payment(stripe_client)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        process(stripe_client, reader.id, payment_intent.id)
    assert raised.value.code == "intent_invalid_state"


def test_cancel_action_clears_the_reader(stripe_client: stripe.StripeClient) -> None:
    reader = register_reader(stripe_client)
    payment_intent = create_payment_intent(stripe_client)
    process(stripe_client, reader.id, payment_intent.id)
    reader = stripe_client.v1.terminal.readers.cancel_action(reader.id)
    assert reader.action is None
    assert stripe_client.v1.payment_intents.retrieve(payment_intent.id).status == (
        "requires_payment_method"
    )
    with pytest.raises(stripe.InvalidRequestError):
        present(stripe_client, reader.id)


def test_customer_cancel_on_the_reader_fails_the_action(
    stripe_client: stripe.StripeClient, stripe_emulator: StripeEmulator
) -> None:
    reader = register_reader(stripe_client)
    payment_intent = create_payment_intent(stripe_client)
    process(stripe_client, reader.id, payment_intent.id)
    stripe_emulator.customer_cancel(reader.id)
    reader = stripe_client.v1.terminal.readers.retrieve(reader.id)
    assert reader.action is not None
    assert reader.action.status == "failed"
    assert reader.action.failure_code == "customer_canceled"
    assert stripe_emulator.events_of_type("terminal.reader.action_failed")
    # The PaymentIntent is untouched and can go round again.
    assert stripe_client.v1.payment_intents.retrieve(payment_intent.id).status == (
        "requires_payment_method"
    )
    process(stripe_client, reader.id, payment_intent.id)


def test_an_action_nobody_completes_times_out(
    stripe_client: stripe.StripeClient, stripe_emulator: StripeEmulator
) -> None:
    reader = register_reader(stripe_client)
    payment_intent = create_payment_intent(stripe_client)
    process(stripe_client, reader.id, payment_intent.id)
    stripe_emulator.advance_clock(299)
    waiting = stripe_client.v1.terminal.readers.retrieve(reader.id)
    assert waiting.action is not None
    assert waiting.action.status == "in_progress"
    stripe_emulator.advance_clock(2)
    timed_out = stripe_client.v1.terminal.readers.retrieve(reader.id)
    assert timed_out.action is not None
    assert timed_out.action.status == "failed"
    assert timed_out.action.failure_code == "terminal_reader_timeout"


def test_set_reader_display_shows_the_cart(stripe_client: stripe.StripeClient) -> None:
    reader = register_reader(stripe_client)
    reader = stripe_client.v1.terminal.readers.set_reader_display(
        reader.id,
        params={
            "type": "cart",
            "cart": {
                "currency": "usd",
                "line_items": [
                    {"description": "Latte", "amount": 450, "quantity": 2},
                    {"description": "Croissant", "amount": 325, "quantity": 1},
                ],
                "tax": 98,
                "total": 1323,
            },
        },
    )
    assert reader.action is not None
    assert reader.action.type == "set_reader_display"
    assert reader.action.status == "in_progress"
    display = reader.action.set_reader_display
    assert display is not None
    assert display.cart is not None
    assert display.cart.total == 1323
    assert [item.description for item in display.cart.line_items] == ["Latte", "Croissant"]
    # The cart gives way to the payment.
    payment_intent = create_payment_intent(stripe_client, 1323)
    reader = process(stripe_client, reader.id, payment_intent.id)
    assert reader.action is not None
    assert reader.action.type == "process_payment_intent"


def test_only_the_simulated_registration_code_registers(stripe_client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError) as raised:
        stripe_client.v1.terminal.readers.create(params={"registration_code": "purple-cat-sky"})
    assert raised.value.param == "registration_code"
    assert raised.value.http_status == 400


def test_reader_acknowledgement_timeout_can_be_a_false_negative(
    stripe_client: stripe.StripeClient, stripe_emulator: StripeEmulator
) -> None:
    reader = register_reader(stripe_client)
    payment_intent = create_payment_intent(stripe_client)
    stripe_emulator.add_reader_fault(reader.id, "ack_timeout")
    with pytest.raises(stripe.InvalidRequestError) as raised:
        process(stripe_client, reader.id, payment_intent.id)
    assert raised.value.code == "terminal_reader_timeout"
    assert stripe_client.v1.terminal.readers.retrieve(reader.id).action is None

    stripe_emulator.add_reader_fault(reader.id, "ack_timeout_delivered")
    with pytest.raises(stripe.InvalidRequestError):
        process(stripe_client, reader.id, payment_intent.id)
    action = stripe_client.v1.terminal.readers.retrieve(reader.id).action
    assert action is not None
    assert action.status == "in_progress"  # the reader got it after all


def test_connection_error_after_authorization_leaves_an_authorized_payment(
    stripe_client: stripe.StripeClient, stripe_emulator: StripeEmulator
) -> None:
    reader = register_reader(stripe_client)
    payment_intent = create_payment_intent(stripe_client)
    process(stripe_client, reader.id, payment_intent.id)
    stripe_emulator.add_reader_fault(reader.id, "connection_error_after_auth")
    reader = present(stripe_client, reader.id)
    assert reader.action is not None
    assert reader.action.failure_code == "connection_error"
    # The reader says failed; the PaymentIntent says the card was authorized.
    assert stripe_client.v1.payment_intents.retrieve(payment_intent.id).status == (
        "requires_capture"
    )


def test_demo_reader_taps_a_card_by_itself(
    make_stripe_emulator: Callable[..., StripeEmulator],
) -> None:
    with make_stripe_emulator(auto_present_delay=0.05) as emulator:
        client, http = make_stripe_client(emulator)
        reader = register_reader(client)
        payment_intent = create_payment_intent(client)
        process(client, reader.id, payment_intent.id)
        deadline = time.monotonic() + 5
        status = ""
        while time.monotonic() < deadline:
            status = client.v1.payment_intents.retrieve(payment_intent.id).status
            if status == "requires_capture":
                break
            time.sleep(0.02)
        assert status == "requires_capture"
        http.close()


def test_readers_list_filters_by_location(stripe_client: stripe.StripeClient) -> None:
    first = register_reader(stripe_client)
    second = register_reader(stripe_client)
    assert first.location != second.location
    listed = stripe_client.v1.terminal.readers.list(params={"location": str(second.location)})
    assert [reader.id for reader in listed.data] == [second.id]
    assert len(stripe_client.v1.terminal.readers.list().data) == 2
    locations = stripe_client.v1.terminal.locations.list()
    assert {loc.id for loc in locations.data} == {first.location, second.location}


def test_canceling_the_payment_intent_fails_the_waiting_reader_action(
    stripe_client: stripe.StripeClient, stripe_emulator: StripeEmulator
) -> None:
    reader = register_reader(stripe_client)
    payment_intent = create_payment_intent(stripe_client)
    process(stripe_client, reader.id, payment_intent.id)
    stripe_client.v1.payment_intents.cancel(payment_intent.id)
    reader = stripe_client.v1.terminal.readers.retrieve(reader.id)
    assert reader.action is not None
    assert reader.action.status == "failed"
    assert reader.action.failure_code == "intent_invalid_state"
    assert stripe_emulator.charges == {}
