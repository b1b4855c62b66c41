"""What each closed month bills, our records of it, and the checks of `fees verify`.

**The plan** (decided in our database before Stripe is asked anything, `plan_shop`): per shop,
closed month and currency, with `fee` the frozen statement's fee and `carried` what earlier
months carried into it (positive: amounts below Stripe's minimum charge; negative: credit):

* the month's own fee, before the adjustments to closed months it contains (`own`), is one
  invoice line; a positive carry is a second;
* what the adjustments take off the fee (late refunds and chargebacks of closed months), a
  negative own fee and a carried credit are one **credit note** on this invoice: an invoice is
  never negative;
* what is due, ``fee + carried`` (= lines − credit note), zero: no invoice; negative: carried
  forward as credit; below the minimum charge for the currency: carried forward, visibly
  (`billing_carries`, `invoices list`). So for every closed month
  ``invoiced − credited + carried out − carried in = fee``, which `fees verify` checks.

**Exactly once**: the record (unique per shop, month and currency) exists before the first
call; every call is written to `billing_calls` with its idempotency key before it is made
(`record_call`), and the key is derived from our invoice id, so a retry within Stripe's day of
idempotency replays the first answer. Each Stripe object carries our ids in its metadata, and a
call repeated (its intent already written) looks for what the first one may have made before
making anything: the invoice among the customer's invoices, the credit note among the
invoice's, the invoice lines in the invoice. Years later as minutes later, a retry finds the
invoice instead of making a second one.

**Payment state and the grace policy** (the platform's webhooks, `billing.flows`): Stripe's
`invoice.*` events on the platform's own endpoint move our record between Stripe's states,
newest state first (a paid or voided invoice never goes back), and each
`invoice.payment_failed` emails the shop's owner once (`billing_notices`, keyed by the event).
Stripe retries the card on its own schedule (Smart Retries). Our policy for an unpaid invoice:

* from the first failed payment of a card (`charge_automatically`), or from the due date of
  an emailed invoice (`send_invoice`, no saved card: Stripe's `due_date`, kept as `due_at`),
  the shop has ``GRACE`` (14 days) to pay: nothing changes;
* after it, while any such invoice is still unpaid (`open`), and as soon as Stripe
  marks one `uncollectible` (it gave up retrying, grace or not), the shop is **past due**:
  the register's back office lists it and the counter screen shows a banner with the
  invoice's hosted page; the owner console shows it too;
* being past due **never blocks a sale**, a sync or a register: it is information only;
* it clears as soon as the invoice is paid (the `invoice.paid` event, or the hourly read of
  open invoices) or voided by the platform.

**The card** (the owner console's "Payment method" page, `tasks.start_card_setup` and
`tasks.finish_card_setup`): the owner saves or changes the card on Stripe's Checkout page in
setup mode, for the shop's customer (made first if it has none). Each click on "Save a card"
has its own idempotency key, written before the call (a retry of that click gets the same
session, never a second); the session's metadata names the shop. Finishing (the return page
or the `checkout.session.completed` webhook, whichever comes first; both may run, nothing is
done twice) checks the session is this shop's customer's, makes its card the default for
invoices, and tries once to pay each of the shop's unpaid invoices that failed or is past due
(`invoices_to_charge`), so a shop that saves a card after a decline is paid at once; their
state then follows the webhooks and the hourly read. Those invoices are the ones due when
the session is first finished, written down then (`plan_card_charges`): finishing it again
later charges no invoice that failed since. The customer's email follows the owner's
billing email (`email_to_send`): sent when it differs from what Stripe was last given, at
invoicing and at card setup.
"""

from __future__ import annotations

import html
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, tzinfo
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Connection

from pos_app.domain.month_text import day_text, month_text
from sync_server.accounts import service as accounts
from sync_server.billing import repository
from sync_server.billing.repository import CarryRow, CreditNoteRow, CustomerRow, NoticeRow
from sync_server.billing.schemas import (
    BillingError,
    BillingInvoice,
    InvoiceLine,
    Plan,
    RemoteInvoice,
    RemoteSetupSession,
    Step,
    minimum_charge,
)
from sync_server.fees import service as fees
from sync_server.fees.rules import Statement
from sync_server.kit.currency import format_money
from sync_server.kit.ids import uuid7
from sync_server.kit.money import fee_of
from sync_server.notifications.email import OutgoingEmail
from sync_server.tenants.schemas import Tenant

FEE_LINE = "fee"
CARRIED_LINE = "carried"
CARRIED_DESCRIPTION = "Carried from earlier months (below Stripe's minimum charge)"
GRACE = timedelta(days=14)
"""From a fee invoice's first failed payment, or an emailed invoice's due date, to the shop
being past due (module docstring)."""
UNPAID = ("open", "uncollectible")
FINAL = ("paid", "void")
"""States an invoice never leaves (an event saying otherwise is older than what we know)."""
PRODUCTS_SHOWN = 5
DESCRIPTION_LIMIT = 480


# --- keys -------------------------------------------------------------------------------------


def customer_key(tenant_id: uuid.UUID) -> str:
    return f"billing-customer-{tenant_id}"


def call_key(invoice_id: uuid.UUID, action: str) -> str:
    return f"billing-{invoice_id}-{action}"


CARD_SETUP = "card_setup"
"""The `purpose` in a card setup session's metadata (next to the shop's `tenant_id`)."""


def card_setup_key(tenant_id: uuid.UUID, attempt: uuid.UUID) -> str:
    """One owner's click on "Save a card" (`attempt`, made with the page): its retry gets the
    same Checkout session. The shop is in the key: Stripe's keys are the platform account's."""
    return f"billing-card-setup-{tenant_id}-{attempt}"


def card_key(session_id: str, action: str) -> str:
    """A call that finishing the card setup `session_id` makes (once, whoever finishes)."""
    return f"billing-card-{session_id}-{action}"


def email_key(tenant_id: uuid.UUID) -> str:
    """A change of the customer's email: a new key each time (the same address may come back
    after another one, and must then be sent again)."""
    return f"billing-customer-{tenant_id}-email-{uuid7()}"


CHECKOUT_LOCALES = {"pt_BR": "pt-BR", "en_US": "en"}
"""A shop's locale as Stripe's Checkout names it (its `locale` parameter's values)."""


def checkout_locale(locale: str) -> str:
    """The language of Stripe's card page for a shop reading `locale` (the shop's, not the
    browser's: `auto` only for a locale Checkout is not told of here)."""
    return CHECKOUT_LOCALES.get(locale, "auto")


def card_setup_metadata(tenant: Tenant) -> dict[str, str]:
    return {"tenant_id": str(tenant.id), "tenant": tenant.slug, "purpose": CARD_SETUP}


def session_is_shops(
    session: RemoteSetupSession, tenant_id: uuid.UUID, customer: CustomerRow | None
) -> bool:
    """Whether a Checkout session was made for this shop's customer (and its card saved to
    it): a session id from another shop's page attaches nothing here."""
    if customer is None or customer.stripe_customer_id is None:
        return False
    if session.customer != customer.stripe_customer_id:
        return False
    if session.metadata.get("tenant_id") != str(tenant_id):
        return False
    return session.payment_method_customer in (None, customer.stripe_customer_id)


def saved_later(default_created: int | None, card_created: int | None) -> bool:
    """Whether the customer's default card was saved after this card (Stripe's `created` of
    each, in seconds; unknown or the same second: not later, the card being finished wins)."""
    if default_created is None or card_created is None:
        return False
    return default_created > card_created


def checkout_origin(stripe_url: str) -> str:
    """Where Stripe's Checkout pages are, for the console's form-action: checkout.stripe.com
    for Stripe's API, else the API's own origin (the emulator serves both)."""
    parts = urlsplit(stripe_url)
    if parts.hostname == "api.stripe.com":
        return "https://checkout.stripe.com"
    return f"{parts.scheme}://{parts.netloc}"


def metadata(tenant: Tenant, record: BillingInvoice) -> dict[str, str]:
    return {
        "tenant_id": str(tenant.id),
        "tenant": tenant.slug,
        "period": record.period,
        "billing_invoice_id": str(record.id),
    }


# --- the plan (pure) --------------------------------------------------------------------------


def describe(statement: Statement) -> str:
    """The fee line's text: the month, rate and net, and the largest products' fees (the whole
    breakdown is the statement: `sync-server fees statement`)."""
    money = statement.currency
    rate = f"{statement.rate_bps / 100:.2f}%"
    # Adjustments that lower the fee are credited on a credit note (`plan_for`): the line is the
    # month's own fee, so its text is the month's own net, and the note's memo says the rest.
    # The products' fees include the adjustments (they add up to the statement's fee, not the
    # line's), so then they are left to the statement.
    credited = statement.adjustments_minor < 0
    net = statement.net_minor - statement.adjustments_minor if credited else statement.net_minor
    month = month_text(statement.period)
    text = f"Counter POS fee, {month}: {rate} of {format_money(net, money)} net sales"
    if credited:
        return text[:DESCRIPTION_LIMIT]
    products = sorted(statement.products, key=lambda p: (-p.fee_minor, p.sku, p.name))
    shown = [
        f"{product.name or product.sku or '-'} {format_money(product.fee_minor, money)}"
        for product in products[:PRODUCTS_SHOWN]
        if product.fee_minor
    ]
    if shown:
        more = len([p for p in products if p.fee_minor]) - len(shown)
        text += ". By product: " + ", ".join(shown) + (f", +{more} more" if more > 0 else "")
    if statement.adjustments_minor > 0:
        text += (
            f". Includes {format_money(statement.adjustments_minor, money)} of adjustments "
            "to closed months"
        )
    return text[:DESCRIPTION_LIMIT]


def plan_for(statement: Statement, carried_in: int) -> Plan:
    """What one closed month bills (see the module docstring)."""
    fee = statement.fee_minor
    own = fee
    if statement.adjustments_minor < 0:
        own = fee_of(statement.net_minor - statement.adjustments_minor, statement.rate_bps)
    due = fee + carried_in
    memo_parts = []
    if own > fee:
        memo_parts.append(
            "refunds and chargebacks of closed months ("
            f"{format_money(-statement.adjustments_minor, statement.currency)} of net sales, "
            f"{format_money(own - fee, statement.currency)} of fee)"
        )
    if own < 0:
        memo_parts.append("net refunds this month")
    if carried_in < 0:
        memo_parts.append("credit carried from earlier months")
    base = Plan(
        period=statement.period,
        currency=statement.currency,
        fee_minor=fee,
        carried_in_minor=carried_in,
        lines=(),
        credit_minor=0,
        credit_memo="",
        carried_out_minor=0,
        carry_reason=None,
        description=describe(statement),
    )
    if due == 0:
        return base
    if due < 0:
        return replace(base, carried_out_minor=due, carry_reason="credit")
    if due < minimum_charge(statement.currency):
        return replace(base, carried_out_minor=due, carry_reason="below_minimum")
    lines = []
    if own > 0:
        lines.append(InvoiceLine(FEE_LINE, own, base.description))
    if carried_in > 0:
        lines.append(InvoiceLine(CARRIED_LINE, carried_in, CARRIED_DESCRIPTION))
    credit = sum(line.amount_minor for line in lines) - due
    return replace(
        base,
        lines=tuple(lines),
        credit_minor=credit,
        credit_memo=("Credit: " + ", ".join(memo_parts)) if credit else "",
    )


def lines_of(record: BillingInvoice) -> list[InvoiceLine]:
    """The invoice lines of a record (as `plan_for` made them)."""
    carried = max(record.carried_in_minor, 0)
    own = record.charge_minor - carried
    lines = []
    if own > 0:
        lines.append(InvoiceLine(FEE_LINE, own, record.description))
    if carried > 0:
        lines.append(InvoiceLine(CARRIED_LINE, carried, CARRIED_DESCRIPTION))
    return lines


# --- planning (tenant scope) ------------------------------------------------------------------


def plan_shop(conn: Connection, tenant: Tenant) -> list[BillingInvoice]:
    """A record for every closed month of the shop not planned yet, oldest first (each one's
    carry goes into the next); returns the new records."""
    planned = repository.billed_keys(conn, tenant.id)
    new: list[BillingInvoice] = []
    for statement in fees.closed_statements(conn, tenant):
        if (statement.period, statement.currency) in planned:
            continue
        carried_in = repository.take_carries(conn, tenant.id, statement.currency, statement.period)
        plan = plan_for(statement, carried_in)
        invoice_id = uuid7()
        repository.insert_invoice(
            conn,
            tenant.id,
            {
                "id": invoice_id,
                "period": plan.period,
                "currency": plan.currency,
                "fee_minor": plan.fee_minor,
                "charge_minor": plan.charge_minor,
                "credit_minor": plan.credit_minor,
                "carried_in_minor": plan.carried_in_minor,
                "carried_out_minor": plan.carried_out_minor,
                "description": plan.description,
                "status": plan.status,
                "step": "planned" if plan.lines else "done",
            },
        )
        if plan.carried_out_minor:
            assert plan.carry_reason is not None
            repository.insert_carry(
                conn, tenant.id, plan.currency, plan.period, plan.carried_out_minor,
                plan.carry_reason,
            )  # fmt: skip
        if plan.credit_minor:
            repository.insert_credit_note(
                conn,
                tenant.id,
                invoice_id,
                amount=plan.credit_minor,
                memo=plan.credit_memo,
                key=call_key(invoice_id, "credit-note"),
            )
        record = repository.invoice(conn, tenant.id, invoice_id)
        assert record is not None
        new.append(record)
    return new


def lock_invoice(conn: Connection, tenant_id: uuid.UUID, invoice_id: uuid.UUID) -> BillingInvoice:
    record = repository.lock_invoice(conn, tenant_id, invoice_id)
    if record is None:
        raise BillingError(f"no invoice {invoice_id}")
    return record


def customer(conn: Connection, tenant: Tenant) -> CustomerRow:
    """The shop's billing customer; the first time, its key and email are written (before the
    call that creates it at Stripe)."""
    found = repository.customer(conn, tenant.id)
    if found is None:
        email = accounts.billing_email(conn, tenant.id)
        repository.insert_customer(conn, tenant.id, customer_key(tenant.id), email)
        found = repository.customer(conn, tenant.id)
        assert found is not None
    return found


def set_customer_id(conn: Connection, tenant_id: uuid.UUID, stripe_id: str) -> None:
    repository.set_customer_id(conn, tenant_id, stripe_id)


def known_customer(conn: Connection, tenant_id: uuid.UUID) -> CustomerRow | None:
    """The shop's billing customer if it has one (never made here)."""
    return repository.customer(conn, tenant_id)


def email_to_send(conn: Connection, tenant_id: uuid.UUID) -> str | None:
    """The owner's billing email when the Stripe customer has another one (None: nothing to
    send; a shop with no owner keeps what the customer has)."""
    found = repository.customer(conn, tenant_id)
    wanted = accounts.billing_email(conn, tenant_id)
    if found is None or found.stripe_customer_id is None or wanted is None:
        return None
    return wanted if wanted != found.email else None


def set_customer_email(conn: Connection, tenant_id: uuid.UUID, email: str) -> None:
    repository.set_customer_email(conn, tenant_id, email)


def invoices_to_charge(
    conn: Connection, tenant_id: uuid.UUID, now: datetime
) -> list[BillingInvoice]:
    """The shop's invoices at Stripe still unpaid whose payment failed, or that made it past
    due: a newly saved card is charged for them at once."""
    return [
        record
        for record in repository.invoices_of(conn, tenant_id)
        if record.status in UNPAID
        and record.stripe_invoice_id is not None
        and record.step == "done"
        and (
            record.first_failed_at is not None
            or record.stripe_attempt_count > 0
            or record.status == "uncollectible"
            or ((since := past_due_since(record)) is not None and since <= now)
        )
    ]


def plan_card_charges(
    conn: Connection, tenant_id: uuid.UUID, session_id: str, now: datetime
) -> None:
    """The first time the card setup `session_id` is finished (its card made the default):
    the invoices it is to charge, written down then (each charge's key, not made yet), and
    never again. A session finished again later (the return page reloaded, Stripe sending
    its webhook again days after) charges these or nothing: not an invoice that failed since
    on the card it saved, which the owner did nothing to have charged now."""
    plan = card_key(session_id, "plan")
    if not repository.plan_call(conn, tenant_id, plan, None, "plan card charges"):
        return  # planned before (or at this very moment, by the other finisher)
    for record in invoices_to_charge(conn, tenant_id, now):
        key = card_key(session_id, f"pay-{record.id}")
        repository.plan_call(conn, tenant_id, key, record.id, "pay with the new card")
    repository.answer_call(conn, tenant_id, plan, "planned")


def card_charges(
    conn: Connection, tenant_id: uuid.UUID, session_id: str
) -> list[tuple[BillingInvoice, str | None]]:
    """The invoices finishing the card setup `session_id` charges (those planned when it was
    first finished: `plan_card_charges`), each with the answer of its charge when it was
    already made (finishing again reports it, and charges nothing)."""
    found = []
    for record in repository.invoices_of(conn, tenant_id):
        key = card_key(session_id, f"pay-{record.id}")
        if repository.call_recorded(conn, tenant_id, key):
            found.append((record, repository.call_outcome(conn, tenant_id, key)))
    return found


def call_outcome(conn: Connection, tenant_id: uuid.UUID, key: str) -> str | None:
    """The recorded answer of a call made (None: not made, or its answer never came)."""
    return repository.call_outcome(conn, tenant_id, key)


def credit_note(conn: Connection, tenant_id: uuid.UUID, invoice_id: uuid.UUID) -> CreditNoteRow:
    found = repository.credit_note(conn, tenant_id, invoice_id)
    if found is None:
        raise BillingError(f"invoice {invoice_id} has no credit note")
    return found


def set_credit_note_id(
    conn: Connection, tenant_id: uuid.UUID, invoice_id: uuid.UUID, stripe_id: str
) -> None:
    repository.set_credit_note_id(conn, tenant_id, invoice_id, stripe_id)


def record_call(
    conn: Connection, tenant_id: uuid.UUID, key: str, invoice_id: uuid.UUID | None, action: str
) -> None:
    repository.record_call(conn, tenant_id, key, invoice_id, action)


def call_was_made(conn: Connection, tenant_id: uuid.UUID, key: str) -> bool:
    """Whether a call with this key was already asked for (its intent written): a repeat
    looks for what it may have made before making anything."""
    return repository.call_recorded(conn, tenant_id, key)


def answer_call(conn: Connection, tenant_id: uuid.UUID, key: str, outcome: str) -> None:
    repository.answer_call(conn, tenant_id, key, outcome)


def advance(
    conn: Connection, tenant_id: uuid.UUID, invoice_id: uuid.UUID, step: Step, **values: object
) -> None:
    repository.update_invoice(conn, tenant_id, invoice_id, step=step, **values)


def record_remote(
    conn: Connection,
    tenant_id: uuid.UUID,
    invoice_id: uuid.UUID,
    remote: RemoteInvoice,
    *,
    step: Step | None = None,
) -> None:
    """Stripe's view of the invoice, as last seen (status, attempts, next attempt, page)."""
    values: dict[str, object] = {
        "status": remote.status,
        "stripe_invoice_id": remote.id,
        "hosted_invoice_url": remote.hosted_invoice_url,
        "stripe_attempt_count": remote.attempt_count,
        "next_payment_attempt": (
            datetime.fromtimestamp(remote.next_payment_attempt, UTC)
            if remote.next_payment_attempt
            else None
        ),
        "collection_method": remote.collection_method or None,
    }
    if remote.due_date:
        values["due_at"] = datetime.fromtimestamp(remote.due_date, UTC)
    if step is not None:
        values["step"] = step
        values["last_error"] = None
        values["next_retry_at"] = None
    # Read rather than told (no webhook yet, or one missed): the payment's time and the first
    # failure are when we learn of them, so the grace policy holds without the webhooks too.
    known = repository.invoice(conn, tenant_id, invoice_id)
    if known is not None:
        if remote.status == "paid" and known.paid_at is None:
            values["paid_at"] = datetime.now(UTC)
        charged = remote.collection_method == "charge_automatically"
        failed = charged and remote.status in UNPAID and remote.attempt_count > 0
        if failed and known.first_failed_at is None:
            values["first_failed_at"] = datetime.now(UTC)
    repository.update_invoice(conn, tenant_id, invoice_id, **values)


def count_failure(
    conn: Connection, tenant_id: uuid.UUID, invoice_id: uuid.UUID, error: str, retry_at: datetime
) -> None:
    repository.count_failure(conn, tenant_id, invoice_id, error, retry_at)


# --- reading ----------------------------------------------------------------------------------


def invoices_of(conn: Connection, tenant_id: uuid.UUID) -> list[BillingInvoice]:
    return repository.invoices_of(conn, tenant_id)


def carries_of(conn: Connection, tenant_id: uuid.UUID) -> list[CarryRow]:
    return repository.carries_of(conn, tenant_id)


def find_invoice(conn: Connection, tenant_id: uuid.UUID, reference: str) -> BillingInvoice:
    """An invoice of the shop by our id, Stripe's id or its month (`2026-10`)."""
    for record in repository.invoices_of(conn, tenant_id):
        if reference in (str(record.id), record.stripe_invoice_id, record.period):
            return record
    raise BillingError(f"no invoice {reference!r} for this shop")


def check_reopenable(conn: Connection, period: str, tenant: Tenant | None) -> None:
    """Refuse to reopen months that were invoiced: their fee is on an invoice the shop has; a
    reopened month would change it silently (a correction is a credit note, not built yet)."""
    invoiced = repository.invoiced_from(conn, period, None if tenant is None else tenant.id)
    if invoiced:
        whom = "" if tenant is None else f" for {tenant.slug}"
        raise BillingError(
            f"{', '.join(invoiced)} {'is' if len(invoiced) == 1 else 'are'} invoiced{whom}: "
            "reopening would change fees already on invoices (see `sync-server invoices list`)"
        )


def all_invoices(conn: Connection) -> list[BillingInvoice]:
    """Every shop's invoice records (admin role)."""
    return repository.all_invoices(conn)


# --- verification (admin role; `fees verify`) -------------------------------------------------

Problems = dict[uuid.UUID, list[str]]


def invoiced_equals_fee(conn: Connection, slugs: dict[uuid.UUID, str]) -> Problems:
    """Per shop and closed month: a record exists, and invoiced − credited + carried out −
    carried in equals the frozen fee; what was carried in was carried out of earlier months."""
    problems: Problems = defaultdict(list)
    records = {(r.tenant_id, r.period, r.currency): r for r in repository.all_invoices(conn)}
    notes = {(n.tenant_id, n.invoice_id): n for n in repository.all_credit_notes(conn)}
    carries: dict[tuple[uuid.UUID, str, str], int] = defaultdict(int)
    for carry in repository.all_carries(conn):
        if carry.into_period is not None:
            carries[(carry.tenant_id, carry.currency, carry.into_period)] += carry.amount_minor
    for closed in fees.closed_fees(conn):
        name = slugs.get(closed.tenant_id, str(closed.tenant_id))
        record = records.get((closed.tenant_id, closed.period, closed.currency))
        where = f"{name} {closed.period} {closed.currency}"
        if record is None:
            problems[closed.tenant_id].append(f"invoice {where}: the closed month is not invoiced")
            continue
        note = notes.get((record.tenant_id, record.id))
        credited = note.amount_minor if note is not None else 0
        if credited != record.credit_minor:
            problems[closed.tenant_id].append(
                f"invoice {where}: credit note {credited} != planned credit {record.credit_minor}"
            )
        total = record.charge_minor - credited + record.carried_out_minor - record.carried_in_minor
        if total != closed.fee_minor or record.fee_minor != closed.fee_minor:
            problems[closed.tenant_id].append(
                f"invoice {where}: invoiced {record.charge_minor} − credited {credited} + "
                f"carried out {record.carried_out_minor} − carried in {record.carried_in_minor} "
                f"= {total} != fee {closed.fee_minor}"
            )
        came_in = carries.get((closed.tenant_id, closed.currency, closed.period), 0)
        if came_in != record.carried_in_minor:
            problems[closed.tenant_id].append(
                f"invoice {where}: carried in {record.carried_in_minor} != carried out of "
                f"earlier months into it {came_in}"
            )
    return dict(problems)


def remote_mismatches(record: BillingInvoice, remote: RemoteInvoice | None) -> list[str]:
    """How Stripe's invoice differs from our record (empty: they agree)."""
    if remote is None:
        return ["Stripe has no such invoice"]
    found = []
    if remote.status != record.status:
        found.append(f"status: ours {record.status}, Stripe's {remote.status}")
    if remote.total != record.charge_minor:
        found.append(f"total: ours {record.charge_minor}, Stripe's {remote.total}")
    if remote.status != "draft" and remote.credited != record.credit_minor:
        found.append(f"credited: ours {record.credit_minor}, Stripe's {remote.credited}")
    if remote.metadata.get("billing_invoice_id") != str(record.id):
        found.append("metadata: billing_invoice_id is not ours")
    return found


def stripe_agrees(
    conn: Connection,
    slugs: dict[uuid.UUID, str],
    fetch: Callable[[str], RemoteInvoice | None],
) -> Problems:
    """Every invoice meant for Stripe got there (`done`), and Stripe's invoice agrees with our
    record: status, total, credit notes, our id in its metadata."""
    problems: Problems = defaultdict(list)
    for record in repository.all_invoices(conn):
        if record.status in ("zero", "carried"):
            continue
        where = f"{slugs.get(record.tenant_id, str(record.tenant_id))} {record.period}"
        if record.step != "done":
            problems[record.tenant_id].append(
                f"stripe {where}: not finished (step {record.step}, {record.attempts} failed "
                f"attempt(s){': ' + record.last_error if record.last_error else ''}); "
                "`sync-server invoices retry` goes on"
            )
        if record.stripe_invoice_id is not None:
            for mismatch in remote_mismatches(record, fetch(record.stripe_invoice_id)):
                problems[record.tenant_id].append(
                    f"stripe {where} {record.stripe_invoice_id}: {mismatch}"
                )
    return dict(problems)


# --- payment state and the grace policy ------------------------------------------------------


def past_due_since(record: BillingInvoice) -> datetime | None:
    """When this invoice makes its shop past due (None: it does not), by the policy above."""
    if record.status not in UNPAID:
        return None
    moments = []
    if record.first_failed_at is not None:
        moments.append(record.first_failed_at + GRACE)
    if record.collection_method == "send_invoice" and record.due_at is not None:
        moments.append(record.due_at + GRACE)
    if record.status == "uncollectible":
        moments.append(record.updated_at)
    return min(moments) if moments else None


def past_due(records: list[BillingInvoice], now: datetime) -> BillingInvoice | None:
    """The oldest invoice that makes the shop past due at `now`, or None."""
    due = [
        (since, record)
        for record in records
        if (since := past_due_since(record)) is not None and since <= now
    ]
    return min(due, key=lambda pair: (pair[0], pair[1].period))[1] if due else None


def record_by_remote(
    conn: Connection, tenant_id: uuid.UUID, remote: RemoteInvoice
) -> BillingInvoice | None:
    """Our record of a Stripe invoice, locked: by our id in its metadata, only when the rest
    agrees (the Stripe id we kept, if any, and the shop's billing customer)."""
    raw = remote.metadata.get("billing_invoice_id", "")
    try:
        invoice_id = uuid.UUID(raw)
    except ValueError:
        return None
    record = repository.lock_invoice(conn, tenant_id, invoice_id)
    if record is None or record.stripe_invoice_id not in (None, remote.id):
        return None
    found = repository.customer(conn, tenant_id)
    if found is None or found.stripe_customer_id != remote.customer:
        return None
    return record


def apply_payment_state(
    conn: Connection,
    tenant_id: uuid.UUID,
    record: BillingInvoice,
    remote: RemoteInvoice,
    *,
    at: datetime,
    paid_at: datetime | None,
    failed: bool,
) -> str:
    """Record Stripe's state of the invoice as an event told it (already known newer than the
    last one applied). A paid or voided invoice keeps its state whatever comes after."""
    if record.status in FINAL and remote.status != record.status:
        return f"invoice {remote.id}: stays {record.status} (Stripe said {remote.status} before)"
    values: dict[str, object] = {
        "status": remote.status,
        "stripe_invoice_id": remote.id,
        "hosted_invoice_url": remote.hosted_invoice_url or record.hosted_invoice_url,
        "stripe_attempt_count": max(remote.attempt_count, record.stripe_attempt_count),
        "next_payment_attempt": (
            datetime.fromtimestamp(remote.next_payment_attempt, UTC)
            if remote.next_payment_attempt
            else None
        ),
    }
    if remote.due_date:
        values["due_at"] = datetime.fromtimestamp(remote.due_date, UTC)
    if remote.status == "paid" and record.paid_at is None:
        values["paid_at"] = paid_at or at
    if failed and (record.first_failed_at is None or at < record.first_failed_at):
        values["first_failed_at"] = at
    repository.update_invoice(conn, tenant_id, record.id, **values)
    return f"invoice {remote.id} ({record.period}): {remote.status}"


def note_failure(
    conn: Connection, tenant_id: uuid.UUID, record: BillingInvoice, at: datetime
) -> None:
    """A failed payment told late (a newer state was applied first): the grace period still
    starts at the first failure."""
    if record.first_failed_at is None or at < record.first_failed_at:
        repository.update_invoice(conn, tenant_id, record.id, first_failed_at=at)


def add_notice(
    conn: Connection, tenant_id: uuid.UUID, *, event_id: str, record: BillingInvoice,
    attempt_count: int,
) -> bool:  # fmt: skip
    """The owner's email about a failed payment, once per event; True when new."""
    found = repository.customer(conn, tenant_id)
    email = (found.email if found else None) or accounts.billing_email(conn, tenant_id)
    return repository.insert_notice(
        conn, tenant_id, event_id=event_id, invoice_id=record.id, to_address=email,
        attempt_count=attempt_count,
    )  # fmt: skip


def lock_notice(conn: Connection, tenant_id: uuid.UUID, event_id: str) -> NoticeRow | None:
    return repository.lock_notice(conn, tenant_id, event_id)


def set_notice(
    conn: Connection, tenant_id: uuid.UUID, event_id: str, status: str, error: str | None = None
) -> None:
    repository.set_notice(conn, tenant_id, event_id, status, error)


def notices_of(conn: Connection, tenant_id: uuid.UUID) -> list[NoticeRow]:
    return repository.notices_of(conn, tenant_id)


_EMAIL_WORDS: dict[str, dict[str, str]] = {
    "en_US": {
        "subject": "Counter POS: the payment of your {period} fee failed",
        "failed": "The payment of {amount} for {shop}'s Counter POS fee of {period} failed "
        "(attempt {attempt}).",
        "retry": "Stripe will try the card again on {date}.",
        "no_retry": "Stripe will not try the card again.",
        "pay_here": "You can pay it here:",
        "pay_link": "Pay the invoice",
        "later": "If it is still unpaid on {date}, your registers will show a reminder.",
        "past_due": "It is past due: your registers show a reminder until it is paid.",
        "never_blocked": "Sales are never blocked.",
        "card_page": "To have another card charged from now on, save it on the web console's "
        "Payment method page:",
        "card_link": "Save or change the card",
    },
    "pt_BR": {
        "subject": "Counter POS: o pagamento da sua taxa de {period} falhou",
        "failed": "O pagamento de {amount} da taxa do Counter POS de {shop} referente a "
        "{period} falhou (tentativa {attempt}).",
        "retry": "A Stripe tentará cobrar o cartão novamente em {date}.",
        "no_retry": "A Stripe não tentará cobrar o cartão novamente.",
        "pay_here": "Você pode pagá-la aqui:",
        "pay_link": "Pagar a fatura",
        "later": "Se ainda não estiver paga em {date}, seus caixas mostrarão um lembrete.",
        "past_due": "A fatura está vencida: seus caixas mostram um lembrete até que seja paga.",
        "never_blocked": "As vendas nunca são bloqueadas.",
        "card_page": "Para que outro cartão seja cobrado daqui em diante, salve-o na página "
        "Forma de pagamento do console web:",
        "card_link": "Salvar ou trocar o cartão",
    },
}


def failed_payment_email(
    *,
    shop: str,
    record: BillingInvoice,
    notice: NoticeRow,
    domain: str,
    locale: str = "en_US",
    timezone: str = "UTC",
    now: datetime | None = None,
    card_page: str | None = None,
) -> OutgoingEmail:
    """The owner's email about one failed payment of a fee invoice, in the shop's language
    (en_US, pt_BR; others get en_US), its money and dates as the shop reads them. It says what
    is true when it is sent: Stripe's next attempt or that there is none, and when the shop
    becomes past due (the grace policy) or that it already is. `card_page` is the console's
    Payment method page, where the owner saves another card (and the failed invoice is charged
    to it at once)."""
    words = _EMAIL_WORDS.get(locale, _EMAIL_WORDS["en_US"])
    try:
        zone: tzinfo = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = UTC

    def day(moment: datetime) -> str:
        return day_text(moment.astimezone(zone).date(), locale)  # as the console writes it

    amount = format_money(record.amount_minor, record.currency, locale)
    since = past_due_since(record)
    deadline = since or (record.first_failed_at or notice.created_at) + GRACE
    late = record.status == "uncollectible" or deadline <= (now or datetime.now(UTC))
    retry = (
        words["retry"].format(date=day(record.next_payment_attempt))
        if record.next_payment_attempt and record.status == "open"
        else words["no_retry"]
    )
    when = words["past_due"] if late else words["later"].format(date=day(deadline))
    month = month_text(record.period, locale)
    failed = words["failed"].format(
        amount=amount, shop=shop, period=month, attempt=notice.attempt_count
    )
    page = record.hosted_invoice_url
    text = (
        f"{failed}\n\n{retry}\n\n"
        + (f"{words['pay_here']}\n\n{page}\n\n" if page else "")
        + (f"{words['card_page']}\n\n{card_page}\n\n" if card_page else "")
        + f"{when} {words['never_blocked']}\n"
    )
    failed_html = words["failed"].format(
        amount=f"<strong>{html.escape(amount)}</strong>", shop=html.escape(shop),
        period=html.escape(month), attempt=notice.attempt_count,
    )  # fmt: skip
    body = (
        f"<p>{failed_html}</p><p>{html.escape(retry)}</p>"
        + (
            f'<p><a href="{html.escape(page)}">{html.escape(words["pay_link"])}</a></p>'
            if page
            else ""
        )
        + (
            f"<p>{html.escape(words['card_page'])} "
            f'<a href="{html.escape(card_page)}">{html.escape(words["card_link"])}</a></p>'
            if card_page
            else ""
        )
        + f"<p>{html.escape(when)} {html.escape(words['never_blocked'])}</p>"
    )
    return OutgoingEmail(
        to=notice.to_address or "",
        from_name="Counter POS",
        subject=words["subject"].format(period=month),
        text=text,
        html=body,
        message_id=f"<billing-{notice.event_id}@{domain}>",
    )


@dataclass(frozen=True, slots=True)
class ShopBilling:
    """What a shop's register and owner see of its fee invoices."""

    invoices: list[BillingInvoice]
    past_due: BillingInvoice | None
    """The oldest invoice that makes the shop past due (the grace policy), or None."""
    now: datetime


def shop_billing(conn: Connection, tenant_id: uuid.UUID, now: datetime) -> ShopBilling:
    records = repository.invoices_of(conn, tenant_id)
    return ShopBilling(invoices=records, past_due=past_due(records, now), now=now)
