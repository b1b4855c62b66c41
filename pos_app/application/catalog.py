"""The catalog in the back office: products, categories, modifier groups, stock, CSV import.

Each method is one thing a manager does, in its own transaction; the services it calls check
the authorization and write the audit entry."""

from __future__ import annotations

from pathlib import Path
from uuid import UUID

from pos_app.application._area import Area
from pos_app.domain.catalog import Category, ModifierGroup, Product
from pos_app.domain.errors import ValidationError
from pos_app.domain.staff import Authorization, Permission
from pos_app.services import catalog as catalog_service
from pos_app.services.catalog import CsvImportError, CsvProblem, GroupDraft, ImportResult

__all__ = [
    "MAX_CSV_BYTES",
    "Catalog",
    "CsvImportError",
    "CsvProblem",
    "GroupDraft",
    "ImportResult",
]

MAX_CSV_BYTES = 20_000_000
"""A product list bigger than this is refused before it is read."""


class Catalog(Area):
    def categories_and_products(self) -> tuple[list[Category], list[Product]]:
        """Every category and every product, those off sale included."""
        with self.db.read() as uow:
            return uow.catalog.categories(), uow.catalog.products(include_inactive=True)

    def product_by_code(self, code: str) -> Product | None:
        """The product with this SKU or barcode (on sale or not), if any."""
        with self.db.read() as uow:
            return uow.catalog.by_code(code)

    def save_product(
        self, product: Product, *, counted: int | None = None, authorization: Authorization
    ) -> None:
        """Create or update a product; with `counted` (a tracked product's shelf count, when
        it differs from the stock the form started from) the count is recorded with it."""
        with self.db.write() as uow:
            catalog_service.save_product(uow, product=product, authorization=authorization)
            if counted is not None and counted != product.stock_quantity:
                catalog_service.count_stock(
                    uow, product_id=product.id, counted=counted, authorization=authorization
                )

    def set_on_sale(self, product_id: UUID, *, on_sale: bool, authorization: Authorization) -> None:
        """86 a product (take it off sale) or bring it back."""
        with self.db.write() as uow:
            catalog_service.set_on_sale(
                uow, product_id=product_id, on_sale=on_sale, authorization=authorization
            )

    def count_stock(self, product_id: UUID, *, counted: int, authorization: Authorization) -> int:
        """Record a shelf count; returns the correction applied."""
        with self.db.write() as uow:
            return catalog_service.count_stock(
                uow, product_id=product_id, counted=counted, authorization=authorization
            )

    # --- categories ------------------------------------------------------------------------

    def add_category(self, name: str, *, authorization: Authorization) -> Category:
        """A new category after the others; audited as `catalog.category_added`."""
        with self.db.write() as uow:
            return catalog_service.add_category(uow, name=name, authorization=authorization)

    def rename_category(
        self, category_id: UUID, name: str, *, authorization: Authorization
    ) -> Category:
        with self.db.write() as uow:
            return catalog_service.rename_category(
                uow, category_id=category_id, name=name, authorization=authorization
            )

    def move_category(
        self, category_id: UUID, step: int, *, authorization: Authorization
    ) -> list[Category]:
        """Move a category `step` tabs (-1: left); returns the categories in their order."""
        with self.db.write() as uow:
            return catalog_service.move_category(
                uow, category_id=category_id, step=step, authorization=authorization
            )

    def remove_category(self, category_id: UUID, *, authorization: Authorization) -> None:
        """Remove a category no product is in."""
        with self.db.write() as uow:
            catalog_service.remove_category(
                uow, category_id=category_id, authorization=authorization
            )

    # --- modifier groups -------------------------------------------------------------------

    def modifier_groups(self) -> list[tuple[ModifierGroup, list[UUID]]]:
        """Every modifier group, with the ids of the products that offer it."""
        with self.db.read() as uow:
            return catalog_service.modifier_groups(uow)

    def save_modifier_group(
        self,
        draft: GroupDraft,
        *,
        product_ids: list[UUID] | None = None,
        authorization: Authorization,
    ) -> ModifierGroup:
        """Create or change a group (its rules checked); with `product_ids`, exactly those
        products offer it. Audited as `catalog.modifier_group_added` / `_saved`."""
        with self.db.write() as uow:
            return catalog_service.save_modifier_group(
                uow, draft=draft, product_ids=product_ids, authorization=authorization
            )

    def import_csv_file(self, path: Path, *, authorization: Authorization) -> ImportResult:
        """Create or update products from a CSV file (UTF-8), all or nothing; audited with
        the counts (the import service itself checks no authorization and writes no entry)."""
        if authorization.permission is not Permission.MANAGE_CATALOG:
            raise ValidationError("catalog changes need a manager")
        if path.stat().st_size > MAX_CSV_BYTES:
            raise ValidationError("that file is too big for a product list")
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValidationError("save the file as CSV in UTF-8 and try again") from error
        with self.db.write() as uow:
            result = catalog_service.import_csv(uow, text=text, currency=self.shop.currency)
            uow.audit.record(
                "catalog.imported",
                staff_id=authorization.actor.id,
                approved_by_id=authorization.approver.id if authorization.approver else None,
                details={
                    "file": path.name,
                    "created": result.created,
                    "updated": result.updated,
                    "categories_created": result.categories_created,
                },
            )
            return result
