"""The owner's fee invoices (`/console/invoices`): each closed month's invoice from the platform,
its amount and state, when it was paid, and Stripe's hosted page to pay it; a banner when the
shop is past due (the grace policy of `billing.service`). Read-only: paying happens on
Stripe's page.

The card the platform charges (`/console/payment-method`): the one saved, read from Stripe
(brand, last 4 digits, expiry), and a button that leads to Stripe's Checkout page in setup
mode to save or change it; Stripe sends the owner back to `/console/payment-method/done`,
which makes the card the default and charges the invoices whose payment failed
(`billing.tasks`). The owner's own shop only: a session id of another shop changes nothing.
"""

from __future__ import annotations

import logging
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sync_server.billing import service as billing
from sync_server.billing import stripe_client as billing_stripe
from sync_server.billing import tasks as billing_tasks
from sync_server.billing.schemas import BillingError, BillingInvoice, SavedCard, StripeFailure
from sync_server.console.auth import Console, ConsoleContext, OwnerRequest, PageRefused
from sync_server.console.i18n import Translator, shop_locale
from sync_server.console.pages import render
from sync_server.console.security import FORM_TARGET_HEADER, PREFIX
from sync_server.console.statement_files import month_label
from sync_server.console.views import FormField, owner_shop, require_session_csrf, user_context
from sync_server.kit.ids import uuid7
from sync_server.kit.periods import zone

log = logging.getLogger(__name__)

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
        card_setup=bool(console.settings.billing_stripe_key),
    )  # fmt: skip


# --- the card the platform charges (`/console/payment-method`) ----------------------------------

CARD_READ_TIMEOUT_S = 5.0
"""How long the page waits for Stripe to say which card is saved before saying it cannot."""
CARD_CALL_TIMEOUT_S = 6.0
CARD_CALL_RETRIES = 2
"""Each call to Stripe the button's post and the return page make, at most (a retry carries
the call's idempotency key): the owner waits on them, so Stripe not answering is said within
about 20 s ("could not be reached", "reload this page"), not after the jobs' minute. The
retries stay: the return page and the webhook's job often finish the same session at once,
and Stripe answers the second of two calls with one key 409 while the first runs."""
SESSION_ID_RE = re.compile(r"^cs_[A-Za-z0-9_]{1,200}$")
CARD_NOTICES = {"setup_failed": "card_setup_failed", "setup_old": "card_setup_old"}
BRANDS = {
    "visa": "Visa", "mastercard": "Mastercard", "amex": "American Express",
    "discover": "Discover", "diners": "Diners Club", "jcb": "JCB", "unionpay": "UnionPay",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class CardShown:
    brand: str
    last4: str
    expires: str
    """MM/YYYY"""


def card_shown(card: SavedCard) -> CardShown:
    return CardShown(
        brand=BRANDS.get(card.brand, card.brand.title() or "Card"),
        last4=card.last4,
        expires=f"{card.exp_month:02d}/{card.exp_year}",
    )


def _card_form_target(console: ConsoleContext) -> dict[str, str]:
    """The header letting the page's button lead to Stripe's Checkout page (see
    `security.FORM_TARGET_HEADER`)."""
    origin = billing.checkout_origin(console.settings.billing_stripe_url)
    return {FORM_TARGET_HEADER.decode(): origin}


@router.get("/payment-method", response_class=HTMLResponse)
def payment_method(console: Console, owner: OwnerRequest, notice: str | None = None) -> Response:
    """The card the platform charges the shop's fee invoices to, as Stripe has it (read with
    a timeout: the page says when Stripe does not answer), and the button to save or change
    it on Stripe's page. The owner's own shop only (row-level security)."""
    shop = owner_shop(owner)
    t = Translator(shop_locale(shop))
    configured = bool(console.settings.billing_stripe_key)
    card: CardShown | None = None
    unreachable = False
    customer = billing.known_customer(owner.scope.connection, shop.id)
    client = billing_stripe.from_settings(console.settings)
    if client is not None and customer is not None and customer.stripe_customer_id:
        with client:
            try:
                saved = client.saved_card(
                    customer.stripe_customer_id, timeout_s=CARD_READ_TIMEOUT_S
                )
            except StripeFailure:
                unreachable = True
            else:
                card = card_shown(saved) if saved is not None else None
    elif client is not None:
        client.close()
    found = billing.shop_billing(owner.scope.connection, shop.id, datetime.now(UTC))
    late = found.past_due
    message = CARD_NOTICES.get(notice or "")
    return render(
        "payment_method.html", t, user=user_context(console, owner), shop=shop,
        configured=configured, card=card, unreachable=unreachable, attempt=str(uuid7()),
        past_due=None if late is None else invoice_row(t, shop.timezone, late, found.now),
        error=t(message) if message else None, active="payment-method",
        headers=_card_form_target(console),
    )  # fmt: skip


def _card_client(console: ConsoleContext) -> billing_stripe.StripeBilling | None:
    return billing_stripe.from_settings(
        console.settings, timeout_s=CARD_CALL_TIMEOUT_S, retries=CARD_CALL_RETRIES
    )


@router.post("/payment-method/setup")
def start_card_setup(
    console: Console, owner: OwnerRequest, csrf: FormField = "", attempt: FormField = ""
) -> Response:
    """Post/redirect/get to Stripe's page where the owner enters the card (the same page for
    a retried post of the same click: `attempt` came with the form)."""
    require_session_csrf(console, owner, csrf)
    shop = owner_shop(owner)
    try:
        click = uuid.UUID(attempt)
    except ValueError:
        raise PageRefused(400, "card_setup_old") from None
    client = _card_client(console)
    if client is None:
        raise PageRefused(404, "not_found")
    base = console.settings.console_url.rstrip("/")
    with client:
        try:
            url = billing_tasks.start_card_setup(
                console.engine, shop, client, attempt=click,
                success_url=f"{base}{PREFIX}/payment-method/done?session_id={{CHECKOUT_SESSION_ID}}",
                cancel_url=f"{base}{PREFIX}/payment-method/done?cancelled=1",
            )  # fmt: skip
        except BillingError:
            return RedirectResponse(f"{PREFIX}/payment-method?notice=setup_old", status_code=303)
        except StripeFailure:
            log.warning("card setup of %s: Stripe failed", shop.slug, exc_info=True)
            return RedirectResponse(f"{PREFIX}/payment-method?notice=setup_failed", status_code=303)
    return RedirectResponse(url, status_code=303)


@router.get("/payment-method/done", response_class=HTMLResponse)
def card_setup_done(
    console: Console,
    owner: OwnerRequest,
    session_id: str | None = None,
    cancelled: str | None = None,
) -> Response:
    """Where Stripe's page sends the owner back: the card saved (made the default, failed
    invoices charged: `billing.tasks.finish_card_setup`, as the webhook does, whichever
    comes first), or nothing changed. A session that is not this shop's changes nothing and
    says so (403); a link without a well-formed session id is incomplete (400), and a server
    whose platform takes no card says so (404)."""
    shop = owner_shop(owner)
    t = Translator(shop_locale(shop))
    outcome = "cancelled"
    card: CardShown | None = None
    charged: list[dict[str, str]] = []
    status = 200
    if cancelled is None:
        client = _card_client(console)
        if client is None:
            # The platform takes no card: no session can be this shop's (or anyone's).
            outcome, status = "not_configured", 404
        elif session_id is None or SESSION_ID_RE.match(session_id) is None:
            # Cut short when pasted or typed: not another shop's, just not a link Stripe made.
            client.close()
            outcome, status = "incomplete", 400
        else:
            with client:
                try:
                    result = billing_tasks.finish_card_setup(
                        console.engine, shop, client, session_id
                    )
                except StripeFailure as exc:
                    unknown = exc.status == 404
                    outcome, status = ("refused", 403) if unknown else ("unreachable", 503)
                else:
                    outcome = result.outcome
                    status = 403 if outcome == "refused" else 200
                    card = card_shown(result.card) if result.card else None
                    charged = [
                        {
                            "month": month_label(t, c.period, capital=True),
                            "amount": t.money(c.amount_minor, c.currency),
                            "outcome": c.outcome if c.outcome in ("paid", "declined") else "failed",
                        }
                        for c in result.charged
                    ]
    return render(
        "payment_method_done.html", t, user=user_context(console, owner), shop=shop,
        outcome=outcome, card=card, charged=charged, active="payment-method", status=status,
    )  # fmt: skip
