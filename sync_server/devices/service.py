"""Pairing codes, device tokens and authentication.

Secrets are stored only as HMAC-SHA256 under the server's key: a stolen database yields no
usable token, and a look-up by hash needs no scan. Tokens are opaque and prefixed
(`cps_dev_…`) so a leaked one is recognisable in logs and secret scanners.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection

from sync_server.devices import repository
from sync_server.devices.repository import ListedDevice as ListedDevice
from sync_server.devices.schemas import DeviceAuth
from sync_server.kit.errors import Conflict, NotFound, Unauthorized
from sync_server.kit.ids import uuid7
from sync_server.scope import Scope
from sync_server.tenants import service as tenants
from sync_server.tenants.schemas import Tenant

TOKEN_PREFIX = "cps_dev_"
PAIRING_CODE_TTL = timedelta(minutes=15)
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"  # no 0/O, 1/I/L, U: read aloud at a counter


def hash_secret(key: bytes, secret: str) -> bytes:
    return hmac.new(key, secret.encode(), hashlib.sha256).digest()


def normalise_code(code: str) -> str:
    return code.replace("-", "").replace(" ", "").upper()


def new_pairing_code() -> str:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


@dataclass(frozen=True, slots=True)
class PairingCode:
    code: str
    expires_at: datetime


def create_pairing_code(conn: Connection, *, key: bytes, tenant: Tenant) -> PairingCode:
    """A one-time code for `tenant`, valid 15 minutes. Only its hash is stored."""
    code = new_pairing_code()
    expires_at = datetime.now(UTC) + PAIRING_CODE_TTL
    repository.insert_pairing_code(
        conn,
        tenant_id=tenant.id,
        code_hash=hash_secret(key, normalise_code(code)),
        expires_at=expires_at,
    )
    return PairingCode(code, expires_at)


def pairing_code_live(conn: Connection, tenant: Tenant, code: PairingCode) -> bool:
    """Whether `code` (made by `create_pairing_code` for `tenant`) can still pair a register:
    unused and unexpired. Its expiry instant names it (the code itself is stored hashed)."""
    return repository.pairing_code_live(conn, tenant_id=tenant.id, expires_at=code.expires_at)


class WrongShop(Conflict):
    code = "other_shop"


@dataclass(frozen=True, slots=True)
class Paired:
    device_id: uuid.UUID
    token: str
    tenant: Tenant


def pair(
    scope: Scope,
    *,
    key: bytes,
    code: str,
    device_name: str,
    install_id: uuid.UUID | None = None,
    held_tenant_id: uuid.UUID | None = None,
    held_currency: str | None = None,
) -> Paired:
    """Trade a one-time code for a device token.

    A register already holding a shop's data says which (`held_tenant_id`, `held_currency`):
    a code of another shop is refused before it is used up, so the right register can still use
    it and no device is left behind that will never sync. The scope has no tenant until the
    code is claimed; then it is scoped to the code's shop."""
    conn = scope.connection
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    device_id = uuid7()
    claimed = repository.pair_device(
        conn,
        code_hash=hash_secret(key, normalise_code(code)),
        device_id=device_id,
        name=device_name.strip(),
        token_hash=hash_secret(key, token),
        install_id=install_id,
        held_tenant_id=held_tenant_id,
        held_currency=held_currency,
    )
    if claimed is None:
        raise Unauthorized("pairing code unknown, already used or expired: ask for a new one")
    tenant_id, refusal = claimed
    if refusal == "other_shop":
        raise WrongShop(
            "this register holds another shop's data: pair it with a code from its own shop, "
            "or wipe it first (pos-app pair --wipe-local-data); the code was not used"
        )
    if refusal is not None or tenant_id is None:
        currency = (refusal or "").partition(":")[2] or "another currency"
        raise WrongShop(
            f"this register sells in {held_currency}, but this shop uses {currency}: pair a "
            "register set up for this shop, or wipe it first (pos-app pair --wipe-local-data); "
            "the code was not used"
        )
    scope.enter_tenant(tenant_id)
    tenant = tenants.current_tenant(conn)
    if tenant is None:  # the function just created the device under this tenant
        raise NotFound("tenant not found")
    return Paired(device_id=device_id, token=token, tenant=tenant)


def authenticate(conn: Connection, *, key: bytes, token: str) -> DeviceAuth:
    """Resolve the bearer token and scope the transaction to its tenant; 401 otherwise."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        raise Unauthorized("unknown or revoked device token")
    found = repository.authenticate_and_scope(conn, hash_secret(key, token))
    if found is None:
        raise Unauthorized("unknown or revoked device token")
    return DeviceAuth(tenant_id=found[0], device_id=found[1])


def last_seen_stale(conn: Connection, tenant_id: uuid.UUID, device_id: uuid.UUID) -> bool:
    """Whether the device's last call is unknown or over a minute old (a read, no lock)."""
    return repository.last_seen_stale(conn, tenant_id, device_id)


def touch_last_seen(conn: Connection, tenant_id: uuid.UUID, device_id: uuid.UUID) -> None:
    """Note that the device called (at most one write a minute per device)."""
    repository.touch_last_seen(conn, tenant_id, device_id)


def same_install_devices(
    conn: Connection, tenant_id: uuid.UUID, device_id: uuid.UUID
) -> set[uuid.UUID]:
    """The ids this device's install has been paired under (itself included)."""
    return repository.same_install_devices(conn, tenant_id, device_id)


def list_devices(conn: Connection, tenant_id: uuid.UUID) -> list[ListedDevice]:
    return repository.list_devices(conn, tenant_id)


def prune_pairing_codes(conn: Connection) -> int:
    """Forget pairing codes that expired more than a day ago (admin role)."""
    return repository.prune_pairing_codes(conn)


def revoke(conn: Connection, device_id: uuid.UUID, *, tenant_id: uuid.UUID | None = None) -> bool:
    """Revoke a device and its tokens: its next call is refused (`authenticate` reads the
    token's `revoked_at`). With `tenant_id` (the console: the owner's shop, under its row-level
    security) only that shop's device; without (`sync-server devices revoke`, admin role) any.
    False when there is no such device."""
    if tenant_id is not None:
        return repository.revoke_shop_device(conn, tenant_id, device_id)
    return repository.revoke_device(conn, device_id)


def me(
    conn: Connection, tenant_id: uuid.UUID, device_id: uuid.UUID
) -> tuple[repository.Device, Tenant] | None:
    """The calling device's row and its shop; None when either is gone."""
    found = repository.device(conn, tenant_id, device_id)
    tenant = tenants.current_tenant(conn)
    if found is None or tenant is None:
        return None
    return found, tenant
