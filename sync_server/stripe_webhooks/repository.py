"""Webhook queries: the signature check, the inbox, object versions, Stripe's payments and
refunds. Everything but the `*_account` functions (admin role) runs under the tenant's RLS."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, text

from sync_server.kit.rows import row_as
from sync_server.stripe_webhooks.schemas import StripeEvent


@dataclass(frozen=True, slots=True)
class SignatureCheck:
    tenant_id: uuid.UUID
    has_secret: bool
    valid: bool
    account_id: str | None


def check_signature(
    conn: Connection, slug: str, signed_payload: bytes, signatures: Sequence[bytes]
) -> SignatureCheck | None:
    """None when no tenant has `slug`. Runs before the tenant is known (SECURITY DEFINER)."""
    row = conn.execute(
        text("SELECT * FROM stripe_webhook_check(:slug, :payload, CAST(:signatures AS bytea[]))"),
        {"slug": slug, "payload": signed_payload, "signatures": list(signatures)},
    ).first()
    if row is None:
        return None
    return SignatureCheck(row.tenant_id, row.has_secret, row.valid, row.account_id)


# --- the inbox ----------------------------------------------------------------------------------


def insert_event(
    conn: Connection,
    tenant_id: uuid.UUID,
    event: StripeEvent,
    body: bytes,
    source: str = "shop",
) -> bool:
    """Store a verified event once; False when its id is already in the inbox (a redelivery).
    `source`: `shop` (the shop's endpoint) or `platform` (the platform's own account)."""
    row = conn.execute(
        text(
            "INSERT INTO stripe_events (tenant_id, id, type, object_id, created_at, payload, "
            "source) VALUES (:t, :id, :type, :object_id, :created_at, CAST(:payload AS jsonb), "
            ":source) "
            "ON CONFLICT (tenant_id, id) DO NOTHING RETURNING id"
        ),
        {
            "t": tenant_id,
            "id": event.id,
            "type": event.type,
            "object_id": event.object_id,
            "created_at": event.created_at,
            "payload": body.decode("utf-8"),
            "source": source,
        },
    ).first()
    return row is not None


class StoredEvent(NamedTuple):
    id: str
    type: str
    payload: dict[str, Any]
    """The event as Stripe sent it (JSON)."""
    processed_at: datetime | None
    outcome: str | None
    source: str


def lock_event(conn: Connection, tenant_id: uuid.UUID, event_id: str) -> StoredEvent | None:
    return row_as(
        StoredEvent,
        conn.execute(
            text(
                "SELECT id, type, payload, processed_at, outcome, source FROM stripe_events "
                "WHERE tenant_id = :t AND id = :id FOR UPDATE"
            ),
            {"t": tenant_id, "id": event_id},
        ),
    )


def mark_processed(conn: Connection, tenant_id: uuid.UUID, event_id: str, outcome: str) -> None:
    conn.execute(
        text(
            "UPDATE stripe_events SET processed_at = now(), outcome = :o "
            "WHERE tenant_id = :t AND id = :id"
        ),
        {"t": tenant_id, "id": event_id, "o": outcome[:500]},
    )


def claim_version(
    conn: Connection, tenant_id: uuid.UUID, object_id: str, version: Sequence[int], event_id: str
) -> bool:
    """Record `version` as the object's newest; False (and nothing changes) when it is not newer.

    The row stays locked until the transaction ends, so two events of one object are applied
    one after the other, each against the state the other left.
    """
    row = conn.execute(
        text(
            "INSERT INTO stripe_object_versions (tenant_id, object_id, version, event_id) "
            "VALUES (:t, :o, CAST(:v AS bigint[]), :e) "
            "ON CONFLICT (tenant_id, object_id) DO UPDATE SET version = EXCLUDED.version, "
            "event_id = EXCLUDED.event_id, updated_at = now() "
            "WHERE stripe_object_versions.version < EXCLUDED.version RETURNING 1"
        ),
        {"t": tenant_id, "o": object_id, "v": list(version), "e": event_id},
    ).first()
    return row is not None


# --- what Stripe saw ----------------------------------------------------------------------------


def upsert_payment_intent(
    conn: Connection,
    tenant_id: uuid.UUID,
    *,
    payment_intent_id: str,
    status: str,
    charge_id: str | None,
    amount_minor: int,
    received_minor: int,
    currency: str,
    order_id: uuid.UUID | None,
    metadata: dict[str, str],
    created_at: datetime,
    updated_at: datetime,
) -> None:
    conn.execute(
        text(
            "INSERT INTO stripe_payments (tenant_id, payment_intent_id, status, charge_id, "
            "amount_minor, captured_minor, currency, order_id, metadata, created_at, updated_at) "
            "VALUES (:t, :pi, :status, :ch, :amount, :received, :currency, :order_id, "
            "CAST(:metadata AS jsonb), :created_at, :updated_at) "
            "ON CONFLICT (tenant_id, payment_intent_id) DO UPDATE SET status = EXCLUDED.status, "
            "charge_id = coalesce(EXCLUDED.charge_id, stripe_payments.charge_id), "
            "amount_minor = EXCLUDED.amount_minor, "
            "captured_minor = greatest(EXCLUDED.captured_minor, stripe_payments.captured_minor), "
            "order_id = coalesce(EXCLUDED.order_id, stripe_payments.order_id), "
            "metadata = stripe_payments.metadata || EXCLUDED.metadata, "
            "created_at = least(EXCLUDED.created_at, stripe_payments.created_at), "
            "updated_at = greatest(EXCLUDED.updated_at, stripe_payments.updated_at)"
        ),
        {
            "t": tenant_id,
            "pi": payment_intent_id,
            "status": status,
            "ch": charge_id,
            "amount": amount_minor,
            "received": received_minor,
            "currency": currency,
            "order_id": order_id,
            "metadata": json.dumps(metadata),
            "created_at": created_at,
            "updated_at": updated_at,
        },
    )


def upsert_charge(
    conn: Connection,
    tenant_id: uuid.UUID,
    *,
    payment_intent_id: str,
    charge_id: str,
    charge_status: str,
    captured: bool,
    amount_minor: int,
    captured_minor: int,
    refunded_minor: int,
    currency: str,
    card_brand: str | None,
    card_last4: str | None,
    order_id: uuid.UUID | None,
    metadata: dict[str, str],
    created_at: datetime,
    updated_at: datetime,
) -> None:
    conn.execute(
        text(
            "INSERT INTO stripe_payments (tenant_id, payment_intent_id, charge_id, charge_status, "
            "captured, amount_minor, captured_minor, refunded_minor, currency, card_brand, "
            "card_last4, order_id, metadata, created_at, updated_at) "
            "VALUES (:t, :pi, :ch, :charge_status, :captured, :amount, :captured_minor, "
            ":refunded, :currency, :brand, :last4, :order_id, CAST(:metadata AS jsonb), "
            ":created_at, :updated_at) "
            "ON CONFLICT (tenant_id, payment_intent_id) DO UPDATE SET "
            "charge_id = EXCLUDED.charge_id, charge_status = EXCLUDED.charge_status, "
            "captured = EXCLUDED.captured, "
            "captured_minor = greatest(EXCLUDED.captured_minor, stripe_payments.captured_minor), "
            "refunded_minor = EXCLUDED.refunded_minor, "
            "card_brand = coalesce(EXCLUDED.card_brand, stripe_payments.card_brand), "
            "card_last4 = coalesce(EXCLUDED.card_last4, stripe_payments.card_last4), "
            "order_id = coalesce(stripe_payments.order_id, EXCLUDED.order_id), "
            "metadata = EXCLUDED.metadata || stripe_payments.metadata, "
            "created_at = least(EXCLUDED.created_at, stripe_payments.created_at), "
            "updated_at = greatest(EXCLUDED.updated_at, stripe_payments.updated_at) "
            # A declined attempt's charge never replaces the PaymentIntent's successful one.
            "WHERE stripe_payments.charge_id IS NULL OR stripe_payments.charge_id = "
            "EXCLUDED.charge_id OR EXCLUDED.charge_status = 'succeeded'"
        ),
        {
            "t": tenant_id,
            "pi": payment_intent_id,
            "ch": charge_id,
            "charge_status": charge_status,
            "captured": captured,
            "amount": amount_minor,
            "captured_minor": captured_minor,
            "refunded": refunded_minor,
            "currency": currency,
            "brand": card_brand,
            "last4": card_last4,
            "order_id": order_id,
            "metadata": json.dumps(metadata),
            "created_at": created_at,
            "updated_at": updated_at,
        },
    )


# --- the signing secret (admin role) -------------------------------------------------------------


def set_account(
    conn: Connection, tenant_id: uuid.UUID, *, webhook_secret: str, account_id: str | None
) -> None:
    conn.execute(
        text(
            "INSERT INTO stripe_accounts (tenant_id, webhook_secret, account_id) "
            "VALUES (:t, :s, :a) ON CONFLICT (tenant_id) DO UPDATE SET "
            "webhook_secret = EXCLUDED.webhook_secret, account_id = EXCLUDED.account_id, "
            "updated_at = now()"
        ),
        {"t": tenant_id, "s": webhook_secret, "a": account_id},
    )
