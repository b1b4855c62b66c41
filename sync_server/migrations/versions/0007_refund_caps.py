"""Refund caps: what a lost dispute claims of its order, the revenue it takes out of the fee
base, shops whose month close is held, and two reconciliation flags (`over_refund`,
`card_amount_mismatch`).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05
"""

from alembic import context, op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_KINDS = (
    "uncaptured_authorization", "unsynced_payment", "external_refund", "unmatched_refund",
    "failed_refund",
)  # fmt: skip
_NEW_KINDS = ("over_refund", "card_amount_mismatch")
TENANT_POLICY = "tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid"


def _app_role() -> str:
    role = str(context.config.attributes.get("app_role", "pos_sync_app"))
    if not role.replace("_", "").isalnum():
        raise ValueError(f"application role name {role!r} is not a plain identifier")
    return role


def _check(kinds: tuple[str, ...]) -> str:
    listed = ", ".join(f"'{kind}'" for kind in kinds)
    return (
        "ALTER TABLE reconciliation_flags DROP CONSTRAINT reconciliation_flags_kind_check, "
        f"ADD CONSTRAINT reconciliation_flags_kind_check CHECK (kind IN ({listed}))"
    )


def upgrade() -> None:
    op.execute(_check((*_KINDS, *_NEW_KINDS)))
    # The part of its order's paid amount a lost dispute takes (0 unless lost and linked):
    # refunds and disputes of one order never claim more than was paid together.
    op.execute("ALTER TABLE disputes ADD COLUMN claimed_minor bigint NOT NULL DEFAULT 0")
    # The product revenue the dispute takes out of the fee base in this state (NULL on events
    # written before this revision: the whole amount when lost, as the rule was then).
    op.execute("ALTER TABLE dispute_events ADD COLUMN fee_base_minor bigint")
    # A shop whose ledger disagreed with the recomputation when its month was closed keeps
    # that month (and the later ones) open until `fees close-period --tenant` succeeds. The
    # application role reads its own shop's holds (a push bills into the shop's first open
    # month); only the admin role writes them.
    op.execute(
        "CREATE TABLE fee_holds ("
        " tenant_id uuid NOT NULL REFERENCES tenants (id),"
        " period char(7) NOT NULL,"
        " reason text NOT NULL,"
        " held_at timestamptz NOT NULL DEFAULT now(),"
        " PRIMARY KEY (tenant_id, period))"
    )
    op.execute(
        f"CREATE POLICY tenant_isolation ON fee_holds USING ({TENANT_POLICY}) "
        f"WITH CHECK ({TENANT_POLICY})"
    )
    op.execute("ALTER TABLE fee_holds ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE fee_holds FORCE ROW LEVEL SECURITY")
    op.execute(f"GRANT SELECT ON fee_holds TO {_app_role()}")


def downgrade() -> None:
    op.execute("DROP TABLE fee_holds")
    op.execute("ALTER TABLE dispute_events DROP COLUMN fee_base_minor")
    op.execute("ALTER TABLE disputes DROP COLUMN claimed_minor")
    kinds = ", ".join(f"'{kind}'" for kind in _NEW_KINDS)
    op.execute(f"DELETE FROM reconciliation_flags WHERE kind IN ({kinds})")
    op.execute(_check(_KINDS))
