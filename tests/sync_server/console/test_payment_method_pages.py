"""The owner's payment method page (`/console/payment-method`) over real HTTP, the platform's
Stripe account being the emulator: no card, then one saved on Stripe's Checkout page and shown
(brand, last 4, expiry); the button's post redirects to Stripe (post/redirect/get, CSRF);
Stripe's page sends the owner back to the return page (saved, cancelled); a session id of
another shop changes nothing and says so; Stripe not answering is said; the Invoices page's
past-due banner leads here; Portuguese words. And one real browser (chromium) clicking through
the emulator's hosted page, with the screenshots."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser as Chromium
from sqlalchemy import create_engine, text

from pos_app.payments.emulator import StripeEmulator
from sync_server.config import Settings
from sync_server.console import billing_pages
from sync_server.tenants.schemas import Tenant
from tests.support.billing_records import seed_invoices
from tests.support.billing_shops import billing_settings
from tests.support.sync_server_live import LiveServer
from tests.support.sync_server_tenants import create_tenant
from tests.sync_server.console.conftest import PASSWORD, Browser, make_owner
from tests.sync_server.console.test_console_browser import (
    SCREENSHOTS,
    VIEWPORTS,
    accessibility_problems,
    chromium,  # noqa: F401 - the fixture, by name
)

pytestmark = [pytest.mark.postgres, pytest.mark.stripe_emulator]

PAGE = "/console/payment-method"


def console_server(settings: Settings) -> LiveServer:
    """The app on a loopback port whose console address (where Stripe sends the owner back)
    is that port."""
    live = LiveServer(settings)
    console = live.app.state.console
    console.settings = dataclasses.replace(console.settings, console_url=live.url)
    live.start()
    return live


@pytest.fixture
def billing(fresh_settings: Settings, stripe_emulator: StripeEmulator) -> Settings:
    return billing_settings(fresh_settings, stripe_emulator)


@pytest.fixture
def card_live(billing: Settings) -> Iterator[LiveServer]:
    server = console_server(billing)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def owner_browser(card_live: LiveServer) -> Iterator[Browser]:
    with httpx.Client(base_url=card_live.url, timeout=30, follow_redirects=False) as client:
        yield Browser(client)


@pytest.fixture
def stripe_page() -> Iterator[httpx.Client]:
    """The owner's browser on Stripe's (the emulator's) pages."""
    with httpx.Client(timeout=10, follow_redirects=False) as client:
        yield client


def signed_in(billing: Settings, browser: Browser, shop: Tenant) -> None:
    assert browser.sign_in(make_owner(billing, shop)).status_code == 303


def attempt_of(page: str) -> str:
    found = re.search(r'name="attempt" value="([^"]+)"', page)
    assert found, "no attempt on the page"
    return found.group(1)


def go_to_stripe(browser: Browser) -> httpx.Response:
    page = browser.page(PAGE).text
    return browser.submit(f"{PAGE}/setup", {"attempt": attempt_of(page)}, from_page=PAGE)


def back_from_stripe(
    browser: Browser, stripe_page: httpx.Client, url: str, card: str = "4242424242424242"
) -> httpx.Response:
    saved = stripe_page.post(f"{url}/confirm", data={"card": card})
    assert saved.status_code == 303, saved.text
    back = saved.headers["location"]
    assert back.startswith(str(browser.client.base_url))
    return browser.page(back)


def default_card_of(billing: Settings, emulator: StripeEmulator, shop: Tenant) -> Any:
    engine = create_engine(billing.admin_database_url)
    try:
        with engine.connect() as conn:
            customer = conn.execute(
                text("SELECT stripe_customer_id FROM billing_customers WHERE tenant_id = :t"),
                {"t": shop.id},
            ).scalar()
    finally:
        engine.dispose()
    if customer is None:
        return None
    return emulator.customers[customer]["invoice_settings"]["default_payment_method"]


def test_saving_then_changing_the_card(
    billing: Settings,
    owner_browser: Browser,
    stripe_page: httpx.Client,
    stripe_emulator: StripeEmulator,
) -> None:
    shop = create_tenant(billing, currency="EUR")
    signed_in(billing, owner_browser, shop)
    first = owner_browser.page(PAGE)
    assert first.status_code == 200, first.text
    assert 'href="/console/payment-method" aria-current="page"' in first.text
    assert "No card saved: invoices are emailed and paid on Stripe&#39;s page." in first.text
    assert ">Save a card</button>" in first.text
    policy = first.headers["content-security-policy"]
    assert f"form-action 'self' {stripe_emulator.base_url};" in policy
    assert "x-console-form-target" not in first.headers
    # Other pages keep their forms to the console only.
    assert (
        "form-action 'self';"
        in owner_browser.page("/console/invoices").headers["content-security-policy"]
    )

    # No token, no setup; an out-of-date form says so.
    refused = owner_browser.client.post(f"{PAGE}/setup", data={"attempt": attempt_of(first.text)})
    assert refused.status_code == 403
    bad = owner_browser.submit(f"{PAGE}/setup", {"attempt": "nope"}, from_page=PAGE)
    assert bad.status_code == 400

    to_stripe = go_to_stripe(owner_browser)
    assert to_stripe.status_code == 303
    url = to_stripe.headers["location"]
    assert url.startswith(f"{stripe_emulator.base_url}/c/pay/cs_test_")
    assert "4242 4242 4242 4242" in stripe_page.get(url).text
    done = back_from_stripe(owner_browser, stripe_page, url)
    assert done.status_code == 200, done.text
    assert 'data-outcome="saved"' in done.text
    assert "Card saved: your invoices are charged to the Visa ending in 4242 from now" in done.text
    assert "No unpaid invoice needed charging." in done.text
    assert owner_browser.page(str(done.url)).text == done.text  # a reload changes nothing
    shown = owner_browser.page(PAGE).text
    assert "Visa ending in 4242, expires 12/2034" in shown
    assert ">Change the card</button>" in shown

    # Changed to a Mastercard: the new one is the default.
    before = default_card_of(billing, stripe_emulator, shop)
    url = go_to_stripe(owner_browser).headers["location"]
    again = back_from_stripe(owner_browser, stripe_page, url, "5555555555554444")
    assert "Mastercard ending in 4444" in again.text
    after = default_card_of(billing, stripe_emulator, shop)
    assert after != before
    assert stripe_emulator.payment_methods[after]["card"]["last4"] == "4444"
    assert "Mastercard ending in 4444, expires 12/2034" in owner_browser.page(PAGE).text
    # The Visa's return page, reloaded from the history: it no longer says the Visa is charged.
    stale = owner_browser.page(str(done.url))
    assert 'data-outcome="replaced"' in stale.text
    assert (
        "The Visa ending in 4242 was saved, but a card saved after it is the one your "
        "invoices are charged to: this page changed nothing." in stale.text
    )
    assert default_card_of(billing, stripe_emulator, shop) == after


def test_cancelling_on_stripes_page_changes_nothing(
    billing: Settings,
    owner_browser: Browser,
    stripe_page: httpx.Client,
    stripe_emulator: StripeEmulator,
) -> None:
    shop = create_tenant(billing, currency="EUR")
    signed_in(billing, owner_browser, shop)
    url = go_to_stripe(owner_browser).headers["location"]
    declined = stripe_page.post(f"{url}/confirm", data={"card": "4000000000000002"})
    assert "Your card was declined." in declined.text
    cancelled = stripe_page.post(f"{url}/cancel")
    assert cancelled.status_code == 303
    back = owner_browser.page(cancelled.headers["location"])
    assert back.status_code == 200
    assert "Nothing changed: no card was saved." in back.text
    assert default_card_of(billing, stripe_emulator, shop) is None
    # Back from a session left open (never saved): nothing changed either.
    session_id = url.rpartition("/")[2]
    still_open = owner_browser.page(f"{PAGE}/done", params={"session_id": session_id})
    assert "Nothing changed: the card was not saved on Stripe&#39;s page." in still_open.text


def test_another_shops_session_attaches_nothing_and_says_so(
    billing: Settings,
    card_live: LiveServer,
    owner_browser: Browser,
    stripe_page: httpx.Client,
    stripe_emulator: StripeEmulator,
) -> None:
    mine = create_tenant(billing, currency="EUR")
    theirs = create_tenant(billing, currency="EUR")
    signed_in(billing, owner_browser, mine)
    go_to_stripe(owner_browser)  # my customer exists
    with httpx.Client(base_url=card_live.url, timeout=30, follow_redirects=False) as client:
        other = Browser(client)
        signed_in(billing, other, theirs)
        their_url = go_to_stripe(other).headers["location"]
        saved = stripe_page.post(f"{their_url}/confirm", data={"card": "4242424242424242"})
        their_return = saved.headers["location"]
    # Their return link, opened by me (pasted, or sent to me): refused, nothing attached.
    answer = owner_browser.page(their_return)
    assert answer.status_code == 403
    assert "Nothing changed: this card setup is not for your shop." in answer.text
    assert default_card_of(billing, stripe_emulator, mine) is None
    assert default_card_of(billing, stripe_emulator, theirs) is None
    refused = owner_browser.page(f"{PAGE}/done", params={"session_id": "cs_test_nobodys"})
    assert refused.status_code == 403
    assert "not for your shop" in refused.text


def test_an_incomplete_return_link_says_so_not_another_shops(
    billing: Settings, owner_browser: Browser, stripe_emulator: StripeEmulator
) -> None:
    """A return link cut short (no session id, or one Stripe never makes) is not another
    shop's: 400, the link is incomplete, and a way back to the Payment method page."""
    shop = create_tenant(billing, currency="EUR")
    signed_in(billing, owner_browser, shop)
    cut_short = ("", "not-a-session", "cs_test_a b", "{CHECKOUT_SESSION_ID}")
    for params in ({}, *({"session_id": value} for value in cut_short)):
        answer = owner_browser.page(f"{PAGE}/done", params=params)
        assert answer.status_code == 400, params
        assert 'data-outcome="incomplete"' in answer.text, params
        assert "this link is incomplete" in answer.text
        assert "not for your shop" not in answer.text
        assert f'<a href="{PAGE}">' in answer.text
    assert default_card_of(billing, stripe_emulator, shop) is None


def test_stripe_not_answering_is_said_and_the_invoices_banner_leads_here(
    billing: Settings,
    owner_browser: Browser,
    stripe_emulator: StripeEmulator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shop = create_tenant(billing, currency="USD")
    seed_invoices(billing, shop)
    signed_in(billing, owner_browser, shop)
    url = go_to_stripe(owner_browser).headers["location"]  # the customer exists
    session_id = url.rpartition("/")[2]
    monkeypatch.setattr(billing_pages, "CARD_READ_TIMEOUT_S", 0.3)
    monkeypatch.setattr(billing_pages, "CARD_CALL_TIMEOUT_S", 0.3)
    stripe_emulator.set_latency(6.0)
    try:
        slow = owner_browser.page(PAGE)
        # The button and the return page wait one retry at most, not the jobs' minute.
        button = owner_browser.submit(
            f"{PAGE}/setup", {"attempt": attempt_of(slow.text)}, from_page=PAGE
        )
        back = owner_browser.page(f"{PAGE}/done", params={"session_id": session_id})
    finally:
        stripe_emulator.set_latency(0)
    assert slow.status_code == 200
    assert slow.elapsed.total_seconds() < 1.8
    assert "Stripe did not answer in time" in slow.text
    assert ">Save or change the card</button>" in slow.text  # whether one is saved is unknown
    assert button.headers["location"] == f"{PAGE}?notice=setup_failed"
    assert button.elapsed.total_seconds() < 4.5
    assert back.status_code == 503
    assert back.elapsed.total_seconds() < 4.5
    assert "Your invoice for February 2026" in slow.text  # past due: saving charges it
    invoices = owner_browser.page("/console/invoices").text
    banner = invoices.split('id="past-due"', 1)[1].split("</p>", 1)[0]
    assert (
        "Pay it on Stripe&#39;s page</a>, or "
        '<a href="/console/payment-method" id="past-due-card">save a card to pay it</a>.'
    ) in banner


def test_a_past_due_shop_is_told_what_saving_the_card_charged(
    billing: Settings, owner_browser: Browser, stripe_page: httpx.Client
) -> None:
    """February's invoice failed 20 days ago: saving a card charges it at once. (This one is
    a record only, unknown to Stripe: the charge is refused, and the page says so; the paid
    case is billing's test_a_past_due_shop_saving_a_card_is_charged_at_once.)"""
    shop = create_tenant(billing, currency="USD")
    seed_invoices(billing, shop)
    signed_in(billing, owner_browser, shop)
    page = owner_browser.page(PAGE).text
    assert "Your invoice for February 2026 ($9.80) is past due: saving a card charges it" in page
    url = go_to_stripe(owner_browser).headers["location"]
    done = back_from_stripe(owner_browser, stripe_page, url)
    charged = done.text.split('id="card-charged"', 1)[1].split("</ul>", 1)[0]
    assert 'data-outcome="failed"' in charged
    # Not charged is not good news: said as an error, apart from the card saved.
    assert '<div class="message message-error" role="alert" id="card-charges">' in done.text
    saved = done.text.split('id="card-result"', 1)[1].split("</div>", 1)[0]
    assert "not charged now" not in saved
    assert "February 2026 ($9.80): not charged now; see the Invoices page." in charged
    assert owner_browser.page(str(done.url)).text == done.text  # reported again, not charged again


def test_portuguese_words(billing: Settings, owner_browser: Browser) -> None:
    shop = create_tenant(billing, currency="BRL", timezone="America/Sao_Paulo")
    signed_in(billing, owner_browser, shop)
    saved = owner_browser.submit(
        "/console/settings", {"day_ends_at": "00:00", "locale": "pt_BR"},
        from_page="/console/settings",
    )  # fmt: skip
    assert saved.status_code == 303
    page = owner_browser.page(PAGE).text
    assert "Forma de pagamento</a>" in page
    assert "Nenhum cartão salvo" in page
    assert ">Salvar um cartão</button>" in page
    cancelled = owner_browser.page(f"{PAGE}/done", params={"cancelled": "1"}).text
    assert "Nada mudou: nenhum cartão foi salvo." in cancelled


def test_without_the_platforms_stripe_key_the_page_says_so(
    fresh_settings: Settings, browser: Browser
) -> None:
    shop = create_tenant(fresh_settings, currency="EUR")
    seed_invoices(fresh_settings, shop)  # February past due
    signed_in(fresh_settings, browser, shop)
    page = browser.page(PAGE).text
    assert 'id="card-not-configured"' in page
    assert '<button type="submit" class="button-primary" id="card-setup"' not in page
    # No card can be saved here: neither page says saving one pays the invoice.
    assert "Your invoice for February 2026 (€9.80) is past due.</p>" in page
    assert "saving a card" not in page
    invoices = browser.page("/console/invoices").text
    banner = invoices.split('id="past-due"', 1)[1].split("</p>", 1)[0]
    assert "Pay it on Stripe&#39;s page</a>." in banner
    assert "past-due-card" not in banner
    # A return link on such a server: card payments are not set up here (not "another shop's").
    for params in ({"session_id": "cs_test_abc"}, {}):
        done = browser.page(f"{PAGE}/done", params=params)
        assert done.status_code == 404, params
        assert "paying the fee by card is not set up on this server." in done.text
        assert "not for your shop" not in done.text
        assert f'<a href="{PAGE}">' in done.text


@pytest.fixture
def live(fresh_settings: Settings) -> Iterator[LiveServer]:
    server = console_server(fresh_settings)
    try:
        yield server
    finally:
        server.stop()


# --- in a real browser: through Stripe's (the emulator's) page, screenshots, accessibility -------


@pytest.mark.slow
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_card_is_saved_in_a_real_browser_through_stripes_page(
    chromium: Chromium,  # noqa: F811 - the imported fixture
    billing: Settings,
    card_live: LiveServer,
    stripe_emulator: StripeEmulator,
    viewport: str,
) -> None:
    shop = create_tenant(billing, currency="EUR", timezone="Europe/Paris")
    email = make_owner(billing, shop)
    width, height = VIEWPORTS[viewport]
    context = chromium.new_context(
        base_url=card_live.url, viewport={"width": width, "height": height}, locale="en-US",
        device_scale_factor=1,
    )  # fmt: skip
    try:
        page = context.new_page()
        page.goto("/console/sign-in")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/console/today")
        page.get_by_role("link", name="Payment method").click()
        page.wait_for_url("**/console/payment-method")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(
            path=str(SCREENSHOTS / f"payment-method-none-{width}x{height}.png"), full_page=True
        )
        problems = accessibility_problems(page)
        assert not problems, "\n".join(problems)
        page.get_by_role("button", name="Save a card").click()
        page.wait_for_url(f"{stripe_emulator.base_url}/c/pay/**")
        page.get_by_label("Visa 4000 0000 0000 0002: declined when saved").check()
        page.get_by_role("button", name="Save card").click()
        assert page.get_by_role("alert").inner_text() == "Your card was declined."
        page.get_by_label("Visa 4242 4242 4242 4242: saves, charges succeed").check()
        page.get_by_role("button", name="Save card").click()
        page.wait_for_url("**/console/payment-method/done?session_id=cs_test_*")
        result = page.locator("#card-result")
        assert result.get_attribute("data-outcome") == "saved"
        assert "the Visa ending in 4242 from now on" in result.inner_text()
        page.screenshot(
            path=str(SCREENSHOTS / f"payment-method-saved-{width}x{height}.png"), full_page=True
        )
        problems = accessibility_problems(page)
        assert not problems, "\n".join(problems)
        page.get_by_role("link", name="Back to the payment method").click()
        page.wait_for_url("**/console/payment-method")
        assert "Visa ending in 4242" in page.locator("#card-on-file").inner_text()
        page.screenshot(
            path=str(SCREENSHOTS / f"payment-method-{width}x{height}.png"), full_page=True
        )
        problems = accessibility_problems(page)
        assert not problems, "\n".join(problems)
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= width, f"the payment method page scrolls sideways ({overflow} px)"
    finally:
        context.close()


def test_what_was_charged_reads_in_portuguese(
    billing: Settings, owner_browser: Browser, stripe_page: httpx.Client
) -> None:
    """Each charged month starts its line: capitalised ("Fevereiro de 2026"), as on the
    Invoices page."""
    shop = create_tenant(billing, currency="BRL", timezone="America/Sao_Paulo")
    seed_invoices(billing, shop)
    signed_in(billing, owner_browser, shop)
    url = go_to_stripe(owner_browser).headers["location"]
    done = back_from_stripe(owner_browser, stripe_page, url)
    assert "Cartão salvo: suas faturas passam a ser cobradas no Visa com final 4242." in done.text
    charged = done.text.split('id="card-charged"', 1)[1].split("</ul>", 1)[0]
    assert ">Fevereiro de 2026 (R$" in charged
    assert "9,80): não cobrada agora; veja a página Faturas.</li>" in charged
