"""Billing webhooks: the platform's own Stripe events, payment state and dunning emails.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05

- `stripe_events.source`: `shop` (a shop's own endpoint, signed with its secret) or `platform`
  (the platform's endpoint, signed with `SYNC_BILLING_WEBHOOK_SECRET`). Only a platform event
  may touch a fee invoice: a shop controls its own Stripe account and could send anything.
- `billing_invoices.paid_at`, `first_failed_at`: when Stripe said it was paid, and the first
  failed payment (the start of the grace period, `billing.service.GRACE`).
- `billing_notices`: one owner email per `invoice.payment_failed` event (keyed by the event),
  sent at most once by the `send_billing_notice` job.
- `sync_defer_jobs` learns `send_billing_notice` (queue `notifications`).
"""

from alembic import context, op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

TENANT_POLICY = "tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid"

SCHEMA = """
ALTER TABLE stripe_events ADD COLUMN source text NOT NULL DEFAULT 'shop'
    CHECK (source IN ('shop', 'platform'));
ALTER TABLE billing_invoices ADD COLUMN paid_at timestamptz;
ALTER TABLE billing_invoices ADD COLUMN first_failed_at timestamptz;

CREATE TABLE billing_notices (
    tenant_id uuid NOT NULL,
    event_id text NOT NULL,
    invoice_id uuid NOT NULL,
    kind text NOT NULL CHECK (kind IN ('payment_failed')),
    to_address text,
    attempt_count integer NOT NULL DEFAULT 0,
    status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'sent',
                                                            'skipped', 'failed', 'unknown')),
    error text,
    created_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    PRIMARY KEY (tenant_id, event_id),
    FOREIGN KEY (tenant_id, invoice_id) REFERENCES billing_invoices (tenant_id, id)
);
"""


def _app_role() -> str:
    role = str(context.config.attributes.get("app_role", "pos_sync_app"))
    if not role.replace("_", "").isalnum():
        raise ValueError(f"application role name {role!r} is not a plain identifier")
    return role


def _defer_jobs(tasks: dict[str, str]) -> str:
    cases = "\n".join(f"        WHEN '{task}' THEN '{queue}'" for task, queue in tasks.items())
    return f"""
CREATE OR REPLACE FUNCTION sync_defer_jobs(p_task text, p_args jsonb[]) RETURNS bigint[]
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_queue text;
BEGIN
    v_queue := CASE p_task
{cases}
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
"""


DEFERRABLE = {
    "handle_stripe_event": "stripe",
    "send_notification": "notifications",
    "send_owner_invitation": "notifications",
}


def upgrade() -> None:
    role = _app_role()
    op.execute(SCHEMA)
    op.execute(
        "CREATE POLICY tenant_isolation ON billing_notices "
        f"USING ({TENANT_POLICY}) WITH CHECK ({TENANT_POLICY})"
    )
    op.execute("ALTER TABLE billing_notices ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE billing_notices FORCE ROW LEVEL SECURITY")
    op.execute(f"GRANT SELECT, INSERT, UPDATE ON billing_notices TO {role}")
    op.execute(_defer_jobs({**DEFERRABLE, "send_billing_notice": "notifications"}))


def downgrade() -> None:
    op.execute(_defer_jobs(DEFERRABLE))
    op.execute("DROP TABLE IF EXISTS billing_notices")
    op.execute("ALTER TABLE billing_invoices DROP COLUMN IF EXISTS first_failed_at")
    op.execute("ALTER TABLE billing_invoices DROP COLUMN IF EXISTS paid_at")
    op.execute("ALTER TABLE stripe_events DROP COLUMN IF EXISTS source")
