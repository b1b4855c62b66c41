"""Sales report queries (read-only, under the shop's row-level security). Every statement names
the shop (`tenant_id = :t`) for each table it reads, as the Citus rule asks, in addition to RLS.

Orders count on the day they were paid (`paid_at`, indexed with the shop), refunds on the day
they were made (`created_at`), voids on the day they were voided (`voided_at`), disputes on the
day Stripe took the money (their first event in a status that holds funds) or gave it back
(`won`). Bounds are instants (the service turns the shop's business days into them): `:s` the
period's start, `:d` today's, `:u` the end of today.

The indexes of migration 0013 carry the summed columns, so each query reads the period's rows
of one shop by index only (orders by `paid_at`, then tenders and lines by order)."""

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
    day_discounts: int
    period_discounts: int


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
                "count(*) AS period_paid, "
                "coalesce(sum(line_discount_minor + order_discount_minor) "
                "FILTER (WHERE paid_at >= :d), 0)::bigint AS day_discounts, "
                "coalesce(sum(line_discount_minor + order_discount_minor), 0)::bigint "
                "AS period_discounts FROM orders "
                "WHERE tenant_id = :t AND status = 'paid' AND paid_at >= :s AND paid_at < :u"
            ),
            {"t": tenant_id, "s": since, "d": day_from, "u": until},
        ),
    )
    return row or OrderCounts(0, 0, 0, 0)


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


class HourSums(NamedTuple):
    hour: int
    """Hours since the start of the business day (0-24: a day when clocks go back has 25)."""
    orders: int
    amount: int


class ProductSums(NamedTuple):
    key: uuid.UUID | None
    label: str
    day_quantity: int
    day_amount: int
    period_quantity: int
    period_amount: int


class DisputeSums(NamedTuple):
    day_withdrawn: int
    day_returned: int
    period_withdrawn: int
    period_returned: int


class RefundKindSums(NamedTuple):
    kind: str
    day_amount: int
    day_tips: int
    period_amount: int
    period_tips: int


def sales_by_hour(
    conn: Connection, tenant_id: uuid.UUID, *, day_from: datetime, until: datetime
) -> list[HourSums]:
    """Today's paid orders by hour since the business day began (order totals, tips apart)."""
    return rows_as(
        HourSums,
        conn.execute(
            text(
                "SELECT floor(extract(epoch FROM paid_at - :d) / 3600)::int AS hour, "
                "count(*) AS orders, coalesce(sum(total_minor), 0)::bigint AS amount "
                "FROM orders WHERE tenant_id = :t AND status = 'paid' "
                "AND paid_at >= :d AND paid_at < :u GROUP BY 1 ORDER BY 1"
            ),
            {"t": tenant_id, "d": day_from, "u": until},
        ),
    )


class OrderGroupSums(NamedTuple):
    kind: str
    """`day` (`day` is the business day's number, 1-based), `device` or `staff` (`key` is the
    register's or the staff member's id, `today` whether the row counts today's orders)."""
    day: int | None
    key: uuid.UUID | None
    today: bool | None
    label: str | None
    orders: int
    amount: int
    discounts: int


def order_groups(
    conn: Connection, tenant_id: uuid.UUID, *, day_starts: list[datetime], day_from: datetime
) -> list[OrderGroupSums]:
    """The period's paid orders read once (one index-only scan) and summed three ways: by
    business day (`day` is the 1-based number of the day an order falls in, `day_starts` the
    instants the days start and one more, the last day's end: bucketing by those instants
    with `width_bucket` is exact across clock changes and several times cheaper than turning
    each order's time into the shop's wall clock), by register and today or not, by staff
    member and today or not, with the name the shop knows each register and person by now."""
    return rows_as(
        OrderGroupSums,
        conn.execute(
            text(
                "SELECT g.kind, g.day, g.key, g.today, coalesce(d.name, p.name) AS label, "
                "g.orders, g.amount, g.discounts FROM ("
                "SELECT CASE WHEN GROUPING(x.day) = 0 THEN 'day' "
                "WHEN GROUPING(x.device_id) = 0 THEN 'device' ELSE 'staff' END AS kind, "
                "x.day, CASE WHEN GROUPING(x.device_id) = 0 THEN x.device_id "
                "WHEN GROUPING(x.staff_id) = 0 THEN x.staff_id END AS key, x.today, "
                "count(*) AS orders, coalesce(sum(x.total_minor), 0)::bigint AS amount, "
                "coalesce(sum(x.discount_minor), 0)::bigint AS discounts FROM ("
                "SELECT width_bucket(paid_at, CAST(:b AS timestamptz[])) AS day, device_id, "
                "staff_id, paid_at >= :d AS today, total_minor, "
                "line_discount_minor + order_discount_minor AS discount_minor FROM orders "
                "WHERE tenant_id = :t AND status = 'paid' AND paid_at >= :s AND paid_at < :u"
                ") x GROUP BY GROUPING SETS ((x.day), (x.device_id, x.today), "
                "(x.staff_id, x.today))) g "
                "LEFT JOIN devices d ON g.kind = 'device' AND d.tenant_id = :t AND d.id = g.key "
                "LEFT JOIN staff p ON g.kind = 'staff' AND p.tenant_id = :t AND p.id = g.key"
            ),
            {
                "t": tenant_id,
                "b": day_starts,
                "s": day_starts[0],
                "u": day_starts[-1],
                "d": day_from,
            },
        ),
    )


def sales_by_product(
    conn: Connection, tenant_id: uuid.UUID, *, since: datetime, day_from: datetime,
    until: datetime,
) -> list[ProductSums]:  # fmt: skip
    """Paid orders' lines by product: quantity and line totals (after discounts, tax as the
    shop's prices carry it). A line without a product (an open price) counts under its name."""
    return rows_as(
        ProductSums,
        conn.execute(
            text(
                "SELECT l.product_id AS key, max(l.name) AS label, "
                "coalesce(sum(l.quantity) FILTER (WHERE o.paid_at >= :d), 0)::bigint "
                "AS day_quantity, "
                "coalesce(sum(l.total_minor) FILTER (WHERE o.paid_at >= :d), 0)::bigint "
                "AS day_amount, coalesce(sum(l.quantity), 0)::bigint AS period_quantity, "
                "coalesce(sum(l.total_minor), 0)::bigint AS period_amount "
                "FROM orders o JOIN order_lines l ON l.tenant_id = o.tenant_id "
                "AND l.order_id = o.id "
                "WHERE o.tenant_id = :t AND l.tenant_id = :t AND o.status = 'paid' "
                "AND o.paid_at >= :s AND o.paid_at < :u "
                "GROUP BY l.product_id, CASE WHEN l.product_id IS NULL THEN l.name END "
                "ORDER BY period_amount DESC, label"
            ),
            {"t": tenant_id, "s": since, "d": day_from, "u": until},
        ),
    )


def refund_kind_sums(
    conn: Connection, tenant_id: uuid.UUID, *, since: datetime, day_from: datetime, until: datetime
) -> list[RefundKindSums]:
    """Succeeded refunds by the tender kind they went back to, the amount and the tips apart."""
    return rows_as(
        RefundKindSums,
        conn.execute(
            text(
                "SELECT a.kind, "
                "coalesce(sum(a.amount_minor) FILTER (WHERE r.created_at >= :d), 0)::bigint "
                "AS day_amount, "
                "coalesce(sum(a.tip_minor) FILTER (WHERE r.created_at >= :d), 0)::bigint "
                "AS day_tips, coalesce(sum(a.amount_minor), 0)::bigint AS period_amount, "
                "coalesce(sum(a.tip_minor), 0)::bigint AS period_tips "
                "FROM refunds r JOIN refund_allocations a "
                "ON a.tenant_id = r.tenant_id AND a.refund_id = r.id "
                "WHERE r.tenant_id = :t AND a.tenant_id = :t AND r.status = 'succeeded' "
                "AND r.created_at >= :s AND r.created_at < :u "
                "GROUP BY a.kind ORDER BY a.kind"
            ),
            {"t": tenant_id, "s": since, "d": day_from, "u": until},
        ),
    )


WITHDRAWN_STATUSES = ("needs_response", "under_review", "lost")
"""A dispute's statuses in which Stripe holds the disputed amount (an inquiry, `warning_*`,
takes nothing; `won` gives it back)."""


def dispute_sums(
    conn: Connection, tenant_id: uuid.UUID, currency: str, *, since: datetime,
    day_from: datetime, until: datetime,
) -> DisputeSums:  # fmt: skip
    """Disputed amounts in the shop's currency Stripe withdrew (on the first event in a status
    that holds funds) and gave back (on a `won` event after one), by the event's time."""
    row = row_as(
        DisputeSums,
        conn.execute(
            text(
                "WITH moves AS (SELECT e.dispute_id, "
                "min(e.at) FILTER (WHERE e.status IN ('needs_response', 'under_review', 'lost')) "
                "AS taken_at, min(e.at) FILTER (WHERE e.status = 'won') AS returned_at "
                "FROM dispute_events e WHERE e.tenant_id = :t AND e.currency = :c "
                "GROUP BY e.dispute_id) "
                "SELECT coalesce(sum(d.amount_minor) FILTER (WHERE m.taken_at >= :d "
                "AND m.taken_at < :u), 0)::bigint AS day_withdrawn, "
                "coalesce(sum(d.amount_minor) FILTER (WHERE m.returned_at >= :d "
                "AND m.returned_at < :u AND m.taken_at < m.returned_at), 0)::bigint "
                "AS day_returned, "
                "coalesce(sum(d.amount_minor) FILTER (WHERE m.taken_at >= :s "
                "AND m.taken_at < :u), 0)::bigint AS period_withdrawn, "
                "coalesce(sum(d.amount_minor) FILTER (WHERE m.returned_at >= :s "
                "AND m.returned_at < :u AND m.taken_at < m.returned_at), 0)::bigint "
                "AS period_returned "
                "FROM moves m JOIN disputes d ON d.tenant_id = :t AND d.id = m.dispute_id "
                "WHERE d.currency = :c"
            ),
            {"t": tenant_id, "c": currency, "s": since, "d": day_from, "u": until},
        ),
    )
    return row or DisputeSums(0, 0, 0, 0)
