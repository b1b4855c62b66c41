"""Shifts and the drawer: open, paid in and out and their reversal, no sale, X and Z."""

from __future__ import annotations

from dataclasses import replace

import pytest

from pos_app.application.register import Register
from pos_app.application.shifts import UnfinishedOrders
from pos_app.domain.errors import PermissionDenied, ValidationError
from pos_app.domain.reports import ReportKind
from pos_app.domain.shifts import CashMovementKind
from pos_app.domain.staff import Permission, StaffMember, authorize
from tests.pos_app.application.conftest import audit


def test_open_stores_the_shift_with_its_float_and_audits_it(
    register: Register, staff: dict[str, StaffMember]
) -> None:
    assert register.shifts.current() is None
    assert register.shifts.overview() is None
    shift = register.shifts.open(staff["Alex"], float_minor=15_000)
    assert register.shifts.current() == shift
    overview = register.shifts.overview()
    assert overview is not None
    assert overview.opened_by == "Alex"
    assert overview.report.cash.opening_float_minor == 15_000
    [entry] = audit(register, "shift.opened")
    assert entry.staff_id == staff["Alex"].id
    assert entry.details == {"float_minor": 15_000}
    with pytest.raises(ValidationError, match="already open"):
        register.shifts.open(staff["Sam"], float_minor=0)
    register.shifts.ensure_open(staff["Sam"], float_minor=0)  # one is open: nothing to do
    assert register.shifts.current() == shift
    assert len(audit(register, "shift.opened")) == 1


def test_paid_in_out_no_sale_and_a_reversal(
    register: Register, staff: dict[str, StaffMember]
) -> None:
    register.shifts.open(staff["Sam"], float_minor=10_000)
    paid = authorize(staff["Alex"], Permission.PAID_IN_OUT, staff["Morgan"])
    register.shifts.move_cash(
        CashMovementKind.PAID_IN, amount_minor=2_000, reason="change float", authorization=paid
    )
    register.shifts.move_cash(
        CashMovementKind.PAID_OUT, amount_minor=500, reason="milk", authorization=paid
    )
    register.shifts.move_cash(
        CashMovementKind.NO_SALE,
        amount_minor=0,
        reason="give change",
        authorization=authorize(staff["Sam"], Permission.NO_SALE),
    )
    with pytest.raises(PermissionDenied):
        register.shifts.move_cash(
            CashMovementKind.NO_SALE, amount_minor=0, reason="x", authorization=paid
        )
    [paid_in] = audit(register, "drawer.paid_in")
    assert paid_in.approved_by_id == staff["Morgan"].id
    assert paid_in.details["amount_minor"] == 2_000
    assert len(audit(register, "drawer.paid_out")) == 1
    assert len(audit(register, "drawer.no_sale")) == 1
    assert register.shifts.x_report().cash.expected_minor == 11_500

    overview = register.shifts.overview()
    assert overview is not None
    milk = next(m for m in overview.movements if m.kind is CashMovementKind.PAID_OUT)
    correction_id = register.shifts.correct_movement(
        milk.id, reason="typed twice", authorization=paid
    )
    [entry] = audit(register, "drawer.correction")
    assert entry.details["reverses_id"] == str(milk.id)
    assert entry.details["movement_id"] == str(correction_id)
    assert register.shifts.x_report().cash.expected_minor == 12_000


def test_close_with_a_count_refuses_unfinished_orders_unless_told(
    register: Register, staff: dict[str, StaffMember]
) -> None:
    register.shifts.open(staff["Sam"], float_minor=10_000)
    order = register.sales.ring_up([("COF-ESP", 1)])
    register.sales.park(order, label="later", staff=staff["Alex"], shift_id=None)
    manager = authorize(staff["Morgan"], Permission.CLOSE_SHIFT)
    with pytest.raises(UnfinishedOrders) as refused:
        register.shifts.close(manager, counts={5_000: 2})
    assert [o.id for o in refused.value.orders] == [order.id]
    assert register.shifts.current() is not None  # nothing was closed

    report = register.shifts.close(manager, counts={5_000: 2}, leave_unfinished=True)
    assert report.kind is ReportKind.Z
    assert register.shifts.current() is None
    [entry] = audit(register, "shift.closed")
    assert entry.details["counted_minor"] == 10_000
    assert entry.details["over_short_minor"] == 0
    assert entry.details["unfinished_orders"] == [refused.value.orders[0].number]


def test_close_or_last_z_counts_as_expected_then_shows_the_last_z(
    register: Register, staff: dict[str, StaffMember]
) -> None:
    with pytest.raises(ValidationError, match="no shift"):
        register.shifts.close_or_last_z(staff["Sam"], counted_minor=None)
    register.shifts.open(staff["Sam"], float_minor=7_000)
    register.sales.sell_cash(register.sales.ring_up([("COF-ESP", 1)]), staff["Alex"])
    with pytest.raises(PermissionDenied):
        register.shifts.close_or_last_z(staff["Alex"], counted_minor=None)
    closed = register.shifts.close_or_last_z(staff["Sam"], counted_minor=None)
    assert closed.kind is ReportKind.Z
    [entry] = audit(register, "shift.closed")
    assert entry.details["over_short_minor"] == 0
    again = register.shifts.close_or_last_z(staff["Sam"], counted_minor=None)
    assert replace(again, generated_at=closed.generated_at) == closed
    assert len(audit(register, "shift.closed")) == 1
