"""Guessing limits shared by every server process; a webhook check that tells no shop names;
a job queue that says nothing on channels anyone can hear.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05

- `guess_counts`: pairing attempts and failed device tokens per client address, one fixed
  window per (kind, address), counted with one `INSERT … ON CONFLICT … DO UPDATE … RETURNING`
  (`kit/ratelimit.py`), so several `sync-server serve` processes share one limit. Platform-wide
  (no tenant, no row-level security: an address is not a shop's data); the application role may
  read and write it and nothing more. UNLOGGED: the counts live a minute, so writing them to
  the WAL would buy nothing but cost every failed call a flush; a crash or a fail-over forgets
  them, which only restarts the minute.
- `stripe_webhook_check` does the same work whether the shop exists, has a webhook secret or
  not: one look-up, then every HMAC with the shop's secret or, lacking one, a stand-in. The
  endpoint answers all three refusals alike (`stripe_webhooks.service.receive`), so neither the
  answer nor its timing tells which shop names exist.
- procrastinate's two triggers that `NOTIFY` on every queued job (and every abort request) are
  dropped. PostgreSQL asks no privilege for `LISTEN` or `NOTIFY`: any role that can connect,
  the application role included, hears every channel of the database and can send on it. So
  the queue's channels told the web process of every shop's jobs as they were queued, and a
  forged notification (one that is not JSON) stopped every worker listening on them. The worker
  no longer listens (`jobs.run_worker` polls the jobs table, which the application role cannot
  touch, every second) and nothing is sent on those channels. A later procrastinate migration
  that creates these triggers again must be followed by dropping them
  (`tests/sync_server/kit/test_job_queue_channels.py` fails otherwise).
"""

from alembic import context, op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

SCHEMA = """
CREATE UNLOGGED TABLE guess_counts (
    kind text NOT NULL CHECK (kind IN ('pairing', 'device_token')),
    client text NOT NULL CHECK (length(client) <= 64),
    window_start timestamptz NOT NULL,
    hits integer NOT NULL CHECK (hits > 0),
    PRIMARY KEY (kind, client)
);
"""

# A stand-in secret for a shop that has none: knowing it signs nothing, since `valid` also
# needs a real secret.
WEBHOOK_CHECK = """
CREATE OR REPLACE FUNCTION stripe_webhook_check(
    p_slug text, p_signed_payload bytea, p_signatures bytea[]
) RETURNS TABLE (tenant_id uuid, has_secret boolean, valid boolean, account_id text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_tenant uuid;
    v_secret bytea;
    v_key bytea;
    v_account text;
    v_expected bytea;
    v_signature bytea;
    v_matched boolean := false;
BEGIN
    SELECT t.id, convert_to(a.webhook_secret, 'UTF8'), a.account_id
    INTO v_tenant, v_secret, v_account
    FROM public.tenants t LEFT JOIN public.stripe_accounts a ON a.tenant_id = t.id
    WHERE t.slug = p_slug;
    v_key := coalesce(v_secret, convert_to('whsec_stand_in_for_no_secret_000000', 'UTF8'));
    v_expected := public.sync_hmac_sha256(v_key, public.sync_hmac_sha256(v_key, p_signed_payload));
    FOREACH v_signature IN ARRAY coalesce(p_signatures, '{}') LOOP
        IF public.sync_hmac_sha256(v_key, v_signature) = v_expected THEN
            v_matched := true;
        END IF;
    END LOOP;
    IF v_tenant IS NULL THEN
        RETURN;
    END IF;
    RETURN QUERY SELECT v_tenant, v_secret IS NOT NULL, v_matched AND v_secret IS NOT NULL,
        v_account;
END
$$;
"""

QUEUE_NOTIFY_TRIGGERS = """
CREATE TRIGGER procrastinate_jobs_notify_queue_job_inserted_v1
    AFTER INSERT ON procrastinate_jobs
    FOR EACH ROW WHEN ((new.status = 'todo'::procrastinate_job_status))
    EXECUTE PROCEDURE procrastinate_notify_queue_job_inserted_v1();
CREATE TRIGGER procrastinate_jobs_notify_queue_job_aborted_v1
    AFTER UPDATE OF abort_requested ON procrastinate_jobs
    FOR EACH ROW WHEN ((old.abort_requested = false AND new.abort_requested = true
        AND new.status = 'doing'::procrastinate_job_status))
    EXECUTE PROCEDURE procrastinate_notify_queue_abort_job_v1();
"""

# What 0003 made, for the downgrade.
WEBHOOK_CHECK_0003 = """
CREATE OR REPLACE FUNCTION stripe_webhook_check(
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
"""


def _app_role() -> str:
    role = str(context.config.attributes.get("app_role", "pos_sync_app"))
    if not role.replace("_", "").isalnum():
        raise ValueError(f"application role name {role!r} is not a plain identifier")
    return role


def upgrade() -> None:
    role = _app_role()
    op.execute(SCHEMA)
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON guess_counts TO {role}")
    op.execute(WEBHOOK_CHECK)  # CREATE OR REPLACE keeps the grants 0003 made
    op.execute(
        "DROP TRIGGER procrastinate_jobs_notify_queue_job_inserted_v1 ON procrastinate_jobs; "
        "DROP TRIGGER procrastinate_jobs_notify_queue_job_aborted_v1 ON procrastinate_jobs"
    )


def downgrade() -> None:
    op.execute(QUEUE_NOTIFY_TRIGGERS)
    op.execute(WEBHOOK_CHECK_0003)
    op.execute("DROP TABLE IF EXISTS guess_counts")
