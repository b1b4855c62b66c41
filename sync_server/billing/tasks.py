"""Invoicing closed months at Stripe: where billing's transactions begin and end.

Each step is its own short transaction, and no transaction is open while Stripe is asked
anything: write the intent (`billing_calls`, with the idempotency key), commit, call Stripe,
then record the answer and the next step in one transaction. A process killed anywhere leaves
either an intent without an answer (the next run repeats the call with the same key, after
looking for what it may have made) or a recorded step (the next run goes on from it). See
`service` for the rules.

One shop's failure never stops the others: it is recorded on the invoice (`attempts`,
`last_error`, `next_retry_at`, backing off) and the run goes on; the next run (the hourly job,
`sync-server invoices retry`) takes it up again.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from pos_app.domain.month_text import month_text
from sync_server.billing import service
from sync_server.billing.schemas import (
    BillingError,
    BillingInvoice,
    CardSetupResult,
    ChargedInvoice,
    RemoteInvoice,
    RunReport,
    SavedCard,
    StripeFailure,
)
from sync_server.billing.stripe_client import StripeBilling
from sync_server.notifications.email import SmtpSender
from sync_server.notifications.schemas import NotSent, OutcomeUnknown
from sync_server.scope import admin_scope, tenant_scope
from sync_server.tenants import service as tenants
from sync_server.tenants.schemas import Tenant

log = logging.getLogger(__name__)

Checkpoint = Callable[[str], None]
"""Told after each transaction billing commits (`"db <what>"`): progress, and the crash tests'
hook (with the client's observer, which is told around each call to Stripe)."""

RETRY_BACKOFF = (
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=12),
)


def _nothing(_: str) -> None:
    return None


def invoice_all(
    app: Engine,
    admin: Engine,
    client: StripeBilling,
    *,
    days_until_due: int,
    only: Tenant | None = None,
    force: bool = False,
    checkpoint: Checkpoint | None = None,
    now: datetime | None = None,
    concurrency: int = 1,
    refresh: bool = True,
) -> RunReport:
    """Plan every shop's closed months not planned yet, and take every unfinished invoice as
    far as it goes (those backing off after a failure wait for their `next_retry_at`, unless
    `force`); `concurrency` shops at a time. With `refresh`, the state of invoices still open
    at Stripe is read again and recorded (until the payment webhooks record it as it happens)."""
    started = time.monotonic()
    report = RunReport()
    if only is None:
        with admin_scope(admin) as scope:
            shops = tenants.list_tenants(scope.connection)
    else:
        shops = [only]

    def one(tenant: Tenant) -> None:
        invoice_shop(
            app,
            tenant,
            client,
            days_until_due=days_until_due,
            report=report,
            force=force,
            checkpoint=checkpoint or _nothing,
            now=now,
        )
        _keep_email(app, tenant, client)
        if refresh:
            _refresh_open(app, tenant, client, report)

    if concurrency <= 1 or len(shops) <= 1:
        for tenant in shops:
            one(tenant)
    else:
        # Shops are independent (each its own rows, keys and Stripe customer): a few at once
        # hide Stripe's latency. Each takes a pooled connection at a time, never more.
        with ThreadPoolExecutor(concurrency, thread_name_prefix="billing") as pool:
            list(pool.map(one, shops))
    report.seconds = time.monotonic() - started
    return report


def invoice_shop(
    app: Engine,
    tenant: Tenant,
    client: StripeBilling,
    *,
    days_until_due: int,
    report: RunReport,
    force: bool = False,
    checkpoint: Checkpoint = _nothing,
    now: datetime | None = None,
) -> None:
    moment = now or datetime.now(UTC)
    try:
        with tenant_scope(app, tenant.id) as scope:
            for record in service.plan_shop(scope.connection, tenant):
                if record.status == "zero":
                    report.zero.append((tenant.slug, record.period))
                elif record.status == "carried":
                    report.carried.append((tenant.slug, record.period, record.carried_out_minor))
            todo = [
                record
                for record in service.invoices_of(scope.connection, tenant.id)
                if record.step != "done"
                and (force or record.next_retry_at is None or record.next_retry_at <= moment)
            ]
        checkpoint(f"db planned {tenant.slug}")
    except Exception as exc:  # one shop's trouble never stops the others
        log.exception("billing: planning %s failed", tenant.slug)
        report.failed.append((tenant.slug, "-", _why(exc)))
        return
    for record in todo:
        try:
            _collect(app, tenant, record.id, client, days_until_due, checkpoint)
        except Exception as exc:
            why = _why(exc)
            log.warning("billing: invoice %s %s failed: %s", tenant.slug, record.period, why)
            retry_at = moment + RETRY_BACKOFF[min(record.attempts, len(RETRY_BACKOFF) - 1)]
            try:
                with tenant_scope(app, tenant.id) as scope:
                    service.count_failure(scope.connection, tenant.id, record.id, why, retry_at)
            except Exception:
                log.exception("billing: could not record the failure of %s", record.id)
            report.failed.append((tenant.slug, record.period, why))
        else:
            report.invoiced.append((tenant.slug, record.period))


def _why(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:500]


def _collect(
    app: Engine,
    tenant: Tenant,
    invoice_id: uuid.UUID,
    client: StripeBilling,
    days_until_due: int,
    checkpoint: Checkpoint,
) -> BillingInvoice:
    """Take one invoice from where it is to `done` (see the module docstring)."""
    t = tenant.id
    with tenant_scope(app, t) as scope:
        record = service.lock_invoice(scope.connection, t, invoice_id)
    checkpoint(f"db read {invoice_id}")
    if record.step == "done":
        return record

    def intent(key: str, action: str) -> bool:
        """Write the call's intent before making it; True when it was written before."""
        with tenant_scope(app, t) as scope:
            repeat = service.call_was_made(scope.connection, t, key)
            service.record_call(scope.connection, t, key, invoice_id, action)
        checkpoint(f"db intent {action} {invoice_id}")
        return repeat

    # 1. The shop's customer, once; its email as the owner's billing email is now.
    customer_id = _ensure_customer(
        app, tenant, client, invoice_id=invoice_id, checkpoint=checkpoint
    )

    # 2. The invoice: ours if it exists at Stripe, else made once.
    remote: RemoteInvoice | None = None
    if record.stripe_invoice_id is None:
        key = service.call_key(invoice_id, "create")
        if intent(key, "create invoice"):
            remote = next(
                (
                    found
                    for found in client.invoices_of(customer_id)
                    if found.metadata.get("billing_invoice_id") == str(invoice_id)
                ),
                None,
            )
        if remote is None:
            card = client.get_customer(customer_id).default_payment_method
            remote = client.create_invoice(
                customer=customer_id,
                currency=record.currency,
                collection_method="charge_automatically" if card else "send_invoice",
                days_until_due=days_until_due,
                description=f"Counter POS fee, {month_text(record.period)}",
                metadata=service.metadata(tenant, record),
                idempotency_key=key,
            )
        with tenant_scope(app, t) as scope:
            service.record_remote(scope.connection, t, invoice_id, remote)
            service.answer_call(scope.connection, t, key, remote.id)
        checkpoint(f"db invoice created {invoice_id}")
    else:
        remote = client.get_invoice(record.stripe_invoice_id)

    # 3. Its lines, then finalize (a draft only: a repeat finds it finalized).
    if remote.status == "draft":
        present = {line.metadata.get("billing_line") for line in remote.lines}
        for line in service.lines_of(record):
            if line.key in present:
                continue
            key = service.call_key(invoice_id, f"item-{line.key}")
            intent(key, f"invoice item {line.key}")
            client.add_invoice_item(
                customer=customer_id,
                invoice=remote.id,
                amount=line.amount_minor,
                currency=record.currency,
                description=line.description,
                metadata={**service.metadata(tenant, record), "billing_line": line.key},
                idempotency_key=key,
            )
            with tenant_scope(app, t) as scope:
                service.answer_call(scope.connection, t, key, "ok")
            checkpoint(f"db item {line.key} {invoice_id}")
        key = service.call_key(invoice_id, "finalize")
        intent(key, "finalize")
        remote = client.finalize(remote.id, idempotency_key=key)
        with tenant_scope(app, t) as scope:
            service.record_remote(scope.connection, t, invoice_id, remote, step="finalized")
            service.answer_call(scope.connection, t, key, remote.status)
        checkpoint(f"db finalized {invoice_id}")

    # 4. The credit note, before anything is collected.
    if record.credit_minor:
        with tenant_scope(app, t) as scope:
            note = service.credit_note(scope.connection, t, invoice_id)
        if note.stripe_credit_note_id is None:
            repeat = intent(note.idempotency_key, "credit note")
            existing = (
                [
                    found
                    for found in client.credit_notes_of(remote.id)
                    if found.metadata.get("billing_invoice_id") == str(invoice_id)
                ]
                if repeat or remote.credited
                else []
            )
            made_note = existing[0] if existing else client.create_credit_note(
                invoice=remote.id,
                amount=note.amount_minor,
                memo=note.memo,
                metadata=service.metadata(tenant, record),
                idempotency_key=note.idempotency_key,
            )  # fmt: skip
            with tenant_scope(app, t) as scope:
                service.set_credit_note_id(scope.connection, t, invoice_id, made_note.id)
                service.answer_call(scope.connection, t, note.idempotency_key, made_note.id)
                service.advance(scope.connection, t, invoice_id, "credited")
            checkpoint(f"db credited {invoice_id}")
            remote = client.get_invoice(remote.id)

    # 5. Collection: charge the saved card (Stripe retries a decline), or email the page.
    if remote.status == "open":
        if remote.collection_method == "charge_automatically":
            if remote.attempt_count == 0:
                key = service.call_key(invoice_id, "auto-advance")
                intent(key, "auto advance")
                client.set_auto_advance(remote.id, idempotency_key=key)
                with tenant_scope(app, t) as scope:
                    service.answer_call(scope.connection, t, key, "ok")
                    service.advance(scope.connection, t, invoice_id, "collecting")
                checkpoint(f"db auto advance {invoice_id}")
                key = service.call_key(invoice_id, "pay")
                intent(key, "pay")
                paid = client.pay(remote.id, idempotency_key=key)
                with tenant_scope(app, t) as scope:
                    service.answer_call(
                        scope.connection, t, key, "declined" if paid is None else paid.status
                    )
                checkpoint(f"db paid {invoice_id}")
        else:
            key = service.call_key(invoice_id, "send")
            intent(key, "send")
            client.send(remote.id, idempotency_key=key)
            with tenant_scope(app, t) as scope:
                service.answer_call(scope.connection, t, key, "sent")
                service.advance(scope.connection, t, invoice_id, "collecting")
            checkpoint(f"db sent {invoice_id}")

    # 6. Stripe's view, recorded: done.
    remote = client.get_invoice(remote.id)
    with tenant_scope(app, t) as scope:
        service.record_remote(scope.connection, t, invoice_id, remote, step="done")
        done = service.lock_invoice(scope.connection, t, invoice_id)
    checkpoint(f"db done {invoice_id}")
    return done


def _intent(
    app: Engine,
    tenant_id: uuid.UUID,
    key: str,
    action: str,
    invoice_id: uuid.UUID | None,
    checkpoint: Checkpoint = _nothing,
) -> bool:
    """Write a call's intent (its key) before making it; True when it was written before."""
    with tenant_scope(app, tenant_id) as scope:
        repeat = service.call_was_made(scope.connection, tenant_id, key)
        service.record_call(scope.connection, tenant_id, key, invoice_id, action)
    checkpoint(f"db intent {action} {invoice_id or '-'}")
    return repeat


def _answer(app: Engine, tenant_id: uuid.UUID, key: str, outcome: str) -> None:
    with tenant_scope(app, tenant_id) as scope:
        service.answer_call(scope.connection, tenant_id, key, outcome)


def _ensure_customer(
    app: Engine,
    tenant: Tenant,
    client: StripeBilling,
    *,
    invoice_id: uuid.UUID | None,
    checkpoint: Checkpoint = _nothing,
) -> str:
    """The shop's Stripe customer id: made once (looked for first when a call to make it was
    written before), and its email brought up to the owner's billing email."""
    t = tenant.id
    with tenant_scope(app, t) as scope:
        customer = service.customer(scope.connection, tenant)
    customer_id = customer.stripe_customer_id
    if customer_id is None:
        key = customer.idempotency_key
        repeat = _intent(app, t, key, "create customer", invoice_id, checkpoint)
        found = client.find_customer("tenant_id", str(t)) if repeat else None
        made = found or client.create_customer(
            email=customer.email,
            name=tenant.name,
            metadata={"tenant_id": str(t), "tenant": tenant.slug},
            idempotency_key=key,
        )
        customer_id = made.id
        with tenant_scope(app, t) as scope:
            service.set_customer_id(scope.connection, t, made.id)
            service.answer_call(scope.connection, t, key, made.id)
        checkpoint(f"db customer {invoice_id or '-'}")
    _sync_email(app, tenant, client, customer_id, invoice_id=invoice_id, checkpoint=checkpoint)
    return customer_id


def _sync_email(
    app: Engine,
    tenant: Tenant,
    client: StripeBilling,
    customer_id: str,
    *,
    invoice_id: uuid.UUID | None,
    checkpoint: Checkpoint = _nothing,
) -> None:
    """Send the owner's billing email to the customer when it differs from what Stripe was
    last given (and remember it, so it is sent once per change)."""
    t = tenant.id
    with tenant_scope(app, t) as scope:
        email = service.email_to_send(scope.connection, t)
    if email is None:
        return
    key = service.email_key(t)
    _intent(app, t, key, "update customer email", invoice_id, checkpoint)
    client.update_email(customer_id, email=email, idempotency_key=key)
    with tenant_scope(app, t) as scope:
        service.set_customer_email(scope.connection, t, email)
        service.answer_call(scope.connection, t, key, "ok")
    checkpoint(f"db customer email {invoice_id or '-'}")


def _keep_email(app: Engine, tenant: Tenant, client: StripeBilling) -> None:
    """At every invoicing run: the shop's customer (if made) gets the owner's billing email
    when it changed. Never stops the run."""
    try:
        with tenant_scope(app, tenant.id) as scope:
            customer = service.known_customer(scope.connection, tenant.id)
        if customer is not None and customer.stripe_customer_id is not None:
            _sync_email(app, tenant, client, customer.stripe_customer_id, invoice_id=None)
    except Exception as exc:
        log.warning("billing: updating %s's email at Stripe failed: %s", tenant.slug, _why(exc))


# --- the card (the owner console's "Payment method" page) ---------------------------------------


def start_card_setup(
    app: Engine,
    tenant: Tenant,
    client: StripeBilling,
    *,
    attempt: uuid.UUID,
    success_url: str,
    cancel_url: str,
) -> str:
    """Stripe's page where the owner saves a card for the shop's invoices (its url): the
    shop's customer made first if needed, its email brought up to date, then a Checkout
    session in setup mode. `attempt` is one click: its retry gets the same session (the key,
    written before the call, is the click's); a click whose session is no longer open is
    refused (the page is old: a new one makes a new click). Stripe's page speaks the shop's
    language (not the browser's)."""
    t = tenant.id
    customer_id = _ensure_customer(app, tenant, client, invoice_id=None)
    key = service.card_setup_key(t, attempt)
    repeat = _intent(app, t, key, "card setup session", None)
    with tenant_scope(app, t) as scope:
        made_before = service.call_outcome(scope.connection, t, key) if repeat else None
    if made_before:
        session = client.get_setup_session(made_before)
    else:
        session = client.create_setup_session(
            customer=customer_id,
            success_url=success_url,
            cancel_url=cancel_url,
            metadata=service.card_setup_metadata(tenant),
            locale=service.checkout_locale(tenant.reading_locale),
            idempotency_key=key,
        )
        _answer(app, t, key, session.id)
    if session.customer != customer_id:
        raise BillingError("Stripe's card page is not for this shop's customer")
    if session.status != "open" or not session.url:
        raise BillingError(f"this card setup is {session.status or 'over'}: start again")
    return session.url


def finish_card_setup(
    app: Engine,
    tenant: Tenant,
    client: StripeBilling,
    session_id: str,
    *,
    now: datetime | None = None,
) -> CardSetupResult:
    """After the owner saved a card on Stripe's page (the return page, or the
    `checkout.session.completed` webhook: whichever comes first, both may run): the card
    becomes the default for the shop's invoices, and each unpaid invoice that failed or is
    past due when the session is first finished is charged once to it (those only, however
    late it is finished again: `service.plan_card_charges`). Every call's key is the
    session's, written before the call, so finishing twice does nothing twice. A session of
    another shop's customer is refused: nothing is changed. A session whose card is no
    longer the default, or older than the default (a card saved after it), is `replaced`: it
    changes and charges nothing (what it charged before is reported again)."""
    t = tenant.id
    moment = now or datetime.now(UTC)
    with tenant_scope(app, t) as scope:
        customer = service.known_customer(scope.connection, t)
    if customer is None or customer.stripe_customer_id is None:
        return CardSetupResult("refused")
    session = client.get_setup_session(session_id)
    if not service.session_is_shops(session, t, customer):
        log.warning("billing: card setup %s is not %s's: refused", session_id, tenant.slug)
        return CardSetupResult("refused")
    if session.status != "complete" or session.payment_method is None:
        return CardSetupResult("expired" if session.status == "expired" else "open")
    customer_id = customer.stripe_customer_id
    key = service.card_key(session_id, "default")
    with tenant_scope(app, t) as scope:
        done = service.call_outcome(scope.connection, t, key)
    # The newest card saved wins, whatever order the finishing comes in: a session finished
    # late (its webhook delayed, a tab left open, the return page reloaded from history)
    # never puts back a card the owner replaced since, nor charges anything.
    current = client.get_customer_card(customer_id)
    replaced = current.default_payment_method not in (None, session.payment_method) and (
        done is not None
        or service.saved_later(
            current.default_payment_method_created, session.payment_method_created
        )
    )
    if not replaced and done is None:
        # What it charges is decided now, once: before the card is made the default (a
        # session already made the default before this was written down charges nothing new).
        with tenant_scope(app, t) as scope:
            service.plan_card_charges(scope.connection, t, session_id, moment)
        _intent(app, t, key, "default card", None)
        client.set_default_card(
            customer_id, payment_method=session.payment_method, idempotency_key=key
        )
        _answer(app, t, key, session.payment_method)
    with tenant_scope(app, t) as scope:
        todo = service.card_charges(scope.connection, t, session_id)
    if replaced:
        todo = [(record, outcome) for record, outcome in todo if outcome is not None]
    charged: list[ChargedInvoice] = []
    for record, outcome in todo:
        assert record.stripe_invoice_id is not None
        key = service.card_key(session_id, f"pay-{record.id}")
        if outcome is None:
            _intent(app, t, key, "pay with the new card", record.id)
            try:
                paid = client.pay(record.stripe_invoice_id, idempotency_key=key)
            except StripeFailure as exc:
                if exc.retryable:
                    raise  # unanswered: the next finish repeats it with the same key
                # Refused (paid meanwhile, voided...): Stripe's answer is kept; the state
                # follows the webhooks and the hourly read.
                outcome = "failed"
                _answer(app, t, key, f"failed: {exc}")
            else:
                outcome = "declined" if paid is None else paid.status
                _answer(app, t, key, outcome)
                if paid is not None and paid.status == "paid":
                    with tenant_scope(app, t) as scope:
                        service.record_remote(scope.connection, t, record.id, paid)
        charged.append(
            ChargedInvoice(
                period=record.period,
                amount_minor=record.amount_minor,
                currency=record.currency,
                outcome=outcome.split(":")[0],
            )
        )
    return CardSetupResult(
        "replaced" if replaced else "saved", card=session.card, charged=tuple(charged)
    )


def saved_card(
    app: Engine, tenant: Tenant, client: StripeBilling, *, timeout_s: float
) -> SavedCard | None:
    """The card the shop's invoices are charged to, read from Stripe (None: none saved, or
    the shop has no customer yet). Raises StripeFailure when Stripe does not answer within
    `timeout_s`."""
    with tenant_scope(app, tenant.id) as scope:
        customer = service.known_customer(scope.connection, tenant.id)
    if customer is None or customer.stripe_customer_id is None:
        return None
    return client.saved_card(customer.stripe_customer_id, timeout_s=timeout_s)


def _refresh_open(app: Engine, tenant: Tenant, client: StripeBilling, report: RunReport) -> None:
    """Stripe's state of the shop's invoices still open there, recorded where it changed."""
    try:
        with tenant_scope(app, tenant.id) as scope:
            waiting = [
                record
                for record in service.invoices_of(scope.connection, tenant.id)
                if record.step == "done"
                and record.status in ("open", "uncollectible")
                and record.stripe_invoice_id is not None
            ]
        for record in waiting:
            assert record.stripe_invoice_id is not None
            remote = client.get_invoice(record.stripe_invoice_id)
            if (remote.status, remote.attempt_count) == (
                record.status,
                record.stripe_attempt_count,
            ):
                continue
            with tenant_scope(app, tenant.id) as scope:
                service.record_remote(scope.connection, tenant.id, record.id, remote)
            report.updated.append((tenant.slug, record.period, remote.status))
    except Exception as exc:  # a status read again later; never stops the run
        log.warning("billing: reading %s's open invoices failed: %s", tenant.slug, _why(exc))


# --- the owner's email about a failed payment ---------------------------------------------------


def send_notice(
    app: Engine,
    *,
    tenant_id: uuid.UUID,
    event_id: str,
    sender: SmtpSender | None,
    last_attempt: bool,
    console_url: str | None = None,
) -> str:
    """Email the owner about one failed payment, at most once (as `accounts.tasks`):
    "sending" is committed before the mail server is called; a worker that died in between
    leaves it "unknown" rather than sending twice. Returns the final status, or raises
    `NotSent` to be retried."""
    with tenant_scope(app, tenant_id) as scope:
        conn = scope.connection
        notice = service.lock_notice(conn, tenant_id, event_id)
        if notice is None:
            return "missing"
        if notice.status in ("sent", "failed", "unknown", "skipped"):
            return notice.status
        if notice.status == "sending":
            service.set_notice(
                conn, tenant_id, event_id, "unknown",
                "the worker stopped while sending: it may have gone out, so it is not sent again",
            )  # fmt: skip
            return "unknown"
        tenant = tenants.current_tenant(conn)
        record = service.lock_invoice(conn, tenant_id, notice.invoice_id)
        if notice.to_address is None:
            service.set_notice(conn, tenant_id, event_id, "skipped", "the shop has no owner email")
            return "skipped"
        if sender is None:
            service.set_notice(
                conn, tenant_id, event_id, "failed",
                "no SMTP server is configured (SYNC_SMTP_HOST, SYNC_SMTP_FROM)",
            )  # fmt: skip
            return "failed"
        service.set_notice(conn, tenant_id, event_id, "sending")
    domain = sender.config.from_address.rpartition("@")[2] or "localhost"
    outgoing = service.failed_payment_email(
        shop=tenant.name if tenant else "your shop",
        record=record,
        notice=notice,
        domain=domain,
        locale=tenant.reading_locale if tenant else "en_US",
        timezone=tenant.timezone if tenant else "UTC",
        card_page=f"{console_url.rstrip('/')}/console/payment-method" if console_url else None,
    )
    try:
        sender.send(outgoing)
    except NotSent as exc:
        final = exc.permanent or last_attempt
        with tenant_scope(app, tenant_id) as scope:
            service.set_notice(
                scope.connection, tenant_id, event_id, "failed" if final else "queued", str(exc)
            )
        if final:
            return "failed"
        raise
    except OutcomeUnknown as exc:
        with tenant_scope(app, tenant_id) as scope:
            service.set_notice(scope.connection, tenant_id, event_id, "unknown", str(exc))
        return "unknown"
    with tenant_scope(app, tenant_id) as scope:
        service.set_notice(scope.connection, tenant_id, event_id, "sent")
    return "sent"
