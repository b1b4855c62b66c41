"""The owner's pages beyond sales over real HTTP (uvicorn on loopback, real PostgreSQL): fee
statements with exact figures (the same as `fees.statements_for`, what `sync-server fees
statement` prints) and their CSV and PDF, registers (revoke after a confirm step, the token
refused at once; a new pairing code that pairs), disputes and problems, each with its empty
state, CSRF refusals, and the shop's language and time zone."""

from __future__ import annotations

import csv
import io
import re
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import create_engine, text

from sync_server.config import Settings
from sync_server.db import tenant_transaction
from sync_server.disputes import service as disputes
from sync_server.disputes.schemas import DisputeIn
from sync_server.fees import service as fees
from sync_server.flags import service as flags
from sync_server.scope import admin_scope
from sync_server.tenants.schemas import Tenant
from tests.support.push_payloads import build_order, build_refund, change, push
from tests.support.sync_server_live import LiveServer
from tests.support.sync_server_tenants import Device, create_tenant, pair_device
from tests.sync_server.console.conftest import Browser, make_owner
from tests.sync_server.kit.test_pdf import pages_text

pytestmark = pytest.mark.postgres

MARCH = datetime(2026, 3, 14, 12, 0, tzinfo=UTC)


def cells(page: str, row_attr: str, value: str) -> dict[str, str]:
    """The `data-kind` cells of the row whose `row_attr` is `value`."""
    row = re.search(rf'<tr[^>]*{row_attr}="{re.escape(value)}"[^>]*>(.*?)</tr>', page, re.S)
    assert row is not None, (row_attr, value)
    return {kind: text.strip() for kind, text in re.findall(
        r'<td[^>]*data-kind="([\w-]+)"[^>]*>(.*?)</td>', row.group(1), re.S)}  # fmt: skip


def summary(page: str) -> dict[str, str]:
    return dict(re.findall(r'<tr data-row="(\w+)"[^>]*><th[^>]*>[^<]*</th><td>([^<]*)</td>', page))


def a_month_of_fees(settings: Settings, http: httpx.Client, device: Device) -> uuid.UUID:
    """March 2026: coffee 2 × 3.50 and a croissant 4.50 in one order, a croissant 4.50 in
    another, refunded; a lost dispute of 7.00 on the first order. Returns the first order."""
    first_id, first = build_order(
        lines=[("COF", "Café com leite", 2, 350, 0), ("CRO", "Croissant", 1, 450, 0)],
        paid_at=MARCH,
    )
    second_id, second = build_order(lines=[("CRO", "Croissant", 1, 450, 0)], paid_at=MARCH,
                                    number=2)  # fmt: skip
    refund_id, refund = build_refund(second, created_at=MARCH + timedelta(days=6),
                                     order_id=second_id)  # fmt: skip
    response = push(http, device, [change(1, "order", first_id, first),
                                   change(2, "order", second_id, second),
                                   change(3, "refund", refund_id, refund)])  # fmt: skip
    assert response.status_code == 200, response.text
    assert not response.json()["refused"], response.text
    dispute(settings, device.tenant, "dp_lost", status="lost", amount=700, order_id=first_id,
            updated_at=MARCH + timedelta(days=11))  # fmt: skip
    return first_id


def dispute(
    settings: Settings, tenant: Tenant, dispute_id: str, *, status: str, amount: int,
    order_id: uuid.UUID | None = None, updated_at: datetime | None = None,
    due: datetime | None = None, reason: str = "fraudulent",
) -> None:  # fmt: skip
    engine = create_engine(settings.database_url)
    try:
        with tenant_transaction(engine, tenant.id) as conn:
            disputes.upsert_dispute(conn, tenant=tenant, dispute=DisputeIn(
                id=dispute_id, order_id=order_id, amount_minor=amount, currency=tenant.currency,
                reason=reason, status=status, evidence_due_by=due,
                updated_at=updated_at or datetime.now(UTC),
            ))  # fmt: skip
    finally:
        engine.dispose()


def signed_in(browser: Browser, settings: Settings, tenant: Tenant) -> Browser:
    assert browser.sign_in(make_owner(settings, tenant)).status_code == 303
    return browser


def test_the_statement_shows_each_product_the_signed_adjustments_and_the_fee(
    browser: Browser, http: httpx.Client, settings: Settings, tenant: Tenant, device: Device
) -> None:
    a_month_of_fees(settings, http, device)
    signed_in(browser, settings, tenant)

    listing = browser.page("/console/statements")
    assert listing.status_code == 200
    assert cells(listing.text, "data-period", "2026-03") == {
        "status": '<span class="badge badge-open">Open</span>', "net": "€4.50", "fee": "€0.04",
    }  # fmt: skip
    assert 'href="/console/statements/2026-03">March 2026</a>' in listing.text

    page = browser.page("/console/statements/2026-03")
    assert page.status_code == 200
    assert '<h1 id="page-title">Fee statement, March 2026</h1>' in page.text
    assert "Open: the figures can still change" in page.text
    assert "Fee rate 1.00% of revenue" in page.text
    products = {
        "": {"revenue": "€0.00", "refunds": "€0.00", "chargebacks": "-€7.00", "net": "-€7.00",
             "fee": "-€0.07"},
        "COF": {"revenue": "€7.00", "refunds": "€0.00", "chargebacks": "€0.00", "net": "€7.00",
                "fee": "€0.07"},
        "CRO": {"revenue": "€9.00", "refunds": "-€4.50", "chargebacks": "€0.00", "net": "€4.50",
                "fee": "€0.04"},
    }  # fmt: skip
    for sku, expected in products.items():
        assert cells(page.text, "data-sku", sku) == expected, sku
    assert "Chargebacks (lost disputes)" in page.text
    assert summary(page.text) == {
        "revenue": "€16.00", "refunds": "-€4.50", "chargebacks": "-€7.00", "net": "€4.50",
        "adjustments": "€0.00", "fee": "€0.04",
    }  # fmt: skip
    # One implementation: the page's figures are the fees service's (the CLI's `fees statement`).
    engine = create_engine(settings.database_url)
    try:
        with tenant_transaction(engine, tenant.id) as conn:
            (statement,) = fees.statements_for(conn, tenant, "2026-03")
    finally:
        engine.dispose()
    assert (statement.gross_minor, statement.refunds_minor, statement.chargebacks_minor,
            statement.net_minor, statement.fee_minor) == (1600, 450, 700, 450, 4)  # fmt: skip


def test_the_statement_downloads_as_csv_and_as_pdf(
    browser: Browser, http: httpx.Client, settings: Settings, tenant: Tenant, device: Device
) -> None:
    a_month_of_fees(settings, http, device)
    signed_in(browser, settings, tenant)

    got = browser.page("/console/statements/2026-03/statement.csv")
    assert got.status_code == 200
    assert got.headers["content-type"] == "text/csv; charset=utf-8"
    assert got.headers["content-disposition"] == (
        f'attachment; filename="fees-{tenant.slug}-2026-03.csv"'
    )
    text = got.content.decode("utf-8")
    assert text.splitlines()[0] == (
        "shop,period,status,currency,rate_bps,row,sku,product,revenue,refunds,chargebacks,net,"
        "fee,adjustments_in_net"
    )
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["row"], r["sku"], r["product"], r["revenue"], r["refunds"], r["chargebacks"],
             r["net"], r["fee"]) for r in rows] == [
        ("product", "", "Chargebacks (lost disputes)", "0.00", "0.00", "-7.00", "-7.00", "-0.07"),
        ("product", "COF", "Café com leite", "7.00", "0.00", "0.00", "7.00", "0.07"),
        ("product", "CRO", "Croissant", "9.00", "-4.50", "0.00", "4.50", "0.04"),
        ("total", "", "", "16.00", "-4.50", "-7.00", "4.50", "0.04"),
    ]  # fmt: skip
    assert {r["status"] for r in rows} == {"open"}
    assert rows[-1]["adjustments_in_net"] == "0.00"

    got = browser.page("/console/statements/2026-03/statement.pdf")
    assert got.status_code == 200
    assert got.headers["content-type"] == "application/pdf"
    shown = [text for page in pages_text(got.content) for _, _, text in page]
    assert tenant.name in shown
    assert "Fee statement, March 2026" in shown
    assert "Café com leite" in shown
    assert shown[shown.index("Revenue charged") + 1] == "€4.50"
    assert shown[shown.index("Fee at 1.00%") + 1] == "€0.04"


def test_decimal_text_follows_the_currencys_decimals() -> None:
    from sync_server.kit.currency import decimal_text

    assert decimal_text(-1234, "EUR") == "-12.34"
    assert decimal_text(5, "BRL") == "0.05"
    assert decimal_text(-0, "USD") == "0.00"
    assert decimal_text(1234, "JPY") == "1234"
    assert decimal_text(1234, "KWD") == "1.234"


def test_a_month_that_cannot_be_is_a_404_page(
    browser: Browser, settings: Settings, tenant: Tenant
) -> None:
    signed_in(browser, settings, tenant)
    for period in ("2026-13", "march", "2999-01", "2026-3", "..%2F..%2Fetc",
                   "1999-01"):  # fmt: skip  # the last: before the shop was created
        for suffix in ("", "/statement.csv", "/statement.pdf"):
            got = browser.page(f"/console/statements/{period}{suffix}")
            assert got.status_code == 404, (period, suffix)
            assert "There is no such page." in got.text


def test_empty_pages_say_what_will_appear(browser: Browser, settings: Settings) -> None:
    shop = create_tenant(settings)
    signed_in(browser, settings, shop)
    expected = {
        "/console/statements": "No fees yet. Once a register syncs a sale",
        "/console/devices": "No register paired yet.",
        "/console/disputes": "No disputes. If a customer disputes a card payment",
        "/console/problems": "No refused changes.",
    }
    for path, sentence in expected.items():
        page = browser.page(path)
        assert page.status_code == 200, path
        assert sentence in page.text, path
    assert "Nothing to check." in browser.page("/console/problems").text
    month = datetime.now(UTC).astimezone().strftime("%Y-%m")
    statement = browser.page(f"/console/statements/{month}")
    assert "Nothing in this month yet" in statement.text


def test_revoking_a_register_takes_a_confirm_step_and_stops_its_token_at_once(
    browser: Browser, http: httpx.Client, settings: Settings, tenant: Tenant, device: Device
) -> None:
    assert http.get("/v1/devices/me", headers=device.headers).status_code == 200  # last seen
    signed_in(browser, settings, tenant)
    page = browser.page("/console/devices")
    row = cells(page.text, "data-device", str(device.device_id))
    assert row["state"] == "Active"
    assert re.fullmatch(r"\w+ \d+, 20\d\d at \d\d:\d\d", row["last-seen"]), row
    assert re.fullmatch(r"\w+ \d+, 20\d\d at \d\d:\d\d", row["paired"]), row

    confirm = browser.page(f"/console/devices/{device.device_id}/revoke")
    assert confirm.status_code == 200
    assert "Revoke Register?" in confirm.text
    assert "stops syncing at once" in confirm.text
    path = f"/console/devices/{device.device_id}/revoke"

    refused = browser.client.post(path, data={"csrf": "f" * 64})
    assert refused.status_code == 403
    assert "did not come from this site" in refused.text
    assert browser.client.post(path, data={}).status_code == 403
    assert http.get("/v1/devices/me", headers=device.headers).status_code == 200  # unchanged

    done = browser.submit(path, {}, from_page=path)
    assert done.status_code == 303
    assert done.headers["location"] == "/console/devices?notice=device_revoked_notice"
    assert http.get("/v1/devices/me", headers=device.headers).status_code == 401
    after = browser.page(done.headers["location"])
    assert "The register is revoked: it can no longer sync." in after.text
    assert cells(after.text, "data-device", str(device.device_id))["state"].startswith("Revoked ")
    assert f'href="/console/devices/{device.device_id}/revoke"' not in after.text
    already = browser.page(path)  # an old tab or a bookmark: no second "Yes, revoke"
    assert already.status_code == 200
    assert "Register is already revoked (since " in already.text
    assert "Yes, revoke" not in already.text
    assert f'action="{path}"' not in already.text
    twice = browser.submit(path, {}, from_page="/console/devices")  # the POST stays idempotent
    assert twice.status_code == 303

    for wrong in (str(uuid.uuid4()), "not-a-uuid"):
        assert browser.page(f"/console/devices/{wrong}/revoke").status_code == 404
        gone = browser.submit(f"/console/devices/{wrong}/revoke", {}, from_page="/console/devices")
        assert gone.status_code == 404


def test_a_new_pairing_code_is_shown_once_and_pairs_a_register(
    browser: Browser, http: httpx.Client, settings: Settings, tenant: Tenant
) -> None:
    signed_in(browser, settings, tenant)
    refused = browser.client.post("/console/devices/pairing-code", data={"csrf": "0" * 64})
    assert refused.status_code == 403
    assert "data-code" not in refused.text

    made = browser.submit("/console/devices/pairing-code", {}, from_page="/console/devices")
    assert made.status_code == 303  # post/redirect/get: a reload makes no second code
    assert made.headers["location"] == "/console/devices/pairing-code"
    page = browser.page(made.headers["location"])
    assert page.status_code == 200
    code = re.search(r'<p class="pairing-code" data-code>([A-Z0-9-]+)</p>', page.text)
    assert code is not None
    expires = re.search(r"Works once, until (.*?)\.</p>", page.text)
    assert expires is not None
    assert re.fullmatch(r"\w+ \d+, 20\d\d at \d\d:\d\d", expires.group(1))
    reload = browser.page("/console/devices/pairing-code")
    assert f"data-code>{code.group(1)}<" in reload.text  # the same code, not a second one
    assert "data-code" not in browser.page("/console/devices").text  # only on its own page
    paired = http.post("/v1/devices/pair", json={"code": code.group(1), "device_name": "Till 2"})
    assert paired.status_code == 200, paired.text
    assert paired.json()["tenant"]["id"] == str(tenant.id)
    assert "Till 2" in browser.page("/console/devices").text
    used = browser.page("/console/devices/pairing-code")  # used: no longer shown
    assert used.status_code == 303
    assert used.headers["location"] == "/console/devices"
    assert code.group(1) not in used.text


def test_disputes_say_reason_amount_due_date_status_evidence_and_what_to_do(
    browser: Browser, settings: Settings
) -> None:
    shop = create_tenant(settings, currency="BRL", timezone="America/Sao_Paulo")
    due = datetime(2030, 1, 15, 10, 30, tzinfo=UTC)
    dispute(settings, shop, "dp_open", status="needs_response", amount=12345, due=due)
    dispute(settings, shop, "dp_late", status="needs_response", amount=500, reason="duplicate",
            due=datetime(2026, 1, 2, 15, 0, tzinfo=UTC))  # fmt: skip
    dispute(settings, shop, "dp_review", status="under_review", amount=990, reason="general",
            due=due + timedelta(days=1))  # fmt: skip
    dispute(settings, shop, "dp_won", status="won", amount=100, reason="weird_new_reason")
    signed_in(browser, settings, shop)
    page = browser.page("/console/disputes")
    assert page.status_code == 200
    assert '<html lang="pt-BR">' in page.text
    assert cells(page.text, "data-dispute", "dp_open") == {
        "amount": "R$\u00a0123,45", "due": "15 de janeiro de 2030, 07:30",
        "status": "Precisa de resposta", "evidence": "Necessárias",
        "next": "Envie as provas no painel do Stripe antes do prazo: o recibo, o que foi "
        "vendido e qualquer assinatura ou mensagem do cliente.",
    }  # fmt: skip
    assert "O cliente diz que não fez o pagamento" in page.text
    late = cells(page.text, "data-dispute", "dp_late")
    assert late["due"] == "2 de janeiro de 2026, 12:00 (vencido)"
    assert late["evidence"] == "Prazo vencido"
    assert cells(page.text, "data-dispute", "dp_review")["evidence"] == "Enviadas, em análise"
    won = cells(page.text, "data-dispute", "dp_won")
    assert (won["status"], won["due"]) == ("Ganha", "Sem prazo")
    assert "weird_new_reason" in page.text  # a reason we have no words for, as Stripe says it
    order = re.findall(r'data-dispute="(\w+)"', page.text)
    assert order == ["dp_late", "dp_open", "dp_review", "dp_won"]  # open first, soonest due


def test_problems_list_refused_changes_and_open_flags_with_what_to_do(
    browser: Browser, http: httpx.Client, settings: Settings, tenant: Tenant, device: Device
) -> None:
    order_id, order = build_order(lines=[("TEA", "Tea", 1, 300, 0)], paid_at=MARCH,
                                  currency="USD")  # fmt: skip
    response = push(http, device, [change(1, "order", order_id, order)])
    assert response.json()["refused"][0]["code"] == "currency", response.text
    engine = create_engine(settings.database_url)
    try:
        with tenant_transaction(engine, tenant.id) as conn:
            flags.raise_flag(
                conn, tenant.id, kind="failed_refund", object_id="re_failed1", order_id=None,
                amount_minor=450, currency="EUR", detail="refund re_failed1 failed at the bank",
                now=datetime(2026, 3, 20, 8, 0, tzinfo=UTC),
            )  # fmt: skip
    finally:
        engine.dispose()
    signed_in(browser, settings, tenant)
    page = browser.page("/console/problems")
    assert page.status_code == 200
    row = cells(page.text, "data-entity", str(order_id))
    assert row["register"] == "Register"
    assert re.fullmatch(r"\w+ \d+, 20\d\d at \d\d:\d\d", row["when"])
    assert (
        row["advice"]
        == "It is not in your shop&#39;s currency. Check the register&#39;s shop settings."
    )
    assert row["reason"] == (
        '<span>It is in another currency than your shop&#39;s. <span class="detail">For '
        "support: data.currency: USD is not this shop&#39;s currency (currency)</span></span>"
    )
    flag = cells(page.text, "data-flag", "failed_refund")
    assert flag == {
        "since": "March 20, 2026 at 09:00", "amount": "€4.50",
        "advice": "A card refund failed at the customer&#39;s bank: the customer is still owed "
        "the money. Refund them another way (cash) and note it.",
    }  # fmt: skip
    assert "refund re_failed1 failed at the bank" in page.text
    assert "Card refund failed" in page.text


def test_the_nav_links_every_owner_page(
    browser: Browser, settings: Settings, tenant: Tenant
) -> None:
    signed_in(browser, settings, tenant)
    page = browser.page("/console/disputes")
    for path in ("today", "statements", "devices", "disputes", "problems"):
        assert f'href="/console/{path}"' in page.text
    assert 'href="/console/disputes" aria-current="page"' in page.text


def test_an_operator_is_refused_the_owner_pages(
    browser: Browser, settings: Settings, tenant: Tenant
) -> None:
    from tests.sync_server.console.conftest import make_operator

    assert browser.sign_in(make_operator(settings)).status_code == 303
    for path in ("/console/statements", "/console/statements/2026-03", "/console/devices",
                 "/console/disputes", "/console/problems"):  # fmt: skip
        assert browser.page(path).status_code == 403, path


def test_the_csv_quotes_what_needs_quoting() -> None:
    from sync_server.console.statement_files import statement_csv
    from sync_server.fees.rules import ProductFee, Statement

    product = ProductFee("BOLO,1", 'Bolo "de rolo", fatia', 1000, 0, 0, 1000, 15)
    statement = Statement("padaria", "2026-03", "BRL", 150, 1000, 0, 0, 1000, 15, 0, (product,))
    text = statement_csv("padaria", [statement])
    assert text.splitlines()[1] == (
        'padaria,2026-03,open,BRL,150,product,"BOLO,1","Bolo ""de rolo"", fatia",10.00,0.00,'
        "0.00,10.00,0.15,"
    )
    assert text.endswith("\r\n")
    assert list(csv.reader(io.StringIO(text)))[1][7] == 'Bolo "de rolo", fatia'


def test_the_csv_writes_formula_like_text_as_text_and_amounts_as_numbers() -> None:
    """OWASP CSV injection: a name a spreadsheet would run (`=HYPERLINK(...)`, `+`, `-`, `@`,
    tab, CR) gets a leading `'`; a negative amount stays a plain number."""
    from sync_server.console.statement_files import statement_csv
    from sync_server.fees.rules import ProductFee, Statement

    names = ['=HYPERLINK("http://evil.example","click")', "+1+2", "-2+3", "@SUM(A1)",
             "\tTab", "\rCR", "Café"]  # fmt: skip
    products = tuple(
        ProductFee(f"-S{n}" if n == 0 else f"S{n}", name, 1000, 300, 0, 700, 10)
        for n, name in enumerate(names)
    )
    statement = Statement("padaria", "2026-03", "BRL", 150, 7000, 2100, 0, 4900, 70, 0, products)
    rows = list(csv.DictReader(io.StringIO(statement_csv("padaria", [statement]))))
    assert [r["product"] for r in rows[:-1]] == [
        '\'=HYPERLINK("http://evil.example","click")', "'+1+2", "'-2+3", "'@SUM(A1)", "'\tTab",
        "'\rCR", "Café",
    ]  # fmt: skip
    assert rows[0]["sku"] == "'-S0"
    assert (rows[0]["refunds"], rows[-1]["refunds"]) == ("-3.00", "-21.00")  # numbers, as numbers
    assert rows[-1]["shop"] == "padaria"


def test_a_closed_month_is_final_and_a_late_sale_is_an_adjustment_of_the_next(
    fresh_settings: Settings, fresh_live: LiveServer
) -> None:
    """On a database of its own (closing a month is platform-wide): March closed with a
    croissant; a coffee of March pushed after the close is billed in April, as an adjustment."""
    shop = create_tenant(fresh_settings)
    with (
        httpx.Client(base_url=fresh_live.url, timeout=30) as http,
        httpx.Client(base_url=fresh_live.url, timeout=30, follow_redirects=False) as client,
    ):
        till = pair_device(http, fresh_settings, shop)
        first_id, first = build_order(lines=[("CRO", "Croissant", 1, 450, 0)], paid_at=MARCH)
        assert push(http, till, [change(1, "order", first_id, first)]).status_code == 200
        engine = create_engine(fresh_settings.admin_database_url)
        try:
            with admin_scope(engine) as scope:
                assert not fees.close_period(scope.connection, "2026-03").held
        finally:
            engine.dispose()
        late_id, late = build_order(lines=[("COF", "Coffee", 1, 350, 0)], paid_at=MARCH, number=2)
        assert push(http, till, [change(2, "order", late_id, late)]).status_code == 200

        browser = signed_in(Browser(client), fresh_settings, shop)
        listing = browser.page("/console/statements").text
        assert cells(listing, "data-period", "2026-03")["status"].endswith(">Closed</span>")
        assert cells(listing, "data-period", "2026-04") == {
            "status": '<span class="badge badge-open">Open</span>', "net": "€3.50",
            "fee": "€0.04",
        }  # fmt: skip
        march = browser.page("/console/statements/2026-03").text
        assert "Closed: these figures are final." in march
        assert summary(march) == {
            "revenue": "€4.50", "refunds": "€0.00", "chargebacks": "€0.00", "net": "€4.50",
            "adjustments": "€0.00", "fee": "€0.04",
        }  # fmt: skip
        assert "Coffee" not in march
        # The shop was created now, but sold in March: its created month is later, yet
        # March (with its sale) is shown; a closed month with nothing in it says it is final.
        engine = create_engine(fresh_settings.admin_database_url)
        try:
            with admin_scope(engine) as scope:
                scope.connection.execute(
                    text("UPDATE tenants SET created_at = '2026-02-10T12:00Z' WHERE id = :t"),
                    {"t": shop.id},
                )
        finally:
            engine.dispose()
        february = browser.page("/console/statements/2026-02")
        assert february.status_code == 200
        assert "Nothing was sold in this month. It is closed" in february.text
        assert "yet" not in february.text.split('class="empty">', 1)[1].split("</p>", 1)[0]
        assert browser.page("/console/statements/2026-01").status_code == 404
        april = browser.page("/console/statements/2026-04").text
        assert summary(april)["adjustments"] == "€3.50"
        assert cells(april, "data-sku", "COF")["net"] == "€3.50"
        rows = list(csv.DictReader(io.StringIO(
            browser.page("/console/statements/2026-03/statement.csv").text)))  # fmt: skip
        assert [(r["status"], r["row"], r["net"]) for r in rows] == [
            ("closed", "product", "4.50"), ("closed", "total", "4.50"),
        ]  # fmt: skip


def test_error_pages_speak_the_signed_in_owners_shop_language(
    browser: Browser, settings: Settings
) -> None:
    """A pt-BR shop's owner on an English browser: 404, 403 (operators' page), CSRF refusal
    and a validation error all in Portuguese; signed out, the browser's language again."""
    shop = create_tenant(settings, currency="BRL", timezone="America/Sao_Paulo")
    signed_in(browser, settings, shop)
    english = {"accept-language": "en-US,en;q=0.9"}
    missing = browser.page("/console/no-such-page", headers=english)
    assert missing.status_code == 404
    assert '<html lang="pt-BR">' in missing.text
    assert "Esta página não existe." in missing.text
    refused = browser.page("/console/shops", headers=english)
    assert refused.status_code == 403
    assert "Esta página é para operadores da plataforma." in refused.text
    csrf = browser.client.post("/console/devices/pairing-code", data={"csrf": "0" * 64},
                               headers=english)  # fmt: skip
    assert csrf.status_code == 403
    assert '<html lang="pt-BR">' in csrf.text
    browser.client.cookies.clear()
    signed_out = browser.page("/console/no-such-page", headers=english)
    assert '<html lang="en-US">' in signed_out.text
    browser.client.cookies.set("console_session", "cs_forged")
    assert '<html lang="en-US">' in browser.page("/console/no-such", headers=english).text
