"""Console accounts: shop owners (per shop), platform operators, one-time invitations, web
sessions, and sign-in guess limits.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05

- `owner_accounts`, `owner_invitations`, `owner_sessions` are tenant tables like every other
  (tenant_id leads each key, row-level security forced). The application role sees only their
  harmless columns (column grants): never a password hash, an invitation's token hash or a
  session's secret hash.
- `operator_accounts`, `operator_sessions` are platform-wide and the application role has no
  grant on them at all.
- Sign-in happens before the shop is known, so it goes through SECURITY DEFINER functions that
  answer one question each, like the device-token look-up. The stored password verifier never
  leaves the database: `console_sign_in_candidates` gives the scrypt *parameters and salt* for
  an email, the web process derives the key from the typed password, and
  `console_check_password` / `console_open_session` compare it inside PostgreSQL (both sides
  hashed first, so the comparison's timing says nothing). A compromised web process can only
  guess online, through the same counted path, not copy hashes away to crack them.
- An operator's TOTP secret is returned only to a caller that has just proved the password;
  `console_open_session` refuses a time step not newer than the last one used (no replay).
- `guess_counts` learns two kinds: failed console sign-ins per account and per client address.
- `sync_defer_jobs` learns one task, `send_owner_invitation` (queue `notifications`).
"""

from alembic import context, op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

TENANT_POLICY = "tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid"

EMAIL_CHECK = (
    "email = lower(btrim(email)) AND length(email) <= 254 AND email ~ '^[^@\\s]+@[^@\\s]+$'"
)

SCHEMA = f"""
CREATE TABLE owner_accounts (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL,
    email text NOT NULL CHECK ({EMAIL_CHECK}),
    password_hash text CHECK (password_hash ~ '^scrypt\\$'),
    password_set_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, email)
);
-- Sign-in looks an email up across shops (console_sign_in_candidates).
CREATE INDEX ix_owner_accounts_email ON owner_accounts (email);

-- One-time set-password links: only the HMAC of the token is kept.
CREATE TABLE owner_invitations (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    account_id uuid NOT NULL,
    token_hash bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at timestamptz,
    email_status text NOT NULL DEFAULT 'queued' CHECK (email_status IN (
        'queued', 'sending', 'sent', 'failed', 'unknown', 'skipped', 'printed')),
    email_attempts integer NOT NULL DEFAULT 0,
    email_error text,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, account_id) REFERENCES owner_accounts (tenant_id, id)
);
CREATE INDEX ix_owner_invitations_token ON owner_invitations (token_hash);
CREATE INDEX ix_owner_invitations_account ON owner_invitations (tenant_id, account_id);

CREATE TABLE owner_sessions (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    account_id uuid NOT NULL,
    secret_hash bytea NOT NULL,
    client text CHECK (length(client) <= 64),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, account_id) REFERENCES owner_accounts (tenant_id, id)
);
CREATE INDEX ix_owner_sessions_secret ON owner_sessions (secret_hash);
CREATE INDEX ix_owner_sessions_account ON owner_sessions (tenant_id, account_id)
    WHERE revoked_at IS NULL;

-- Platform-wide: no grant to the application role.
CREATE TABLE operator_accounts (
    id uuid PRIMARY KEY,
    email text NOT NULL UNIQUE CHECK ({EMAIL_CHECK}),
    password_hash text NOT NULL CHECK (password_hash ~ '^scrypt\\$'),
    totp_secret bytea,
    totp_last_step bigint,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE operator_sessions (
    id uuid PRIMARY KEY,
    account_id uuid NOT NULL REFERENCES operator_accounts (id),
    secret_hash bytea NOT NULL UNIQUE,
    client text CHECK (length(client) <= 64),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz
);
CREATE INDEX ix_operator_sessions_account ON operator_sessions (account_id)
    WHERE revoked_at IS NULL;

-- Accounts with a password for this email: which kind, shop and account, and the hash's
-- parameters and salt (everything but the derived key). Unknown email: no row.
CREATE FUNCTION console_sign_in_candidates(p_email text)
RETURNS TABLE (kind text, tenant_id uuid, shop text, account_id uuid, password_setting text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT 'operator', NULL::uuid, NULL::text, o.id,
           regexp_replace(o.password_hash, '\\$[^$]*$', '')
    FROM public.operator_accounts o WHERE o.email = lower(btrim(p_email))
    UNION ALL
    SELECT * FROM (
        SELECT 'owner', a.tenant_id, t.slug, a.id, regexp_replace(a.password_hash, '\\$[^$]*$', '')
        FROM public.owner_accounts a JOIN public.tenants t ON t.id = a.tenant_id
        WHERE a.email = lower(btrim(p_email)) AND a.password_hash IS NOT NULL
        ORDER BY t.slug LIMIT 20
    ) owners
$$;

-- Whether the derived key matches (compared as hashes of both): one row if it does, with the
-- operator's TOTP secret and last used step (NULL for owners and operators without one).
CREATE FUNCTION console_check_password(p_kind text, p_tenant uuid, p_account uuid, p_key text)
RETURNS TABLE (totp_secret bytea, totp_last_step bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT o.totp_secret, o.totp_last_step FROM public.operator_accounts o
    WHERE p_kind = 'operator' AND o.id = p_account
      AND sha256(convert_to(split_part(o.password_hash, '$', 4), 'UTF8'))
          = sha256(convert_to(coalesce(p_key, ''), 'UTF8'))
    UNION ALL
    SELECT NULL::bytea, NULL::bigint FROM public.owner_accounts a
    WHERE p_kind = 'owner' AND a.tenant_id = p_tenant AND a.id = p_account
      AND a.password_hash IS NOT NULL
      AND sha256(convert_to(split_part(a.password_hash, '$', 4), 'UTF8'))
          = sha256(convert_to(coalesce(p_key, ''), 'UTF8'))
$$;

-- Check the key again, then open a session (its secret's hash given); NULL when refused.
-- p_rehash: the same password hashed with newer parameters, stored in place of the old hash.
-- p_totp_step: the time step of the operator's accepted code (required when TOTP is on; must
-- be newer than the last one used).
CREATE FUNCTION console_open_session(
    p_kind text, p_tenant uuid, p_account uuid, p_key text, p_rehash text, p_totp_step bigint,
    p_session_id uuid, p_secret_hash bytea, p_client text, p_ttl_seconds integer
) RETURNS uuid
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_secret bytea;
    v_last bigint;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM public.console_check_password(p_kind, p_tenant, p_account, p_key))
    THEN
        RETURN NULL;
    END IF;
    IF p_rehash IS NOT NULL AND p_rehash !~ '^scrypt\\$' THEN
        RAISE EXCEPTION 'not a password hash';
    END IF;
    IF p_kind = 'operator' THEN
        SELECT totp_secret, totp_last_step INTO v_secret, v_last
        FROM public.operator_accounts WHERE id = p_account FOR UPDATE;
        IF v_secret IS NOT NULL THEN
            IF p_totp_step IS NULL OR p_totp_step <= coalesce(v_last, -1) THEN
                RETURN NULL;
            END IF;
            UPDATE public.operator_accounts SET totp_last_step = p_totp_step WHERE id = p_account;
        END IF;
        IF p_rehash IS NOT NULL THEN
            UPDATE public.operator_accounts SET password_hash = p_rehash WHERE id = p_account;
        END IF;
        INSERT INTO public.operator_sessions (id, account_id, secret_hash, client, expires_at)
        VALUES (p_session_id, p_account, p_secret_hash, left(p_client, 64),
                now() + make_interval(secs => p_ttl_seconds));
        RETURN p_session_id;
    END IF;
    IF p_rehash IS NOT NULL THEN
        UPDATE public.owner_accounts SET password_hash = p_rehash
        WHERE tenant_id = p_tenant AND id = p_account;
    END IF;
    INSERT INTO public.owner_sessions (tenant_id, id, account_id, secret_hash, client, expires_at)
    VALUES (p_tenant, p_session_id, p_account, p_secret_hash, left(p_client, 64),
            now() + make_interval(secs => p_ttl_seconds));
    RETURN p_session_id;
END
$$;

-- A live session by its secret's hash, noting it was seen (at most one write a minute).
CREATE FUNCTION console_session(p_secret_hash bytea)
RETURNS TABLE (kind text, tenant_id uuid, account_id uuid, email text, session_id uuid,
               expires_at timestamptz)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RETURN QUERY
    WITH found AS (
        SELECT s.tenant_id AS t, s.id AS sid, s.account_id AS acc, a.email AS em,
               s.expires_at AS ends, s.last_seen_at AS seen
        FROM public.owner_sessions s
        JOIN public.owner_accounts a ON a.tenant_id = s.tenant_id AND a.id = s.account_id
        WHERE s.secret_hash = p_secret_hash AND s.revoked_at IS NULL AND s.expires_at > now()
    ), touched AS (
        UPDATE public.owner_sessions s SET last_seen_at = now() FROM found f
        WHERE s.tenant_id = f.t AND s.id = f.sid AND f.seen < now() - interval '1 minute'
    )
    SELECT 'owner'::text, f.t, f.acc, f.em, f.sid, f.ends FROM found f;
    IF FOUND THEN
        RETURN;
    END IF;
    RETURN QUERY
    WITH found AS (
        SELECT s.id AS sid, s.account_id AS acc, o.email AS em, s.expires_at AS ends,
               s.last_seen_at AS seen
        FROM public.operator_sessions s JOIN public.operator_accounts o ON o.id = s.account_id
        WHERE s.secret_hash = p_secret_hash AND s.revoked_at IS NULL AND s.expires_at > now()
    ), touched AS (
        UPDATE public.operator_sessions s SET last_seen_at = now() FROM found f
        WHERE s.id = f.sid AND f.seen < now() - interval '1 minute'
    )
    SELECT 'operator'::text, NULL::uuid, f.acc, f.em, f.sid, f.ends FROM found f;
END
$$;

-- Revoke the session with this secret, or (p_everywhere) every open session of its account.
-- Returns how many were revoked.
CREATE FUNCTION console_sign_out(p_secret_hash bytea, p_everywhere boolean)
RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_tenant uuid;
    v_account uuid;
    v_count integer;
BEGIN
    SELECT s.tenant_id, s.account_id INTO v_tenant, v_account
    FROM public.owner_sessions s WHERE s.secret_hash = p_secret_hash AND s.revoked_at IS NULL;
    IF v_account IS NOT NULL THEN
        UPDATE public.owner_sessions SET revoked_at = now()
        WHERE tenant_id = v_tenant AND revoked_at IS NULL
          AND (secret_hash = p_secret_hash OR (p_everywhere AND account_id = v_account));
        GET DIAGNOSTICS v_count = ROW_COUNT;
        RETURN v_count;
    END IF;
    SELECT s.account_id INTO v_account
    FROM public.operator_sessions s WHERE s.secret_hash = p_secret_hash AND s.revoked_at IS NULL;
    IF v_account IS NULL THEN
        RETURN 0;
    END IF;
    UPDATE public.operator_sessions SET revoked_at = now()
    WHERE revoked_at IS NULL
      AND (secret_hash = p_secret_hash OR (p_everywhere AND account_id = v_account));
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END
$$;

-- Use a set-password token once: set the owner's password, void the account's other open
-- invitations, sign the account out everywhere. No row: unknown, used or expired.
CREATE FUNCTION console_claim_invitation(p_token_hash bytea, p_password_hash text)
RETURNS TABLE (tenant_id uuid, account_id uuid, email text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_tenant uuid;
    v_account uuid;
BEGIN
    IF p_password_hash !~ '^scrypt\\$' THEN
        RAISE EXCEPTION 'not a password hash';
    END IF;
    UPDATE public.owner_invitations i SET used_at = now()
    WHERE i.token_hash = p_token_hash AND i.used_at IS NULL AND i.expires_at > now()
    RETURNING i.tenant_id, i.account_id INTO v_tenant, v_account;
    IF v_account IS NULL THEN
        RETURN;
    END IF;
    UPDATE public.owner_invitations i SET used_at = now()
    WHERE i.tenant_id = v_tenant AND i.account_id = v_account AND i.used_at IS NULL;
    UPDATE public.owner_sessions s SET revoked_at = now()
    WHERE s.tenant_id = v_tenant AND s.account_id = v_account AND s.revoked_at IS NULL;
    RETURN QUERY
    WITH updated AS (
        UPDATE public.owner_accounts a SET password_hash = p_password_hash, password_set_at = now()
        WHERE a.tenant_id = v_tenant AND a.id = v_account
        RETURNING a.tenant_id AS t, a.id AS acc, a.email AS em
    )
    SELECT u.t, u.acc, u.em FROM updated u;
END
$$;
"""

FUNCTIONS = (
    "console_sign_in_candidates(text)",
    "console_check_password(text, uuid, uuid, text)",
    "console_open_session(text, uuid, uuid, text, text, bigint, uuid, bytea, text, integer)",
    "console_session(bytea)",
    "console_sign_out(bytea, boolean)",
    "console_claim_invitation(bytea, text)",
)

OWNER_TABLES = ("owner_accounts", "owner_invitations", "owner_sessions")

# Column grants: the application role never sees a hash, even of its own shop's rows.
APP_GRANTS = (
    "GRANT SELECT (tenant_id, id, email, password_set_at, created_at), "
    "INSERT (tenant_id, id, email) ON owner_accounts",
    "GRANT SELECT (tenant_id, id, account_id, created_at, expires_at, used_at, email_status, "
    "email_attempts, email_error), INSERT (tenant_id, id, account_id, token_hash, expires_at, "
    "email_status), UPDATE (email_status, email_attempts, email_error) ON owner_invitations",
    "GRANT SELECT (tenant_id, id, account_id, client, created_at, expires_at, last_seen_at, "
    "revoked_at) ON owner_sessions",
)

GUESS_KINDS = ("pairing", "device_token")
NEW_GUESS_KINDS = ("console_account", "console_address")


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


DEFERRABLE = {"handle_stripe_event": "stripe", "send_notification": "notifications"}


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
    role = _app_role()
    op.execute(SCHEMA)
    for table in OWNER_TABLES:
        op.execute(
            f"CREATE POLICY tenant_isolation ON {table} "
            f"USING ({TENANT_POLICY}) WITH CHECK ({TENANT_POLICY})"
        )
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    for grant in APP_GRANTS:
        op.execute(f"{grant} TO {role}")
    for function in FUNCTIONS:
        op.execute(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION {function} TO {role}")
    op.execute(_guess_kinds((*GUESS_KINDS, *NEW_GUESS_KINDS)))
    # CREATE OR REPLACE keeps the grants 0003 made.
    op.execute(_defer_jobs({**DEFERRABLE, "send_owner_invitation": "notifications"}))


def downgrade() -> None:
    op.execute(_defer_jobs(DEFERRABLE))
    op.execute(
        "DELETE FROM guess_counts WHERE kind IN "
        f"({', '.join(repr(kind) for kind in NEW_GUESS_KINDS)})"
    )
    op.execute(_guess_kinds(GUESS_KINDS))
    for function in FUNCTIONS:
        op.execute(f"DROP FUNCTION IF EXISTS {function}")
    for table in ("operator_sessions", "operator_accounts", *reversed(OWNER_TABLES)):
        op.execute(f"DROP TABLE IF EXISTS {table}")
