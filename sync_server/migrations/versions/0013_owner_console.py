"""The owner's console manages the shop's registers: revoking one, and a new pairing code, as
the application role under the shop's row-level security.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05

Until now only `sync-server devices revoke / pair-code` (the admin role) did either. The
application role gets column grants for exactly what the two actions write, and never a hash:
- `device_tokens`: read the shop's rows' `tenant_id, device_id, revoked_at` (the UPDATE's WHERE
  and the row-level security policy name them) and set `revoked_at`. The token hashes stay
  unreadable; the look-up by hash stays `sync_authenticate`'s.
- `pairing_codes`: insert a code's hash with its shop and expiry. Reading codes back, or using
  one, stays `sync_pair_register`'s.
Row-level security (USING and WITH CHECK on `tenant_id`) keeps both to the owner's shop.
"""

from alembic import context, op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

GRANTS = (
    "GRANT SELECT (tenant_id, device_id, revoked_at), UPDATE (revoked_at) ON device_tokens",
    "GRANT INSERT (code_hash, tenant_id, expires_at) ON pairing_codes",
)
REVOKES = (
    "REVOKE SELECT (tenant_id, device_id, revoked_at), UPDATE (revoked_at) ON device_tokens",
    "REVOKE INSERT (code_hash, tenant_id, expires_at) ON pairing_codes",
)


def _app_role() -> str:
    role = str(context.config.attributes.get("app_role", "pos_sync_app"))
    if not role.replace("_", "").isalnum():
        raise ValueError(f"application role name {role!r} is not a plain identifier")
    return role


def upgrade() -> None:
    role = _app_role()
    for grant in GRANTS:
        op.execute(f"{grant} TO {role}")


def downgrade() -> None:
    role = _app_role()
    for revoke in REVOKES:
        op.execute(f"{revoke} FROM {role}")
