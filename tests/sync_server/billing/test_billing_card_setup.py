"""The owner saves or changes the card the platform charges (Checkout in setup mode on the
emulator): the shop's customer made when needed, one session per click whatever the retries,
the card made the default by whichever finishes first (the return page or the
`checkout.session.completed` webhook), a past-due shop's failed invoice charged at once, a
session of another shop refused, the customer's email kept up to date, the saved card shown
with a timeout."""

from __future__ import annotations

import dataclasses
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, text

from pos_app.payments.emulator import StripeEmulator
from sync_server.billing import tasks
from sync_server.billing.schemas import BillingError, StripeFailure
from sync_server.billing.stripe_client import StripeBilling
from sync_server.config import Settings
from sync_server.db import app_engine
from sync_server.tenants.schemas import Tenant
from tests.support.billing_shops import (
    MARCH,
    Seller,
    add_owner,
    close,
    invoice,
    new_shop,
    platform_client,
    records,
    save_card,
)
from tests.support.sync_server_live import LiveServer, run_jobs, start_live_server
from tests.sync_server.billing.conftest import SECRET

pytestmark = [pytest.mark.postgres, pytest.mark.stripe_emulator]

DAY = 86400
RETURN = "http://127.0.0.1:9/console/payment-method/done?session_id={CHECKOUT_SESSION_ID}"
CANCEL = "http://127.0.0.1:9/console/payment-method?cancelled=1"


@pytest.fixture
def app(billing: Settings) -> Iterator[Engine]:
    engine = app_engine(billing)
    yield engine
    engine.dispose()


def start(app: Engine, billing: Settings, shop: Tenant, attempt: uuid.UUID | None = None) -> str:
    with platform_client(billing) as client:
        return tasks.start_card_setup(
            app,
            shop,
            client,
            attempt=attempt or uuid.uuid4(),
            success_url=RETURN,
            cancel_url=CANCEL,
        )


def save_on_page(url: str, card: str = "4242424242424242") -> str:
    """The owner picks a test card on Stripe's page; returns the session id it sends back."""
    with httpx.Client(timeout=10) as browser:
        answer = browser.post(f"{url}/confirm", data={"card": card})
    assert answer.status_code == 303, answer.text
    return answer.headers["location"].rpartition("session_id=")[2]


def finish(app: Engine, billing: Settings, shop: Tenant, session_id: str) -> Any:
    with platform_client(billing) as client:
        return tasks.finish_card_setup(app, shop, client, session_id)


def customer_row(admin: Engine, shop: Tenant) -> Any:
    with admin.connect() as conn:
        return conn.execute(
            text("SELECT * FROM billing_customers WHERE tenant_id = :t"), {"t": shop.id}
        ).one()


def calls(admin: Engine, shop: Tenant) -> list[Any]:
    with admin.connect() as conn:
        return list(
            conn.execute(
                text(
                    "SELECT action, tries, outcome, answered_at FROM billing_calls "
                    "WHERE tenant_id = :t ORDER BY requested_at"
                ),
                {"t": shop.id},
            )
        )


def posts(emulator: StripeEmulator, path_start: str) -> list[str]:
    return [
        r.path
        for r in emulator.requests
        if r.method == "POST" and r.path.startswith(path_start) and not r.replayed
    ]


def default_card(emulator: StripeEmulator, customer_id: str) -> str | None:
    found = emulator.customers[customer_id]["invoice_settings"]["default_payment_method"]
    return str(found) if found else None


def test_saving_a_card_makes_it_the_default_once_whoever_finishes(
    billing: Settings, app: Engine, admin: Engine, stripe_emulator: StripeEmulator
) -> None:
    shop = new_shop(billing, currency="EUR")
    add_owner(billing, shop, "owner@shop.example")
    attempt = uuid.uuid4()
    url = start(app, billing, shop, attempt)
    assert url.startswith(stripe_emulator.base_url + "/c/pay/cs_test_")
    customer = customer_row(admin, shop)
    assert customer.stripe_customer_id is not None
    assert customer.email == "owner@shop.example"
    # The same click retried (a double submit, a reload of the POST): the same session.
    assert start(app, billing, shop, attempt) == url
    assert len(stripe_emulator.checkout_sessions) == 1
    session = next(iter(stripe_emulator.checkout_sessions.values()))
    assert session["customer"] == customer.stripe_customer_id
    assert session["metadata"] == {
        "tenant_id": str(shop.id),
        "tenant": shop.slug,
        "purpose": "card_setup",
    }
    assert session["success_url"] == RETURN
    assert session["locale"] == "en"  # an English shop: Stripe's page in English
    # Another click: another session (the first one is left to expire).
    assert start(app, billing, shop) != url
    assert len(stripe_emulator.checkout_sessions) == 2

    session_id = save_on_page(url)
    assert session_id == session["id"]
    result = finish(app, billing, shop, session_id)
    assert result.outcome == "saved"
    assert result.card is not None
    assert (result.card.brand, result.card.last4, result.card.exp_month, result.card.exp_year) == (
        "visa",
        "4242",
        12,
        2034,
    )
    assert result.charged == ()
    saved = default_card(stripe_emulator, customer.stripe_customer_id)
    assert saved == stripe_emulator.setup_intents[session["setup_intent"]]["payment_method"]
    # Finishing again (the webhook after the return page, a reload): nothing sent again.
    before = posts(stripe_emulator, "/v1/customers/")
    assert finish(app, billing, shop, session_id) == result
    assert posts(stripe_emulator, "/v1/customers/") == before
    actions = [(c.action, c.tries) for c in calls(admin, shop)]
    assert actions == [
        ("create customer", 1),
        ("card setup session", 2),
        ("card setup session", 1),
        ("plan card charges", 0),  # none: no invoice was due
        ("default card", 1),
    ]
    with platform_client(billing) as client:
        shown = tasks.saved_card(app, shop, client, timeout_s=5)
    assert shown == result.card


def test_stripes_page_speaks_the_shops_language_not_the_browsers(
    billing: Settings, app: Engine, stripe_emulator: StripeEmulator
) -> None:
    brazilian = new_shop(billing, currency="BRL")
    assert brazilian.reading_locale == "pt_BR"
    url = start(app, billing, brazilian)
    session = stripe_emulator.checkout_sessions[url.rpartition("/")[2]]
    assert session["locale"] == "pt-BR"
    with httpx.Client(timeout=10) as browser:
        assert "<h1>Salvar um cartão</h1>" in browser.get(url).text
    english = dataclasses.replace(new_shop(billing, currency="BRL"), locale="en_US")
    url = start(app, billing, english)
    assert stripe_emulator.checkout_sessions[url.rpartition("/")[2]]["locale"] == "en"


def test_a_past_due_shop_saving_a_card_is_charged_at_once(
    billing: Settings, app: Engine, admin: Engine, stripe_emulator: StripeEmulator
) -> None:
    live = start_live_server(billing)
    try:
        with httpx.Client(base_url=live.url, timeout=30) as http:
            shop = new_shop(billing, currency="EUR")
            other = new_shop(billing, currency="EUR")
            for each in (shop, other):
                save_card(stripe_emulator, billing, each, "pm_card_chargeCustomerFail")
                Seller(http, billing).sell(each, 80_000, MARCH)
            close(billing, "2026-03")
            assert invoice(billing).failed == []
    finally:
        live.stop()
    failing = [dict(r._mapping) for r in records(admin, shop)]
    assert [(r["status"], r["stripe_attempt_count"]) for r in failing] == [("open", 1)]

    # The new card is itself one that fails: saved, charged once, declined.
    url = start(app, billing, shop)
    declined = finish(app, billing, shop, save_on_page(url, "4000000000000341"))
    assert declined.outcome == "saved"
    assert [(c.period, c.amount_minor, c.outcome) for c in declined.charged] == [
        ("2026-03", 800, "declined")
    ]
    # A good one: charged at once, the invoice paid; the other shop untouched.
    session_id = save_on_page(start(app, billing, shop))
    paid = finish(app, billing, shop, session_id)
    assert [(c.period, c.outcome) for c in paid.charged] == [("2026-03", "paid")]
    record = next(r._mapping for r in records(admin, shop))
    assert (record["status"], record["paid_at"] is not None) == ("paid", True)
    assert next(r._mapping for r in records(admin, other))["status"] == "open"
    pays = [p for p in posts(stripe_emulator, "/v1/invoices/") if p.endswith("/pay")]
    assert finish(app, billing, shop, session_id) == paid  # nothing charged twice
    assert [p for p in posts(stripe_emulator, "/v1/invoices/") if p.endswith("/pay")] == pays


def test_a_setup_finished_again_later_never_charges_an_invoice_that_failed_since(
    billing: Settings, app: Engine, admin: Engine, stripe_emulator: StripeEmulator
) -> None:
    """The return page reloaded days later, or Stripe sending the session's webhook again:
    its card still the default, yet an invoice that failed on it since is not charged (the
    owner did nothing to start it); what the first finish did is reported again."""
    shop = new_shop(billing, currency="EUR")
    # Saved before any invoice (a card that will be declined): nothing to charge.
    session_id = save_on_page(start(app, billing, shop), "4000000000000341")
    first = finish(app, billing, shop, session_id)
    assert (first.outcome, first.charged) == ("saved", ())
    live = start_live_server(billing)
    try:
        with httpx.Client(base_url=live.url, timeout=30) as http:
            Seller(http, billing).sell(shop, 80_000, MARCH)
        close(billing, "2026-03")
        assert invoice(billing).failed == []
    finally:
        live.stop()
    # March is charged to that card (the default): declined, and left to Stripe's retries.
    failed = next(r._mapping for r in records(admin, shop))
    assert (failed["status"], failed["stripe_attempt_count"]) == ("open", 1)
    pays = [p for p in posts(stripe_emulator, "/v1/invoices/") if p.endswith("/pay")]
    for _ in range(2):
        assert finish(app, billing, shop, session_id) == first
    assert [p for p in posts(stripe_emulator, "/v1/invoices/") if p.endswith("/pay")] == pays
    assert not [c for c in calls(admin, shop) if c.action == "pay with the new card"]
    # A new setup (another card) is the owner's doing: it charges March.
    again = finish(app, billing, shop, save_on_page(start(app, billing, shop), "4242424242424242"))
    assert [(c.period, c.outcome) for c in again.charged] == [("2026-03", "paid")]


def test_a_charge_planned_but_never_answered_is_made_with_its_key_on_the_next_finish(
    billing: Settings,
    app: Engine,
    admin: Engine,
    stripe_emulator: StripeEmulator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The first finish decided to charge March, then Stripe did not answer: the next finish
    (a reload, the webhook) makes that charge, with the same key, and only it."""
    live = start_live_server(billing)
    try:
        with httpx.Client(base_url=live.url, timeout=30) as http:
            shop = new_shop(billing, currency="EUR")
            save_card(stripe_emulator, billing, shop, "pm_card_chargeCustomerFail")
            Seller(http, billing).sell(shop, 80_000, MARCH)
            close(billing, "2026-03")
            assert invoice(billing).failed == []
    finally:
        live.stop()
    session_id = save_on_page(start(app, billing, shop))
    real_pay = StripeBilling.pay

    def unanswered(*_: object, **__: object) -> None:
        raise StripeFailure("timed out", retryable=True)

    monkeypatch.setattr(StripeBilling, "pay", unanswered)
    with pytest.raises(StripeFailure):
        finish(app, billing, shop, session_id)
    monkeypatch.setattr(StripeBilling, "pay", real_pay)
    done = finish(app, billing, shop, session_id)
    assert [(c.period, c.outcome) for c in done.charged] == [("2026-03", "paid")]
    pays = [c for c in calls(admin, shop) if c.action == "pay with the new card"]
    assert [(c.tries, c.outcome) for c in pays] == [(2, "paid")]


def test_a_session_of_another_shop_is_refused_and_changes_nothing(
    billing: Settings, app: Engine, admin: Engine, stripe_emulator: StripeEmulator
) -> None:
    mine = new_shop(billing, currency="EUR")
    theirs = new_shop(billing, currency="EUR")
    start(app, billing, mine)  # my customer exists
    their_session = save_on_page(start(app, billing, theirs))
    refused = finish(app, billing, mine, their_session)
    assert (refused.outcome, refused.card, refused.charged) == ("refused", None, ())
    mine_at_stripe = customer_row(admin, mine).stripe_customer_id
    assert default_card(stripe_emulator, mine_at_stripe) is None
    assert default_card(stripe_emulator, customer_row(admin, theirs).stripe_customer_id) is None
    assert "default card" not in [c.action for c in calls(admin, mine)]
    # A shop with no customer at all, and a session id that is nobody's.
    lone = new_shop(billing, currency="EUR")
    assert finish(app, billing, lone, their_session).outcome == "refused"
    with pytest.raises(StripeFailure):
        finish(app, billing, mine, "cs_test_nobodys")


def test_a_session_cancelled_or_expired_saves_nothing(
    billing: Settings, app: Engine, stripe_emulator: StripeEmulator
) -> None:
    shop = new_shop(billing, currency="EUR")
    attempt = uuid.uuid4()
    url = start(app, billing, shop, attempt)
    session_id = url.rpartition("/")[2]
    assert finish(app, billing, shop, session_id).outcome == "open"
    stripe_emulator.advance_clock(DAY + 1)
    assert finish(app, billing, shop, session_id).outcome == "expired"
    with pytest.raises(BillingError, match="expired"):
        start(app, billing, shop, attempt)  # an old page's click: a new one is needed


def test_the_customers_email_follows_the_owners_once_per_change(
    billing: Settings, app: Engine, admin: Engine, stripe_emulator: StripeEmulator
) -> None:
    shop = new_shop(billing, currency="EUR")
    start(app, billing, shop)  # no owner yet: the customer has no email
    customer_id = customer_row(admin, shop).stripe_customer_id
    assert stripe_emulator.customers[customer_id]["email"] is None
    add_owner(billing, shop, "first@shop.example")
    start(app, billing, shop)
    assert stripe_emulator.customers[customer_id]["email"] == "first@shop.example"
    sent = len(posts(stripe_emulator, f"/v1/customers/{customer_id}"))
    start(app, billing, shop)  # unchanged: not sent again
    assert len(posts(stripe_emulator, f"/v1/customers/{customer_id}")) == sent
    with admin.begin() as conn:
        conn.execute(
            text("UPDATE owner_accounts SET email = 'second@shop.example' WHERE tenant_id = :t"),
            {"t": shop.id},
        )
    invoice(billing)  # invoicing brings it up to date too
    assert stripe_emulator.customers[customer_id]["email"] == "second@shop.example"
    assert customer_row(admin, shop).email == "second@shop.example"
    assert len(posts(stripe_emulator, f"/v1/customers/{customer_id}")) == sent + 1


def test_the_saved_card_is_read_with_a_timeout(
    billing: Settings, app: Engine, stripe_emulator: StripeEmulator
) -> None:
    shop = new_shop(billing, currency="EUR")
    with platform_client(billing) as client:
        assert tasks.saved_card(app, shop, client, timeout_s=5) is None  # no customer yet
    save_card(stripe_emulator, billing, shop, "pm_card_mastercard")
    with platform_client(billing) as client:
        card = tasks.saved_card(app, shop, client, timeout_s=5)
        assert card is not None
        assert (card.brand, card.last4) == ("mastercard", "4444")
        stripe_emulator.set_latency(2.0)
        began = time.monotonic()
        with pytest.raises(StripeFailure, match="could not be reached"):
            tasks.saved_card(app, shop, client, timeout_s=0.3)
        assert time.monotonic() - began < 1.5  # one try, not the client's retries
    stripe_emulator.set_latency(0)


def test_the_webhook_finishes_a_setup_the_owner_never_came_back_from(
    billing: Settings,
    app: Engine,
    admin: Engine,
    live: LiveServer,
    stripe_emulator: StripeEmulator,
) -> None:
    stripe_emulator.add_webhook_endpoint(live.url + "/v1/stripe/platform-webhook", secret=SECRET)
    shop = new_shop(billing, currency="EUR")
    session_id = save_on_page(start(app, billing, shop))  # the browser closes on Stripe's page
    assert stripe_emulator.wait_for_webhooks(30)
    run_jobs(billing)
    customer_id = customer_row(admin, shop).stripe_customer_id
    saved = default_card(stripe_emulator, customer_id)
    assert saved is not None
    assert stripe_emulator.payment_methods[saved]["card"]["last4"] == "4242"
    with admin.connect() as conn:
        outcome = conn.execute(
            text(
                "SELECT outcome FROM stripe_events WHERE tenant_id = :t AND type = "
                "'checkout.session.completed'"
            ),
            {"t": shop.id},
        ).scalar_one()
    assert outcome == f"card setup to finish: {session_id}"
    # The owner's return page comes later: nothing is done again.
    before = posts(stripe_emulator, "/v1/customers/")
    assert finish(app, billing, shop, session_id).outcome == "saved"
    assert posts(stripe_emulator, "/v1/customers/") == before


def test_a_card_saved_later_is_never_replaced_by_an_older_one_finished_late(
    billing: Settings, app: Engine, admin: Engine, stripe_emulator: StripeEmulator
) -> None:
    """Two of Stripe's pages open (two tabs): the Visa saved on the first, whose return page
    never came (its webhook is late), then the Mastercard saved on the second and finished.
    The Visa's late finish leaves the Mastercard the default; reloading a return page of a
    card replaced since says so, and neither charges anything."""
    shop = new_shop(billing, currency="EUR")
    first, second = start(app, billing, shop), start(app, billing, shop)
    older = save_on_page(first)
    stripe_emulator.advance_clock(60)
    newer = save_on_page(second, "5555555555554444")
    assert finish(app, billing, shop, newer).outcome == "saved"
    customer_id = customer_row(admin, shop).stripe_customer_id
    mastercard = default_card(stripe_emulator, customer_id)
    assert mastercard is not None
    late = finish(app, billing, shop, older)
    assert late.outcome == "replaced"
    assert late.card is not None
    assert late.card.last4 == "4242"
    assert default_card(stripe_emulator, customer_id) == mastercard
    assert [c.action for c in calls(admin, shop)].count("default card") == 1
    # Finished in order this time: the Visa, then a newer card; the Visa's page reloaded.
    visa = save_on_page(start(app, billing, shop))
    assert finish(app, billing, shop, visa).outcome == "saved"
    stripe_emulator.advance_clock(60)
    latest = save_on_page(start(app, billing, shop), "5555555555554444")
    assert finish(app, billing, shop, latest).outcome == "saved"
    assert finish(app, billing, shop, visa).outcome == "replaced"
    assert finish(app, billing, shop, latest).outcome == "saved"
    assert (
        stripe_emulator.payment_methods[default_card(stripe_emulator, customer_id) or ""]["card"][
            "last4"
        ]
        == "4444"
    )
