"""axe-core over every console page, in Debian's chromium (headless, Playwright): signed out,
as an owner (in English and Portuguese), as an operator, and the error pages. Any serious or
critical violation fails, naming the rule, the element and what axe says to fix.

The pages come from the app itself: every GET route under /console must have a visit recipe in
`VISITS` (a page added later without one fails `test_every_console_page_has_a_visit_recipe`,
naming its route), so no page escapes the check.

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
from tests.sync_server.console.test_console_browser import (
    CHROMIUM,
    VIEWPORTS,
    Accounts,
    chromium_required,
)

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
    go: Callable[[Page, Accounts], None]
    locale: str = "en-US"
    status: int = field(default=200)
    """The status the visited page answers with (a check that the recipe reaches it)."""


def _goto(path: str) -> Callable[[Page, Accounts], None]:
    def go(page: Page, _people: Accounts) -> None:
        page.goto(path)

    return go


def _wrong_password(page: Page, people: Accounts) -> None:
    page.goto("/console/sign-in")
    page.get_by_label("Email").fill(people.owner)
    page.get_by_label("Password").fill("certainly not it")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("alert").wait_for()


def _set_password(page: Page, people: Accounts) -> None:
    page.goto(f"/console/set-password?token={people.invitation}")


def _weak_password(page: Page, people: Accounts) -> None:
    page.goto(f"/console/set-password?token={people.invitation}")
    page.locator("#password").fill("passwordpassword")
    page.locator("#confirm").fill("passwordpassword")
    page.locator("form button[type=submit]").click()
    page.get_by_role("alert").wait_for()


def _tampered_form(page: Page, _people: Accounts) -> None:
    page.goto("/console/today")
    page.locator('form[action="/console/sign-out"] input[name="csrf"]').evaluate(
        "field => { field.value = 'f'.repeat(64); }"
    )
    page.get_by_role("button", name="Sign out", exact=True).click()
    page.get_by_role("alert").wait_for()


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
    Visit("not-found", None, "signed out", _goto(f"{PREFIX}/no-such-page"), status=404),
    Visit("not-found-pt-BR", None, "owner_pt", _goto(f"{PREFIX}/no-such-page"), status=404,
          locale="pt-BR"),
    Visit("tampered-form", None, "owner", _tampered_form, status=403),
    Visit("invoices", f"{PREFIX}/invoices", "owner", _goto(f"{PREFIX}/invoices")),
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
def axe_people(axe_settings: Settings, axe_live: LiveServer) -> Accounts:
    return Accounts(axe_settings, axe_live)


# --- the tests ----------------------------------------------------------------------------------


def test_every_console_page_has_a_visit_recipe(axe_live: LiveServer) -> None:
    routes = console_get_routes(axe_live.app)
    visited = {visit.route for visit in VISITS if visit.route is not None}
    missing = sorted(routes - visited)
    assert not missing, (
        f"GET routes under {PREFIX} with no visit recipe in VISITS "
        f"(tests/sync_server/console/test_console_axe.py), so axe never checks them: "
        f"{', '.join(missing)}. Add a Visit for each (who signs in, how to get there)."
    )
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
    axe_chromium: Chromium, axe_live: LiveServer, axe_people: Accounts, visit: Visit,
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
        emails = {"owner": axe_people.owner, "owner_pt": axe_people.owner_pt,
                  "operator": axe_people.operator}  # fmt: skip
        if visit.who != "signed out":
            _sign_in(page, emails[visit.who])
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
