"""CSV import: all-or-nothing, errors name the row and the column."""

from __future__ import annotations

import pytest

from pos_app.db.database import Database
from pos_app.domain.shop import Shop
from pos_app.services.catalog import CsvImportError, import_csv

GOOD = """sku,name,category,price,tax_rate,barcode,track_stock,stock
TEA-GRN,Green Tea,Tea,3.10,8.875,,no,
TEA-BLK,Black Tea,Tea,2.90,8.875,0001112223334,yes,40
COF-LAT,Latte (new recipe),Coffee,4.75,8.875,,,
"""


def test_import_creates_updates_and_makes_categories(db: Database, shop: Shop) -> None:
    with db.write() as uow:
        result = import_csv(uow, text=GOOD, currency="USD")
    assert (result.created, result.updated, result.categories_created) == (2, 1, 1)
    with db.read() as uow:
        black = uow.catalog.by_code("0001112223334")
        latte = uow.catalog.by_sku("COF-LAT")
        tea = uow.catalog.category_by_name("Tea")
    assert black is not None
    assert black.track_stock
    assert black.stock_quantity == 40
    assert black.category_id == (tea.id if tea else None)
    assert latte is not None
    assert latte.price_minor == 475
    assert latte.name == "Latte (new recipe)"
    assert len(latte.modifier_groups) == 2  # an update keeps the product's modifiers


def test_every_bad_cell_is_reported_and_nothing_is_imported(db: Database, shop: Shop) -> None:
    bad = """sku,name,category,price,tax_rate,active
A1,Apple,Fruit,1.999,8.875,yes
,Nameless,Fruit,1.00,8.875,yes
B2,Banana,Fruit,abc,101,maybe
A1,Apple again,Fruit,1.00,8.875,
"""
    with pytest.raises(CsvImportError) as caught, db.write() as uow:
        import_csv(uow, text=bad, currency="USD")
    problems = [(p.row, p.column) for p in caught.value.problems]
    assert problems == [
        (2, "price"),
        (3, "sku"),
        (4, "price"),
        (4, "tax_rate"),
        (4, "active"),
        (5, "sku"),
    ]
    assert "row 2, column price: '1.999' has more than 2 decimal places for USD" in str(
        caught.value
    )
    with db.read() as uow:
        assert uow.catalog.by_sku("B2") is None
        assert uow.catalog.category_by_name("Fruit") is None


def test_missing_columns_are_named(db: Database, shop: Shop) -> None:
    with (
        pytest.raises(CsvImportError, match="row 1, column tax_rate: column is missing"),
        db.write() as uow,
    ):
        import_csv(uow, text="sku,name,category,price\nA,B,C,1.00\n", currency="USD")
