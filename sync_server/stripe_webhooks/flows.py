"""What a Stripe event does to a tenant's books (run by the worker, one event per transaction:
`process_event`).

Each handler reads the event's object in Stripe's shape (`schemas`), claims the object's
version (an older state than the one applied is ignored, see `schemas`), then hands plain
values to the domain: disputes to `disputes.service`, refunds to `reconciliation.service`,
payments to Stripe's view of them (`stripe_payments`). Returns one line saying what happened,
kept on the inbox row.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from pydantic import ValidationError
from sqlalchemy import Connection

from sync_server.disputes import service as disputes
from sync_server.reconciliation import service as reconciliation
from sync_server.reconciliation.schemas import GatewayRefund
from sync_server.stripe_webhooks import repository
from sync_server.stripe_webhooks import schemas as s
from sync_server.tenants import service as tenants
from sync_server.tenants.schemas import Tenant

_REFUND_STATUS = {"succeeded": "succeeded", "failed": "failed", "canceled": "failed"}


class UnreadableEvent(ValueError):
    """A Stripe object this server cannot read: a retry cannot fix it, so its job fails at
    once and shows in `sync-server jobs dead` (the event stays in the inbox, unprocessed)."""


PlatformHandler = Callable[[Connection, Tenant, s.StripeEvent], str]
"""Applies an event of the platform's own account (billing's, handed in by the worker: billing
sits above this package)."""


def process_event(
    conn: Connection, *, event_id: str, platform: PlatformHandler | None = None
) -> str | None:
    """Apply one stored event (the connection is scoped to its tenant). Returns its outcome;
    an event already processed is not applied again. A shop's events are applied here; the
    platform's own (its fee invoices) by `platform`, and only those: a shop's account never
    touches a fee invoice."""
    tenant = tenants.current_tenant(conn)
    if tenant is None:
        return None
    row = repository.lock_event(conn, tenant.id, event_id)
    if row is None:
        return None
    if row.processed_at is not None:
        return str(row.outcome)
    event = s.StripeEvent.model_validate(row.payload)
    if row.source == "platform":
        if platform is None:
            raise UnreadableEvent(f"platform event {event_id}: no handler for the platform's")
        outcome = platform(conn, tenant, event)
    else:
        outcome = apply_event(conn, tenant=tenant, event=event)
    repository.mark_processed(conn, tenant.id, event_id, outcome)
    return outcome


def apply_event(conn: Connection, *, tenant: Tenant, event: s.StripeEvent) -> str:
    kind = event.data.object.get("object")
    try:
        if kind == "dispute":
            return _dispute(conn, tenant, event, s.StripeDispute.model_validate(event.data.object))
        if kind == "payment_intent":
            intent = s.StripePaymentIntent.model_validate(event.data.object)
            return _payment_intent(conn, tenant, event, intent)
        if kind == "charge":
            return _charge(conn, tenant, event, s.StripeCharge.model_validate(event.data.object))
        if kind == "refund":
            return _refund(conn, tenant, event, s.StripeRefund.model_validate(event.data.object))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise UnreadableEvent(
            f"Stripe event {event.id} ({event.type}): unreadable {kind}: {where}: "
            f"{first['msg']} (check the endpoint's API version in Stripe's dashboard; "
            "`sync-server jobs retry` once the server reads it)"
        ) from None
    return f"ignored ({event.type})"


def _dispute(conn: Connection, tenant: Tenant, event: s.StripeEvent, obj: s.StripeDispute) -> str:
    version = s.dispute_version(obj, event.created)
    if not repository.claim_version(conn, tenant.id, obj.id, version, event.id):
        return f"dispute {obj.id}: older than the state applied"
    order_id = reconciliation.order_for_payment(
        conn, tenant=tenant, payment_intent_id=obj.payment_intent, charge_id=obj.charge
    )
    dispute = s.dispute_in(obj, order_id=order_id, at_time=event.created_at)
    disputes.upsert_dispute(conn, tenant=tenant, dispute=dispute, known_newer=True)
    linked = f", order {order_id}" if order_id else ", no order yet"
    return f"dispute {obj.id}: {obj.status}{linked}"


def _payment_intent(
    conn: Connection, tenant: Tenant, event: s.StripeEvent, obj: s.StripePaymentIntent
) -> str:
    version = s.payment_intent_version(obj, event.created)
    if not repository.claim_version(conn, tenant.id, obj.id, version, event.id):
        return f"payment intent {obj.id}: older than the state applied"
    order_id = s.metadata_uuid(obj.metadata, "order_id")
    repository.upsert_payment_intent(
        conn,
        tenant.id,
        payment_intent_id=obj.id,
        status=obj.status,
        charge_id=obj.latest_charge,
        amount_minor=obj.amount,
        received_minor=obj.amount_received,
        currency=obj.currency.upper(),
        order_id=order_id,
        metadata=obj.metadata,
        created_at=s.at(obj.created),
        updated_at=event.created_at,
    )
    _link_disputes(conn, tenant, obj.latest_charge)
    return f"payment intent {obj.id}: {obj.status}"


def _charge(conn: Connection, tenant: Tenant, event: s.StripeEvent, obj: s.StripeCharge) -> str:
    if obj.payment_intent is None:
        return f"charge {obj.id}: no payment intent (not a register payment)"
    version = s.charge_version(obj, event.created)
    if not repository.claim_version(conn, tenant.id, obj.id, version, event.id):
        return f"charge {obj.id}: older than the state applied"
    order_id = s.metadata_uuid(obj.metadata, "order_id")
    brand, last4 = obj.card()
    repository.upsert_charge(
        conn,
        tenant.id,
        payment_intent_id=obj.payment_intent,
        charge_id=obj.id,
        charge_status=obj.status,
        captured=obj.captured,
        amount_minor=obj.amount,
        captured_minor=obj.amount_captured,
        refunded_minor=obj.amount_refunded,
        currency=obj.currency.upper(),
        card_brand=brand,
        card_last4=last4,
        order_id=order_id,
        metadata=obj.metadata,
        created_at=s.at(obj.created),
        updated_at=event.created_at,
    )
    _link_disputes(conn, tenant, obj.id)
    # `charge.refunded` (and any later charge event) says how much of it was refunded: book
    # what no refund seen so far explains (`reconciliation.reconcile_charge_refunds`).
    refunds = ""
    if obj.amount_refunded:
        refunds = "; " + reconciliation.reconcile_charge_refunds(
            conn, tenant=tenant, charge_id=obj.id, now=datetime.now(UTC)
        )
    return f"charge {obj.id}: {obj.status}{', captured' if obj.captured else ''}{refunds}"


def _link_disputes(conn: Connection, tenant: Tenant, charge_id: str | None) -> None:
    """Disputes recorded before their payment was known get their order now."""
    if charge_id is None:
        return
    found = reconciliation.order_for_payment(
        conn, tenant=tenant, payment_intent_id=None, charge_id=charge_id
    )
    if found is not None:
        disputes.link_order(conn, tenant=tenant, charge_id=charge_id, order_id=found)


def _refund(conn: Connection, tenant: Tenant, event: s.StripeEvent, obj: s.StripeRefund) -> str:
    version = s.refund_version(obj, event.created)
    if not repository.claim_version(conn, tenant.id, obj.id, version, event.id):
        return f"refund {obj.id}: older than the state applied"
    # Cancelling an authorization shows up as a refund that moved no money (no balance
    # transaction): nothing was captured, so nothing is given back.
    if obj.reason == "expired_uncaptured_charge" or obj.balance_transaction is None:
        return f"refund {obj.id}: releases an uncaptured authorization (not a refund)"
    refund = GatewayRefund(
        id=obj.id,
        payment_intent_id=obj.payment_intent,
        charge_id=obj.charge,
        amount_minor=obj.amount,
        currency=obj.currency.upper(),
        status=_REFUND_STATUS.get(obj.status, "pending"),
        reason=obj.reason,
        register_refund_id=s.metadata_uuid(obj.metadata, "refund_id"),
        metadata=obj.metadata,
        created_at=s.at(obj.created),
        updated_at=event.created_at,
    )
    outcome = reconciliation.record_stripe_refund(
        conn, tenant=tenant, refund=refund, now=datetime.now(UTC)
    )
    return f"refund {obj.id}: {outcome}"
