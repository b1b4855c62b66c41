"""Sales report queries (read-only, under the shop's row-level security). Every statement names
the shop (`tenant_id = :t`) for each table it reads, as the Citus rule asks, in addition to RLS.

Orders count on the day they were paid (`paid_at`, indexed with the shop), refunds on the day
they were made (`created_at`), voids on the day they were voided (`voided_at`)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import Connection, text

from sync_server.kit.rows import row_as, rows_as


class TenderSums(NamedTuple):
    kind: str
    day_sales: int
    day_tips: int
    period_sales: int
    period_tips: int


class OrderCounts(NamedTuple):
    day_paid: int
    period_paid: int


class RefundSums(NamedTuple):
    kind: str
    day_amount: int
    period_amount: int


class RefundCounts(NamedTuple):
    day_refunds: int
    period_refunds: int


class VoidSums(NamedTuple):
    day_count: int
    day_amount: int
    period_count: int
    period_amount: int


def tender_sums(
    conn: Connection, tenant_id: uuid.UUID, *, since: datetime, day_from: datetime, until: datetime
) -> list[TenderSums]:
    """Paid orders' tenders by kind: the amount kept (cash net of change) and the tips."""
    return rows_as(
        TenderSums,
        conn.execute(
            text(
                "SELECT t.kind, "
                "coalesce(sum(t.amount_minor) FILTER (WHERE o.paid_at >= :d), 0)::bigint "
                "AS day_sales, "
                "coalesce(sum(t.tip_minor) FILTER (WHERE o.paid_at >= :d), 0)::bigint AS day_tips, "
                "coalesce(sum(t.amount_minor), 0)::bigint AS period_sales, "
                "coalesce(sum(t.tip_minor), 0)::bigint AS period_tips "
                "FROM orders o JOIN tenders t ON t.tenant_id = o.tenant_id AND t.order_id = o.id "
                "WHERE o.tenant_id = :t AND t.tenant_id = :t AND o.status = 'paid' "
                "AND o.paid_at >= :s AND o.paid_at < :u "
                "GROUP BY t.kind ORDER BY t.kind"
            ),
            {"t": tenant_id, "s": since, "d": day_from, "u": until},
        ),
    )


def paid_order_counts(
    conn: Connection, tenant_id: uuid.UUID, *, since: datetime, day_from: datetime, until: datetime
) -> OrderCounts:
    row = row_as(
        OrderCounts,
        conn.execute(
            text(
                "SELECT count(*) FILTER (WHERE paid_at >= :d) AS day_paid, "
                "count(*) AS period_paid FROM orders "
                "WHERE tenant_id = :t AND status = 'paid' AND paid_at >= :s AND paid_at < :u"
            ),
            {"t": tenant_id, "s": since, "d": day_from, "u": until},
        ),
    )
    return row or OrderCounts(0, 0)


def refund_sums(
    conn: Connection, tenant_id: uuid.UUID, *, since: datetime, day_from: datetime, until: datetime
) -> list[RefundSums]:
    """Succeeded refunds by the tender kind they went back to, tips given back included."""
    return rows_as(
        RefundSums,
        conn.execute(
            text(
                "SELECT a.kind, "
                "coalesce(sum(a.amount_minor + a.tip_minor) FILTER (WHERE r.created_at >= :d), 0)"
                "::bigint AS day_amount, "
                "coalesce(sum(a.amount_minor + a.tip_minor), 0)::bigint AS period_amount "
                "FROM refunds r JOIN refund_allocations a "
                "ON a.tenant_id = r.tenant_id AND a.refund_id = r.id "
                "WHERE r.tenant_id = :t AND a.tenant_id = :t AND r.status = 'succeeded' "
                "AND r.created_at >= :s AND r.created_at < :u "
                "GROUP BY a.kind ORDER BY a.kind"
            ),
            {"t": tenant_id, "s": since, "d": day_from, "u": until},
        ),
    )


def refund_counts(
    conn: Connection, tenant_id: uuid.UUID, *, since: datetime, day_from: datetime, until: datetime
) -> RefundCounts:
    row = row_as(
        RefundCounts,
        conn.execute(
            text(
                "SELECT count(*) FILTER (WHERE created_at >= :d) AS day_refunds, "
                "count(*) AS period_refunds FROM refunds "
                "WHERE tenant_id = :t AND status = 'succeeded' "
                "AND created_at >= :s AND created_at < :u"
            ),
            {"t": tenant_id, "s": since, "d": day_from, "u": until},
        ),
    )
    return row or RefundCounts(0, 0)


def void_sums(
    conn: Connection, tenant_id: uuid.UUID, *, since: datetime, day_from: datetime, until: datetime
) -> VoidSums:
    row = row_as(
        VoidSums,
        conn.execute(
            text(
                "SELECT count(*) FILTER (WHERE voided_at >= :d) AS day_count, "
                "coalesce(sum(total_minor) FILTER (WHERE voided_at >= :d), 0)::bigint "
                "AS day_amount, count(*) AS period_count, "
                "coalesce(sum(total_minor), 0)::bigint AS period_amount FROM orders "
                "WHERE tenant_id = :t AND status = 'voided' "
                "AND voided_at >= :s AND voided_at < :u"
            ),
            {"t": tenant_id, "s": since, "d": day_from, "u": until},
        ),
    )
    return row or VoidSums(0, 0, 0, 0)
