"""Catalog upkeep: CSV import, editing, "86" (take off sale), stock counts."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from uuid import UUID

from pos_app.db.uow import UnitOfWork
from pos_app.domain.catalog import Category, Modifier, ModifierGroup, Product
from pos_app.domain.errors import NotFound, ValidationError
from pos_app.domain.ids import uuid7
from pos_app.domain.money import MoneyError, currency_exponent, parse_major, parse_rate_percent
from pos_app.domain.staff import Authorization, Permission

REQUIRED_COLUMNS = ("sku", "name", "category", "price", "tax_rate")
OPTIONAL_COLUMNS = ("barcode", "active", "track_stock", "stock")
MAX_IMPORT_ROWS = 50_000
#: What the platform's server keeps of each cell; a longer one is refused here, with its row,
#: rather than cut short silently or refused by the server after the sale.
MAX_LENGTHS = {"sku": 64, "name": 120, "category": 60, "barcode": 64}

# The rules' messages, fixed texts with {placeholders} so the back office shows them translated
# (they are listed in ui/message_catalog.py).
MISSING_COLUMN = "column is missing"
UNKNOWN_COLUMN = "unknown column: the columns are {columns}"
REPEATED_COLUMN = "the column appears twice"
TOO_MANY_ROWS = "more than {limit} rows"
TOO_MANY_CELLS = "more cells than columns"
EMPTY = "is empty"
TOO_LONG = "is longer than {limit} characters"
REPEATS_ROW = "{value} repeats row {row}"
USED_BY = "{value} is already used by {name} ({sku})"
NOT_A_PRICE = "{value} is not a price (digits and a dot, like 4.50)"
TOO_MANY_DECIMALS = "{value} has more than {decimals} decimal places"
NEGATIVE = "cannot be negative"
NOT_A_RATE = "{value} is not a tax rate in percent from 0 to 100 (like 8.875)"
NOT_YES_NO = "{value} is not yes/no"
NOT_A_WHOLE_NUMBER = "{value} is not a whole number"
CSV_RULES = (
    MISSING_COLUMN, UNKNOWN_COLUMN, REPEATED_COLUMN, TOO_MANY_ROWS, TOO_MANY_CELLS, EMPTY,
    TOO_LONG, REPEATS_ROW, USED_BY, NOT_A_PRICE, TOO_MANY_DECIMALS, NEGATIVE, NOT_A_RATE,
    NOT_YES_NO, NOT_A_WHOLE_NUMBER,
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class CsvProblem:
    row: int
    """1-based, counting the header as row 1 (what a spreadsheet shows)."""
    column: str
    message: str
    """One of the rule texts above; its placeholders are filled from `values`."""
    values: Mapping[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.message.format(**self.values) if self.values else self.message

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.text}"


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


@dataclass(frozen=True, slots=True)
class _Row:
    number: int
    cells: dict[str, str]
    price: int
    tax: int
    active: bool
    track: bool
    stock: int


def _flag(value: str, default: bool, row: int, column: str, problems: list[CsvProblem]) -> bool:
    text = value.strip().lower()
    if not text:
        return default
    if text in ("1", "true", "yes", "y"):
        return True
    if text in ("0", "false", "no", "n"):
        return False
    problems.append(CsvProblem(row, column, NOT_YES_NO, {"value": repr(value)}))
    return default


def _header_problems(header: list[str]) -> list[CsvProblem]:
    known = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
    problems = [CsvProblem(1, c, MISSING_COLUMN) for c in REQUIRED_COLUMNS if c not in header]
    for position, name in enumerate(header):
        if name not in known:
            # A misspelt column ("barcod") would lose its data without a word.
            problems.append(
                CsvProblem(
                    1, name or f"#{position + 1}", UNKNOWN_COLUMN, {"columns": ", ".join(known)}
                )
            )
        elif name in header[:position]:
            problems.append(CsvProblem(1, name, REPEATED_COLUMN))
    return problems


def _price(value: str, currency: str, row: int, problems: list[CsvProblem]) -> int:
    try:
        price = parse_major(value, currency)
    except MoneyError:
        decimals = currency_exponent(currency)
        if re.fullmatch(r"-?\d*\.\d+", value.strip()):
            problems.append(
                CsvProblem(
                    row,
                    "price",
                    TOO_MANY_DECIMALS,
                    {"value": repr(value), "decimals": str(decimals)},
                )
            )
        else:
            problems.append(CsvProblem(row, "price", NOT_A_PRICE, {"value": repr(value)}))
        return 0
    if price < 0:
        problems.append(CsvProblem(row, "price", NEGATIVE))
    return price


def import_csv(uow: UnitOfWork, *, text: str, currency: str) -> ImportResult:
    """Create or update products by SKU. All-or-nothing: any bad cell rejects the whole file,
    and every problem is reported with its row and column: unknown or missing columns, empty
    or too long cells, prices, tax rates, flags, stock, and a SKU or barcode used twice in the
    file or a barcode another product already has."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    header_problems = _header_problems(header)
    if header_problems:
        raise CsvImportError(header_problems)
    reader.fieldnames = header
    problems: list[CsvProblem] = []
    parsed: list[_Row] = []
    seen: dict[str, dict[str, int]] = {"sku": {}, "barcode": {}}
    for index, record in enumerate(reader, start=2):
        if index - 1 > MAX_IMPORT_ROWS:
            problems.append(CsvProblem(index, "-", TOO_MANY_ROWS, {"limit": str(MAX_IMPORT_ROWS)}))
            break
        if None in record:
            problems.append(CsvProblem(index, "-", TOO_MANY_CELLS))
            continue
        cells = {k: (v or "").strip() for k, v in record.items()}
        before = len(problems)
        for column in ("sku", "name"):
            if not cells[column]:
                problems.append(CsvProblem(index, column, EMPTY))
        for column, limit in MAX_LENGTHS.items():
            if len(cells.get(column, "")) > limit:
                problems.append(CsvProblem(index, column, TOO_LONG, {"limit": str(limit)}))
        for column, first_rows in seen.items():
            value = cells.get(column, "")
            if value and value in first_rows:
                problems.append(
                    CsvProblem(
                        index,
                        column,
                        REPEATS_ROW,
                        {"value": repr(value), "row": str(first_rows[value])},
                    )
                )
            elif value:
                first_rows[value] = index
        price = _price(cells["price"], currency, index, problems)
        tax = 0
        try:
            tax = parse_rate_percent(cells["tax_rate"])
        except MoneyError:
            problems.append(
                CsvProblem(index, "tax_rate", NOT_A_RATE, {"value": repr(cells["tax_rate"])})
            )
        active = _flag(cells.get("active", ""), True, index, "active", problems)
        track = _flag(cells.get("track_stock", ""), False, index, "track_stock", problems)
        stock = 0
        if cells.get("stock"):
            if cells["stock"].lstrip("-").isdigit():
                stock = int(cells["stock"])
            else:
                problems.append(
                    CsvProblem(index, "stock", NOT_A_WHOLE_NUMBER, {"value": repr(cells["stock"])})
                )
        if len(problems) == before:
            parsed.append(_Row(index, cells, price, tax, active, track, stock))
    problems += _barcodes_taken(uow, parsed)
    if problems:
        raise CsvImportError(sorted(problems, key=lambda p: p.row))

    existing = {row.number: uow.catalog.by_sku(row.cells["sku"]) for row in parsed}
    # Barcodes that move between products in this file are released first, so a swap does
    # not trip over the unique index halfway through.
    for row in parsed:
        product = existing[row.number]
        if product and product.barcode and product.barcode != (row.cells.get("barcode") or None):
            uow.catalog.upsert_product(replace(product, barcode=None))
    uow.session.flush()

    categories = {c.name: c for c in uow.catalog.categories()}
    created = updated = new_categories = 0
    for position, row in enumerate(parsed):
        cells = row.cells
        category_id: UUID | None = None
        if cells["category"]:
            category = categories.get(cells["category"])
            if category is None:
                category = Category(uuid7(), cells["category"], len(categories))
                uow.catalog.add_category(category)
                categories[category.name] = category
                new_categories += 1
            category_id = category.id
        known = existing[row.number]
        product = Product(
            id=known.id if known else uuid7(),
            sku=cells["sku"],
            name=cells["name"],
            price_minor=row.price,
            currency=currency,
            tax_rate_ppm=row.tax,
            category_id=category_id,
            barcode=cells.get("barcode") or None,
            active=row.active,
            track_stock=row.track,
            stock_quantity=row.stock
            if cells.get("stock")
            else (known.stock_quantity if known else 0),
        )
        uow.catalog.upsert_product(product, position=position)
        if known:
            updated += 1
        else:
            created += 1
    uow.session.flush()
    return ImportResult(created, updated, new_categories)


def _barcodes_taken(uow: UnitOfWork, rows: list[_Row]) -> list[CsvProblem]:
    """Barcodes of the file that a product outside it (or one the file gives another barcode)
    already has: the unique index would refuse them with a database error and no row."""
    barcode_in_file = {row.cells["sku"]: row.cells.get("barcode") or None for row in rows}
    problems = []
    for row in rows:
        barcode = row.cells.get("barcode")
        if not barcode:
            continue
        holder = uow.catalog.by_barcode(barcode)
        if holder is None or holder.sku == row.cells["sku"]:
            continue
        if holder.sku in barcode_in_file and barcode_in_file[holder.sku] != barcode:
            continue  # the file moves the barcode away from its holder
        problems.append(
            CsvProblem(
                row.number,
                "barcode",
                USED_BY,
                {"value": repr(barcode), "name": holder.name, "sku": holder.sku},
            )
        )
    return problems


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


# --- categories ------------------------------------------------------------------------------
# Fixed messages (translated by the back office, listed in ui/backoffice/messages.py).

CATEGORY_NAME_EMPTY = "give the category a name"
CATEGORY_NAME_TOO_LONG = "a category name can be at most 60 characters"
CATEGORY_NAME_TAKEN = "there is already a category with that name"
CATEGORY_NOT_EMPTY = "move its products to another category first"
CATEGORY_GONE = "that category no longer exists"
GROUP_NAME_EMPTY = "give the group a name, like “Size” or “Milk”"
GROUP_NAME_TOO_LONG = "a group name can be at most 60 characters"
GROUP_NO_CHOICES = "add at least one choice to the group"
CHOICE_NAME_EMPTY = "every choice needs a name"
CHOICE_NAME_TOO_LONG = "a choice name can be at most 60 characters"
CHOICE_REPEATED = "two choices have the same name"
GROUP_BOUNDS = "the most choices must be at least 1, and at least the fewest"
GROUP_MIN_TOO_HIGH = "the fewest choices cannot be more than the choices offered"
GROUP_MAX_TOO_HIGH = "the most choices cannot be more than the choices offered"
GROUP_GONE = "that modifier group no longer exists"
PRODUCT_GONE = "that product no longer exists"
PRICE_DELTA_TOO_LARGE = "a choice's price change is too large"
MAX_NAME = 60
MAX_PRICE_DELTA_MINOR = 100_000_000


def _audit_catalog(
    uow: UnitOfWork, action: str, authorization: Authorization, details: dict[str, object]
) -> None:
    uow.audit.record(
        action,
        staff_id=authorization.actor.id,
        approved_by_id=authorization.approver.id if authorization.approver else None,
        details=details,
    )


def _category_name(uow: UnitOfWork, name: str, *, ignore: UUID | None) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError(CATEGORY_NAME_EMPTY)
    if len(name) > MAX_NAME:
        raise ValidationError(CATEGORY_NAME_TOO_LONG)
    for category in uow.catalog.categories():
        if category.id != ignore and category.name.casefold() == name.casefold():
            raise ValidationError(CATEGORY_NAME_TAKEN)
    return name


def add_category(uow: UnitOfWork, *, name: str, authorization: Authorization) -> Category:
    """A new category, after the others (it becomes a tab on the sell screen)."""
    _require(authorization)
    existing = uow.catalog.categories()
    position = max((c.position for c in existing), default=-1) + 1
    category = Category(uuid7(), _category_name(uow, name, ignore=None), position)
    uow.catalog.save_category(category)
    _audit_catalog(
        uow,
        "catalog.category_added",
        authorization,
        {"category_id": str(category.id), "name": category.name},
    )
    return category


def _category(uow: UnitOfWork, category_id: UUID) -> Category:
    category = uow.catalog.category(category_id)
    if category is None:
        raise NotFound(CATEGORY_GONE)
    return category


def rename_category(
    uow: UnitOfWork, *, category_id: UUID, name: str, authorization: Authorization
) -> Category:
    _require(authorization)
    category = _category(uow, category_id)
    renamed = replace(category, name=_category_name(uow, name, ignore=category_id))
    if renamed.name != category.name:
        uow.catalog.save_category(renamed)
        _audit_catalog(
            uow,
            "catalog.category_renamed",
            authorization,
            {"category_id": str(category_id), "from": category.name, "to": renamed.name},
        )
    return renamed


def move_category(
    uow: UnitOfWork, *, category_id: UUID, step: int, authorization: Authorization
) -> list[Category]:
    """Move a category `step` places (-1: one tab to the left); returns them in their order.
    Positions are renumbered 0, 1, 2... so the order is the same on every register."""
    _require(authorization)
    categories = uow.catalog.categories()
    index = next((i for i, c in enumerate(categories) if c.id == category_id), None)
    if index is None:
        raise NotFound(CATEGORY_GONE)
    target = max(0, min(len(categories) - 1, index + step))
    moved = categories.pop(index)
    categories.insert(target, moved)
    ordered = []
    for position, category in enumerate(categories):
        if category.position != position:
            category = replace(category, position=position)
            uow.catalog.save_category(category)
        ordered.append(category)
    if target != index:
        _audit_catalog(
            uow,
            "catalog.category_moved",
            authorization,
            {"category_id": str(category_id), "name": moved.name, "from": index, "to": target},
        )
    return ordered


def remove_category(uow: UnitOfWork, *, category_id: UUID, authorization: Authorization) -> None:
    """Remove a category no product is in (move or re-file its products first)."""
    _require(authorization)
    category = _category(uow, category_id)
    if uow.catalog.count_in_category(category_id):
        raise ValidationError(CATEGORY_NOT_EMPTY)
    uow.catalog.delete_category(category_id)
    _audit_catalog(
        uow,
        "catalog.category_removed",
        authorization,
        {"category_id": str(category_id), "name": category.name},
    )


# --- modifier groups -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GroupDraft:
    """A modifier group as a form holds it, before its rules are checked."""

    id: UUID
    name: str
    min_choices: int
    max_choices: int
    modifiers: tuple[Modifier, ...]


def check_modifier_group(group: GroupDraft) -> ModifierGroup:
    """The group as saved (names trimmed), or a ValidationError naming what to fix."""
    name = " ".join(group.name.split())
    if not name:
        raise ValidationError(GROUP_NAME_EMPTY)
    if len(name) > MAX_NAME:
        raise ValidationError(GROUP_NAME_TOO_LONG)
    if not group.modifiers:
        raise ValidationError(GROUP_NO_CHOICES)
    modifiers = []
    seen: set[str] = set()
    for modifier in group.modifiers:
        choice = " ".join(modifier.name.split())
        if not choice:
            raise ValidationError(CHOICE_NAME_EMPTY)
        if len(choice) > MAX_NAME:
            raise ValidationError(CHOICE_NAME_TOO_LONG)
        if choice.casefold() in seen:
            raise ValidationError(CHOICE_REPEATED)
        if abs(modifier.price_delta_minor) > MAX_PRICE_DELTA_MINOR:
            raise ValidationError(PRICE_DELTA_TOO_LARGE)
        seen.add(choice.casefold())
        modifiers.append(replace(modifier, name=choice))
    if group.min_choices < 0 or group.max_choices < max(group.min_choices, 1):
        raise ValidationError(GROUP_BOUNDS)
    if group.min_choices > len(modifiers):
        raise ValidationError(GROUP_MIN_TOO_HIGH)
    if group.max_choices > len(modifiers):
        raise ValidationError(GROUP_MAX_TOO_HIGH)
    return ModifierGroup(group.id, name, group.min_choices, group.max_choices, tuple(modifiers))


def modifier_groups(uow: UnitOfWork) -> list[tuple[ModifierGroup, list[UUID]]]:
    """Every modifier group, with the products that offer it."""
    return [
        (group, uow.catalog.group_product_ids(group.id)) for group in uow.catalog.modifier_groups()
    ]


def save_modifier_group(
    uow: UnitOfWork,
    *,
    draft: GroupDraft,
    product_ids: Sequence[UUID] | None = None,
    authorization: Authorization,
) -> ModifierGroup:
    """Create or change a modifier group; with `product_ids`, exactly those products offer it
    (added after their other groups; taken off the others). Audited."""
    _require(authorization)
    group = check_modifier_group(draft)
    created = uow.catalog.modifier_group(group.id) is None
    uow.catalog.save_modifier_group(group)
    if product_ids is not None:
        wanted = set(product_ids)
        current = set(uow.catalog.group_product_ids(group.id))
        for product_id in sorted(set(wanted) | current):
            product = uow.catalog.product(product_id)
            if product is None:
                raise NotFound(PRODUCT_GONE)
            ids = [g.id for g in product.modifier_groups]
            if product_id in wanted and group.id not in ids:
                uow.catalog.set_product_groups(product_id, [*ids, group.id])
            elif product_id not in wanted and group.id in ids:
                uow.catalog.set_product_groups(product_id, [i for i in ids if i != group.id])
    _audit_catalog(
        uow,
        "catalog.modifier_group_added" if created else "catalog.modifier_group_saved",
        authorization,
        {
            "group_id": str(group.id),
            "name": group.name,
            "min_choices": group.min_choices,
            "max_choices": group.max_choices,
            "choices": [[m.name, m.price_delta_minor] for m in group.modifiers],
            "product_ids": sorted(str(p) for p in uow.catalog.group_product_ids(group.id)),
        },
    )
    saved = uow.catalog.modifier_group(group.id)
    assert saved is not None
    return saved
