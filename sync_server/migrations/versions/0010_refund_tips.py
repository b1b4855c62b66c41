"""Refunds can give card tips back: a tip part on the refund and on each allocation, apart from
the amount (a tip is not revenue: the fee base and the order's refund caps follow the amount;
a tender's tips refunded never exceed its tip, see `sync_server.sync.refund_caps`). Refunds
pushed by registers that know no tips carry 0.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("refunds", "refund_allocations"):
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN tip_minor bigint NOT NULL DEFAULT 0 "
            "CHECK (tip_minor >= 0)"
        )


def downgrade() -> None:
    for table in ("refund_allocations", "refunds"):
        op.execute(f"ALTER TABLE {table} DROP COLUMN tip_minor")
