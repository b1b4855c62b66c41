"""The owner's sales report and settings pages over real HTTP (the app under uvicorn, real
PostgreSQL): the figures of a known week of a bar's sales as the page shows them, the business
day end set on the settings page moving a sale at 00:30 to the day before, a shop in reais in
Portuguese, the charts' text alternatives, and the settings form's refusals."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from sync_server.config import Settings
from sync_server.console.i18n import CATALOGUES
from sync_server.kit.currency import format_money
from sync_server.reports.service import business_day
from tests.support.report_seed import seed_week
from tests.support.sync_server_db import PgServer, create_database, drop_database
from tests.support.sync_server_live import LiveServer, start_live_server
from tests.support.sync_server_tenants import create_tenant
from tests.sync_server.console.conftest import Browser, make_owner
from tests.sync_server.console.test_console_pages import figures

pytestmark = pytest.mark.postgres

EN = CATALOGUES["en_US"]
PT = CATALOGUES["pt_BR"]


@pytest.fixture(scope="module")
def settings(pg_server: PgServer) -> Iterator[Settings]:
    """A database of its own (and a server on it, `live`): the known week is written straight
    into the tables, without the fee ledger a push writes, so it must never meet `fees verify`
    in the shared database."""
    name, built = create_database(pg_server)
    yield built
    drop_database(pg_server, name)


@pytest.fixture(scope="module")
def live(settings: Settings) -> Iterator[LiveServer]:
    server = start_live_server(settings)
    yield server
    server.stop()


def section(page: str, section_id: str) -> str:
    return page.split(f'id="{section_id}"', 1)[1].split("</section>", 1)[0]


def breakdown(page: str, section_id: str) -> list[list[str]]:
    """A breakdown table's rows: the name and its four figures, as shown."""
    rows = []
    for row in re.findall(r"<tbody>(.*?)</tbody>", section(page, section_id), re.S)[0].split(
        "</tr>"
    )[:-1]:
        cells = re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", row)
        rows.append([html.unescape(cell) for cell in cells])
    return rows


def save_settings(browser: Browser, day_ends_at: str, locale: str) -> int:
    answer = browser.submit("/console/settings", {"day_ends_at": day_ends_at, "locale": locale},
                            from_page="/console/settings")  # fmt: skip
    return answer.status_code


def test_a_bar_ending_its_day_at_two_sees_every_figure_of_its_known_week(
    settings: Settings, browser: Browser
) -> None:
    shop = create_tenant(settings, currency="USD", timezone="America/New_York")
    tz = ZoneInfo(shop.timezone)
    assert browser.sign_in(make_owner(settings, shop)).status_code == 303
    assert save_settings(browser, "02:00", "en_US") == 303
    seed_week(settings, shop, business_day(datetime.now(UTC), tz, time(2)), time(2))

    page = browser.page("/console/today").text

    def money(amount: int) -> str:
        return format_money(amount, "USD", "en_US")

    assert figures(page, "today") == {
        "row_sales": {"cash": money(800), "card": money(2700), "total": money(3500)},
        "row_tips": {"cash": money(0), "card": money(200), "total": money(200)},
        "row_refunds": {"cash": money(0), "card": money(-350), "total": money(-350)},
        "row_net": {"cash": money(800), "card": money(2550), "total": money(3350)},
        "row_discounts": {"total": money(-100)},
        "row_voids": {"total": money(500)},  # unsigned: no money moved
    }  # the sale at 00:30 (cash 8.00) is today's; the one at 01:30 yesterday's
    assert figures(page, "last-30-days")["row_net"] == {
        "cash": money(2800), "card": money(3550), "total": money(6350)}  # fmt: skip
    assert figures(page, "card-payout") == {
        "payout_card_sales": {"today": money(2700), "period": money(3600)},
        "payout_card_tips": {"today": money(200), "period": money(300)},
        "payout_card_refunds": {"today": money(-350), "period": money(-350)},
        "payout_disputes_withdrawn": {"today": money(0), "period": money(-1600)},
        "payout_disputes_returned": {"today": money(700), "period": money(700)},
        "payout_total": {"today": money(3250), "period": money(2650)},
    }
    assert breakdown(page, "by-product") == [
        ["Beer", "2", money(800), "7", money(2800)],
        ["Coffee", "2", money(900), "4", money(1800)],
        ["Wine", "1", money(1500), "1", money(1500)],
        ["Muffin", "1", money(300), "1", money(300)],
    ]
    assert breakdown(page, "by-register") == [
        ["Bar till", "2", money(2300), "3", money(4300)],
        ["Front till", "1", money(1200), "2", money(2100)],
    ]
    assert breakdown(page, "by-staff") == [
        ["Bruno", "1", money(800), "2", money(2800)],
        ["Ana", "1", money(1200), "2", money(2100)],
        [EN["not_recorded"], "1", money(1500), "1", money(1500)],
    ]
    assert "from 02:00 to 02:00 the next day in America/New_York" in page

    hours = section(page, "by-hour")
    label = re.search(r'<svg[^>]*role="img"[^>]*aria-label="([^"]*)"', hours)
    assert label is not None
    assert html.unescape(label.group(1)) == EN["chart_hours_label"].format(
        total=money(3500), orders=3, best="05:00", best_amount=money(1500))  # fmt: skip
    assert hours.count('class="chart-bar"') == 24
    table = re.findall(r"<tr><th scope=\"row\">([^<]*)</th><td>(\d+)</td><td>([^<]*)</td>", hours)
    assert ("00:00", "1", money(800)) in table
    assert table[0] == ("02:00", "0", money(0))
    days = section(page, "by-day")
    assert days.count('class="chart-bar"') == 30
    assert "<details" in days


def test_a_shop_in_reais_reads_its_report_in_portuguese(
    settings: Settings, browser: Browser
) -> None:
    shop = create_tenant(settings, currency="BRL", timezone="America/Sao_Paulo")
    seed_week(settings, shop, business_day(datetime.now(UTC), ZoneInfo(shop.timezone)), time(0))
    assert browser.sign_in(make_owner(settings, shop)).status_code == 303
    page = browser.page("/console/today", headers={"accept-language": "en-US"}).text
    assert '<html lang="pt-BR">' in page
    for key in ("payout_heading", "by_product_heading", "chart_hours_heading", "glossary_payout"):
        assert html.escape(PT[key], quote=False) in page or PT[key] in html.unescape(page)
    assert figures(page, "card-payout")["payout_disputes_returned"]["today"] == "R$\xa07,00"
    assert "Não registrado" in page
    settings_page = browser.page("/console/settings").text
    assert 'value="pt_BR" checked' in settings_page


def test_the_owner_changes_the_language_and_the_day_end_and_bad_values_are_explained(
    settings: Settings, browser: Browser
) -> None:
    shop = create_tenant(settings, currency="EUR", timezone="Europe/Paris")
    assert browser.sign_in(make_owner(settings, shop)).status_code == 303
    form = browser.page("/console/settings").text
    assert 'value="00:00"' in form
    assert 'value="en_US" checked' in form

    for value, message in (("25:00", "day_ends_format"), ("2am", "day_ends_format"),
                           ("12:00", "day_ends_range"), ("13:30", "day_ends_range"),
                           ("", "day_ends_format")):  # fmt: skip
        refused = browser.submit("/console/settings", {"day_ends_at": value, "locale": "en_US"},
                                 from_page="/console/settings")  # fmt: skip
        assert refused.status_code == 422, value
        assert html.escape(EN[message], quote=False) in refused.text
        assert 'aria-invalid="true"' in refused.text
        assert EN["settings_errors"] in refused.text
    unknown = browser.submit("/console/settings", {"day_ends_at": "01:00", "locale": "fr_FR"},
                             from_page="/console/settings")  # fmt: skip
    assert unknown.status_code == 422
    assert EN["locale_unknown"] in unknown.text
    assert 'value="00:00"' in browser.page("/console/settings").text  # nothing saved

    no_token = browser.client.post("/console/settings",
                                   data={"day_ends_at": "03:00", "locale": "pt_BR"})  # fmt: skip
    assert no_token.status_code == 403

    saved = browser.submit("/console/settings", {"day_ends_at": "3:15", "locale": "pt_BR"},
                           from_page="/console/settings")  # fmt: skip
    assert saved.status_code == 303
    assert saved.headers["location"] == "/console/settings?notice=settings_saved"
    after = browser.page(saved.headers["location"]).text
    assert '<html lang="pt-BR">' in after
    assert PT["settings_saved"] in after
    assert 'value="03:15"' in after
    today = browser.page("/console/today").text
    assert "das 03:15 às 03:15" in today
    assert "€" in today
