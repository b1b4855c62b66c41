"""Staff upkeep through the service: PINs hashed, changes audited, owners protected."""

from __future__ import annotations

import pytest

from pos_app.db.database import Database
from pos_app.domain.errors import PermissionDenied, ValidationError
from pos_app.domain.staff import (
    Authorization,
    Permission,
    Role,
    StaffMember,
    authorize,
    hash_pin,
)
from pos_app.services import auth
from pos_app.services import staff as staff_service


def manage(member: StaffMember, approver: StaffMember | None = None) -> Authorization:
    return authorize(member, Permission.MANAGE_STAFF, approver)


def test_added_member_signs_in_with_the_hashed_pin(
    db: Database, staff: dict[str, StaffMember]
) -> None:
    with db.write() as uow:
        added = staff_service.add_staff(
            uow,
            name="  Jo   Lee ",
            role=Role.CASHIER,
            pin="4321",
            authorization=manage(staff["Morgan"]),
        )
    assert added.name == "Jo Lee"
    with db.write() as uow:
        credentials = uow.staff.credentials(added.id)
        assert credentials is not None
        # Stored as scrypt$n$r$p$salt$digest, never the PIN (a random hex digest can contain
        # "4321" by chance, so look at the fields, not for the substring).
        scheme, *_params, salt_hex, digest_hex = credentials.pin_hash.split("$")
        assert scheme == "scrypt"
        assert (len(bytes.fromhex(salt_hex)), len(bytes.fromhex(digest_hex))) == (16, 32)
        assert hash_pin("4321", salt=bytes.fromhex(salt_hex)) == credentials.pin_hash
        assert auth.check_pin(uow, staff_id=added.id, pin="4321").member == added
        assert auth.check_pin(uow, staff_id=added.id, pin="1234").member is None
    with db.read() as uow:
        [entry] = uow.audit.entries(action="staff.added")
    assert entry.staff_id == staff["Morgan"].id
    assert entry.details == {"member_id": str(added.id), "name": "Jo Lee", "role": "cashier"}


def test_add_refuses_bad_input_and_cashiers(db: Database, staff: dict[str, StaffMember]) -> None:
    morgan = manage(staff["Morgan"])
    with pytest.raises(ValidationError, match="already on the staff list"), db.write() as uow:
        staff_service.add_staff(
            uow, name="alex", role=Role.CASHIER, pin="4321", authorization=morgan
        )
    with pytest.raises(ValidationError, match="4 to 8 digits"), db.write() as uow:
        staff_service.add_staff(uow, name="Jo", role=Role.CASHIER, pin="12a4", authorization=morgan)
    with pytest.raises(ValidationError, match="name"), db.write() as uow:
        staff_service.add_staff(
            uow, name="   ", role=Role.CASHIER, pin="4321", authorization=morgan
        )
    with pytest.raises(PermissionDenied, match="only an owner"), db.write() as uow:
        staff_service.add_staff(uow, name="Jo", role=Role.OWNER, pin="4321", authorization=morgan)
    with pytest.raises(PermissionDenied):
        manage(staff["Alex"])
    wrong = authorize(staff["Morgan"], Permission.REFUND)
    with pytest.raises(PermissionDenied, match="need a manager"), db.write() as uow:
        staff_service.add_staff(uow, name="Jo", role=Role.CASHIER, pin="4321", authorization=wrong)
    with db.read() as uow:
        assert [m.name for m in uow.staff.all()] == ["Alex", "Morgan", "Sam"]
        assert uow.audit.entries(action="staff.added") == []


def test_cashier_with_manager_override_records_both_names(
    db: Database, staff: dict[str, StaffMember]
) -> None:
    approval = Authorization(staff["Alex"], Permission.MANAGE_STAFF, staff["Morgan"])
    with db.write() as uow:
        staff_service.reset_pin(uow, staff_id=staff["Alex"].id, pin="5555", authorization=approval)
    with db.write() as uow:
        assert auth.check_pin(uow, staff_id=staff["Alex"].id, pin="5555").member is not None
        assert auth.check_pin(uow, staff_id=staff["Alex"].id, pin="1111").member is None
    with db.read() as uow:
        [entry] = uow.audit.entries(action="staff.pin_reset")
    assert (entry.staff_id, entry.approved_by_id) == (staff["Alex"].id, staff["Morgan"].id)
    # Not the PIN, nor anything named after it (ids in the details are random hex: they could
    # contain "5555" by chance, so compare whole values).
    assert "5555" not in [str(value) for value in entry.details.values()]
    assert not [key for key in entry.details if "pin" in key.lower()]


def test_pin_reset_clears_a_lockout(db: Database, staff: dict[str, StaffMember]) -> None:
    with db.write() as uow:
        for _ in range(auth.MAX_FAILURES):
            auth.check_pin(uow, staff_id=staff["Alex"].id, pin="0000")
    with db.write() as uow:
        locked = auth.check_pin(uow, staff_id=staff["Alex"].id, pin="1111")
    assert locked.member is None
    assert locked.error is not None
    assert "too many" in locked.error
    with db.write() as uow:
        staff_service.reset_pin(
            uow, staff_id=staff["Alex"].id, pin="2468", authorization=manage(staff["Morgan"])
        )
    with db.write() as uow:
        assert auth.check_pin(uow, staff_id=staff["Alex"].id, pin="2468").member is not None


def test_managers_cannot_touch_owners(db: Database, staff: dict[str, StaffMember]) -> None:
    morgan = manage(staff["Morgan"])
    sam = staff["Sam"].id
    with pytest.raises(PermissionDenied, match="only an owner"), db.write() as uow:
        staff_service.deactivate(uow, staff_id=sam, authorization=morgan)
    with pytest.raises(PermissionDenied, match="only an owner"), db.write() as uow:
        staff_service.reset_pin(uow, staff_id=sam, pin="1234", authorization=morgan)
    with pytest.raises(PermissionDenied, match="only an owner"), db.write() as uow:
        staff_service.change_role(uow, staff_id=sam, role=Role.CASHIER, authorization=morgan)
    with pytest.raises(PermissionDenied, match="only an owner"), db.write() as uow:
        staff_service.change_role(
            uow, staff_id=staff["Alex"].id, role=Role.OWNER, authorization=morgan
        )
    # A manager may change their own PIN.
    with db.write() as uow:
        staff_service.reset_pin(uow, staff_id=staff["Morgan"].id, pin="3333", authorization=morgan)
    with db.read() as uow:
        assert uow.staff.get(sam) == staff["Sam"]


def test_role_change_and_deactivation(db: Database, staff: dict[str, StaffMember]) -> None:
    morgan = manage(staff["Morgan"])
    with db.write() as uow:
        promoted = staff_service.change_role(
            uow, staff_id=staff["Alex"].id, role=Role.MANAGER, authorization=morgan
        )
    assert promoted.can(Permission.REFUND)
    with pytest.raises(ValidationError, match="your own account"), db.write() as uow:
        staff_service.deactivate(uow, staff_id=staff["Morgan"].id, authorization=morgan)
    with db.write() as uow:
        gone = staff_service.deactivate(uow, staff_id=staff["Alex"].id, authorization=morgan)
    assert not gone.active
    with db.write() as uow:
        assert [m.name for m in uow.staff.all()] == ["Morgan", "Sam"]
        refused = auth.check_pin(uow, staff_id=staff["Alex"].id, pin="1111")
        assert refused.member is None
        actions = [e.action for e in uow.audit.entries() if e.action.startswith("staff.")]
    assert actions == ["staff.role_changed", "staff.deactivated"]


def test_the_last_owner_stays(db: Database, staff: dict[str, StaffMember]) -> None:
    sam = manage(staff["Sam"])
    with pytest.raises(ValidationError, match="at least one owner"), db.write() as uow:
        staff_service.change_role(
            uow, staff_id=staff["Sam"].id, role=Role.MANAGER, authorization=sam
        )
    with db.write() as uow:
        pat = staff_service.add_staff(
            uow, name="Pat", role=Role.OWNER, pin="7777", authorization=sam
        )
    # Pat deactivates Sam; Sam's stale sign-in can then not remove the last owner left.
    with db.write() as uow:
        staff_service.deactivate(uow, staff_id=staff["Sam"].id, authorization=manage(pat))
    with pytest.raises(ValidationError, match="last active owner"), db.write() as uow:
        staff_service.deactivate(uow, staff_id=pat.id, authorization=sam)
    with db.read() as uow:
        owners = [m.name for m in uow.staff.all() if m.role is Role.OWNER]
    assert owners == ["Pat"]
