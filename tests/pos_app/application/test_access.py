"""Who is at the counter: sign in by PIN, a manager's approval on the spot."""

from __future__ import annotations

import pytest

from pos_app.application.access import PinCheck
from pos_app.application.register import Register
from pos_app.domain.errors import NotFound, PermissionDenied
from pos_app.domain.staff import Authorization, Permission, StaffMember
from tests.pos_app.application.conftest import audit


def test_sign_in_by_pin_and_a_wrong_pin_is_counted(
    register: Register, staff: dict[str, StaffMember]
) -> None:
    assert {m.name for m in register.access.staff()} == {"Alex", "Morgan", "Sam"}
    assert register.access.sign_in(staff["Alex"].id, "1111").member == staff["Alex"]
    wrong = register.access.sign_in(staff["Alex"].id, "0000")
    assert wrong == PinCheck(None, "wrong PIN")
    [entry] = audit(register, "auth.pin_failed")  # committed, though nothing was raised
    assert entry.staff_id == staff["Alex"].id
    assert entry.details == {"failures": 1}
    with register.db.read() as uow:
        credentials = uow.staff.credentials(staff["Alex"].id)
    assert credentials is not None
    assert credentials.failed_attempts == 1


def test_a_managers_pin_approves_what_the_cashier_may_not(
    register: Register, staff: dict[str, StaffMember]
) -> None:
    approvers = register.access.approvers(Permission.VOID)
    assert {m.name for m in approvers} == {"Morgan", "Sam"}
    granted = register.access.approve(
        staff["Alex"], Permission.VOID, approver_id=staff["Morgan"].id, approver_pin="2222"
    )
    assert isinstance(granted, Authorization)
    assert (granted.actor, granted.approver) == (staff["Alex"], staff["Morgan"])
    refused = register.access.approve(
        staff["Alex"], Permission.VOID, approver_id=staff["Morgan"].id, approver_pin="1234"
    )
    assert refused == PinCheck(None, "wrong PIN")
    [entry] = audit(register, "auth.pin_failed")
    assert entry.staff_id == staff["Morgan"].id
    with pytest.raises(PermissionDenied):
        register.access.approve(staff["Alex"], Permission.VOID)
    own = register.access.approve(staff["Sam"], Permission.VOID)
    assert isinstance(own, Authorization)
    assert own.approver is None


def test_staff_for_scripts(register: Register, staff: dict[str, StaffMember]) -> None:
    assert register.access.staff_by_name("morgan") == staff["Morgan"]
    assert register.access.cli_staff(None) == staff["Sam"]  # the owner
    assert register.access.cli_staff("Alex") == staff["Alex"]
    with pytest.raises(NotFound):
        register.access.staff_by_name("Nobody")
