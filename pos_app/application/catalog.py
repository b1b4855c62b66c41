"""The catalog in the back office: products, categories, modifier groups, stock, CSV import.

Each method is one thing a manager does, in its own transaction; the services it calls check
the authorization and write the audit entry."""

from __future__ import annotations

from pathlib import Path
from uuid import UUID

from pos_app.application._area import Area
from pos_app.domain.catalog import Category, Product
from pos_app.domain.errors import ValidationError
from pos_app.domain.staff import Authorization, Permission
from pos_app.services import catalog as catalog_service
from pos_app.services.catalog import CsvImportError, CsvProblem, ImportResult

__all__ = ["MAX_CSV_BYTES", "Catalog", "CsvImportError", "CsvProblem", "ImportResult"]

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
