"""Writing the shop's flags: what needs a person (`reconciliation_flags`)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Connection, text


def raise_flag(
    conn: Connection,
    tenant_id: uuid.UUID,
    *,
    kind: str,
    object_id: str,
    order_id: uuid.UUID | None,
    amount_minor: int | None,
    currency: str | None,
    detail: str,
    now: datetime,
    reopen: bool = True,
) -> None:
    """Open (or keep open) a flag; with `reopen` a resolved one opens again."""
    update = (
        "last_seen_at = EXCLUDED.last_seen_at, resolved_at = NULL, detail = EXCLUDED.detail, "
        "order_id = EXCLUDED.order_id, amount_minor = EXCLUDED.amount_minor"
        if reopen
        else "last_seen_at = EXCLUDED.last_seen_at"
    )
    conn.execute(
        text(
            "INSERT INTO reconciliation_flags (tenant_id, kind, object_id, order_id, amount_minor, "
            "currency, detail, first_seen_at, last_seen_at) "
            "VALUES (:t, :kind, :o, :order_id, :amount, :currency, :detail, :now, :now) "
            f"ON CONFLICT (tenant_id, kind, object_id) DO UPDATE SET {update}"
        ),
        {
            "t": tenant_id,
            "kind": kind,
            "o": object_id,
            "order_id": order_id,
            "amount": amount_minor,
            "currency": currency,
            "detail": detail,
            "now": now,
        },
    )
