"""Fee ledger and statement queries.

Tenant-scoped functions run under row-level security on the app role; the `platform_*` and
`frozen_*` ones run as the admin role across tenants (fee runs, closing, verification).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal, NamedTuple

from sqlalchemy import Connection, text

from sync_server.kit.bulk import bulk_insert, int_col, text_col
from sync_server.kit.rows import rows_as

FEE_PERIOD_LOCK = 0x5359_4E43_4645_4553  # "SYNCFEES": pushes share it, closing takes it alone


@dataclass(frozen=True, slots=True)
class LedgerRow:
    kind: str
    source_id: str
    currency: str
    sku: str
    name: str
    natural_period: str
    billing_period: str
    amount_minor: int


_LEDGER_COLUMNS = (
    text_col("kind"),
    text_col("source_id"),
    text_col("currency"),
    text_col("sku"),
    text_col("name"),
    text_col("natural_period"),
    text_col("billing_period"),
    int_col("amount_minor"),
)


def share_period_lock(conn: Connection) -> None:
    """Held by every transaction that writes the ledger, so a month cannot close under it."""
    conn.execute(text("SELECT pg_advisory_xact_lock_shared(:k)"), {"k": FEE_PERIOD_LOCK})


def take_period_lock(conn: Connection) -> None:
    """Waits for in-flight merges; merges that start later see the month closed."""
    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": FEE_PERIOD_LOCK})


def last_closed_period(conn: Connection) -> str | None:
    period: str | None = conn.execute(text("SELECT max(period) FROM fee_periods")).scalar()
    return period


_TENANT_LAST_CLOSED = (
    "SELECT max(p.period) FROM fee_periods p WHERE p.period < coalesce(("
    "  SELECT min(h.period) FROM fee_holds h WHERE h.tenant_id = {tenant}), '9999-12')"
)


def last_closed_for(conn: Connection, tenant_id: uuid.UUID) -> str | None:
    """The last month closed for this shop: the platform's, unless the shop's close is held
    (then the month before its first held one)."""
    period: str | None = conn.execute(
        text(_TENANT_LAST_CLOSED.format(tenant=":t")), {"t": tenant_id}
    ).scalar()
    return period


def last_closed_by_tenant(conn: Connection) -> dict[uuid.UUID, str | None]:
    rows = conn.execute(
        text(f"SELECT t.id, ({_TENANT_LAST_CLOSED.format(tenant='t.id')}) AS period FROM tenants t")
    )
    return {row.id: row.period for row in rows}


def held_tenants(conn: Connection) -> dict[uuid.UUID, str]:
    """Shops whose close is held, with their first held month."""
    rows = conn.execute(
        text("SELECT tenant_id, min(period) AS period FROM fee_holds GROUP BY tenant_id")
    )
    return {row.tenant_id: row.period for row in rows}


class HoldRow(NamedTuple):
    tenant_id: uuid.UUID
    period: str
    reason: str


def all_holds(conn: Connection) -> list[HoldRow]:
    """Every shop's held months with why (the console's month-end page), oldest first."""
    return rows_as(
        HoldRow,
        conn.execute(text("SELECT tenant_id, period, reason FROM fee_holds ORDER BY period")),
    )


def insert_hold(conn: Connection, tenant_id: uuid.UUID, period: str, reason: str) -> None:
    conn.execute(
        text(
            "INSERT INTO fee_holds (tenant_id, period, reason) VALUES (:t, :p, :r) "
            "ON CONFLICT DO NOTHING"
        ),
        {"t": tenant_id, "p": period, "r": reason},
    )


def held_periods(conn: Connection, tenant_id: uuid.UUID) -> list[str]:
    rows = conn.execute(
        text("SELECT period FROM fee_holds WHERE tenant_id = :t ORDER BY period"),
        {"t": tenant_id},
    )
    return [row.period for row in rows]


def release_holds(conn: Connection, tenant_id: uuid.UUID, up_to: str) -> None:
    conn.execute(
        text("DELETE FROM fee_holds WHERE tenant_id = :t AND period <= :p"),
        {"t": tenant_id, "p": up_to},
    )


def insert_ledger(conn: Connection, tenant_id: uuid.UUID, rows: Sequence[LedgerRow]) -> None:
    bulk_insert(
        conn,
        "fee_ledger",
        _LEDGER_COLUMNS,
        [
            (
                row.kind,
                row.source_id,
                row.currency,
                row.sku,
                row.name,
                row.natural_period,
                row.billing_period,
                row.amount_minor,
            )
            for row in rows
        ],
        tenant_id=tenant_id,
        on_conflict=None,
    )


def contributed(conn: Connection, tenant_id: uuid.UUID, kind: str, source_id: str) -> int:
    total = conn.execute(
        text(
            "SELECT coalesce(sum(amount_minor), 0) FROM fee_ledger "
            "WHERE tenant_id = :t AND kind = :k AND source_id = :s AND kind <> 'sale'"
        ),
        {"t": tenant_id, "k": kind, "s": source_id},
    ).scalar()
    return int(total or 0)


def rate_on(conn: Connection, tenant_id: uuid.UUID, day: date) -> int:
    rate = conn.execute(
        text(
            "SELECT rate_bps FROM fee_rates WHERE tenant_id = :t AND effective_from <= :d "
            "ORDER BY effective_from DESC LIMIT 1"
        ),
        {"t": tenant_id, "d": day},
    ).scalar()
    return 100 if rate is None else int(rate)


class LedgerSum(NamedTuple):
    """One tenant's ledger of a month, summed per (currency, kind, sku, name)."""

    currency: str
    kind: str
    sku: str
    name: str
    amount: Decimal
    adjustment: Decimal | None
    """What of `amount` belongs to another month than the one it is billed in."""


class ShopLedgerSum(NamedTuple):
    """Every tenant's ledger of a month, summed per (tenant, currency, kind, sku, name)."""

    tenant_id: uuid.UUID
    currency: str
    kind: str
    sku: str
    name: str
    amount: Decimal
    adjustment: Decimal | None


class BilledSum(NamedTuple):
    """The whole ledger summed per (tenant, billing month, currency, kind, sku, name)."""

    tenant_id: uuid.UUID
    billing_period: str
    currency: str
    kind: str
    sku: str
    name: str
    amount: Decimal
    adjustment: Decimal | None


class FeeBaseSum(NamedTuple):
    """The fee base per (tenant, currency, month an event belongs to, kind, sku, name): from the
    ledger (`ledger_by_natural`) or recomputed from orders and refunds (`raw_sums`)."""

    tenant_id: uuid.UUID
    currency: str
    period: str
    kind: str
    sku: str
    name: str
    amount: Decimal


class FrozenStatement(NamedTuple):
    tenant_id: uuid.UUID
    period: str
    currency: str
    rate_bps: int
    gross_minor: int
    refunds_minor: int
    chargebacks_minor: int
    net_minor: int
    fee_minor: int
    adjustments_minor: int


class FrozenLine(NamedTuple):
    tenant_id: uuid.UUID
    period: str
    currency: str
    sku: str
    name: str
    gross_minor: int
    refunds_minor: int
    chargebacks_minor: int
    net_minor: int
    fee_minor: int


class RawRefund(NamedTuple):
    """A refund whose fee entries `fees.rules.refund_entries` spreads over its order's lines."""

    tenant_id: uuid.UUID
    id: uuid.UUID
    currency: str
    timezone: str
    created_at: datetime
    amount_minor: int
    tax_minor: int
    returned: int | None
    """What went back (None: all of it)."""
    refunded_lines: list[list[Any]]
    """[line id, amount, tax] of each itemised line."""
    lines: list[list[Any]] | None
    """[line id, sku, name, revenue] of each of its order's lines."""


class RawDisputeEvent(NamedTuple):
    tenant_id: uuid.UUID
    dispute_id: str
    status: str
    amount_minor: int
    currency: str
    at: datetime
    timezone: str


_STATEMENT_SUMS = (
    "SELECT currency, kind, sku, name, sum(amount_minor) AS amount, "
    "sum(amount_minor) FILTER (WHERE natural_period <> billing_period) AS adjustment "
    "FROM fee_ledger WHERE tenant_id = :t AND billing_period = :p "
    "GROUP BY currency, kind, sku, name"
)


def statement_sums(conn: Connection, tenant_id: uuid.UUID, period: str) -> list[LedgerSum]:
    """The ledger of one tenant's month, summed per (currency, kind, sku, name)."""
    return rows_as(LedgerSum, conn.execute(text(_STATEMENT_SUMS), {"t": tenant_id, "p": period}))


_LEDGER_MONTHS = (
    # The ledger's distinct months, newest first, by skipping through the statement index
    # (tenant_id, billing_period, ...) one month at a time: a shop with millions of ledger rows
    # reads a few dozen index entries, not all of them.
    "WITH RECURSIVE months AS ("
    " (SELECT billing_period AS period FROM fee_ledger WHERE tenant_id = :t"
    "  ORDER BY billing_period DESC LIMIT 1)"
    " UNION ALL"
    " SELECT (SELECT l.billing_period FROM fee_ledger l WHERE l.tenant_id = :t"
    "         AND l.billing_period < months.period ORDER BY l.billing_period DESC LIMIT 1)"
    " FROM months WHERE months.period IS NOT NULL"
    ") SELECT period FROM months WHERE period IS NOT NULL LIMIT :n"
)


def statement_periods(conn: Connection, tenant_id: uuid.UUID, limit: int) -> list[str]:
    """The months a shop has a statement for (a ledger row billed in it, or a frozen
    statement), newest first."""
    return list(
        conn.execute(
            text(
                f"SELECT period FROM ({_LEDGER_MONTHS}) ledger UNION SELECT period "
                "FROM fee_statements WHERE tenant_id = :t ORDER BY period DESC LIMIT :n"
            ),
            {"t": tenant_id, "n": limit},
        ).scalars()
    )


_FROZEN_STATEMENTS = (
    "SELECT tenant_id, period, currency, rate_bps, gross_minor, refunds_minor, "
    "chargebacks_minor, net_minor, fee_minor, adjustments_minor FROM fee_statements"
)
_FROZEN_LINES = (
    "SELECT tenant_id, period, currency, sku, name, gross_minor, refunds_minor, "
    "chargebacks_minor, net_minor, fee_minor FROM fee_statement_lines"
)


def frozen_statements_of(
    conn: Connection, tenant_id: uuid.UUID, periods: list[str]
) -> list[FrozenStatement]:
    return rows_as(
        FrozenStatement,
        conn.execute(
            text(
                f"{_FROZEN_STATEMENTS} WHERE tenant_id = :t AND period = ANY(:ps) "
                "ORDER BY period, currency"
            ),
            {"t": tenant_id, "ps": periods},
        ),
    )


def frozen_lines_of(conn: Connection, tenant_id: uuid.UUID, periods: list[str]) -> list[FrozenLine]:
    return rows_as(
        FrozenLine,
        conn.execute(
            text(
                f"{_FROZEN_LINES} WHERE tenant_id = :t AND period = ANY(:ps) "
                "ORDER BY period, currency, sku, name"
            ),
            {"t": tenant_id, "ps": periods},
        ),
    )


# --- platform-wide (admin role) ---------------------------------------------------------------


def platform_sums(conn: Connection, period: str) -> list[ShopLedgerSum]:
    """Every tenant's ledger for one billing month, summed per tenant, currency and product."""
    # ~50 000 groups per month at 1 000 tenants: aggregate in memory rather than sort on disk.
    conn.execute(text("SET LOCAL work_mem = '64MB'"))
    return rows_as(
        ShopLedgerSum,
        conn.execute(
            text(
                "SELECT tenant_id, currency, kind, sku, name, sum(amount_minor) AS amount, "
                "sum(amount_minor) FILTER (WHERE natural_period <> billing_period) AS adjustment "
                "FROM fee_ledger WHERE billing_period = :p "
                "GROUP BY tenant_id, currency, kind, sku, name"
            ),
            {"p": period},
        ),
    )


def platform_rates(conn: Connection, day: date) -> dict[uuid.UUID, int]:
    rows = conn.execute(
        text(
            "SELECT DISTINCT ON (tenant_id) tenant_id, rate_bps FROM fee_rates "
            "WHERE effective_from <= :d ORDER BY tenant_id, effective_from DESC"
        ),
        {"d": day},
    )
    return {row.tenant_id: int(row.rate_bps) for row in rows}


def open_periods_up_to(conn: Connection, period: str, last_closed: str | None) -> list[str]:
    rows = conn.execute(
        text(
            "SELECT DISTINCT billing_period FROM fee_ledger "
            "WHERE billing_period <= :p AND (CAST(:c AS text) IS NULL OR billing_period > :c) "
            "ORDER BY 1"
        ),
        {"p": period, "c": last_closed},
    )
    return [row.billing_period for row in rows]


def insert_closed_period(conn: Connection, period: str) -> None:
    conn.execute(
        text("INSERT INTO fee_periods (period) VALUES (:p) ON CONFLICT DO NOTHING"), {"p": period}
    )


def insert_frozen_statement(
    conn: Connection, tenant_id: uuid.UUID, figures: dict[str, Any]
) -> None:
    conn.execute(
        text(
            "INSERT INTO fee_statements (tenant_id, period, currency, rate_bps, gross_minor, "
            "refunds_minor, chargebacks_minor, net_minor, fee_minor, adjustments_minor) "
            "VALUES (:t, :period, :currency, :rate_bps, :gross_minor, :refunds_minor, "
            ":chargebacks_minor, :net_minor, :fee_minor, :adjustments_minor)"
        ),
        {"t": tenant_id, **figures},
    )


def insert_frozen_lines(conn: Connection, rows: list[dict[str, Any]]) -> None:
    if rows:
        conn.execute(
            text(
                "INSERT INTO fee_statement_lines (tenant_id, period, currency, sku, name, "
                "gross_minor, refunds_minor, chargebacks_minor, net_minor, fee_minor) "
                "VALUES (:tenant_id, :period, :currency, :sku, :name, :gross_minor, "
                ":refunds_minor, :chargebacks_minor, :net_minor, :fee_minor)"
            ),
            rows,
        )


def tenant_frozen_statements(conn: Connection, tenant_id: uuid.UUID) -> list[FrozenStatement]:
    return rows_as(
        FrozenStatement,
        conn.execute(
            text(f"{_FROZEN_STATEMENTS} WHERE tenant_id = :t ORDER BY period, currency"),
            {"t": tenant_id},
        ),
    )


def all_frozen_statements(conn: Connection) -> list[FrozenStatement]:
    return rows_as(FrozenStatement, conn.execute(text(_FROZEN_STATEMENTS)))


def all_frozen_lines(conn: Connection) -> list[FrozenLine]:
    return rows_as(FrozenLine, conn.execute(text(_FROZEN_LINES)))


def ledger_by_natural(conn: Connection) -> list[FeeBaseSum]:
    """The whole ledger summed per (tenant, currency, natural month, kind, sku, name)."""
    return rows_as(
        FeeBaseSum,
        conn.execute(
            text(
                "SELECT tenant_id, currency, natural_period AS period, kind, sku, name, "
                "sum(amount_minor) AS amount FROM fee_ledger "
                "GROUP BY tenant_id, currency, natural_period, kind, sku, name"
            )
        ),
    )


def ledger_by_billing(conn: Connection) -> list[BilledSum]:
    return rows_as(
        BilledSum,
        conn.execute(
            text(
                "SELECT tenant_id, billing_period, currency, kind, sku, name, "
                "sum(amount_minor) AS amount, "
                "sum(amount_minor) FILTER (WHERE natural_period <> billing_period) AS adjustment "
                "FROM fee_ledger GROUP BY tenant_id, billing_period, currency, kind, sku, name"
            )
        ),
    )


# --- the fee base recomputed from orders, refunds and disputes, not from the ledger ------------
# Independent of the ledger's code path on purpose: `fees verify` compares the two.


def _month(at: str) -> str:
    """The shop's month of the timestamp `at` (`t` is the shop's tenants row)."""
    return f"to_char({at} AT TIME ZONE t.timezone, 'YYYY-MM')"


_REFUNDS = (
    "FROM refunds r JOIN tenants t ON t.id = r.tenant_id "
    "JOIN orders o ON o.tenant_id = r.tenant_id AND o.id = r.order_id "
)
_ITEMISED = (
    "coalesce((SELECT sum(rl.amount_minor - rl.tax_minor) FROM refund_lines rl "
    "WHERE rl.tenant_id = r.tenant_id AND rl.refund_id = r.id), 0)"
)
_ORDER_LINES = (
    "(SELECT jsonb_agg(jsonb_build_array(l.id, l.sku, l.name, l.total_minor - l.tax_minor) "
    "ORDER BY l.position, l.id) FROM order_lines l "
    "WHERE l.tenant_id = o.tenant_id AND l.order_id = o.id) AS lines"
)

_RAW_SUMS: dict[str, str] = {
    # Product revenue of paid orders, in the month each was paid.
    "sale": f"SELECT o.tenant_id, o.currency, {_month('o.paid_at')} AS period, 'sale' AS kind, "
    "l.sku, l.name, sum(l.total_minor - l.tax_minor) AS amount "
    "FROM orders o JOIN tenants t ON t.id = o.tenant_id "
    "JOIN order_lines l ON l.tenant_id = o.tenant_id AND l.order_id = o.id "
    "WHERE o.status = 'paid' GROUP BY 1, 2, 3, 4, 5, 6",
    # The itemised lines of succeeded refunds, in the month each was made.
    "refund": f"SELECT r.tenant_id, o.currency, {_month('r.created_at')} AS period, "
    "'refund' AS kind, l.sku, l.name, -sum(rl.amount_minor - rl.tax_minor) AS amount "
    f"{_REFUNDS}JOIN refund_lines rl ON rl.tenant_id = r.tenant_id AND rl.refund_id = r.id "
    "JOIN order_lines l ON l.tenant_id = rl.tenant_id AND l.id = rl.line_id "
    "WHERE r.status = 'succeeded' GROUP BY 1, 2, 3, 4, 5, 6",
}

_RAW_REFUNDS: dict[str, str] = {
    # Succeeded refunds whose amount is not fully itemised by lines: the rest, spread by revenue.
    "residual": f"SELECT r.tenant_id, r.id, o.currency, t.timezone, r.created_at, "
    f"CAST(r.amount_minor - r.tax_minor - {_ITEMISED} AS bigint) AS amount_minor, 0 AS tax_minor, "
    f"CAST(NULL AS bigint) AS returned, CAST('[]' AS jsonb) AS refunded_lines, {_ORDER_LINES} "
    f"{_REFUNDS}WHERE r.status = 'succeeded' AND r.amount_minor - r.tax_minor <> {_ITEMISED}",
    # Failed refunds some of whose allocations succeeded (the cash of a split refund whose card
    # part was refused): what went back, with the refund's lines and its order's lines.
    "partly_returned": "SELECT r.tenant_id, r.id, o.currency, t.timezone, r.created_at, "
    "r.amount_minor, r.tax_minor, CAST(a.returned AS bigint) AS returned, coalesce(("
    "  SELECT jsonb_agg(jsonb_build_array(rl.line_id, rl.amount_minor, rl.tax_minor) "
    "  ORDER BY rl.line_id) FROM refund_lines rl "
    f"  WHERE rl.tenant_id = r.tenant_id AND rl.refund_id = r.id), '[]') AS refunded_lines, "
    f"{_ORDER_LINES} {_REFUNDS}"
    "JOIN LATERAL (SELECT least(coalesce(sum(ra.amount_minor), 0), r.amount_minor) AS returned "
    "  FROM refund_allocations ra WHERE ra.tenant_id = r.tenant_id "
    "  AND ra.refund_id = r.id AND ra.status = 'succeeded') a ON true "
    "WHERE r.status = 'failed' AND a.returned > 0",
}


def raw_sums(conn: Connection, kind: Literal["sale", "refund"]) -> list[FeeBaseSum]:
    """The fee base of sales or of refunds' itemised lines, summed per (tenant, currency,
    month, kind, sku, name), recomputed from orders and refunds."""
    return rows_as(FeeBaseSum, conn.execute(text(_RAW_SUMS[kind])))


def raw_refunds(conn: Connection, kind: Literal["residual", "partly_returned"]) -> list[RawRefund]:
    """Refunds whose fee entries are spread over their order's lines in Python: the part of a
    succeeded refund its lines do not itemise, or the part of a failed one that went back."""
    return rows_as(RawRefund, conn.execute(text(_RAW_REFUNDS[kind])))


def raw_dispute_events(conn: Connection) -> list[RawDisputeEvent]:
    return rows_as(
        RawDisputeEvent,
        conn.execute(
            text(
                "SELECT e.tenant_id, e.dispute_id, e.status, "
                "coalesce(e.fee_base_minor, e.amount_minor) AS amount_minor, e.currency, e.at, "
                "t.timezone FROM dispute_events e JOIN tenants t ON t.id = e.tenant_id "
                "ORDER BY e.tenant_id, e.dispute_id, e.id"
            )
        ),
    )


def tenant_slugs(conn: Connection) -> dict[uuid.UUID, tuple[str, str]]:
    rows = conn.execute(text("SELECT id, slug, currency FROM tenants"))
    return {row.id: (row.slug, row.currency) for row in rows}


# --- month-end boundaries, reopening, rate schedules (admin role) ------------------------------


def tenant_zones(conn: Connection) -> list[str]:
    return [row.timezone for row in conn.execute(text("SELECT DISTINCT timezone FROM tenants"))]


def rate_schedule(conn: Connection, tenant_id: uuid.UUID) -> list[tuple[date, int]]:
    rows = conn.execute(
        text(
            "SELECT effective_from, rate_bps FROM fee_rates WHERE tenant_id = :t "
            "ORDER BY effective_from"
        ),
        {"t": tenant_id},
    )
    return [(row.effective_from, int(row.rate_bps)) for row in rows]


def reopen_platform(conn: Connection, period: str) -> None:
    """Forget the closes of `period` and every later month, for every shop."""
    for table in ("fee_statement_lines", "fee_statements", "fee_holds"):
        conn.execute(text(f"DELETE FROM {table} WHERE period >= :p"), {"p": period})
    conn.execute(text("DELETE FROM fee_periods WHERE period >= :p"), {"p": period})


def discard_frozen(conn: Connection, tenant_id: uuid.UUID, period: str) -> None:
    """Drop one shop's frozen statements of `period` and later (it is reopened for them)."""
    for table in ("fee_statement_lines", "fee_statements"):
        conn.execute(
            text(f"DELETE FROM {table} WHERE tenant_id = :t AND period >= :p"),
            {"t": tenant_id, "p": period},
        )


def closed_periods_from(conn: Connection, period: str) -> list[str]:
    rows = conn.execute(
        text("SELECT period FROM fee_periods WHERE period >= :p ORDER BY period"), {"p": period}
    )
    return [row.period for row in rows]


def rebill(
    conn: Connection, last_closed: str | None, first_open: str, tenant_id: uuid.UUID | None
) -> int:
    """Bill again, by the rule every ledger row was written with, the rows billed into months
    that are open again: an event of an open month in its own month, an event of a still
    closed month in the first open one. Returns how many rows moved."""
    moved = conn.execute(
        text(
            "UPDATE fee_ledger SET billing_period = CASE "
            "  WHEN CAST(:c AS text) IS NULL OR natural_period > :c THEN natural_period "
            "  ELSE :f END "
            "WHERE billing_period >= :f "
            "AND (CAST(:t AS uuid) IS NULL OR tenant_id = CAST(:t AS uuid)) "
            "AND billing_period <> CASE "
            "  WHEN CAST(:c AS text) IS NULL OR natural_period > :c THEN natural_period "
            "  ELSE :f END"
        ),
        {"c": last_closed, "f": first_open, "t": tenant_id},
    )
    return int(moved.rowcount or 0)


def insert_reopening(
    conn: Connection, period: str, tenant_id: uuid.UUID | None, reason: str
) -> None:
    conn.execute(
        text("INSERT INTO fee_reopenings (period, tenant_id, reason) VALUES (:p, :t, :r)"),
        {"p": period, "t": tenant_id, "r": reason},
    )
