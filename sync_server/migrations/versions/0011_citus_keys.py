"""Ready for Citus: the two hash tables' keys name the shop, and the functions that read them
name the shop once they know it.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05

Citus (PostgreSQL distributed by `tenant_id`) enforces a primary key or unique constraint only
when it includes the distribution column (`sync_server/SCALE_OUT.md`). `device_tokens` and
`pairing_codes` were keyed by their hash alone:

- their primary keys become `(tenant_id, token_hash)` and `(tenant_id, code_hash)`, with a plain
  index on the hash for the one look-up that runs before the shop is known
  (`sync_authenticate`, `sync_pair_register`). A hash is 256 bits of HMAC over a random token or
  a 50-bit random code alive 15 minutes: uniqueness across shops was never relied on (both are
  made by the server, never chosen by a client);
- `sync_pair_register` claims the code with the shop it found (`tenant_id = v_tenant`), so on
  Citus the claim goes to that shop's shard only;
- `stripe_webhook_check` reads the shop by slug (`tenants`, a reference table), then its webhook
  secret by `tenant_id`: the join it had named no shop, so on Citus it would have gone to every
  shard of `stripe_accounts`. Same work whether the shop exists or not, as before (0005).
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

KEYS = """
ALTER TABLE device_tokens DROP CONSTRAINT device_tokens_pkey,
    ADD CONSTRAINT device_tokens_pkey PRIMARY KEY (tenant_id, token_hash);
CREATE INDEX ix_device_tokens_hash ON device_tokens (token_hash);
ALTER TABLE pairing_codes DROP CONSTRAINT pairing_codes_pkey,
    ADD CONSTRAINT pairing_codes_pkey PRIMARY KEY (tenant_id, code_hash);
CREATE INDEX ix_pairing_codes_hash ON pairing_codes (code_hash);
"""

KEYS_0010 = """
DROP INDEX ix_pairing_codes_hash;
ALTER TABLE pairing_codes DROP CONSTRAINT pairing_codes_pkey,
    ADD CONSTRAINT pairing_codes_pkey PRIMARY KEY (code_hash);
DROP INDEX ix_device_tokens_hash;
ALTER TABLE device_tokens DROP CONSTRAINT device_tokens_pkey,
    ADD CONSTRAINT device_tokens_pkey PRIMARY KEY (token_hash);
"""

PAIR_REGISTER = """
CREATE OR REPLACE FUNCTION sync_pair_register(
    p_code_hash bytea, p_device_id uuid, p_device_name text, p_token_hash bytea,
    p_install_id uuid, p_held_tenant uuid, p_held_currency text
) RETURNS TABLE (paired_tenant uuid, refusal text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_tenant uuid;
    v_currency text;
BEGIN
    SELECT c.tenant_id, t.currency INTO v_tenant, v_currency
    FROM public.pairing_codes c JOIN public.tenants t ON t.id = c.tenant_id
    WHERE c.code_hash = p_code_hash AND c.used_at IS NULL AND c.expires_at > now()
    FOR UPDATE OF c;
    IF v_tenant IS NULL THEN
        RETURN;  -- unknown, used or expired: no row
    END IF;
    IF p_held_tenant IS NOT NULL AND p_held_tenant <> v_tenant THEN
        paired_tenant := NULL; refusal := 'other_shop'; RETURN NEXT; RETURN;
    END IF;
    IF p_held_currency IS NOT NULL AND p_held_currency <> v_currency THEN
        paired_tenant := NULL; refusal := 'currency:' || v_currency; RETURN NEXT; RETURN;
    END IF;
    UPDATE public.pairing_codes SET used_at = now()
    WHERE tenant_id = v_tenant AND code_hash = p_code_hash;
    INSERT INTO public.devices (tenant_id, id, name, install_id)
    VALUES (v_tenant, p_device_id, p_device_name, p_install_id);
    INSERT INTO public.device_tokens (token_hash, tenant_id, device_id)
    VALUES (p_token_hash, v_tenant, p_device_id);
    paired_tenant := v_tenant; refusal := NULL; RETURN NEXT;
END
$$;
"""

# What 0006 made, for the downgrade: only the claim's WHERE differs.
PAIR_REGISTER_0006 = PAIR_REGISTER.replace(
    "WHERE tenant_id = v_tenant AND code_hash = p_code_hash;", "WHERE code_hash = p_code_hash;"
)

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
    SELECT t.id INTO v_tenant FROM public.tenants t WHERE t.slug = p_slug;
    SELECT convert_to(a.webhook_secret, 'UTF8'), a.account_id INTO v_secret, v_account
    FROM public.stripe_accounts a WHERE a.tenant_id = v_tenant;
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

# What 0005 made, for the downgrade: only the look-up differs.
WEBHOOK_CHECK_0005 = WEBHOOK_CHECK.replace(
    """    SELECT t.id INTO v_tenant FROM public.tenants t WHERE t.slug = p_slug;
    SELECT convert_to(a.webhook_secret, 'UTF8'), a.account_id INTO v_secret, v_account
    FROM public.stripe_accounts a WHERE a.tenant_id = v_tenant;
""",
    """    SELECT t.id, convert_to(a.webhook_secret, 'UTF8'), a.account_id
    INTO v_tenant, v_secret, v_account
    FROM public.tenants t LEFT JOIN public.stripe_accounts a ON a.tenant_id = t.id
    WHERE t.slug = p_slug;
""",
)


def upgrade() -> None:
    op.execute(KEYS)
    op.execute(PAIR_REGISTER)  # CREATE OR REPLACE keeps the grants 0003 and 0006 made
    op.execute(WEBHOOK_CHECK)


def downgrade() -> None:
    op.execute(WEBHOOK_CHECK_0005)
    op.execute(PAIR_REGISTER_0006)
    op.execute(KEYS_0010)
