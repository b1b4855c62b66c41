"""Drawer movements checked against what the drawer should hold, and corrected by reversing
entries with an approver, through the real shift service on a real SQLite file."""

from __future__ import annotations

from uuid import UUID

import pytest

from pos_app.db.database import Database
from pos_app.domain.errors import PermissionDenied, ValidationError
from pos_app.domain.shifts import CashMovementKind
from pos_app.domain.shop import Shop
from pos_app.domain.staff import Permission, StaffMember, authorize
from pos_app.services import shifts
from tests.support.register import open_shift, sell


def move(
    db: Database,
    shop: Shop,
    kind: CashMovementKind,
    amount_minor: int,
    actor: StaffMember,
    approver: StaffMember | None = None,
) -> None:
    with db.write() as uow:
        shifts.cash_movement(
            uow,
            shop=shop,
            kind=kind,
            amount_minor=amount_minor,
            reason="test",
            authorization=authorize(actor, Permission.PAID_IN_OUT, approver),
        )


def expected(db: Database, shop: Shop) -> int:
    with db.read() as uow:
        return shifts.x_report(uow, shop=shop).cash.expected_minor


def correct(
    db: Database, shop: Shop, movement_id: UUID, actor: StaffMember, approver: StaffMember | None
) -> UUID:
    with db.write() as uow:
        return shifts.correct_cash_movement(
            uow,
            shop=shop,
            movement_id=movement_id,
            reason="typed 500 for 50",
            authorization=authorize(actor, Permission.PAID_IN_OUT, approver),
        )


def test_a_paid_out_larger_than_the_drawer_holds_is_refused(
    db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> None:
    alex, morgan = staff["Alex"], staff["Morgan"]
    open_shift(db, shop, morgan, float_minor=15_000)
    sell(db, shop, alex, [("COF-LAT", 2), ("BAK-CRO", 1)])
    drawer = expected(db, shop)
    # The issue: paying out $500 with $163.34 expected left the drawer at -$336.66.
    with pytest.raises(ValidationError, match="does not hold that much cash"):
        move(db, shop, CashMovementKind.PAID_OUT, 50_000, alex, morgan)
    assert expected(db, shop) == drawer
    move(db, shop, CashMovementKind.PAID_OUT, drawer, alex, morgan)  # emptying it is fine
    assert expected(db, shop) == 0


def test_a_mistyped_paid_in_is_corrected_by_a_reversing_entry_with_an_approver(
    db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> None:
    alex, morgan = staff["Alex"], staff["Morgan"]
    open_shift(db, shop, morgan, float_minor=10_000)
    move(db, shop, CashMovementKind.PAID_IN, 50_000, alex, morgan)  # meant 50.00
    move(db, shop, CashMovementKind.PAID_IN, 5_000, alex, morgan)
    with db.read() as uow:
        wrong = shifts.cash_movements(uow, shop=shop)[0]
    assert wrong.amount_minor == 50_000
    assert expected(db, shop) == 65_000

    with pytest.raises(PermissionDenied):
        correct(db, shop, wrong.id, alex, None)  # a cashier alone cannot
    correction_id = correct(db, shop, wrong.id, alex, morgan)

    assert expected(db, shop) == 15_000
    with db.read() as uow:
        entries = shifts.cash_movements(uow, shop=shop)
        report = shifts.x_report(uow, shop=shop)
        audit = uow.audit.entries(action="drawer.correction")
    original, _, reversal = entries
    assert original.id == wrong.id
    assert original.corrected
    assert reversal.id == correction_id
    assert reversal.reverses_id == wrong.id
    assert (reversal.kind, reversal.amount_minor) == (CashMovementKind.PAID_IN, -50_000)
    assert (reversal.staff_id, reversal.approved_by_id) == (alex.id, morgan.id)
    assert report.cash.paid_in_minor == 5_000
    assert report.cash.corrections_count == 1
    assert [(e.staff_id, e.approved_by_id, e.details["reverses_id"]) for e in audit] == [
        (alex.id, morgan.id, str(wrong.id))
    ]
    # Once only, and a correction is not itself corrected.
    with pytest.raises(ValidationError, match="already corrected"):
        correct(db, shop, wrong.id, morgan, None)
    with pytest.raises(ValidationError, match="cannot be corrected"):
        correct(db, shop, correction_id, morgan, None)


def test_a_correction_that_would_empty_the_drawer_below_zero_is_refused(
    db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> None:
    morgan = staff["Morgan"]
    open_shift(db, shop, morgan, float_minor=0)
    move(db, shop, CashMovementKind.PAID_IN, 10_000, morgan)
    move(db, shop, CashMovementKind.PAID_OUT, 8_000, morgan)
    with db.read() as uow:
        paid_in, paid_out = shifts.cash_movements(uow, shop=shop)
    # Taking the 100.00 paid in back out would leave -80.00 in the drawer.
    with pytest.raises(ValidationError, match="does not hold that much cash"):
        correct(db, shop, paid_in.id, morgan, None)
    correct(db, shop, paid_out.id, morgan, None)  # reversing a paid out puts cash back
    assert expected(db, shop) == 10_000
    correct(db, shop, paid_in.id, morgan, None)
    assert expected(db, shop) == 0
