"""Owners' sales reports: each shop's business day end and locale, and the indexes the report
queries read.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05

- `tenants.day_ends_at` (time, default midnight): when the shop's business day ends, on its
  wall clock (a bar open past midnight ends its day at 02:00, say). Limited to 00:00-11:59, as
  the register's own setting: a business day is named after the date it starts.
- `tenants.locale` ('en_US' or 'pt_BR'): the console's language and money format for the
  shop's owners. Existing shops take the former rule (a shop in reais reads Brazilian
  Portuguese); the application role may change these two columns only (column grant).
- Indexes: the report queries read a period's paid orders by time, their tenders and lines
  through the order, refunds and voids by time. Each index names the shop first and carries
  the columns the queries sum (index-only scans), so a shop with years of history reads only
  the period's rows.
"""

from alembic import context, op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

INDEXES = (
    "CREATE INDEX ix_orders_paid_report ON orders (tenant_id, paid_at) INCLUDE (id, "
    "total_minor, tip_minor, line_discount_minor, order_discount_minor, device_id, staff_id) "
    "WHERE status = 'paid'",
    "CREATE INDEX ix_orders_voided_at ON orders (tenant_id, voided_at) INCLUDE (total_minor) "
    "WHERE status = 'voided'",
    "CREATE INDEX ix_tenders_order_sums ON tenders (tenant_id, order_id) "
    "INCLUDE (kind, amount_minor, tip_minor)",
    "CREATE INDEX ix_order_lines_order_sums ON order_lines (tenant_id, order_id) "
    "INCLUDE (product_id, name, quantity, total_minor)",
    "CREATE INDEX ix_refunds_created_at ON refunds (tenant_id, created_at) "
    "WHERE status = 'succeeded'",
    "CREATE INDEX ix_refund_allocations_refund ON refund_allocations (tenant_id, refund_id) "
    "INCLUDE (kind, amount_minor, tip_minor)",
)
INDEX_NAMES = (
    "ix_orders_paid_report", "ix_orders_voided_at", "ix_tenders_order_sums",
    "ix_order_lines_order_sums", "ix_refunds_created_at", "ix_refund_allocations_refund",
)  # fmt: skip


def _app_role() -> str:
    role = str(context.config.attributes.get("app_role", "pos_sync_app"))
    if not role.replace("_", "").isalnum():
        raise ValueError(f"application role name {role!r} is not a plain identifier")
    return role


def upgrade() -> None:
    op.execute(
        "ALTER TABLE tenants ADD COLUMN day_ends_at time NOT NULL DEFAULT '00:00' "
        "CHECK (day_ends_at < '12:00'), "
        "ADD COLUMN locale text NOT NULL DEFAULT 'en_US' CHECK (locale IN ('en_US', 'pt_BR'))"
    )
    op.execute("UPDATE tenants SET locale = 'pt_BR' WHERE currency = 'BRL'")
    op.execute(f"GRANT UPDATE (day_ends_at, locale) ON tenants TO {_app_role()}")
    for statement in INDEXES:
        op.execute(statement)


def downgrade() -> None:
    for name in INDEX_NAMES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
    op.execute(f"REVOKE UPDATE (day_ends_at, locale) ON tenants FROM {_app_role()}")
    op.execute("ALTER TABLE tenants DROP COLUMN locale, DROP COLUMN day_ends_at")
