"""Job queue: procrastinate's tables and functions, for `sync-server worker`.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27

The schema is procrastinate's own SQL at the installed version. A later procrastinate upgrade
ships its migration files (`procrastinate schema --migrations-path`); add them as revisions here.
"""

from alembic import op
from procrastinate.schema import SchemaManager

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(SchemaManager.get_schema())


def downgrade() -> None:
    op.execute(
        "DROP TABLE IF EXISTS procrastinate_events, procrastinate_periodic_defers, "
        "procrastinate_jobs, procrastinate_workers CASCADE"
    )
    op.execute(
        "DO $$ DECLARE f regprocedure; BEGIN "
        "FOR f IN SELECT oid::regprocedure FROM pg_proc WHERE proname LIKE 'procrastinate%' "
        "LOOP EXECUTE 'DROP FUNCTION ' || f || ' CASCADE'; END LOOP; END $$"
    )
    op.execute("DROP TYPE IF EXISTS procrastinate_job_to_defer_v1, procrastinate_job_event_type, "
               "procrastinate_job_status CASCADE")
