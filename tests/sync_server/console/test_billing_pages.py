"""The owner's fee invoices page (`/console/invoices`) over real HTTP: each month's amount,
state, paid date and Stripe's page; the past-due banner after the grace period, not before;
English and Portuguese; nothing but the owner's own shop."""

from __future__ import annotations

import html
import re

import pytest
from playwright.sync_api import Browser as Chromium

from sync_server.config import Settings
from sync_server.kit.currency import format_money
from tests.support.billing_records import seed_invoices
from tests.support.sync_server_live import LiveServer
from tests.support.sync_server_tenants import create_tenant
from tests.sync_server.console.conftest import PASSWORD, Browser, make_owner
from tests.sync_server.console.test_console_browser import (
    SCREENSHOTS,
    VIEWPORTS,
    accessibility_problems,
    chromium,  # noqa: F401 - the fixture, by name
)

pytestmark = pytest.mark.postgres


def rows(page: str) -> dict[str, dict[str, str]]:
    found = {}
    for period, row in re.findall(r'<tr data-period="([0-9-]+)">(.*?)</tr>', page, re.S):
        cells = re.findall(r'data-kind="(\w+)">(.*?)</td>', row, re.S)
        found[period] = {
            kind: html.unescape(re.sub(r"<[^>]+>", " ", value)).split()[0] if value else ""
            for kind, value in cells
        }
        found[period]["text"] = html.unescape(re.sub(r"<[^>]+>", " ", row))
    return found


def test_the_owner_sees_each_month_and_the_past_due_banner(
    settings: Settings, browser: Browser
) -> None:
    shop = create_tenant(settings, currency="USD")
    seed_invoices(settings, shop)
    assert browser.sign_in(make_owner(settings, shop)).status_code == 303
    answer = browser.page("/console/invoices")
    assert answer.status_code == 200, answer.text
    page = answer.text
    assert 'href="/console/invoices" aria-current="page"' in page
    listed = rows(page)
    assert list(listed) == ["2026-03", "2026-02", "2026-01"]
    assert format_money(1250, "USD", "en_US") in listed["2026-01"]["text"]
    assert "Paid" in listed["2026-01"]["text"]
    assert "Awaiting payment" in listed["2026-02"]["text"]
    assert "payment failed (2 attempts)" in listed["2026-02"]["text"]
    assert "Carried forward" in listed["2026-03"]["text"]
    assert "https://invoice.stripe.test/i/in_feb" in page
    banner = page.split('id="past-due"', 1)[1].split("</p>", 1)[0]
    assert "February 2026" in banner
    assert format_money(980, "USD", "en_US") in html.unescape(banner)


def test_no_banner_within_the_grace_period_and_portuguese_words(
    settings: Settings, browser: Browser
) -> None:
    shop = create_tenant(settings, currency="BRL", timezone="America/Sao_Paulo")
    seed_invoices(settings, shop, past_due=False)
    assert browser.sign_in(make_owner(settings, shop)).status_code == 303
    saved = browser.submit(
        "/console/settings", {"day_ends_at": "00:00", "locale": "pt_BR"},
        from_page="/console/settings",
    )  # fmt: skip
    assert saved.status_code == 303
    page = browser.page("/console/invoices").text
    assert 'id="past-due"' not in page
    assert "Faturas da taxa" in page
    assert "Aguardando pagamento" in page


def test_a_shop_without_invoices_says_so(settings: Settings, browser: Browser) -> None:
    shop = create_tenant(settings, currency="USD")
    assert browser.sign_in(make_owner(settings, shop)).status_code == 303
    page = browser.page("/console/invoices").text
    assert 'id="invoices-empty"' in page


# --- in a real browser: screenshots and the accessibility checks --------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_invoices_page_is_shot_and_passes_the_accessibility_checks(
    chromium: Chromium,  # noqa: F811 - the imported fixture
    settings: Settings,
    live: LiveServer,
    viewport: str,
) -> None:
    shop = create_tenant(settings, currency="EUR", timezone="Europe/Paris")
    seed_invoices(settings, shop)
    email = make_owner(settings, shop)
    width, height = VIEWPORTS[viewport]
    context = chromium.new_context(
        base_url=live.url, viewport={"width": width, "height": height}, locale="en-US",
        device_scale_factor=1,
    )  # fmt: skip
    try:
        page = context.new_page()
        page.goto("/console/sign-in")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/console/today")
        page.get_by_role("link", name="Invoices").click()
        page.wait_for_url("**/console/invoices")
        assert page.get_by_role("alert").inner_text().startswith("Your invoice for February")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"invoices-{width}x{height}.png"), full_page=True)
        problems = accessibility_problems(page)
        assert not problems, "\n".join(problems)
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= width, f"the invoices page scrolls sideways ({overflow} px)"
    finally:
        context.close()
