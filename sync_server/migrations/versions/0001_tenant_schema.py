"""Tenant schema: every table keyed by tenant_id, row-level security forced, an app role owning nothing.

Revision ID: 0001
Revises:
Create Date: 2026-11-27

Layout rules (they keep the Citus door open: distribute every tenant table by tenant_id):
- `tenant_id` leads every primary key and every foreign key; no foreign key crosses tenants.
- Row-level security is ENABLED and FORCED on every tenant table; the policy compares
  `tenant_id` with the transaction-local setting `app.tenant_id` (unset → no rows, no writes).
- The application role owns nothing and holds only SELECT/INSERT/UPDATE grants. Tables it must
  not read at all (token and pairing-code hashes) are reached through two SECURITY DEFINER
  functions that answer exactly one question each.
"""

import re

from alembic import context, op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TENANT_POLICY = "tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid"

SCHEMA = """
CREATE TABLE tenants (
    id uuid PRIMARY KEY,
    slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    name text NOT NULL,
    currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    timezone text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Devices (registers) and their token hashes --------------------------------------------------
CREATE TABLE devices (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL,
    name text NOT NULL,
    acknowledged_seq bigint NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz,
    revoked_at timestamptz,
    PRIMARY KEY (tenant_id, id)
);

-- Looked up by hash before the tenant is known: only through sync_authenticate().
CREATE TABLE device_tokens (
    token_hash bytea PRIMARY KEY,
    tenant_id uuid NOT NULL,
    device_id uuid NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz,
    FOREIGN KEY (tenant_id, device_id) REFERENCES devices (tenant_id, id)
);
CREATE INDEX ix_device_tokens_device ON device_tokens (tenant_id, device_id);

-- One-time pairing codes: only through sync_pair_device().
CREATE TABLE pairing_codes (
    code_hash bytea PRIMARY KEY,
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at timestamptz
);
CREATE INDEX ix_pairing_codes_tenant ON pairing_codes (tenant_id);

-- Catalog and staff: last writer wins by updated_at --------------------------------------------
CREATE TABLE categories (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL,
    name text NOT NULL,
    position integer NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL,
    origin_device_id uuid,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE products (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL,
    sku text NOT NULL,
    name text NOT NULL,
    category_id uuid,
    barcode text,
    price_minor bigint NOT NULL CHECK (price_minor >= 0),
    currency char(3) NOT NULL,
    tax_rate_ppm integer NOT NULL CHECK (tax_rate_ppm BETWEEN 0 AND 1000000),
    active boolean NOT NULL,
    track_stock boolean NOT NULL,
    updated_at timestamptz NOT NULL,
    origin_device_id uuid,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE modifier_groups (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL,
    name text NOT NULL,
    min_choices integer NOT NULL,
    max_choices integer NOT NULL,
    modifiers jsonb NOT NULL,
    product_ids jsonb NOT NULL,
    updated_at timestamptz NOT NULL,
    origin_device_id uuid,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE staff (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL,
    name text NOT NULL,
    role text NOT NULL,
    pin_hash text NOT NULL,
    active boolean NOT NULL,
    updated_at timestamptz NOT NULL,
    origin_device_id uuid,
    PRIMARY KEY (tenant_id, id)
);

-- The 86 list: products the kitchen has run out of. The id is the product's id.
CREATE TABLE eighty_six (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL,
    unavailable boolean NOT NULL,
    reason text,
    updated_at timestamptz NOT NULL,
    origin_device_id uuid,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE customers (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL,
    name text,
    email text,
    phone text,
    email_consent boolean NOT NULL,
    sms_consent boolean NOT NULL,
    created_at timestamptz NOT NULL,
    version_at timestamptz NOT NULL,
    origin_device_id uuid,
    PRIMARY KEY (tenant_id, id)
);

-- Sales: a paid order is immutable ---------------------------------------------------------------
CREATE TABLE orders (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL,
    device_id uuid NOT NULL,
    number integer NOT NULL,
    register_id uuid NOT NULL,
    status text NOT NULL CHECK (status IN ('paid', 'voided')),
    currency char(3) NOT NULL,
    tax_mode text NOT NULL,
    subtotal_minor bigint NOT NULL,
    line_discount_minor bigint NOT NULL,
    order_discount_minor bigint NOT NULL,
    tax_minor bigint NOT NULL,
    total_minor bigint NOT NULL CHECK (total_minor >= 0),
    tip_minor bigint NOT NULL CHECK (tip_minor >= 0),
    created_at timestamptz NOT NULL,
    paid_at timestamptz,
    voided_at timestamptz,
    void_reason text,
    staff_id uuid,
    shift_id uuid,
    customer_id uuid,
    content_hash bytea NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CHECK ((status = 'paid') = (paid_at IS NOT NULL))
);
CREATE INDEX ix_orders_paid_at ON orders (tenant_id, paid_at);

CREATE TABLE order_lines (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    order_id uuid NOT NULL,
    position integer NOT NULL,
    product_id uuid,
    category_id uuid,
    sku text NOT NULL,
    name text NOT NULL,
    quantity integer NOT NULL CHECK (quantity > 0),
    unit_price_minor bigint NOT NULL,
    tax_rate_ppm integer NOT NULL,
    gross_minor bigint NOT NULL,
    line_discount_minor bigint NOT NULL,
    order_discount_minor bigint NOT NULL,
    net_minor bigint NOT NULL,
    tax_minor bigint NOT NULL,
    total_minor bigint NOT NULL,
    note text NOT NULL DEFAULT '',
    modifiers jsonb NOT NULL DEFAULT '[]',
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);
CREATE INDEX ix_order_lines_order ON order_lines (tenant_id, order_id);

CREATE TABLE tenders (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    order_id uuid NOT NULL,
    kind text NOT NULL CHECK (kind IN ('cash', 'card')),
    amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
    tip_minor bigint NOT NULL CHECK (tip_minor >= 0),
    tendered_minor bigint NOT NULL,
    change_minor bigint NOT NULL,
    card_brand text,
    card_last4 char(4) CHECK (card_last4 ~ '^[0-9]{4}$'),
    payment_id uuid,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);
CREATE INDEX ix_tenders_order ON tenders (tenant_id, order_id);

CREATE TABLE payments (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL,
    order_id uuid NOT NULL,
    gateway text NOT NULL,
    gateway_payment_id text,
    gateway_charge_id text,
    status text NOT NULL,
    amount_minor bigint NOT NULL,
    tip_minor bigint NOT NULL,
    currency char(3) NOT NULL,
    card_brand text,
    card_last4 char(4) CHECK (card_last4 ~ '^[0-9]{4}$'),
    captured_minor bigint NOT NULL,
    refunded_minor bigint NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX ix_payments_charge ON payments (tenant_id, gateway_charge_id);

CREATE TABLE refunds (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    order_id uuid NOT NULL,
    device_id uuid NOT NULL,
    amount_minor bigint NOT NULL CHECK (amount_minor > 0),
    tax_minor bigint NOT NULL CHECK (tax_minor >= 0),
    reason text NOT NULL,
    status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    created_at timestamptz NOT NULL,
    staff_id uuid,
    approved_by_id uuid,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);
CREATE INDEX ix_refunds_order ON refunds (tenant_id, order_id);

CREATE TABLE refund_lines (
    tenant_id uuid NOT NULL,
    refund_id uuid NOT NULL,
    line_id uuid NOT NULL,
    quantity integer NOT NULL CHECK (quantity > 0),
    amount_minor bigint NOT NULL,
    tax_minor bigint NOT NULL,
    PRIMARY KEY (tenant_id, refund_id, line_id),
    FOREIGN KEY (tenant_id, refund_id) REFERENCES refunds (tenant_id, id),
    FOREIGN KEY (tenant_id, line_id) REFERENCES order_lines (tenant_id, id)
);

CREATE TABLE refund_allocations (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    refund_id uuid NOT NULL,
    tender_id uuid,
    kind text NOT NULL,
    amount_minor bigint NOT NULL,
    status text NOT NULL,
    gateway_refund_id text,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, refund_id) REFERENCES refunds (tenant_id, id)
);

-- Stock, shifts, cash, customers, audit ----------------------------------------------------------
CREATE TABLE stock_movements (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL,
    device_id uuid NOT NULL,
    product_id uuid NOT NULL,
    quantity_delta integer NOT NULL,
    reason text NOT NULL CHECK (reason IN ('sale', 'refund', 'count', 'adjust')),
    order_id uuid,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE shifts (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL,
    register_id uuid NOT NULL,
    status text NOT NULL,
    opened_at timestamptz NOT NULL,
    opened_by_id uuid NOT NULL,
    opening_float_minor bigint NOT NULL,
    closed_at timestamptz,
    closed_by_id uuid,
    expected_cash_minor bigint,
    counted_cash_minor bigint,
    over_short_minor bigint,
    version_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE cash_movements (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL,
    shift_id uuid NOT NULL,
    kind text NOT NULL,
    amount_minor bigint NOT NULL,
    reason text NOT NULL,
    staff_id uuid NOT NULL,
    approved_by_id uuid,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE audit_entries (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL,
    device_id uuid NOT NULL,
    at timestamptz NOT NULL,
    action text NOT NULL,
    staff_id uuid,
    approved_by_id uuid,
    order_id uuid,
    details jsonb NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

-- Disputes (Stripe webhooks fill these in a later issue) ------------------------------------------
CREATE TABLE disputes (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id text NOT NULL,
    order_id uuid,
    charge_id text,
    amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
    currency char(3) NOT NULL,
    reason text NOT NULL,
    status text NOT NULL,
    evidence_due_by timestamptz,
    fee_minor bigint NOT NULL DEFAULT 0,
    outcome text,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

-- Every accepted status change of a dispute: `fees verify` replays these.
CREATE TABLE dispute_events (
    tenant_id uuid NOT NULL,
    id bigint GENERATED ALWAYS AS IDENTITY,
    dispute_id text NOT NULL,
    status text NOT NULL,
    amount_minor bigint NOT NULL,
    currency char(3) NOT NULL,
    at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, dispute_id) REFERENCES disputes (tenant_id, id)
);

-- Sync bookkeeping -------------------------------------------------------------------------------
-- One row per pullable entity, moved forward (new xid) each time the entity changes. Pull reads
-- rows whose transaction is older than the oldest one still running, ordered by
-- (xid, entity, entity_id): a transaction that commits late can never land behind a cursor.
CREATE TABLE sync_changes (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    entity text NOT NULL,
    entity_id text NOT NULL,
    xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
    origin_device_id uuid,
    PRIMARY KEY (tenant_id, entity, entity_id)
);
CREATE INDEX ix_sync_changes_cursor ON sync_changes (tenant_id, xid, entity, entity_id);

-- Changes the server refused to apply but acknowledged (an edit of a paid order, ...).
CREATE TABLE sync_conflicts (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id bigint GENERATED ALWAYS AS IDENTITY,
    device_id uuid NOT NULL,
    seq bigint NOT NULL,
    entity text NOT NULL,
    entity_id uuid NOT NULL,
    reason text NOT NULL,
    data jsonb NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);

-- Fees ---------------------------------------------------------------------------------------------
CREATE TABLE fee_rates (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    effective_from date NOT NULL,
    rate_bps integer NOT NULL CHECK (rate_bps BETWEEN 0 AND 10000),
    PRIMARY KEY (tenant_id, effective_from)
);

-- Platform-wide billing months; closed months form a prefix (closing M closes all before it).
CREATE TABLE fee_periods (
    period char(7) PRIMARY KEY CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    closed_at timestamptz NOT NULL DEFAULT now()
);

-- The fee ledger: one row per revenue / refund / chargeback event, written with the merge.
CREATE TABLE fee_ledger (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id bigint GENERATED ALWAYS AS IDENTITY,
    kind text NOT NULL CHECK (kind IN ('sale', 'refund', 'chargeback')),
    source_id text NOT NULL,
    currency char(3) NOT NULL,
    sku text NOT NULL,
    name text NOT NULL,
    natural_period char(7) NOT NULL,
    billing_period char(7) NOT NULL,
    amount_minor bigint NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX ix_fee_ledger_statement ON fee_ledger
    (tenant_id, billing_period, currency, kind, sku, name)
    INCLUDE (natural_period, amount_minor);
-- Only refunds and chargebacks are looked up by source (a sale is written once, never revised).
CREATE INDEX ix_fee_ledger_source ON fee_ledger (tenant_id, kind, source_id) WHERE kind <> 'sale';
CREATE INDEX ix_fee_ledger_period ON fee_ledger (billing_period);

CREATE TABLE fee_statements (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    period char(7) NOT NULL,
    currency char(3) NOT NULL,
    rate_bps integer NOT NULL,
    gross_minor bigint NOT NULL,
    refunds_minor bigint NOT NULL,
    chargebacks_minor bigint NOT NULL,
    net_minor bigint NOT NULL,
    fee_minor bigint NOT NULL,
    adjustments_minor bigint NOT NULL,
    closed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, period, currency)
);

CREATE TABLE fee_statement_lines (
    tenant_id uuid NOT NULL,
    period char(7) NOT NULL,
    currency char(3) NOT NULL,
    sku text NOT NULL,
    name text NOT NULL,
    gross_minor bigint NOT NULL,
    refunds_minor bigint NOT NULL,
    chargebacks_minor bigint NOT NULL,
    net_minor bigint NOT NULL,
    fee_minor bigint NOT NULL,
    PRIMARY KEY (tenant_id, period, currency, sku, name),
    FOREIGN KEY (tenant_id, period, currency) REFERENCES fee_statements (tenant_id, period, currency)
);

-- Token and pairing-code look-ups run before the tenant is known. Rather than give the app role
-- any view of the hash tables, each question is one SECURITY DEFINER function owned by the
-- schema owner (BYPASSRLS): given a hash, it answers (tenant, device) or claims a code, nothing else.
CREATE FUNCTION sync_authenticate(p_token_hash bytea)
RETURNS TABLE (tenant_id uuid, device_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT t.tenant_id, t.device_id FROM public.device_tokens t
    WHERE t.token_hash = p_token_hash AND t.revoked_at IS NULL
$$;

CREATE FUNCTION sync_pair_device(
    p_code_hash bytea, p_device_id uuid, p_device_name text, p_token_hash bytea
) RETURNS uuid
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_tenant uuid;
BEGIN
    UPDATE public.pairing_codes SET used_at = now()
    WHERE code_hash = p_code_hash AND used_at IS NULL AND expires_at > now()
    RETURNING tenant_id INTO v_tenant;
    IF v_tenant IS NULL THEN
        RETURN NULL;
    END IF;
    INSERT INTO public.devices (tenant_id, id, name) VALUES (v_tenant, p_device_id, p_device_name);
    INSERT INTO public.device_tokens (token_hash, tenant_id, device_id)
    VALUES (p_token_hash, v_tenant, p_device_id);
    RETURN v_tenant;
END
$$;
REVOKE ALL ON FUNCTION sync_authenticate(bytea) FROM PUBLIC;
REVOKE ALL ON FUNCTION sync_pair_device(bytea, uuid, text, bytea) FROM PUBLIC;
"""

TENANT_TABLES = (
    "devices", "device_tokens", "pairing_codes", "categories", "products", "modifier_groups",
    "staff", "eighty_six", "customers", "orders", "order_lines", "tenders", "payments", "refunds",
    "refund_lines", "refund_allocations", "stock_movements", "shifts", "cash_movements",
    "audit_entries", "disputes", "dispute_events", "sync_changes", "sync_conflicts", "fee_rates",
    "fee_ledger", "fee_statements", "fee_statement_lines",
)  # fmt: skip

# What the application role may do. Nothing is deleted by the service; nothing else is granted.
APP_GRANTS = {
    "tenants": "SELECT",
    "devices": "SELECT, UPDATE",
    "categories": "SELECT, INSERT, UPDATE",
    "products": "SELECT, INSERT, UPDATE",
    "modifier_groups": "SELECT, INSERT, UPDATE",
    "staff": "SELECT, INSERT, UPDATE",
    "eighty_six": "SELECT, INSERT, UPDATE",
    "customers": "SELECT, INSERT, UPDATE",
    "orders": "SELECT, INSERT",
    "order_lines": "SELECT, INSERT",
    "tenders": "SELECT, INSERT",
    "payments": "SELECT, INSERT, UPDATE",
    "refunds": "SELECT, INSERT, UPDATE",
    "refund_lines": "SELECT, INSERT",
    "refund_allocations": "SELECT, INSERT, UPDATE",
    "stock_movements": "SELECT, INSERT",
    "shifts": "SELECT, INSERT, UPDATE",
    "cash_movements": "SELECT, INSERT",
    "audit_entries": "SELECT, INSERT",
    "disputes": "SELECT, INSERT, UPDATE",
    "dispute_events": "SELECT, INSERT",
    "sync_changes": "SELECT, INSERT, UPDATE",
    "sync_conflicts": "SELECT, INSERT",
    "fee_rates": "SELECT",
    "fee_periods": "SELECT",
    "fee_ledger": "SELECT, INSERT",
    "fee_statements": "SELECT",
    "fee_statement_lines": "SELECT",
}

_ROLE_RE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _app_role() -> tuple[str, str | None]:
    attributes = context.config.attributes
    role = str(attributes.get("app_role", "pos_sync_app"))
    if not _ROLE_RE.match(role):
        raise ValueError(f"application role name {role!r} is not a plain identifier")
    password = attributes.get("app_role_password")
    return role, None if password is None else str(password)


def upgrade() -> None:
    role, password = _app_role()
    op.execute(
        "DO $$ BEGIN IF NOT (SELECT rolsuper OR rolbypassrls FROM pg_roles "
        "WHERE rolname = current_user) THEN RAISE EXCEPTION "
        "'migrations must run as the schema owner with BYPASSRLS (or a superuser)'; "
        "END IF; END $$"
    )
    op.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
    op.execute(SCHEMA)
    op.execute(
        "CREATE POLICY tenant_isolation ON tenants USING "
        "(id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)"
    )
    op.execute("ALTER TABLE tenants ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE tenants FORCE ROW LEVEL SECURITY")
    for table in TENANT_TABLES:
        op.execute(
            f"CREATE POLICY tenant_isolation ON {table} "
            f"USING ({TENANT_POLICY}) WITH CHECK ({TENANT_POLICY})"
        )
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")

    op.execute(
        f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') THEN "
        f"CREATE ROLE {role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS; "
        f"END IF; END $$"
    )
    if password is not None:
        escaped = password.replace("'", "''")
        op.execute(f"ALTER ROLE {role} PASSWORD '{escaped}'")
    op.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
    for table, privileges in APP_GRANTS.items():
        op.execute(f"GRANT {privileges} ON {table} TO {role}")
    op.execute(f"GRANT EXECUTE ON FUNCTION sync_authenticate(bytea) TO {role}")
    op.execute(f"GRANT EXECUTE ON FUNCTION sync_pair_device(bytea, uuid, text, bytea) TO {role}")


def downgrade() -> None:
    role, _ = _app_role()
    op.execute("DROP FUNCTION IF EXISTS sync_pair_device(bytea, uuid, text, bytea)")
    op.execute("DROP FUNCTION IF EXISTS sync_authenticate(bytea)")
    for table in (*reversed(TENANT_TABLES), "fee_periods", "tenants"):
        op.execute(f"DROP TABLE IF EXISTS {table} CASCADE")
    op.execute(f"REVOKE USAGE ON SCHEMA public FROM {role}")
