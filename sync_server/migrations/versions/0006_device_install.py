"""Devices know the register install they belong to, and pairing looks before it claims a code.

- `devices.install_id`: the id a register makes once and keeps in its own database. Re-pairing
  (after a revoke, say) gives a new device and token but the same install, so the pull can leave
  out every stock movement that install recorded, under any of its device ids.
- `sync_pair_register(...)`: like `sync_pair_device`, but given what the register already holds
  (the shop it was paired with before, the currency it sells in), it refuses a code of another
  shop *before* using it up, so the right register can still use it.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05
"""

from alembic import context, op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

SCHEMA = """
ALTER TABLE devices ADD COLUMN install_id uuid;
CREATE INDEX ix_devices_install ON devices (tenant_id, install_id) WHERE install_id IS NOT NULL;

CREATE FUNCTION sync_pair_register(
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
    UPDATE public.pairing_codes SET used_at = now() WHERE code_hash = p_code_hash;
    INSERT INTO public.devices (tenant_id, id, name, install_id)
    VALUES (v_tenant, p_device_id, p_device_name, p_install_id);
    INSERT INTO public.device_tokens (token_hash, tenant_id, device_id)
    VALUES (p_token_hash, v_tenant, p_device_id);
    paired_tenant := v_tenant; refusal := NULL; RETURN NEXT;
END
$$;
REVOKE ALL ON FUNCTION sync_pair_register(bytea, uuid, text, bytea, uuid, uuid, text) FROM PUBLIC;
"""


def _app_role() -> str:
    role = str(context.config.attributes.get("app_role", "pos_sync_app"))
    if not role.replace("_", "").isalnum():
        raise ValueError(f"application role name {role!r} is not a plain identifier")
    return role


def upgrade() -> None:
    op.execute(SCHEMA)
    op.execute(
        "GRANT EXECUTE ON FUNCTION "
        f"sync_pair_register(bytea, uuid, text, bytea, uuid, uuid, text) TO {_app_role()}"
    )


def downgrade() -> None:
    op.execute("DROP FUNCTION IF EXISTS sync_pair_register(bytea, uuid, text, bytea, uuid, uuid, text)")
    op.execute("DROP INDEX IF EXISTS ix_devices_install")
    op.execute("ALTER TABLE devices DROP COLUMN IF EXISTS install_id")
