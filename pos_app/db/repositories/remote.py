"""Changes pulled from the sync server, applied to the local database.

These writes bypass the outbox on purpose: they came from the server, and echoing them back
would loop. Catalog and staff rows follow "last writer wins" on `updated_at`; other registers'
stock movements are applied once each (their id is remembered); disputes are upserted.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from pos_app.db.models import (
    CategoryRow,
    DisputeRow,
    ModifierGroupRow,
    ModifierRow,
    ProductModifierGroupRow,
    ProductRow,
    RemoteStockMovementRow,
    StaffRow,
    StockMovementRow,
)
from pos_app.domain.remote import DisputeRecord, Oversold


def _time(value: Any) -> datetime:
    return datetime.fromisoformat(str(value))


def _uuid(value: Any) -> UUID | None:
    return UUID(str(value)) if value else None


class RemoteChangeRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    @staticmethod
    def _newer(local: datetime | None, remote: datetime) -> bool:
        return local is None or remote > local

    def apply_category(self, category_id: UUID, data: dict[str, Any]) -> bool:
        updated = _time(data["updated_at"])
        row = self.session.get(CategoryRow, category_id)
        if row is not None and not self._newer(row.updated_at, updated):
            return False
        clash = self.session.scalar(
            select(CategoryRow).where(
                CategoryRow.name == data["name"], CategoryRow.id != category_id
            )
        )
        if clash is not None:
            # Two registers created the same category offline: keep one name, the server's id.
            clash.name = f"{clash.name} ({str(clash.id)[:4]})"
            self.session.flush()
        if row is None:
            row = CategoryRow(id=category_id)
            self.session.add(row)
        row.name = data["name"]
        row.position = int(data.get("position", 0))
        row.updated_at = updated
        return True

    def apply_product(self, product_id: UUID, data: dict[str, Any]) -> bool:
        updated = _time(data["updated_at"])
        row = self.session.get(ProductRow, product_id)
        if row is not None and not self._newer(row.updated_at, updated):
            return False
        clash = self.session.scalar(
            select(ProductRow).where(ProductRow.sku == data["sku"], ProductRow.id != product_id)
        )
        if clash is not None:
            return False  # the same SKU under another id: left for a manager to resolve
        if row is None:
            row = ProductRow(id=product_id, stock_quantity=0, position=0)
            self.session.add(row)
        row.sku = data["sku"]
        row.name = data["name"]
        row.category_id = _uuid(data.get("category_id"))
        row.barcode = data.get("barcode") or None
        row.price_minor = int(data["price_minor"])
        row.currency = data["currency"]
        row.tax_rate_ppm = int(data["tax_rate_ppm"])
        row.active = bool(data.get("active", True))
        row.track_stock = bool(data.get("track_stock", False))
        row.updated_at = updated
        return True

    def apply_eighty_six(self, product_id: UUID, data: dict[str, Any]) -> bool:
        result = self.session.execute(
            update(ProductRow)
            .where(ProductRow.id == product_id)
            .values(active=not bool(data["unavailable"]))
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def apply_modifier_group(self, group_id: UUID, data: dict[str, Any]) -> bool:
        row = self.session.get(ModifierGroupRow, group_id)
        if row is None:
            row = ModifierGroupRow(id=group_id)
            self.session.add(row)
        row.name = data["name"]
        row.min_choices = int(data.get("min_choices", 0))
        row.max_choices = int(data.get("max_choices", 1))
        self.session.flush()
        self.session.execute(delete(ModifierRow).where(ModifierRow.group_id == group_id))
        for modifier in data.get("modifiers", []):
            self.session.add(
                ModifierRow(
                    id=UUID(str(modifier["id"])),
                    group_id=group_id,
                    name=modifier["name"],
                    price_delta_minor=int(modifier["price_delta_minor"]),
                    position=int(modifier.get("position", 0)),
                )
            )
        self.session.execute(
            delete(ProductModifierGroupRow).where(ProductModifierGroupRow.group_id == group_id)
        )
        known = set(self.session.scalars(select(ProductRow.id)))
        for position, product_id in enumerate(data.get("product_ids", [])):
            pid = UUID(str(product_id))
            if pid in known:
                self.session.add(
                    ProductModifierGroupRow(product_id=pid, group_id=group_id, position=position)
                )
        self.session.expire(row)
        return True

    def apply_staff(self, staff_id: UUID, data: dict[str, Any]) -> bool:
        updated = _time(data["updated_at"])
        row = self.session.get(StaffRow, staff_id)
        if row is not None and not self._newer(row.updated_at, updated):
            return False
        if row is None:
            row = StaffRow(id=staff_id, failed_attempts=0)
            self.session.add(row)
        row.name = data["name"]
        row.role = data["role"]
        row.pin_hash = data["pin_hash"]
        row.active = bool(data.get("active", True))
        row.updated_at = updated
        return True

    def apply_stock_movement(self, movement_id: UUID, data: dict[str, Any]) -> Oversold | None:
        """Take another register's sale (or count) off this register's shelf, once.

        A movement this register recorded itself is already in its stock level, whatever device
        id the server files it under (re-pairing gives a register a new one)."""
        if self.session.get(RemoteStockMovementRow, movement_id) is not None:
            return None
        if self.session.get(StockMovementRow, movement_id) is not None:
            return None
        product_id = UUID(str(data["product_id"]))
        delta = int(data["quantity_delta"])
        self.session.add(
            RemoteStockMovementRow(
                id=movement_id,
                product_id=product_id,
                device_id=_uuid(data.get("device_id")),
                quantity_delta=delta,
                reason=str(data.get("reason", "sale")),
                created_at=_time(data["created_at"]),
            )
        )
        product = self.session.get(ProductRow, product_id, populate_existing=True)
        if product is None or not product.track_stock:
            return None
        before = product.stock_quantity
        product.stock_quantity = before + delta
        if before >= 0 > product.stock_quantity:
            return Oversold(product_id, product.sku, product.name, product.stock_quantity)
        return None

    def apply_dispute(self, data: dict[str, Any]) -> bool:
        dispute_id = str(data["id"])
        row = self.session.get(DisputeRow, dispute_id)
        updated = _time(data["updated_at"])
        if row is not None and not self._newer(row.updated_at, updated):
            return False
        if row is None:
            row = DisputeRow(id=dispute_id)
            self.session.add(row)
        row.order_id = _uuid(data.get("order_id"))
        row.charge_id = data.get("charge_id")
        row.amount_minor = int(data["amount_minor"])
        row.currency = str(data["currency"]).strip()
        row.reason = data.get("reason") or ""
        row.status = data["status"]
        due = data.get("evidence_due_by")
        row.evidence_due_by = _time(due) if due else None
        row.fee_minor = int(data.get("fee_minor") or 0)
        row.outcome = data.get("outcome")
        row.updated_at = updated
        return True

    def disputes(self) -> list[DisputeRecord]:
        rows = self.session.scalars(select(DisputeRow).order_by(DisputeRow.updated_at.desc()))
        return [
            DisputeRecord(
                r.id,
                r.order_id,
                r.charge_id,
                r.amount_minor,
                r.currency,
                r.reason,
                r.status,
                r.evidence_due_by,
                r.fee_minor,
                r.outcome,
                r.evidence_submitted_at,
                r.updated_at,
            )
            for r in rows
        ]

    def mark_evidence_submitted(self, dispute_id: str, at: datetime) -> None:
        self.session.execute(
            update(DisputeRow)
            .where(DisputeRow.id == dispute_id)
            .values(evidence_submitted_at=at, status="under_review")
            .execution_options(synchronize_session=False)
        )

    def negative_stock(self) -> list[Oversold]:
        rows = self.session.execute(
            select(ProductRow.id, ProductRow.sku, ProductRow.name, ProductRow.stock_quantity).where(
                ProductRow.track_stock.is_(True), ProductRow.stock_quantity < 0
            )
        )
        return [Oversold(pid, sku, name, level) for pid, sku, name, level in rows]
