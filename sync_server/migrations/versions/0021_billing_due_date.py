"""Billing due date: when an emailed fee invoice (`send_invoice`) falls due.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-05

- `billing_invoices.due_at`: Stripe's `due_date` of the finalized invoice (our days until due
  from finalization). An emailed invoice still unpaid ``GRACE`` (14 days) after it makes the
  shop past due, as a failed card does from its first failure (`billing.service`).
"""

from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE billing_invoices ADD COLUMN due_at timestamptz")


def downgrade() -> None:
    op.execute("ALTER TABLE billing_invoices DROP COLUMN IF EXISTS due_at")
