"""Shifts and the drawer: open, close, paid in and out, no sale, X and Z reports."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from uuid import UUID

from pos_app.application._area import Area
from pos_app.domain.errors import ValidationError
from pos_app.domain.reports import ShiftReport
from pos_app.domain.shifts import CashMovement, CashMovementKind, ShiftRecord
from pos_app.domain.staff import Authorization, Permission, StaffMember, authorize
from pos_app.services import shifts
from pos_app.services.shifts import UnfinishedOrders

__all__ = ["ShiftOverview", "Shifts", "UnfinishedOrders"]


@dataclass(frozen=True, slots=True)
class ShiftOverview:
    """The open shift as the shift screen shows it."""

    shift: ShiftRecord
    opened_by: str
    report: ShiftReport
    movements: tuple[CashMovement, ...] = ()


class Shifts(Area):
    def current(self) -> ShiftRecord | None:
        """The register's open shift, if any."""
        with self.db.read() as uow:
            return shifts.current_shift(uow, shop=self.shop)

    def overview(self) -> ShiftOverview | None:
        """The open shift, who opened it, its figures so far and its drawer entries."""
        with self.db.read() as uow:
            shift = shifts.current_shift(uow, shop=self.shop)
            if shift is None:
                return None
            opener = uow.staff.get(shift.opened_by_id)
            report = shifts.x_report(uow, shop=self.shop)
            movements = tuple(shifts.cash_movements(uow, shop=self.shop))
            return ShiftOverview(shift, opener.name if opener else "?", report, movements)

    def open(self, staff: StaffMember, *, float_minor: int) -> ShiftRecord:
        """Open a shift with the counted float."""
        with self.db.write() as uow:
            return shifts.open_shift(uow, shop=self.shop, staff=staff, float_minor=float_minor)

    def ensure_open(self, staff: StaffMember, *, float_minor: int) -> None:
        """Open a shift unless one is open already (scripts and the CLI)."""
        with self.db.write() as uow:
            if shifts.current_shift(uow, shop=self.shop) is None:
                shifts.open_shift(uow, shop=self.shop, staff=staff, float_minor=float_minor)

    def move_cash(
        self,
        kind: CashMovementKind,
        *,
        amount_minor: int,
        reason: str,
        authorization: Authorization,
    ) -> UUID | None:
        """Paid in, paid out, or a no-sale drawer open (amount 0). Returns the drawer kick's
        print job, or None when no drawer is wired to a printer."""
        with self.db.write() as uow:
            return shifts.cash_movement(
                uow,
                shop=self.shop,
                kind=kind,
                amount_minor=amount_minor,
                reason=reason,
                authorization=authorization,
            )

    def correct_movement(
        self, movement_id: UUID, *, reason: str, authorization: Authorization
    ) -> UUID:
        """Reverse a paid in or out of the open shift; returns the correction's id."""
        with self.db.write() as uow:
            return shifts.correct_cash_movement(
                uow,
                shop=self.shop,
                movement_id=movement_id,
                reason=reason,
                authorization=authorization,
            )

    def x_report(self) -> ShiftReport:
        with self.db.read() as uow:
            return shifts.x_report(uow, shop=self.shop)

    def close(
        self,
        authorization: Authorization,
        *,
        counts: Mapping[int, int] | None = None,
        counted_minor: int | None = None,
        leave_unfinished: bool = False,
    ) -> ShiftReport:
        """Close the open shift with the drawer counted (by denomination or as a total): the
        Z report. Raises `UnfinishedOrders` for orders still open or parked, unless
        `leave_unfinished`."""
        with self.db.write() as uow:
            return shifts.close_shift(
                uow,
                shop=self.shop,
                authorization=authorization,
                counts=counts,
                counted_minor=counted_minor,
                leave_unfinished=leave_unfinished,
            )

    def close_or_last_z(
        self, staff: StaffMember, *, counted_minor: int | None, leave_unfinished: bool = False
    ) -> ShiftReport:
        """`pos-app report z`: close the open shift (counted as expected unless given), or,
        with none open, the last closed shift's Z report again."""
        authorization = authorize(staff, Permission.CLOSE_SHIFT)
        with self.db.write() as uow:
            shift = shifts.current_shift(uow, shop=self.shop)
            if shift is None:
                latest = uow.shifts.latest_closed(self.shop.register_id)
                if latest is None:
                    raise ValidationError("no shift has been opened on this register yet")
                return shifts.z_report(uow, shift_id=latest.id)
            if counted_minor is None:
                counted_minor = uow.shifts.cash_summary(shift).expected_minor
            return shifts.close_shift(
                uow,
                shop=self.shop,
                authorization=authorization,
                counted_minor=counted_minor,
                leave_unfinished=leave_unfinished,
            )
