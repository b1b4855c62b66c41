"""axe-core over every console page, in Debian's chromium (headless, Playwright): signed out,
as an owner (in English and Portuguese), as an operator, and the error pages. Any serious or
critical violation fails, naming the rule, the element and what axe says to fix.

The pages come from the app itself: every GET route under /console must have a visit recipe in
`VISITS` (a page added later without one fails `test_every_console_page_has_a_visit_recipe`,
naming its route), so no page escapes the check. A route that answers a file rather than a page
(the statement's CSV and PDF) is declared in `DOWNLOADS` instead, with the reason it is no page;
`test_a_download_is_the_file_it_says_it_is` fetches each, signed in, and checks its content type,
its `Content-Disposition` and its first bytes.

The data are `test_owner_pages_browser`'s `Owners` (itself `test_console_browser`'s `Owners`):
a week of sales, last month closed, registers, disputes, refused changes, a flag, failed jobs; so
the pages are checked with rows in them, not only in their empty states.

axe's script is the one shipped inside the `axe-playwright-python` package (a dev dependency),
read from the installed package: nothing is fetched at test time. The console's CSP forbids
scripts it did not serve, so the pages are opened in a context with `bypass_csp=True`; the
pages themselves run no script. Without chromium the tests skip unless the browser tests are
required (`POS_BROWSER_TEST=required` or `CI`), as in `test_console_browser`."""

from __future__ import annotations

import importlib.resources
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pytest
from playwright.sync_api import Browser as Chromium
from playwright.sync_api import Page, sync_playwright

from sync_server.config import Settings
from sync_server.console.security import PREFIX
from tests.support.sync_server_db import PgServer, create_database, drop_database
from tests.support.sync_server_live import LiveServer, start_live_server
from tests.sync_server.console.conftest import PASSWORD
from tests.sync_server.console.test_console_browser import CHROMIUM, VIEWPORTS, chromium_required
from tests.sync_server.console.test_owner_pages_browser import Owners

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

BLOCKING = ("serious", "critical")
"""The impacts that fail a page (axe's others: minor, moderate)."""

Who = Literal["signed out", "owner", "owner_pt", "operator"]


def axe_script() -> str:
    """axe-core's script from the installed Python package (never the network)."""
    return (importlib.resources.files("axe_playwright_python") / "axe.min.js").read_text("utf-8")


# --- the visits ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Visit:
    """How to reach one state of a page: who signs in first, then what the browser does."""

    name: str
    route: str | None
    """The GET route (the app's path template) this visit covers; None for a page no route
    serves (the 404 page)."""
    who: Who
    go: Callable[[Page, Owners], None]
    locale: str = "en-US"
    status: int = field(default=200)
    """The status the visited page answers with (a check that the recipe reaches it)."""


@dataclass(frozen=True)
class Download:
    """A GET route that answers a file, not a page: axe has no page to check, so this says why
    and what the file must be (fetched signed in by `test_a_download_is_the_file_it_says_it_is`)."""

    name: str
    route: str
    reason: str
    who: Who
    path: Callable[[Owners], str]
    media_type: str
    filename: Callable[[Owners], str]
    starts_with: bytes


def _goto(path: str) -> Callable[[Page, Owners], None]:
    def go(page: Page, _people: Owners) -> None:
        page.goto(path)

    return go


def _wrong_password(page: Page, people: Owners) -> None:
    page.goto("/console/sign-in")
    page.get_by_label("Email").fill(people.accounts.owner)
    page.get_by_label("Password").fill("certainly not it")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("alert").wait_for()


def _set_password(page: Page, people: Owners) -> None:
    page.goto(f"/console/set-password?token={people.accounts.invitation}")


def _weak_password(page: Page, people: Owners) -> None:
    page.goto(f"/console/set-password?token={people.accounts.invitation}")
    page.locator("#password").fill("passwordpassword")
    page.locator("#confirm").fill("passwordpassword")
    page.locator("form button[type=submit]").click()
    page.get_by_role("alert").wait_for()


def _tampered_form(page: Page, _people: Owners) -> None:
    page.goto("/console/today")
    page.locator('form[action="/console/sign-out"] input[name="csrf"]').evaluate(
        "field => { field.value = 'f'.repeat(64); }"
    )
    page.get_by_role("button", name="Sign out", exact=True).click()
    page.get_by_role("alert").wait_for()


def _submit(action: str) -> str:
    return f'form[action="{action}"] button[type=submit]'


def _settings_error(page: Page, _people: Owners) -> None:
    page.goto(f"{PREFIX}/settings")
    page.locator("#day_ends_at").fill("13:30")  # a business day may end at 00:00-06:00 only
    page.locator(_submit(f"{PREFIX}/settings")).click()
    page.get_by_role("alert").wait_for()


def _pairing_code(page: Page, _people: Owners) -> None:
    page.goto(f"{PREFIX}/devices")
    page.locator(_submit(f"{PREFIX}/devices/pairing-code")).click()
    page.locator("[data-code]").wait_for()


def _revoke_confirm(page: Page, people: Owners) -> None:
    page.goto(f"{PREFIX}/devices/{people.back.device_id}/revoke")


def _this_month(path: str) -> Callable[[Page, Owners], None]:
    def go(page: Page, people: Owners) -> None:
        page.goto(f"{PREFIX}/statements/{people.this_month}{path}")

    return go


def _last_month(page: Page, people: Owners) -> None:
    page.goto(f"{PREFIX}/statements/{people.last_month}")


def _shop_rate_error(page: Page, _people: Owners) -> None:
    page.goto(f"{PREFIX}/shops/corner-cafe")
    page.locator("#fee").fill("a lot")
    page.locator(_submit(f"{PREFIX}/shops/corner-cafe/fee-rate")).click()
    page.locator("#rate-error").wait_for()


def _month_closed(page: Page, people: Owners) -> None:
    """Last month (closed by `Owners`) reopened, then closed again: the close's results."""
    page.goto(f"{PREFIX}/month-end")
    page.locator("#reopen-period").fill(people.last_month)
    page.locator("#reopen-reason").fill("The accessibility check closes it again")
    page.locator(_submit(f"{PREFIX}/month-end/reopen")).click()
    page.wait_for_url("**/month-end?notice=reopened")
    page.locator("#period").fill(people.last_month)
    page.locator(_submit(f"{PREFIX}/month-end/close")).click()
    page.locator("#close-result").wait_for()


def _month_end_error(page: Page, _people: Owners) -> None:
    page.goto(f"{PREFIX}/month-end")
    page.locator("#period").fill("next month")
    page.locator(_submit(f"{PREFIX}/month-end/close")).click()
    page.locator("#close-error").wait_for()


VISITS: tuple[Visit, ...] = (
    Visit("home", PREFIX, "signed out", _goto(PREFIX)),
    Visit("home-slash-owner", PREFIX + "/", "owner", _goto(PREFIX + "/")),
    Visit("sign-in", f"{PREFIX}/sign-in", "signed out", _goto(f"{PREFIX}/sign-in")),
    Visit("sign-in-pt-BR", f"{PREFIX}/sign-in", "signed out", _goto(f"{PREFIX}/sign-in"),
          locale="pt-BR"),
    Visit("sign-in-error", f"{PREFIX}/sign-in", "signed out", _wrong_password, status=401),
    Visit("set-password", f"{PREFIX}/set-password", "signed out", _set_password),
    Visit("set-password-weak", f"{PREFIX}/set-password", "signed out", _weak_password,
          status=422),
    Visit("set-password-bad-link", f"{PREFIX}/set-password", "signed out",
          _goto(f"{PREFIX}/set-password?token=nope"), status=400),
    Visit("today", f"{PREFIX}/today", "owner", _goto(f"{PREFIX}/today")),
    Visit("today-pt-BR", f"{PREFIX}/today", "owner_pt", _goto(f"{PREFIX}/today"),
          locale="pt-BR"),
    Visit("today-as-operator", f"{PREFIX}/today", "operator", _goto(f"{PREFIX}/today"),
          status=403),
    Visit("shops", f"{PREFIX}/shops", "operator", _goto(f"{PREFIX}/shops")),
    Visit("shops-as-owner", f"{PREFIX}/shops", "owner", _goto(f"{PREFIX}/shops"), status=403),
    # The report settings.
    Visit("settings", f"{PREFIX}/settings", "owner", _goto(f"{PREFIX}/settings")),
    Visit("settings-pt-BR", f"{PREFIX}/settings", "owner_pt", _goto(f"{PREFIX}/settings"),
          locale="pt-BR"),
    Visit("settings-error", f"{PREFIX}/settings", "owner", _settings_error, status=422),
    # The owner's pages, each with rows.
    Visit("statements", f"{PREFIX}/statements", "owner", _goto(f"{PREFIX}/statements")),
    Visit("statements-pt-BR", f"{PREFIX}/statements", "owner_pt", _goto(f"{PREFIX}/statements"),
          locale="pt-BR"),
    Visit("statement", f"{PREFIX}/statements/{{period}}", "owner", _this_month("")),
    Visit("statement-closed", f"{PREFIX}/statements/{{period}}", "owner", _last_month),
    Visit("statement-pt-BR", f"{PREFIX}/statements/{{period}}", "owner_pt", _this_month(""),
          locale="pt-BR"),
    Visit("statement-no-such-month", f"{PREFIX}/statements/{{period}}", "owner",
          _goto(f"{PREFIX}/statements/2026-13"), status=404),
    Visit("devices", f"{PREFIX}/devices", "owner", _goto(f"{PREFIX}/devices")),
    Visit("devices-pt-BR", f"{PREFIX}/devices", "owner_pt", _goto(f"{PREFIX}/devices"),
          locale="pt-BR"),
    Visit("devices-pairing-code", f"{PREFIX}/devices/pairing-code", "owner", _pairing_code),
    Visit("revoke-confirm", f"{PREFIX}/devices/{{device_id}}/revoke", "owner", _revoke_confirm),
    Visit("disputes", f"{PREFIX}/disputes", "owner", _goto(f"{PREFIX}/disputes")),
    Visit("disputes-pt-BR", f"{PREFIX}/disputes", "owner_pt", _goto(f"{PREFIX}/disputes"),
          locale="pt-BR"),
    Visit("problems", f"{PREFIX}/problems", "owner", _goto(f"{PREFIX}/problems")),
    Visit("problems-pt-BR", f"{PREFIX}/problems", "owner_pt", _goto(f"{PREFIX}/problems"),
          locale="pt-BR"),
    # The operators' pages.
    Visit("shop", f"{PREFIX}/shops/{{slug}}", "operator", _goto(f"{PREFIX}/shops/corner-cafe")),
    Visit("shop-rate-error", f"{PREFIX}/shops/{{slug}}", "operator", _shop_rate_error,
          status=422),
    Visit("month-end", f"{PREFIX}/month-end", "operator", _goto(f"{PREFIX}/month-end")),
    Visit("month-end-closed", f"{PREFIX}/month-end", "operator", _month_closed),
    Visit("month-end-error", f"{PREFIX}/month-end", "operator", _month_end_error, status=422),
    Visit("fees", f"{PREFIX}/fees", "operator", _goto(f"{PREFIX}/fees")),
    Visit("jobs", f"{PREFIX}/jobs", "operator", _goto(f"{PREFIX}/jobs")),  # two failed jobs
    Visit("refused", f"{PREFIX}/refused", "operator", _goto(f"{PREFIX}/refused")),
    Visit("not-found", None, "signed out", _goto(f"{PREFIX}/no-such-page"), status=404),
    Visit("not-found-pt-BR", None, "owner_pt", _goto(f"{PREFIX}/no-such-page"), status=404,
          locale="pt-BR"),
    Visit("tampered-form", None, "owner", _tampered_form, status=403),
    Visit("invoices", f"{PREFIX}/invoices", "owner", _goto(f"{PREFIX}/invoices")),
    # The card the platform charges (no platform Stripe key here: the page says so; the card
    # shown and Stripe's round trip are checked by test_payment_method_pages in chromium).
    Visit("payment-method", f"{PREFIX}/payment-method", "owner",
          _goto(f"{PREFIX}/payment-method")),
    Visit("payment-method-pt-BR", f"{PREFIX}/payment-method", "owner_pt",
          _goto(f"{PREFIX}/payment-method"), locale="pt-BR"),
    Visit("payment-method-done", f"{PREFIX}/payment-method/done", "owner",
          _goto(f"{PREFIX}/payment-method/done?cancelled=1")),
    Visit("payment-method-done-not-configured", f"{PREFIX}/payment-method/done", "owner",
          _goto(f"{PREFIX}/payment-method/done?session_id=cs_test_axe"), status=404),
)  # fmt: skip

_FILE = "a download (Content-Disposition: attachment), not a page: the browser saves it"

DOWNLOADS: tuple[Download, ...] = (
    Download("statement-csv", f"{PREFIX}/statements/{{period}}/statement.csv", _FILE, "owner",
             lambda people: f"{PREFIX}/statements/{people.last_month}/statement.csv",
             "text/csv; charset=utf-8",
             lambda people: f"fees-corner-cafe-{people.last_month}.csv", b"shop,period,"),
    Download("statement-pdf", f"{PREFIX}/statements/{{period}}/statement.pdf", _FILE, "owner",
             lambda people: f"{PREFIX}/statements/{people.last_month}/statement.pdf",
             "application/pdf",
             lambda people: f"fees-corner-cafe-{people.last_month}.pdf", b"%PDF-"),
)  # fmt: skip


def console_get_routes(app: Any) -> set[str]:
    """Every GET route the app serves under /console (the static files' mount aside)."""
    return {
        route.path
        for route in _flat_routes(app.routes)
        if "GET" in (getattr(route, "methods", None) or ())
        and (route.path == PREFIX or route.path.startswith(PREFIX + "/"))
    }


def _flat_routes(routes: Any) -> list[Any]:
    """The app's routes, included routers flattened (as `test_cross_tenant` does): newer
    FastAPI keeps an included router as one entry of `app.routes`."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:
        return list(routes)
    return list(iter_route_contexts(routes))


# --- fixtures -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def axe_chromium() -> Iterator[Chromium]:
    if not CHROMIUM.exists():
        reason = f"no chromium at {CHROMIUM} (apt-get install chromium)"
        if chromium_required():
            pytest.fail(f"{reason}, and the browser tests are required here")
        pytest.skip(f"{reason}; set POS_BROWSER_TEST=required to make this a failure")
    args = ["--no-sandbox"] if os.geteuid() == 0 else []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=args
        )
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def axe_settings(pg_server: PgServer) -> Iterator[Settings]:
    name, built = create_database(pg_server)
    yield built
    drop_database(pg_server, name)


@pytest.fixture(scope="module")
def axe_live(axe_settings: Settings) -> Iterator[LiveServer]:
    server = start_live_server(axe_settings)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def axe_people(axe_settings: Settings, axe_live: LiveServer) -> Owners:
    return Owners(axe_settings, axe_live)


def _emails(people: Owners) -> dict[str, str]:
    return {"owner": people.accounts.owner, "owner_pt": people.accounts.owner_pt,
            "operator": people.accounts.operator}  # fmt: skip


# --- the tests ----------------------------------------------------------------------------------


def test_every_console_page_has_a_visit_recipe(axe_live: LiveServer) -> None:
    routes = console_get_routes(axe_live.app)
    pages = {visit.route for visit in VISITS if visit.route is not None}
    files = {download.route for download in DOWNLOADS}
    visited = pages | files
    missing = sorted(routes - visited)
    assert not missing, (
        f"GET routes under {PREFIX} with no visit recipe in VISITS "
        f"(tests/sync_server/console/test_console_axe.py), so axe never checks them: "
        f"{', '.join(missing)}. Add a Visit for each (who signs in, how to get there), or a "
        f"Download in DOWNLOADS for a route that answers a file."
    )
    both = sorted(pages & files)
    assert not both, f"routes declared both a page and a download: {both}"
    stale = sorted(visited - routes)
    assert not stale, f"visit recipes for routes the app no longer serves: {stale}"


def _sign_in(page: Page, email: str) -> None:
    page.goto(f"{PREFIX}/sign-in")
    page.locator("#email").fill(email)  # by id: the labels are in the browser's language
    page.locator("#password").fill(PASSWORD)
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_url(lambda url: "/sign-in" not in url)


def serious_violations(page: Page) -> list[str]:
    page.evaluate(axe_script())
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    found = []
    for violation in results["violations"]:
        if violation["impact"] not in BLOCKING:
            continue
        for node in violation["nodes"]:
            summary = " ".join(str(node.get("failureSummary") or "").split())
            found.append(
                f"{violation['impact']} {violation['id']} ({violation['help']}) at "
                f"{' '.join(map(str, node['target']))}: {summary}"
            )
    return found


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("visit", VISITS, ids=[visit.name for visit in VISITS])
def test_axe_finds_nothing_serious(
    axe_chromium: Chromium, axe_live: LiveServer, axe_people: Owners, visit: Visit,
    viewport: str,
) -> None:  # fmt: skip
    width, height = VIEWPORTS[viewport]
    context = axe_chromium.new_context(
        base_url=axe_live.url,
        viewport={"width": width, "height": height},
        locale=visit.locale,
        bypass_csp=True,  # axe's script is injected; the console's CSP allows none
    )
    try:
        page = context.new_page()
        statuses: list[int] = []
        page.on(
            "response",
            lambda response: (
                statuses.append(response.status)
                if response.request.resource_type == "document"
                else None
            ),
        )
        if visit.who != "signed out":
            _sign_in(page, _emails(axe_people)[visit.who])
        statuses.clear()
        visit.go(page, axe_people)
        page.wait_for_load_state("load")
        assert statuses, f"{visit.name}: no page was loaded"
        assert statuses[-1] == visit.status, f"{visit.name}: answered {statuses[-1]}"
        problems = serious_violations(page)
        assert not problems, f"{visit.name} at {width}x{height} ({page.url}):\n" + "\n".join(
            problems
        )
    finally:
        context.close()


@pytest.mark.parametrize("download", DOWNLOADS, ids=[download.name for download in DOWNLOADS])
def test_a_download_is_the_file_it_says_it_is(
    axe_chromium: Chromium, axe_live: LiveServer, axe_people: Owners, download: Download
) -> None:
    assert download.reason.strip()
    context = axe_chromium.new_context(base_url=axe_live.url)
    try:
        page = context.new_page()
        if download.who != "signed out":
            _sign_in(page, _emails(axe_people)[download.who])
        response = context.request.get(download.path(axe_people))
        assert response.status == 200, response.text()
        assert response.headers["content-type"] == download.media_type
        assert response.headers["content-disposition"] == (
            f'attachment; filename="{download.filename(axe_people)}"'
        )
        assert response.body().startswith(download.starts_with), response.body()[:40]
    finally:
        context.close()


def test_axe_is_read_from_the_installed_package() -> None:
    script = axe_script()
    assert script.startswith("/*! axe v4."), script[:40]
    assert Path(str(importlib.resources.files("axe_playwright_python"))).is_dir()


def test_the_check_catches_what_it_is_there_to_catch(
    axe_chromium: Chromium, axe_live: LiveServer
) -> None:
    """The harness itself: a page given an unlabelled field, a nameless button and grey on grey
    text fails with the rules named (so a passing page means axe really ran)."""
    context = axe_chromium.new_context(base_url=axe_live.url, bypass_csp=True)
    try:
        page = context.new_page()
        page.goto(f"{PREFIX}/sign-in")
        assert serious_violations(page) == []
        page.evaluate(
            """() => { const main = document.querySelector('main');
              main.insertAdjacentHTML('beforeend',
                '<input type="text"><button></button>'
                + '<p style="color:#bbb;background:#ccc">faint</p>'); }"""
        )
        found = "\n".join(serious_violations(page))
        for rule in ("label", "button-name", "color-contrast"):
            assert f" {rule} (" in found, found
    finally:
        context.close()


def test_a_page_added_by_another_area_is_discovered() -> None:
    """Pages in an area's own router (`AREA_ROUTERS`) are found like the console's own: a new
    one without a recipe fails `test_every_console_page_has_a_visit_recipe`."""
    from fastapi import APIRouter, FastAPI

    area = APIRouter(prefix=PREFIX)
    area.add_api_route("/statements/{period}", lambda period: period, methods=["GET"])
    area.add_api_route("/statements/{period}", lambda period: period, methods=["POST"])
    app = FastAPI()
    app.include_router(area)
    app.add_api_route("/v1/other", lambda: None, methods=["GET"])
    assert console_get_routes(app) == {f"{PREFIX}/statements/{{period}}"}
