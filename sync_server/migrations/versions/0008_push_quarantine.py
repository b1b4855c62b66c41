"""The push quarantine: changes the server refused (money that does not follow the pricing rule,
a reused child id, a time outside the shop's window, …), kept per shop with the change as it
came, the reason and the time. The register is told, marks them refused and shows the manager.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05
"""

from alembic import context, op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TENANT_POLICY = "tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid"

SCHEMA = """
CREATE TABLE push_quarantine (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id bigint GENERATED ALWAYS AS IDENTITY,
    device_id uuid NOT NULL,
    seq bigint NOT NULL,
    entity text NOT NULL,
    entity_id text NOT NULL,
    code text NOT NULL,
    field text NOT NULL,
    reason text NOT NULL,
    change text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX ix_push_quarantine_entity ON push_quarantine (tenant_id, entity, entity_id);
CREATE INDEX ix_push_quarantine_received ON push_quarantine (tenant_id, received_at);
"""


def _app_role() -> str:
    role = str(context.config.attributes.get("app_role", "pos_sync_app"))
    if not role.replace("_", "").isalnum():
        raise ValueError(f"application role name {role!r} is not a plain identifier")
    return role


def upgrade() -> None:
    op.execute(SCHEMA)
    op.execute(
        "CREATE POLICY tenant_isolation ON push_quarantine "
        f"USING ({TENANT_POLICY}) WITH CHECK ({TENANT_POLICY})"
    )
    op.execute("ALTER TABLE push_quarantine ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE push_quarantine FORCE ROW LEVEL SECURITY")
    # Insert-once evidence: the service never changes or deletes a refusal.
    op.execute(f"GRANT SELECT, INSERT ON push_quarantine TO {_app_role()}")


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS push_quarantine")
