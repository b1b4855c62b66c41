"""Saving one product from the back office: updates keep modifiers, duplicates are refused."""

from __future__ import annotations

from dataclasses import replace

import pytest

from pos_app.db.database import Database
from pos_app.domain.catalog import Product
from pos_app.domain.errors import ValidationError
from pos_app.domain.ids import uuid7
from pos_app.domain.shop import Shop
from pos_app.domain.staff import Permission, StaffMember, authorize
from pos_app.services import catalog


def test_save_updates_and_refuses_a_taken_sku_or_barcode(
    db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> None:
    manage = authorize(staff["Morgan"], Permission.MANAGE_CATALOG)
    with db.read() as uow:
        latte = uow.catalog.by_sku("COF-LAT")
    assert latte is not None
    with db.write() as uow:
        catalog.save_product(
            uow, product=replace(latte, name="Latte", price_minor=495), authorization=manage
        )
    new = Product(uuid7(), "COF-LAT", "Copycat", 100, "USD", 0)
    taken_sku = pytest.raises(ValidationError, match="SKU COF-LAT is already used by Latte")
    with taken_sku, db.write() as uow:
        catalog.save_product(uow, product=new, authorization=manage)
    taken_code = pytest.raises(ValidationError, match="barcode 0049000050103 is already used by")
    with taken_code, db.write() as uow:
        catalog.save_product(
            uow, product=replace(new, sku="NEW-1", barcode="0049000050103"), authorization=manage
        )
    with db.read() as uow:
        saved = uow.catalog.by_sku("COF-LAT")
        assert uow.catalog.by_sku("NEW-1") is None
        [entry] = uow.audit.entries(action="catalog.product_saved")
    assert saved is not None
    assert saved.price_minor == 495
    assert len(saved.modifier_groups) == 2
    assert entry.details == {"sku": "COF-LAT", "price_minor": 495}
