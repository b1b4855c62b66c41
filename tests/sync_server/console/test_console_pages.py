"""The console over real HTTP (the app under uvicorn on loopback, real PostgreSQL): signing in
and out, the invitation's set-password link, the owner's Today page against pushed sales, the
operator's shop list, CSRF on every form, cross-shop attempts, headers and error pages."""

from __future__ import annotations

import html
import re
import string
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from sync_server.accounts import totp
from sync_server.config import Settings
from sync_server.console.i18n import CATALOGUES, EN, PT_BR
from sync_server.console.security import CookiePolicy, safe_next
from sync_server.console.words import AREAS
from sync_server.kit.currency import format_money
from sync_server.tenants.schemas import Tenant
from tests.support.push_payloads import build_order, build_refund, change, push
from tests.support.sync_server_live import LiveServer
from tests.support.sync_server_tenants import Device, create_tenant, pair_device
from tests.sync_server.console.conftest import (
    PASSWORD,
    Browser,
    invitation_token,
    make_operator,
    make_operator_with_totp,
    make_owner,
)

pytestmark = pytest.mark.postgres

POSTS = ("/console/sign-in", "/console/set-password", "/console/sign-out",
         "/console/sign-out-everywhere")  # fmt: skip


def figures(page: str, section: str) -> dict[str, dict[str, str]]:
    """The Today page's table of one section: row → tender kind → the text shown."""
    body = page.split(f'id="{section}"', 1)[1].split("</section>", 1)[0]
    table: dict[str, dict[str, str]] = {}
    for row, cells in re.findall(r'<tr[^>]*data-row="(\w+)">(.*?)</tr>', body, re.S):
        table[row] = dict(re.findall(r'<td data-kind="(\w+)">([^<]*)</td>', cells))
    return table


def push_day_of_sales(http: httpx.Client, device: Device, currency: str) -> None:
    """Card 10.00 + 1.50 tip; cash 5.00 (10.00 tendered, 5.00 change); card 3.00 refunded in
    full; an order of 7.00 voided."""
    # A second ago: the page's "today" holds it unless the shop's midnight falls in between.
    now = datetime.now(UTC) - timedelta(seconds=1)
    card_id, card = build_order(
        lines=[("C1", "Coffee", 1, 1000, 0)], paid_at=now, currency=currency, tip_minor=150
    )
    cash_id, cash = build_order(
        lines=[("T1", "Tea", 1, 500, 0)], paid_at=now, currency=currency, number=2
    )
    cash["tenders"][0].update(kind="cash", tendered_minor=1000, change_minor=500,
                              card_brand=None, card_last4=None)  # fmt: skip
    back_id, back = build_order(
        lines=[("M1", "Muffin", 1, 300, 0)], paid_at=now, currency=currency, number=3
    )
    refund_id, refund = build_refund(back, created_at=now + timedelta(seconds=30), order_id=back_id)
    void_id, void = build_order(
        lines=[("S1", "Soup", 1, 700, 0)], paid_at=now, currency=currency, number=4,
        status="voided",
    )  # fmt: skip
    response = push(http, device, [
        change(1, "order", card_id, card), change(2, "order", cash_id, cash),
        change(3, "order", back_id, back), change(4, "refund", refund_id, refund),
        change(5, "order", void_id, void),
    ])  # fmt: skip
    assert response.status_code == 200, response.text
    assert not response.json().get("rejected"), response.text


def test_an_owner_signs_in_and_today_shows_the_pushed_sales_cash_and_card_apart(
    browser: Browser, http: httpx.Client, settings: Settings, tenant: Tenant, device: Device
) -> None:
    push_day_of_sales(http, device, tenant.currency)
    email = make_owner(settings, tenant)

    signed_in = browser.sign_in(email)
    assert signed_in.status_code == 303
    assert signed_in.headers["location"] == "/console/today"
    cookie = signed_in.headers["set-cookie"]
    assert "console_session=cps_web_" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Path=/" in cookie
    assert "Secure" not in cookie  # the console's address is http://127.0.0.1 here

    page = browser.page("/console/today")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    assert '<html lang="en-US">' in page.text
    assert f'<h1 class="shop-name">{tenant.name}</h1>' in page.text

    def money(amount: int) -> str:
        return format_money(amount, tenant.currency, "en_US")

    expected = {
        "row_sales": {"cash": money(500), "card": money(1300), "total": money(1800)},
        "row_tips": {"cash": money(0), "card": money(150), "total": money(150)},
        "row_refunds": {"cash": money(0), "card": money(-300), "total": money(-300)},
        "row_net": {"cash": money(500), "card": money(1150), "total": money(1650)},
        "row_discounts": {"total": money(0)},
        "row_voids": {"total": money(700)},  # unsigned: no money moved
    }
    assert figures(page.text, "today") == expected
    assert figures(page.text, "last-30-days") == expected
    assert "Paid orders: 3 · refunds: 1 · voided: 1" in page.text


def test_a_wrong_password_is_refused_with_a_page_and_no_session(
    browser: Browser, settings: Settings, tenant: Tenant
) -> None:
    email = make_owner(settings, tenant)
    refused = browser.sign_in(email, "not the password at all")
    assert refused.status_code == 401
    assert EN["refused"] in refused.text
    assert "console_session" not in refused.headers.get("set-cookie", "")
    assert browser.page("/console/today").status_code == 303


def test_too_many_failures_lock_the_account_and_the_page_says_how_long(
    browser: Browser, settings: Settings, tenant: Tenant
) -> None:
    email = make_owner(settings, tenant)
    statuses = [browser.sign_in(email, f"wrong password {n}").status_code for n in range(10)]
    assert statuses == [401] * 10
    locked = browser.sign_in(email)  # the right password, too late
    assert locked.status_code == 429
    assert "Too many failed sign-ins: wait 15 minutes and try again." in locked.text
    assert int(locked.headers["retry-after"]) > 0


@pytest.mark.parametrize("path", POSTS)
@pytest.mark.parametrize("token", ["missing", "forged", "another session's"])
def test_every_form_refuses_a_post_without_its_csrf_token(
    browser: Browser, second_browser: Browser, settings: Settings, tenant: Tenant, path: str,
    token: str,
) -> None:  # fmt: skip
    email = make_owner(settings, tenant)
    assert browser.sign_in(email).status_code == 303
    assert second_browser.sign_in(email).status_code == 303
    browser.csrf_of("/console/sign-in")  # the pre-session cookie exists: only the token is wrong
    fields: dict[str, str] = {"email": email, "password": PASSWORD, "confirm": PASSWORD,
                              "token": invitation_token(settings, tenant, email)}  # fmt: skip
    if token == "forged":
        fields["csrf"] = "0" * 64
    elif token == "another session's":
        fields["csrf"] = second_browser.csrf_of("/console/today")
    refused = browser.client.post(path, data=fields)
    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("text/html")
    assert EN["csrf_refused"] in refused.text
    # Nothing happened: still signed in, on both.
    assert browser.page("/console/today").status_code == 200
    assert second_browser.page("/console/today").status_code == 200


def test_the_set_password_link_works_once(
    browser: Browser, settings: Settings, tenant: Tenant
) -> None:
    email = f"invited-{uuid.uuid4().hex[:8]}@example.test"
    token = invitation_token(settings, tenant, email)
    link = f"/console/set-password?token={token}"
    page = browser.page(link)
    assert page.status_code == 200
    assert page.headers["referrer-policy"] == "no-referrer"

    differ = browser.submit("/console/set-password",
                            {"token": token, "password": PASSWORD, "confirm": PASSWORD + "x"},
                            from_page=link)  # fmt: skip
    assert differ.status_code == 422
    assert EN["passwords_differ"] in differ.text
    weak = browser.submit("/console/set-password", {"token": token, "password": "short",
                          "confirm": "short"}, from_page=link)  # fmt: skip
    assert weak.status_code == 422
    assert "The password is too short" in weak.text

    done = browser.submit("/console/set-password",
                          {"token": token, "password": PASSWORD, "confirm": PASSWORD},
                          from_page=link)  # fmt: skip
    assert done.status_code == 303
    assert done.headers["location"] == "/console/sign-in?notice=password_set"
    assert EN["password_set"] in browser.page(done.headers["location"]).text

    used = browser.page(link)  # checked on opening (not used by it): no form to fill in vain
    assert used.status_code == 410
    assert EN["link_used"] in html.unescape(used.text)
    assert 'name="password"' not in used.text
    again = browser.submit("/console/set-password",
                           {"token": token, "password": PASSWORD, "confirm": PASSWORD},
                           from_page="/console/sign-in")  # fmt: skip
    assert again.status_code == 410
    assert EN["link_used"] in html.unescape(again.text)
    assert browser.sign_in(email).status_code == 303

    assert browser.page("/console/set-password?token=nonsense").status_code == 400


def test_sign_out_ends_this_session_and_everywhere_ends_the_others(
    browser: Browser, second_browser: Browser, settings: Settings, tenant: Tenant
) -> None:
    email = make_owner(settings, tenant)
    first = browser.sign_in(email).headers["set-cookie"]
    assert second_browser.sign_in(email).status_code == 303

    stolen = first.split(";", 1)[0].split("=", 1)[1]
    out = browser.submit("/console/sign-out", {}, from_page="/console/today")
    assert out.status_code == 303
    assert out.headers["location"].endswith("notice=signed_out")
    assert browser.page("/console/today").status_code == 303
    replayed = httpx.get(f"{browser.client.base_url}/console/today",
                         cookies={"console_session": stolen})  # fmt: skip
    assert replayed.status_code == 303  # the old cookie is dead on the server, not just deleted
    assert second_browser.page("/console/today").status_code == 200

    assert browser.sign_in(email).status_code == 303
    everywhere = browser.submit("/console/sign-out-everywhere", {}, from_page="/console/today")
    assert everywhere.status_code == 303
    assert second_browser.page("/console/today").status_code == 303
    assert browser.page("/console/today").status_code == 303


def test_an_owner_sees_only_their_own_shop_whatever_the_url_or_form_says(
    browser: Browser, http: httpx.Client, settings: Settings, tenant: Tenant, device: Device
) -> None:
    other = create_tenant(settings, currency="USD", timezone="America/New_York")
    push_day_of_sales(http, pair_device(http, settings, other), other.currency)
    email = make_owner(settings, tenant)
    assert browser.sign_in(email).status_code == 303

    for query in (f"?tenant_id={other.id}", f"?shop={other.slug}", f"?tenant={other.id}"):
        page = browser.page(f"/console/today{query}")
        assert page.status_code == 200
        assert other.slug not in page.text
        assert "$" not in page.text
        assert figures(page.text, "today")["row_sales"]["total"] == format_money(0, "EUR")
    for path in (f"/console/today/{other.id}", f"/console/shops/{other.slug}", "/console/shops"):
        answer = browser.page(path)
        assert answer.status_code in (403, 404), path
        assert other.slug not in answer.text
    # A form field naming the other shop changes nothing either.
    signed_out = browser.submit("/console/sign-out", {"tenant_id": str(other.id)},
                                from_page="/console/today")  # fmt: skip
    assert signed_out.status_code == 303
    assert browser.sign_in(email, PASSWORD).status_code == 303
    body = browser.client.post("/console/sign-in", data={
        "csrf": browser.csrf_of("/console/sign-in"), "email": email, "password": PASSWORD,
        "shop": other.slug, "tenant_id": str(other.id)})  # fmt: skip
    assert body.status_code == 303
    assert tenant.name in browser.page("/console/today").text


def test_operators_and_owners_each_keep_to_their_pages(
    browser: Browser, second_browser: Browser, settings: Settings, tenant: Tenant
) -> None:
    operator = make_operator(settings)
    signed_in = browser.sign_in(operator)
    assert signed_in.headers["location"] == "/console/shops"
    shops = browser.page("/console/shops")
    assert shops.status_code == 200
    row = re.search(rf'<tr data-slug="{tenant.slug}">(.*?)</tr>', shops.text, re.S)
    assert row is not None
    assert tenant.currency in row.group(1)
    assert "1.00%" in row.group(1)
    refused = browser.page("/console/today")
    assert refused.status_code == 403
    assert EN["owners_only"] in refused.text

    owner = make_owner(settings, tenant)
    assert second_browser.sign_in(owner).status_code == 303
    refused = second_browser.page("/console/shops")
    assert refused.status_code == 403
    assert EN["operators_only"] in refused.text


def test_a_signed_out_visit_goes_to_sign_in_and_back_but_never_off_site(
    browser: Browser, settings: Settings, tenant: Tenant
) -> None:
    away = browser.page("/console/today")
    assert away.status_code == 303
    assert away.headers["location"] == "/console/sign-in?next=%2Fconsole%2Ftoday"
    # Stripe sends a signed-out owner back with the card setup's session id: it is kept.
    done = "/console/payment-method/done?session_id=cs_test_a1B2"
    back = browser.page(done)
    assert back.headers["location"] == "/console/sign-in?" + urlencode({"next": done})
    odd = browser.page("/console/statements/2026-03", params={"x": "a b"})
    assert odd.headers["location"] == "/console/sign-in?next=%2Fconsole%2Fstatements%2F2026-03"
    email = make_owner(settings, tenant)
    for target, lands in (("/console/today", "/console/today"),
                          ("https://evil.example/", "/console/today"),
                          ("//evil.example/console", "/console/today"),
                          ("/console/../elsewhere", "/console/today"),
                          ("/\\evil.example", "/console/today"),
                          ("/console/shops", "/console/today"),  # operators' page: home
                          ("/console/sign-in", "/console/today"),
                          ("/console/statements/2026-03?x=1", "/console/statements/2026-03?x=1"),
                          ("/console/invoices", "/console/invoices"),
                          ("/console/payment-method", "/console/payment-method"),
                          (done, done),
                          ("/console/no-such-page", "/console/today")):  # fmt: skip
        response = browser.submit("/console/sign-in",
                                  {"email": email, "password": PASSWORD, "next": target},
                                  from_page="/console/sign-in")  # fmt: skip
        assert response.headers["location"] == lands, target
    assert safe_next("/console/today?x=1") == "/console/today?x=1"
    assert safe_next("/consolevil") is None


def test_security_headers_on_every_console_answer(browser: Browser) -> None:
    for path in ("/console/sign-in", "/console/static/console.css", "/console/nowhere"):
        answer = browser.page(path)
        csp = answer.headers["content-security-policy"]
        assert "script-src" not in csp
        assert "default-src 'none'" in csp
        assert "frame-ancestors 'none'" in csp
        assert answer.headers["x-frame-options"] == "DENY"
        assert answer.headers["referrer-policy"] == "no-referrer"
        assert answer.headers["x-content-type-options"] == "nosniff"
    assert browser.page("/console/sign-in").headers["cache-control"] == "no-store"
    csrf_cookie = browser.page("/console/sign-in", headers={"cookie": ""}).headers["set-cookie"]
    assert "SameSite=strict" in csrf_cookie
    assert "HttpOnly" in csrf_cookie


def test_secure_cookies_everywhere_but_plain_http_on_loopback() -> None:
    https = CookiePolicy.for_console("https://console.example.com")
    assert https.secure
    assert https.session_name == "__Host-console_session"
    assert https.options(same_site="lax") == {
        "path": "/", "secure": True, "httponly": True, "samesite": "lax"
    }  # fmt: skip
    assert CookiePolicy.for_console("http://example.com").secure
    for loopback in ("http://127.0.0.1:8000", "http://localhost:9000"):
        policy = CookiePolicy.for_console(loopback)
        assert not policy.secure
        assert policy.session_name == "console_session"


@pytest.mark.parametrize(
    ("method", "path", "options"),
    [
        ("GET", "/console/nowhere", {}),
        ("POST", "/console/today", {}),
        ("POST", "/console/sign-in", {"json": {"email": "a@b.c"}}),
        (
            "POST",
            "/console/sign-in",
            {
                "content": b"\xff\xfe=\x00&&",
                "headers": {"content-type": "application/x-www-form-urlencoded"},
            },
        ),
        ("POST", "/console/sign-in", {"data": {"email": "x" * 5000, "csrf": "y"}}),
        ("GET", "/console/set-password", {}),
        ("GET", "/console/sign-in?next=" + "%" * 50, {}),
    ],
)
def test_bad_input_is_a_page_never_a_500(
    browser: Browser, method: str, path: str, options: dict[str, Any]
) -> None:
    answer = browser.client.request(method, path, **options)
    assert 200 <= answer.status_code < 500, answer.text
    assert answer.headers["content-type"].startswith("text/html")
    assert '<html lang="en-US">' in answer.text


def test_the_api_keeps_its_json_errors(http: httpx.Client) -> None:
    answer = http.get("/v1/nowhere")
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "http_error"


def test_portuguese_before_sign_in_from_the_browser_and_after_from_the_shop(
    browser: Browser, http: httpx.Client, settings: Settings
) -> None:
    page = browser.page("/console/sign-in", headers={"accept-language": "pt-BR,pt;q=0.9,en;q=0.5"})
    assert '<html lang="pt-BR">' in page.text
    assert PT_BR["sign_in_button"] in page.text
    english = browser.page("/console/sign-in", headers={"accept-language": "fr,en;q=0.5"})
    assert '<html lang="en-US">' in english.text

    shop = create_tenant(settings, currency="BRL", timezone="America/Sao_Paulo")
    push_day_of_sales(http, pair_device(http, settings, shop), "BRL")
    assert browser.sign_in(make_owner(settings, shop)).status_code == 303
    today = browser.page("/console/today", headers={"accept-language": "en"})
    assert '<html lang="pt-BR">' in today.text
    assert figures(today.text, "today")["row_net"]["total"] == "R$\xa016,50"
    assert CATALOGUES["pt_BR"]["row_refunds"] in today.text
    assert "America/Sao_Paulo" in today.text


def test_both_languages_have_every_string_with_the_same_placeholders() -> None:
    en, pt_br = CATALOGUES["en_US"], CATALOGUES["pt_BR"]
    assert en.keys() == pt_br.keys()
    fields = string.Formatter()
    for key in en:
        ours = {name for _, name, _, _ in fields.parse(en[key]) if name}
        theirs = {name for _, name, _, _ in fields.parse(pt_br[key]) if name}
        assert ours == theirs, key
    for area in AREAS:
        assert area.keys() == {"en_US", "pt_BR"}


def test_an_operator_with_totp_is_asked_for_the_code_then_let_in(
    browser: Browser, settings: Settings
) -> None:
    email, secret = make_operator_with_totp(settings)
    asked = browser.sign_in(email)
    assert asked.status_code == 401
    assert EN["totp_required"] in asked.text  # "Enter your password again, and the code"
    assert 'id="totp"' in asked.text
    # The password is never sent back: the step asks for it again, focused, with the code.
    assert re.search(r'<input id="password"[^>]* required autofocus>', asked.text)
    assert re.search(r'<input id="totp"[^>]* required>', asked.text)
    assert PASSWORD not in asked.text
    fields = {"email": email, "password": PASSWORD}
    wrong = browser.submit("/console/sign-in", {**fields, "totp": "000000"},
                           from_page="/console/sign-in")  # fmt: skip
    assert wrong.status_code == 401
    assert EN["totp_wrong"] in wrong.text
    code = totp.code_at(secret, time.time())
    if code == "000000":  # one chance in a million: the wrong code above was this one
        code = totp.code_at(secret, time.time() + totp.STEP_SECONDS)
    let_in = browser.submit("/console/sign-in", {**fields, "totp": code},
                            from_page="/console/sign-in")  # fmt: skip
    assert let_in.status_code == 303
    assert let_in.headers["location"] == "/console/shops"
    assert browser.page("/console/shops").status_code == 200


def test_owner_requests_never_open_the_admin_engine(
    fresh_live: LiveServer, fresh_settings: Settings
) -> None:
    """The operator pages' admin engine is made only after an operator's session resolved: a
    server that has answered owners only (their pages, and their attempts at operator pages)
    has none."""
    shop = create_tenant(fresh_settings)
    owner = make_owner(fresh_settings, shop)
    operator = make_operator(fresh_settings)
    console = fresh_live.app.state.console
    with httpx.Client(base_url=fresh_live.url, timeout=30) as client:
        browser = Browser(client)
        assert browser.sign_in(owner).status_code == 303
        assert browser.page("/console/today").status_code == 200
        assert browser.page("/console/shops").status_code == 403
        assert browser.page("/console/shops", params={"tenant_id": str(shop.id)}).status_code == 403
        assert console._admin_engine is None
        assert browser.submit("/console/sign-out", {}, from_page="/console/today").is_redirect
        assert browser.sign_in(operator).status_code == 303
        assert browser.page("/console/shops").status_code == 200
        assert console._admin_engine is not None


def test_a_sign_in_without_the_pre_session_cookie_is_refused(
    live: LiveServer, settings: Settings, tenant: Tenant
) -> None:
    """A form posted from another site carries no cookie of ours (SameSite=Strict), and a token
    copied from one browser does not work for another."""
    email = make_owner(settings, tenant)
    with httpx.Client(base_url=live.url, timeout=30) as first:
        token = Browser(first).csrf_of("/console/sign-in")
    with httpx.Client(base_url=live.url, timeout=30) as stranger:
        fields = {"csrf": token, "email": email, "password": PASSWORD}
        refused = stranger.post("/console/sign-in", data=fields)
    assert refused.status_code == 403
    assert "console_session" not in refused.headers.get("set-cookie", "")


def test_a_body_over_the_limit_is_a_page_too(browser: Browser, settings: Settings) -> None:
    huge = {"csrf": "x", "email": "a" * (settings.max_body_bytes + 10)}
    answer = browser.client.post(
        "/console/sign-in", data=huge, headers={"accept-language": "pt-BR"}
    )
    assert answer.status_code == 413
    assert answer.headers["content-type"].startswith("text/html")
    assert PT_BR["too_large"] in answer.text
    assert "default-src 'none'" in answer.headers["content-security-policy"]
