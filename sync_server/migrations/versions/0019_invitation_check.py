"""A set-password link is checked when its page is opened, without using it: a used or expired
link says so at once (410) instead of showing a form that can only fail.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05

`console_invitation_live(token_hash)`: whether the link is unused and unexpired. SECURITY
DEFINER like `console_claim_invitation` (the link comes before the shop is known, and the
application role reads no invitation hash); it returns a boolean only.
"""

from alembic import context, op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

FUNCTION = "console_invitation_live(bytea)"

SCHEMA = """
CREATE FUNCTION console_invitation_live(p_token_hash bytea) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT EXISTS (
        SELECT 1 FROM public.owner_invitations i
        WHERE i.token_hash = p_token_hash AND i.used_at IS NULL AND i.expires_at > now()
    )
$$;
"""


def _app_role() -> str:
    role = str(context.config.attributes.get("app_role", "pos_sync_app"))
    if not role.replace("_", "").isalnum():
        raise ValueError(f"application role name {role!r} is not a plain identifier")
    return role


def upgrade() -> None:
    op.execute(SCHEMA)
    op.execute(f"REVOKE ALL ON FUNCTION {FUNCTION} FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION {FUNCTION} TO {_app_role()}")


def downgrade() -> None:
    op.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}")
