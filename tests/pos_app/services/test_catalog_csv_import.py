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
    assert "row 2, column price: '1.999' has more than 2 decimal places" in str(caught.value)
    with db.read() as uow:
        assert uow.catalog.by_sku("B2") is None
        assert uow.catalog.category_by_name("Fruit") is None


def test_missing_columns_are_named(db: Database, shop: Shop) -> None:
    with (
        pytest.raises(CsvImportError, match="row 1, column tax_rate: column is missing"),
        db.write() as uow,
    ):
        import_csv(uow, text="sku,name,category,price\nA,B,C,1.00\n", currency="USD")


def test_a_barcode_another_product_has_is_reported_with_row_and_column(
    db: Database, shop: Shop
) -> None:
    # The issue: a raw "UNIQUE constraint failed: products.barcode [SQL: INSERT …]", no row.
    with db.read() as uow:
        cola = uow.catalog.by_sku("DRK-COL")
    assert cola is not None
    assert cola.barcode
    text = f"""sku,name,category,price,tax_rate,barcode
TEA-GRN,Green Tea,Tea,3.10,8.875,{cola.barcode}
TEA-BLK,Black Tea,Tea,2.90,8.875,0001112223334
TEA-WHT,White Tea,Tea,3.50,8.875,0001112223334
"""
    with pytest.raises(CsvImportError) as caught, db.write() as uow:
        import_csv(uow, text=text, currency="USD")
    assert [str(p) for p in caught.value.problems] == [
        f"row 2, column barcode: {cola.barcode!r} is already used by Cola (DRK-COL)",
        "row 4, column barcode: '0001112223334' repeats row 3",
    ]
    with db.read() as uow:
        assert uow.catalog.by_sku("TEA-BLK") is None  # all or nothing


def test_a_barcode_moving_between_products_of_the_file_is_not_a_clash(
    db: Database, shop: Shop
) -> None:
    with db.read() as uow:
        cola = uow.catalog.by_sku("DRK-COL")
    assert cola is not None
    assert cola.barcode
    text = f"""sku,name,category,price,tax_rate,barcode
DRK-COL,Cola,Drinks,2.50,8.875,0009998887776
DRK-CZR,Cola Zero,Drinks,2.50,8.875,{cola.barcode}
"""
    with db.write() as uow:
        result = import_csv(uow, text=text, currency="USD")
    assert (result.created, result.updated) == (1, 1)
    with db.read() as uow:
        zero = uow.catalog.by_barcode(cola.barcode)
    assert zero is not None
    assert zero.sku == "DRK-CZR"


def test_unknown_and_repeated_columns_are_refused_by_name(db: Database, shop: Shop) -> None:
    # A misspelt "barcod" column used to be ignored, its barcodes lost without a word.
    text = "sku,name,category,price,tax_rate,barcod,price\nA,B,C,1.00,8.875,123,1.00\n"
    with pytest.raises(CsvImportError) as caught, db.write() as uow:
        import_csv(uow, text=text, currency="USD")
    assert [(p.row, p.column, p.message) for p in caught.value.problems] == [
        (1, "barcod", "unknown column: the columns are {columns}"),
        (1, "price", "the column appears twice"),
    ]
    assert "sku, name, category, price, tax_rate, barcode, active, track_stock, stock" in str(
        caught.value
    )


def test_cells_too_long_for_the_server_are_reported_not_cut(db: Database, shop: Shop) -> None:
    text = f"sku,name,category,price,tax_rate\nA,{'x' * 121},{'c' * 61},1.00,8.875\n"
    with pytest.raises(CsvImportError) as caught, db.write() as uow:
        import_csv(uow, text=text, currency="USD")
    assert [str(p) for p in caught.value.problems] == [
        "row 2, column name: is longer than 120 characters",
        "row 2, column category: is longer than 60 characters",
    ]
