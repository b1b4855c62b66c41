"""The owner's statements, registers, disputes and problems in a real browser (Debian's chromium
under Playwright, as `test_console_browser`, whose shops, accounts and checks this module
reuses on a database of its own): every page reached from the navigation, the CSV and PDF
downloads, a new pairing code, revoking a register through its confirm step (its token refused
at once), a tampered revoke form refused; a screenshot of every page at 1280×800 and 390×844
in resources/screenshots/web/, each passing the accessibility checks."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser as Chromium
from playwright.sync_api import Page
from sqlalchemy import create_engine

from sync_server.config import Settings
from sync_server.db import tenant_transaction
from sync_server.disputes import service as disputes
from sync_server.disputes.schemas import DisputeIn
from sync_server.fees import service as fees
from sync_server.flags import service as flags
from sync_server.kit.periods import period_of, previous_period
from sync_server.scope import admin_scope
from sync_server.tenants.schemas import Tenant
from tests.support.push_payloads import build_order, change, push
from tests.support.sync_server_db import PgServer, create_database, drop_database
from tests.support.sync_server_live import LiveServer, start_live_server
from tests.support.sync_server_tenants import Device, pair_device
from tests.sync_server.console.test_console_browser import (
    SCREENSHOTS,
    VIEWPORTS,
    Accounts,
    accessibility_problems,
    chromium,  # noqa: F401 - the fixture, by name
    cut_off,
    sign_in_by_mouse,
)

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


class Owners:
    """`test_console_browser`'s shops and accounts, and what these pages show: last month's
    sales closed, disputes, a refused change, a flag, a register to revoke."""

    def __init__(self, settings: Settings, live: LiveServer) -> None:
        self.accounts = Accounts(settings, live)
        self.settings = settings
        cafe = self.accounts.cafe
        now = datetime.now(UTC)
        self.this_month = period_of(now, cafe.timezone)
        self.last_month = previous_period(self.this_month)
        with httpx.Client(base_url=live.url, timeout=30) as http:
            self.back = pair_device(http, settings, cafe, name="Back counter")
            self.tablet = pair_device(http, settings, cafe, name="Old tablet")
            pair_device(http, settings, self.accounts.padaria, name="Caixa da frente")
            self._last_month_and_a_refusal(http, cafe, self.back)
        self._close(self.last_month)
        self._disputes(cafe)
        self._disputes(self.accounts.padaria, lost=False)  # no flag: its problems page is empty
        self._flag(cafe)

    def _last_month_and_a_refusal(self, http: httpx.Client, shop: Tenant, till: Device) -> None:
        paid = datetime.now(UTC).replace(day=1, hour=11) - timedelta(days=9)
        menu = [("ESP", "Espresso", 3, 350, 0), ("CRO", "Croissant", 2, 290, 0),
                ("SAN", "Sandwich", 1, 890, 0)]  # fmt: skip
        batch = []
        for number in range(1, 4):
            order_id, order = build_order(lines=menu[: number], paid_at=paid, number=number,
                                          currency=shop.currency)  # fmt: skip
            batch.append(change(number, "order", order_id, order))
        order_id, order = build_order(lines=[menu[0]], paid_at=paid, number=9, currency="USD")
        batch.append(change(4, "order", order_id, order))
        response = push(http, till, batch)
        assert response.status_code == 200, response.text
        assert [r["code"] for r in response.json()["refused"]] == ["currency"]

    def _close(self, period: str) -> None:
        engine = create_engine(self.settings.admin_database_url)
        try:
            with admin_scope(engine) as scope:
                closed = fees.close_period(scope.connection, period)
            assert not closed.held
        finally:
            engine.dispose()

    def _disputes(self, shop: Tenant, *, lost: bool = True) -> None:
        now = datetime.now(UTC)
        engine = create_engine(self.settings.database_url)
        try:
            with tenant_transaction(engine, shop.id) as conn:
                for dispute_id, status, amount, reason, due in (
                    ("dp_1", "needs_response", 1290, "fraudulent", now + timedelta(days=6)),
                    ("dp_2", "under_review", 480, "product_unacceptable", now + timedelta(days=2)),
                    ("dp_3", "lost" if lost else "won", 350, "duplicate", None),
                ):
                    disputes.upsert_dispute(conn, tenant=shop, dispute=DisputeIn(
                        id=dispute_id, amount_minor=amount, currency=shop.currency,
                        reason=reason, status=status, evidence_due_by=due, updated_at=now,
                    ))  # fmt: skip
        finally:
            engine.dispose()

    def _flag(self, shop: Tenant) -> None:
        engine = create_engine(self.settings.database_url)
        try:
            with tenant_transaction(engine, shop.id) as conn:
                flags.raise_flag(
                    conn, shop.id, kind="uncaptured_authorization", object_id="pi_held1",
                    order_id=None, amount_minor=1840, currency=shop.currency,
                    detail="pi_held1 authorised 1840 EUR and not captured after 24 hours",
                    now=datetime.now(UTC) - timedelta(hours=30),
                )  # fmt: skip
        finally:
            engine.dispose()


@pytest.fixture(scope="module")
def owner_settings(pg_server: PgServer) -> Iterator[Settings]:
    name, built = create_database(pg_server)
    yield built
    drop_database(pg_server, name)


@pytest.fixture(scope="module")
def owner_live(owner_settings: Settings) -> Iterator[LiveServer]:
    server = start_live_server(owner_settings)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def owners(owner_settings: Settings, owner_live: LiveServer) -> Owners:
    return Owners(owner_settings, owner_live)


@pytest.fixture
def page(chromium: Chromium, owner_live: LiveServer) -> Iterator[Page]:  # noqa: F811
    context = chromium.new_context(
        base_url=owner_live.url, viewport={"width": 1280, "height": 800}, locale="en-US",
        accept_downloads=True,
    )  # fmt: skip
    page = context.new_page()
    yield page
    context.close()


def signed_in(page: Page, email: str) -> None:
    sign_in_by_mouse(page, email)
    page.wait_for_url("**/console/today")


# --- flows --------------------------------------------------------------------------------------


def test_the_fees_page_leads_to_each_month_and_its_downloads(page: Page, owners: Owners) -> None:
    signed_in(page, owners.accounts.owner)
    page.get_by_role("navigation").get_by_role("link", name="Fees").click()
    page.wait_for_url("**/console/statements")
    closed = page.locator(f'tr[data-period="{owners.last_month}"]')
    assert closed.locator('[data-kind="status"]').inner_text() == "Closed"
    assert page.locator(f'tr[data-period="{owners.this_month}"] [data-kind="status"]'
                        ).inner_text() == "Open"  # fmt: skip
    closed.get_by_role("link").click()
    page.wait_for_url(f"**/console/statements/{owners.last_month}")
    assert "Closed: these figures are final." in page.locator("main").inner_text()
    # Last month holds at least the sandwich pushed for it (and the start of the week of sales
    # when this week began in it): the page and the CSV say the same.
    sandwiches = page.locator('tr[data-sku="SAN"] [data-kind="revenue"]').inner_text()
    assert sandwiches.startswith("€")
    assert int(sandwiches[1:].replace(".", "")) >= 890
    with page.expect_download() as csv_download:
        page.get_by_role("link", name="Download CSV").click()
    csv_text = Path(csv_download.value.path()).read_text(encoding="utf-8")
    assert csv_text.startswith("shop,period,status,currency,rate_bps,row,sku,product,")
    assert (
        f"corner-cafe,{owners.last_month},closed,EUR,150,product,SAN,Sandwich,{sandwiches[1:]},"
        in csv_text
    )
    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="Download PDF").click()
    assert pdf_download.value.suggested_filename == f"fees-corner-cafe-{owners.last_month}.pdf"
    assert Path(pdf_download.value.path()).read_bytes().startswith(b"%PDF-1.4\n")


def test_a_new_pairing_code_then_revoking_a_register_after_confirming(
    page: Page, owners: Owners, owner_live: LiveServer
) -> None:
    signed_in(page, owners.accounts.owner)
    page.get_by_role("link", name="Registers").click()
    page.wait_for_url("**/console/devices")
    page.get_by_role("button", name="Make a pairing code").click()
    code = page.locator("[data-code]").inner_text()
    assert len(code) == 11, code
    assert code[5] == "-", code
    page.reload()  # shown once: a reload asks again (the POST), a new visit shows no code
    page.goto("/console/devices")
    assert page.locator("[data-code]").count() == 0

    page.get_by_role("link", name="Revoke Old tablet").click()
    page.wait_for_url(f"**/console/devices/{owners.tablet.device_id}/revoke")
    assert page.get_by_role("heading", level=1).inner_text() == "Revoke Old tablet?"
    page.get_by_role("button", name="Yes, revoke Old tablet").click()
    page.wait_for_url("**/console/devices?notice=device_revoked_notice")
    assert (
        page.get_by_role("status").inner_text() == "The register is revoked: it can no longer sync."
    )
    state = page.locator(f'tr[data-device="{owners.tablet.device_id}"] [data-kind="state"]')
    assert state.inner_text().startswith("Revoked ")
    with httpx.Client(base_url=owner_live.url, timeout=30) as http:
        assert http.get("/v1/devices/me", headers=owners.tablet.headers).status_code == 401
        assert http.get("/v1/devices/me", headers=owners.back.headers).status_code == 200


def test_a_tampered_revoke_form_is_refused_and_revokes_nothing(
    page: Page, owners: Owners, owner_live: LiveServer
) -> None:
    signed_in(page, owners.accounts.owner)
    page.goto(f"/console/devices/{owners.back.device_id}/revoke")
    page.locator('main input[name="csrf"]').evaluate("field => { field.value = 'f'.repeat(64); }")
    page.get_by_role("button", name="Yes, revoke Back counter").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Something went wrong"
    assert "did not come from this site" in page.get_by_role("alert").inner_text()
    with httpx.Client(base_url=owner_live.url, timeout=30) as http:
        assert http.get("/v1/devices/me", headers=owners.back.headers).status_code == 200


def test_disputes_and_problems_say_what_to_do(page: Page, owners: Owners) -> None:
    signed_in(page, owners.accounts.owner)
    page.get_by_role("link", name="Disputes").click()
    page.wait_for_url("**/console/disputes")
    first = page.locator('tr[data-dispute="dp_1"]')
    assert first.locator('[data-kind="amount"]').inner_text() == "€12.90"
    assert first.locator('[data-kind="evidence"]').inner_text() == "Needed"
    assert "Send evidence in Stripe" in first.locator('[data-kind="next"]').inner_text()
    assert page.locator('tr[data-dispute="dp_3"] [data-kind="status"]').inner_text() == "Lost"
    page.get_by_role("link", name="Problems").click()
    page.wait_for_url("**/console/problems")
    refused = page.locator('tr[data-code="currency"]')
    assert refused.locator('[data-kind="register"]').inner_text() == "Back counter"
    assert "shop's currency" in refused.locator('[data-kind="advice"]').inner_text()
    flag = page.locator('tr[data-flag="uncaptured_authorization"]')
    assert flag.locator('[data-kind="amount"]').inner_text() == "€18.40"
    assert "never taken" in flag.locator('[data-kind="advice"]').inner_text()


# --- screenshots and accessibility --------------------------------------------------------------

PAGES = ("statements", "statement", "statement-closed", "statement-pt-BR", "devices",
         "pairing-code", "revoke", "disputes", "disputes-pt-BR", "problems",
         "problems-empty-pt-BR")  # fmt: skip


def open_page(page: Page, name: str, owners: Owners) -> None:
    portuguese = name.endswith("pt-BR")
    signed_in(page, owners.accounts.owner_pt if portuguese else owners.accounts.owner)
    base = name.removesuffix("-pt-BR").removesuffix("-empty")
    if base == "statement":
        page.goto(f"/console/statements/{owners.this_month}")
    elif base == "statement-closed":
        page.goto(f"/console/statements/{owners.last_month}")
    elif base == "pairing-code":
        page.goto("/console/devices")
        page.get_by_role("button", name="Make a pairing code").click()
        page.locator("[data-code]").wait_for()
    elif base == "revoke":
        page.goto(f"/console/devices/{owners.back.device_id}/revoke")
    else:
        page.goto(f"/console/{base}")


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("name", PAGES)
def test_every_owner_page_is_shot_and_passes_the_accessibility_checks(
    chromium: Chromium,  # noqa: F811 - the imported fixture
    owner_live: LiveServer,
    owners: Owners,
    name: str,
    viewport: str,
) -> None:
    width, height = VIEWPORTS[viewport]
    context = chromium.new_context(
        base_url=owner_live.url, viewport={"width": width, "height": height}, locale="en-US",
        device_scale_factor=1,
    )  # fmt: skip
    try:
        page = context.new_page()
        open_page(page, name, owners)
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
