"""The owner's console shows a new pairing code again on reload (post/redirect/get) only while
the code is still unused and unexpired: the application role may read, under the shop's
row-level security, when its shop's codes expire and whether they were used.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05

Column grant `SELECT (tenant_id, expires_at, used_at) ON pairing_codes`: never `code_hash` (the
look-up by hash stays `sync_pair_register`'s). The code itself is never stored readable: the
browser that asked for it holds it in a short-lived cookie signed for its session and shop
(`console/owner_pages.py`); the server checks against this table that the code it names (by its
expiry instant, unique within a shop in practice) is still live.
"""

from alembic import context, op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

GRANT = "GRANT SELECT (tenant_id, expires_at, used_at) ON pairing_codes"
REVOKE = "REVOKE SELECT (tenant_id, expires_at, used_at) ON pairing_codes"


def _app_role() -> str:
    role = str(context.config.attributes.get("app_role", "pos_sync_app"))
    if not role.replace("_", "").isalnum():
        raise ValueError(f"application role name {role!r} is not a plain identifier")
    return role


def upgrade() -> None:
    op.execute(f"{GRANT} TO {_app_role()}")


def downgrade() -> None:
    op.execute(f"{REVOKE} FROM {_app_role()}")
