"""The operators' pages over real HTTP (uvicorn on loopback, real PostgreSQL): each action does
what its `sync-server` command does, and exactly that; bad input is a form that says why and
keeps what was typed; an owner's session gets 403 on every operator page and action and changes
nothing; a failed job's secret link is never on the page."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text

from sync_server.config import Settings
from sync_server.console.i18n import CATALOGUES
from sync_server.console.operator_pages import month_to_close, percent_to_bps, recent_months
from sync_server.db import tenant_transaction
from sync_server.fees import service as fees
from sync_server.kit import queue
from sync_server.tenants.schemas import Tenant
from tests.support.push_payloads import build_order, change, push
from tests.support.sync_server_live import LiveServer, job_rows
from tests.support.sync_server_tenants import create_tenant, pair_device
from tests.sync_server.console.conftest import Browser, make_operator, make_owner, new_email

pytestmark = pytest.mark.postgres

EN = CATALOGUES["en_US"]

OPERATOR_GETS = ("/console/shops", "/console/month-end", "/console/fees", "/console/jobs",
                 "/console/refused")  # fmt: skip


def text_of(fragment: str) -> str:
    """A page fragment's visible text, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def row_of(page: str, attribute: str, value: str) -> str:
    match = re.search(rf'<tr [^>]*{attribute}="{re.escape(value)}"[^>]*>(.*?)</tr>', page, re.S)
    assert match is not None, f"no row {attribute}={value}"
    return text_of(match.group(1))


def admin_rows(settings: Settings, sql: str, **params: Any) -> list[Any]:
    engine = create_engine(settings.admin_database_url)
    try:
        with engine.begin() as conn:
            result = conn.execute(text(sql), params)
            return list(result) if result.returns_rows else []
    finally:
        engine.dispose()


@pytest.fixture
def operator(browser: Browser, settings: Settings) -> Browser:
    assert browser.sign_in(make_operator(settings)).status_code == 303
    return browser


# --- small pieces -------------------------------------------------------------------------------


def test_a_percent_becomes_basis_points_or_nothing() -> None:
    assert [percent_to_bps(v) for v in ("1.5", "1,25", "0", "100", "2.05", " 3 ")] == [
        150, 125, 0, 10_000, 205, 300,
    ]  # fmt: skip
    assert [percent_to_bps(v) for v in ("", "-1", "100.01", "1.234", "abc", "1e2")] == [None] * 6
    assert recent_months("2026-02", 3) == ["2026-02", "2026-01", "2025-12"]
    assert month_to_close(None, "2026-03") == "2026-02"
    assert month_to_close("2025-11", "2026-03") == "2025-12"
    assert month_to_close("2026-02", "2026-03") == "2026-03"  # refused until it ends


# --- shops --------------------------------------------------------------------------------------


def test_the_operator_creates_a_shop_with_its_rate(operator: Browser, settings: Settings) -> None:
    slug = f"shop-{new_email('x')[2:10]}"
    created = operator.submit(
        "/console/shops",
        {
            "slug": slug,
            "name": "Loja Nova",
            "currency": "brl",
            "timezone": "America/Sao_Paulo",
            "fee": "1,75",
        },
        from_page="/console/shops",
    )
    assert created.status_code == 303, created.text
    assert created.headers["location"] == f"/console/shops/{slug}?notice=shop_created"
    (shop,) = admin_rows(settings, "SELECT id, name, currency, timezone FROM tenants "
                         "WHERE slug = :s", s=slug)  # fmt: skip
    assert (shop.name, shop.currency, shop.timezone) == ("Loja Nova", "BRL", "America/Sao_Paulo")
    rates = admin_rows(settings, "SELECT effective_from, rate_bps FROM fee_rates "
                       "WHERE tenant_id = :t", t=shop.id)  # fmt: skip
    assert [(r.effective_from, r.rate_bps) for r in rates] == [(date(1970, 1, 1), 175)]

    page = operator.page(created.headers["location"])
    assert page.status_code == 200
    assert EN["shop_created"] in html.unescape(page.text)
    assert row_of(page.text, "data-from", "1970-01-01") == "Since the first sale 1.75%"
    listing = operator.page("/console/shops")
    assert row_of(listing.text, "data-slug", slug) == (
        f"{slug} Loja Nova BRL America/Sao_Paulo 1.75%"
    )


def test_a_wrong_shop_form_says_why_keeps_what_was_typed_and_creates_nothing(
    operator: Browser, settings: Settings, tenant: Tenant
) -> None:
    before = admin_rows(settings, "SELECT count(*) AS n FROM tenants")[0].n
    refused = operator.submit(
        "/console/shops",
        {
            "slug": "Bad Slug!",
            "name": "  ",
            "currency": "euro",
            "timezone": "Mars/Olympus",
            "fee": "120",
        },
        from_page="/console/shops",
    )
    assert refused.status_code == 422
    errors = re.findall(r'<p class="field-error" id="(\w+)-error">([^<]*)</p>', refused.text)
    assert [(field, html.unescape(message)) for field, message in errors] == [
        ("slug", EN["bad_slug"]),
        ("name", EN["bad_name"]),
        ("currency", EN["bad_currency"]),
        ("timezone", EN["bad_timezone"].format(zone="Mars/Olympus")),
        ("fee", EN["bad_percent"]),
    ]
    assert 'value="Bad Slug!"' in html.unescape(refused.text)
    assert 'id="timezone" name="timezone" type="text" value="Mars/Olympus"' in refused.text
    assert 'value="120"' in refused.text
    taken = operator.submit(
        "/console/shops",
        {
            "slug": tenant.slug,
            "name": "Again",
            "currency": "EUR",
            "timezone": "Europe/Paris",
            "fee": "1",
        },
        from_page="/console/shops",
    )
    assert taken.status_code == 422
    assert html.escape(EN["slug_taken"].format(slug=tenant.slug)) in taken.text
    assert admin_rows(settings, "SELECT count(*) AS n FROM tenants")[0].n == before


def test_a_new_fee_rate_from_a_month_joins_the_history(
    operator: Browser, settings: Settings
) -> None:
    shop = create_tenant(settings, fee_bps=120)
    path = f"/console/shops/{shop.slug}"
    bad = operator.submit(f"{path}/fee-rate", {"fee": "2", "month": "2030-13"}, from_page=path)
    assert bad.status_code == 422
    assert EN["bad_month"] in html.unescape(bad.text)
    assert 'value="2030-13"' in bad.text
    done = operator.submit(f"{path}/fee-rate", {"fee": "2.5", "month": "2030-02"}, from_page=path)
    assert done.status_code == 303
    assert done.headers["location"] == f"{path}?notice=rate_set"
    page = operator.page(path).text
    assert row_of(page, "data-from", "1970-01-01") == "Since the first sale 1.20%"
    assert row_of(page, "data-from", "2030-02-01") == "2030-02-01 2.50%"
    rates = admin_rows(settings, "SELECT effective_from, rate_bps FROM fee_rates "
                       "WHERE tenant_id = :t ORDER BY 1", t=shop.id)  # fmt: skip
    assert [(r.effective_from, r.rate_bps) for r in rates] == [
        (date(1970, 1, 1), 120), (date(2030, 2, 1), 250),
    ]  # fmt: skip
    again = operator.submit(f"{path}/fee-rate", {"fee": "2.5", "month": "2030-02"}, from_page=path)
    assert again.status_code == 422  # the rate already in force: refused, as by the CLI
    assert f"{shop.slug} already pays 250 bps in 2030-02" in html.unescape(again.text)
    early = operator.submit(f"{path}/fee-rate", {"fee": "3", "month": "2019-12"}, from_page=path)
    assert early.status_code == 422
    assert "2019-12 is before" in html.unescape(early.text)
    assert len(admin_rows(settings, "SELECT 1 FROM fee_rates WHERE tenant_id = :t",
                          t=shop.id)) == 2  # fmt: skip
    assert operator.page("/console/shops/no-such-shop").status_code == 404


def test_inviting_the_owner_queues_the_email_as_the_cli_does(
    operator: Browser, settings: Settings
) -> None:
    shop = create_tenant(settings)
    path = f"/console/shops/{shop.slug}"
    bad = operator.submit(f"{path}/invite", {"email": "not an address"}, from_page=path)
    assert bad.status_code == 422
    assert EN["bad_email"] in html.unescape(bad.text)
    assert 'value="not an address"' in bad.text
    email = new_email("owner")
    sent = operator.submit(f"{path}/invite", {"email": email}, from_page=path)
    assert sent.status_code == 303
    assert sent.headers["location"] == f"{path}?notice=owner_invited"
    invitations = admin_rows(
        settings, "SELECT a.email, i.email_status FROM owner_invitations i JOIN owner_accounts a "
        "ON a.id = i.account_id AND a.tenant_id = i.tenant_id WHERE i.tenant_id = :t", t=shop.id,
    )  # fmt: skip
    assert [(row.email, row.email_status) for row in invitations] == [(email, "queued")]
    jobs = [job for job in job_rows(settings, queue.SEND_OWNER_INVITATION)
            if job.args["tenant_id"] == str(shop.id)]  # fmt: skip
    assert len(jobs) == 1
    assert jobs[0].args["link"].startswith(f"{settings.console_url}/console/set-password?token=")


# --- the job queue ------------------------------------------------------------------------------


def failed_invitation_job(settings: Settings, shop: Tenant) -> tuple[int, str]:
    """An owner invitation whose email job used up its retries; its id and its secret link."""
    from sync_server.accounts import service as accounts

    engine = create_engine(settings.database_url)
    try:
        with tenant_transaction(engine, shop.id) as conn:
            invited = accounts.invite_owner(
                conn, key=settings.token_hmac_key, tenant=shop, email=new_email("owner"),
                public_base_url=settings.console_url,
            )  # fmt: skip
    finally:
        engine.dispose()
    (job,) = admin_rows(
        settings, "UPDATE procrastinate_jobs SET status = 'failed', attempts = 10 "
        "WHERE task_name = :task AND args->>'invitation_id' = :i RETURNING id",
        task=queue.SEND_OWNER_INVITATION, i=str(invited.invitation_id),
    )  # fmt: skip
    admin_rows(settings, "INSERT INTO job_errors (job_id, attempt, task_name, error) VALUES "
               "(:j, 9, :task, 'SMTPServerDisconnected: gone')", j=job.id,
               task=queue.SEND_OWNER_INVITATION)  # fmt: skip
    return job.id, invited.link


def test_failed_jobs_are_listed_without_their_secrets_and_a_retry_requeues_one(
    operator: Browser, settings: Settings
) -> None:
    shop = create_tenant(settings)
    job_id, link = failed_invitation_job(settings, shop)
    page = operator.page("/console/jobs").text
    row = row_of(page, "data-job", str(job_id))
    assert row.startswith(f"{job_id} send_owner_invitation (notifications) 10 ")
    assert "SMTPServerDisconnected: gone" in row
    shown = json.loads(re.search(r"<code>(\{.*?\})</code>", row_html(page, job_id)).group(1))  # type: ignore[union-attr]
    assert shown["link"] == "[hidden]"
    assert shown["tenant_id"] == str(shop.id)
    token = link.partition("token=")[2]
    assert token not in page
    assert token not in html.unescape(page)

    retried = operator.submit(f"/console/jobs/{job_id}/retry", {}, from_page="/console/jobs")
    assert retried.status_code == 303
    assert retried.headers["location"] == "/console/jobs?notice=job_queued"
    (status,) = admin_rows(settings, "SELECT status, attempts FROM procrastinate_jobs "
                           "WHERE id = :j", j=job_id)  # fmt: skip
    assert status.status == "todo"
    assert f'data-job="{job_id}"' not in operator.page("/console/jobs").text
    again = operator.submit(f"/console/jobs/{job_id}/retry", {}, from_page="/console/jobs")
    assert again.status_code == 409
    assert "not failed: nothing to retry" in again.text
    unknown = operator.submit("/console/jobs/999999999/retry", {}, from_page="/console/jobs")
    assert unknown.status_code == 404  # no such job: not a conflict
    assert "There is no such page." in unknown.text


def row_html(page: str, job_id: int) -> str:
    match = re.search(rf'<tr data-job="{job_id}">(.*?)</tr>', page, re.S)
    assert match is not None
    return html.unescape(match.group(1))


# --- refused changes ----------------------------------------------------------------------------


def test_refused_changes_of_every_shop_in_one_list(
    operator: Browser, http: httpx.Client, settings: Settings
) -> None:
    shops = [create_tenant(settings), create_tenant(settings, currency="USD")]
    ids = []
    for number, shop in enumerate(shops, 1):
        device = pair_device(http, settings, shop, name=f"Till {number}")
        order_id, order = build_order(
            lines=[("A", "Coffee", 1, 1_000, 100_000)], currency=shop.currency,
            paid_at=datetime(2026, 3, 14, 12, tzinfo=UTC), number=number,
        )  # fmt: skip
        order["lines"][0]["tax_minor"] += 300
        order["tax_minor"] += 300
        answer = push(http, device, [change(1, "order", order_id, order)])
        assert answer.json()["refused"][0]["code"] == "money_mismatch"
        ids.append((shop, device, order_id))
    page = operator.page("/console/refused").text
    for number, (shop, _device, order_id) in enumerate(ids, 1):
        row = row_of(page, "data-entity-id", str(order_id))
        assert re.fullmatch(  # the register by its name, as the owner's Problems page says it
            rf"\d{{4}}-\d\d-\d\d \d\d:\d\d UTC {shop.slug} Till {number} order {order_id} "
            r"\(#1\) money_mismatch data\.lines\[0\]\.tax_minor: .+",
            row,
        ), row


# --- month end (a database of its own: closing a month is platform-wide) -------------------------


@pytest.fixture
def fresh_operator(fresh_live: LiveServer, fresh_settings: Settings) -> Iterator[Browser]:
    with httpx.Client(base_url=fresh_live.url, timeout=60, follow_redirects=False) as client:
        browser = Browser(client)
        assert browser.sign_in(make_operator(fresh_settings)).status_code == 303
        yield browser


def test_month_end_closes_once_shows_verification_holds_and_reopens(
    fresh_operator: Browser, fresh_settings: Settings, fresh_live: LiveServer
) -> None:
    settings = fresh_settings
    good = create_tenant(settings)
    bad = create_tenant(settings, currency="USD", timezone="America/New_York")
    with httpx.Client(base_url=fresh_live.url, timeout=30) as http:
        for number, shop in enumerate((good, bad), 1):
            device = pair_device(http, settings, shop)
            order_id, order = build_order(
                lines=[("A", "Coffee", 2, 1_000, 0)], currency=shop.currency,
                paid_at=datetime(2026, 3, 14, 12, tzinfo=UTC), number=number,
            )  # fmt: skip
            assert push(http, device, [change(1, "order", order_id, order)]).status_code == 200
    # The bad shop's ledger is tampered with: its close must be held.
    admin_rows(settings, "UPDATE fee_ledger SET amount_minor = amount_minor + 1 "
               "WHERE tenant_id = :t", t=bad.id)  # fmt: skip

    page = fresh_operator.page("/console/month-end").text
    assert row_of(page, "data-slug", good.slug) == f"{good.slug} Agrees"
    assert row_of(page, "data-slug", bad.slug) == (
        f"{bad.slug} Differs (2) ledger {bad.slug} 2026-03 USD sale sku='A' (Coffee): ledger 2001 "
        f"!= recomputed 2000 open statement {bad.slug} 2026-03 USD: ledger net=2001 fee=20 adj=0 "
        "!= recomputed net=2000 fee=20 adj=0"
    )
    assert EN["held_none"] in html.unescape(page)
    assert EN["nothing_closed"] in html.unescape(page)

    not_a_month = fresh_operator.submit("/console/month-end/close", {"period": "March"},
                                        from_page="/console/month-end")  # fmt: skip
    assert not_a_month.status_code == 422
    assert EN["bad_month"] in html.unescape(not_a_month.text)

    closed = fresh_operator.submit("/console/month-end/close", {"period": "2026-03"},
                                   from_page="/console/month-end")  # fmt: skip
    assert closed.status_code == 303, closed.text  # post/redirect/get: a reload cannot re-close
    assert closed.headers["location"] == "/console/month-end?closed=2026-03"
    closed = fresh_operator.page(closed.headers["location"])
    assert closed.status_code == 200
    assert closed.text == fresh_operator.page("/console/month-end?closed=2026-03").text  # reload
    for odd in ("2026-13", "2999-01", "<b>x</b>"):  # not a closed month: no result, no echo
        other = fresh_operator.page("/console/month-end", params={"closed": odd})
        assert other.status_code == 200
        assert 'id="close-result"' not in other.text
        assert "<b>x" not in other.text
    result = re.search(r'id="close-result">(.*?)</div>', closed.text, re.S)
    assert result is not None
    assert text_of(result.group(1)) == (
        "Closed up to 2026-03 (statements frozen: 1). Fees frozen: €0.20."
    )
    assert "Months closed up to 2026-03." in closed.text
    assert row_of(closed.text, "data-period", "2026-03").startswith(f"{bad.slug} 2026-03 ")
    frozen = admin_rows(settings, "SELECT tenant_id, period, fee_minor FROM fee_statements")
    assert [(row.tenant_id, row.period, row.fee_minor) for row in frozen] == [
        (good.id, "2026-03", 20)
    ]
    again = fresh_operator.submit("/console/month-end/close", {"period": "2026-03"},
                                  from_page="/console/month-end")  # fmt: skip
    assert again.status_code == 422
    assert "2026-03 is already closed" in again.text
    assert len(admin_rows(settings, "SELECT 1 FROM fee_statements")) == 1  # closed once

    fees_page = fresh_operator.page("/console/fees", params={"to": "2026-04"}).text
    assert re.findall(r'<h2 id="month-([\d-]+)">', fees_page) == [
        "2026-04", "2026-03", "2026-02", "2026-01", "2025-12", "2025-11",
    ]  # fmt: skip
    march = fees_page.split('id="fees-2026-03"', 1)[1].split("</section>", 1)[0]
    assert row_of(march, "data-slug", good.slug) == f"{good.slug} €20.00 1.00% €0.20 €0.00 Closed –"
    assert row_of(march, "data-slug", bad.slug) == f"{bad.slug} $20.01 1.00% $0.20 $0.00 Held –"
    april = fees_page.split('id="fees-2026-04"', 1)[1].split("</section>", 1)[0]
    assert EN["fees_none"] in april
    assert fresh_operator.page("/console/fees", params={"to": "April"}).status_code == 400
    # Which months are shown, and links (plain anchors: keyboard reachable) to the ones around.
    assert "Showing November 2025 to April 2026." in fees_page
    links = dict(re.findall(r'<a href="([^"]+)"[^>]*data-kind="(\w+)"', fees_page))
    assert {kind: href for href, kind in links.items()} == {
        "older": "/console/fees?to=2025-10",
        "newer": "/console/fees?to=2026-10",
        "latest": "/console/fees",
    }
    older = fresh_operator.page("/console/fees", params={"to": "2025-10"}).text
    assert re.findall(r'<h2 id="month-([\d-]+)">', older)[0] == "2025-10"
    assert "Showing May 2025 to October 2025." in older
    # Up to this month: nothing newer to go to.
    latest = fresh_operator.page("/console/fees").text
    assert 'data-kind="older"' in latest
    assert 'data-kind="newer"' not in latest
    assert 'data-kind="latest"' not in latest

    reopened = fresh_operator.submit(
        "/console/month-end/reopen", {"period": "2026-03", "reason": "a late correction",
                                      "shop": good.slug},
        from_page="/console/month-end",
    )  # fmt: skip
    assert reopened.status_code == 303
    assert reopened.headers["location"] == "/console/month-end?notice=reopened"
    reasons = admin_rows(settings, "SELECT tenant_id, reason FROM fee_reopenings")
    assert [(row.tenant_id, row.reason) for row in reasons] == [(good.id, "a late correction")]
    page = fresh_operator.page("/console/month-end").text
    assert row_of(page, "data-slug", good.slug) == (
        f"{good.slug} 2026-03 reopened: a late correction Close its held months"
    )
    released = fresh_operator.submit("/console/month-end/release", {"shop": good.slug},
                                     from_page="/console/month-end")  # fmt: skip
    assert released.status_code == 303
    engine = create_engine(settings.admin_database_url)
    try:
        with engine.begin() as conn:
            assert [hold.slug for hold in fees.holds(conn)] == [bad.slug]
    finally:
        engine.dispose()


def test_fees_by_month_shows_each_shops_statement_of_this_month(
    operator: Browser, http: httpx.Client, settings: Settings
) -> None:
    shop = create_tenant(settings, fee_bps=250)
    device = pair_device(http, settings, shop)
    order_id, order = build_order(lines=[("A", "Coffee", 4, 1_000, 0)],
                                  paid_at=datetime.now(UTC))  # fmt: skip
    assert push(http, device, [change(1, "order", order_id, order)]).status_code == 200
    page = operator.page("/console/fees").text
    month = recent_months(datetime.now(UTC).strftime("%Y-%m"), 1)[0]
    section = page.split(f'id="fees-{month}"', 1)[1].split("</section>", 1)[0]
    assert row_of(section, "data-slug", shop.slug) == f"{shop.slug} €40.00 2.50% €1.00 €0.00 Open –"


# --- owners are refused everywhere, and nothing changes ------------------------------------------


def test_an_owner_gets_403_on_every_operator_page_and_action_and_nothing_changes(
    browser: Browser, settings: Settings, tenant: Tenant
) -> None:
    shop = create_tenant(settings)
    job_id, _ = failed_invitation_job(settings, shop)
    assert browser.sign_in(make_owner(settings, tenant)).status_code == 303
    csrf = browser.csrf_of("/console/today")  # the owner's own valid token
    counts = (
        "SELECT (SELECT count(*) FROM tenants) AS shops, "
        "(SELECT count(*) FROM fee_rates) AS rates, "
        "(SELECT count(*) FROM owner_invitations) AS invitations, "
        "(SELECT count(*) FROM fee_periods) AS periods, "
        "(SELECT count(*) FROM fee_reopenings) AS reopenings"
    )
    before = admin_rows(settings, counts)
    for path in (*OPERATOR_GETS, f"/console/shops/{shop.slug}"):
        refused = browser.page(path)
        assert refused.status_code == 403, path
        assert EN["operators_only"] in html.unescape(refused.text)
        assert shop.slug not in refused.text
    posts = {
        "/console/shops": {"slug": "owner-made", "name": "X", "currency": "EUR",
                           "timezone": "Europe/Paris", "fee": "0"},
        f"/console/shops/{shop.slug}/fee-rate": {"fee": "0", "month": "2031-01"},
        f"/console/shops/{shop.slug}/invite": {"email": new_email("intruder")},
        "/console/month-end/close": {"period": "2020-01"},
        "/console/month-end/release": {"shop": shop.slug},
        "/console/month-end/reopen": {"period": "2020-01", "reason": "x"},
        f"/console/jobs/{job_id}/retry": {},
    }  # fmt: skip
    for path, form in posts.items():
        for token in (csrf, ""):
            refused = browser.client.post(path, data={"csrf": token, **form})
            assert refused.status_code == 403, path
    assert admin_rows(settings, counts) == before
    (job,) = admin_rows(settings, "SELECT status FROM procrastinate_jobs WHERE id = :j", j=job_id)
    assert job.status == "failed"


def test_every_operator_form_refuses_a_post_without_its_csrf_token(
    operator: Browser, settings: Settings
) -> None:
    shop = create_tenant(settings)
    job_id, _ = failed_invitation_job(settings, shop)
    for path in ("/console/shops", f"/console/shops/{shop.slug}/fee-rate",
                 f"/console/shops/{shop.slug}/invite", "/console/month-end/close",
                 "/console/month-end/release", "/console/month-end/reopen",
                 f"/console/jobs/{job_id}/retry"):  # fmt: skip
        for token in ("", "f" * 64):
            refused = operator.client.post(path, data={"csrf": token, "period": "2020-01",
                                                       "shop": shop.slug})  # fmt: skip
            assert refused.status_code == 403, path
            assert "did not come from this site" in refused.text
    (job,) = admin_rows(settings, "SELECT status FROM procrastinate_jobs WHERE id = :j", j=job_id)
    assert job.status == "failed"
