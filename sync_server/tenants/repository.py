"""Tenant queries. The admin ones run as the schema owner; `current_tenant` runs under RLS."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Connection, text

from sync_server.tenants.schemas import Tenant

_COLUMNS = "id, slug, name, currency, timezone, day_ends_at, locale"

#: Every table holding tenant rows, in an order that satisfies foreign keys on re-import.
EXPORT_TABLES = (
    "devices", "categories", "products", "modifier_groups", "staff", "eighty_six", "customers",
    "orders", "order_lines", "tenders", "payments", "refunds", "refund_lines",
    "refund_allocations", "stock_movements", "shifts", "cash_movements", "audit_entries",
    "disputes", "dispute_events", "sync_changes", "sync_conflicts", "fee_rates", "fee_ledger",
    "fee_statements", "fee_statement_lines", "stripe_events", "stripe_object_versions",
    "stripe_payments", "stripe_refunds", "reconciliation_flags", "notifications",
    "notification_opt_outs", "push_quarantine", "fee_holds", "owner_accounts",
    "billing_customers", "billing_invoices", "billing_credit_notes", "billing_carries",
    "billing_notices",
)  # fmt: skip

NOT_EXPORTED: dict[str, str] = {
    "device_tokens": "only the HMAC of each register's token: a new pairing replaces it",
    "pairing_codes": "short-lived one-time codes, hashed",
    "stripe_accounts": "the shop's Stripe webhook signing secret",
    "owner_invitations": "one-time set-password links (HMAC of the token); a new invitation "
    "replaces one",
    "owner_sessions": "web console sessions (hash of each session's secret)",
    "billing_calls": "the platform's journal of its own Stripe calls for the shop's invoices "
    "(idempotency keys and responses): the invoices themselves are exported",
}
"""A shop's tables an export leaves out, and why: secrets and their hashes (every other table of
the shop is in `EXPORT_TABLES`; a test holds the two lists to the schema)."""

#: Columns an export leaves out: a staff PIN is four digits, so its salted hash falls to an
#: offline search of all 10,000 PINs in minutes; a PIN is set again on a register instead.
SECRET_COLUMNS: dict[str, tuple[str, ...]] = {
    "staff": ("pin_hash",),
    "owner_accounts": ("password_hash",),  # an owner signs in again after an invitation
}


def _tenant(row: Any) -> Tenant:
    return Tenant(
        id=row.id, slug=row.slug, name=row.name, currency=row.currency, timezone=row.timezone,
        day_ends_at=row.day_ends_at, locale=row.locale,
    )  # fmt: skip


def insert_tenant(conn: Connection, tenant: Tenant, *, rate_bps: int) -> None:
    conn.execute(
        text(
            "INSERT INTO tenants (id, slug, name, currency, timezone, day_ends_at, locale) "
            "VALUES (:id, :slug, :name, :currency, :timezone, :day_ends_at, :locale)"
        ),
        {
            "id": tenant.id,
            "slug": tenant.slug,
            "name": tenant.name,
            "currency": tenant.currency,
            "timezone": tenant.timezone,
            "day_ends_at": tenant.day_ends_at,
            "locale": tenant.reading_locale,
        },
    )
    insert_fee_rate(conn, tenant.id, date(1970, 1, 1), rate_bps)


def insert_fee_rate(
    conn: Connection, tenant_id: uuid.UUID, effective_from: date, rate: int
) -> None:
    conn.execute(
        text(
            "INSERT INTO fee_rates (tenant_id, effective_from, rate_bps) VALUES (:t, :d, :r) "
            "ON CONFLICT (tenant_id, effective_from) DO UPDATE SET rate_bps = EXCLUDED.rate_bps"
        ),
        {"t": tenant_id, "d": effective_from, "r": rate},
    )


def slug_exists(conn: Connection, slug: str) -> bool:
    row = conn.execute(text("SELECT 1 FROM tenants WHERE slug = :s"), {"s": slug}).first()
    return row is not None


def by_slug(conn: Connection, slug: str) -> Tenant | None:
    row = conn.execute(text(f"SELECT {_COLUMNS} FROM tenants WHERE slug = :s"), {"s": slug}).first()
    return None if row is None else _tenant(row)


def all_tenants(conn: Connection) -> list[Tenant]:
    rows = conn.execute(text(f"SELECT {_COLUMNS} FROM tenants ORDER BY slug"))
    return [_tenant(row) for row in rows]


def current_tenant(conn: Connection) -> Tenant | None:
    """The tenant of the transaction; RLS shows exactly one row (or none)."""
    row = conn.execute(text(f"SELECT {_COLUMNS} FROM tenants")).first()
    return None if row is None else _tenant(row)


def created_at(conn: Connection, tenant_id: uuid.UUID) -> datetime | None:
    row = conn.execute(
        text("SELECT created_at FROM tenants WHERE id = :t"), {"t": tenant_id}
    ).first()
    return None if row is None else row.created_at


def update_report_settings(
    conn: Connection, tenant_id: uuid.UUID, *, day_ends_at: time, locale: str
) -> bool:
    """The shop's business day end and locale (under its RLS: another shop's row is not seen,
    so nothing changes and the answer is False)."""
    result = conn.execute(
        text("UPDATE tenants SET day_ends_at = :e, locale = :l WHERE id = :t"),
        {"t": tenant_id, "e": day_ends_at, "l": locale},
    )
    return result.rowcount == 1


def export_rows(conn: Connection, tenant_id: uuid.UUID) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every row of one tenant, table by table. Secrets and their hashes are left out on purpose:
    the tables in `NOT_EXPORTED` (tokens, codes, the Stripe webhook secret, console links and
    sessions) and the hashes in `SECRET_COLUMNS` (staff PINs, owners' passwords)."""
    row = conn.execute(
        text("SELECT to_jsonb(t) AS row FROM tenants t WHERE id = :t"), {"t": tenant_id}
    ).one()
    yield "tenants", row.row
    for table in EXPORT_TABLES:
        dropped = "".join(f" - '{column}'" for column in SECRET_COLUMNS.get(table, ()))
        result = conn.execution_options(stream_results=True, max_row_buffer=2000).execute(
            text(f"SELECT to_jsonb(t){dropped} AS row FROM {table} t WHERE tenant_id = :t"),
            {"t": tenant_id},
        )
        for item in result:
            yield table, item.row
