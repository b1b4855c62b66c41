"""Checkout in setup mode against the emulator: a customer saves the card its invoices charge.

What the platform's "Payment method" page needs (a shop's owner saves or changes the card the
fee invoices are charged to): a session in setup mode, its hosted page with Stripe's test
cards, the redirect back with `{CHECKOUT_SESSION_ID}` filled in, the SetupIntent and
PaymentMethod it leaves, the events, cancel and expiry. Real HTTP over loopback (the official
SDK for the API, a plain HTTP client as the browser); every API request is checked against
Stripe's OpenAPI description and the fixtures fail a test that sent one Stripe would refuse.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import stripe

from pos_app.payments.emulator import StripeEmulator
from pos_app.payments.emulator.openapi_check import OpenAPIChecker
from tests.support.stripe_emulator_fixtures import (
    WebhookReceiver,
    assert_emulator_clean,
    make_stripe_client,
    require_openapi_spec,
)

pytestmark = pytest.mark.stripe_emulator

DAY = 86400
RETURN = "http://127.0.0.1:9/console/payment-method/done?session_id={CHECKOUT_SESSION_ID}"
CANCEL = "http://127.0.0.1:9/console/payment-method/done?cancelled=1"


@pytest.fixture
def browser() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5, follow_redirects=False) as client:
        yield client


@pytest.fixture
def api(stripe_emulator: StripeEmulator) -> Iterator[httpx.Client]:
    """The API as the server's client speaks it (form-encoded httpx, no SDK)."""
    with httpx.Client(
        base_url=stripe_emulator.base_url,
        headers={
            "Authorization": f"Bearer {stripe_emulator.test_key}",
            "Stripe-Version": "2023-08-16",
        },
        timeout=5,
    ) as client:
        yield client


def customer(client: stripe.StripeClient, tenant: str = "t-1") -> stripe.Customer:
    return client.v1.customers.create(
        params={"email": f"owner@{tenant}.example", "metadata": {"tenant_id": tenant}}
    )


def setup_session(
    client: stripe.StripeClient, customer_id: str, **extra: object
) -> stripe.checkout.Session:
    params: dict[str, object] = {
        "mode": "setup",
        "customer": customer_id,
        "success_url": RETURN,
        "cancel_url": CANCEL,
        "payment_method_types": ["card"],
        "metadata": {"tenant_id": "t-1", "purpose": "card_setup"},
        **extra,
    }
    return client.v1.checkout.sessions.create(params=params)  # type: ignore[arg-type]


def test_saving_4242_attaches_a_card_completes_the_session_and_redirects_back(
    stripe_client: stripe.StripeClient,
    stripe_emulator: StripeEmulator,
    browser: httpx.Client,
    api: httpx.Client,
) -> None:
    require_openapi_spec()
    shop = customer(stripe_client)
    session = setup_session(stripe_client, shop.id)
    assert session.id.startswith("cs_test_")
    assert len(session.id) <= 66
    assert (session.object, session.mode, session.status) == ("checkout.session", "setup", "open")
    assert session.customer == shop.id
    assert session.metadata is not None
    assert session.metadata.to_dict() == {"tenant_id": "t-1", "purpose": "card_setup"}
    assert session.payment_status == "no_payment_required"
    assert session.expires_at == session.created + DAY
    assert session.url is not None
    assert session.url.startswith(stripe_emulator.base_url)
    assert isinstance(session.setup_intent, str)
    intent = stripe_client.v1.setup_intents.retrieve(session.setup_intent)
    assert (intent.status, intent.customer, intent.payment_method) == (
        "requires_payment_method",
        shop.id,
        None,
    )

    page = browser.get(session.url)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "4242 4242 4242 4242" in page.text
    assert "4000 0000 0000 0341" in page.text
    saved = browser.post(f"{session.url}/confirm", data={"card": "4242424242424242"})
    assert saved.status_code == 303
    assert saved.headers["location"] == RETURN.replace("{CHECKOUT_SESSION_ID}", session.id)

    done = api.get(
        f"/v1/checkout/sessions/{session.id}", params={"expand[]": "setup_intent.payment_method"}
    ).json()
    assert (done["status"], done["url"]) == ("complete", None)
    assert done["success_url"] == RETURN  # the placeholder is filled in the redirect only
    assert done["customer_details"]["email"] == "owner@t-1.example"
    assert done["setup_intent"]["status"] == "succeeded"
    card = done["setup_intent"]["payment_method"]
    assert card["customer"] == shop.id
    assert (card["card"]["brand"], card["card"]["last4"]) == ("visa", "4242")
    assert (card["card"]["exp_month"], card["card"]["exp_year"]) == (12, 2034)
    listed = stripe_client.v1.customers.payment_methods.list(shop.id)
    assert [pm.id for pm in listed.data] == [card["id"]]
    assert [event["type"] for event in stripe_emulator.events] == [
        "customer.created",
        "setup_intent.created",
        "payment_method.attached",
        "setup_intent.succeeded",
        "checkout.session.completed",
    ]
    completed = stripe_emulator.events_of_type("checkout.session.completed")[0]
    assert completed["data"]["object"]["metadata"]["tenant_id"] == "t-1"

    # The card is the customer's to make default; the session does not do it (as at Stripe).
    assert stripe_client.v1.customers.retrieve(shop.id).invoice_settings is not None
    again = browser.post(f"{session.url}/confirm", data={"card": "4242424242424242"})
    assert again.status_code == 400
    assert "complete" in browser.get(session.url).text


def test_the_hosted_page_speaks_the_sessions_locale(
    stripe_client: stripe.StripeClient,
    stripe_emulator: StripeEmulator,
    browser: httpx.Client,
    api: httpx.Client,
) -> None:
    """`locale` (one of Stripe's tags) is kept and echoed on the session, as Stripe does, and
    the page's own words follow it (Portuguese for `pt-BR` and `pt`; English otherwise, as
    for none or `auto`: the browser's language)."""
    require_openapi_spec()
    shop = customer(stripe_client)
    portuguese = setup_session(stripe_client, shop.id, locale="pt-BR")
    assert portuguese.locale == "pt-BR"
    assert stripe_client.v1.checkout.sessions.retrieve(portuguese.id).locale == "pt-BR"
    assert portuguese.url is not None
    page = browser.get(portuguese.url).text
    assert '<html lang="pt-BR">' in page
    assert "<h1>Salvar um cartão</h1>" in page
    assert '<button type="submit" id="save-card">Salvar cartão</button>' in page
    assert '<button type="submit" id="cancel">Cancelar</button>' in page
    for locale, heading in (("en", "Save a card"), ("auto", "Save a card"), ("pt", "Salvar")):
        session = setup_session(stripe_client, shop.id, locale=locale)
        assert session.locale == locale
        assert session.url is not None
        assert f"<h1>{heading}" in browser.get(session.url).text, locale
    unset = setup_session(stripe_client, shop.id)
    assert unset.locale is None
    assert unset.url is not None
    assert '<html lang="en">' in browser.get(unset.url).text
    # A tag Stripe does not know is refused, as Stripe refuses it.
    wrong = api.post(
        "/v1/checkout/sessions",
        data={"mode": "setup", "customer": shop.id, "success_url": RETURN, "locale": "pt_BR"},
    )
    assert (wrong.status_code, wrong.json()["error"]["param"]) == (400, "locale")
    assert [v.path for v in stripe_emulator.take_spec_violations()] == ["/v1/checkout/sessions"]


def test_a_card_declined_at_setup_is_told_on_the_page_and_the_session_stays_open(
    stripe_client: stripe.StripeClient, stripe_emulator: StripeEmulator, browser: httpx.Client
) -> None:
    shop = customer(stripe_client)
    session = setup_session(stripe_client, shop.id)
    assert session.url is not None
    declined = browser.post(f"{session.url}/confirm", data={"card": "4000000000000002"})
    assert declined.status_code == 402
    assert "Your card was declined." in declined.text
    assert 'role="alert"' in declined.text
    assert "<form" in declined.text  # another card can be tried
    broke = browser.post(f"{session.url}/confirm", data={"card": "4000000000009995"})
    assert "Your card has insufficient funds." in broke.text
    assert isinstance(session.setup_intent, str)
    intent = stripe_client.v1.setup_intents.retrieve(session.setup_intent)
    assert intent.status == "requires_payment_method"
    assert intent.last_setup_error is not None
    assert intent.last_setup_error.decline_code == "insufficient_funds"
    assert stripe_client.v1.checkout.sessions.retrieve(session.id).status == "open"
    assert stripe_client.v1.customers.payment_methods.list(shop.id).data == []
    assert "checkout.session.completed" not in [e["type"] for e in stripe_emulator.events]
    unknown = browser.post(f"{session.url}/confirm", data={"card": "1234"})
    assert unknown.status_code == 402
    assert "Your card number is incorrect." in unknown.text

    saved = browser.post(f"{session.url}/confirm", data={"card": "5555555555554444"})
    assert saved.status_code == 303
    intent = stripe_client.v1.setup_intents.retrieve(session.setup_intent)
    assert (intent.status, intent.last_setup_error) == ("succeeded", None)


def test_0341_saves_and_then_every_charge_of_it_is_declined(
    stripe_client: stripe.StripeClient, browser: httpx.Client, api: httpx.Client
) -> None:
    shop = customer(stripe_client)
    session = setup_session(stripe_client, shop.id, currency="usd", payment_method_types=None)
    assert session.url is not None
    assert browser.post(f"{session.url}/confirm", data={"card": "4000000000000341"}).status_code
    done = api.get(f"/v1/checkout/sessions/{session.id}", params={"expand[]": "setup_intent"})
    card = done.json()["setup_intent"]["payment_method"]
    stripe_client.v1.customers.update(
        shop.id, params={"invoice_settings": {"default_payment_method": card}}
    )
    stripe_client.v1.invoice_items.create(
        params={"customer": shop.id, "amount": 1500, "currency": "usd"}
    )
    invoice = stripe_client.v1.invoices.create(
        params={"customer": shop.id, "pending_invoice_items_behavior": "include"}
    )
    stripe_client.v1.invoices.finalize_invoice(invoice.id)
    with pytest.raises(stripe.CardError) as declined:
        stripe_client.v1.invoices.pay(invoice.id)
    assert declined.value.code == "card_declined"
    assert stripe_client.v1.invoices.retrieve(invoice.id).status == "open"


def test_cancel_goes_back_and_expiring_cancels_the_setup_intent(
    stripe_client: stripe.StripeClient, stripe_emulator: StripeEmulator, browser: httpx.Client
) -> None:
    shop = customer(stripe_client)
    session = setup_session(stripe_client, shop.id)
    assert session.url is not None
    back = browser.post(f"{session.url}/cancel")
    assert (back.status_code, back.headers["location"]) == (303, CANCEL)
    assert stripe_client.v1.checkout.sessions.retrieve(session.id).status == "open"

    expired = stripe_client.v1.checkout.sessions.expire(session.id)
    assert (expired.status, expired.url) == ("expired", None)
    assert isinstance(session.setup_intent, str)
    intent = stripe_client.v1.setup_intents.retrieve(session.setup_intent)
    assert (intent.status, intent.cancellation_reason) == ("canceled", "abandoned")
    assert "This session is expired." in browser.get(session.url).text
    assert browser.post(f"{session.url}/confirm", data={"card": "4242424242424242"}).status_code
    assert stripe_client.v1.customers.payment_methods.list(shop.id).data == []
    with pytest.raises(stripe.InvalidRequestError) as twice:
        stripe_client.v1.checkout.sessions.expire(session.id)
    assert 'status of "expired"' in str(twice.value.user_message)
    types = [event["type"] for event in stripe_emulator.events]
    assert types[-2:] == ["setup_intent.canceled", "checkout.session.expired"]


def test_a_session_expires_after_24_hours_by_the_emulators_clock(
    stripe_client: stripe.StripeClient, stripe_emulator: StripeEmulator, browser: httpx.Client
) -> None:
    shop = customer(stripe_client)
    session = setup_session(stripe_client, shop.id)
    soon = setup_session(stripe_client, shop.id, expires_at=session.created + 3600)
    stripe_emulator.advance_clock(3600 + 1)
    assert stripe_client.v1.checkout.sessions.retrieve(soon.id).status == "expired"
    assert stripe_client.v1.checkout.sessions.retrieve(session.id).status == "open"
    stripe_emulator.advance_clock(DAY)
    assert stripe_client.v1.checkout.sessions.retrieve(session.id).status == "expired"
    assert session.url is not None
    assert "expired" in browser.get(session.url).text
    expired = stripe_emulator.events_of_type("checkout.session.expired")
    assert [event["data"]["object"]["id"] for event in expired] == [soon.id, session.id]
    listed = stripe_client.v1.checkout.sessions.list(params={"customer": shop.id})
    assert {item.id for item in listed.data} == {session.id, soon.id}


def test_completion_reaches_a_webhook_endpoint_with_the_sessions_metadata(
    stripe_client: stripe.StripeClient,
    stripe_emulator: StripeEmulator,
    webhook_receiver: WebhookReceiver,
    browser: httpx.Client,
) -> None:
    secret = stripe_emulator.add_webhook_endpoint(
        webhook_receiver.url, enabled_events=["checkout.session.completed"]
    )
    shop = customer(stripe_client)
    session = setup_session(stripe_client, shop.id)
    assert session.url is not None
    browser.post(f"{session.url}/confirm", data={"card": "4242424242424242"})
    received = webhook_receiver.wait_for(1)
    event = stripe.Webhook.construct_event(
        received[0].body.decode(), received[0].headers["Stripe-Signature"], secret
    )
    assert event.type == "checkout.session.completed"
    assert event.data.object["id"] == session.id
    assert event.data.object["metadata"]["tenant_id"] == "t-1"


def test_requests_stripe_would_refuse_are_refused(
    stripe_emulator: StripeEmulator, api: httpx.Client
) -> None:
    require_openapi_spec()
    shop = api.post("/v1/customers", data={"email": "o@t.example"}).json()["id"]
    no_success = api.post("/v1/checkout/sessions", data={"mode": "setup", "customer": shop})
    unknown = api.post(
        "/v1/checkout/sessions",
        data={"mode": "setup", "success_url": "http://x", "colour": "red"},
    )
    bad_mode = api.post("/v1/checkout/sessions", data={"mode": "donate", "success_url": "x"})
    refused = stripe_emulator.take_spec_violations()
    assert [(v.method, v.path) for v in refused] == [("POST", "/v1/checkout/sessions")] * 3
    assert (no_success.status_code, no_success.json()["error"]["param"]) == (400, "success_url")
    assert (unknown.json()["error"]["code"], unknown.json()["error"]["param"]) == (
        "parameter_unknown",
        "colour",
    )
    assert bad_mode.status_code == 400
    # Accepted by the description, refused by Stripe (and the emulator) for what they say:
    no_kind = api.post(
        "/v1/checkout/sessions", data={"mode": "setup", "customer": shop, "success_url": "x"}
    )
    assert (no_kind.status_code, no_kind.json()["error"]["param"]) == (400, "currency")
    too_late = api.post(
        "/v1/checkout/sessions",
        data={
            "mode": "setup",
            "success_url": "x",
            "currency": "usd",
            "expires_at": str(int(stripe_emulator.now()) + 2 * DAY),
        },
    )
    assert (too_late.status_code, too_late.json()["error"]["param"]) == (400, "expires_at")
    no_customer = api.post(
        "/v1/checkout/sessions",
        data={"mode": "setup", "success_url": "x", "currency": "usd", "customer": "cus_nope"},
    )
    assert (no_customer.status_code, no_customer.json()["error"]["code"]) == (
        404,
        "resource_missing",
    )
    missing = api.get("/v1/checkout/sessions/cs_test_nope")
    assert missing.status_code == 404
    assert missing.json()["error"]["message"] == "No such checkout.session: 'cs_test_nope'"
    assert api.get("/v1/setup_intents/seti_nope").status_code == 404
    assert stripe_emulator.spec_violations == []


@pytest.fixture
def checked(
    stripe_openapi_checker: OpenAPIChecker | None, tmp_path: Path
) -> Iterator[list[StripeEmulator]]:
    made: list[StripeEmulator] = []
    yield made
    for emulator in made:
        emulator.stop()
        assert_emulator_clean(emulator)


def test_an_open_session_survives_a_restart_and_still_expires(
    tmp_path: Path, stripe_openapi_checker: OpenAPIChecker | None, checked: list[StripeEmulator]
) -> None:
    first = StripeEmulator(data_dir=tmp_path, openapi_spec=stripe_openapi_checker).start()
    checked.append(first)
    client, http_client = make_stripe_client(first)
    try:
        session = setup_session(client, customer(client).id)
    finally:
        http_client.close()
        first.stop()
    second = StripeEmulator(data_dir=tmp_path, openapi_spec=stripe_openapi_checker).start()
    checked.append(second)
    client, http_client = make_stripe_client(second)
    try:
        assert client.v1.checkout.sessions.retrieve(session.id).status == "open"
        second.advance_clock(DAY + 1)
        with second.store.lock:
            assert second.store.get("cs", session.id)["status"] == "expired"
    finally:
        http_client.close()
