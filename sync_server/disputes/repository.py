"""Dispute queries (tenant scope)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import Connection, text

from sync_server.disputes.schemas import DisputeIn
from sync_server.kit.rows import row_as


class LockedDispute(NamedTuple):
    status: str
    amount_minor: int
    claimed_minor: int
    updated_at: datetime


def lock_dispute(conn: Connection, tenant_id: uuid.UUID, dispute_id: str) -> LockedDispute | None:
    return row_as(
        LockedDispute,
        conn.execute(
            text(
                "SELECT status, amount_minor, claimed_minor, updated_at FROM disputes "
                "WHERE tenant_id = :t AND id = :i FOR UPDATE"
            ),
            {"t": tenant_id, "i": dispute_id},
        ),
    )


def upsert_dispute(conn: Connection, tenant_id: uuid.UUID, dispute: DisputeIn) -> None:
    conn.execute(
        text(
            "INSERT INTO disputes (tenant_id, id, order_id, charge_id, amount_minor, currency, "
            "reason, status, evidence_due_by, fee_minor, outcome, updated_at) VALUES "
            "(:t, :id, :order_id, :charge_id, :amount_minor, :currency, :reason, :status, "
            ":evidence_due_by, :fee_minor, :outcome, :updated_at) "
            "ON CONFLICT (tenant_id, id) DO UPDATE SET order_id = EXCLUDED.order_id, "
            "charge_id = EXCLUDED.charge_id, amount_minor = EXCLUDED.amount_minor, "
            "currency = EXCLUDED.currency, reason = EXCLUDED.reason, status = EXCLUDED.status, "
            "evidence_due_by = EXCLUDED.evidence_due_by, fee_minor = EXCLUDED.fee_minor, "
            "outcome = EXCLUDED.outcome, updated_at = EXCLUDED.updated_at"
        ),
        {"t": tenant_id, **dispute.model_dump()},
    )


def fee_base(conn: Connection, tenant_id: uuid.UUID, dispute_id: str) -> int | None:
    """What the dispute's last accepted state takes out of the fee base (None: no event yet)."""
    row = conn.execute(
        text(
            "SELECT coalesce(fee_base_minor, amount_minor) AS fee_base, status "
            "FROM dispute_events WHERE tenant_id = :t AND dispute_id = :i "
            "ORDER BY id DESC LIMIT 1"
        ),
        {"t": tenant_id, "i": dispute_id},
    ).first()
    if row is None:
        return None
    return int(row.fee_base) if row.status == "lost" else 0


def lost_of_order(conn: Connection, tenant_id: uuid.UUID, order_id: uuid.UUID) -> list[str]:
    rows = conn.execute(
        text(
            "SELECT id FROM disputes WHERE tenant_id = :t AND order_id = :o AND status = 'lost' "
            "ORDER BY id"
        ),
        {"t": tenant_id, "o": order_id},
    )
    return [row.id for row in rows]


def set_claimed(
    conn: Connection, tenant_id: uuid.UUID, dispute_id: str, claimed_minor: int
) -> None:
    conn.execute(
        text("UPDATE disputes SET claimed_minor = :c WHERE tenant_id = :t AND id = :i"),
        {"t": tenant_id, "i": dispute_id, "c": claimed_minor},
    )


def disputes(
    conn: Connection, tenant_id: uuid.UUID, limit: int, closed: tuple[str, ...]
) -> list[DisputeIn]:
    """The shop's disputes: those not in a `closed` status first, by the evidence due date,
    then the newest."""
    rows = conn.execute(
        text(
            "SELECT id, order_id, charge_id, amount_minor, currency, reason, status, "
            "evidence_due_by, fee_minor, outcome, updated_at FROM disputes WHERE tenant_id = :t "
            "ORDER BY status = ANY(:closed), "
            "evidence_due_by NULLS LAST, updated_at DESC, id LIMIT :n"
        ),
        {"t": tenant_id, "n": limit, "closed": list(closed)},
    )
    return [
        DisputeIn.model_validate({**row._mapping, "currency": row.currency.strip()}) for row in rows
    ]


def dispute(conn: Connection, tenant_id: uuid.UUID, dispute_id: str) -> DisputeIn | None:
    row = conn.execute(
        text(
            "SELECT id, order_id, charge_id, amount_minor, currency, reason, status, "
            "evidence_due_by, fee_minor, outcome, updated_at FROM disputes "
            "WHERE tenant_id = :t AND id = :i"
        ),
        {"t": tenant_id, "i": dispute_id},
    ).first()
    if row is None:
        return None
    return DisputeIn.model_validate({**row._mapping, "currency": row.currency.strip()})


def insert_event(
    conn: Connection, tenant_id: uuid.UUID, dispute: DisputeIn, *, fee_base_minor: int
) -> None:
    conn.execute(
        text(
            "INSERT INTO dispute_events (tenant_id, dispute_id, status, amount_minor, "
            "currency, at, fee_base_minor) VALUES (:t, :i, :s, :a, :c, :at, :f)"
        ),
        {
            "f": fee_base_minor,
            "t": tenant_id,
            "i": dispute.id,
            "s": dispute.status,
            "a": dispute.amount_minor,
            "c": dispute.currency,
            "at": dispute.updated_at,
        },
    )


def link_order(
    conn: Connection, tenant_id: uuid.UUID, charge_id: str, order_id: uuid.UUID
) -> list[str]:
    rows = conn.execute(
        text(
            "UPDATE disputes SET order_id = :o WHERE tenant_id = :t AND charge_id = :c "
            "AND order_id IS NULL RETURNING id"
        ),
        {"t": tenant_id, "o": order_id, "c": charge_id},
    )
    return [row.id for row in rows]


def unlinked(conn: Connection, tenant_id: uuid.UUID) -> list[tuple[str, str]]:
    rows = conn.execute(
        text(
            "SELECT id, charge_id FROM disputes WHERE tenant_id = :t AND order_id IS NULL "
            "AND charge_id IS NOT NULL ORDER BY updated_at"
        ),
        {"t": tenant_id},
    )
    return [(row.id, row.charge_id) for row in rows]
