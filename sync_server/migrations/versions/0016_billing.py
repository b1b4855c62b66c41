"""Billing: each closed month's fee becomes an invoice on the platform's own Stripe account.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05

- `billing_customers`: one Stripe Customer per shop, created once (the idempotency key is kept
  before the call, the customer id after it) with the owner's billing email.
- `billing_invoices`: one row per shop, closed month and currency (unique), made before any
  call to Stripe: our id (uuid7, also in the Stripe invoice's metadata), what the invoice asks
  (`charge_minor` in lines, `credit_minor` in a credit note), what came in and went out as
  carried amounts, where invoicing got to (`step`) and Stripe's view (`status`, attempts, next
  attempt, hosted page). `status` speaks Stripe's invoice states (draft, open, paid, void,
  uncollectible) plus ours: `pending` (not at Stripe yet), `zero` (nothing to bill), `carried`
  (below the minimum charge or a credit: moved to the next month). The payment webhooks of a
  later change move it between Stripe's states.
- `billing_credit_notes`: the credit note of an invoice (at most one), key kept before the call.
- `billing_carries`: amounts carried from one month to a later one (positive: below Stripe's
  minimum charge; negative: a credit larger than the month's fee), and which month took them.
- `billing_calls`: every call to Stripe, written (with its idempotency key) before it is made
  and marked answered after: what a crash interrupted is visible, and the retry reuses the key.

Tenant tables like every other: tenant_id leads each key, row-level security forced; the
application role (per-shop invoicing runs under it) reads and writes them.
"""

from alembic import context, op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

TENANT_POLICY = "tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid"
PERIOD = "CHECK ({column} ~ '^[0-9]{{4}}-(0[1-9]|1[0-2])$')"

SCHEMA = f"""
CREATE TABLE billing_customers (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    idempotency_key text NOT NULL,
    stripe_customer_id text,
    email text,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id),
    UNIQUE (tenant_id, stripe_customer_id)
);

CREATE TABLE billing_invoices (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL,
    period char(7) NOT NULL {PERIOD.format(column="period")},
    currency char(3) NOT NULL,
    fee_minor bigint NOT NULL,
    charge_minor bigint NOT NULL CHECK (charge_minor >= 0),
    credit_minor bigint NOT NULL CHECK (credit_minor >= 0),
    carried_in_minor bigint NOT NULL DEFAULT 0,
    carried_out_minor bigint NOT NULL DEFAULT 0,
    description text NOT NULL,
    status text NOT NULL CHECK (status IN (
        'pending', 'draft', 'open', 'paid', 'void', 'uncollectible', 'zero', 'carried')),
    step text NOT NULL CHECK (step IN (
        'planned', 'created', 'finalized', 'credited', 'collecting', 'done')),
    collection_method text CHECK (collection_method IN ('charge_automatically', 'send_invoice')),
    stripe_invoice_id text,
    hosted_invoice_url text,
    stripe_attempt_count integer NOT NULL DEFAULT 0,
    next_payment_attempt timestamptz,
    attempts integer NOT NULL DEFAULT 0,
    last_error text,
    next_retry_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, period, currency),
    UNIQUE (tenant_id, stripe_invoice_id),
    -- Zero and carried months never reach Stripe; the others ask for what they carry.
    CHECK ((status IN ('zero', 'carried')) = (charge_minor = 0 AND credit_minor = 0)),
    CHECK (status NOT IN ('zero', 'carried') OR step = 'done'),
    CHECK (credit_minor < charge_minor OR charge_minor = 0)
);

CREATE TABLE billing_credit_notes (
    tenant_id uuid NOT NULL,
    invoice_id uuid NOT NULL,
    amount_minor bigint NOT NULL CHECK (amount_minor > 0),
    memo text NOT NULL,
    idempotency_key text NOT NULL,
    stripe_credit_note_id text,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, invoice_id),
    UNIQUE (tenant_id, stripe_credit_note_id),
    FOREIGN KEY (tenant_id, invoice_id) REFERENCES billing_invoices (tenant_id, id)
);

CREATE TABLE billing_carries (
    tenant_id uuid NOT NULL,
    currency char(3) NOT NULL,
    from_period char(7) NOT NULL {PERIOD.format(column="from_period")},
    amount_minor bigint NOT NULL CHECK (amount_minor <> 0),
    reason text NOT NULL CHECK (reason IN ('below_minimum', 'credit')),
    into_period char(7) {PERIOD.format(column="into_period")},
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, currency, from_period),
    FOREIGN KEY (tenant_id, from_period, currency)
        REFERENCES billing_invoices (tenant_id, period, currency),
    CHECK (into_period IS NULL OR into_period > from_period)
);

CREATE TABLE billing_calls (
    tenant_id uuid NOT NULL,
    idempotency_key text NOT NULL,
    invoice_id uuid,
    action text NOT NULL,
    requested_at timestamptz NOT NULL DEFAULT now(),
    tries integer NOT NULL DEFAULT 1,
    answered_at timestamptz,
    outcome text,
    PRIMARY KEY (tenant_id, idempotency_key),
    FOREIGN KEY (tenant_id, invoice_id) REFERENCES billing_invoices (tenant_id, id)
);
"""

TABLES = (
    "billing_customers",
    "billing_invoices",
    "billing_credit_notes",
    "billing_carries",
    "billing_calls",
)


def _app_role() -> str:
    role = str(context.config.attributes.get("app_role", "pos_sync_app"))
    if not role.replace("_", "").isalnum():
        raise ValueError(f"application role name {role!r} is not a plain identifier")
    return role


def upgrade() -> None:
    role = _app_role()
    op.execute(SCHEMA)
    for table in TABLES:
        op.execute(
            f"CREATE POLICY tenant_isolation ON {table} "
            f"USING ({TENANT_POLICY}) WITH CHECK ({TENANT_POLICY})"
        )
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(f"GRANT SELECT, INSERT, UPDATE ON {table} TO {role}")


def downgrade() -> None:
    for table in reversed(TABLES):
        op.execute(f"DROP TABLE IF EXISTS {table}")
