"""Reconciliation flags: `failed_refund`, a register's card refund that Stripe failed later
(at the customer's bank, after the register was told it went through).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_KINDS = ("uncaptured_authorization", "unsynced_payment", "external_refund", "unmatched_refund")


def _check(kinds: tuple[str, ...]) -> str:
    listed = ", ".join(f"'{kind}'" for kind in kinds)
    return (
        "ALTER TABLE reconciliation_flags DROP CONSTRAINT reconciliation_flags_kind_check, "
        f"ADD CONSTRAINT reconciliation_flags_kind_check CHECK (kind IN ({listed}))"
    )


def upgrade() -> None:
    op.execute(_check((*_KINDS, "failed_refund")))


def downgrade() -> None:
    op.execute("DELETE FROM reconciliation_flags WHERE kind = 'failed_refund'")
    op.execute(_check(_KINDS))
