"""Queries of the merge and the pull. Everything runs under the device's tenant (RLS)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, text

from sync_server.kit.bulk import (
    Column,
    bool_col,
    bulk_insert,
    bulk_insert_count,
    bulk_insert_ids,
    int_col,
    json_col,
    text_col,
    time_col,
    update_set,
    uuid_col,
)
from sync_server.kit.rows import rows_as
from sync_server.sync import schemas as s
from sync_server.sync.refund_caps import LineRoom, OrderRoom, TenderRoom
from sync_server.sync.schemas import EXTERNAL_DEVICE_ID


class ChildIdTaken(Exception):
    """An inserted order's line or tender id is already stored under another order."""


def lock_device(
    conn: Connection, tenant_id: uuid.UUID, device_id: uuid.UUID
) -> tuple[int, datetime] | None:
    """The device's high-water mark, locked (pushes of one device run one at a time), and when
    its shop was created on the server (RLS shows only its own tenant row): one round trip."""
    row = conn.execute(
        text(
            "SELECT d.acknowledged_seq, t.created_at FROM devices d CROSS JOIN tenants t "
            "WHERE d.tenant_id = :t AND d.id = :d AND t.id = d.tenant_id FOR UPDATE OF d"
        ),
        {"t": tenant_id, "d": device_id},
    ).first()
    return None if row is None else (int(row.acknowledged_seq), row.created_at)


def set_acknowledged(
    conn: Connection, tenant_id: uuid.UUID, device_id: uuid.UUID, seq: int
) -> None:
    conn.execute(
        text(
            "UPDATE devices SET acknowledged_seq = :s, last_seen_at = now() "
            "WHERE tenant_id = :t AND id = :d"
        ),
        {"s": seq, "t": tenant_id, "d": device_id},
    )


def foreign_children(
    conn: Connection,
    tenant_id: uuid.UUID,
    groups: Sequence[tuple[str, str, Sequence[tuple[uuid.UUID, uuid.UUID]]]],
) -> dict[str, dict[uuid.UUID, uuid.UUID]]:
    """For each `(table, parent column, [(child id, parent id), …])`, the children stored
    under another parent: table → child id → the parent that holds it. One statement for the
    whole batch, probing each table's primary key with the batch's ids (a join on the ids would
    hash all the shop's rows once it is big)."""
    found: dict[str, dict[uuid.UUID, uuid.UUID]] = {table: {} for table, _, _ in groups}
    selects = []
    params: dict[str, Any] = {"tenant": tenant_id}
    for index, (table, parent_column, pairs) in enumerate(groups):
        if pairs:
            selects.append(
                f"SELECT {index} AS g, id, {parent_column} AS parent FROM {table} "
                f"WHERE tenant_id = :tenant AND id = ANY(CAST(:ids{index} AS uuid[]))"
            )
            params[f"ids{index}"] = [pair[0] for pair in pairs]
    if not selects:
        return found
    wanted = [dict(pairs) for _, _, pairs in groups]
    for row in conn.execute(text(" UNION ALL ".join(selects)), params):
        if row.parent != wanted[row.g][row.id]:
            found[groups[row.g][0]][row.id] = row.parent
    return found


# --- orders -------------------------------------------------------------------------------------

_ORDER_COLUMNS = (
    uuid_col("id"), uuid_col("device_id"), int_col("number"), uuid_col("register_id"),
    text_col("status"), text_col("currency"), text_col("tax_mode"), int_col("subtotal_minor"),
    int_col("line_discount_minor"), int_col("order_discount_minor"), int_col("tax_minor"),
    int_col("total_minor"), int_col("tip_minor"), time_col("created_at"), time_col("paid_at"),
    time_col("voided_at"), text_col("void_reason"), uuid_col("staff_id"), uuid_col("shift_id"),
    uuid_col("customer_id"), Column("content_hash", "bytea"),
)  # fmt: skip

_LINE_COLUMNS = (
    uuid_col("id"), uuid_col("order_id"), int_col("position"), uuid_col("product_id"),
    uuid_col("category_id"), text_col("sku"), text_col("name"), int_col("quantity"),
    int_col("unit_price_minor"), int_col("tax_rate_ppm"), int_col("gross_minor"),
    int_col("line_discount_minor"), int_col("order_discount_minor"), int_col("net_minor"),
    int_col("tax_minor"), int_col("total_minor"), text_col("note"), json_col("modifiers"),
)  # fmt: skip

_TENDER_COLUMNS = (
    uuid_col("id"), uuid_col("order_id"), text_col("kind"), int_col("amount_minor"),
    int_col("tip_minor"), int_col("tendered_minor"), int_col("change_minor"),
    text_col("card_brand"), text_col("card_last4"), uuid_col("payment_id"),
)  # fmt: skip


def existing_orders(
    conn: Connection, tenant_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, bytes]:
    rows = conn.execute(
        text(
            "SELECT id, content_hash FROM orders "
            "WHERE tenant_id = :t AND id = ANY(CAST(:ids AS uuid[]))"
        ),
        {"t": tenant_id, "ids": list(ids)},
    )
    return {row.id: bytes(row.content_hash) for row in rows}


def insert_orders(
    conn: Connection,
    tenant_id: uuid.UUID,
    device_id: uuid.UUID,
    orders: Sequence[tuple[s.OrderChange, bytes]],
) -> set[uuid.UUID]:
    """Insert new orders with their lines and tenders; returns the ids this call inserted."""
    order_rows = []
    for change, content_hash in orders:
        d = change.data
        order_rows.append(
            (
                change.id, device_id, d.number, d.register_id, d.status, d.currency,
                d.tax_mode, d.subtotal_minor, d.line_discount_minor, d.order_discount_minor,
                d.tax_minor, d.total_minor, d.tip_minor, d.created_at, d.paid_at, d.voided_at,
                d.void_reason, d.staff_id, d.shift_id, d.customer_id, content_hash,
            )
        )  # fmt: skip
    inserted = set(bulk_insert_ids(conn, "orders", _ORDER_COLUMNS, order_rows, tenant_id=tenant_id))
    line_rows = []
    tender_rows = []
    for change, _ in orders:
        if change.id not in inserted:
            continue
        for line in change.data.lines:
            modifiers = [m.model_dump(mode="json") for m in line.modifiers]
            line_rows.append(
                (
                    line.id, change.id, line.position, line.product_id, line.category_id,
                    line.sku, line.name, line.quantity, line.unit_price_minor, line.tax_rate_ppm,
                    line.gross_minor, line.line_discount_minor, line.order_discount_minor,
                    line.net_minor, line.tax_minor, line.total_minor, line.note, modifiers,
                )
            )  # fmt: skip
        for tender in change.data.tenders:
            tender_rows.append(
                (
                    tender.id, change.id, tender.kind, tender.amount_minor, tender.tip_minor,
                    tender.tendered_minor, tender.change_minor, tender.card_brand,
                    tender.card_last4, tender.payment_id,
                )
            )  # fmt: skip
    lines = bulk_insert_count(conn, "order_lines", _LINE_COLUMNS, line_rows, tenant_id=tenant_id)
    tenders = bulk_insert_count(conn, "tenders", _TENDER_COLUMNS, tender_rows, tenant_id=tenant_id)
    if lines != len(line_rows) or tenders != len(tender_rows):
        # An id already stored under another order (the conflict skipped it): storing the
        # order without it would half-store it. The caller rolls back and refuses the order.
        raise ChildIdTaken("a line or tender id is already stored under another order")
    return inserted


def paid_orders(
    conn: Connection, tenant_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, str]:
    """Currency of each of `ids` that is a stored paid order."""
    rows = conn.execute(
        text(
            "SELECT id, currency FROM orders "
            "WHERE tenant_id = :t AND id = ANY(CAST(:ids AS uuid[])) AND status = 'paid'"
        ),
        {"t": tenant_id, "ids": list(ids)},
    )
    return {row.id: row.currency for row in rows}


class OrderLine(NamedTuple):
    """An order line as the fee ledger and the refund checks read it."""

    id: uuid.UUID
    order_id: uuid.UUID
    sku: str
    name: str
    total_minor: int
    tax_minor: int


def lines_of_orders(
    conn: Connection, tenant_id: uuid.UUID, order_ids: Sequence[uuid.UUID]
) -> list[OrderLine]:
    return rows_as(
        OrderLine,
        conn.execute(
            text(
                "SELECT id, order_id, sku, name, total_minor, tax_minor FROM order_lines "
                "WHERE tenant_id = :t AND order_id = ANY(CAST(:ids AS uuid[])) "
                "ORDER BY order_id, position, id"
            ),
            {"t": tenant_id, "ids": list(order_ids)},
        ),
    )


# --- refunds ------------------------------------------------------------------------------------

_REFUND_COLUMNS = (
    uuid_col("id"), uuid_col("order_id"), uuid_col("device_id"), int_col("amount_minor"),
    int_col("tax_minor"), text_col("reason"), text_col("status"), time_col("created_at"),
    uuid_col("staff_id"), uuid_col("approved_by_id"), int_col("tip_minor"),
)  # fmt: skip
_REFUND_LINE_COLUMNS = (
    uuid_col("refund_id"), uuid_col("line_id"), int_col("quantity"), int_col("amount_minor"),
    int_col("tax_minor"),
)  # fmt: skip
_ALLOCATION_COLUMNS = (
    uuid_col("id"), uuid_col("refund_id"), uuid_col("tender_id"), text_col("kind"),
    int_col("amount_minor"), text_col("status"), text_col("gateway_refund_id"),
    int_col("tip_minor"),
)  # fmt: skip


ORDER_REFUND_LOCK = 0x5246_4E44
"""Advisory lock class ("RFND") of an order's refunds; the key is the order id's hash."""


def lock_refund_rooms(
    conn: Connection, tenant_id: uuid.UUID, order_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, OrderRoom]:
    """Lock the paid orders among `order_ids` (by id, see `refund_caps` for the locking order)
    and read what their stored refunds and lost disputes claim of them."""
    ids = sorted(set(order_ids))
    # A transaction-scoped lock per order rather than `FOR UPDATE`: the application role has
    # no UPDATE right on orders (a paid order is immutable), and needs none for this.
    conn.execute(
        text(
            "SELECT pg_advisory_xact_lock(:lock_class, hashtext(u.id::text)) "
            "FROM unnest(CAST(:ids AS uuid[])) AS u(id)"
        ),
        {"lock_class": ORDER_REFUND_LOCK, "ids": ids},
    )
    rooms = {
        row.id: OrderRoom(row.id, row.currency, int(row.total_minor), int(row.tax_minor))
        for row in conn.execute(
            text(
                "SELECT id, currency, total_minor, tax_minor FROM orders "
                "WHERE tenant_id = :t AND id = ANY(CAST(:ids AS uuid[])) AND status = 'paid'"
            ),
            {"t": tenant_id, "ids": ids},
        )
    }
    if not rooms:
        return rooms
    params = {"t": tenant_id, "ids": list(rooms), "outside": EXTERNAL_DEVICE_ID}
    for row in conn.execute(
        text(
            "SELECT id, order_id, quantity, total_minor FROM order_lines "
            "WHERE tenant_id = :t AND order_id = ANY(CAST(:ids AS uuid[]))"
        ),
        params,
    ):
        rooms[row.order_id].lines[row.id] = LineRoom(int(row.quantity), int(row.total_minor))
    for row in conn.execute(
        text(
            "SELECT id, order_id, kind, amount_minor, tip_minor FROM tenders "
            "WHERE tenant_id = :t AND order_id = ANY(CAST(:ids AS uuid[]))"
        ),
        params,
    ):
        rooms[row.order_id].tenders[row.id] = TenderRoom(
            row.kind, int(row.amount_minor), tip_minor=int(row.tip_minor)
        )
    for row in conn.execute(
        text(
            "SELECT r.order_id, r.device_id = :outside AS outside, sum(CASE r.status "
            "WHEN 'failed' THEN least(r.amount_minor, coalesce(("
            "  SELECT sum(a.amount_minor) FROM refund_allocations a "
            "  WHERE a.tenant_id = r.tenant_id AND a.refund_id = r.id "
            "  AND a.status = 'succeeded'), 0)) ELSE r.amount_minor END) AS claimed "
            "FROM refunds r WHERE r.tenant_id = :t AND r.order_id = ANY(CAST(:ids AS uuid[])) "
            "GROUP BY 1, 2"
        ),
        params,
    ):
        room = rooms[row.order_id]
        if row.outside:
            room.outside_minor += int(row.claimed)
        else:
            room.register_minor += int(row.claimed)
    for row in conn.execute(
        text(
            "SELECT r.order_id, rl.line_id, sum(rl.quantity) AS units, "
            "sum(rl.amount_minor) AS amount FROM refund_lines rl JOIN refunds r "
            "ON r.tenant_id = rl.tenant_id AND r.id = rl.refund_id "
            "WHERE r.tenant_id = :t AND r.order_id = ANY(CAST(:ids AS uuid[])) "
            "AND r.status <> 'failed' GROUP BY 1, 2"
        ),
        params,
    ):
        line = rooms[row.order_id].lines.get(row.line_id)
        if line is not None:
            line.refunded_units += int(row.units)
            line.refunded_minor += int(row.amount)
    for row in conn.execute(
        text(
            "SELECT r.order_id, a.tender_id, sum(a.amount_minor) AS amount, "
            "sum(a.tip_minor) AS tip "
            "FROM refund_allocations a JOIN refunds r "
            "ON r.tenant_id = a.tenant_id AND r.id = a.refund_id "
            "WHERE r.tenant_id = :t AND r.order_id = ANY(CAST(:ids AS uuid[])) "
            "AND a.tender_id IS NOT NULL "
            "AND ((r.status <> 'failed' AND a.status <> 'failed') "
            "     OR (r.status = 'failed' AND a.status = 'succeeded')) GROUP BY 1, 2"
        ),
        params,
    ):
        tender = rooms[row.order_id].tenders.get(row.tender_id)
        if tender is not None:
            tender.refunded_minor += int(row.amount)
            tender.tip_refunded_minor += int(row.tip)
    for row in conn.execute(
        text(
            "SELECT order_id, sum(claimed_minor) AS claimed FROM disputes "
            "WHERE tenant_id = :t AND order_id = ANY(CAST(:ids AS uuid[])) GROUP BY 1"
        ),
        params,
    ):
        rooms[row.order_id].disputed_minor += int(row.claimed)
    return rooms


def revenue_left(
    conn: Connection,
    tenant_id: uuid.UUID,
    order_id: uuid.UUID,
    *,
    except_refund: uuid.UUID | None = None,
    except_dispute: str | None = None,
) -> int:
    """The order's product revenue not yet taken out of the fee base by its refunds (a failed
    one: what went back, its tax in proportion) and lost disputes, leaving one out."""
    left = conn.execute(
        text(
            "SELECT (SELECT coalesce(sum(total_minor - tax_minor), 0) FROM order_lines "
            "        WHERE tenant_id = :t AND order_id = :o) "
            "- coalesce((SELECT sum(CASE WHEN r.status <> 'failed' "
            "    THEN r.amount_minor - r.tax_minor "
            "    ELSE a.returned - round(r.tax_minor::numeric * a.returned / r.amount_minor) END) "
            "  FROM refunds r CROSS JOIN LATERAL (SELECT least(r.amount_minor, coalesce(("
            "    SELECT sum(x.amount_minor) FROM refund_allocations x WHERE x.tenant_id = "
            "    r.tenant_id AND x.refund_id = r.id AND x.status = 'succeeded'), 0)) AS returned"
            "  ) a WHERE r.tenant_id = :t AND r.order_id = :o AND r.id IS DISTINCT FROM :r), 0) "
            "- coalesce((SELECT sum(e.fee_base) FROM ("
            "    SELECT DISTINCT ON (ev.dispute_id) ev.status, "
            "    coalesce(ev.fee_base_minor, ev.amount_minor) AS fee_base "
            "    FROM dispute_events ev JOIN disputes d ON d.tenant_id = ev.tenant_id "
            "    AND d.id = ev.dispute_id WHERE d.tenant_id = :t AND d.order_id = :o "
            "    AND d.id IS DISTINCT FROM :d ORDER BY ev.dispute_id, ev.id DESC"
            "  ) e WHERE e.status = 'lost'), 0)"
        ),
        {"t": tenant_id, "o": order_id, "r": except_refund, "d": except_dispute},
    ).scalar()
    return int(left or 0)


def existing_refunds(
    conn: Connection, tenant_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, str]:
    rows = conn.execute(
        text(
            "SELECT id, status FROM refunds "
            "WHERE tenant_id = :t AND id = ANY(CAST(:ids AS uuid[])) FOR UPDATE"
        ),
        {"t": tenant_id, "ids": list(ids)},
    )
    return {row.id: row.status for row in rows}


def insert_refunds(
    conn: Connection, tenant_id: uuid.UUID, device_id: uuid.UUID, refunds: Sequence[s.RefundChange]
) -> set[uuid.UUID]:
    rows = [
        (
            c.id, c.data.order_id, device_id, c.data.amount_minor, c.data.tax_minor,
            c.data.reason, c.data.status, c.data.created_at, c.data.staff_id,
            c.data.approved_by_id, c.data.tip_minor,
        )
        for c in refunds
    ]  # fmt: skip
    inserted = set(bulk_insert_ids(conn, "refunds", _REFUND_COLUMNS, rows, tenant_id=tenant_id))
    line_rows = [
        (c.id, line.line_id, line.quantity, line.amount_minor, line.tax_minor)
        for c in refunds
        if c.id in inserted
        for line in c.data.lines
    ]
    bulk_insert(
        conn,
        "refund_lines",
        _REFUND_LINE_COLUMNS,
        line_rows,
        tenant_id=tenant_id,
        conflict_target="(tenant_id, refund_id, line_id)",
    )
    return inserted


def finish_refunds(
    conn: Connection, tenant_id: uuid.UUID, updates: Sequence[tuple[uuid.UUID, str]]
) -> set[uuid.UUID]:
    """Move pending refunds to their final status; returns the ids that moved."""
    if not updates:
        return set()
    rows = conn.execute(
        text(
            "UPDATE refunds r SET status = u.status FROM unnest(CAST(:ids AS uuid[]), "
            "CAST(:statuses AS text[])) AS u(id, status) "
            "WHERE r.tenant_id = :t AND r.id = u.id AND r.status = 'pending' RETURNING r.id"
        ),
        {"t": tenant_id, "ids": [u[0] for u in updates], "statuses": [u[1] for u in updates]},
    )
    return {row.id for row in rows}


def returned_amounts(
    conn: Connection, tenant_id: uuid.UUID, refund_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, int]:
    """What each refund gave back: all of a succeeded one; of a failed one, its succeeded
    allocations (at most its amount); nothing while pending. The fee base follows this."""
    if not refund_ids:
        return {}
    rows = conn.execute(
        text(
            "SELECT r.id, CASE r.status WHEN 'succeeded' THEN r.amount_minor "
            "WHEN 'failed' THEN least(r.amount_minor, coalesce(("
            "  SELECT sum(a.amount_minor) FROM refund_allocations a "
            "  WHERE a.tenant_id = r.tenant_id AND a.refund_id = r.id "
            "  AND a.status = 'succeeded'), 0)) ELSE 0 END AS returned "
            "FROM refunds r WHERE r.tenant_id = :t AND r.id = ANY(CAST(:ids AS uuid[]))"
        ),
        {"t": tenant_id, "ids": list(refund_ids)},
    )
    return {row.id: int(row.returned) for row in rows}


def upsert_allocations(
    conn: Connection, tenant_id: uuid.UUID, refunds: Sequence[s.RefundChange]
) -> None:
    rows = {
        allocation.id: (
            allocation.id, c.id, allocation.tender_id, allocation.kind, allocation.amount_minor,
            allocation.status, allocation.gateway_refund_id, allocation.tip_minor,
        )
        for c in refunds
        for allocation in c.data.allocations
    }  # fmt: skip
    bulk_insert(
        conn,
        "refund_allocations",
        _ALLOCATION_COLUMNS,
        list(rows.values()),
        tenant_id=tenant_id,
        on_conflict="DO UPDATE SET status = EXCLUDED.status, "
        "gateway_refund_id = coalesce(EXCLUDED.gateway_refund_id, "
        "refund_allocations.gateway_refund_id) "
        "WHERE refund_allocations.refund_id = EXCLUDED.refund_id "
        # A settled allocation stays settled, like its refund: a late replay of the pending
        # state must not undo what the fee ledger already counted.
        "AND refund_allocations.status = 'pending'",
    )


# --- mutable and immutable entities -------------------------------------------------------------

_PAYMENT_COLUMNS = (
    uuid_col("id"), uuid_col("order_id"), text_col("gateway"), text_col("gateway_payment_id"),
    text_col("gateway_charge_id"), text_col("status"), int_col("amount_minor"),
    int_col("tip_minor"), text_col("currency"), text_col("card_brand"), text_col("card_last4"),
    int_col("captured_minor"), int_col("refunded_minor"), time_col("created_at"),
    time_col("updated_at"),
)  # fmt: skip
_SHIFT_COLUMNS = (
    uuid_col("id"), uuid_col("register_id"), text_col("status"), time_col("opened_at"),
    uuid_col("opened_by_id"), int_col("opening_float_minor"), time_col("closed_at"),
    uuid_col("closed_by_id"), int_col("expected_cash_minor"), int_col("counted_cash_minor"),
    int_col("over_short_minor"), time_col("version_at"),
)  # fmt: skip
_CUSTOMER_COLUMNS = (
    uuid_col("id"), text_col("name"), text_col("email"), text_col("phone"),
    bool_col("email_consent"), bool_col("sms_consent"), time_col("created_at"),
    time_col("version_at"), uuid_col("origin_device_id"),
)  # fmt: skip
_STOCK_COLUMNS = (
    uuid_col("id"), uuid_col("device_id"), uuid_col("product_id"), int_col("quantity_delta"),
    text_col("reason"), uuid_col("order_id"), time_col("created_at"),
)  # fmt: skip
_CASH_COLUMNS = (
    uuid_col("id"), uuid_col("shift_id"), text_col("kind"), int_col("amount_minor"),
    text_col("reason"), uuid_col("staff_id"), uuid_col("approved_by_id"), time_col("created_at"),
)  # fmt: skip
_AUDIT_COLUMNS = (
    uuid_col("id"), uuid_col("device_id"), time_col("at"), text_col("action"),
    uuid_col("staff_id"), uuid_col("approved_by_id"), uuid_col("order_id"), json_col("details"),
)  # fmt: skip
_CATEGORY_COLUMNS = (
    uuid_col("id"), text_col("name"), int_col("position"), time_col("updated_at"),
    uuid_col("origin_device_id"),
)  # fmt: skip
_PRODUCT_COLUMNS = (
    uuid_col("id"), text_col("sku"), text_col("name"), uuid_col("category_id"),
    text_col("barcode"), int_col("price_minor"), text_col("currency"), int_col("tax_rate_ppm"),
    bool_col("active"), bool_col("track_stock"), time_col("updated_at"),
    uuid_col("origin_device_id"),
)  # fmt: skip
_MODIFIER_GROUP_COLUMNS = (
    uuid_col("id"), text_col("name"), int_col("min_choices"), int_col("max_choices"),
    json_col("modifiers"), json_col("product_ids"), time_col("updated_at"),
    uuid_col("origin_device_id"),
)  # fmt: skip
_STAFF_COLUMNS = (
    uuid_col("id"), text_col("name"), text_col("role"), text_col("pin_hash"), bool_col("active"),
    time_col("updated_at"), uuid_col("origin_device_id"),
)  # fmt: skip
_EIGHTY_SIX_COLUMNS = (
    uuid_col("id"), bool_col("unavailable"), text_col("reason"), time_col("updated_at"),
    uuid_col("origin_device_id"),
)  # fmt: skip


def _upsert_newer(
    conn: Connection,
    table: str,
    columns: Sequence[Column],
    rows: Sequence[tuple[Any, ...]],
    tenant_id: uuid.UUID,
    version: str,
) -> list[uuid.UUID]:
    """Insert, or overwrite when the incoming version is newer; returns the ids written."""
    return bulk_insert_ids(
        conn,
        table,
        columns,
        rows,
        tenant_id=tenant_id,
        on_conflict=f"DO UPDATE SET {update_set(columns)} "
        f"WHERE {table}.{version} < EXCLUDED.{version}",
    )


def upsert_payments(
    conn: Connection, tenant_id: uuid.UUID, changes: Sequence[s.PaymentChange]
) -> None:
    rows = [
        (
            c.id, c.data.order_id, c.data.gateway, c.data.gateway_payment_id,
            c.data.gateway_charge_id, c.data.status, c.data.amount_minor, c.data.tip_minor,
            c.data.currency, c.data.card_brand, c.data.card_last4, c.data.captured_minor,
            c.data.refunded_minor, c.data.created_at, c.data.updated_at,
        )
        for c in changes
    ]  # fmt: skip
    _upsert_newer(conn, "payments", _PAYMENT_COLUMNS, rows, tenant_id, "updated_at")


def upsert_shifts(conn: Connection, tenant_id: uuid.UUID, changes: Sequence[s.ShiftChange]) -> None:
    rows = [
        (
            c.id, c.data.register_id, c.data.status, c.data.opened_at, c.data.opened_by_id,
            c.data.opening_float_minor, c.data.closed_at, c.data.closed_by_id,
            c.data.expected_cash_minor, c.data.counted_cash_minor, c.data.over_short_minor,
            c.occurred_at,
        )
        for c in changes
    ]  # fmt: skip
    _upsert_newer(conn, "shifts", _SHIFT_COLUMNS, rows, tenant_id, "version_at")


def upsert_customers(
    conn: Connection,
    tenant_id: uuid.UUID,
    device_id: uuid.UUID,
    changes: Sequence[s.CustomerChange],
) -> None:
    rows = [
        (
            c.id, c.data.name, c.data.email, c.data.phone, c.data.email_consent,
            c.data.sms_consent, c.data.created_at, c.occurred_at, device_id,
        )
        for c in changes
    ]  # fmt: skip
    _upsert_newer(conn, "customers", _CUSTOMER_COLUMNS, rows, tenant_id, "version_at")


def insert_stock_movements(
    conn: Connection,
    tenant_id: uuid.UUID,
    device_id: uuid.UUID,
    changes: Sequence[s.StockMovementChange],
) -> list[uuid.UUID]:
    rows = [
        (
            c.id, device_id, c.data.product_id, c.data.quantity_delta, c.data.reason,
            c.data.order_id, c.data.created_at,
        )
        for c in changes
    ]  # fmt: skip
    return bulk_insert_ids(conn, "stock_movements", _STOCK_COLUMNS, rows, tenant_id=tenant_id)


def insert_cash_movements(
    conn: Connection, tenant_id: uuid.UUID, changes: Sequence[s.CashMovementChange]
) -> None:
    rows = [
        (
            c.id, c.data.shift_id, c.data.kind, c.data.amount_minor, c.data.reason,
            c.data.staff_id, c.data.approved_by_id, c.data.created_at,
        )
        for c in changes
    ]  # fmt: skip
    bulk_insert(conn, "cash_movements", _CASH_COLUMNS, rows, tenant_id=tenant_id)


def insert_audit(
    conn: Connection, tenant_id: uuid.UUID, device_id: uuid.UUID, changes: Sequence[s.AuditChange]
) -> None:
    rows = [
        (
            c.id, device_id, c.data.at, c.data.action, c.data.staff_id, c.data.approved_by_id,
            c.data.order_id, c.data.details,
        )
        for c in changes
    ]  # fmt: skip
    bulk_insert(conn, "audit_entries", _AUDIT_COLUMNS, rows, tenant_id=tenant_id)


def upsert_categories(
    conn: Connection,
    tenant_id: uuid.UUID,
    device_id: uuid.UUID,
    changes: Sequence[s.CategoryChange],
) -> list[uuid.UUID]:
    rows = [(c.id, c.data.name, c.data.position, c.data.updated_at, device_id) for c in changes]
    return _upsert_newer(conn, "categories", _CATEGORY_COLUMNS, rows, tenant_id, "updated_at")


def upsert_products(
    conn: Connection, tenant_id: uuid.UUID, device_id: uuid.UUID, changes: Sequence[s.ProductChange]
) -> list[uuid.UUID]:
    rows = [
        (
            c.id, c.data.sku, c.data.name, c.data.category_id, c.data.barcode,
            c.data.price_minor, c.data.currency, c.data.tax_rate_ppm, c.data.active,
            c.data.track_stock, c.data.updated_at, device_id,
        )
        for c in changes
    ]  # fmt: skip
    return _upsert_newer(conn, "products", _PRODUCT_COLUMNS, rows, tenant_id, "updated_at")


def upsert_modifier_groups(
    conn: Connection,
    tenant_id: uuid.UUID,
    device_id: uuid.UUID,
    changes: Sequence[s.ModifierGroupChange],
) -> list[uuid.UUID]:
    rows = [
        (
            c.id, c.data.name, c.data.min_choices, c.data.max_choices,
            [m.model_dump(mode="json") for m in c.data.modifiers],
            [str(p) for p in c.data.product_ids], c.data.updated_at, device_id,
        )
        for c in changes
    ]  # fmt: skip
    return _upsert_newer(
        conn, "modifier_groups", _MODIFIER_GROUP_COLUMNS, rows, tenant_id, "updated_at"
    )


def upsert_staff(
    conn: Connection, tenant_id: uuid.UUID, device_id: uuid.UUID, changes: Sequence[s.StaffChange]
) -> list[uuid.UUID]:
    rows = [
        (
            c.id, c.data.name, c.data.role, c.data.pin_hash, c.data.active, c.data.updated_at,
            device_id,
        )
        for c in changes
    ]  # fmt: skip
    return _upsert_newer(conn, "staff", _STAFF_COLUMNS, rows, tenant_id, "updated_at")


def upsert_eighty_six(
    conn: Connection,
    tenant_id: uuid.UUID,
    device_id: uuid.UUID,
    changes: Sequence[s.EightySixChange],
) -> list[uuid.UUID]:
    rows = [
        (c.id, c.data.unavailable, c.data.reason, c.data.updated_at, device_id) for c in changes
    ]
    return _upsert_newer(conn, "eighty_six", _EIGHTY_SIX_COLUMNS, rows, tenant_id, "updated_at")


def record_conflicts(
    conn: Connection,
    tenant_id: uuid.UUID,
    device_id: uuid.UUID,
    conflicts: Sequence[tuple[int, str, uuid.UUID, str, str]],
) -> None:
    """(seq, entity, id, reason, data as JSON) of changes acknowledged without being applied."""
    bulk_insert(
        conn,
        "sync_conflicts",
        (int_col("seq"), text_col("entity"), uuid_col("entity_id"), text_col("reason"),
         json_col("data"), uuid_col("device_id")),
        [(*conflict, device_id) for conflict in conflicts],
        tenant_id=tenant_id,
        on_conflict=None,
    )  # fmt: skip


# --- the quarantine of refused changes ------------------------------------------------------------

_QUARANTINE_COLUMNS = (
    int_col("seq"), text_col("entity"), text_col("entity_id"), text_col("code"),
    text_col("field"), text_col("reason"), text_col("change"), uuid_col("device_id"),
)  # fmt: skip


def quarantine(
    conn: Connection,
    tenant_id: uuid.UUID,
    device_id: uuid.UUID,
    refused: Sequence[tuple[int, str, str, str, str, str, str]],
) -> None:
    """Keep (seq, entity, id, code, field, reason, the change as JSON text) of refused changes."""
    bulk_insert(
        conn,
        "push_quarantine",
        _QUARANTINE_COLUMNS,
        [(*item, device_id) for item in refused],
        tenant_id=tenant_id,
        on_conflict=None,
    )


def quarantined_ids(
    conn: Connection, tenant_id: uuid.UUID, entity: str, ids: Sequence[uuid.UUID]
) -> set[uuid.UUID]:
    """Which of `ids` of `entity` the server refused earlier."""
    if not ids:
        return set()
    rows = conn.execute(
        text(
            "SELECT DISTINCT entity_id FROM push_quarantine "
            "WHERE tenant_id = :t AND entity = :e AND entity_id = ANY(CAST(:ids AS text[]))"
        ),
        {"t": tenant_id, "e": entity, "ids": [str(item) for item in ids]},
    )
    return {uuid.UUID(row.entity_id) for row in rows}


class QuarantinedChange(NamedTuple):
    received_at: datetime
    device_id: uuid.UUID
    seq: int
    entity: str
    entity_id: str
    code: str
    field: str
    reason: str
    change: str
    """The refused change as the register sent it (JSON text)."""


def quarantine_rows(conn: Connection, tenant_id: uuid.UUID, limit: int) -> list[QuarantinedChange]:
    """The shop's refused changes, newest first."""
    return rows_as(
        QuarantinedChange,
        conn.execute(
            text(
                "SELECT received_at, device_id, seq, entity, entity_id, code, field, reason, "
                "change FROM push_quarantine WHERE tenant_id = :t "
                "ORDER BY received_at DESC, id DESC LIMIT :n"
            ),
            {"t": tenant_id, "n": limit},
        ),
    )


# --- the change log and the pull ---------------------------------------------------------------


def record_changes(
    conn: Connection,
    tenant_id: uuid.UUID,
    changes: Sequence[tuple[str, str, uuid.UUID | None]],
) -> None:
    """Move (entity, id) to the head of the change log, stamped with this transaction's xid."""
    unique = list({(entity, entity_id): origin for entity, entity_id, origin in changes}.items())
    bulk_insert(
        conn,
        "sync_changes",
        (text_col("entity"), text_col("entity_id"), uuid_col("origin_device_id")),
        [(entity, entity_id, origin) for (entity, entity_id), origin in unique],
        tenant_id=tenant_id,
        conflict_target="(tenant_id, entity, entity_id)",
        on_conflict="DO UPDATE SET xid = pg_current_xact_id(), "
        "origin_device_id = EXCLUDED.origin_device_id",
    )


# The pull horizon: the oldest transaction in this statement's snapshot that could still commit
# a change-log row. xids are numbered across the whole cluster, so `pg_snapshot_xmin` alone
# would hold every shop's pull back behind any transaction of any other database on the
# cluster (another application's batch job, a CREATE or DROP DATABASE). Only a transaction
# that pg_stat_activity shows in another database is passed over; one that ended since the
# snapshot, a prepared one or one of this database still holds the horizon, so a late commit
# can never land behind a cursor.
_PULL_HORIZON = (
    "COALESCE("
    "(SELECT min(x) FROM pg_snapshot_xip(pg_current_snapshot()) AS x WHERE NOT EXISTS ("
    "SELECT FROM pg_stat_activity a "
    "WHERE a.backend_xid = CAST(x AS xid) AND a.datname <> current_database())), "
    "pg_snapshot_xmax(pg_current_snapshot()))"
)


class LoggedChange(NamedTuple):
    """A row of the change log: which entity changed, in which transaction, from which device."""

    xid: str
    entity: str
    entity_id: str
    origin_device_id: uuid.UUID | None


def changes_after(
    conn: Connection, tenant_id: uuid.UUID, after: tuple[int, str, str] | None, limit: int
) -> list[LoggedChange]:
    """Log rows after the cursor whose transactions are older than every running one that
    could still write to this database."""
    xid, entity, entity_id = after if after is not None else (0, "", "")
    return rows_as(
        LoggedChange,
        conn.execute(
            text(
                "SELECT xid::text AS xid, entity, entity_id, origin_device_id FROM sync_changes "
                "WHERE tenant_id = :t "
                "AND (xid, entity, entity_id) > (CAST(CAST(:x AS text) AS xid8), :e, :i) "
                f"AND xid < {_PULL_HORIZON} "
                "ORDER BY xid, entity, entity_id LIMIT :n"
            ),
            {"t": tenant_id, "x": str(xid), "e": entity, "i": entity_id, "n": limit},
        ),
    )


PULL_TABLES = {
    "category": ("categories", "uuid"),
    "product": ("products", "uuid"),
    "modifier_group": ("modifier_groups", "uuid"),
    "staff": ("staff", "uuid"),
    "eighty_six": ("eighty_six", "uuid"),
    "stock_movement": ("stock_movements", "uuid"),
    "dispute": ("disputes", "text"),
    "refund_allocation": ("refund_allocations", "uuid"),
    # Refunds the server booked for money given back outside any register (Stripe's
    # dashboard): the register that sold the order shows them as already refunded.
    "outside_refund": ("refunds", "uuid"),
}


def entity_data(
    conn: Connection, tenant_id: uuid.UUID, entity: str, ids: Sequence[str]
) -> dict[str, dict[str, Any]]:
    table, id_type = PULL_TABLES[entity]
    rows = conn.execute(
        text(
            f"SELECT id::text AS id, to_jsonb(t) - 'tenant_id' AS data FROM {table} t "
            f"WHERE t.tenant_id = :tenant AND t.id = ANY(CAST(:ids AS {id_type}[]))"
        ),
        {"tenant": tenant_id, "ids": list(ids)},
    )
    return {row.id: row.data for row in rows}
