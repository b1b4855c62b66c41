"""Shifts: open with a float, pay cash in and out, open the drawer, close with a count."""

from __future__ import annotations

from collections.abc import Mapping
from uuid import UUID

from pos_app.db.uow import UnitOfWork
from pos_app.domain.clock import utcnow
from pos_app.domain.errors import PermissionDenied, ValidationError
from pos_app.domain.history import OrderSummary
from pos_app.domain.ids import uuid7
from pos_app.domain.reports import ReportKind, ShiftReport
from pos_app.domain.shifts import (
    CashMovement,
    CashMovementKind,
    ShiftRecord,
    check_cash_movement,
    check_correction,
    check_drawer_holds,
    count_cash,
)
from pos_app.domain.shop import Shop
from pos_app.domain.staff import Authorization, Permission, StaffMember, authorize


class UnfinishedOrders(ValidationError):
    """Closing a shift with orders still open or parked: the manager must see them first."""

    def __init__(self, orders: tuple[OrderSummary, ...]) -> None:
        self.orders = orders
        numbers = ", ".join(f"#{order.number}" for order in orders)
        super().__init__(f"orders still open or parked: {numbers}")


def current_shift(uow: UnitOfWork, *, shop: Shop) -> ShiftRecord | None:
    return uow.shifts.current(shop.register_id)


def open_shift(uow: UnitOfWork, *, shop: Shop, staff: StaffMember, float_minor: int) -> ShiftRecord:
    authorize(staff, Permission.SELL)
    if float_minor < 0:
        raise ValidationError("the float cannot be negative")
    if uow.shifts.current(shop.register_id) is not None:
        raise ValidationError("a shift is already open on this register")
    shift_id = uuid7()
    uow.shifts.open(
        shift_id=shift_id,
        register_id=shop.register_id,
        currency=shop.currency,
        staff_id=staff.id,
        float_minor=float_minor,
        at=utcnow(),
    )
    uow.audit.record("shift.opened", staff_id=staff.id, details={"float_minor": float_minor})
    shift = uow.shifts.get(shift_id)
    assert shift is not None
    return shift


def _require_open(uow: UnitOfWork, shop: Shop) -> ShiftRecord:
    shift = uow.shifts.current(shop.register_id)
    if shift is None:
        raise ValidationError("no shift is open on this register")
    return shift


def cash_movement(
    uow: UnitOfWork,
    *,
    shop: Shop,
    kind: CashMovementKind,
    amount_minor: int,
    reason: str,
    authorization: Authorization,
) -> UUID | None:
    """Paid in, paid out, or a no-sale drawer open; always audited with who approved it.

    Each one opens the cash drawer: the kick is queued on the receipt printer in this same
    transaction. Returns the kick's print job, or None when no drawer is wired to a printer
    (the audit entry says which).
    """
    needed = Permission.NO_SALE if kind is CashMovementKind.NO_SALE else Permission.PAID_IN_OUT
    if authorization.permission is not needed:
        raise PermissionDenied("that needs a manager's approval")
    check_cash_movement(kind, amount_minor, reason)
    shift = _require_open(uow, shop)
    if kind is CashMovementKind.PAID_OUT:
        check_drawer_holds(uow.shifts.cash_summary(shift).expected_minor, -amount_minor)
    approver_id = authorization.approver.id if authorization.approver else None
    uow.shifts.add_cash_movement(
        shift_id=shift.id,
        kind=kind,
        amount_minor=amount_minor,
        reason=reason.strip(),
        staff_id=authorization.actor.id,
        approved_by_id=approver_id,
    )
    # Imported here: python-escpos is heavy, and most starts never open the drawer.
    from pos_app.services import printing

    drawer_job_id = printing.enqueue_drawer_kick(uow)
    uow.audit.record(
        f"drawer.{kind.value}",
        staff_id=authorization.actor.id,
        approved_by_id=approver_id,
        details={
            "amount_minor": amount_minor,
            "reason": reason.strip(),
            "drawer_job_id": str(drawer_job_id) if drawer_job_id else None,
        },
    )
    return drawer_job_id


def cash_movements(uow: UnitOfWork, *, shop: Shop) -> list[CashMovement]:
    """The open shift's drawer entries, for the shift screen (empty with no shift open)."""
    shift = uow.shifts.current(shop.register_id)
    return uow.shifts.cash_movements(shift.id) if shift else []


def correct_cash_movement(
    uow: UnitOfWork,
    *,
    shop: Shop,
    movement_id: UUID,
    reason: str,
    authorization: Authorization,
) -> UUID:
    """Reverse a paid in or out of the open shift (a mistyped amount, a wrong kind): a new
    entry of the same kind and the opposite amount, never an edit, audited with who approved
    it. Refused when it would take the drawer below zero. Returns the correction's id."""
    if authorization.permission is not Permission.PAID_IN_OUT:
        raise PermissionDenied("that needs a manager's approval")
    shift = _require_open(uow, shop)
    original = next((m for m in uow.shifts.cash_movements(shift.id) if m.id == movement_id), None)
    if original is None:
        raise ValidationError("that entry is not in the open shift")
    check_correction(original, reason)
    check_drawer_holds(uow.shifts.cash_summary(shift).expected_minor, -original.drawer_effect_minor)
    approver_id = authorization.approver.id if authorization.approver else None
    correction_id = uow.shifts.add_cash_movement(
        shift_id=shift.id,
        kind=original.kind,
        amount_minor=-original.amount_minor,
        reason=reason.strip(),
        staff_id=authorization.actor.id,
        approved_by_id=approver_id,
    )
    uow.audit.record(
        "drawer.correction",
        staff_id=authorization.actor.id,
        approved_by_id=approver_id,
        details={
            "movement_id": str(correction_id),
            "reverses_id": str(original.id),
            "kind": original.kind.value,
            "amount_minor": -original.amount_minor,
            "reason": reason.strip(),
        },
    )
    return correction_id


def build_report(
    uow: UnitOfWork, shift: ShiftRecord, kind: ReportKind, counted_minor: int | None = None
) -> ShiftReport:
    return ShiftReport.of(
        uow.shifts.shift_figures(shift),
        kind=kind,
        shift_id=str(shift.id),
        currency=shift.currency,
        opened_at=shift.opened_at,
        closed_at=shift.closed_at,
        generated_at=utcnow(),
        cash=uow.shifts.cash_summary(shift),
        counted_cash_minor=counted_minor if counted_minor is not None else shift.counted_cash_minor,
    )


def x_report(uow: UnitOfWork, *, shop: Shop) -> ShiftReport:
    """A mid-shift snapshot. Closes nothing."""
    return build_report(uow, _require_open(uow, shop), ReportKind.X)


def close_shift(
    uow: UnitOfWork,
    *,
    shop: Shop,
    authorization: Authorization,
    counts: Mapping[int, int] | None = None,
    counted_minor: int | None = None,
    leave_unfinished: bool = False,
) -> ShiftReport:
    """Close with the counted cash (by denomination, or a total) and produce the Z report.

    Orders still open or parked on the register stop the close (`UnfinishedOrders`, listing
    them) unless `leave_unfinished`: the manager saw the list and chose to leave them for a
    later shift. Either way their numbers go to the audit entry."""
    if authorization.permission is not Permission.CLOSE_SHIFT:
        raise PermissionDenied("closing the shift needs a manager")
    if (counts is None) == (counted_minor is None):
        raise ValidationError("count the drawer: by denomination or as a total")
    counted = count_cash(counts) if counts is not None else counted_minor
    assert counted is not None
    if counted < 0:
        raise ValidationError("counted cash cannot be negative")
    shift = _require_open(uow, shop)
    unfinished = uow.orders.unfinished(shop.register_id)
    if unfinished and not leave_unfinished:
        raise UnfinishedOrders(tuple(unfinished))
    expected = uow.shifts.cash_summary(shift).expected_minor
    now = utcnow()
    uow.shifts.close(
        shift.id,
        staff_id=authorization.actor.id,
        at=now,
        expected_minor=expected,
        counted_minor=counted,
        counts={str(k): v for k, v in (counts or {}).items()},
    )
    approver_id = authorization.approver.id if authorization.approver else None
    uow.audit.record(
        "shift.closed",
        staff_id=authorization.actor.id,
        approved_by_id=approver_id,
        details={
            "expected_minor": expected,
            "counted_minor": counted,
            "over_short_minor": counted - expected,
            "unfinished_orders": [order.number for order in unfinished],
        },
    )
    closed = uow.shifts.get(shift.id)
    assert closed is not None
    return build_report(uow, closed, ReportKind.Z)


def z_report(uow: UnitOfWork, *, shift_id: UUID) -> ShiftReport:
    shift = uow.shifts.get(shift_id)
    if shift is None:
        raise ValidationError("no such shift")
    return build_report(uow, shift, ReportKind.Z if shift.closed_at else ReportKind.X)
