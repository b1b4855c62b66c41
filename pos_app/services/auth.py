"""PIN checks, lockout after repeated failures, and manager approval.

A PIN check writes its failure counter, so it runs in a transaction of its own *before* the
action it unlocks: the action then receives an `Authorization` and trusts it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from pos_app.db.uow import UnitOfWork
from pos_app.domain.clock import utcnow
from pos_app.domain.errors import PermissionDenied
from pos_app.domain.staff import Authorization, Permission, StaffMember, authorize, verify_pin

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class PinCheck:
    member: StaffMember | None
    error: str | None = None

    def require(self) -> StaffMember:
        if self.member is None:
            raise PermissionDenied(self.error or "wrong PIN")
        return self.member


def check_pin(uow: UnitOfWork, *, staff_id: UUID, pin: str) -> PinCheck:
    """Verify a staff member's PIN. Never raises for a wrong PIN: the failure must be saved."""
    credentials = uow.staff.credentials(staff_id)
    if credentials is None or not credentials.member.active:
        return PinCheck(None, "unknown staff member")
    now = utcnow()
    if credentials.locked_until is not None and credentials.locked_until > now:
        minutes = max(1, int((credentials.locked_until - now).total_seconds() // 60) + 1)
        return PinCheck(None, f"too many wrong PINs: try again in {minutes} min")
    if verify_pin(pin, credentials.pin_hash):
        uow.staff.reset_login_failures(staff_id)
        return PinCheck(credentials.member)
    failures = credentials.failed_attempts + 1
    locked_until = now + LOCKOUT if failures % MAX_FAILURES == 0 else None
    uow.staff.record_login_failure(staff_id, locked_until)
    uow.audit.record("auth.pin_failed", staff_id=staff_id, details={"failures": failures})
    return PinCheck(None, "wrong PIN")


def approve(
    uow: UnitOfWork,
    *,
    actor: StaffMember,
    permission: Permission,
    approver_id: UUID | None = None,
    approver_pin: str | None = None,
) -> Authorization | PinCheck:
    """Authorise `actor` for `permission`, with a manager's PIN when the actor lacks it.

    Returns the Authorization, or the failed PinCheck (so the caller can commit the failure
    count before reporting it).
    """
    if actor.can(permission):
        return authorize(actor, permission)
    if approver_id is None or approver_pin is None:
        raise PermissionDenied(f"{actor.name} needs a manager's approval for this")
    check = check_pin(uow, staff_id=approver_id, pin=approver_pin)
    if check.member is None:
        return check
    return authorize(actor, permission, check.member)


def approvers(uow: UnitOfWork, permission: Permission) -> list[StaffMember]:
    """Who can approve `permission` (for the override prompt's list)."""
    return [member for member in uow.staff.all() if member.can(permission)]
