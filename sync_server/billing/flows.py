"""The platform's own Stripe events about its fee invoices, applied by the webhook worker.

`stripe_webhooks` stores them (signed with the platform's secret, `source = 'platform'`) and
its worker task hands each one here (`apply_platform_event`), in the shop's transaction. Only
`invoice.*` events of invoices billing made are applied; their order is Stripe's object state
(`invoice_version`), so duplicates and late deliveries change nothing; a failed payment queues
one email to the owner (`billing_notices`, keyed by the event) sent by `tasks.send_notice`.

`checkout.session.completed` of a card setup session (the owner saved a card on Stripe's page,
its metadata names the shop) changes nothing here: Stripe must be asked to make the card the
default and to charge the failed invoices, never inside this transaction. Its outcome says
which session (`CARD_SETUP_TO_FINISH`); the worker's job, once this transaction committed,
finishes it (`tasks.finish_card_setup`, as the owner's return page does, whichever comes
first), and a retry of the job finishes it again (nothing is done twice).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection

from sync_server.billing import service
from sync_server.billing.schemas import RemoteInvoice
from sync_server.billing.stripe_client import invoice_from
from sync_server.kit import queue
from sync_server.stripe_webhooks import service as webhooks
from sync_server.stripe_webhooks.flows import UnreadableEvent
from sync_server.stripe_webhooks.schemas import StripeEvent
from sync_server.tenants.schemas import Tenant

EVENTS = frozenset(
    {
        "invoice.finalized",
        "invoice.paid",
        "invoice.payment_succeeded",
        "invoice.payment_failed",
        "invoice.voided",
        "invoice.marked_uncollectible",
        "invoice.updated",
        "invoice.sent",
    }
)

CARD_SETUP_TO_FINISH = "card setup to finish: "


def card_setup_to_finish(outcome: str | None) -> str | None:
    """The Checkout session a platform event's outcome asks the worker to finish, if any."""
    if outcome is None or not outcome.startswith(CARD_SETUP_TO_FINISH):
        return None
    return outcome[len(CARD_SETUP_TO_FINISH) :] or None


# An invoice's life: draft → open → (uncollectible) → paid | void. Within one state, more
# attempts are newer, then the event's second.
_RANK = {"draft": 0, "open": 1, "uncollectible": 2, "paid": 3, "void": 3}


def invoice_version(remote: RemoteInvoice, event_created: int) -> list[int]:
    return [_RANK.get(remote.status, 0), remote.attempt_count, event_created]


def apply_platform_event(conn: Connection, *, tenant: Tenant, event: StripeEvent) -> str:
    """Apply one platform event to the shop's fee invoice; returns what happened."""
    obj = event.data.object
    if obj.get("object") == "checkout.session":
        return _checkout_session(event)
    if obj.get("object") != "invoice" or event.type not in EVENTS:
        return f"ignored ({event.type})"
    try:
        remote = invoice_from(obj)
    except (KeyError, TypeError, ValueError) as exc:
        raise UnreadableEvent(
            f"Stripe event {event.id} ({event.type}): unreadable invoice: {exc!r}"
        ) from None
    record = service.record_by_remote(conn, tenant.id, remote)
    if record is None:
        return f"invoice {remote.id}: not a fee invoice of this shop"
    failed = event.type == "invoice.payment_failed"
    notice = ""
    # Each failure is told, even when a newer state was applied first (the email says which
    # attempt failed), unless the invoice is known paid or voided by then: no email says
    # "failed" about an invoice settled. A redelivered event is already in the inbox.
    if (
        failed
        and record.status not in service.FINAL
        and service.add_notice(
            conn, tenant.id, event_id=event.id, record=record, attempt_count=remote.attempt_count
        )
    ):
        queue.defer(
            conn,
            queue.SEND_BILLING_NOTICE,
            [{"tenant_id": str(tenant.id), "event_id": event.id}],
        )
        notice = "; owner emailed"
    if not webhooks.claim_version(
        conn, tenant.id, remote.id, invoice_version(remote, event.created), event.id
    ):
        if failed:
            service.note_failure(conn, tenant.id, record, event.created_at)
        return f"invoice {remote.id}: older than the state applied{notice}"
    transitions = obj.get("status_transitions")
    paid_raw = transitions.get("paid_at") if isinstance(transitions, dict) else None
    paid_at = datetime.fromtimestamp(paid_raw, UTC) if isinstance(paid_raw, int) else None
    outcome = service.apply_payment_state(
        conn, tenant.id, record, remote, at=event.created_at, paid_at=paid_at, failed=failed
    )
    return outcome + notice


def _checkout_session(event: StripeEvent) -> str:
    obj = event.data.object
    metadata = obj.get("metadata")
    purpose = metadata.get("purpose") if isinstance(metadata, dict) else None
    session_id = obj.get("id")
    if (
        event.type != "checkout.session.completed"
        or obj.get("mode") != "setup"
        or purpose != service.CARD_SETUP
        or not isinstance(session_id, str)
    ):
        return f"ignored ({event.type})"
    return f"{CARD_SETUP_TO_FINISH}{session_id}"
