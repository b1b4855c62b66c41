"""The back office's catalog operations: each one commits its own change and its audit entry,
and a refused one leaves the catalog as it was."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from pos_app.application.catalog import MAX_CSV_BYTES, CsvImportError
from pos_app.application.register import Register
from pos_app.db.database import Database
from pos_app.domain.catalog import Product
from pos_app.domain.errors import ValidationError
from pos_app.domain.shop import Shop
from pos_app.domain.staff import Authorization, Permission, StaffMember, authorize

CSV = """sku,name,category,price,tax_rate,barcode,track_stock,stock
TEA-GRN,Green Tea,Tea,3.10,8.875,,no,
COF-LAT,Latte (new recipe),Coffee,4.75,8.875,,,
"""


@pytest.fixture
def register(db: Database, shop: Shop) -> Register:
    return Register(db, shop)


@pytest.fixture
def manager(staff: dict[str, StaffMember]) -> Authorization:
    return authorize(staff["Morgan"], Permission.MANAGE_CATALOG)


def _product(db: Database, sku: str) -> Product:
    with db.read() as uow:
        product = uow.catalog.by_sku(sku)
    assert product is not None
    return product


def test_a_price_change_and_a_shelf_count_are_saved_together_and_audited(
    register: Register, db: Database, manager: Authorization, staff: dict[str, StaffMember]
) -> None:
    cola = _product(db, "DRK-COL")
    register.catalog.save_product(replace(cola, price_minor=275), counted=30, authorization=manager)
    saved = _product(db, "DRK-COL")
    assert saved.price_minor == 275
    with db.read() as uow:
        assert uow.catalog.stock_level(cola.id) == 30
        [entry] = uow.audit.entries(action="catalog.product_saved")
    assert entry.staff_id == staff["Morgan"].id
    assert entry.details == {"sku": "DRK-COL", "price_minor": 275}


def test_an_unchanged_count_records_no_correction(
    register: Register, db: Database, manager: Authorization
) -> None:
    cola = _product(db, "DRK-COL")
    register.catalog.save_product(cola, counted=cola.stock_quantity, authorization=manager)
    with db.read() as uow:
        assert uow.catalog.stock_level(cola.id) == cola.stock_quantity


def test_a_refused_save_changes_nothing(
    register: Register, db: Database, manager: Authorization, staff: dict[str, StaffMember]
) -> None:
    cola = _product(db, "DRK-COL")
    with pytest.raises(ValidationError, match="already used by Still Water"):
        register.catalog.save_product(
            replace(cola, sku="DRK-WAT", price_minor=1), counted=0, authorization=manager
        )
    with pytest.raises(ValidationError, match="catalog changes need a manager"):
        register.catalog.save_product(
            replace(cola, price_minor=1),
            authorization=authorize(staff["Alex"], Permission.SELL),
        )
    assert _product(db, "DRK-COL") == cola
    with db.read() as uow:
        assert uow.audit.entries(action="catalog.product_saved") == []


def test_86_and_back_on_sale(register: Register, db: Database, manager: Authorization) -> None:
    fries = _product(db, "FOD-FRI")
    register.catalog.set_on_sale(fries.id, on_sale=False, authorization=manager)
    assert not _product(db, "FOD-FRI").active
    register.catalog.set_on_sale(fries.id, on_sale=True, authorization=manager)
    assert _product(db, "FOD-FRI").active
    with db.read() as uow:
        actions = [e.action for e in uow.audit.entries() if e.details.get("sku") == "FOD-FRI"]
    assert actions == ["catalog.86", "catalog.back_on_sale"]


def test_a_count_returns_the_correction(
    register: Register, db: Database, manager: Authorization
) -> None:
    croissant = _product(db, "BAK-CRO")
    assert register.catalog.count_stock(croissant.id, counted=20, authorization=manager) == -4
    with db.read() as uow:
        assert uow.catalog.stock_level(croissant.id) == 20
    with pytest.raises(ValidationError, match="negative"):
        register.catalog.count_stock(croissant.id, counted=-1, authorization=manager)


def test_a_csv_file_is_imported_and_audited(
    register: Register,
    db: Database,
    manager: Authorization,
    staff: dict[str, StaffMember],
    tmp_path: Path,
) -> None:
    path = tmp_path / "menu.csv"
    path.write_text(CSV, encoding="utf-8-sig")
    result = register.catalog.import_csv_file(path, authorization=manager)
    assert (result.created, result.updated, result.categories_created) == (1, 1, 1)
    assert _product(db, "TEA-GRN").price_minor == 310
    assert _product(db, "COF-LAT").price_minor == 475
    with db.read() as uow:
        [entry] = uow.audit.entries(action="catalog.imported")
    assert entry.staff_id == staff["Morgan"].id
    assert entry.details == {
        "file": "menu.csv",
        "created": 1,
        "updated": 1,
        "categories_created": 1,
    }


def test_a_bad_csv_file_imports_nothing(
    register: Register,
    db: Database,
    manager: Authorization,
    staff: dict[str, StaffMember],
    tmp_path: Path,
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(CSV.replace("3.10", "abc"), encoding="utf-8")
    with pytest.raises(CsvImportError):
        register.catalog.import_csv_file(bad, authorization=manager)
    latin = tmp_path / "latin.csv"
    latin.write_bytes(CSV.replace("Green", "Gr\u00fcn").encode("latin-1"))
    with pytest.raises(ValidationError, match="UTF-8"):
        register.catalog.import_csv_file(latin, authorization=manager)
    big = tmp_path / "big.csv"
    with big.open("wb") as out:
        out.truncate(MAX_CSV_BYTES + 1)
    with pytest.raises(ValidationError, match="too big"):
        register.catalog.import_csv_file(big, authorization=manager)
    with pytest.raises(ValidationError, match="catalog changes need a manager"):
        register.catalog.import_csv_file(
            bad, authorization=authorize(staff["Alex"], Permission.SELL)
        )
    with db.read() as uow:
        assert uow.catalog.by_sku("TEA-GRN") is None
        assert uow.audit.entries(action="catalog.imported") == []


def test_the_list_includes_products_off_sale(
    register: Register, db: Database, manager: Authorization
) -> None:
    fries = _product(db, "FOD-FRI")
    register.catalog.set_on_sale(fries.id, on_sale=False, authorization=manager)
    categories, products = register.catalog.categories_and_products()
    assert {c.name for c in categories} >= {"Coffee", "Food", "Bakery", "Drinks"}
    assert any(p.sku == "FOD-FRI" and not p.active for p in products)
