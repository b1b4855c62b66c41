"""Orders, their lines and tenders: saving the aggregate, loading it back, paging history."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast
from uuid import UUID

from sqlalchemy import Table, and_, delete, func, insert, or_, select, update
from sqlalchemy.orm import Session, selectinload

from pos_app.db.models import OrderLineModifierRow, OrderLineRow, OrderRow, TenderRow
from pos_app.db.repositories.outbox import OutboxRepository
from pos_app.domain.clock import utcnow
from pos_app.domain.errors import InvalidTransition
from pos_app.domain.history import HistoryFilter, OrderSummary
from pos_app.domain.ids import uuid7
from pos_app.domain.orders import LineModifier, Order, OrderLine, OrderStatus
from pos_app.domain.pricing import Discount, DiscountKind, OrderTotals, TaxMode
from pos_app.domain.tenders import Tender, TenderKind

_SUMMARY_COLUMNS = (
    OrderRow.id,
    OrderRow.number,
    OrderRow.status,
    OrderRow.business_at,
    OrderRow.total_minor,
    OrderRow.refunded_minor,
    OrderRow.currency,
    OrderRow.label,
    OrderRow.card_last4,
)


def _summary(row: Any) -> OrderSummary:
    id_, number, status, business_at, total, refunded, currency, label, last4 = row
    return OrderSummary(
        id=id_,
        number=number,
        status=OrderStatus(status),
        business_at=business_at,
        total_minor=total,
        refunded_minor=refunded,
        currency=currency,
        label=label,
        card_last4=last4,
    )


def _discount(kind: str | None, value: int | None) -> Discount | None:
    if kind is None or value is None:
        return None
    return Discount(DiscountKind(kind), value)


def _line_values(
    order: Order, totals: OrderTotals
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    lines: list[dict[str, Any]] = []
    modifiers: list[dict[str, Any]] = []
    for position, line in enumerate(order.lines):
        figures = totals.line(line.id)
        lines.append(
            {
                "id": line.id,
                "order_id": order.id,
                "position": position,
                "product_id": line.product_id,
                "category_id": line.category_id,
                "sku": line.sku,
                "name": line.name,
                "unit_price_minor": line.unit_price_minor,
                "tax_rate_ppm": line.tax_rate_ppm,
                "quantity": line.quantity,
                "note": line.note,
                "discount_kind": line.discount.kind.value if line.discount else None,
                "discount_value": line.discount.value if line.discount else None,
                "track_stock": line.track_stock,
                "gross_minor": figures.gross_minor,
                "line_discount_minor": figures.line_discount_minor,
                "order_discount_minor": figures.order_discount_minor,
                "net_minor": figures.net_minor,
                "tax_minor": figures.tax_minor,
                "total_minor": figures.total_minor,
                "refunded_quantity": 0,
            }
        )
        modifiers.extend(
            {
                "id": uuid7(),
                "line_id": line.id,
                "modifier_id": m.modifier_id,
                "name": m.name,
                "price_delta_minor": m.price_delta_minor,
                "position": i,
            }
            for i, m in enumerate(line.modifiers)
        )
    return lines, modifiers


def _tender_values(order: Order) -> list[dict[str, Any]]:
    now = utcnow()
    return [
        {
            "id": tender.id,
            "order_id": order.id,
            "kind": tender.kind.value,
            "amount_minor": tender.amount_minor,
            "tip_minor": tender.tip_minor,
            "tendered_minor": tender.tendered_minor,
            "change_minor": tender.change_minor,
            "refunded_minor": 0,
            "payment_id": tender.payment_id,
            "card_brand": tender.card_brand,
            "card_last4": tender.card_last4,
            "created_at": now,
        }
        for tender in order.tenders
    ]


# Core tables for the hot path: plain INSERTs skip the ORM's per-row bookkeeping.
_ORDERS = cast(Table, OrderRow.__table__)
_LINES = cast(Table, OrderLineRow.__table__)
_LINE_MODIFIERS = cast(Table, OrderLineModifierRow.__table__)
_TENDERS = cast(Table, TenderRow.__table__)


class OrderRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def next_number(self) -> int:
        # Safe without a sequence: writes run under BEGIN IMMEDIATE, one at a time.
        current = self.session.scalar(select(func.max(OrderRow.number)))
        return (current or 0) + 1

    def exists(self, order_id: UUID) -> bool:
        return self.session.get(OrderRow, order_id) is not None

    def save(
        self,
        order: Order,
        totals: OrderTotals,
        *,
        register_id: UUID,
        staff_id: UUID | None,
        shift_id: UUID | None,
        paid_at: datetime | None = None,
    ) -> None:
        """Insert or replace the order with its lines (and tenders, when it has them).

        Plain INSERT statements (no ORM unit of work): this is the checkout's hot path.
        """
        existing = None
        if order.number is not None:  # a cart that was never saved has no number yet
            existing = self.session.execute(
                select(OrderRow.number, OrderRow.status).where(OrderRow.id == order.id)
            ).first()
        values: dict[str, Any] = {
            "register_id": register_id,
            "status": order.status.value,
            "currency": order.currency,
            "tax_mode": order.tax_mode.value,
            "label": order.label,
            "discount_kind": order.discount.kind.value if order.discount else None,
            "discount_value": order.discount.value if order.discount else None,
            "discount_reason": order.discount.reason if order.discount else "",
            "subtotal_minor": totals.subtotal_minor,
            "line_discount_minor": totals.line_discount_minor,
            "order_discount_minor": totals.order_discount_minor,
            "tax_minor": totals.tax_minor,
            "total_minor": totals.total_minor,
            "tip_minor": sum(tender.tip_minor for tender in order.tenders),
            "paid_minor": order.paid_minor,
            "card_last4": next(
                (t.card_last4 for t in order.tenders if t.card_last4 is not None), None
            ),
            "customer_id": order.customer_id,
            "staff_id": staff_id,
            "shift_id": shift_id,
            "paid_at": paid_at,
            "updated_at": utcnow(),
        }
        values["business_at"] = paid_at or values["updated_at"]
        if existing is None:
            if order.number is None:
                order.number = self.next_number()
            values.update(
                id=order.id,
                number=order.number,
                created_at=order.created_at,
                refunded_minor=0,
                refunded_tax_minor=0,
            )
            self.session.execute(insert(_ORDERS), [values])
        else:
            number, status = existing
            order.number = number
            if status not in (OrderStatus.OPEN, OrderStatus.PARKED):
                # A cart on screen whose order was settled elsewhere (voided from history):
                # the cashier is told, as for any other transition the order cannot make.
                raise InvalidTransition(f"order {number} is {status}: it can no longer change")
            self.session.execute(update(OrderRow).where(OrderRow.id == order.id).values(**values))
            # ON DELETE CASCADE removes the lines' modifiers.
            self.session.execute(delete(OrderLineRow).where(OrderLineRow.order_id == order.id))
            self.session.execute(delete(TenderRow).where(TenderRow.order_id == order.id))
        lines, modifiers = _line_values(order, totals)
        self.session.execute(insert(_LINES), lines)
        if modifiers:
            self.session.execute(insert(_LINE_MODIFIERS), modifiers)
        tenders = _tender_values(order) if order.tenders else []
        if tenders:
            self.session.execute(insert(_TENDERS), tenders)
        if order.status is OrderStatus.PAID:
            values.update(id=order.id, number=order.number, created_at=order.created_at)
            OutboxRepository(self.session).record_order_values(values, lines, modifiers, tenders)

    def get(self, order_id: UUID) -> Order | None:
        # populate_existing: the Core UPDATEs of a refund or a settle earlier in the same
        # transaction must show, not the row the session loaded before them.
        row = self.session.get(
            OrderRow,
            order_id,
            options=[selectinload(OrderRow.lines), selectinload(OrderRow.tenders)],
            populate_existing=True,
        )
        return self._to_domain(row) if row else None

    def get_by_number(self, number: int) -> Order | None:
        order_id = self.session.scalar(select(OrderRow.id).where(OrderRow.number == number))
        return self.get(order_id) if order_id else None

    def _to_domain(self, row: OrderRow) -> Order:
        order = Order(
            currency=row.currency,
            tax_mode=TaxMode(row.tax_mode),
            status=OrderStatus(row.status),
            discount=_discount(row.discount_kind, row.discount_value),
            label=row.label,
            number=row.number,
            customer_id=row.customer_id,
            refunded_minor=row.refunded_minor,
            created_at=row.created_at,
            id=row.id,
        )
        order.lines = [
            OrderLine(
                id=line.id,
                sku=line.sku,
                name=line.name,
                unit_price_minor=line.unit_price_minor,
                tax_rate_ppm=line.tax_rate_ppm,
                quantity=line.quantity,
                product_id=line.product_id,
                category_id=line.category_id,
                modifiers=tuple(
                    LineModifier(m.modifier_id, m.name, m.price_delta_minor) for m in line.modifiers
                ),
                note=line.note,
                discount=_discount(line.discount_kind, line.discount_value),
                track_stock=line.track_stock,
            )
            for line in row.lines
        ]
        order.tenders = [
            Tender(
                id=t.id,
                kind=TenderKind(t.kind),
                amount_minor=t.amount_minor,
                tip_minor=t.tip_minor,
                tendered_minor=t.tendered_minor,
                change_minor=t.change_minor,
                payment_id=t.payment_id,
                card_brand=t.card_brand,
                card_last4=t.card_last4,
            )
            for t in row.tenders
        ]
        return order

    def meta(self, order_id: UUID) -> OrderRow | None:
        """The order's header row (staff, shift, timestamps) without its lines."""
        return self.session.get(OrderRow, order_id)

    def refunded_units(self, order_id: UUID) -> dict[UUID, int]:
        rows = self.session.execute(
            select(OrderLineRow.id, OrderLineRow.refunded_quantity).where(
                OrderLineRow.order_id == order_id
            )
        )
        return {key: int(value) for key, value in rows}

    def add_refunded_units(self, line_id: UUID, quantity: int) -> None:
        self.session.execute(
            update(OrderLineRow)
            .where(OrderLineRow.id == line_id)
            .values(refunded_quantity=OrderLineRow.refunded_quantity + quantity)
            .execution_options(synchronize_session=False)
        )

    def record_refund(
        self, order_id: UUID, *, amount_minor: int, tax_minor: int, status: OrderStatus
    ) -> None:
        self.session.execute(
            update(OrderRow)
            .where(OrderRow.id == order_id)
            .values(
                refunded_minor=OrderRow.refunded_minor + amount_minor,
                refunded_tax_minor=OrderRow.refunded_tax_minor + tax_minor,
                status=status.value,
            )
            .execution_options(synchronize_session=False)
        )

    def refunded_tax(self, order_id: UUID) -> int:
        return (
            self.session.scalar(select(OrderRow.refunded_tax_minor).where(OrderRow.id == order_id))
            or 0
        )

    def add_tender_refund(self, tender_id: UUID, amount_minor: int) -> None:
        self.session.execute(
            update(TenderRow)
            .where(TenderRow.id == tender_id)
            .values(refunded_minor=TenderRow.refunded_minor + amount_minor)
            .execution_options(synchronize_session=False)
        )

    def tender_refunded(self, order_id: UUID) -> dict[UUID, int]:
        rows = self.session.execute(
            select(TenderRow.id, TenderRow.refunded_minor).where(TenderRow.order_id == order_id)
        )
        return {key: int(value) for key, value in rows}

    def set_pending_tenders(self, order_id: UUID, tenders: dict[str, Any] | None) -> None:
        self.session.execute(
            update(OrderRow)
            .where(OrderRow.id == order_id)
            .values(pending_tenders=tenders)
            .execution_options(synchronize_session=False)
        )

    def pending_tenders(self, order_id: UUID) -> dict[str, Any] | None:
        return self.session.scalar(select(OrderRow.pending_tenders).where(OrderRow.id == order_id))

    def header(self, order_id: UUID) -> tuple[UUID | None, UUID | None] | None:
        """(staff_id, shift_id) of a saved order."""
        row = self.session.execute(
            select(OrderRow.staff_id, OrderRow.shift_id).where(OrderRow.id == order_id)
        ).first()
        return (row[0], row[1]) if row else None

    def mark_voided(
        self, order_id: UUID, *, reason: str, at: datetime, shift_id: UUID | None
    ) -> None:
        """`shift_id`: the shift open when the void is made (its Z report counts it), not the
        one the order was rung up or parked in, which may be closed and filed already."""
        self.session.execute(
            update(OrderRow)
            .where(OrderRow.id == order_id)
            .values(
                status=OrderStatus.VOIDED.value,
                void_reason=reason,
                voided_at=at,
                business_at=at,
                shift_id=shift_id,
            )
            .execution_options(synchronize_session=False)
        )
        OutboxRepository(self.session).record_order(order_id)

    def mark_parked(self, order_id: UUID) -> None:
        self.session.execute(
            update(OrderRow)
            .where(OrderRow.id == order_id, OrderRow.status == OrderStatus.OPEN.value)
            .values(status=OrderStatus.PARKED.value)
            .execution_options(synchronize_session=False)
        )

    # --- history --------------------------------------------------------------------------

    def _filtered(self, query, history: HistoryFilter | None):  # type: ignore[no-untyped-def]
        if history is None:
            return query
        if history.number is not None:
            query = query.where(OrderRow.number == history.number)
        if history.since is not None:
            query = query.where(OrderRow.business_at >= history.since)
        if history.until is not None:
            query = query.where(OrderRow.business_at < history.until)
        if history.total_minor is not None:
            query = query.where(OrderRow.total_minor == history.total_minor)
        if history.card_last4:
            query = query.where(OrderRow.card_last4 == history.card_last4)
        if history.status is not None:
            query = query.where(OrderRow.status == history.status.value)
        return query

    def page(
        self,
        *,
        limit: int = 50,
        after: tuple[datetime, UUID] | None = None,
        history: HistoryFilter | None = None,
    ) -> list[OrderSummary]:
        """Newest first, keyset-paged: pass the last row's ``(business_at, id)`` as `after`."""
        query = select(*_SUMMARY_COLUMNS)
        query = self._filtered(query, history)
        if after is not None:
            business_at, order_id = after
            query = query.where(
                or_(
                    OrderRow.business_at < business_at,
                    and_(OrderRow.business_at == business_at, OrderRow.id < order_id),
                )
            )
        query = query.order_by(OrderRow.business_at.desc(), OrderRow.id.desc()).limit(limit)
        return [_summary(row) for row in self.session.execute(query)]

    def ids(self, history: HistoryFilter | None = None, limit: int | None = None) -> list[UUID]:
        """Every matching order id, newest first (for lazily loaded views)."""
        query = self._filtered(select(OrderRow.id), history).order_by(
            OrderRow.business_at.desc(), OrderRow.id.desc()
        )
        if limit is not None:
            query = query.limit(limit)
        return list(self.session.scalars(query))

    def summaries(self, order_ids: list[UUID]) -> list[OrderSummary]:
        rows = self.session.execute(select(*_SUMMARY_COLUMNS).where(OrderRow.id.in_(order_ids)))
        by_id = {summary.id: summary for summary in (_summary(row) for row in rows)}
        return [by_id[order_id] for order_id in order_ids if order_id in by_id]

    def count(self, history: HistoryFilter | None = None) -> int:
        query = self._filtered(select(func.count()).select_from(OrderRow), history)
        return self.session.scalar(query) or 0

    def parked(self) -> list[OrderSummary]:
        return self.page(limit=200, history=HistoryFilter(status=OrderStatus.PARKED))

    def unfinished(self, register_id: UUID) -> list[OrderSummary]:
        """This register's orders still open or parked, oldest number first."""
        query = (
            select(*_SUMMARY_COLUMNS)
            .where(
                OrderRow.register_id == register_id,
                OrderRow.status.in_((OrderStatus.OPEN.value, OrderStatus.PARKED.value)),
            )
            .order_by(OrderRow.number)
        )
        return [_summary(row) for row in self.session.execute(query)]
