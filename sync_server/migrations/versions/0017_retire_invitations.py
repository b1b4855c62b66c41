"""A new invitation retires the account's older unused set-password links: the application role
may shorten an invitation's `expires_at` (to now), nothing else.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05
"""

from alembic import context, op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def _app_role() -> str:
    role = str(context.config.attributes.get("app_role", "pos_sync_app"))
    if not role.replace("_", "").isalnum():
        raise ValueError(f"application role name {role!r} is not a plain identifier")
    return role


def upgrade() -> None:
    op.execute(f"GRANT UPDATE (expires_at) ON owner_invitations TO {_app_role()}")


def downgrade() -> None:
    op.execute(f"REVOKE UPDATE (expires_at) ON owner_invitations FROM {_app_role()}")
