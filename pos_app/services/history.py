"""Order history at the counter: one order's whole story (lines, tenders, refunds, who did it),
and a refund that cannot be recorded twice from a screen that has gone stale."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from pos_app.db.uow import UnitOfWork
from pos_app.domain.errors import NotFound
from pos_app.domain.orders import Order, OrderLine, OrderStatus
from pos_app.domain.payments import SETTLED
from pos_app.domain.pricing import OrderTotals
from pos_app.domain.refunds import AllocationStatus, refundable_tip
from pos_app.services.refunds import refundable_tenders


@dataclass(frozen=True, slots=True)
class RefundInfo:
    id: UUID
    created_at: datetime
    amount_minor: int
    reason: str
    status: str
    """pending (a card refund not yet confirmed), succeeded or failed."""
    staff_name: str
    approved_by_name: str | None
    card_minor: int
    cash_minor: int
    refused_minor: int = 0
    """What the gateway refused to give back (refundable again on the order)."""
    tip_minor: int = 0
    """Card tips given back with it (on top of `amount_minor`)."""


@dataclass(frozen=True, slots=True)
class OrderDetail:
    order: Order
    totals: OrderTotals
    refunded_units: Mapping[UUID, int]
    tender_refunded: Mapping[UUID, int]
    refunds: tuple[RefundInfo, ...]
    staff_name: str | None
    void_reason: str | None
    paid_at: datetime | None
    business_at: datetime
    """When it was paid or voided (still open: last saved); history lists it at this time."""
    held_card_payments: int
    """Card approvals still held on the order (a void releases them)."""
    tip_remaining_minor: int = 0
    """Card tips a refund can still give back (apart from `remaining_minor`)."""

    @property
    def remaining_minor(self) -> int:
        """What a refund may still return of the sale (card tips apart:
        `tip_remaining_minor`)."""
        return self.totals.total_minor - self.order.refunded_minor

    def refundable_units(self, line: OrderLine) -> int:
        return line.quantity - self.refunded_units.get(line.id, 0)

    @property
    def can_refund(self) -> bool:
        return (
            self.order.status in (OrderStatus.PAID, OrderStatus.PARTIALLY_REFUNDED)
            and self.remaining_minor > 0
        )

    @property
    def can_void(self) -> bool:
        return self.order.status in (OrderStatus.OPEN, OrderStatus.PARKED)


def _name(uow: UnitOfWork, staff_id: UUID | None) -> str | None:
    if staff_id is None:
        return None
    member = uow.staff.get(staff_id)
    return member.name if member else None


def order_detail(uow: UnitOfWork, *, order_id: UUID) -> OrderDetail:
    order = uow.orders.get(order_id)
    meta = uow.orders.meta(order_id)
    if order is None or meta is None:
        raise NotFound("that order does not exist")
    infos = []
    for record in uow.refunds.for_order(order_id):
        allocations = uow.refunds.allocations(record.id)
        infos.append(
            RefundInfo(
                id=record.id,
                created_at=record.created_at,
                amount_minor=record.amount_minor,
                reason=record.reason,
                status=record.status,
                staff_name=_name(uow, record.staff_id) or "?",
                approved_by_name=_name(uow, record.approved_by_id),
                card_minor=sum(a.amount_minor for a in allocations if a.kind == "card"),
                cash_minor=sum(a.amount_minor for a in allocations if a.kind == "cash"),
                refused_minor=sum(
                    a.amount_minor for a in allocations if a.status is AllocationStatus.FAILED
                ),
                tip_minor=record.tip_minor,
            )
        )
    held = [p for p in uow.payments.for_order(order_id) if p.status not in SETTLED]
    return OrderDetail(
        order=order,
        totals=order.totals(),
        refunded_units=uow.orders.refunded_units(order_id),
        tender_refunded=uow.orders.tender_refunded(order_id),
        refunds=tuple(infos),
        staff_name=_name(uow, meta.staff_id),
        void_reason=meta.void_reason,
        paid_at=meta.paid_at,
        business_at=meta.business_at,
        held_card_payments=len(held),
        tip_remaining_minor=refundable_tip(refundable_tenders(uow, order_id)),
    )
