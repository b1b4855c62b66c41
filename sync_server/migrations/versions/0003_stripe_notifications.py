"""Stripe webhooks (inbox, object versions, Stripe's view of payments and refunds),
reconciliation flags, customer notifications, and the job-enqueue function.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04

Two SECURITY DEFINER functions keep the application role away from what it must not touch:

- `stripe_webhook_check(slug, signed_payload, signatures)`: a webhook signing secret has to be
  usable in clear to check an HMAC, so it cannot be stored hashed like device tokens. It sits
  in `stripe_accounts`, which the application role cannot read at all; the check runs inside
  PostgreSQL (HMAC-SHA256 built on the core `sha256()`, no extension) and answers only
  "which tenant, is the signature valid". A compromised web process can therefore not read the
  secrets out and keep forging webhooks after the hole is closed. Encrypting them with a key
  the web process holds would not give that: the process could decrypt them.
- `sync_defer_jobs(task, args[])`: the application role enqueues background jobs in the same
  transaction as the rows they handle (webhook inbox, pushed notifications), without any
  grant on procrastinate's tables, for two task names only and only for its own tenant.
"""

from alembic import context, op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TENANT_POLICY = "tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid"

SCHEMA = """
-- Admin only (no grant to the application role): see stripe_webhook_check().
CREATE TABLE stripe_accounts (
    tenant_id uuid PRIMARY KEY REFERENCES tenants (id),
    webhook_secret text NOT NULL CHECK (webhook_secret ~ '^whsec_[A-Za-z0-9_]{8,200}$'),
    account_id text CHECK (account_id ~ '^acct_[A-Za-z0-9]{1,64}$'),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- The inbox: every verified event once (a redelivery hits the primary key and is ignored).
CREATE TABLE stripe_events (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id text NOT NULL,
    type text NOT NULL,
    object_id text,
    created_at timestamptz NOT NULL,
    payload jsonb NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    processed_at timestamptz,
    outcome text,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX ix_stripe_events_unprocessed ON stripe_events (tenant_id, received_at)
    WHERE processed_at IS NULL;

-- The newest state applied per Stripe object: an event carrying an older one changes nothing,
-- so duplicated and out-of-order deliveries end in the same state.
CREATE TABLE stripe_object_versions (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    object_id text NOT NULL,
    version bigint[] NOT NULL,
    event_id text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, object_id)
);

-- Stripe's view of card payments, from payment_intent.* (status) and charge.* events.
CREATE TABLE stripe_payments (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    payment_intent_id text NOT NULL,
    status text,
    charge_id text,
    charge_status text,
    captured boolean,
    amount_minor bigint NOT NULL,
    captured_minor bigint NOT NULL DEFAULT 0,
    refunded_minor bigint NOT NULL DEFAULT 0,
    currency char(3) NOT NULL,
    card_brand text,
    card_last4 text,
    order_id uuid,
    metadata jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, payment_intent_id)
);
CREATE INDEX ix_stripe_payments_charge ON stripe_payments (tenant_id, charge_id);
CREATE INDEX ix_stripe_payments_order ON stripe_payments (tenant_id, order_id);

-- Stripe's refunds. A register's own carry its refund id in metadata (it pushes them itself);
-- the others were made outside the register and are booked as refunds by the server.
CREATE TABLE stripe_refunds (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id text NOT NULL,
    payment_intent_id text,
    charge_id text,
    amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
    currency char(3) NOT NULL,
    status text NOT NULL,
    reason text,
    metadata jsonb NOT NULL DEFAULT '{}',
    register_refund_id uuid,
    booked_refund_id uuid,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE reconciliation_flags (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id bigint GENERATED ALWAYS AS IDENTITY,
    kind text NOT NULL CHECK (kind IN ('uncaptured_authorization', 'unsynced_payment',
                                       'external_refund', 'unmatched_refund')),
    object_id text NOT NULL,
    order_id uuid,
    amount_minor bigint,
    currency char(3),
    detail text NOT NULL,
    first_seen_at timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    resolved_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, kind, object_id)
);

-- Customer notifications queued by registers (insert-once), sent by the worker.
CREATE TABLE notifications (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL,
    device_id uuid NOT NULL,
    order_id uuid,
    kind text NOT NULL CHECK (kind IN ('receipt', 'order_received', 'order_ready',
                                       'order_cancelled', 'order_refunded')),
    channel text NOT NULL CHECK (channel IN ('email', 'sms')),
    to_address text NOT NULL,
    customer_id uuid,
    consent boolean NOT NULL,
    locale text NOT NULL,
    created_at timestamptz NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'sent',
                                                            'skipped', 'failed', 'unknown')),
    attempts integer NOT NULL DEFAULT 0,
    last_error text,
    provider_message_id text,
    sending_started_at timestamptz,
    finished_at timestamptz,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX ix_notifications_status ON notifications (tenant_id, status);

CREATE TABLE notification_opt_outs (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    channel text NOT NULL CHECK (channel IN ('email', 'sms')),
    address text NOT NULL,
    source text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, channel, address)
);

-- Why a job attempt failed (procrastinate keeps statuses, not errors): `sync-server jobs dead`.
CREATE TABLE job_errors (
    job_id bigint NOT NULL REFERENCES procrastinate_jobs (id) ON DELETE CASCADE,
    attempt integer NOT NULL,
    task_name text NOT NULL,
    error text NOT NULL,
    at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (job_id, attempt)
);

-- HMAC-SHA256 (RFC 2104) on the core sha256(): no extension to install.
CREATE FUNCTION sync_hmac_sha256(p_key bytea, p_message bytea) RETURNS bytea
LANGUAGE plpgsql IMMUTABLE STRICT SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_key bytea := p_key;
    v_inner bytea;
    v_outer bytea;
BEGIN
    IF length(v_key) > 64 THEN
        v_key := sha256(v_key);
    END IF;
    v_key := v_key || decode(repeat('00', 64 - length(v_key)), 'hex');
    v_inner := v_key;
    v_outer := v_key;
    FOR i IN 0..63 LOOP
        v_inner := set_byte(v_inner, i, get_byte(v_key, i) # 54);  -- 0x36
        v_outer := set_byte(v_outer, i, get_byte(v_key, i) # 92);  -- 0x5c
    END LOOP;
    RETURN sha256(v_outer || sha256(v_inner || p_message));
END
$$;
REVOKE ALL ON FUNCTION sync_hmac_sha256(bytea, bytea) FROM PUBLIC;

-- No row: no such tenant. has_secret false: the tenant has no webhook secret yet. Signatures
-- are compared as HMACs of themselves, so the comparison's timing says nothing useful.
CREATE FUNCTION stripe_webhook_check(
    p_slug text, p_signed_payload bytea, p_signatures bytea[]
) RETURNS TABLE (tenant_id uuid, has_secret boolean, valid boolean, account_id text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_tenant uuid;
    v_secret bytea;
    v_account text;
    v_expected bytea;
    v_signature bytea;
BEGIN
    SELECT t.id INTO v_tenant FROM public.tenants t WHERE t.slug = p_slug;
    IF v_tenant IS NULL THEN
        RETURN;
    END IF;
    SELECT convert_to(a.webhook_secret, 'UTF8'), a.account_id INTO v_secret, v_account
    FROM public.stripe_accounts a WHERE a.tenant_id = v_tenant;
    IF v_secret IS NULL THEN
        RETURN QUERY SELECT v_tenant, false, false, NULL::text;
        RETURN;
    END IF;
    v_expected := public.sync_hmac_sha256(v_secret, public.sync_hmac_sha256(v_secret, p_signed_payload));
    FOREACH v_signature IN ARRAY coalesce(p_signatures, '{}') LOOP
        IF public.sync_hmac_sha256(v_secret, v_signature) = v_expected THEN
            RETURN QUERY SELECT v_tenant, true, true, v_account;
            RETURN;
        END IF;
    END LOOP;
    RETURN QUERY SELECT v_tenant, true, false, v_account;
END
$$;
REVOKE ALL ON FUNCTION stripe_webhook_check(text, bytea, bytea[]) FROM PUBLIC;

-- Enqueue jobs in the caller's transaction. Only the tasks the application starts, only for
-- the tenant the transaction is scoped to.
CREATE FUNCTION sync_defer_jobs(p_task text, p_args jsonb[]) RETURNS bigint[]
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_queue text;
BEGIN
    v_queue := CASE p_task
        WHEN 'handle_stripe_event' THEN 'stripe'
        WHEN 'send_notification' THEN 'notifications'
    END;
    IF v_queue IS NULL THEN
        RAISE EXCEPTION 'task % cannot be deferred by the application', p_task;
    END IF;
    IF EXISTS (
        SELECT 1 FROM unnest(p_args) AS a
        WHERE a->>'tenant_id' IS DISTINCT FROM current_setting('app.tenant_id', true)
    ) THEN
        RAISE EXCEPTION 'jobs can only be deferred for the tenant of the transaction';
    END IF;
    RETURN procrastinate_defer_jobs_v1(ARRAY(
        SELECT ROW(v_queue, p_task, 0, NULL, NULL, a, NULL)::procrastinate_job_to_defer_v1
        FROM unnest(p_args) AS a
    ));
END
$$;
REVOKE ALL ON FUNCTION sync_defer_jobs(text, jsonb[]) FROM PUBLIC;
"""

TENANT_TABLES = (
    "stripe_accounts", "stripe_events", "stripe_object_versions", "stripe_payments",
    "stripe_refunds", "reconciliation_flags", "notifications", "notification_opt_outs",
)  # fmt: skip

APP_GRANTS = {
    "stripe_events": "SELECT, INSERT, UPDATE",
    "stripe_object_versions": "SELECT, INSERT, UPDATE",
    "stripe_payments": "SELECT, INSERT, UPDATE",
    "stripe_refunds": "SELECT, INSERT, UPDATE",
    "reconciliation_flags": "SELECT, INSERT, UPDATE",
    "notifications": "SELECT, INSERT, UPDATE",
    "notification_opt_outs": "SELECT, INSERT",
}


def _app_role() -> str:
    role = str(context.config.attributes.get("app_role", "pos_sync_app"))
    if not role.replace("_", "").isalnum():
        raise ValueError(f"application role name {role!r} is not a plain identifier")
    return role


def upgrade() -> None:
    role = _app_role()
    op.execute(SCHEMA)
    for table in TENANT_TABLES:
        op.execute(
            f"CREATE POLICY tenant_isolation ON {table} "
            f"USING ({TENANT_POLICY}) WITH CHECK ({TENANT_POLICY})"
        )
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    for table, privileges in APP_GRANTS.items():
        op.execute(f"GRANT {privileges} ON {table} TO {role}")
    op.execute(
        f"GRANT EXECUTE ON FUNCTION stripe_webhook_check(text, bytea, bytea[]) TO {role}"
    )
    op.execute(f"GRANT EXECUTE ON FUNCTION sync_defer_jobs(text, jsonb[]) TO {role}")


def downgrade() -> None:
    op.execute("DROP FUNCTION IF EXISTS sync_defer_jobs(text, jsonb[])")
    op.execute("DROP FUNCTION IF EXISTS stripe_webhook_check(text, bytea, bytea[])")
    op.execute("DROP FUNCTION IF EXISTS sync_hmac_sha256(bytea, bytea)")
    for table in ("job_errors", *reversed(TENANT_TABLES)):
        op.execute(f"DROP TABLE IF EXISTS {table} CASCADE")
