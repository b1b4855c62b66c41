"""Catalog upkeep: CSV import, editing, "86" (take off sale), stock counts."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from uuid import UUID

from pos_app.db.uow import UnitOfWork
from pos_app.domain.catalog import Category, Product
from pos_app.domain.errors import NotFound, ValidationError
from pos_app.domain.ids import uuid7
from pos_app.domain.money import MoneyError, parse_major, parse_rate_percent
from pos_app.domain.staff import Authorization, Permission

REQUIRED_COLUMNS = ("sku", "name", "category", "price", "tax_rate")
OPTIONAL_COLUMNS = ("barcode", "active", "track_stock", "stock")
MAX_IMPORT_ROWS = 50_000


@dataclass(frozen=True, slots=True)
class CsvProblem:
    row: int
    """1-based, counting the header as row 1 (what a spreadsheet shows)."""
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.message}"


class CsvImportError(ValidationError):
    def __init__(self, problems: list[CsvProblem]) -> None:
        self.problems = problems
        shown = "\n".join(str(p) for p in problems[:20])
        more = f"\n… and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"The file was not imported:\n{shown}{more}")


@dataclass(frozen=True, slots=True)
class ImportResult:
    created: int
    updated: int
    categories_created: int


def _flag(value: str, default: bool, row: int, column: str, problems: list[CsvProblem]) -> bool:
    text = value.strip().lower()
    if not text:
        return default
    if text in ("1", "true", "yes", "y"):
        return True
    if text in ("0", "false", "no", "n"):
        return False
    problems.append(CsvProblem(row, column, f"{value!r} is not yes/no"))
    return default


def import_csv(uow: UnitOfWork, *, text: str, currency: str) -> ImportResult:
    """Create or update products by SKU. All-or-nothing: any bad cell rejects the whole file,
    and every problem is reported with its row and column."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise CsvImportError([CsvProblem(1, c, "column is missing") for c in missing])
    reader.fieldnames = header
    problems: list[CsvProblem] = []
    parsed: list[tuple[dict[str, str], int, int, bool, bool, int]] = []
    seen: dict[str, int] = {}
    for index, record in enumerate(reader, start=2):
        if index - 1 > MAX_IMPORT_ROWS:
            problems.append(CsvProblem(index, "-", f"more than {MAX_IMPORT_ROWS} rows"))
            break
        if None in record:
            problems.append(CsvProblem(index, "-", "more cells than columns"))
            continue
        cells = {k: (v or "").strip() for k, v in record.items()}
        before = len(problems)
        for column in ("sku", "name"):
            if not cells[column]:
                problems.append(CsvProblem(index, column, "is empty"))
        if cells["sku"] in seen:
            problems.append(
                CsvProblem(index, "sku", f"{cells['sku']!r} repeats row {seen[cells['sku']]}")
            )
        seen.setdefault(cells["sku"], index)
        price = tax = 0
        try:
            price = parse_major(cells["price"], currency)
            if price < 0:
                problems.append(CsvProblem(index, "price", "cannot be negative"))
        except MoneyError as error:
            problems.append(CsvProblem(index, "price", str(error)))
        try:
            tax = parse_rate_percent(cells["tax_rate"])
        except MoneyError as error:
            problems.append(CsvProblem(index, "tax_rate", str(error)))
        active = _flag(cells.get("active", ""), True, index, "active", problems)
        track = _flag(cells.get("track_stock", ""), False, index, "track_stock", problems)
        stock = 0
        if cells.get("stock"):
            if cells["stock"].lstrip("-").isdigit():
                stock = int(cells["stock"])
            else:
                problems.append(
                    CsvProblem(index, "stock", f"{cells['stock']!r} is not a whole number")
                )
        if len(problems) == before:
            parsed.append((cells, price, tax, active, track, stock))
    if problems:
        raise CsvImportError(problems)

    categories = {c.name: c for c in uow.catalog.categories()}
    created = updated = new_categories = 0
    for position, (cells, price, tax, active, track, stock) in enumerate(parsed):
        category_id: UUID | None = None
        if cells["category"]:
            category = categories.get(cells["category"])
            if category is None:
                category = Category(uuid7(), cells["category"][:60], len(categories))
                uow.catalog.add_category(category)
                categories[category.name] = category
                new_categories += 1
            category_id = category.id
        existing = uow.catalog.by_sku(cells["sku"])
        product = Product(
            id=existing.id if existing else uuid7(),
            sku=cells["sku"],
            name=cells["name"],
            price_minor=price,
            currency=currency,
            tax_rate_ppm=tax,
            category_id=category_id,
            barcode=cells.get("barcode") or None,
            active=active,
            track_stock=track,
            stock_quantity=stock
            if cells.get("stock")
            else (existing.stock_quantity if existing else 0),
        )
        uow.catalog.upsert_product(product, position=position)
        if existing:
            updated += 1
        else:
            created += 1
    uow.session.flush()
    return ImportResult(created, updated, new_categories)


def _require(authorization: Authorization) -> None:
    if authorization.permission is not Permission.MANAGE_CATALOG:
        raise ValidationError("catalog changes need a manager")


def save_product(uow: UnitOfWork, *, product: Product, authorization: Authorization) -> None:
    """Create or update a product (its modifier groups are kept). A SKU or barcode already
    used by another product is refused with its name, not left to the unique index."""
    _require(authorization)
    same_sku = uow.catalog.by_sku(product.sku)
    if same_sku is not None and same_sku.id != product.id:
        raise ValidationError(f"SKU {product.sku} is already used by {same_sku.name}")
    if product.barcode:
        same_code = uow.catalog.by_code(product.barcode)
        if (
            same_code is not None
            and same_code.id != product.id
            and (same_code.barcode == product.barcode)
        ):
            raise ValidationError(f"barcode {product.barcode} is already used by {same_code.name}")
    uow.catalog.upsert_product(product)
    uow.audit.record(
        "catalog.product_saved",
        staff_id=authorization.actor.id,
        approved_by_id=authorization.approver.id if authorization.approver else None,
        details={"sku": product.sku, "price_minor": product.price_minor},
    )


def set_on_sale(
    uow: UnitOfWork, *, product_id: UUID, on_sale: bool, authorization: Authorization
) -> None:
    """86 an item (take it off sale) or bring it back."""
    _require(authorization)
    product = uow.catalog.product(product_id)
    if product is None:
        raise NotFound("that product no longer exists")
    uow.catalog.set_active(product_id, on_sale)
    uow.audit.record(
        "catalog.86" if not on_sale else "catalog.back_on_sale",
        staff_id=authorization.actor.id,
        details={"sku": product.sku},
    )


def count_stock(
    uow: UnitOfWork, *, product_id: UUID, counted: int, authorization: Authorization
) -> int:
    """Record a shelf count; returns the correction applied."""
    _require(authorization)
    if counted < 0:
        raise ValidationError("a count cannot be negative")
    product = uow.catalog.product(product_id)
    if product is None:
        raise NotFound("that product no longer exists")
    delta = counted - uow.catalog.stock_level(product_id)
    if delta:
        uow.catalog.adjust_stock(product_id, delta)
        uow.catalog.record_stock_movement(
            product_id=product_id,
            quantity_delta=delta,
            reason="count",
            staff_id=authorization.actor.id,
        )
    if not product.track_stock:
        uow.catalog.upsert_product(replace(product, track_stock=True, stock_quantity=counted))
    return delta
