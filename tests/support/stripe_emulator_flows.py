"""Small steps of the Terminal server-driven flow, written with the official SDK."""

from __future__ import annotations

from typing import Any

import stripe


def register_reader(client: stripe.StripeClient) -> stripe.terminal.Reader:
    location = client.v1.terminal.locations.create(
        params={
            "display_name": "Counter 1",
            "address": {
                "line1": "1 Market St",
                "city": "San Francisco",
                "state": "CA",
                "postal_code": "94105",
                "country": "US",
            },
        }
    )
    return client.v1.terminal.readers.create(
        params={"registration_code": "simulated-wpe", "location": location.id, "label": "Till"}
    )


def create_payment_intent(
    client: stripe.StripeClient, amount: int = 1000, **extra: Any
) -> stripe.PaymentIntent:
    params: dict[str, Any] = {
        "amount": amount,
        "currency": "usd",
        "payment_method_types": ["card_present"],
        "capture_method": "manual",
        **extra,
    }
    return client.v1.payment_intents.create(params=params)  # type: ignore[arg-type]


def process(
    client: stripe.StripeClient, reader_id: str, payment_intent_id: str
) -> stripe.terminal.Reader:
    return client.v1.terminal.readers.process_payment_intent(
        reader_id, params={"payment_intent": payment_intent_id}
    )


def present(
    client: stripe.StripeClient, reader_id: str, number: str | None = None
) -> stripe.terminal.Reader:
    params: dict[str, Any] = {}
    if number is not None:
        params["card_present"] = {"number": number}
    return client.v1.test_helpers.terminal.readers.present_payment_method(
        reader_id,
        params=params,  # type: ignore[arg-type]
    )


def authorized_payment(
    client: stripe.StripeClient, amount: int = 1000, **extra: Any
) -> tuple[stripe.terminal.Reader, stripe.PaymentIntent]:
    """A reader and a PaymentIntent in requires_capture."""
    reader = register_reader(client)
    payment_intent = create_payment_intent(client, amount, **extra)
    process(client, reader.id, payment_intent.id)
    present(client, reader.id)
    return reader, client.v1.payment_intents.retrieve(payment_intent.id)


def captured_payment(
    client: stripe.StripeClient, amount: int = 1000, **extra: Any
) -> stripe.PaymentIntent:
    _, payment_intent = authorized_payment(client, amount, **extra)
    return client.v1.payment_intents.capture(payment_intent.id)
