"""The stock rule every way of adding an item goes through (`Order.add_product`)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from pos_app.db.database import Database
from pos_app.domain.errors import OutOfStock, ValidationError
from pos_app.domain.orders import Order
from pos_app.domain.shop import Shop
from pos_app.domain.staff import Permission, StaffMember, authorize
from pos_app.domain.tenders import TenderKind, TenderRequest
from pos_app.services import checkout
from tests.support.register import open_shift


def test_beyond_stock_only_with_a_managers_approval_and_audited(
    db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> None:
    alex, morgan = staff["Alex"], staff["Morgan"]
    shift_id = open_shift(db, shop, alex)
    with db.read() as uow:
        muffin = uow.catalog.by_sku("BAK-MUF")
    assert muffin is not None
    muffin = replace(muffin, stock_quantity=5)  # the stock of 5
    order = Order(currency=shop.currency, tax_mode=shop.tax_mode)
    order.add_product(muffin, 5)
    with pytest.raises(OutOfStock) as refused:
        order.add_product(muffin, 1)  # the sixth
    assert (refused.value.available, refused.value.wanted) == (5, 6)
    with pytest.raises(OutOfStock):  # a cashier's own say-so is not an approval
        order.add_product(muffin, 1, oversell=authorize(alex, Permission.SELL))
    assert order.lines[0].quantity == 5
    order.add_product(muffin, 1, oversell=authorize(alex, Permission.OVERSELL, morgan))
    assert order.lines[0].quantity == 6
    with pytest.raises(ValidationError, match="not on sale"):  # 86'd: no approval sells it
        order.add_product(
            replace(muffin, active=False), 1, oversell=authorize(morgan, Permission.OVERSELL)
        )
    with db.write() as uow:
        uow.catalog.adjust_stock(muffin.id, 5 - uow.catalog.stock_level(muffin.id))
        checkout.place_order(
            uow,
            order=order,
            tenders=[TenderRequest(TenderKind.CASH, order.totals().total_minor)],
            shop=shop,
            staff=alex,
            shift_id=shift_id,
        )
    with db.read() as uow:
        assert uow.catalog.stock_level(muffin.id) == -1
        [approved] = uow.audit.entries(action="stock.oversell_approved")
        [oversold] = uow.audit.entries(action="stock.oversold")
    assert (approved.staff_id, approved.approved_by_id) == (alex.id, morgan.id)
    assert oversold.details == {"sku": "BAK-MUF", "available": 5, "sold": 6}


def test_more_of_a_line_meets_the_same_stock_rule(
    db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> None:
    alex, morgan = staff["Alex"], staff["Morgan"]
    with db.read() as uow:
        juice = uow.catalog.by_sku("DRK-OJ")
    assert juice is not None
    juice = replace(juice, stock_quantity=1)
    order = Order(currency=shop.currency, tax_mode=shop.tax_mode)
    line = order.add_product(juice, 1)
    with pytest.raises(OutOfStock) as refused:
        order.change_quantity(line.id, 2, juice)  # the cart's "+"
    assert (refused.value.available, refused.value.wanted) == (1, 2)
    assert line.quantity == 1
    order.change_quantity(line.id, 0, juice)  # fewer is always fine
    assert order.is_empty
    line = order.add_product(juice, 1)
    order.change_quantity(line.id, 2, juice, oversell=authorize(alex, Permission.OVERSELL, morgan))
    assert line.quantity == 2
    assert juice.id in order.oversell_approved
    assert [note.action for note in order.audit_notes] == ["stock.oversell_approved"]
