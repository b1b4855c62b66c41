"""Categories, products, modifier groups and stock levels."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.interfaces import LoaderOption

from pos_app.db.models import (
    CategoryRow,
    ModifierGroupRow,
    ModifierRow,
    ProductModifierGroupRow,
    ProductRow,
    StockMovementRow,
)
from pos_app.db.repositories.outbox import OutboxRepository
from pos_app.domain.catalog import Category, Modifier, ModifierGroup, Product
from pos_app.domain.clock import utcnow
from pos_app.domain.ids import uuid7


def _group(row: ModifierGroupRow) -> ModifierGroup:
    return ModifierGroup(
        id=row.id,
        name=row.name,
        min_choices=row.min_choices,
        max_choices=row.max_choices,
        modifiers=tuple(Modifier(m.id, m.name, m.price_delta_minor) for m in row.modifiers),
    )


def _product(row: ProductRow) -> Product:
    return Product(
        id=row.id,
        sku=row.sku,
        name=row.name,
        price_minor=row.price_minor,
        currency=row.currency,
        tax_rate_ppm=row.tax_rate_ppm,
        category_id=row.category_id,
        barcode=row.barcode,
        active=row.active,
        track_stock=row.track_stock,
        stock_quantity=row.stock_quantity,
        modifier_groups=tuple(_group(link.group) for link in row.modifier_links),
    )


def _with_groups() -> LoaderOption:
    return (
        selectinload(ProductRow.modifier_links)
        .joinedload(ProductModifierGroupRow.group)
        .selectinload(ModifierGroupRow.modifiers)
    )


class CatalogRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.outbox = OutboxRepository(session)

    # categories
    def categories(self) -> list[Category]:
        rows = self.session.scalars(
            select(CategoryRow).order_by(CategoryRow.position, CategoryRow.name)
        )
        return [Category(row.id, row.name, row.position) for row in rows]

    def category_by_name(self, name: str) -> Category | None:
        row = self.session.scalar(select(CategoryRow).where(CategoryRow.name == name))
        return Category(row.id, row.name, row.position) if row else None

    def add_category(self, category: Category) -> None:
        row = CategoryRow(id=category.id, name=category.name, position=category.position)
        self.session.add(row)
        self.outbox.record_category(row)

    def category(self, category_id: UUID) -> Category | None:
        row = self.session.get(CategoryRow, category_id)
        return Category(row.id, row.name, row.position) if row else None

    def save_category(self, category: Category) -> None:
        """Create or rename / move a category, for every register in the shop."""
        row = self.session.get(CategoryRow, category.id)
        if row is None:
            row = CategoryRow(id=category.id)
            self.session.add(row)
        row.name = category.name
        row.position = category.position
        self.session.flush()
        self.outbox.record_category(row)

    def delete_category(self, category_id: UUID) -> None:
        self.session.execute(delete(CategoryRow).where(CategoryRow.id == category_id))

    def count_in_category(self, category_id: UUID) -> int:
        query = select(func.count()).where(ProductRow.category_id == category_id)
        return self.session.scalar(query) or 0

    # products
    def products(self, *, include_inactive: bool = False) -> list[Product]:
        query = (
            select(ProductRow)
            .options(_with_groups())
            .order_by(ProductRow.position, ProductRow.name)
        )
        if not include_inactive:
            query = query.where(ProductRow.active.is_(True))
        return [_product(row) for row in self.session.scalars(query)]

    def product(self, product_id: UUID) -> Product | None:
        row = self.session.get(ProductRow, product_id, options=[_with_groups()])
        return _product(row) if row else None

    def by_sku(self, sku: str) -> Product | None:
        row = self.session.scalar(
            select(ProductRow).options(_with_groups()).where(ProductRow.sku == sku)
        )
        return _product(row) if row else None

    def by_barcode(self, barcode: str) -> Product | None:
        row = self.session.scalar(
            select(ProductRow).options(_with_groups()).where(ProductRow.barcode == barcode)
        )
        return _product(row) if row else None

    def by_code(self, code: str) -> Product | None:
        """A scanned or typed code: the barcode first, then the SKU."""
        row = self.session.scalar(
            select(ProductRow)
            .options(_with_groups())
            .where(or_(ProductRow.barcode == code, ProductRow.sku == code))
            .order_by((ProductRow.barcode == code).desc())
            .limit(1)
        )
        return _product(row) if row else None

    def search(self, text: str, limit: int = 50) -> list[Product]:
        pattern = f"%{text.strip()}%"
        query = (
            select(ProductRow)
            .options(_with_groups())
            .where(ProductRow.active.is_(True))
            .where(or_(ProductRow.name.ilike(pattern), ProductRow.sku.ilike(pattern)))
            .order_by(ProductRow.name)
            .limit(limit)
        )
        return [_product(row) for row in self.session.scalars(query)]

    def upsert_product(self, product: Product, position: int | None = None) -> None:
        """Create or edit a product. A change of stock level is written as an "adjust"
        movement, so the shop's other registers learn it through sync like any sale."""
        row = self.session.get(ProductRow, product.id, populate_existing=True)
        before = 0
        if row is None:
            row = ProductRow(id=product.id)
            self.session.add(row)
        else:
            before = row.stock_quantity
        row.sku = product.sku
        row.name = product.name
        row.category_id = product.category_id
        row.barcode = product.barcode or None
        row.price_minor = product.price_minor
        row.currency = product.currency
        row.tax_rate_ppm = product.tax_rate_ppm
        row.active = product.active
        row.track_stock = product.track_stock
        row.stock_quantity = product.stock_quantity
        row.position = position if position is not None else (row.position or 0)
        self.outbox.record_product(row)
        if product.stock_quantity != before:
            self.session.flush()
            self.record_stock_movement(
                product_id=product.id,
                quantity_delta=product.stock_quantity - before,
                reason="adjust",
            )

    def set_active(self, product_id: UUID, active: bool, reason: str | None = None) -> None:
        """86 an item (or bring it back), for every register in the shop."""
        self.session.execute(
            update(ProductRow).where(ProductRow.id == product_id).values(active=active)
        )
        self.outbox.record_eighty_six(product_id, unavailable=not active, reason=reason)

    def add_modifier_group(self, group: ModifierGroup) -> None:
        row = ModifierGroupRow(
            id=group.id,
            name=group.name,
            min_choices=group.min_choices,
            max_choices=group.max_choices,
        )
        row.modifiers = [
            ModifierRow(id=m.id, name=m.name, price_delta_minor=m.price_delta_minor, position=i)
            for i, m in enumerate(group.modifiers)
        ]
        self.session.add(row)
        self.session.flush()
        self.outbox.record_modifier_group(group.id)

    def modifier_groups(self) -> list[ModifierGroup]:
        rows = self.session.scalars(
            select(ModifierGroupRow)
            .options(selectinload(ModifierGroupRow.modifiers))
            .order_by(ModifierGroupRow.name, ModifierGroupRow.id)
        )
        return [_group(row) for row in rows]

    def modifier_group(self, group_id: UUID) -> ModifierGroup | None:
        row = self.session.get(ModifierGroupRow, group_id)
        return _group(row) if row else None

    def group_product_ids(self, group_id: UUID) -> list[UUID]:
        """The products that offer this group."""
        return list(
            self.session.scalars(
                select(ProductModifierGroupRow.product_id).where(
                    ProductModifierGroupRow.group_id == group_id
                )
            )
        )

    def save_modifier_group(self, group: ModifierGroup) -> None:
        """Create or change a group and its choices (in their order), for every register."""
        row = self.session.get(ModifierGroupRow, group.id)
        if row is None:
            self.add_modifier_group(group)
            return
        row.name = group.name
        row.min_choices = group.min_choices
        row.max_choices = group.max_choices
        # In place: kept choices keep their ids (orders name them), dropped ones are deleted.
        existing = {modifier.id: modifier for modifier in row.modifiers}
        kept = []
        for position, modifier in enumerate(group.modifiers):
            modifier_row = existing.get(modifier.id) or ModifierRow(
                id=modifier.id, group_id=group.id
            )
            modifier_row.name = modifier.name
            modifier_row.price_delta_minor = modifier.price_delta_minor
            modifier_row.position = position
            kept.append(modifier_row)
        row.modifiers = kept
        self.session.flush()
        self.outbox.record_modifier_group(group.id)

    def set_product_groups(self, product_id: UUID, group_ids: Sequence[UUID]) -> None:
        """The groups a product offers, in this order (the others are taken off it)."""
        before = set(
            self.session.scalars(
                select(ProductModifierGroupRow.group_id).where(
                    ProductModifierGroupRow.product_id == product_id
                )
            )
        )
        self.session.execute(
            delete(ProductModifierGroupRow).where(ProductModifierGroupRow.product_id == product_id)
        )
        self.session.flush()
        for position, group_id in enumerate(group_ids):
            self.session.add(
                ProductModifierGroupRow(product_id=product_id, group_id=group_id, position=position)
            )
        self.session.flush()
        product = self.session.get(ProductRow, product_id)
        if product is not None:
            self.session.expire(product)
        for group_id in before | set(group_ids):
            self.outbox.record_modifier_group(group_id)

    def link_modifier_groups(self, product_id: UUID, group_ids: Sequence[UUID]) -> None:
        for position, group_id in enumerate(group_ids):
            self.session.add(
                ProductModifierGroupRow(product_id=product_id, group_id=group_id, position=position)
            )
        self.session.flush()
        for group_id in group_ids:
            self.outbox.record_modifier_group(group_id)

    def product_count(self) -> int:
        return self.session.scalar(select(func.count()).select_from(ProductRow)) or 0

    # stock
    def take_stock(self, product_id: UUID, quantity: int) -> bool:
        """Decrement stock if enough is left. Atomic: one conditional UPDATE."""
        result = self.session.execute(
            update(ProductRow)
            .where(ProductRow.id == product_id, ProductRow.stock_quantity >= quantity)
            .values(stock_quantity=ProductRow.stock_quantity - quantity)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def adjust_stock(self, product_id: UUID, delta: int) -> None:
        self.session.execute(
            update(ProductRow)
            .where(ProductRow.id == product_id)
            .values(stock_quantity=ProductRow.stock_quantity + delta)
            .execution_options(synchronize_session=False)
        )

    def stock_level(self, product_id: UUID) -> int:
        return (
            self.session.scalar(
                select(ProductRow.stock_quantity).where(ProductRow.id == product_id)
            )
            or 0
        )

    def record_stock_movement(
        self,
        *,
        product_id: UUID,
        quantity_delta: int,
        reason: str,
        order_id: UUID | None = None,
        staff_id: UUID | None = None,
    ) -> None:
        row = StockMovementRow(
            id=uuid7(),
            product_id=product_id,
            quantity_delta=quantity_delta,
            reason=reason,
            order_id=order_id,
            staff_id=staff_id,
            created_at=utcnow(),
        )
        self.session.add(row)
        self.outbox.record_stock_movement(row)
