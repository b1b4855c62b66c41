"""Staff, roles, permissions, PIN hashing and manager override."""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Final
from uuid import UUID

from pos_app.domain.errors import PermissionDenied, ValidationError


class Role(StrEnum):
    CASHIER = "cashier"
    MANAGER = "manager"
    OWNER = "owner"


class Permission(StrEnum):
    SELL = "sell"
    VOID = "void"
    REFUND = "refund"
    LARGE_DISCOUNT = "large_discount"
    """A discount above the shop's threshold (cashiers may give small ones)."""
    NO_SALE = "no_sale"
    """Open the cash drawer without a sale."""
    PRICE_OVERRIDE = "price_override"
    CLOSE_SHIFT = "close_shift"
    PAID_IN_OUT = "paid_in_out"
    MANAGE_CATALOG = "manage_catalog"
    MANAGE_STAFF = "manage_staff"
    MANAGE_SETTINGS = "manage_settings"
    VIEW_REPORTS = "view_reports"
    OVERSELL = "oversell"
    """Sell a tracked product beyond the stock the register knows of."""


ROLE_PERMISSIONS: Final[dict[Role, frozenset[Permission]]] = {
    Role.CASHIER: frozenset({Permission.SELL}),
    Role.MANAGER: frozenset(set(Permission) - {Permission.MANAGE_SETTINGS}),
    Role.OWNER: frozenset(Permission),
}

PIN_MIN_LENGTH = 4
PIN_MAX_LENGTH = 8

# scrypt: memory-hard and in the standard library. ~30 ms per check on a counter PC; PINs have
# few digits, so the hash is backed by a lockout after repeated failures (see services.auth).
_SCRYPT_N = 2**14
_SCRYPT_R = 8
_SCRYPT_P = 1
_SALT_BYTES = 16


@dataclass(frozen=True, slots=True)
class StaffMember:
    id: UUID
    name: str
    role: Role
    active: bool = True

    def can(self, permission: Permission) -> bool:
        return self.active and permission in ROLE_PERMISSIONS[self.role]


@dataclass(frozen=True, slots=True)
class Authorization:
    """Who did an action and, when they lacked the right, who approved it on the spot."""

    actor: StaffMember
    permission: Permission
    approver: StaffMember | None = None


PIN_RULE = f"a PIN is {PIN_MIN_LENGTH} to {PIN_MAX_LENGTH} digits"


def check_pin_format(pin: str) -> str:
    if not (pin.isdigit() and PIN_MIN_LENGTH <= len(pin) <= PIN_MAX_LENGTH):
        raise ValidationError(PIN_RULE)
    return pin


def hash_pin(pin: str, *, salt: bytes | None = None) -> str:
    """A salted scrypt hash, self-describing: ``scrypt$n$r$p$salt_hex$hash_hex``."""
    check_pin_format(pin)
    salt = salt if salt is not None else os.urandom(_SALT_BYTES)
    digest = hashlib.scrypt(
        pin.encode(), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P, dklen=32
    )
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_pin(pin: str, encoded: str) -> bool:
    try:
        scheme, n, r, p, salt_hex, digest_hex = encoded.split("$")
    except ValueError:
        return False
    if scheme != "scrypt" or not pin.isdigit():
        return False
    digest = hashlib.scrypt(
        pin.encode(), salt=bytes.fromhex(salt_hex), n=int(n), r=int(r), p=int(p), dklen=32
    )
    return hmac.compare_digest(digest.hex(), digest_hex)


def authorize(
    actor: StaffMember, permission: Permission, approver: StaffMember | None = None
) -> Authorization:
    """Allow the action if the actor may do it, or if a present approver may (manager override)."""
    if actor.can(permission):
        return Authorization(actor=actor, permission=permission)
    if approver is None:
        raise PermissionDenied(f"{actor.name} needs a manager's approval to {_verb(permission)}")
    if approver.id == actor.id or not approver.can(permission):
        raise PermissionDenied(f"{approver.name} cannot approve this: {_verb(permission)}")
    return Authorization(actor=actor, permission=permission, approver=approver)


def _verb(permission: Permission) -> str:
    return {
        Permission.SELL: "sell",
        Permission.VOID: "void an order",
        Permission.REFUND: "refund",
        Permission.LARGE_DISCOUNT: "give this discount",
        Permission.NO_SALE: "open the drawer without a sale",
        Permission.PRICE_OVERRIDE: "change a price",
        Permission.CLOSE_SHIFT: "close the shift",
        Permission.PAID_IN_OUT: "pay cash in or out",
        Permission.MANAGE_CATALOG: "change the catalog",
        Permission.MANAGE_STAFF: "manage staff",
        Permission.MANAGE_SETTINGS: "change settings",
        Permission.VIEW_REPORTS: "view reports",
    }[permission]


@dataclass(frozen=True, slots=True)
class Credentials:
    member: StaffMember
    pin_hash: str
    failed_attempts: int
    locked_until: datetime | None
