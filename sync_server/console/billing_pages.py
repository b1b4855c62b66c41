"""The owner's fee invoices (`/console/invoices`): each closed month's invoice from the platform,
its amount and state, when it was paid, and Stripe's hosted page to pay it; a banner when the
shop is past due (the grace policy of `billing.service`). Read-only: paying happens on
Stripe's page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from sync_server.billing import service as billing
from sync_server.billing.schemas import BillingInvoice
from sync_server.console.auth import Console, OwnerRequest
from sync_server.console.i18n import Translator, shop_locale
from sync_server.console.pages import render
from sync_server.console.security import PREFIX
from sync_server.console.statement_files import month_label
from sync_server.console.views import owner_shop, user_context
from sync_server.kit.periods import zone

router = APIRouter(prefix=PREFIX, include_in_schema=False)

STATUS_KEYS = {
    "pending": "invoice_status_pending",
    "draft": "invoice_status_pending",
    "open": "invoice_status_open",
    "paid": "invoice_status_paid",
    "void": "invoice_status_void",
    "uncollectible": "invoice_status_uncollectible",
    "zero": "invoice_status_zero",
    "carried": "invoice_status_carried",
}
SHOWN_PAGES = ("open", "uncollectible", "paid")
"""States whose Stripe page means something to the owner (pay it, or its receipt)."""
BADGES = {"paid": "badge-paid", "open": "badge-neutral", "uncollectible": "badge-late"}
"""Green for paid, neutral for awaiting payment; a failed payment is a warning
(`badge-warning`), past due or given up on (`uncollectible`) an error (`badge-late`)."""


@dataclass(frozen=True, slots=True)
class InvoiceRow:
    period: str
    month: str
    """The month starting a line ("Março de 2026")."""
    month_text: str
    """The month within a sentence ("março de 2026")."""
    amount: str
    status: str
    badge: str
    paid_on: str
    url: str | None
    note: str


def invoice_row(t: Translator, timezone: str, record: BillingInvoice, now: datetime) -> InvoiceRow:
    paid_on = "–"
    if record.paid_at is not None:
        paid_on = t.long_date(record.paid_at.astimezone(zone(timezone)).date())
    notes = []
    if record.status == "carried":
        notes.append(
            t("invoice_note_carried", amount=t.money(record.carried_out_minor, record.currency))
        )
    elif record.status in billing.UNPAID and record.first_failed_at is not None:
        attempts = record.stripe_attempt_count
        notes.append(
            t("invoice_note_failed_one")
            if attempts == 1
            else t("invoice_note_failed", attempts=attempts)
        )
    if (
        record.status in billing.UNPAID
        and record.collection_method == "send_invoice"
        and record.due_at is not None
    ):
        due = record.due_at.astimezone(zone(timezone)).date()
        key = "invoice_note_due" if record.due_at > now else "invoice_note_was_due"
        notes.append(t(key, date=t.long_date(due)))
    if record.credit_minor:
        notes.append(
            t("invoice_note_credited", amount=t.money(record.credit_minor, record.currency))
        )
    if record.carried_in_minor > 0:
        notes.append(
            t("invoice_note_carried_in", amount=t.money(record.carried_in_minor, record.currency))
        )
    note = "; ".join(notes)
    status_key = STATUS_KEYS.get(record.status, "invoice_status_pending")
    badge = BADGES.get(record.status, "badge-quiet")
    if record.status == "open":
        since = billing.past_due_since(record)
        if since is not None and since <= now:
            status_key, badge = "invoice_status_past_due", "badge-late"
        elif record.first_failed_at is not None:
            badge = "badge-warning"
    return InvoiceRow(
        period=record.period,
        month=month_label(t, record.period, capital=True),
        month_text=month_label(t, record.period),
        amount=t.money(record.amount_minor, record.currency),
        status=t(status_key),
        badge=badge,
        paid_on=paid_on,
        url=record.hosted_invoice_url if record.status in SHOWN_PAGES else None,
        note=note,
    )


@router.get("/invoices", response_class=HTMLResponse)
def invoices(console: Console, owner: OwnerRequest) -> Response:
    """The signed-in owner's shop only (its row-level security): no id in the URL to edit."""
    shop = owner_shop(owner)
    t = Translator(shop_locale(shop))
    found = billing.shop_billing(owner.scope.connection, shop.id, datetime.now(UTC))
    rows = [invoice_row(t, shop.timezone, record, found.now) for record in reversed(found.invoices)]
    late = found.past_due
    return render(
        "invoices.html", t, user=user_context(console, owner), shop=shop, rows=rows,
        past_due=None if late is None else invoice_row(t, shop.timezone, late, found.now),
        grace_days=billing.GRACE.days, active="invoices",
    )  # fmt: skip
