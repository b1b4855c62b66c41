"""Orders with nothing to pay (a comp, a staff meal) and discounts larger than what they apply
to, through the real checkout service on a real SQLite file."""

from __future__ import annotations

import pytest

from pos_app.db.database import Database
from pos_app.domain.errors import PermissionDenied, ValidationError
from pos_app.domain.orders import OrderStatus
from pos_app.domain.pricing import Discount, DiscountKind
from pos_app.domain.shop import Shop
from pos_app.domain.staff import Permission, StaffMember, authorize
from pos_app.domain.tenders import TenderKind, TenderRequest
from pos_app.services import checkout
from tests.support.register import open_shift, ring_up


def test_an_order_with_nothing_to_pay_completes_as_a_comp_with_a_reason_and_an_approver(
    db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> None:
    shift_id = open_shift(db, shop, staff["Sam"])
    order = ring_up(db, shop, [("BAK-CRO", 1), ("DRK-COL", 1)])
    subtotal = order.totals().subtotal_minor
    comp = authorize(staff["Alex"], Permission.LARGE_DISCOUNT, staff["Morgan"])
    checkout.apply_discount(
        order,
        shop=shop,
        discount=Discount(DiscountKind.PERCENT, 1_000_000, "staff meal"),
        actor=staff["Alex"],
        approval=comp,
    )
    assert order.totals().total_minor == 0

    def place(
        tenders: list[TenderRequest], no_charge: checkout.NoCharge | None
    ) -> checkout.PlacedOrder:
        with db.write() as uow:
            return checkout.place_order(
                uow,
                order=order,
                tenders=tenders,
                shop=shop,
                staff=staff["Alex"],
                shift_id=shift_id,
                no_charge=no_charge,
            )

    # What the pay screen used to try: a cash tender of nothing, or no tender at all.
    with pytest.raises(ValidationError, match="at no charge"):
        place([TenderRequest(TenderKind.CASH, 0)], None)
    with pytest.raises(ValidationError, match="at no charge"):
        place([], None)
    with pytest.raises(ValidationError, match="reason"):
        place([], checkout.NoCharge(comp, "  "))
    with pytest.raises(PermissionDenied):
        place([], checkout.NoCharge(authorize(staff["Alex"], Permission.SELL), "staff meal"))
    with pytest.raises(PermissionDenied):
        authorize(staff["Alex"], Permission.LARGE_DISCOUNT)  # a cashier alone cannot comp

    placed = place([], checkout.NoCharge(comp, "staff meal"))

    assert placed.totals.total_minor == 0
    assert placed.tenders == ()
    with db.read() as uow:
        stored = uow.orders.get(placed.order_id)
        entries = uow.audit.entries(order_id=placed.order_id)
        croissant = uow.catalog.by_sku("BAK-CRO")
    assert stored is not None
    assert stored.status is OrderStatus.PAID
    comped = [e for e in entries if e.action == "order.no_charge"]
    assert [(e.staff_id, e.approved_by_id) for e in comped] == [
        (staff["Alex"].id, staff["Morgan"].id)
    ]
    assert comped[0].details == {"reason": "staff meal", "subtotal_minor": subtotal}
    assert croissant is not None
    assert croissant.stock_quantity == 23  # the comped croissant left the shelf


def test_a_no_charge_completion_is_refused_for_an_order_that_costs_something(
    db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> None:
    shift_id = open_shift(db, shop, staff["Sam"])
    order = ring_up(db, shop, [("BAK-CRO", 1)])
    comp = authorize(staff["Morgan"], Permission.LARGE_DISCOUNT)
    with pytest.raises(ValidationError, match="total is zero"), db.write() as uow:
        checkout.place_order(
            uow,
            order=order,
            tenders=[],
            shop=shop,
            staff=staff["Morgan"],
            shift_id=shift_id,
            no_charge=checkout.NoCharge(comp, "free"),
        )


@pytest.mark.parametrize("on_line", [True, False])
def test_a_discount_bigger_than_what_it_applies_to_is_capped_and_says_so(
    shop: Shop, db: Database, staff: dict[str, StaffMember], on_line: bool
) -> None:
    order = ring_up(db, shop, [("BAK-CRO", 1)])
    line_id = order.lines[0].id if on_line else None
    price = order.totals().subtotal_minor
    approval = authorize(staff["Alex"], Permission.LARGE_DISCOUNT, staff["Morgan"])
    capped = checkout.apply_discount(
        order,
        shop=shop,
        discount=Discount(DiscountKind.AMOUNT, price + 500, "sorry"),
        actor=staff["Alex"],
        approval=approval,
        line_id=line_id,
    )
    assert capped == price
    stored = order.lines[0].discount if on_line else order.discount
    assert stored == Discount(DiscountKind.AMOUNT, price, "sorry")
    assert order.audit_notes[-1].details["asked"] == price + 500
    # A discount that fits is not capped.
    assert (
        checkout.apply_discount(
            order,
            shop=shop,
            discount=Discount(DiscountKind.AMOUNT, 10, "sorry"),
            actor=staff["Alex"],
            line_id=line_id,
        )
        is None
    )
