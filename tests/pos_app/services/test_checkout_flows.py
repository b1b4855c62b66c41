"""Checkout through the real services and a real SQLite file."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pos_app.db.database import Database
from pos_app.db.models import OrderLineRow, OrderRow, StockMovementRow, TenderRow
from pos_app.domain.catalog import Product
from pos_app.domain.errors import (
    InvalidTransition,
    NotEnoughStock,
    OutOfStock,
    PermissionDenied,
    ValidationError,
)
from pos_app.domain.orders import OrderStatus
from pos_app.domain.pricing import Discount, DiscountKind
from pos_app.domain.shop import Shop
from pos_app.domain.staff import Permission, StaffMember, authorize
from pos_app.domain.tenders import TenderKind, TenderRequest
from pos_app.services import auth, checkout
from tests.support.register import open_shift, ring_up, sell


def count(db: Database, model: type) -> int:
    with db.read() as uow:
        return uow.session.scalar(select(func.count()).select_from(model)) or 0


def test_cash_sale_writes_order_lines_stock_and_tenders_together(
    db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> None:
    open_shift(db, shop, staff["Alex"])
    placed = sell(db, shop, staff["Alex"], [("COF-LAT", 2), ("BAK-CRO", 1)], tendered_minor=2000)
    assert placed.number == 1
    assert placed.totals.total_minor == 1334
    assert placed.change_minor == 666
    with db.read() as uow:
        order = uow.orders.get(placed.order_id)
        croissant = uow.catalog.by_sku("BAK-CRO")
    assert order is not None
    assert order.status is OrderStatus.PAID
    assert [line.sku for line in order.lines] == ["COF-LAT", "BAK-CRO"]
    assert order.tenders[0].tendered_minor == 2000
    assert croissant is not None
    assert croissant.stock_quantity == 23
    with db.read() as uow:
        sale_movements = uow.session.execute(
            select(StockMovementRow.quantity_delta, StockMovementRow.reason).where(
                StockMovementRow.order_id == placed.order_id
            )
        ).all()
    assert [tuple(m) for m in sale_movements] == [(-1, "sale")]


def test_not_enough_stock_is_a_clear_error_and_writes_nothing(
    db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> None:
    shift_id = open_shift(db, shop, staff["Alex"])
    before = (count(db, OrderRow), count(db, OrderLineRow), count(db, TenderRow))
    with pytest.raises(OutOfStock):  # the counter refuses a 13th bagel of 12 at once
        ring_up(db, shop, [("BAK-BAG", 13)])
    order = ring_up(db, shop, [("BAK-CRO", 2), ("BAK-BAG", 12)])
    with db.write() as uow:  # meanwhile another register sells a bagel
        bagel = uow.catalog.by_sku("BAK-BAG")
        assert bagel is not None
        uow.catalog.adjust_stock(bagel.id, -1)
    with (
        pytest.raises(
            NotEnoughStock,
            match=r"Not enough stock for Bagel & Cream Cheese \(BAK-BAG\): 11 left, 12 wanted",
        ),
        db.write() as uow,
    ):
        # The croissants would fit: they must not be taken either.
        checkout.place_order(
            uow,
            order=order,
            tenders=[TenderRequest(TenderKind.CASH, order.totals().total_minor)],
            shop=shop,
            staff=staff["Alex"],
            shift_id=shift_id,
        )
    assert (count(db, OrderRow), count(db, OrderLineRow), count(db, TenderRow)) == before
    with db.read() as uow:
        croissant = uow.catalog.by_sku("BAK-CRO")
    assert croissant is not None
    assert croissant.stock_quantity == 24


def test_cash_needs_an_open_shift(db: Database, shop: Shop, staff: dict[str, StaffMember]) -> None:
    with pytest.raises(ValidationError, match="open a shift"):
        sell(db, shop, staff["Alex"], [("COF-ESP", 1)])


def test_order_numbers_are_sequential(
    db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> None:
    open_shift(db, shop, staff["Alex"])
    numbers = [sell(db, shop, staff["Alex"], [("COF-ESP", 1)]).number for _ in range(5)]
    assert numbers == [1, 2, 3, 4, 5]
    with db.read() as uow:
        found = uow.orders.get_by_number(3)
    assert found is not None
    assert found.number == 3


def test_park_recall_and_pay(db: Database, shop: Shop, staff: dict[str, StaffMember]) -> None:
    open_shift(db, shop, staff["Alex"])
    order = ring_up(db, shop, [("FOD-FRI", 2)])
    with db.write() as uow:
        number = checkout.park_order(
            uow, order=order, label="Table 7", shop=shop, staff=staff["Alex"], shift_id=None
        )
    with db.read() as uow:
        parked = uow.orders.parked()
    assert [(p.number, p.label, p.status) for p in parked] == [
        (number, "Table 7", OrderStatus.PARKED)
    ]
    with db.read() as uow:
        recalled = checkout.recall_order(uow, order_id=parked[0].id)
    cola = _product(db, "DRK-COL")
    assert cola is not None
    recalled.add_product(cola)
    with db.write() as uow:
        shift = uow.shifts.current(shop.register_id)
        placed = checkout.place_order(
            uow,
            order=recalled,
            tenders=[TenderRequest(TenderKind.CASH, 5000)],
            shop=shop,
            staff=staff["Alex"],
            shift_id=shift.id if shift else None,
        )
    assert placed.number == number  # the parked order keeps its number
    with db.read() as uow:
        assert uow.orders.parked() == []
        paid = uow.orders.get(placed.order_id)
    assert paid is not None
    assert len(paid.lines) == 2
    assert paid.status is OrderStatus.PAID


def test_paying_a_recalled_order_voided_meanwhile_is_refused_with_a_domain_error(
    db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> None:
    # Found by the order-lifecycle state machine: the order is recalled to the counter, voided
    # from order history, then paid from the counter; the repository raised a bare ValueError.
    shift_id = open_shift(db, shop, staff["Alex"])
    order = ring_up(db, shop, [("FOD-FRI", 1)])
    with db.write() as uow:
        checkout.park_order(
            uow, order=order, label="Table 2", shop=shop, staff=staff["Alex"], shift_id=shift_id
        )
    with db.read() as uow:
        recalled = checkout.recall_order(uow, order_id=order.id)
        stored = uow.orders.get(order.id)
    assert stored is not None
    with db.write() as uow:
        checkout.void_order(
            uow,
            order=stored,
            reason="walked out",
            authorization=authorize(staff["Morgan"], Permission.VOID),
            shop=shop,
            shift_id=shift_id,
        )
    before = count(db, TenderRow)
    with pytest.raises(InvalidTransition, match="voided"), db.write() as uow:
        checkout.place_order(
            uow,
            order=recalled,
            tenders=[TenderRequest(TenderKind.CASH, 5000)],
            shop=shop,
            staff=staff["Alex"],
            shift_id=shift_id,
        )
    with db.read() as uow:
        voided = uow.orders.get(order.id)
    assert voided is not None
    assert voided.status is OrderStatus.VOIDED
    assert count(db, TenderRow) == before


def _product(db: Database, sku: str) -> Product | None:
    with db.read() as uow:
        return uow.catalog.by_sku(sku)


def test_void_needs_a_manager_and_both_names_are_audited(
    db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> None:
    order = ring_up(db, shop, [("FOD-BUR", 1)])
    with (
        pytest.raises(PermissionDenied, match="Alex needs a manager's approval"),
        db.write() as uow,
    ):
        auth.approve(uow, actor=staff["Alex"], permission=Permission.VOID)
    with db.write() as uow:
        wrong = auth.approve(
            uow,
            actor=staff["Alex"],
            permission=Permission.VOID,
            approver_id=staff["Morgan"].id,
            approver_pin="0000",
        )
    assert isinstance(wrong, auth.PinCheck)
    assert wrong.error == "wrong PIN"
    with db.write() as uow:
        approval = auth.approve(
            uow,
            actor=staff["Alex"],
            permission=Permission.VOID,
            approver_id=staff["Morgan"].id,
            approver_pin="2222",
        )
    assert not isinstance(approval, auth.PinCheck)
    with db.write() as uow:
        checkout.void_order(
            uow,
            order=order,
            reason="customer left",
            authorization=approval,
            shop=shop,
            shift_id=None,
        )
    with db.read() as uow:
        voided = uow.orders.get(order.id)
        entries = uow.audit.entries(action="order.voided")
        failures = uow.audit.entries(action="auth.pin_failed")
    assert voided is not None
    assert voided.status is OrderStatus.VOIDED
    assert entries[0].staff_id == staff["Alex"].id
    assert entries[0].approved_by_id == staff["Morgan"].id
    assert entries[0].details["reason"] == "customer left"
    assert len(failures) == 1  # the wrong PIN was recorded even though nothing else happened


def test_pin_lockout_after_repeated_failures(
    db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> None:
    for _ in range(auth.MAX_FAILURES):
        with db.write() as uow:
            assert auth.check_pin(uow, staff_id=staff["Morgan"].id, pin="0000").member is None
    with db.write() as uow:
        locked = auth.check_pin(uow, staff_id=staff["Morgan"].id, pin="2222")
    assert locked.member is None
    assert locked.error is not None
    assert "try again" in locked.error


def test_large_discount_needs_approval_small_does_not(
    db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> None:
    order = ring_up(db, shop, [("FOD-SAL", 1)])
    line_id = order.lines[0].id
    checkout.apply_discount(
        order,
        shop=shop,
        discount=Discount(DiscountKind.PERCENT, 50_000),
        actor=staff["Alex"],
        line_id=line_id,
    )
    with pytest.raises(PermissionDenied):
        checkout.apply_discount(
            order, shop=shop, discount=Discount(DiscountKind.PERCENT, 500_000), actor=staff["Alex"]
        )
    approval = authorize(staff["Alex"], Permission.LARGE_DISCOUNT, staff["Morgan"])
    checkout.apply_discount(
        order,
        shop=shop,
        discount=Discount(DiscountKind.PERCENT, 500_000),
        actor=staff["Alex"],
        approval=approval,
    )
    open_shift(db, shop, staff["Alex"])
    with db.write() as uow:
        shift = uow.shifts.current(shop.register_id)
        checkout.place_order(
            uow,
            order=order,
            tenders=[TenderRequest(TenderKind.CASH, 10_000)],
            shop=shop,
            staff=staff["Alex"],
            shift_id=shift.id if shift else None,
        )
    with db.read() as uow:
        notes = [(e.action, e.approved_by_id) for e in uow.audit.entries(order_id=order.id)]
    assert notes == [("discount.line", None), ("discount.order", staff["Morgan"].id)]


def test_a_failed_placement_leaves_the_callers_cart_usable(
    db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> None:
    shift_id = open_shift(db, shop, staff["Alex"])
    order = ring_up(db, shop, [("COF-ESP", 1)])
    with pytest.raises(ValidationError, match="still due"), db.write() as uow:
        checkout.place_order(
            uow,
            order=order,
            tenders=[TenderRequest(TenderKind.CASH, 1)],
            shop=shop,
            staff=staff["Alex"],
            shift_id=shift_id,
        )
    assert order.status is OrderStatus.OPEN
    assert order.tenders == []
    assert count(db, OrderRow) == 0
