"""The sync outbox: every change to push, recorded in the transaction that made it.

Writers call `record_*` from inside their own unit of work, so a change and its outbox entry
commit (or roll back) together: nothing is pushed that did not happen, nothing that happened
is left out. The payloads are the server's push contract (sync_server/sync/schemas.py):
money in minor units, ids as strings, times as ISO-8601 with an offset.

`seq` is SQLite's AUTOINCREMENT rowid: strictly increasing and never reused, which is what
the server's per-device sequence needs. A register paired a second time (a new device id)
starts its device sequence again at 1 by subtracting the `seq_base` kept in `sync_state`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, cast
from uuid import UUID

from sqlalchemy import Table, delete, func, insert, select, update
from sqlalchemy.orm import Session, selectinload

from pos_app.db.models import (
    AuditRow,
    CashMovementRow,
    CategoryRow,
    CustomerRow,
    ModifierGroupRow,
    OrderLineRow,
    OrderRow,
    OutboxRow,
    PaymentTransactionRow,
    ProductModifierGroupRow,
    ProductRow,
    RefundRow,
    ShiftRow,
    StaffRow,
    StockMovementRow,
    SyncStateRow,
)
from pos_app.domain.clock import utcnow
from pos_app.domain.outbox import OutboxEntry, RefusedEntry
from pos_app.domain.payments import PaymentStatus

_OUTBOX = cast(Table, OutboxRow.__table__)

#: Payment states worth telling the platform about (the rest are steps of one attempt).
PUSHED_PAYMENT_STATUSES = frozenset(
    s.value
    for s in (
        PaymentStatus.AUTHORIZED,
        PaymentStatus.CAPTURED,
        PaymentStatus.CANCELED,
        PaymentStatus.FAILED,
    )
)


def _ts(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _id(value: UUID | None) -> str | None:
    return str(value) if value is not None else None


class OutboxRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # --- the queue ------------------------------------------------------------------------

    def record(self, entity: str, entity_id: UUID, data: dict[str, Any]) -> None:
        # A Core INSERT: checkout's hot path writes one of these per sale.
        self.session.execute(
            insert(_OUTBOX),
            [{"entity": entity, "entity_id": entity_id, "payload": data, "created_at": utcnow()}],
        )

    def pending(self, *, after_seq: int = 0, limit: int = 500) -> list[OutboxEntry]:
        rows = self.session.scalars(
            select(OutboxRow)
            .where(OutboxRow.pushed_at.is_(None), OutboxRow.seq > after_seq)
            .order_by(OutboxRow.seq)
            .limit(limit)
        )
        return [OutboxEntry(r.seq, r.entity, r.entity_id, r.payload, r.created_at) for r in rows]

    def acknowledge(self, up_to_seq: int) -> int:
        result = self.session.execute(
            update(OutboxRow)
            .where(OutboxRow.seq <= up_to_seq, OutboxRow.pushed_at.is_(None))
            .values(pushed_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    def mark_refused(self, refusals: list[tuple[int, str, str]]) -> int:
        """Record the server's refusal of entries (seq, code, reason); returns how many."""
        now = utcnow()
        marked = 0
        for seq, code, reason in refusals:
            result = self.session.execute(
                update(OutboxRow)
                .where(OutboxRow.seq == seq, OutboxRow.refused_at.is_(None))
                .values(refused_at=now, refused_code=code[:32], refused_reason=reason)
                .execution_options(synchronize_session=False)
            )
            marked += int(result.rowcount)  # type: ignore[attr-defined]
        return marked

    def refused(self, *, limit: int = 200) -> list[RefusedEntry]:
        """Refused changes, newest first."""
        rows = self.session.scalars(
            select(OutboxRow)
            .where(OutboxRow.refused_at.is_not(None))
            .order_by(OutboxRow.seq.desc())
            .limit(limit)
        )
        return [
            RefusedEntry(
                r.seq, r.entity, r.entity_id, r.payload, r.created_at,
                cast(datetime, r.refused_at), r.refused_code or "", r.refused_reason or "",
            )
            for r in rows
        ]  # fmt: skip

    def refused_count(self) -> int:
        return (
            self.session.scalar(
                select(func.count()).select_from(OutboxRow).where(OutboxRow.refused_at.is_not(None))
            )
            or 0
        )

    def pending_count(self) -> int:
        return (
            self.session.scalar(
                select(func.count()).select_from(OutboxRow).where(OutboxRow.pushed_at.is_(None))
            )
            or 0
        )

    def oldest_pending_at(self) -> datetime | None:
        return self.session.scalar(
            select(func.min(OutboxRow.created_at)).where(OutboxRow.pushed_at.is_(None))
        )

    def max_seq(self) -> int:
        return self.session.scalar(select(func.max(OutboxRow.seq))) or 0

    def prune(self, *, older_than: timedelta) -> int:
        """Forget pushed entries after a while (the server has them); refused ones stay for
        the manager (the server keeps only its quarantine copy)."""
        cutoff = utcnow() - older_than
        result = self.session.execute(
            delete(OutboxRow).where(
                OutboxRow.pushed_at.is_not(None),
                OutboxRow.pushed_at < cutoff,
                OutboxRow.refused_at.is_(None),
            )
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    # --- sync state (cursor, device, last outcome) -----------------------------------------------

    def state(self, key: str) -> str | None:
        row = self.session.get(SyncStateRow, key)
        return row.value if row else None

    def set_state(self, key: str, value: str | None) -> None:
        row = self.session.get(SyncStateRow, key)
        if value is None:
            if row is not None:
                self.session.delete(row)
            return
        if row is None:
            self.session.add(SyncStateRow(key=key, value=value))
        else:
            row.value = value

    # --- snapshots of what changed ------------------------------------------------------------

    def record_order_values(
        self,
        values: dict[str, Any],
        lines: list[dict[str, Any]],
        modifiers: list[dict[str, Any]],
        tenders: list[dict[str, Any]],
    ) -> None:
        """The order as `OrderRepository.save` just wrote it (no read-back on the hot path)."""
        by_line: dict[UUID, list[dict[str, Any]]] = {}
        for modifier in modifiers:
            by_line.setdefault(modifier["line_id"], []).append(modifier)
        data = {
            "number": values["number"],
            "register_id": str(values["register_id"]),
            "status": "voided" if values["status"] == "voided" else "paid",
            "currency": values["currency"],
            "tax_mode": values["tax_mode"],
            "subtotal_minor": values["subtotal_minor"],
            "line_discount_minor": values["line_discount_minor"],
            "order_discount_minor": values["order_discount_minor"],
            "tax_minor": values["tax_minor"],
            "total_minor": values["total_minor"],
            "tip_minor": values["tip_minor"],
            "created_at": _ts(values["created_at"]),
            "paid_at": _ts(values["paid_at"]),
            "voided_at": None,
            "void_reason": None,
            "staff_id": _id(values["staff_id"]),
            "shift_id": _id(values["shift_id"]),
            "customer_id": _id(values["customer_id"]),
            "lines": [
                {
                    "id": str(line["id"]),
                    "position": line["position"],
                    "product_id": _id(line["product_id"]),
                    "category_id": _id(line["category_id"]),
                    "sku": line["sku"],
                    "name": line["name"],
                    "quantity": line["quantity"],
                    "unit_price_minor": line["unit_price_minor"]
                    + sum(m["price_delta_minor"] for m in by_line.get(line["id"], [])),
                    "tax_rate_ppm": line["tax_rate_ppm"],
                    "gross_minor": line["gross_minor"],
                    "line_discount_minor": line["line_discount_minor"],
                    "order_discount_minor": line["order_discount_minor"],
                    "net_minor": line["net_minor"],
                    "tax_minor": line["tax_minor"],
                    "total_minor": line["total_minor"],
                    "note": line["note"],
                    "modifiers": [
                        {"name": m["name"], "price_delta_minor": m["price_delta_minor"]}
                        for m in by_line.get(line["id"], [])
                    ],
                }
                for line in lines
            ],
            "tenders": [
                {
                    "id": str(t["id"]),
                    "kind": t["kind"],
                    "amount_minor": t["amount_minor"],
                    "tip_minor": t["tip_minor"],
                    "tendered_minor": t["tendered_minor"],
                    "change_minor": t["change_minor"],
                    "card_brand": t["card_brand"],
                    "card_last4": t["card_last4"],
                    "payment_id": _id(t["payment_id"]),
                }
                for t in tenders
            ],
        }
        self.record("order", values["id"], data)

    def record_order(self, order_id: UUID) -> None:
        # populate_existing: Core UPDATEs earlier in this transaction may have left a stale
        # copy in the identity map.
        row = self.session.get(
            OrderRow,
            order_id,
            populate_existing=True,
            options=[
                selectinload(OrderRow.lines).selectinload(OrderLineRow.modifiers),
                selectinload(OrderRow.tenders),
            ],
        )
        if row is None or row.status not in ("paid", "voided", "partially_refunded", "refunded"):
            return
        data = {
            "number": row.number,
            "register_id": str(row.register_id),
            # Refunds travel as refund events: the order itself is pushed as it was paid.
            "status": "voided" if row.status == "voided" else "paid",
            "currency": row.currency,
            "tax_mode": row.tax_mode,
            "subtotal_minor": row.subtotal_minor,
            "line_discount_minor": row.line_discount_minor,
            "order_discount_minor": row.order_discount_minor,
            "tax_minor": row.tax_minor,
            "total_minor": row.total_minor,
            "tip_minor": row.tip_minor,
            "created_at": _ts(row.created_at),
            "paid_at": _ts(row.paid_at),
            "voided_at": _ts(row.voided_at),
            "void_reason": row.void_reason,
            "staff_id": _id(row.staff_id),
            "shift_id": _id(row.shift_id),
            "customer_id": _id(row.customer_id),
            "lines": [
                {
                    "id": str(line.id),
                    "position": line.position,
                    "product_id": _id(line.product_id),
                    "category_id": _id(line.category_id),
                    "sku": line.sku,
                    "name": line.name,
                    "quantity": line.quantity,
                    "unit_price_minor": line.unit_price_minor
                    + sum(m.price_delta_minor for m in line.modifiers),
                    "tax_rate_ppm": line.tax_rate_ppm,
                    "gross_minor": line.gross_minor,
                    "line_discount_minor": line.line_discount_minor,
                    "order_discount_minor": line.order_discount_minor,
                    "net_minor": line.net_minor,
                    "tax_minor": line.tax_minor,
                    "total_minor": line.total_minor,
                    "note": line.note,
                    "modifiers": [
                        {"name": m.name, "price_delta_minor": m.price_delta_minor}
                        for m in line.modifiers
                    ],
                }
                for line in row.lines
            ],
            "tenders": [
                {
                    "id": str(t.id),
                    "kind": t.kind,
                    "amount_minor": t.amount_minor,
                    "tip_minor": t.tip_minor,
                    "tendered_minor": t.tendered_minor,
                    "change_minor": t.change_minor,
                    "card_brand": t.card_brand,
                    "card_last4": t.card_last4,
                    "payment_id": _id(t.payment_id),
                }
                for t in row.tenders
            ],
        }
        self.record("order", order_id, data)

    def record_payment(self, payment_id: UUID) -> None:
        row = self.session.get(PaymentTransactionRow, payment_id, populate_existing=True)
        if row is None or row.status not in PUSHED_PAYMENT_STATUSES:
            return
        self.record(
            "payment",
            payment_id,
            {
                "order_id": str(row.order_id),
                "gateway": row.gateway,
                "gateway_payment_id": row.gateway_payment_id,
                "gateway_charge_id": row.gateway_charge_id,
                "status": row.status,
                "amount_minor": row.amount_minor,
                "tip_minor": row.tip_minor,
                "currency": row.currency,
                "card_brand": row.card_brand,
                "card_last4": row.card_last4,
                "captured_minor": row.captured_minor,
                "refunded_minor": row.refunded_minor,
                "created_at": _ts(row.created_at),
                "updated_at": _ts(utcnow()),
            },
        )

    def record_refund(self, refund_id: UUID) -> None:
        row = self.session.get(
            RefundRow,
            refund_id,
            populate_existing=True,
            options=[selectinload(RefundRow.lines), selectinload(RefundRow.allocations)],
        )
        if row is None:
            return
        self.record(
            "refund",
            refund_id,
            {
                "order_id": str(row.order_id),
                "amount_minor": row.amount_minor,
                "tax_minor": row.tax_minor,
                "tip_minor": row.tip_minor,
                "reason": row.reason,
                "status": row.status,
                "created_at": _ts(row.created_at),
                "staff_id": _id(row.staff_id),
                "approved_by_id": _id(row.approved_by_id),
                "lines": [
                    {
                        "line_id": str(line.line_id),
                        "quantity": line.quantity,
                        "amount_minor": line.amount_minor,
                        "tax_minor": line.tax_minor,
                    }
                    for line in row.lines
                ],
                "allocations": [
                    {
                        "id": str(a.id),
                        "tender_id": _id(a.tender_id),
                        "kind": a.kind,
                        "amount_minor": a.amount_minor,
                        "tip_minor": a.tip_minor,
                        "status": a.status,
                        "gateway_refund_id": a.gateway_refund_id,
                    }
                    for a in row.allocations
                ],
            },
        )

    def record_stock_movement(self, row: StockMovementRow) -> None:
        self.record(
            "stock_movement",
            row.id,
            {
                "product_id": str(row.product_id),
                "quantity_delta": row.quantity_delta,
                "reason": row.reason,
                "order_id": _id(row.order_id),
                "created_at": _ts(row.created_at),
            },
        )

    def record_shift(self, shift_id: UUID) -> None:
        row = self.session.get(ShiftRow, shift_id, populate_existing=True)
        if row is None:
            return
        self.record(
            "shift",
            shift_id,
            {
                "register_id": str(row.register_id),
                "status": row.status,
                "opened_at": _ts(row.opened_at),
                "opened_by_id": str(row.opened_by_id),
                "opening_float_minor": row.opening_float_minor,
                "closed_at": _ts(row.closed_at),
                "closed_by_id": _id(row.closed_by_id),
                "expected_cash_minor": row.expected_cash_minor,
                "counted_cash_minor": row.counted_cash_minor,
                "over_short_minor": row.over_short_minor,
            },
        )

    def record_cash_movement(self, row: CashMovementRow) -> None:
        self.record(
            "cash_movement",
            row.id,
            {
                "shift_id": str(row.shift_id),
                "kind": row.kind,
                "amount_minor": row.amount_minor,
                "reason": row.reason,
                "staff_id": str(row.staff_id),
                "approved_by_id": _id(row.approved_by_id),
                "created_at": _ts(row.created_at),
            },
        )

    def record_audit(self, row: AuditRow) -> None:
        self.record(
            "audit",
            row.id,
            {
                "at": _ts(row.at),
                "action": row.action,
                "staff_id": _id(row.staff_id),
                "approved_by_id": _id(row.approved_by_id),
                "order_id": _id(row.order_id),
                "details": row.details,
            },
        )

    def record_customer(self, row: CustomerRow) -> None:
        self.record(
            "customer",
            row.id,
            {
                "name": row.name,
                "email": row.email,
                "phone": row.phone,
                "email_consent": row.email_consent,
                "sms_consent": row.sms_consent,
                "created_at": _ts(row.created_at),
            },
        )

    def record_category(self, row: CategoryRow) -> None:
        self.record(
            "category",
            row.id,
            {
                "name": row.name,
                "position": row.position,
                "updated_at": _ts(utcnow()),
            },
        )

    def record_product(self, row: ProductRow) -> None:
        self.record(
            "product",
            row.id,
            {
                "sku": row.sku,
                "name": row.name,
                "category_id": _id(row.category_id),
                "barcode": row.barcode,
                "price_minor": row.price_minor,
                "currency": row.currency,
                "tax_rate_ppm": row.tax_rate_ppm,
                "active": row.active,
                "track_stock": row.track_stock,
                "updated_at": _ts(utcnow()),
            },
        )

    def record_eighty_six(self, product_id: UUID, *, unavailable: bool, reason: str | None) -> None:
        self.record(
            "eighty_six",
            product_id,
            {
                "unavailable": unavailable,
                "reason": reason,
                "updated_at": _ts(utcnow()),
            },
        )

    def record_modifier_group(self, group_id: UUID) -> None:
        row = self.session.get(ModifierGroupRow, group_id, populate_existing=True)
        if row is None:
            return
        product_ids = self.session.scalars(
            select(ProductModifierGroupRow.product_id).where(
                ProductModifierGroupRow.group_id == group_id
            )
        )
        self.record(
            "modifier_group",
            group_id,
            {
                "name": row.name,
                "min_choices": row.min_choices,
                "max_choices": row.max_choices,
                "modifiers": [
                    {
                        "id": str(m.id),
                        "name": m.name,
                        "price_delta_minor": m.price_delta_minor,
                        "position": m.position,
                    }
                    for m in row.modifiers
                ],
                "product_ids": [str(pid) for pid in product_ids],
                "updated_at": _ts(utcnow()),
            },
        )

    def record_staff(self, row: StaffRow) -> None:
        self.record(
            "staff",
            row.id,
            {
                "name": row.name,
                "role": row.role,
                "pin_hash": row.pin_hash,
                "active": row.active,
                "updated_at": _ts(utcnow()),
            },
        )

    def record_notification(self, notification_id: UUID, data: dict[str, Any]) -> None:
        self.record("notification", notification_id, data)
