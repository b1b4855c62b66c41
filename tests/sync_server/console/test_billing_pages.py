"""The owner's fee invoices page (`/console/invoices`) over real HTTP: each month's amount,
state, paid date and Stripe's page; the past-due banner after the grace period, not before;
English and Portuguese; nothing but the owner's own shop."""

from __future__ import annotations

import dataclasses
import html
import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser as Chromium

from sync_server.billing.schemas import BillingInvoice
from sync_server.config import Settings
from sync_server.console.billing_pages import invoice_row
from sync_server.console.i18n import Translator
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
    # The grace policy as written: a failed card, or an emailed invoice past its due date.
    assert "or an invoice sent to you is not paid by its due date, you have 14 days" in page
    listed = rows(page)
    assert list(listed) == ["2026-03", "2026-02", "2026-01"]
    assert format_money(1250, "USD", "en_US") in listed["2026-01"]["text"]
    assert "Paid" in listed["2026-01"]["text"]
    # Failed 20 days ago: past due (a warning, never the green of a paid one).
    assert "Past due" in listed["2026-02"]["text"]
    assert "payment failed (2 attempts)" in listed["2026-02"]["text"]
    feb = page.split('data-period="2026-02"', 1)[1].split("</tr>", 1)[0]
    assert 'class="badge badge-late"' in feb
    jan = page.split('data-period="2026-01"', 1)[1].split("</tr>", 1)[0]
    assert 'class="badge badge-paid"' in jan
    assert ">View on Stripe</a>" in feb
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
    feb = page.split('data-period="2026-02"', 1)[1].split("</tr>", 1)[0]
    assert 'class="badge badge-warning"' in feb  # failed, within the grace: not green
    assert ">Ver no Stripe</a>" in feb
    assert "Ver a fatura de fevereiro de 2026 na página da Stripe" in feb


def _record(**values: object) -> BillingInvoice:
    now = datetime(2026, 4, 5, tzinfo=UTC)
    base: dict[str, object] = {
        "tenant_id": uuid.uuid4(), "id": uuid.uuid4(), "period": "2026-03", "currency": "BRL",
        "fee_minor": 800, "charge_minor": 800, "credit_minor": 0, "carried_in_minor": 0,
        "carried_out_minor": 0, "description": "fee", "status": "open", "step": "done",
        "collection_method": "charge_automatically", "stripe_invoice_id": "in_1",
        "hosted_invoice_url": "http://stripe/i/in_1", "stripe_attempt_count": 0,
        "next_payment_attempt": None, "attempts": 0, "last_error": None, "next_retry_at": None,
        "created_at": now, "updated_at": now,
    }  # fmt: skip
    return BillingInvoice(**{**base, **values})  # type: ignore[arg-type]


def test_a_row_s_badge_note_and_month_say_its_state_in_both_languages() -> None:
    now = datetime(2026, 4, 20, tzinfo=UTC)
    en, pt = Translator("en_US"), Translator("pt_BR")
    waiting = invoice_row(en, "UTC", _record(), now)
    assert (waiting.status, waiting.badge, waiting.note) == (
        "Awaiting payment",
        "badge-neutral",
        "",
    )
    failed_once = _record(first_failed_at=now - timedelta(days=1), stripe_attempt_count=1)
    assert invoice_row(en, "UTC", failed_once, now).note == "payment failed (1 attempt)"
    assert invoice_row(pt, "UTC", failed_once, now).note == "pagamento falhou (1 tentativa)"
    assert invoice_row(en, "UTC", failed_once, now).badge == "badge-warning"
    late = _record(first_failed_at=now - timedelta(days=15), stripe_attempt_count=3)
    shown = invoice_row(en, "UTC", late, now)
    assert (shown.status, shown.badge, shown.note) == (
        "Past due", "badge-late", "payment failed (3 attempts)",
    )  # fmt: skip
    assert invoice_row(pt, "UTC", late, now).note == "pagamento falhou (3 tentativas)"
    paid = invoice_row(en, "UTC", _record(status="paid", paid_at=now), now)
    assert (paid.status, paid.badge) == ("Paid", "badge-paid")
    # An emailed invoice says when it is due (its grace starts there); a credit note and an
    # amount carried in from earlier months are said beside the amount they change.
    emailed = _record(collection_method="send_invoice", due_at=datetime(2026, 4, 30, 2, tzinfo=UTC))
    assert invoice_row(en, "UTC", emailed, now).note == ("due on Thursday, April 30, 2026")
    assert invoice_row(pt, "America/Sao_Paulo", emailed, now).note == (
        "vence em quarta-feira, 29 de abril de 2026"  # the shop's calendar
    )
    late_email = dataclasses.replace(emailed, due_at=now - timedelta(days=15))
    assert invoice_row(en, "UTC", late_email, now).status == "Past due"
    assert invoice_row(pt, "UTC", late_email, now).note == "venceu em domingo, 5 de abril de 2026"
    credited = _record(status="paid", charge_minor=1000, credit_minor=600, carried_in_minor=30)
    assert invoice_row(en, "UTC", credited, now).note == (
        "R$6.00 credited; includes R$0.30 carried from earlier months"
    )
    # A month starting a line is capitalised; within a sentence Portuguese writes it lower case.
    row = invoice_row(pt, "UTC", _record(), now)
    assert (row.month, row.month_text) == ("Março de 2026", "março de 2026")


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
