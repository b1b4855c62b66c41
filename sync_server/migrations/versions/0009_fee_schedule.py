"""Reopening closed fee months: each reopening is kept with the operator's reason (platform-wide
when `tenant_id` is null), so a month that was closed and opened again says why.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Admin-only, like fee_periods: the application role never reads or writes it.
    op.execute(
        "CREATE TABLE fee_reopenings ("
        " id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
        " period char(7) NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),"
        " tenant_id uuid REFERENCES tenants (id),"
        " reason text NOT NULL CHECK (btrim(reason) <> ''),"
        " reopened_at timestamptz NOT NULL DEFAULT now())"
    )
    # A shop's own reopenings stay behind row-level security like every table naming a shop.
    op.execute(
        "CREATE POLICY tenant_isolation ON fee_reopenings USING (tenant_id = "
        "NULLIF(current_setting('app.tenant_id', true), '')::uuid)"
    )
    op.execute("ALTER TABLE fee_reopenings ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE fee_reopenings FORCE ROW LEVEL SECURITY")


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS fee_reopenings")
