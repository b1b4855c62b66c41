"""The platform operators' pages: shops (create, fee rates, inviting the owner), month end (the
close, the verification by shop, held shops, reopening), fees by month across shops, the job
queue (failed jobs, retry) and every shop's refused changes.

Each action calls the very service function its `sync-server` command calls (one
implementation of each operation): `tenants.create_tenant` (`tenants create`), `fees.set_rate`
(`tenants set-fee`), `accounts.invite_owner` (`owners invite`, in a transaction scoped to the
shop on the application role, as the CLI does), `fees.close_period` / `fees.close_held` /
`fees.reopen_period` (`fees close-period [--tenant]`, `fees reopen-period`),
`queue.failed_jobs` / `queue.retry_failed_job` (`jobs dead`, `jobs retry`) and `sync.refused`
(`sync refused`, shop by shop). Every request is an operator's (`OperatorRequest`: refused with
403 before anything is read otherwise) and every POST checks its CSRF token first.

The form checks what a person types (in their language) before the service checks it again;
what only the service can know (a closed month, a month not yet over) is shown as its sentence.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sync_server.accounts import service as accounts
from sync_server.billing import service as billing
from sync_server.console.auth import (
    Console,
    ConsoleContext,
    ConsoleScope,
    OperatorRequest,
    PageRefused,
)
from sync_server.console.billing_pages import STATUS_KEYS as INVOICE_STATUS_KEYS
from sync_server.console.i18n import Translator
from sync_server.console.pages import render
from sync_server.console.security import PREFIX
from sync_server.console.statement_files import month_label
from sync_server.console.views import (
    FormField,
    require_session_csrf,
    user_context,
    visitor_translator,
)
from sync_server.devices import service as devices
from sync_server.fees import service as fees
from sync_server.kit import queue
from sync_server.kit.periods import PeriodError, check_period, next_period, previous_period, zone
from sync_server.scope import tenant_scope
from sync_server.sync import service as sync
from sync_server.tenants import service as tenants
from sync_server.tenants.schemas import Tenant

router = APIRouter(prefix=PREFIX, include_in_schema=False)

NOTICES = ("shop_created", "rate_set", "owner_invited", "released", "reopened", "job_queued")
"""The notices an operator page may show from its query string (keys only)."""

FEE_MONTHS = 6
"""How many months the fees page shows, the current one last."""

REFUSED_LIMIT = 200
JOBS_LIMIT = 100

_SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
_CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
_PERCENT_RE = re.compile(r"^(\d{1,3})(?:[.,](\d{1,2}))?$")
_MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _page(
    request: Request, console: ConsoleContext, operator: ConsoleScope, template: str, *,
    active: str, status: int = 200, **context: Any,
) -> Response:  # fmt: skip
    notice = request.query_params.get("notice")
    context.setdefault("notice", notice if notice in NOTICES and status == 200 else None)
    t = visitor_translator(request)
    return render(
        template, t, status=status, user=user_context(console, operator), active=active,
        when=lambda moment: utc_minute(moment, t), **context,
    )  # fmt: skip


def _this_month() -> str:
    today = datetime.now(UTC).date()
    return f"{today.year:04d}-{today.month:02d}"


def percent_to_bps(text: str) -> int | None:
    """'1.5' or '1,5' → 150; None unless 0 to 100 with at most two decimals."""
    match = _PERCENT_RE.match(text.strip())
    if match is None:
        return None
    bps = int(match.group(1)) * 100 + int((match.group(2) or "0").ljust(2, "0"))
    return bps if bps <= 10_000 else None


def _shop(operator: ConsoleScope, slug: str) -> Tenant:
    shop = tenants.find_tenant(operator.scope.connection, slug)
    if shop is None:
        raise PageRefused(404, "not_found")
    return shop


# --- shops ----------------------------------------------------------------------------------------


def _shops_page(
    request: Request, console: ConsoleContext, operator: ConsoleScope, *, status: int = 200,
    form: dict[str, str] | None = None, errors: dict[str, str] | None = None,
    error: str | None = None,
) -> Response:  # fmt: skip
    conn = operator.scope.connection
    return _page(
        request, console, operator, "operator_shops.html", active="shops", status=status,
        shops=tenants.list_tenants(conn), rates=fees.rates_on(conn, datetime.now(UTC).date()),
        form=form or {"slug": "", "name": "", "currency": "", "timezone": "", "fee": "1.00"},
        errors=errors or {}, error=error,
    )  # fmt: skip


@router.get("/shops", response_class=HTMLResponse)
def shops(request: Request, console: Console, operator: OperatorRequest) -> Response:
    """Every shop with today's fee rate, and the form that creates one."""
    return _shops_page(request, console, operator)


@router.post("/shops", response_class=HTMLResponse)
def create_shop(
    request: Request, console: Console, operator: OperatorRequest, csrf: FormField = "",
    slug: FormField = "", name: FormField = "", currency: FormField = "",
    timezone: FormField = "", fee: FormField = "",
) -> Response:  # fmt: skip
    """`sync-server tenants create`: the same `tenants.create_tenant`."""
    require_session_csrf(console, operator, csrf)
    t = visitor_translator(request)
    form = {"slug": slug.strip(), "name": name.strip(), "currency": currency.strip().upper(),
            "timezone": timezone.strip(), "fee": fee.strip()}  # fmt: skip
    errors: dict[str, str] = {}
    conn = operator.scope.connection
    if not _SLUG_RE.match(form["slug"]):
        errors["slug"] = t("bad_slug")
    elif tenants.find_tenant(conn, form["slug"]) is not None:
        errors["slug"] = t("slug_taken", slug=form["slug"])
    if not form["name"]:
        errors["name"] = t("bad_name")
    if not _CURRENCY_RE.match(form["currency"]):
        errors["currency"] = t("bad_currency")
    try:
        zone(form["timezone"])
    except PeriodError:
        errors["timezone"] = (
            t("bad_timezone", zone=form["timezone"]) if form["timezone"] else t("no_timezone")
        )
    bps = percent_to_bps(form["fee"])
    if bps is None:
        errors["fee"] = t("bad_percent")
    if errors or bps is None:
        return _shops_page(request, console, operator, status=422, form=form, errors=errors)
    try:
        created = tenants.create_tenant(
            conn, slug=form["slug"], name=form["name"], currency=form["currency"],
            timezone=form["timezone"], fee_bps=bps,
        )  # fmt: skip
    except tenants.TenantError as exc:
        return _shops_page(
            request, console, operator, status=422, form=form,
            error=t("create_refused", detail=str(exc)),
        )  # fmt: skip
    return RedirectResponse(f"{PREFIX}/shops/{created.slug}?notice=shop_created", status_code=303)


def _shop_page(
    request: Request, console: ConsoleContext, operator: ConsoleScope, shop: Tenant, *,
    status: int = 200, rate_form: dict[str, str] | None = None, rate_error: str | None = None,
    invite_email: str = "", invite_error: str | None = None,
) -> Response:  # fmt: skip
    conn = operator.scope.connection
    schedule = fees.schedule(conn, shop)
    return _page(
        request, console, operator, "operator_shop.html", active="shops", status=status,
        shop=shop, schedule=schedule, first_rate_day=date(1970, 1, 1),
        rate_form=rate_form or {"fee": "", "month": next_period(_this_month())},
        rate_error=rate_error, invite_email=invite_email, invite_error=invite_error,
        invite_days=accounts.INVITATION_TTL.days,
    )  # fmt: skip


@router.get("/shops/{slug}", response_class=HTMLResponse)
def shop(request: Request, console: Console, operator: OperatorRequest, slug: str) -> Response:
    """One shop: its fee rates with the day each starts, a new rate, inviting its owner."""
    return _shop_page(request, console, operator, _shop(operator, slug))


@router.post("/shops/{slug}/fee-rate", response_class=HTMLResponse)
def set_fee_rate(
    request: Request, console: Console, operator: OperatorRequest, slug: str,
    csrf: FormField = "", fee: FormField = "", month: FormField = "",
) -> Response:  # fmt: skip
    """`sync-server tenants set-fee SLUG --bps N --from YYYY-MM-01`: the same `fees.set_rate`."""
    require_session_csrf(console, operator, csrf)
    t = visitor_translator(request)
    found = _shop(operator, slug)
    form = {"fee": fee.strip(), "month": month.strip()}
    bps = percent_to_bps(form["fee"])
    problem = None
    if bps is None:
        problem = t("bad_percent")
    elif not _MONTH_RE.match(form["month"]):
        problem = t("bad_month")
    if problem is None and bps is not None:
        try:
            fees.set_rate(
                operator.scope.connection, found, bps=bps, effective_from=f"{form['month']}-01"
            )
        except fees.FeeError as exc:
            problem = t("rate_refused", detail=str(exc))
        else:
            return RedirectResponse(f"{PREFIX}/shops/{found.slug}?notice=rate_set", 303)
    return _shop_page(
        request, console, operator, found, status=422, rate_form=form, rate_error=problem
    )


@router.post("/shops/{slug}/invite", response_class=HTMLResponse)
def invite_owner(
    request: Request, console: Console, operator: OperatorRequest, slug: str,
    csrf: FormField = "", email: FormField = "",
) -> Response:  # fmt: skip
    """`sync-server owners invite --tenant SLUG --email …`: the same `accounts.invite_owner`, in
    a transaction scoped to the shop on the application role (as the CLI runs it)."""
    require_session_csrf(console, operator, csrf)
    t = visitor_translator(request)
    found = _shop(operator, slug)
    try:
        accounts.normalise_email(email)
    except accounts.AccountError:
        return _shop_page(request, console, operator, found, status=422, invite_email=email,
                          invite_error=t("bad_email"))  # fmt: skip
    try:
        with tenant_scope(console.engine, found.id) as scope:
            accounts.invite_owner(
                scope.connection, key=console.key, tenant=found, email=email,
                public_base_url=console.settings.console_url, send_email=True,
            )  # fmt: skip
    except accounts.AccountError as exc:
        return _shop_page(request, console, operator, found, status=422, invite_email=email,
                          invite_error=t("invite_refused", detail=str(exc)))  # fmt: skip
    return RedirectResponse(f"{PREFIX}/shops/{found.slug}?notice=owner_invited", 303)


# --- month end ------------------------------------------------------------------------------------


def _month_end_page(
    request: Request, console: ConsoleContext, operator: ConsoleScope, *, status: int = 200,
    period: str | None = None, closed: fees.Closed | None = None, closed_period: str = "",
    error: str | None = None, reopen: dict[str, str] | None = None,
    reopen_error: str | None = None,
) -> Response:  # fmt: skip
    conn = operator.scope.connection
    shops = tenants.list_tenants(conn)
    problems = fees.verify_by_shop(conn)
    last = fees.last_closed(conn)
    t = visitor_translator(request)
    frozen_fees = ", ".join(
        t.money(total, currency)
        for currency, total in (closed.fees_by_currency() if closed else {}).items()
    )
    return _page(
        request, console, operator, "operator_month_end.html", active="month_end",
        status=status, shops=shops, problems=problems, holds=fees.holds(conn),
        last_closed=last, period=period or month_to_close(last, _this_month()),
        closed=closed, closed_period=closed_period, frozen_fees=frozen_fees, error=error,
        reopen=reopen or {"period": "", "reason": "", "shop": ""}, reopen_error=reopen_error,
    )  # fmt: skip


def month_to_close(last_closed: str | None, this_month: str) -> str:
    """The month the close form offers: the first open one, once it has ended (else the last
    month that ended)."""
    ended = previous_period(this_month)
    if last_closed is None or last_closed >= ended:
        return ended if last_closed is None else next_period(last_closed)
    return min(next_period(last_closed), ended)


def closed_result(operator: ConsoleScope, period: str) -> fees.Closed | None:
    """What closing `period` left, read back after the close redirected here (post/redirect/
    get: a reload never closes twice): the shops' statements of `period` now frozen and the
    shops held for it. None unless `period` is a month and closed."""
    conn = operator.scope.connection
    last = fees.last_closed(conn)
    if not _MONTH_RE.match(period) or last is None or period > last:
        return None
    months = fees.months_across_shops(conn, [period]).get(period, [])
    return fees.Closed(
        frozen=[(m.tenant_id, m.statement) for m in months if m.status == "closed"],
        held={hold.slug: [hold.reason] for hold in fees.holds(conn) if hold.period == period},
    )


@router.get("/month-end", response_class=HTMLResponse)
def month_end(
    request: Request, console: Console, operator: OperatorRequest, closed: str = ""
) -> Response:
    """The close of a month, each shop's verification (`fees verify`), the held shops; with
    `?closed=YYYY-MM` (where a close redirects), what that close left."""
    result = closed_result(operator, closed) if closed else None
    return _month_end_page(request, console, operator, closed=result,
                           closed_period=closed if result else "")  # fmt: skip


@router.post("/month-end/close", response_class=HTMLResponse)
def close_month(
    request: Request, console: Console, operator: OperatorRequest, csrf: FormField = "",
    period: FormField = "",
) -> Response:  # fmt: skip
    """`sync-server fees close-period --period YYYY-MM`: the same `fees.close_period`."""
    require_session_csrf(console, operator, csrf)
    t = visitor_translator(request)
    period = period.strip()
    if not _MONTH_RE.match(period):
        return _month_end_page(request, console, operator, status=422, period=period,
                               error=t("bad_month"))  # fmt: skip
    try:
        fees.close_period(operator.scope.connection, check_period(period))
    except (fees.FeeError, PeriodError) as exc:
        return _month_end_page(request, console, operator, status=422, period=period,
                               error=t("close_refused", detail=str(exc)))  # fmt: skip
    return RedirectResponse(f"{PREFIX}/month-end?closed={period}", status_code=303)


@router.post("/month-end/release", response_class=HTMLResponse)
def release_held(
    request: Request, console: Console, operator: OperatorRequest, csrf: FormField = "",
    shop: FormField = "",
) -> Response:  # fmt: skip
    """`sync-server fees close-period --tenant SLUG`: the same `fees.close_held`."""
    require_session_csrf(console, operator, csrf)
    t = visitor_translator(request)
    found = _shop(operator, shop)
    try:
        fees.close_held(operator.scope.connection, found)
    except fees.FeeError as exc:
        return _month_end_page(request, console, operator, status=422,
                               error=t("release_refused", detail=str(exc)))  # fmt: skip
    return RedirectResponse(f"{PREFIX}/month-end?notice=released", status_code=303)


@router.post("/month-end/reopen", response_class=HTMLResponse)
def reopen_month(
    request: Request, console: Console, operator: OperatorRequest, csrf: FormField = "",
    period: FormField = "", reason: FormField = "", shop: FormField = "",
) -> Response:  # fmt: skip
    """`sync-server fees reopen-period --period … --reason … [--tenant …]`: the same
    `fees.reopen_period`."""
    require_session_csrf(console, operator, csrf)
    t = visitor_translator(request)
    form = {"period": period.strip(), "reason": reason.strip(), "shop": shop.strip()}
    only = _shop(operator, form["shop"]) if form["shop"] else None
    problem = None
    if not _MONTH_RE.match(form["period"]):
        problem = t("bad_month")
    elif not form["reason"]:
        problem = t("bad_reason")
    else:
        try:
            fees.reopen_period(
                operator.scope.connection, form["period"], reason=form["reason"], tenant=only
            )
        except (fees.FeeError, PeriodError) as exc:
            problem = t("reopen_refused", detail=str(exc))
        else:
            return RedirectResponse(f"{PREFIX}/month-end?notice=reopened", status_code=303)
    return _month_end_page(request, console, operator, status=422, reopen=form,
                           reopen_error=problem)  # fmt: skip


# --- fees by month --------------------------------------------------------------------------------


def recent_months(last: str, count: int) -> list[str]:
    """`count` months ending with `last`, newest first."""
    months = [last]
    while len(months) < count:
        months.append(previous_period(months[-1]))
    return months


@router.get("/fees", response_class=HTMLResponse)
def fees_by_month(
    request: Request, console: Console, operator: OperatorRequest, to: str = ""
) -> Response:
    """Every shop's statement of `FEE_MONTHS` months up to `to` (default: this month), newest
    first: net revenue, fee, adjustments, status."""
    if to and not _MONTH_RE.match(to):
        raise PageRefused(400, "bad_request")
    conn = operator.scope.connection
    this_month = _this_month()
    months = recent_months(to or this_month, FEE_MONTHS)
    newer = months[0]
    for _ in range(FEE_MONTHS):
        newer = next_period(newer)
    slugs = {shop.id: shop for shop in tenants.list_tenants(conn)}
    invoices = {
        (slugs[record.tenant_id].slug, record.period, record.currency): record.status
        for record in billing.all_invoices(conn)
        if record.tenant_id in slugs and record.period in months
    }
    return _page(
        request, console, operator, "operator_fees.html", active="fees",
        table=fees.months_across_shops(conn, months), shops=slugs, invoices=invoices,
        invoice_words=INVOICE_STATUS_KEYS, first=months[-1], last=months[0],
        older=previous_period(months[-1]),
        newer=min(newer, this_month) if months[0] < this_month else None,
        latest=None if months[0] == this_month else this_month,
        count=FEE_MONTHS, month_label=month_label,
    )  # fmt: skip


# --- the job queue --------------------------------------------------------------------------------


def _jobs_page(
    request: Request, console: ConsoleContext, operator: ConsoleScope, *, status: int = 200,
    error: str | None = None,
) -> Response:  # fmt: skip
    failed = queue.failed_jobs(operator.scope.connection, JOBS_LIMIT)
    shown = [(job, queue.shown_arguments(job.args)) for job in failed]
    return _page(request, console, operator, "operator_jobs.html", active="jobs", status=status,
                 jobs=shown, error=error)  # fmt: skip


@router.get("/jobs", response_class=HTMLResponse)
def jobs(request: Request, console: Console, operator: OperatorRequest) -> Response:
    """Failed jobs (`sync-server jobs dead`), their secrets hidden, each with a retry button."""
    return _jobs_page(request, console, operator)


@router.post("/jobs/{job_id}/retry", response_class=HTMLResponse)
def retry_job(
    request: Request, console: Console, operator: OperatorRequest, job_id: int,
    csrf: FormField = "",
) -> Response:  # fmt: skip
    """`sync-server jobs retry ID`: the same `queue.retry_failed_job`."""
    require_session_csrf(console, operator, csrf)
    try:
        queue.retry_failed_job(operator.scope.connection, job_id)
    except queue.NoSuchJob:
        raise PageRefused(404, "not_found") from None
    except queue.JobError as exc:
        t = visitor_translator(request)
        return _jobs_page(request, console, operator, status=409,
                          error=t("retry_refused", detail=str(exc)))  # fmt: skip
    return RedirectResponse(f"{PREFIX}/jobs?notice=job_queued", status_code=303)


# --- refused changes ------------------------------------------------------------------------------


@router.get("/refused", response_class=HTMLResponse)
def refused(request: Request, console: Console, operator: OperatorRequest) -> Response:
    """Every shop's refused changes, newest first (`sync-server sync refused`, shop by shop)."""
    conn = operator.scope.connection
    rows = sync.refused_in_shops(conn, tenants.list_tenants(conn), REFUSED_LIMIT)
    names = {
        device.id: device.name
        for shop_id in {shop.id for shop, _ in rows}
        for device in devices.list_devices(conn, shop_id)
    }  # the register's name, as the owner's Problems page shows it (else its id)
    return _page(request, console, operator, "operator_refused.html", active="refused",
                 rows=rows, limit=REFUSED_LIMIT, names=names)  # fmt: skip


def utc_minute(moment: datetime | None, t: Translator) -> str:
    """A timestamp as operators read them: UTC, to the minute."""
    if moment is None:
        return "–"
    return t("utc_time", time=f"{moment.astimezone(UTC):%Y-%m-%d %H:%M}")
