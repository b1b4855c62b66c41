"""Reconciliation queries (tenant scope, row-level security)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import Connection, text

from sync_server.kit.rows import rows_as
from sync_server.reconciliation.schemas import EXTERNAL_DEVICE_ID, Flag, GatewayRefund


@dataclass(frozen=True, slots=True)
class StoredStripeRefund:
    id: str
    payment_intent_id: str | None
    charge_id: str | None
    amount_minor: int
    currency: str
    status: str
    register_refund_id: uuid.UUID | None
    booked_refund_id: uuid.UUID | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class OrderTotals:
    id: uuid.UUID
    currency: str
    total_minor: int
    tax_minor: int


@dataclass(frozen=True, slots=True)
class BookedRefund:
    id: uuid.UUID
    order_id: uuid.UUID
    amount_minor: int
    tax_minor: int
    status: str
    created_at: datetime


def order_for_payment(
    conn: Connection, tenant_id: uuid.UUID, *, payment_intent_id: str | None, charge_id: str | None
) -> uuid.UUID | None:
    """The order a Stripe payment belongs to: from the register's pushed payment, else from the
    `order_id` the register put in the PaymentIntent's metadata."""
    if payment_intent_id is None and charge_id is None:
        return None
    row = conn.execute(
        text(
            "SELECT order_id FROM ("
            "  SELECT order_id, 0 AS rank FROM payments "
            "  WHERE tenant_id = :t AND (gateway_payment_id = :pi OR gateway_charge_id = :ch) "
            "  UNION ALL "
            "  SELECT order_id, 1 FROM stripe_payments "
            "  WHERE tenant_id = :t AND (payment_intent_id = :pi OR charge_id = :ch) "
            "  AND order_id IS NOT NULL"
            ") AS found ORDER BY rank LIMIT 1"
        ),
        {"t": tenant_id, "pi": payment_intent_id, "ch": charge_id},
    ).first()
    return None if row is None else row.order_id


def upsert_stripe_refund(conn: Connection, tenant_id: uuid.UUID, refund: GatewayRefund) -> None:
    conn.execute(
        text(
            "INSERT INTO stripe_refunds (tenant_id, id, payment_intent_id, charge_id, "
            "amount_minor, currency, status, reason, metadata, register_refund_id, created_at, "
            "updated_at) "
            "VALUES (:t, :id, :pi, :ch, :amount, :currency, :status, :reason, "
            "CAST(:metadata AS jsonb), :register_refund_id, :created_at, :updated_at) "
            "ON CONFLICT (tenant_id, id) DO UPDATE SET status = EXCLUDED.status, "
            "reason = EXCLUDED.reason, metadata = EXCLUDED.metadata, "
            "register_refund_id = coalesce(stripe_refunds.register_refund_id, "
            "EXCLUDED.register_refund_id), updated_at = EXCLUDED.updated_at"
        ),
        {
            "t": tenant_id,
            "id": refund.id,
            "pi": refund.payment_intent_id,
            "ch": refund.charge_id,
            "amount": refund.amount_minor,
            "currency": refund.currency,
            "status": refund.status,
            "reason": refund.reason,
            "metadata": json.dumps(refund.metadata),
            "register_refund_id": refund.register_refund_id,
            "created_at": refund.created_at,
            "updated_at": refund.updated_at,
        },
    )


def lock_stripe_refund(
    conn: Connection, tenant_id: uuid.UUID, refund_id: str
) -> StoredStripeRefund | None:
    row = conn.execute(
        text(
            "SELECT id, payment_intent_id, charge_id, amount_minor, currency, status, "
            "register_refund_id, booked_refund_id, created_at FROM stripe_refunds "
            "WHERE tenant_id = :t AND id = :id FOR UPDATE"
        ),
        {"t": tenant_id, "id": refund_id},
    ).first()
    return None if row is None else StoredStripeRefund(*row)


def unbooked_external_refunds(conn: Connection, tenant_id: uuid.UUID) -> list[str]:
    rows = conn.execute(
        text(
            "SELECT id FROM stripe_refunds WHERE tenant_id = :t AND register_refund_id IS NULL "
            "AND booked_refund_id IS NULL ORDER BY created_at"
        ),
        {"t": tenant_id},
    )
    return [row.id for row in rows]


def set_booked(
    conn: Connection, tenant_id: uuid.UUID, refund_id: str, booked_refund_id: uuid.UUID
) -> None:
    conn.execute(
        text("UPDATE stripe_refunds SET booked_refund_id = :b WHERE tenant_id = :t AND id = :id"),
        {"t": tenant_id, "id": refund_id, "b": booked_refund_id},
    )


def paid_order(conn: Connection, tenant_id: uuid.UUID, order_id: uuid.UUID) -> OrderTotals | None:
    """The order's totals (None unless paid). What its refunds and disputes already claim is
    `sync.repository.lock_refund_rooms`' to say."""
    row = conn.execute(
        text(
            "SELECT id, currency, total_minor, tax_minor FROM orders "
            "WHERE tenant_id = :t AND id = :o AND status = 'paid'"
        ),
        {"t": tenant_id, "o": order_id},
    ).first()
    if row is None:
        return None
    return OrderTotals(row.id, row.currency, int(row.total_minor), int(row.tax_minor))


def insert_refund(
    conn: Connection,
    tenant_id: uuid.UUID,
    *,
    refund_id: uuid.UUID,
    order_id: uuid.UUID,
    amount_minor: int,
    tax_minor: int,
    reason: str,
    status: str,
    created_at: datetime,
    gateway_refund_id: str,
) -> None:
    """A refund made outside the register, with one card allocation naming Stripe's refund."""
    conn.execute(
        text(
            "INSERT INTO refunds (tenant_id, id, order_id, device_id, amount_minor, tax_minor, "
            "reason, status, created_at) VALUES (:t, :id, :o, :d, :a, :tax, :reason, :s, :c)"
        ),
        {
            "t": tenant_id,
            "id": refund_id,
            "o": order_id,
            "d": EXTERNAL_DEVICE_ID,
            "a": amount_minor,
            "tax": tax_minor,
            "reason": reason,
            "s": status,
            "c": created_at,
        },
    )
    conn.execute(
        text(
            "INSERT INTO refund_allocations (tenant_id, id, refund_id, tender_id, kind, "
            "amount_minor, status, gateway_refund_id) VALUES (:t, :id, :r, NULL, 'card', :a, :s, "
            ":g)"
        ),
        {
            "t": tenant_id,
            "id": uuid.uuid5(refund_id, "allocation"),
            "r": refund_id,
            "a": amount_minor,
            "s": status,
            "g": gateway_refund_id,
        },
    )


class FailedAllocation(NamedTuple):
    """A register refund's card allocation marked failed after Stripe's refund failed."""

    id: uuid.UUID
    refund_id: uuid.UUID
    amount_minor: int
    """What the customer is owed: the allocation's amount and its tip."""
    stripe_refund_id: str
    currency: str


def fail_register_allocations(
    conn: Connection, tenant_id: uuid.UUID, refund_ids: Sequence[uuid.UUID]
) -> list[FailedAllocation]:
    """Mark failed the card allocations of these register refunds whose Stripe refund failed
    after the register recorded it (Stripe's refunds can fail days later, at the customer's
    bank); a refund that had fully succeeded becomes failed. Returns what changed."""
    if not refund_ids:
        return []
    changed = rows_as(
        FailedAllocation,
        conn.execute(
            text(
                "UPDATE refund_allocations a SET status = 'failed' FROM stripe_refunds sr "
                "WHERE a.tenant_id = :t AND a.refund_id = ANY(CAST(:ids AS uuid[])) "
                "AND sr.tenant_id = a.tenant_id "
                "AND sr.register_refund_id = a.refund_id AND sr.id = a.gateway_refund_id "
                "AND sr.status = 'failed' AND a.status <> 'failed' "
                # What the customer is owed: the card got neither the amount nor the tip.
                "RETURNING a.id, a.refund_id, a.amount_minor + a.tip_minor AS amount_minor, "
                "sr.id AS stripe_refund_id, "
                "sr.currency"
            ),
            {"t": tenant_id, "ids": list(refund_ids)},
        ),
    )
    # Also when the allocation failed earlier, while the refund was still pending here, and
    # the register has just pushed it as succeeded.
    conn.execute(
        text(
            "UPDATE refunds r SET status = 'failed' "
            "WHERE r.tenant_id = :t AND r.id = ANY(CAST(:ids AS uuid[])) "
            "AND r.status = 'succeeded' AND EXISTS ("
            "  SELECT 1 FROM refund_allocations a WHERE a.tenant_id = r.tenant_id "
            "  AND a.refund_id = r.id AND a.status = 'failed')"
        ),
        {"t": tenant_id, "ids": list(refund_ids)},
    )
    return changed


class RefundLine(NamedTuple):
    line_id: uuid.UUID
    amount_minor: int
    tax_minor: int


def refund_lines(conn: Connection, tenant_id: uuid.UUID, refund_id: uuid.UUID) -> list[RefundLine]:
    return rows_as(
        RefundLine,
        conn.execute(
            text(
                "SELECT line_id, amount_minor, tax_minor FROM refund_lines "
                "WHERE tenant_id = :t AND refund_id = :r ORDER BY line_id"
            ),
            {"t": tenant_id, "r": refund_id},
        ),
    )


def lock_refund(
    conn: Connection, tenant_id: uuid.UUID, refund_id: uuid.UUID
) -> BookedRefund | None:
    row = conn.execute(
        text(
            "SELECT id, order_id, amount_minor, tax_minor, status, created_at FROM refunds "
            "WHERE tenant_id = :t AND id = :id FOR UPDATE"
        ),
        {"t": tenant_id, "id": refund_id},
    ).first()
    return None if row is None else BookedRefund(*row)


def order_of_refund(
    conn: Connection, tenant_id: uuid.UUID, refund_id: uuid.UUID
) -> uuid.UUID | None:
    order_id: uuid.UUID | None = conn.execute(
        text("SELECT order_id FROM refunds WHERE tenant_id = :t AND id = :id"),
        {"t": tenant_id, "id": refund_id},
    ).scalar()
    return order_id


def lock_outside_refunds(
    conn: Connection, tenant_id: uuid.UUID, order_id: uuid.UUID
) -> list[BookedRefund]:
    """The order's refunds made outside the register that still give something back, latest
    first (the order row is locked before these, see `sync.refund_caps`)."""
    rows = conn.execute(
        text(
            "SELECT id, order_id, amount_minor, tax_minor, status, created_at FROM refunds "
            "WHERE tenant_id = :t AND order_id = :o AND device_id = :d AND status <> 'failed' "
            "ORDER BY created_at DESC, id DESC FOR UPDATE"
        ),
        {"t": tenant_id, "o": order_id, "d": EXTERNAL_DEVICE_ID},
    )
    return [BookedRefund(*row) for row in rows]


def resize_refund(
    conn: Connection,
    tenant_id: uuid.UUID,
    refund_id: uuid.UUID,
    *,
    amount_minor: int,
    tax_minor: int,
) -> None:
    """A refund made outside the register, booked for less (its one allocation with it)."""
    conn.execute(
        text(
            "UPDATE refunds SET amount_minor = :a, tax_minor = :tax "
            "WHERE tenant_id = :t AND id = :id"
        ),
        {"t": tenant_id, "id": refund_id, "a": amount_minor, "tax": tax_minor},
    )
    conn.execute(
        text(
            "UPDATE refund_allocations SET amount_minor = :a "
            "WHERE tenant_id = :t AND refund_id = :id"
        ),
        {"t": tenant_id, "id": refund_id, "a": amount_minor},
    )


def gateway_refund_id(conn: Connection, tenant_id: uuid.UUID, refund_id: uuid.UUID) -> str | None:
    found: str | None = conn.execute(
        text(
            "SELECT gateway_refund_id FROM refund_allocations WHERE tenant_id = :t "
            "AND refund_id = :id AND gateway_refund_id IS NOT NULL LIMIT 1"
        ),
        {"t": tenant_id, "id": refund_id},
    ).scalar()
    return found


@dataclass(frozen=True, slots=True)
class ChargeRefunded:
    payment_intent_id: str
    currency: str
    refunded_minor: int
    updated_at: datetime


def charge_refunded(
    conn: Connection, tenant_id: uuid.UUID, charge_id: str
) -> ChargeRefunded | None:
    """What Stripe says was refunded of a charge (its `amount_refunded`, from charge events)."""
    row = conn.execute(
        text(
            "SELECT payment_intent_id, currency, refunded_minor, updated_at FROM stripe_payments "
            # Releasing an uncaptured authorization shows as refunded too: nothing went back.
            "WHERE tenant_id = :t AND charge_id = :c AND captured"
        ),
        {"t": tenant_id, "c": charge_id},
    ).first()
    if row is None:
        return None
    return ChargeRefunded(
        row.payment_intent_id, row.currency.strip(), int(row.refunded_minor), row.updated_at
    )


def itemised_refunds(
    conn: Connection,
    tenant_id: uuid.UUID,
    charge_id: str,
    order_id: uuid.UUID | None,
    unitemised_id: str,
) -> int:
    """What is known, refund by refund, to have been refunded of a charge: Stripe's refunds
    seen in `refund.*` events, and the register's card refunds pushed before Stripe's event
    about them arrived (failed ones included: see below)."""
    total = conn.execute(
        text(
            # A failed refund counts too: whether Stripe's `amount_refunded` has dropped it
            # yet or not, nothing unitemised is ever booked for it.
            "SELECT coalesce((SELECT sum(amount_minor) FROM stripe_refunds "
            "  WHERE tenant_id = :t AND charge_id = :c AND id <> :u), 0) "
            # A card allocation gave back its amount and its tip in one Stripe refund.
            "+ coalesce((SELECT sum(a.amount_minor + a.tip_minor) FROM refund_allocations a "
            "  JOIN refunds r "
            "  ON r.tenant_id = a.tenant_id AND r.id = a.refund_id "
            "  WHERE a.tenant_id = :t AND r.order_id = :o AND r.device_id <> :outside "
            "  AND a.kind = 'card' AND a.gateway_refund_id IS NOT NULL "
            "  AND NOT EXISTS (SELECT 1 FROM stripe_refunds s "
            "  WHERE s.tenant_id = a.tenant_id AND s.id = a.gateway_refund_id)"
            "), 0)"
        ),
        {
            "t": tenant_id,
            "c": charge_id,
            "u": unitemised_id,
            "o": order_id,
            "outside": EXTERNAL_DEVICE_ID,
        },
    ).scalar()
    return int(total or 0)


def set_stripe_refund_amount(
    conn: Connection, tenant_id: uuid.UUID, refund_id: str, amount_minor: int
) -> None:
    conn.execute(
        text("UPDATE stripe_refunds SET amount_minor = :a WHERE tenant_id = :t AND id = :id"),
        {"t": tenant_id, "id": refund_id, "a": amount_minor},
    )


def unitemised_charges_of_orders(
    conn: Connection, tenant_id: uuid.UUID, order_ids: Sequence[uuid.UUID]
) -> list[str]:
    """Charges of these orders with a refund booked from `charge.refunded` alone."""
    if not order_ids:
        return []
    rows = conn.execute(
        text(
            "SELECT DISTINCT sr.charge_id FROM stripe_refunds sr JOIN refunds r "
            "ON r.tenant_id = sr.tenant_id AND r.id = sr.booked_refund_id "
            "WHERE sr.tenant_id = :t AND r.order_id = ANY(CAST(:ids AS uuid[])) "
            "AND sr.reason = 'charge.refunded' AND sr.charge_id IS NOT NULL"
        ),
        {"t": tenant_id, "ids": list(order_ids)},
    )
    return [row.charge_id for row in rows]


def set_refund_status(
    conn: Connection, tenant_id: uuid.UUID, refund_id: uuid.UUID, status: str
) -> None:
    conn.execute(
        text("UPDATE refunds SET status = :s WHERE tenant_id = :t AND id = :id"),
        {"t": tenant_id, "id": refund_id, "s": status},
    )
    conn.execute(
        text("UPDATE refund_allocations SET status = :s WHERE tenant_id = :t AND refund_id = :id"),
        {"t": tenant_id, "id": refund_id, "s": status},
    )


# --- the daily checks ---------------------------------------------------------------------------


class CardPayment(NamedTuple):
    """A card payment a daily check flags: the PaymentIntent (or the register's payment id)."""

    object_id: str
    order_id: uuid.UUID | None
    amount_minor: int
    currency: str
    created_at: datetime


def uncaptured_authorizations(
    conn: Connection, tenant_id: uuid.UUID, cutoff: datetime
) -> list[CardPayment]:
    """Authorizations older than `cutoff` still uncaptured: Stripe's view where it has one,
    else the register's last pushed state."""
    return rows_as(
        CardPayment,
        conn.execute(
            text(
                "SELECT s.payment_intent_id AS object_id, s.order_id, s.amount_minor, "
                "s.currency, s.created_at FROM stripe_payments s "
                "WHERE s.tenant_id = :t AND s.created_at < :cutoff "
                "AND (s.status = 'requires_capture' OR "
                "(s.status IS NULL AND s.charge_status = 'succeeded' AND NOT s.captured "
                " AND s.refunded_minor < s.amount_minor)) "
                "UNION ALL "
                "SELECT coalesce(p.gateway_payment_id, p.id::text), p.order_id, p.amount_minor, "
                "p.currency, p.created_at FROM payments p "
                "WHERE p.tenant_id = :t AND p.status = 'authorized' AND p.created_at < :cutoff "
                "AND NOT EXISTS ("
                "  SELECT 1 FROM stripe_payments s "
                "  WHERE s.tenant_id = p.tenant_id AND s.payment_intent_id = p.gateway_payment_id)"
            ),
            {"t": tenant_id, "cutoff": cutoff},
        ),
    )


def unsynced_payments(
    conn: Connection, tenant_id: uuid.UUID, cutoff: datetime
) -> list[CardPayment]:
    """Payments Stripe captured before `cutoff` that match no pushed payment and no order."""
    return rows_as(
        CardPayment,
        conn.execute(
            text(
                "SELECT s.payment_intent_id AS object_id, s.order_id, "
                "greatest(s.captured_minor, s.amount_minor) AS amount_minor, s.currency, "
                "s.created_at FROM stripe_payments s "
                "WHERE s.tenant_id = :t AND s.created_at < :cutoff "
                "AND (s.status = 'succeeded' OR s.captured) "
                "AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.tenant_id = s.tenant_id "
                "                AND p.gateway_payment_id = s.payment_intent_id) "
                "AND NOT EXISTS (SELECT 1 FROM orders o "
                "                WHERE o.tenant_id = s.tenant_id AND o.id = s.order_id)"
            ),
            {"t": tenant_id, "cutoff": cutoff},
        ),
    )


class CardMismatch(NamedTuple):
    order_id: uuid.UUID
    currency: str
    captured: Decimal
    tendered: Decimal
    intents: str
    """The order's PaymentIntents, comma-separated."""


def card_amount_mismatches(conn: Connection, tenant_id: uuid.UUID) -> list[CardMismatch]:
    """Paid orders whose card tenders (amount and tip) add up to something other than what
    Stripe says it captured for the order's PaymentIntents."""
    return rows_as(
        CardMismatch,
        conn.execute(
            text(
                "WITH captured AS ("
                "  SELECT coalesce(p.order_id, s.order_id) AS order_id, s.currency, "
                "  sum(s.captured_minor) AS captured, "
                "  string_agg(s.payment_intent_id, ', ' ORDER BY s.payment_intent_id) AS intents "
                "  FROM stripe_payments s LEFT JOIN payments p ON p.tenant_id = s.tenant_id "
                "  AND p.gateway_payment_id = s.payment_intent_id "
                "  WHERE s.tenant_id = :t AND s.captured_minor > 0 GROUP BY 1, 2"
                "), tendered AS ("
                "  SELECT order_id, sum(amount_minor + tip_minor) AS tendered FROM tenders "
                "  WHERE tenant_id = :t AND kind = 'card' GROUP BY 1"
                ") "
                "SELECT c.order_id, c.currency, c.captured, coalesce(t.tendered, 0) AS tendered, "
                "c.intents FROM captured c "
                "JOIN orders o ON o.tenant_id = :t AND o.id = c.order_id AND o.status = 'paid' "
                "LEFT JOIN tendered t ON t.order_id = c.order_id "
                "WHERE c.captured <> coalesce(t.tendered, 0)"
            ),
            {"t": tenant_id},
        ),
    )


# --- flags --------------------------------------------------------------------------------------


def resolve_flags(
    conn: Connection, tenant_id: uuid.UUID, kind: str, *, keep: Sequence[str] = (),
    only: Sequence[str] | None = None, now: datetime,
) -> int:  # fmt: skip
    """Resolve open flags of `kind`: all but `keep`, or (with `only`) just those objects."""
    if only is not None:
        condition = "object_id = ANY(CAST(:ids AS text[]))"
        ids = list(only)
    else:
        condition = "NOT (object_id = ANY(CAST(:ids AS text[])))"
        ids = list(keep)
    result = conn.execute(
        text(
            "UPDATE reconciliation_flags SET resolved_at = :now "
            f"WHERE tenant_id = :t AND kind = :kind AND resolved_at IS NULL AND {condition}"
        ),
        {"t": tenant_id, "kind": kind, "ids": ids, "now": now},
    )
    return int(result.rowcount)


def resolve_flag_by_id(conn: Connection, tenant_id: uuid.UUID, flag_id: int, now: datetime) -> bool:
    result = conn.execute(
        text(
            "UPDATE reconciliation_flags SET resolved_at = :now "
            "WHERE tenant_id = :t AND id = :id AND resolved_at IS NULL"
        ),
        {"t": tenant_id, "id": flag_id, "now": now},
    )
    return bool(result.rowcount)


def flags(conn: Connection, tenant_id: uuid.UUID, *, include_resolved: bool) -> list[Flag]:
    rows = conn.execute(
        text(
            "SELECT id, kind, object_id, order_id, amount_minor, currency, detail, first_seen_at, "
            "last_seen_at, resolved_at FROM reconciliation_flags "
            + "WHERE tenant_id = :t "
            + ("" if include_resolved else "AND resolved_at IS NULL ")
            + "ORDER BY first_seen_at, id"
        ),
        {"t": tenant_id},
    )
    return [
        Flag(
            id=row.id,
            kind=row.kind,
            object_id=row.object_id,
            order_id=row.order_id,
            amount_minor=row.amount_minor,
            currency=row.currency,
            detail=row.detail,
            first_seen_at=row.first_seen_at,
            last_seen_at=row.last_seen_at,
            resolved_at=row.resolved_at,
        )
        for row in rows
    ]
