"""The owner's pages beyond sales: fee statements (with CSV and PDF), registers (revoke, a
new pairing code), disputes, and problems (refused sync changes, reconciliation flags).

Every page runs under the owner's tenant scope (`OwnerRequest`: row-level security on the
owner's shop) and names the shop to the services it calls; nothing in a URL or a form says
which shop. A device id or month in the URL that is not the shop's is a 404 page. Every POST
checks its CSRF token first. Money and times are in the shop's locale and time zone."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sync_server.console.auth import Console, ConsoleScope, OwnerRequest, PageRefused
from sync_server.console.i18n import Translator, shop_locale
from sync_server.console.pages import render
from sync_server.console.security import PREFIX, signed_value, signed_value_of
from sync_server.console.statement_files import (
    month_label,
    product_name,
    statement_csv,
    statement_pdf,
)
from sync_server.console.views import FormField, owner_shop, require_session_csrf, user_context
from sync_server.devices import service as devices
from sync_server.disputes import service as disputes
from sync_server.disputes.schemas import DisputeIn
from sync_server.fees import service as fees
from sync_server.fees.rules import Statement
from sync_server.kit.periods import PeriodError, check_period, period_of, zone
from sync_server.reconciliation import service as reconciliation
from sync_server.sync import service as sync
from sync_server.tenants import service as tenants
from sync_server.tenants.schemas import Tenant

router = APIRouter(prefix=PREFIX, include_in_schema=False)

REFUSED_SHOWN = 100
"""The newest refused changes the problems page lists."""

NOTICES = ("device_revoked_notice",)


@dataclass(frozen=True, slots=True)
class Clock:
    """The shop's wall clock for a page: times in its zone, in its locale's words."""

    t: Translator
    timezone: str

    def when(self, moment: datetime | None) -> str:
        if moment is None:
            return self.t("never")
        local = moment.astimezone(zone(self.timezone))
        return self.t("when", date=self.t.short_date(local.date()), year=local.year,
                      time=f"{local:%H:%M}")  # fmt: skip


def _page(console: Console, owner: ConsoleScope) -> tuple[Tenant, Translator, dict[str, Any]]:
    shop = owner_shop(owner)
    t = Translator(shop_locale(shop))
    context: dict[str, Any] = {
        "user": user_context(console, owner), "shop": shop,
        "clock": Clock(t, shop.timezone),
    }  # fmt: skip
    return shop, t, context


def _month_statements(owner: ConsoleScope, shop: Tenant, period: str) -> list[Statement]:
    """A month in the URL and its statements: 404 unless well formed, not after the shop's
    current month and not before the month the shop was created in (unless that month holds
    something after all: a sale accepted from just before the creation)."""
    try:
        check_period(period)
    except PeriodError:
        raise PageRefused(404, "not_found") from None
    if period > period_of(datetime.now(UTC), shop.timezone):
        raise PageRefused(404, "not_found")
    conn = owner.scope.connection
    found = fees.statements_for(conn, shop, period)
    if period < tenants.first_month(conn, shop) and not any(
        statement.products or statement.adjustments_minor for statement in found
    ):
        raise PageRefused(404, "not_found")
    return found


# --- fee statements -----------------------------------------------------------------------------


@router.get("/statements", response_class=HTMLResponse)
def statements(console: Console, owner: OwnerRequest) -> Response:
    """Each month's fee, open or closed, newest first."""
    shop, t, context = _page(console, owner)
    today = datetime.now(UTC).astimezone(zone(shop.timezone)).date()
    months = fees.statement_periods(owner.scope.connection, shop, today=today)
    has_fees = any(statement.products for _, found in months for statement in found)
    return render(
        "statements.html", t, active="statements", months=months, has_fees=has_fees,
        month_label=month_label, **context,
    )  # fmt: skip


@router.get("/statements/{period}", response_class=HTMLResponse)
def statement(console: Console, owner: OwnerRequest, period: str) -> Response:
    """One month: each product's revenue and fee, the signed adjustments, the total fee."""
    shop, t, context = _page(console, owner)
    found = _month_statements(owner, shop, period)
    return render(
        "statement.html", t, active="statements", period=period, statements=found,
        month=month_label(t, period), product_name=product_name, **context,
    )  # fmt: skip


def _download(body: bytes, media_type: str, filename: str) -> Response:
    return Response(
        body, media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"',
                 "Cache-Control": "no-store"},
    )  # fmt: skip


@router.get("/statements/{period}/statement.csv")
def statement_as_csv(console: Console, owner: OwnerRequest, period: str) -> Response:
    shop = owner_shop(owner)
    found = _month_statements(owner, shop, period)
    body = statement_csv(shop.slug, found).encode("utf-8")
    return _download(body, "text/csv; charset=utf-8", f"fees-{shop.slug}-{period}.csv")


@router.get("/statements/{period}/statement.pdf")
def statement_as_pdf(console: Console, owner: OwnerRequest, period: str) -> Response:
    shop, t, _ = _page(console, owner)
    found = _month_statements(owner, shop, period)
    body = statement_pdf(
        t, shop_name=shop.name, period=period, statements=found,
        as_of=Clock(t, shop.timezone).when(datetime.now(UTC)), timezone=shop.timezone,
    )  # fmt: skip
    return _download(body, "application/pdf", f"fees-{shop.slug}-{period}.pdf")


# --- registers ----------------------------------------------------------------------------------


def _devices_page(
    console: Console, owner: ConsoleScope, *, code: devices.PairingCode | None = None,
    notice: str | None = None,
) -> Response:  # fmt: skip
    shop, t, context = _page(console, owner)
    listed = devices.list_devices(owner.scope.connection, shop.id)
    return render(
        "devices.html", t, active="devices", devices=listed, code=code, notice=notice,
        **context,
    )  # fmt: skip


@router.get("/devices", response_class=HTMLResponse)
def devices_page(console: Console, owner: OwnerRequest, notice: str | None = None) -> Response:
    """The shop's registers: name, last seen, paired; revoke; a new pairing code."""
    return _devices_page(console, owner, notice=notice if notice in NOTICES else None)


def _shop_device(owner: ConsoleScope, shop: Tenant, device_id: str) -> devices.ListedDevice:
    try:
        wanted = uuid.UUID(device_id)
    except ValueError:
        raise PageRefused(404, "not_found") from None
    for found in devices.list_devices(owner.scope.connection, shop.id):
        if found.id == wanted:
            return found
    raise PageRefused(404, "not_found")


@router.get("/devices/{device_id}/revoke", response_class=HTMLResponse)
def revoke_confirm(console: Console, owner: OwnerRequest, device_id: str) -> Response:
    """The confirm step: what revoking does, and the button that does it."""
    shop, t, context = _page(console, owner)
    device = _shop_device(owner, shop, device_id)
    return render("revoke.html", t, active="devices", device=device, **context)


@router.post("/devices/{device_id}/revoke")
def revoke(console: Console, owner: OwnerRequest, device_id: str, csrf: FormField = "") -> Response:
    """Revoke the register: its token is refused from this transaction's commit on."""
    require_session_csrf(console, owner, csrf)
    shop = owner_shop(owner)
    try:
        wanted = uuid.UUID(device_id)
    except ValueError:
        raise PageRefused(404, "not_found") from None
    if not devices.revoke(owner.scope.connection, wanted, tenant_id=shop.id):
        raise PageRefused(404, "not_found")
    return RedirectResponse(f"{PREFIX}/devices?notice=device_revoked_notice", status_code=303)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def _code_binding(owner: ConsoleScope, shop: Tenant) -> str:
    return f"{owner.token}\x00{shop.id}"


@router.post("/devices/pairing-code", response_class=HTMLResponse)
def new_pairing_code(console: Console, owner: OwnerRequest, csrf: FormField = "") -> Response:
    """A one-time pairing code, then post/redirect/get to `GET /devices/pairing-code`, which
    shows it (a reload shows the same code, never makes a second one).

    The code is stored hashed only, so the server cannot show it again from the database.
    Why a cookie and not a server-side record of the code in clear: a record would be a
    readable code in the database (and a new table); the cookie holds it only in the browser
    that asked for it, which shows it anyway: HttpOnly, SameSite=Strict, gone when the code
    expires (15 minutes), and signed for this session and shop (another browser, another
    session or another shop's owner gets nothing from a copied cookie). The GET shows it only
    while the database says the code is unused and unexpired. Never in a URL."""
    require_session_csrf(console, owner, csrf)
    shop = owner_shop(owner)
    code = devices.create_pairing_code(owner.scope.connection, key=console.key, tenant=shop)
    micros = (code.expires_at - _EPOCH) // _MICROSECOND
    sealed = signed_value(
        console.key, "pairing", _code_binding(owner, shop), f"{code.code}.{micros}"
    )
    response = RedirectResponse(f"{PREFIX}/devices/pairing-code", status_code=303)
    response.set_cookie(
        console.cookies.pairing_name, sealed, max_age=int(devices.PAIRING_CODE_TTL.total_seconds()),
        **console.cookies.options(same_site="strict"),
    )  # fmt: skip
    return response


@router.get("/devices/pairing-code", response_class=HTMLResponse)
def pairing_code(request: Request, console: Console, owner: OwnerRequest) -> Response:
    """The code `new_pairing_code` just made, while it is unused and unexpired; else the
    registers page (and the cookie forgotten)."""
    shop = owner_shop(owner)
    cookie = request.cookies.get(console.cookies.pairing_name)
    value = signed_value_of(console.key, "pairing", _code_binding(owner, shop), cookie)
    code, _, micros = (value or "").partition(".")
    if code and micros.isdigit():
        shown = devices.PairingCode(code, _EPOCH + int(micros) * _MICROSECOND)
        if devices.pairing_code_live(owner.scope.connection, shop, shown):
            return _devices_page(console, owner, code=shown)
    response = RedirectResponse(f"{PREFIX}/devices", status_code=303)
    if cookie is not None:
        response.delete_cookie(console.cookies.pairing_name, path="/",
                               secure=console.cookies.secure, httponly=True)  # fmt: skip
    return response


# --- disputes -----------------------------------------------------------------------------------

_REASONS = (
    "fraudulent", "duplicate", "product_not_received", "product_unacceptable",
    "subscription_canceled", "credit_not_processed", "unrecognized", "general",
)  # fmt: skip
_STATUSES = (
    "warning_needs_response", "warning_under_review", "warning_closed", "needs_response",
    "under_review", "won", "lost", "prevented",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class DisputeRow:
    id: str
    reason: str
    amount: str
    due: str
    status: str
    evidence: str
    next_step: str
    open: bool


def _dispute_row(t: Translator, clock: Clock, found: DisputeIn, now: datetime) -> DisputeRow:
    status = found.status
    due = found.evidence_due_by
    late = due is not None and due < now
    if status in ("needs_response", "warning_needs_response"):
        evidence, step = ("evidence_late", "next_late")
        if not late:
            evidence, step = "evidence_needed", "next_needs_response"
    elif status in ("under_review", "warning_under_review"):
        evidence, step = "evidence_under_review", "next_under_review"
    else:
        evidence = "evidence_closed"
        step = {"won": "next_won", "lost": "next_lost"}.get(status, "next_closed")
    due_text = t("no_due_date") if due is None else clock.when(due)
    if late and evidence == "evidence_late":
        due_text = t("overdue", when=due_text)
    return DisputeRow(
        id=found.id,
        reason=t(f"reason_{found.reason}") if found.reason in _REASONS else found.reason or "–",
        amount=t.money(found.amount_minor, found.currency),
        due=due_text,
        status=t(f"status_{status}") if status in _STATUSES else status,
        evidence=t(evidence),
        next_step=t(step),
        open=status not in disputes.CLOSED_STATUSES,
    )


@router.get("/disputes", response_class=HTMLResponse)
def disputes_page(console: Console, owner: OwnerRequest) -> Response:
    """The shop's disputes: reason, amount, evidence due date, status, and what to do."""
    shop, t, context = _page(console, owner)
    clock = Clock(t, shop.timezone)
    now = datetime.now(UTC)
    rows = [
        _dispute_row(t, clock, found, now)
        for found in disputes.list_disputes(owner.scope.connection, tenant_id=shop.id)
    ]
    return render("disputes.html", t, active="disputes", disputes=rows, **context)


# --- problems -----------------------------------------------------------------------------------

_ENTITIES = (
    "order", "refund", "payment", "product", "category", "customer", "staff", "stock_movement",
    "shift", "cash_movement",
)  # fmt: skip
_CODES = (
    "malformed", "money_mismatch", "currency", "out_of_range", "time_window", "structure",
    "id_reused", "unknown_order", "depends_on_refused", "over_refund",
)  # fmt: skip
_FLAGS = (
    "uncaptured_authorization", "unsynced_payment", "external_refund", "unmatched_refund",
    "failed_refund", "over_refund", "card_amount_mismatch",
)  # fmt: skip


@router.get("/problems", response_class=HTMLResponse)
def problems(console: Console, owner: OwnerRequest) -> Response:
    """Refused sync changes (what, when, which register, why, what to do) and open flags."""
    shop, t, context = _page(console, owner)
    conn = owner.scope.connection
    names = {device.id: device.name for device in devices.list_devices(conn, shop.id)}
    refused = [
        {
            "when": Clock(t, shop.timezone).when(row.received_at),
            "what": t(f"entity_{row.entity}") if row.entity in _ENTITIES
            else t("entity_other", entity=row.entity),
            "entity_id": row.entity_id,
            "register": names.get(row.device_id) or t("unknown_register"),
            "why": t(f"why_{row.code}") if row.code in _CODES else t("why_other"),
            "detail": t("why_detail", field=row.field, reason=row.reason, code=row.code),
            "code": row.code,
            "advice": t(f"refused_{row.code}") if row.code in _CODES else t("refused_other"),
        }
        for row in sync.refused(conn, shop.id, REFUSED_SHOWN)
    ]  # fmt: skip
    flags = [
        {
            "kind": flag.kind,
            "title": t(f"flag_title_{flag.kind}") if flag.kind in _FLAGS
            else t("flag_title_other", kind=flag.kind),
            "since": Clock(t, shop.timezone).when(flag.first_seen_at),
            "amount": t("amount_none") if flag.amount_minor is None
            else t.money(flag.amount_minor, flag.currency or shop.currency),
            "advice": t(f"flag_{flag.kind}") if flag.kind in _FLAGS else t("flag_other"),
            "detail": flag.detail,
        }
        for flag in reconciliation.report(conn, tenant_id=shop.id)
    ]  # fmt: skip
    return render(
        "problems.html", t, active="problems", refused=refused, flags=flags,
        refused_limit=REFUSED_SHOWN, **context,
    )  # fmt: skip
