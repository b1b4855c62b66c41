"""Notification queries (tenant scope, row-level security)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import Connection, text

from sync_server.kit.bulk import bool_col, bulk_insert_ids, text_col, time_col, uuid_col
from sync_server.kit.rows import rows_as
from sync_server.notifications.render import LineView, OrderView, TenderView
from sync_server.notifications.schemas import Notification
from sync_server.sync import schemas as s

_COLUMNS = (
    uuid_col("id"), uuid_col("device_id"), uuid_col("order_id"), text_col("kind"),
    text_col("channel"), text_col("to_address"), uuid_col("customer_id"), bool_col("consent"),
    text_col("locale"), time_col("created_at"),
)  # fmt: skip


def insert_notifications(
    conn: Connection,
    tenant_id: uuid.UUID,
    device_id: uuid.UUID,
    changes: Sequence[s.NotificationChange],
) -> list[uuid.UUID]:
    """Insert-once; returns the ids this call inserted (a resent id is ignored)."""
    rows = [
        (
            c.id, device_id, c.data.order_id, c.data.kind, c.data.channel, c.data.to.strip(),
            c.data.customer_id, c.data.consent, c.data.locale, c.data.created_at,
        )
        for c in changes
    ]  # fmt: skip
    return bulk_insert_ids(conn, "notifications", _COLUMNS, rows, tenant_id=tenant_id)


def lock(conn: Connection, tenant_id: uuid.UUID, notification_id: uuid.UUID) -> Notification | None:
    row = conn.execute(
        text(
            "SELECT id, order_id, kind, channel, to_address, customer_id, consent, locale, "
            "created_at, status, attempts FROM notifications "
            "WHERE tenant_id = :t AND id = :id FOR UPDATE"
        ),
        {"t": tenant_id, "id": notification_id},
    ).first()
    return None if row is None else Notification(*row)


def mark_sending(conn: Connection, tenant_id: uuid.UUID, notification_id: uuid.UUID) -> None:
    conn.execute(
        text(
            "UPDATE notifications SET status = 'sending', attempts = attempts + 1, "
            "sending_started_at = now() WHERE tenant_id = :t AND id = :id"
        ),
        {"t": tenant_id, "id": notification_id},
    )


def requeue(conn: Connection, tenant_id: uuid.UUID, notification_id: uuid.UUID, error: str) -> None:
    """Back to queued after a send that certainly did not go out."""
    conn.execute(
        text(
            "UPDATE notifications SET status = 'queued', last_error = :e "
            "WHERE tenant_id = :t AND id = :id AND status = 'sending'"
        ),
        {"t": tenant_id, "id": notification_id, "e": error[:1000]},
    )


def finish(
    conn: Connection,
    tenant_id: uuid.UUID,
    notification_id: uuid.UUID,
    status: str,
    *,
    error: str | None = None,
    provider_message_id: str | None = None,
    attempted: bool = False,
) -> None:
    """`attempted`: this ends an attempt that did not reach `mark_sending` (it counts)."""
    conn.execute(
        text(
            "UPDATE notifications SET status = :s, finished_at = now(), "
            "attempts = attempts + :a, "
            "last_error = coalesce(:e, last_error), provider_message_id = :p "
            "WHERE tenant_id = :t AND id = :id"
        ),
        {
            "t": tenant_id,
            "id": notification_id,
            "s": status,
            "a": 1 if attempted else 0,
            "e": None if error is None else error[:1000],
            "p": provider_message_id,
        },
    )


def queue_again(conn: Connection, tenant_id: uuid.UUID, notification_id: uuid.UUID) -> None:
    """A failed notification back to queued (its attempts and last error are kept)."""
    conn.execute(
        text(
            "UPDATE notifications SET status = 'queued', finished_at = NULL "
            "WHERE tenant_id = :t AND id = :id AND status = 'failed'"
        ),
        {"t": tenant_id, "id": notification_id},
    )


def opted_out(conn: Connection, tenant_id: uuid.UUID, channel: str, address: str) -> bool:
    row = conn.execute(
        text(
            "SELECT 1 FROM notification_opt_outs "
            "WHERE tenant_id = :t AND channel = :c AND address = :a"
        ),
        {"t": tenant_id, "c": channel, "a": address},
    ).first()
    return row is not None


def add_opt_out(
    conn: Connection, tenant_id: uuid.UUID, channel: str, address: str, source: str
) -> bool:
    row = conn.execute(
        text(
            "INSERT INTO notification_opt_outs (tenant_id, channel, address, source) "
            "VALUES (:t, :c, :a, :s) ON CONFLICT DO NOTHING RETURNING 1"
        ),
        {"t": tenant_id, "c": channel, "a": address, "s": source},
    ).first()
    return row is not None


def customer_consent(
    conn: Connection, tenant_id: uuid.UUID, customer_id: uuid.UUID, channel: str
) -> bool | None:
    """The stored customer's consent for `channel`; None when the customer is not on the server."""
    column = "email_consent" if channel == "email" else "sms_consent"
    row = conn.execute(
        text(f"SELECT {column} AS consent FROM customers WHERE tenant_id = :t AND id = :id"),
        {"t": tenant_id, "id": customer_id},
    ).first()
    return None if row is None else bool(row.consent)


def order_view(conn: Connection, tenant_id: uuid.UUID, order_id: uuid.UUID) -> OrderView | None:
    order = conn.execute(
        text(
            "SELECT id, number, status, currency, tax_mode, subtotal_minor, "
            "line_discount_minor + order_discount_minor AS discount_minor, tax_minor, "
            "total_minor, tip_minor, coalesce(paid_at, voided_at, created_at) AS at, coalesce(("
            "  SELECT sum(r.amount_minor) FROM refunds r "
            "  WHERE r.tenant_id = o.tenant_id AND r.order_id = o.id "
            "  AND r.status = 'succeeded'), 0) AS refunded_minor "
            "FROM orders o WHERE o.tenant_id = :t AND o.id = :id"
        ),
        {"t": tenant_id, "id": order_id},
    ).first()
    if order is None:
        return None
    lines = conn.execute(
        text(
            "SELECT name, quantity, total_minor FROM order_lines "
            "WHERE tenant_id = :t AND order_id = :id ORDER BY position, id"
        ),
        {"t": tenant_id, "id": order_id},
    )
    tenders = conn.execute(
        text(
            "SELECT kind, amount_minor, tip_minor, change_minor, card_brand, card_last4 "
            "FROM tenders WHERE tenant_id = :t AND order_id = :id ORDER BY id"
        ),
        {"t": tenant_id, "id": order_id},
    )
    return OrderView(
        id=order.id,
        number=order.number,
        status=order.status,
        currency=order.currency,
        tax_mode=order.tax_mode,
        subtotal_minor=int(order.subtotal_minor),
        discount_minor=int(order.discount_minor),
        tax_minor=int(order.tax_minor),
        total_minor=int(order.total_minor),
        tip_minor=int(order.tip_minor),
        at=order.at,
        lines=tuple(LineView(row.name, row.quantity, int(row.total_minor)) for row in lines),
        tenders=tuple(
            TenderView(
                kind=row.kind,
                amount_minor=int(row.amount_minor),
                tip_minor=int(row.tip_minor),
                change_minor=int(row.change_minor),
                card_brand=row.card_brand,
                card_last4=row.card_last4,
            )
            for row in tenders
        ),
        refunded_minor=int(order.refunded_minor),
    )


class ListedNotification(NamedTuple):
    id: uuid.UUID
    kind: str
    channel: str
    to_address: str
    status: str
    attempts: int
    last_error: str | None
    provider_message_id: str | None
    created_at: datetime
    finished_at: datetime | None


def listing(
    conn: Connection, tenant_id: uuid.UUID, status: str | None, limit: int
) -> list[ListedNotification]:
    return rows_as(
        ListedNotification,
        conn.execute(
            text(
                "SELECT id, kind, channel, to_address, status, attempts, last_error, "
                "provider_message_id, created_at, finished_at FROM notifications "
                "WHERE tenant_id = :t AND (CAST(:s AS text) IS NULL OR status = :s) "
                "ORDER BY created_at DESC, id LIMIT :n"
            ),
            {"t": tenant_id, "s": status, "n": limit},
        ),
    )
