"""Guessing limits shared by every server process.

Revision ID: 0007
Revises: 0004
Create Date: 2026-12-05

- `guess_counts`: pairing attempts and failed device tokens per client address, one fixed
  window per (kind, address), counted with one `INSERT … ON CONFLICT … DO UPDATE … RETURNING`
  (`kit/ratelimit.py`), so several `sync-server serve` processes share one limit. Platform-wide
  (no tenant, no row-level security: an address is not a shop's data); the application role may
  read and write it and nothing more. UNLOGGED: the counts live a minute, so writing them to
  the WAL would buy nothing but cost every failed call a flush; a crash or a fail-over forgets
  them, which only restarts the minute.
"""

from alembic import context, op

revision = "0007"
down_revision = "0004"
branch_labels = None
depends_on = None

SCHEMA = """
CREATE UNLOGGED TABLE guess_counts (
    kind text NOT NULL CHECK (kind IN ('pairing', 'device_token')),
    client text NOT NULL CHECK (length(client) <= 64),
    window_start timestamptz NOT NULL,
    hits integer NOT NULL CHECK (hits > 0),
    PRIMARY KEY (kind, client)
);
"""


def _app_role() -> str:
    role = str(context.config.attributes.get("app_role", "pos_sync_app"))
    if not role.replace("_", "").isalnum():
        raise ValueError(f"application role name {role!r} is not a plain identifier")
    return role


def upgrade() -> None:
    role = _app_role()
    op.execute(SCHEMA)
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON guess_counts TO {role}")


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS guess_counts")
