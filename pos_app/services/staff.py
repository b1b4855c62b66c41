"""Staff upkeep for the back office: add people, change roles, reset PINs, deactivate.

Every change needs MANAGE_STAFF and is audited. Owners are protected: only an owner may create,
promote, demote, reset or deactivate an owner, and the last active owner always stays.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pos_app.db.uow import UnitOfWork
from pos_app.domain.clock import utcnow
from pos_app.domain.errors import NotFound, PermissionDenied, ValidationError
from pos_app.domain.ids import uuid7
from pos_app.domain.staff import Authorization, Permission, Role, StaffMember, hash_pin

MAX_NAME_LENGTH = 60


def _require(authorization: Authorization) -> StaffMember:
    """The person whose authority the change rests on (the approver in an override)."""
    if authorization.permission is not Permission.MANAGE_STAFF:
        raise PermissionDenied("staff changes need a manager")
    return authorization.approver or authorization.actor


def _approved_by(authorization: Authorization) -> UUID | None:
    return authorization.approver.id if authorization.approver else None


def _require_owner_for(authority: StaffMember, *roles: Role) -> None:
    if Role.OWNER in roles and authority.role is not Role.OWNER:
        raise PermissionDenied("only an owner can change an owner's account")


def _clean_name(uow: UnitOfWork, name: str, *, ignore: UUID | None = None) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError("enter the person's name")
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError(f"a name can be at most {MAX_NAME_LENGTH} characters")
    for member in uow.staff.all():
        if member.id != ignore and member.name.casefold() == name.casefold():
            raise ValidationError(f"{member.name} is already on the staff list")
    return name


def _member(uow: UnitOfWork, staff_id: UUID) -> StaffMember:
    member = uow.staff.get(staff_id)
    if member is None:
        raise NotFound("that staff member does not exist")
    return member


def _other_active_owners(uow: UnitOfWork, staff_id: UUID) -> int:
    return sum(1 for m in uow.staff.all() if m.role is Role.OWNER and m.id != staff_id)


def add_staff(
    uow: UnitOfWork, *, name: str, role: Role, pin: str, authorization: Authorization
) -> StaffMember:
    authority = _require(authorization)
    _require_owner_for(authority, role)
    member = StaffMember(uuid7(), _clean_name(uow, name), role)
    uow.staff.add(member, hash_pin(pin))
    uow.audit.record(
        "staff.added",
        staff_id=authorization.actor.id,
        approved_by_id=_approved_by(authorization),
        details={"member_id": str(member.id), "name": member.name, "role": role.value},
    )
    return member


def change_role(
    uow: UnitOfWork, *, staff_id: UUID, role: Role, authorization: Authorization
) -> StaffMember:
    authority = _require(authorization)
    member = _member(uow, staff_id)
    if member.role is role:
        return member
    _require_owner_for(authority, member.role, role)
    if member.role is Role.OWNER and member.active and not _other_active_owners(uow, staff_id):
        raise ValidationError("the shop needs at least one owner: make someone else owner first")
    changed = StaffMember(member.id, member.name, role, member.active)
    uow.staff.update(changed)
    uow.audit.record(
        "staff.role_changed",
        staff_id=authorization.actor.id,
        approved_by_id=_approved_by(authorization),
        details={"member_id": str(member.id), "from": member.role.value, "to": role.value},
    )
    return changed


def reset_pin(
    uow: UnitOfWork, *, staff_id: UUID, pin: str, authorization: Authorization
) -> StaffMember:
    """Set a new PIN (which also clears a lockout). The PIN itself is never logged."""
    authority = _require(authorization)
    member = _member(uow, staff_id)
    if member.id != authority.id:
        _require_owner_for(authority, member.role)
    uow.staff.update(member, hash_pin(pin))
    uow.audit.record(
        "staff.pin_reset",
        staff_id=authorization.actor.id,
        approved_by_id=_approved_by(authorization),
        details={"member_id": str(member.id), "name": member.name},
    )
    return member


def deactivate(uow: UnitOfWork, *, staff_id: UUID, authorization: Authorization) -> StaffMember:
    """Take someone off the register (their history stays; they can no longer sign in)."""
    authority = _require(authorization)
    member = _member(uow, staff_id)
    if not member.active:
        return member
    if member.id in (authorization.actor.id, authority.id):
        raise ValidationError("you cannot deactivate your own account")
    if member.role is Role.OWNER:
        _require_owner_for(authority, member.role)
        if not _other_active_owners(uow, staff_id):
            raise ValidationError("the last active owner cannot be deactivated")
    inactive = StaffMember(member.id, member.name, member.role, active=False)
    uow.staff.update(inactive)
    uow.audit.record(
        "staff.deactivated",
        staff_id=authorization.actor.id,
        approved_by_id=_approved_by(authorization),
        details={"member_id": str(member.id), "name": member.name},
    )
    return inactive


def locked_out(uow: UnitOfWork) -> dict[UUID, datetime]:
    """Who is locked out by wrong PINs right now, and until when (UTC)."""
    now = utcnow()
    locked: dict[UUID, datetime] = {}
    for member in uow.staff.all(include_inactive=False):
        credentials = uow.staff.credentials(member.id)
        until = credentials.locked_until if credentials is not None else None
        if until is not None and until > now:
            locked[member.id] = until
    return locked


def unlock(uow: UnitOfWork, *, staff_id: UUID, authorization: Authorization) -> StaffMember:
    """Lift a lockout after wrong PINs (the person signs in with their PIN again); audited."""
    authority = _require(authorization)
    member = _member(uow, staff_id)
    if member.id != authority.id:
        _require_owner_for(authority, member.role)
    uow.staff.reset_login_failures(staff_id)
    uow.audit.record(
        "staff.unlocked",
        staff_id=authorization.actor.id,
        approved_by_id=_approved_by(authorization),
        details={"member_id": str(member.id), "name": member.name},
    )
    return member
