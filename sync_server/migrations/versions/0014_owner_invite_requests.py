"""Owners invited from a register's back office: the register's request key on the invitation,
and a per-shop limit on invitations.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05

- `owner_invitations.request_key`: the idempotency key a register sends with
  `POST /v1/owners/invitations`, unique per shop (`tenant_id` leads the index, the Citus rule),
  so a resend of the same request finds the invitation it made instead of mailing a second
  link; `device_id` says which register asked (NULL when the CLI invited). The application
  role may read and insert both.
- `guess_counts` learns one kind: invitations per shop (`owner_invite`).
"""

from alembic import context, op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

GUESS_KINDS = ("pairing", "device_token", "console_account", "console_address")
NEW_GUESS_KINDS = ("owner_invite",)


def _guess_kinds(kinds: tuple[str, ...]) -> str:
    listed = ", ".join(f"'{kind}'" for kind in kinds)
    return (
        "ALTER TABLE guess_counts DROP CONSTRAINT guess_counts_kind_check, "
        f"ADD CONSTRAINT guess_counts_kind_check CHECK (kind IN ({listed}))"
    )


def _app_role() -> str:
    role = str(context.config.attributes.get("app_role", "pos_sync_app"))
    if not role.replace("_", "").isalnum():
        raise ValueError(f"application role name {role!r} is not a plain identifier")
    return role


def upgrade() -> None:
    op.execute(
        "ALTER TABLE owner_invitations ADD COLUMN request_key uuid, ADD COLUMN device_id uuid"
    )
    op.execute(
        "CREATE UNIQUE INDEX ux_owner_invitations_request "
        "ON owner_invitations (tenant_id, request_key) WHERE request_key IS NOT NULL"
    )
    op.execute(
        "GRANT SELECT (request_key, device_id), INSERT (request_key, device_id) "
        f"ON owner_invitations TO {_app_role()}"
    )
    op.execute(_guess_kinds((*GUESS_KINDS, *NEW_GUESS_KINDS)))


def downgrade() -> None:
    op.execute(
        "DELETE FROM guess_counts WHERE kind IN "
        f"({', '.join(repr(kind) for kind in NEW_GUESS_KINDS)})"
    )
    op.execute(_guess_kinds(GUESS_KINDS))
    op.execute("DROP INDEX IF EXISTS ux_owner_invitations_request")
    op.execute("ALTER TABLE owner_invitations DROP COLUMN device_id, DROP COLUMN request_key")
