"""The owner's sales report (`/console/today`) and the shop's report settings
(`/console/settings`: when the business day ends, the console's language).

The charts are inline SVG drawn on the server (no script): each has `role="img"` and an
`aria-label` that says what it shows, and the same figures follow as a table in a `<details>`
for screen readers and for anyone who wants the numbers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sync_server.console.auth import Console, ConsoleContext, OwnerRequest, SignInNeeded
from sync_server.console.i18n import Translator, shop_locale
from sync_server.console.pages import render
from sync_server.console.security import PREFIX
from sync_server.console.views import FormField, owner_shop, require_session_csrf, user_context
from sync_server.reports import service as reports
from sync_server.reports.schemas import Bar
from sync_server.tenants import service as tenants
from sync_server.tenants.schemas import LOCALES, Tenant

router = APIRouter(prefix=PREFIX, include_in_schema=False)

CHART_WIDTH = 480
CHART_HEIGHT = 200
_PLOT_TOP = 26
_PLOT_BOTTOM = 172
_PLOT_LEFT = 18
_PLOT_RIGHT = CHART_WIDTH - 18


@dataclass(frozen=True, slots=True)
class ChartBar:
    x: float
    y: float
    width: float
    height: float
    label: str
    """The bar's label in the reader's words (an hour, a short date)."""
    amount: str
    orders: int
    tick: str | None
    """What is written under the bar (None: not every bar's label fits)."""
    tick_x: float


@dataclass(frozen=True, slots=True)
class Chart:
    bars: list[ChartBar]
    aria_label: str
    top: str
    """The money the top of the plot stands for (the highest bar)."""
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT
    baseline: int = _PLOT_BOTTOM
    top_line: int = _PLOT_TOP
    left: int = _PLOT_LEFT


def chart(
    bars: list[Bar], labels: list[str], t: Translator, currency: str, *, label_key: str,
    tick_every: int, ticks: list[str] | None = None,
) -> Chart:  # fmt: skip
    """Bars scaled to the highest, with every `tick_every`th label (or `ticks`, shorter)
    written under its bar."""
    ticks = ticks or labels
    highest = max((bar.amount for bar in bars), default=0)
    slot = (_PLOT_RIGHT - _PLOT_LEFT) / max(1, len(bars))
    plot = _PLOT_BOTTOM - _PLOT_TOP
    drawn = []
    for index, (bar, label, tick) in enumerate(zip(bars, labels, ticks, strict=True)):
        height = 0.0 if highest <= 0 else max(0.0, bar.amount) / highest * plot
        if bar.amount > 0:
            height = max(height, 1.0)  # a sale is always visible
        x = _PLOT_LEFT + index * slot + slot * 0.15
        drawn.append(
            ChartBar(
                x=round(x, 2),
                y=round(_PLOT_BOTTOM - height, 2),
                width=round(slot * 0.7, 2),
                height=round(height, 2),
                label=label,
                amount=t.money(bar.amount, currency),
                orders=bar.orders,
                tick=tick if index % tick_every == 0 else None,
                tick_x=round(x + slot * 0.35, 2),
            )
        )
    total = sum(bar.amount for bar in bars)
    if highest <= 0:
        aria = t("chart_empty_label")
    else:
        best = max(range(len(bars)), key=lambda i: bars[i].amount)
        aria = t(
            label_key, total=t.money(total, currency), orders=sum(bar.orders for bar in bars),
            best=labels[best], best_amount=t.money(bars[best].amount, currency),
        )  # fmt: skip
    return Chart(bars=drawn, aria_label=aria, top=t.money(highest, currency))


_REFUSALS = {"day_ends_at": "day_ends_{reason}", "locale": "locale_{reason}"}


def _report_translator(shop: Tenant) -> Translator:
    return Translator(shop_locale(shop))


@router.get("/today", response_class=HTMLResponse)
def today(console: Console, owner: OwnerRequest) -> Response:
    """The shop's money today and over the last 30 days: cash and card apart, card as Stripe
    will pay it out, by hour and day, by product, register and staff member."""
    conn = owner.scope.connection
    shop = owner_shop(owner)
    t = _report_translator(shop)
    report = reports.sales_report(
        conn, tenant_id=shop.id, timezone=shop.timezone, currency=shop.currency,
        day_ends_at=shop.day_ends_at,
    )  # fmt: skip
    hours = chart(
        report.by_hour, [bar.label for bar in report.by_hour], t, shop.currency,
        label_key="chart_hours_label", tick_every=4,
    )  # fmt: skip
    dates = [bar.day for bar in report.by_day if bar.day]
    days = chart(
        report.by_day, [t.short_date(day) for day in dates], t, shop.currency,
        label_key="chart_days_label", tick_every=7,
        ticks=[t("tick_date", month=day.month, day=day.day) for day in dates],
    )  # fmt: skip
    return render(
        "today.html", t, user=user_context(console, owner), shop=shop, report=report,
        summary=report.summary, hours=hours, days=days, ends=_hh_mm(shop.day_ends_at),
        active="today",
    )  # fmt: skip


def _hh_mm(moment: time) -> str:
    return f"{moment:%H:%M}"


def _settings_page(
    console: ConsoleContext, owner: OwnerRequest, shop: Tenant, *, status: int = 200,
    day_ends_at: str | None = None, locale: str | None = None,
    field_errors: dict[str, str] | None = None, notice: str | None = None,
) -> Response:  # fmt: skip
    t = _report_translator(shop)
    return render(
        "report_settings.html", t, status=status, user=user_context(console, owner), shop=shop,
        day_ends_at=_hh_mm(shop.day_ends_at) if day_ends_at is None else day_ends_at,
        locale=shop_locale(shop) if locale is None else locale, locales=LOCALES,
        field_errors=field_errors or {}, notice=notice,
        error=t("settings_errors") if field_errors else None, active="settings",
    )  # fmt: skip


@router.get("/settings", response_class=HTMLResponse)
def settings_form(request: Request, console: Console, owner: OwnerRequest) -> Response:
    """The shop's business day end and language, as a form."""
    shop = owner_shop(owner)
    saved = request.query_params.get("notice") == "settings_saved"
    return _settings_page(console, owner, shop, notice="settings_saved" if saved else None)


@router.post("/settings", response_class=HTMLResponse)
def save_settings(
    console: Console, owner: OwnerRequest, csrf: FormField = "", day_ends_at: FormField = "",
    locale: FormField = "",
) -> Response:  # fmt: skip
    """Change the signed-in owner's shop only: the shop comes from the session (under its
    row-level security), never from the form."""
    require_session_csrf(console, owner, csrf)
    shop = owner_shop(owner)
    try:
        tenants.change_report_settings(
            owner.scope.connection, shop, day_ends_at=day_ends_at, locale=locale
        )
    except tenants.TenantError:  # the shop went between reading and writing its row
        raise SignInNeeded(None, "session_ended") from None
    except tenants.SettingsRefused as exc:
        t = _report_translator(shop)
        return _settings_page(
            console, owner, shop, status=422, day_ends_at=day_ends_at[:16],
            locale=locale if locale in LOCALES else shop_locale(shop),
            field_errors={exc.field: t(_REFUSALS[exc.field].format(reason=exc.reason))},
        )  # fmt: skip
    return RedirectResponse(f"{PREFIX}/settings?notice=settings_saved", status_code=303)
