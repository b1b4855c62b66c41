"""The console in a real browser: Debian's chromium driven headless by Playwright (never a
downloaded browser). Signing in by keyboard and by mouse, the Today page, signing out; a
screenshot of every page at 1280×800 and 390×844 in resources/screenshots/web/ (look at them
after a change); and accessibility checks over each page's DOM.

axe-core runs over every console page in `test_console_axe` (its script from the
`axe-playwright-python` dev dependency); the checks here are our own, over what the browser
computed, and stricter on a few points: the `lang` attribute, a label for every field,
names for buttons and links, alt text, one h1 and no skipped heading level, the landmarks,
a visible focus ring, no sideways scrolling on a phone, and WCAG 2 contrast of every piece of
text against its actual background (4.5:1, 3:1 for large text).

Without chromium the tests skip, saying so, unless `POS_BROWSER_TEST=required` or `CI` is set:
then they fail (CI installs the package)."""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser as Chromium
from playwright.sync_api import Page, sync_playwright
from sqlalchemy import create_engine
from sqlalchemy import text as sql

from sync_server.accounts import service as accounts
from sync_server.config import Settings
from sync_server.db import tenant_transaction
from sync_server.tenants import service as tenants
from sync_server.tenants.schemas import Tenant
from tests.support.push_payloads import build_order, build_refund, change, push
from tests.support.sync_server_db import PgServer, create_database, drop_database
from tests.support.sync_server_live import LiveServer, start_live_server
from tests.support.sync_server_tenants import pair_device
from tests.sync_server.console.conftest import PASSWORD, invitation_token

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

CHROMIUM = Path(os.environ.get("POS_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = Path(__file__).resolve().parents[3] / "resources" / "screenshots" / "web"
VIEWPORTS = {"desktop": (1280, 800), "phone": (390, 844)}


def chromium_required() -> bool:
    return os.environ.get("POS_BROWSER_TEST") == "required" or bool(os.environ.get("CI"))


@pytest.fixture(scope="module")
def chromium() -> Iterator[Chromium]:
    if not CHROMIUM.exists():
        reason = f"no chromium at {CHROMIUM} (apt-get install chromium)"
        if chromium_required():
            pytest.fail(f"{reason}, and the browser tests are required here")
        pytest.skip(f"{reason}; set POS_BROWSER_TEST=required to make this a failure")
    args = ["--no-sandbox"] if os.geteuid() == 0 else []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=args)  # fmt: skip
        yield browser
        browser.close()


# --- the shops the pages show -------------------------------------------------------------------


def _shop(settings: Settings, *, name: str, slug: str, currency: str, timezone: str) -> Tenant:
    engine = create_engine(settings.admin_database_url)
    try:
        with engine.begin() as conn:
            shop = tenants.create_tenant(
                conn, slug=slug, name=name,
                currency=currency, timezone=timezone, fee_bps=150,
            )  # fmt: skip
            conn.exec_driver_sql(
                "UPDATE tenants SET created_at = '2020-01-01' WHERE id = %s", (shop.id,)
            )
    finally:
        engine.dispose()
    return shop


def _owner(settings: Settings, shop: Tenant, email: str) -> None:
    token = invitation_token(settings, shop, email)
    engine = create_engine(settings.database_url)
    try:
        with engine.begin() as conn:
            accounts.set_password(conn, key=settings.token_hmac_key, token=token, password=PASSWORD)
    finally:
        engine.dispose()


def _a_week_of_sales(live: LiveServer, settings: Settings, shop: Tenant) -> None:
    """A few sales a day for a week (cash and card, tips), one refund and one void today."""
    with httpx.Client(base_url=live.url, timeout=30) as http:
        device = pair_device(http, settings, shop)
        now = datetime.now(UTC) - timedelta(minutes=3)
        batch: list[dict[str, Any]] = []
        menu = [("ESP", "Espresso", 1, 350, 0), ("CRO", "Croissant", 2, 290, 0),
                ("SAN", "Sandwich", 1, 890, 0),
                ("CAP", "CappuccinoGrandeComLeiteDeAveiaECaldaDeCarame", 1, 480, 0)]  # fmt: skip
        # (45 characters, no space: a name must wrap on a phone, never push amounts away)
        number = 0
        for days_ago in range(7):
            for n in range(4 + days_ago % 3):
                number += 1
                order_id, order = build_order(
                    lines=[menu[(n + days_ago) % 4], menu[(n + 1) % 4]],
                    paid_at=now - timedelta(days=days_ago, minutes=17 * n),
                    currency=shop.currency, tip_minor=100 * (n % 2), number=number,
                )  # fmt: skip
                if n % 3 == 0:
                    total = order["total_minor"]
                    order["tip_minor"] = 0
                    order["tenders"][0].update(
                        kind="cash", tip_minor=0, tendered_minor=total + 160, change_minor=160,
                        card_brand=None, card_last4=None,
                    )  # fmt: skip
                batch.append(change(len(batch) + 1, "order", order_id, order))
                if days_ago == 0 and n == 1:
                    refund_id, refund = build_refund(order, created_at=now, order_id=order_id,
                                                     line_indexes=[0])  # fmt: skip
                    batch.append(change(len(batch) + 1, "refund", refund_id, refund))
        void_id, void = build_order(lines=[menu[2]], paid_at=now, currency=shop.currency,
                                    status="voided", number=number + 1)  # fmt: skip
        batch.append(change(len(batch) + 1, "order", void_id, void))
        response = push(http, device, batch)
        assert response.status_code == 200, response.text
        assert not response.json().get("rejected"), response.text


def _refused_change(live: LiveServer, settings: Settings, shop: Tenant) -> None:
    """An order whose tax does not add up: the server refuses it (the operators' list)."""
    with httpx.Client(base_url=live.url, timeout=30) as http:
        device = pair_device(http, settings, shop, name="Till 2")
        order_id, order = build_order(
            lines=[("BOL", "Bolo", 1, 1_000, 100_000)], currency=shop.currency,
            paid_at=datetime.now(UTC) - timedelta(hours=2), number=900,
        )  # fmt: skip
        order["lines"][0]["tax_minor"] += 300
        order["tax_minor"] += 300
        response = push(http, device, [change(1, "order", order_id, order)])
        assert response.json()["refused"][0]["code"] == "money_mismatch", response.text


def _failed_invitation_jobs(settings: Settings, shop: Tenant, emails: list[str]) -> None:
    """Invitations whose email jobs used up their retries (the job queue page)."""
    engine = create_engine(settings.database_url)
    try:
        with tenant_transaction(engine, shop.id) as conn:
            for email in emails:
                accounts.invite_owner(
                    conn, key=settings.token_hmac_key, tenant=shop, email=email,
                    public_base_url=settings.console_url,
                )  # fmt: skip
    finally:
        engine.dispose()
    admin = create_engine(settings.admin_database_url)
    try:
        with admin.begin() as conn:
            failed = conn.execute(
                sql("UPDATE procrastinate_jobs SET status = 'failed', attempts = 10 "
                     "WHERE task_name = 'send_owner_invitation' RETURNING id")
            ).scalars().all()  # fmt: skip
            for job_id in failed:
                conn.execute(
                    sql("INSERT INTO job_errors (job_id, attempt, task_name, error) VALUES "
                         "(:j, 9, 'send_owner_invitation', 'SMTPRecipientsRefused: "
                         "mailbox unavailable')"),
                    {"j": job_id},
                )  # fmt: skip
    finally:
        admin.dispose()


class Accounts:
    def __init__(self, settings: Settings, live: LiveServer) -> None:
        self.cafe = _shop(settings, name="Corner Café", slug="corner-cafe", currency="EUR",
                          timezone="Europe/Paris")  # fmt: skip
        self.padaria = _shop(settings, name="Padaria Aurora", slug="padaria-aurora",
                             currency="BRL", timezone="America/Sao_Paulo")  # fmt: skip
        self.owner = "ana@corner-cafe.example"
        self.owner_pt = "joana@padaria-aurora.example"
        self.operator = "ops@counterpos.example"
        _owner(settings, self.cafe, self.owner)
        _owner(settings, self.padaria, self.owner_pt)
        engine = create_engine(settings.admin_database_url)
        try:
            with engine.begin() as conn:
                accounts.create_operator(conn, email=self.operator, password=PASSWORD)
        finally:
            engine.dispose()
        _a_week_of_sales(live, settings, self.cafe)
        _a_week_of_sales(live, settings, self.padaria)
        self.invitation = invitation_token(settings, self.cafe, "leo@corner-cafe.example")
        _refused_change(live, settings, self.padaria)
        _failed_invitation_jobs(settings, self.cafe, ["mia@corner-cafe.example",
                                                      "noah@corner-cafe.example"])  # fmt: skip


@pytest.fixture(scope="module")
def shots_settings(pg_server: PgServer) -> Iterator[Settings]:
    """A database of this module's own: the screenshots show these shops only, named the same
    on every run."""
    name, built = create_database(pg_server)
    yield built
    drop_database(pg_server, name)


@pytest.fixture(scope="module")
def shots_live(shots_settings: Settings) -> Iterator[LiveServer]:
    server = start_live_server(shots_settings)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def people(shots_settings: Settings, shots_live: LiveServer) -> Accounts:
    return Accounts(shots_settings, shots_live)


@pytest.fixture
def page(chromium: Chromium, shots_live: LiveServer) -> Iterator[Page]:
    context = chromium.new_context(
        base_url=shots_live.url, viewport={"width": 1280, "height": 800}, locale="en-US"
    )
    page = context.new_page()
    yield page
    context.close()


def sign_in_by_mouse(page: Page, email: str) -> None:
    page.goto("/console/sign-in")
    page.get_by_label("Email").click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").click()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


# --- flows --------------------------------------------------------------------------------------


def test_sign_in_by_keyboard_then_today_then_sign_out(page: Page, people: Accounts) -> None:
    page.goto("/console/today")
    assert page.url.endswith("/console/sign-in?next=%2Fconsole%2Ftoday")
    assert page.evaluate("document.activeElement.id") == "email"  # autofocus
    page.keyboard.type(people.owner)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/console/today")
    assert page.get_by_role("heading", level=1).inner_text() == "Corner Café"
    today = page.locator("#today")
    assert today.get_by_role("heading", level=2).inner_text().startswith("Today, ")
    net = today.locator('tr[data-row="row_net"] td[data-kind="total"]').inner_text()
    assert re.fullmatch(r"€\d+\.\d\d", net), net
    refunds = today.locator('tr[data-row="row_refunds"] td[data-kind="card"]').inner_text()
    assert refunds.startswith("-€"), refunds

    # Sign out by keyboard too: Tab to the button and press Enter.
    page.get_by_role("button", name="Sign out", exact=True).focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/console/sign-in?notice=signed_out")
    assert page.get_by_role("status").inner_text() == "You are signed out."
    page.goto("/console/today")
    assert "/console/sign-in" in page.url


def test_sign_in_by_mouse_and_a_wrong_password_first(page: Page, people: Accounts) -> None:
    page.goto("/console/sign-in")
    page.get_by_label("Email").fill(people.owner)
    page.get_by_label("Password").fill("certainly not it")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").inner_text() == "The email or the password is wrong."
    assert page.get_by_label("Email").input_value() == people.owner  # kept, the password not
    assert page.get_by_label("Password").input_value() == ""
    sign_in_by_mouse(page, people.owner)
    page.wait_for_url("**/console/today")
    page.get_by_role("button", name="Sign out everywhere").click()
    page.wait_for_url("**/console/sign-in?notice=signed_out_everywhere")


def test_the_operator_signs_in_and_sees_the_shops(page: Page, people: Accounts) -> None:
    sign_in_by_mouse(page, people.operator)
    page.wait_for_url("**/console/shops")
    row = page.locator(f'tr[data-slug="{people.cafe.slug}"]')
    assert "Corner Café" in row.inner_text()
    assert "1.50%" in row.inner_text()


def _previous_month() -> str:
    first = datetime.now(UTC).date().replace(day=1)
    return (first - timedelta(days=1)).strftime("%Y-%m")


def test_the_operator_runs_every_page_and_action(page: Page, people: Accounts) -> None:
    """Shops (a wrong form, then a shop created), a new rate, the owner's invitation, the month
    close, fees by month, a failed job retried, every shop's refused changes: by mouse and keys
    through the navigation, as an operator works."""
    sign_in_by_mouse(page, people.operator)
    page.wait_for_url("**/console/shops")
    page.get_by_label("Slug").fill("bar-do-ze")
    page.get_by_label("Name").fill("Bar do Zé")
    page.get_by_label("Currency").fill("brl")
    page.get_by_label("Time zone").fill("America/Sao Paulo")
    page.get_by_label("Fee rate (%)").fill("1,2")
    page.get_by_role("button", name="Create shop").click()
    assert page.get_by_role("alert").inner_text() == (
        "The shop was not created: correct the fields marked below."
    )
    assert (
        page.locator("#timezone-error")
        .inner_text()
        .startswith("Unknown time zone America/Sao Paulo")
    )
    assert page.get_by_label("Name").input_value() == "Bar do Zé"  # kept as typed
    assert page.get_by_label("Time zone").get_attribute("aria-invalid") == "true"
    page.get_by_label("Time zone").fill("America/Sao_Paulo")
    page.get_by_role("button", name="Create shop").click()
    page.wait_for_url("**/console/shops/bar-do-ze?notice=shop_created")
    assert page.get_by_role("heading", level=1).inner_text() == "Bar do Zé"
    assert page.locator('tr[data-from="1970-01-01"]').inner_text().split() == [
        "Since", "the", "first", "sale", "1.20%",
    ]  # fmt: skip

    next_month = page.get_by_label("From the month").input_value()
    page.get_by_label("Fee rate (%)").fill("1.8")
    page.get_by_role("button", name="Set the rate").click()
    page.wait_for_url("**/console/shops/bar-do-ze?notice=rate_set")
    assert page.get_by_role("status").inner_text() == "The new fee rate is set."
    assert "1.80%" in page.locator(f'tr[data-from="{next_month}-01"]').inner_text()

    page.get_by_label("Email").fill("ze@bar-do-ze.example")
    page.get_by_role("button", name="Send the invitation").click()
    page.wait_for_url("**/console/shops/bar-do-ze?notice=owner_invited")

    page.get_by_role("link", name="Month end").click()
    page.wait_for_url("**/console/month-end")
    assert page.locator('#verification tr[data-slug="corner-cafe"]').inner_text().split() == [
        "corner-cafe", "Agrees",
    ]  # fmt: skip
    page.locator("#period").fill(_previous_month())
    page.get_by_role("button", name="Close the month").click()
    page.wait_for_url(f"**/console/month-end?closed={_previous_month()}")
    page.reload()  # post/redirect/get: a reload shows the result again, closes nothing twice
    result = page.locator("#close-result").inner_text()
    assert result.startswith(f"Closed up to {_previous_month()} (statements frozen: "), result
    assert "No shop was held." in result

    page.get_by_role("link", name="Fees").click()
    page.wait_for_url("**/console/fees")
    this_month = datetime.now(UTC).strftime("%Y-%m")
    cafe = page.locator(f'#fees-{this_month} tr[data-slug="corner-cafe"]')
    assert cafe.locator('td[data-kind="status"]').inner_text() == "Open"
    assert cafe.locator('td[data-kind="rate"]').inner_text() == "1.50%"

    page.get_by_role("link", name="Jobs").click()
    page.wait_for_url("**/console/jobs")
    rows = page.locator("#jobs tbody tr")
    assert rows.count() == 2
    assert '"link": "[hidden]"' in rows.first.inner_text()
    assert "token=" not in page.content()
    job_id = rows.first.get_attribute("data-job")
    page.get_by_role("button", name=f"Retry job {job_id}").click()
    page.wait_for_url("**/console/jobs?notice=job_queued")
    assert page.locator("#jobs tbody tr").count() == 1

    page.get_by_role("link", name="Refused changes").click()
    page.wait_for_url("**/console/refused")
    refused = page.locator('#refused tr[data-slug="padaria-aurora"]').inner_text()
    assert "money_mismatch" in refused
    assert "\tTill 2\t" in refused  # the register by its name, as the owner reads it


def test_a_tampered_form_is_refused_with_a_page_in_the_browser(
    page: Page, people: Accounts
) -> None:
    sign_in_by_mouse(page, people.owner)
    page.wait_for_url("**/console/today")
    page.locator('form[action="/console/sign-out"] input[name="csrf"]').evaluate(
        "field => { field.value = 'f'.repeat(64); }"
    )
    page.get_by_role("button", name="Sign out", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Something went wrong"
    assert "did not come from this site" in page.get_by_role("alert").inner_text()
    page.goto("/console/today")  # still signed in: the refused form did nothing
    assert page.url.endswith("/console/today")


def test_the_owner_ends_the_business_day_at_two_and_reads_the_charts_as_tables(
    page: Page, people: Accounts
) -> None:
    sign_in_by_mouse(page, people.owner)
    page.wait_for_url("**/console/today")
    chart = page.locator("#by-hour svg[role=img]")
    assert "Bar chart of today's sales by hour" in (chart.get_attribute("aria-label") or "")
    page.locator("#by-hour summary").click()
    assert page.locator("#by-hour details table").is_visible()
    page.get_by_role("link", name="Settings").click()
    page.get_by_label("Business day ends at").fill("02:00")
    page.get_by_label("English (United States)").check()
    page.get_by_role("button", name="Save settings").click()
    page.get_by_role("status").wait_for()
    assert "Settings saved." in page.get_by_role("status").inner_text()
    page.get_by_role("link", name="Today").click()
    assert "from 02:00 to 02:00 the next day" in page.locator("#day-note").inner_text()


# --- screenshots and accessibility --------------------------------------------------------------

PAGES = ("sign-in", "sign-in-error", "set-password", "today", "today-pt-BR", "settings",
         "settings-error", "shops", "error", "shops-error", "shop", "month-end", "fees", "jobs",
         "refused")  # fmt: skip
OPERATOR_PAGES = {
    "shop": "/console/shops/corner-cafe",
    "month-end": "/console/month-end",
    "fees": "/console/fees",
    "jobs": "/console/jobs",
    "refused": "/console/refused",
}


def open_page(page: Page, name: str, people: Accounts) -> None:
    if name == "sign-in":
        page.goto("/console/sign-in")
    elif name == "sign-in-error":
        page.goto("/console/sign-in")
        page.get_by_label("Email").fill(people.owner)
        page.get_by_label("Password").fill("wrong")
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("alert").wait_for()
    elif name == "set-password":
        page.goto(f"/console/set-password?token={people.invitation}")
    elif name in ("today", "today-pt-BR"):
        sign_in_by_mouse(page, people.owner if name == "today" else people.owner_pt)
        page.wait_for_url("**/console/today")
    elif name in ("settings", "settings-error"):
        sign_in_by_mouse(page, people.owner)
        page.wait_for_url("**/console/today")
        page.goto("/console/settings")
        if name == "settings-error":
            page.get_by_label("Business day ends at").fill("13:30")
            page.get_by_role("button", name="Save settings").click()
            page.get_by_role("alert").wait_for()
    elif name == "shops":
        sign_in_by_mouse(page, people.operator)
        page.wait_for_url("**/console/shops")
    elif name == "error":
        page.goto("/console/no-such-page")
    elif name == "shops-error":
        sign_in_by_mouse(page, people.operator)
        page.wait_for_url("**/console/shops")
        page.get_by_label("Slug").fill("Corner Café 2")
        page.get_by_label("Currency").fill("euro")
        page.get_by_role("button", name="Create shop").click()
        page.get_by_role("alert").wait_for()
    elif name in OPERATOR_PAGES:
        sign_in_by_mouse(page, people.operator)
        page.wait_for_url("**/console/shops")
        page.goto(OPERATOR_PAGES[name])


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("name", PAGES)
def test_every_page_is_shot_and_passes_the_accessibility_checks(
    chromium: Chromium, shots_live: LiveServer, people: Accounts, name: str, viewport: str
) -> None:
    width, height = VIEWPORTS[viewport]
    context = chromium.new_context(
        base_url=shots_live.url,
        viewport={"width": width, "height": height},
        locale="en-US",
        device_scale_factor=1,
    )
    try:
        page = context.new_page()
        open_page(page, name, people)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}x{height}.png"), full_page=True)
        problems = accessibility_problems(page)
        assert not problems, "\n".join(problems)
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= width, f"{name} scrolls sideways at {width} px ({overflow} px wide)"
        hidden = cut_off(page)
        assert not hidden, f"{name} at {width} px: cut off or scrolled away: {hidden}"
    finally:
        context.close()


# --- the checks ---------------------------------------------------------------------------------

_CLIPPED = """() => {
  const out = [];
  for (const wrap of document.querySelectorAll('.breakdown .figures-wrap')) {
    if (wrap.scrollWidth > wrap.clientWidth + 1)
      out.push(`${wrap.parentElement.id} is ${wrap.scrollWidth} px in ${wrap.clientWidth} px`);
    for (const cell of wrap.querySelectorAll('th, td'))
      if (cell.scrollWidth > cell.clientWidth + 1) out.push(cell.innerText);
  }
  for (const cell of document.querySelectorAll('table.listing tbody th, table.listing tbody td')) {
    const box = cell.getBoundingClientRect();
    if (box.width > 0 && box.right > document.documentElement.clientWidth + 1)
      out.push(`off screen: ${cell.innerText.slice(0, 40)}`);
  }
  return out;
}"""
"""The tables' texts a reader would not see whole: a sales breakdown wider than its box (the
amounts scrolled away) or a cell whose text overflows it (a clipped header), and a listing's
cell (a statement's product, a dispute) reaching past the screen's edge."""


def cut_off(page: Page) -> list[str]:
    """What `_CLIPPED` finds on the page (nothing, on a good page)."""
    found: list[str] = page.evaluate(_CLIPPED)
    return found


_DOM_FACTS = """() => {
  const visible = e => { const s = getComputedStyle(e); const r = e.getBoundingClientRect();
    return s.visibility !== 'hidden' && s.display !== 'none' && r.width > 0 && r.height > 0; };
  const name = e => (e.getAttribute('aria-label') || e.innerText || e.value || '').trim();
  const fields = [...document.querySelectorAll('input, select, textarea')]
    .filter(e => e.type !== 'hidden')
    .map(e => ({id: e.id, labelled: !!(e.id && document.querySelector(`label[for="${e.id}"]`))
                 || !!e.getAttribute('aria-label')}));
  const controls = [...document.querySelectorAll('button, a[href]')].filter(visible)
    .map(e => ({tag: e.tagName, name: name(e)}));
  const images = [...document.querySelectorAll('img')].map(e => e.hasAttribute('alt'));
  const headings = [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')]
    .map(e => Number(e.tagName[1]));
  const background = e => {
    for (let n = e; n; n = n.parentElement) {
      const c = getComputedStyle(n).backgroundColor;
      if (c && c !== 'transparent' && !c.endsWith(', 0)')) return c;
    }
    return 'rgb(255, 255, 255)';
  };
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const e = n.parentElement;
    if (!n.textContent.trim() || !visible(e)) continue;
    const s = getComputedStyle(e);
    texts.push({text: n.textContent.trim().slice(0, 40), fg: s.color, bg: background(e),
                size: parseFloat(s.fontSize), weight: Number(s.fontWeight)});
  }
  return {lang: document.documentElement.lang, fields, controls, images, headings, texts,
          main: document.querySelectorAll('main').length,
          banner: document.querySelectorAll('body > header').length,
          title: document.title};
}"""


def _rgb(css: str) -> tuple[float, float, float]:
    numbers = [float(part) for part in re.findall(r"[\d.]+", css)[:3]]
    return numbers[0], numbers[1], numbers[2]


def luminance(css: str) -> float:
    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in _rgb(css))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(foreground: str, background: str) -> float:
    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def accessibility_problems(page: Page) -> list[str]:
    facts = page.evaluate(_DOM_FACTS)
    problems: list[str] = []
    if facts["lang"] not in ("en-US", "pt-BR"):
        problems.append(f"lang is {facts['lang']!r}")
    if not facts["title"].strip():
        problems.append("no title")
    problems += [f"input #{f['id']} has no label" for f in facts["fields"] if not f["labelled"]]
    problems += [f"a {c['tag']} without a name" for c in facts["controls"] if not c["name"]]
    problems += ["an image without alt" for has_alt in facts["images"] if not has_alt]
    headings = facts["headings"]
    if headings.count(1) != 1:
        problems.append(f"{headings.count(1)} h1 headings")
    for before, after in itertools.pairwise(headings):
        if after > before + 1:
            problems.append(f"heading level jumps from h{before} to h{after}")
    if facts["main"] != 1 or facts["banner"] != 1:
        problems.append(f"landmarks: {facts['main']} main, {facts['banner']} header")
    for text in facts["texts"]:
        large = text["size"] >= 24 or (text["size"] >= 18.66 and text["weight"] >= 700)
        needed = 3.0 if large else 4.5
        ratio = contrast(text["fg"], text["bg"])
        if ratio < needed:
            problems.append(f"contrast {ratio:.2f} < {needed} for {text['text']!r}")
    # A visible focus ring on the first control reached by Tab (the skip link).
    page.keyboard.press("Tab")
    ring = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [document.activeElement.tagName, s.outlineStyle, s.outlineWidth]; }"
    )
    if ring[1] == "none" or ring[2] == "0px":
        problems.append(f"no visible focus on {ring[0]}")
    return problems


def test_the_contrast_formula_matches_wcag_examples() -> None:
    assert round(contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)"), 2) == 21.0
    assert round(contrast("rgb(118, 118, 118)", "rgb(255, 255, 255)"), 2) == 4.54
    assert contrast("rgb(255, 255, 255)", "rgb(255, 255, 255)") == 1.0
