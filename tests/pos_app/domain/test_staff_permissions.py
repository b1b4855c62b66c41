"""Roles, PIN hashing and manager override."""

from __future__ import annotations

import pytest

from pos_app.domain.errors import PermissionDenied, ValidationError
from pos_app.domain.ids import uuid7
from pos_app.domain.staff import Permission, Role, StaffMember, authorize, hash_pin, verify_pin

CASHIER = StaffMember(uuid7(), "Alex", Role.CASHIER)
MANAGER = StaffMember(uuid7(), "Morgan", Role.MANAGER)


def test_pin_hash_is_salted_slow_and_verifies() -> None:
    first, second = hash_pin("1234"), hash_pin("1234")
    assert first != second  # salted
    assert first.startswith("scrypt$16384$8$1$")
    *_params, salt_hex, digest_hex = first.split("$")
    assert (len(bytes.fromhex(salt_hex)), len(bytes.fromhex(digest_hex))) == (16, 32)
    assert hash_pin("1234", salt=bytes.fromhex(salt_hex)) == first  # the digest, not the PIN
    assert verify_pin("1234", first)
    assert not verify_pin("1235", first)
    assert not verify_pin("1234", "garbage")
    for bad in ("123", "123456789", "12a4", ""):
        with pytest.raises(ValidationError):
            hash_pin(bad)


def test_cashier_needs_override_and_both_names_are_kept() -> None:
    with pytest.raises(PermissionDenied, match="needs a manager's approval to void"):
        authorize(CASHIER, Permission.VOID)
    approval = authorize(CASHIER, Permission.VOID, MANAGER)
    assert approval.actor is CASHIER
    assert approval.approver is MANAGER
    with pytest.raises(PermissionDenied, match="cannot approve"):
        authorize(CASHIER, Permission.VOID, StaffMember(uuid7(), "Kim", Role.CASHIER))
    with pytest.raises(PermissionDenied, match="cannot approve"):
        authorize(MANAGER, Permission.MANAGE_SETTINGS, MANAGER)
    assert authorize(MANAGER, Permission.REFUND).approver is None
    inactive = StaffMember(uuid7(), "Old", Role.MANAGER, active=False)
    with pytest.raises(PermissionDenied):
        authorize(inactive, Permission.SELL)
