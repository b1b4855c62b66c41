"""Staff accounts through the application API: each change is stored, audited, and a refused
one changes nothing."""

from __future__ import annotations

import pytest

from pos_app.application.register import Register
from pos_app.db.database import Database
from pos_app.domain.errors import PermissionDenied, ValidationError
from pos_app.domain.shop import Shop
from pos_app.domain.staff import Authorization, Permission, Role, StaffMember, authorize
from pos_app.services import auth


@pytest.fixture
def register(db: Database, shop: Shop) -> Register:
    return Register(db, shop)


def manage(member: StaffMember, approver: StaffMember | None = None) -> Authorization:
    return authorize(member, Permission.MANAGE_STAFF, approver)


def test_a_new_member_is_stored_audited_and_signs_in(
    register: Register, db: Database, staff: dict[str, StaffMember]
) -> None:
    added = register.staff.add(
        name=" Jo  Lee ", role=Role.CASHIER, pin="4321", authorization=manage(staff["Morgan"])
    )
    assert added.name == "Jo Lee"
    assert added in register.staff.members()
    with db.read() as uow:
        assert auth.check_pin(uow, staff_id=added.id, pin="4321").member == added
        [entry] = uow.audit.entries(action="staff.added")
    assert entry.staff_id == staff["Morgan"].id
    assert entry.details == {"member_id": str(added.id), "name": "Jo Lee", "role": "cashier"}


def test_role_pin_and_deactivation_are_each_audited(
    register: Register, db: Database, staff: dict[str, StaffMember]
) -> None:
    owner = manage(staff["Sam"])
    alex = staff["Alex"]
    assert register.staff.change_role(alex.id, role=Role.MANAGER, authorization=owner).role is (
        Role.MANAGER
    )
    register.staff.reset_pin(alex.id, pin="5678", authorization=owner)
    with db.read() as uow:
        assert auth.check_pin(uow, staff_id=alex.id, pin="5678").member is not None
        assert auth.check_pin(uow, staff_id=alex.id, pin="1111").member is None
    register.staff.deactivate(alex.id, authorization=owner)
    [stored] = [m for m in register.staff.members() if m.id == alex.id]
    assert not stored.active
    assert alex.id not in {m.id for m in register.staff.members(include_inactive=False)}
    with db.read() as uow:
        actions = [
            (e.action, e.staff_id)
            for e in uow.audit.entries()
            if e.details.get("member_id") == str(alex.id)
        ]
    assert actions == [
        ("staff.role_changed", staff["Sam"].id),
        ("staff.pin_reset", staff["Sam"].id),
        ("staff.deactivated", staff["Sam"].id),
    ]


def test_refused_changes_leave_the_staff_list_as_it_was(
    register: Register, db: Database, staff: dict[str, StaffMember]
) -> None:
    before = register.staff.members()
    with pytest.raises(ValidationError, match="already on the staff list"):
        register.staff.add(
            name="alex", role=Role.CASHIER, pin="4321", authorization=manage(staff["Morgan"])
        )
    with pytest.raises(PermissionDenied, match="only an owner"):
        register.staff.deactivate(staff["Sam"].id, authorization=manage(staff["Morgan"]))
    with pytest.raises(PermissionDenied):
        register.staff.change_role(
            staff["Alex"].id,
            role=Role.MANAGER,
            authorization=authorize(staff["Alex"], Permission.SELL),
        )
    assert register.staff.members() == before
    with db.read() as uow:
        assert [e for e in uow.audit.entries() if e.action.startswith("staff.")] == []
