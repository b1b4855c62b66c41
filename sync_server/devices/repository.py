"""Device and token queries."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import Connection, text

from sync_server.kit.rows import row_as, rows_as


def authenticate_and_scope(
    conn: Connection, token_hash: bytes
) -> tuple[uuid.UUID, uuid.UUID] | None:
    """Resolve a token hash and set the transaction's tenant, in one round trip."""
    row = conn.execute(
        text(
            "SELECT a.tenant_id, a.device_id, "
            "set_config('app.tenant_id', a.tenant_id::text, true) AS scoped "
            "FROM sync_authenticate(:h) a"
        ),
        {"h": token_hash},
    ).first()
    return None if row is None else (row.tenant_id, row.device_id)


def pair_device(
    conn: Connection,
    *,
    code_hash: bytes,
    device_id: uuid.UUID,
    name: str,
    token_hash: bytes,
    install_id: uuid.UUID | None,
    held_tenant_id: uuid.UUID | None,
    held_currency: str | None,
) -> tuple[uuid.UUID | None, str | None] | None:
    """Claim the code and create the device: (tenant, None); (None, refusal) when the register
    holds another shop's data (the code stays unused); None when the code is unknown, used or
    expired."""
    row = conn.execute(
        text("SELECT paired_tenant, refusal FROM sync_pair_register(:c, :d, :n, :t, :i, :h, :m)"),
        {
            "c": code_hash,
            "d": device_id,
            "n": name,
            "t": token_hash,
            "i": install_id,
            "h": held_tenant_id,
            "m": held_currency,
        },
    ).first()
    return None if row is None else (row.paired_tenant, row.refusal)


def same_install_devices(
    conn: Connection, tenant_id: uuid.UUID, device_id: uuid.UUID
) -> set[uuid.UUID]:
    """The device and every other device id its register install has had in this shop."""
    rows = conn.execute(
        text(
            "SELECT other.id FROM devices me JOIN devices other "
            "ON other.tenant_id = me.tenant_id AND other.install_id = me.install_id "
            "WHERE me.tenant_id = :t AND me.id = :d"
        ),
        {"t": tenant_id, "d": device_id},
    )
    return {device_id, *(row.id for row in rows)}


def last_seen_stale(conn: Connection, tenant_id: uuid.UUID, device_id: uuid.UUID) -> bool:
    """Whether the device's last contact is unknown or over a minute old (a read, no lock)."""
    row = conn.execute(
        text(
            "SELECT last_seen_at IS NULL OR last_seen_at < now() - interval '1 minute' AS stale "
            "FROM devices WHERE tenant_id = :t AND id = :d"
        ),
        {"t": tenant_id, "d": device_id},
    ).first()
    return bool(row is not None and row.stale)


def touch_last_seen(conn: Connection, tenant_id: uuid.UUID, device_id: uuid.UUID) -> None:
    """Note that the device called; at most one write a minute per device, so a busy register's
    pushes and pulls do not each rewrite its row."""
    conn.execute(
        text(
            "UPDATE devices SET last_seen_at = now() WHERE tenant_id = :t AND id = :d "
            "AND (last_seen_at IS NULL OR last_seen_at < now() - interval '1 minute')"
        ),
        {"t": tenant_id, "d": device_id},
    )


def set_tenant(conn: Connection, tenant_id: uuid.UUID) -> None:
    conn.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(tenant_id)})


class Device(NamedTuple):
    id: uuid.UUID
    name: str
    acknowledged_seq: int
    revoked_at: datetime | None


def device(conn: Connection, tenant_id: uuid.UUID, device_id: uuid.UUID) -> Device | None:
    return row_as(
        Device,
        conn.execute(
            text(
                "SELECT id, name, acknowledged_seq, revoked_at FROM devices "
                "WHERE tenant_id = :t AND id = :d"
            ),
            {"t": tenant_id, "d": device_id},
        ),
    )


# --- admin ------------------------------------------------------------------------------------


def insert_pairing_code(
    conn: Connection, *, tenant_id: uuid.UUID, code_hash: bytes, expires_at: datetime
) -> None:
    conn.execute(
        text("INSERT INTO pairing_codes (code_hash, tenant_id, expires_at) VALUES (:h, :t, :e)"),
        {"h": code_hash, "t": tenant_id, "e": expires_at},
    )


def pairing_code_live(conn: Connection, *, tenant_id: uuid.UUID, expires_at: datetime) -> bool:
    """Whether the shop's code expiring at exactly `expires_at` is still unused and unexpired
    (application role: `expires_at` and `used_at` are readable, the hashes are not)."""
    return (
        conn.execute(
            text(
                "SELECT 1 FROM pairing_codes WHERE tenant_id = :t AND expires_at = :e "
                "AND used_at IS NULL AND expires_at > now()"
            ),
            {"t": tenant_id, "e": expires_at},
        ).first()
        is not None
    )


def revoke_device(conn: Connection, device_id: uuid.UUID) -> bool:
    found = conn.execute(
        text(
            "UPDATE devices SET revoked_at = coalesce(revoked_at, now()) WHERE id = :d RETURNING id"
        ),
        {"d": device_id},
    ).first()
    conn.execute(
        text(
            "UPDATE device_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE device_id = :d"
        ),
        {"d": device_id},
    )
    return found is not None


def revoke_shop_device(conn: Connection, tenant_id: uuid.UUID, device_id: uuid.UUID) -> bool:
    """Revoke one of the shop's devices and its tokens (an owner in the console, under the
    shop's row-level security); False when the shop has no such device."""
    found = conn.execute(
        text(
            "UPDATE devices SET revoked_at = coalesce(revoked_at, now()) "
            "WHERE tenant_id = :t AND id = :d RETURNING id"
        ),
        {"t": tenant_id, "d": device_id},
    ).first()
    if found is None:
        return False
    conn.execute(
        text(
            "UPDATE device_tokens SET revoked_at = coalesce(revoked_at, now()) "
            "WHERE tenant_id = :t AND device_id = :d"
        ),
        {"t": tenant_id, "d": device_id},
    )
    return True


class ListedDevice(NamedTuple):
    id: uuid.UUID
    name: str
    acknowledged_seq: int
    created_at: datetime
    last_seen_at: datetime | None
    revoked_at: datetime | None


def list_devices(conn: Connection, tenant_id: uuid.UUID) -> list[ListedDevice]:
    return rows_as(
        ListedDevice,
        conn.execute(
            text(
                "SELECT id, name, acknowledged_seq, created_at, last_seen_at, revoked_at "
                "FROM devices WHERE tenant_id = :t ORDER BY created_at"
            ),
            {"t": tenant_id},
        ),
    )


def prune_pairing_codes(conn: Connection) -> int:
    """Forget codes that expired over a day ago (admin role); returns how many."""
    result = conn.execute(
        text("DELETE FROM pairing_codes WHERE expires_at < now() - interval '1 day'")
    )
    return int(result.rowcount)
