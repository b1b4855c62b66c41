"""Refund records: the refund, its lines, and how it went back (card or cash)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from pos_app.db.models import OutsideRefundRow, RefundAllocationRow, RefundLineRow, RefundRow
from pos_app.db.repositories.outbox import OutboxRepository
from pos_app.domain.refunds import (
    AllocationRecord,
    AllocationStatus,
    RefundAllocation,
    RefundPlan,
    RefundRecord,
    check_allocation_transition,
)


def _refund(row: RefundRow) -> RefundRecord:
    return RefundRecord(
        row.id,
        row.order_id,
        row.amount_minor,
        row.tax_minor,
        row.reason,
        row.status,
        row.created_at,
        row.staff_id,
        row.approved_by_id,
        row.restock,
        row.tip_minor,
    )


def _allocation(row: RefundAllocationRow) -> AllocationRecord:
    return AllocationRecord(
        row.id,
        row.refund_id,
        row.tender_id,
        row.kind,
        row.amount_minor,
        AllocationStatus(row.status),
        row.idempotency_key,
        row.gateway_refund_id,
        row.tip_minor,
    )


class RefundRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(
        self,
        *,
        refund_id: UUID,
        order_id: UUID,
        plan: RefundPlan,
        allocations: Sequence[tuple[UUID, RefundAllocation, str | None]],
        reason: str,
        status: str,
        restock: bool,
        staff_id: UUID,
        approved_by_id: UUID | None,
        shift_id: UUID | None,
    ) -> None:
        """`allocations` are ``(allocation_id, allocation, idempotency_key)``."""
        row = RefundRow(
            id=refund_id,
            order_id=order_id,
            amount_minor=plan.amount_minor,
            tax_minor=plan.tax_minor,
            tip_minor=plan.tip_minor,
            reason=reason,
            status=status,
            restock=restock,
            staff_id=staff_id,
            approved_by_id=approved_by_id,
            shift_id=shift_id,
        )
        row.lines = [
            RefundLineRow(
                line_id=line.line_id,
                quantity=line.quantity,
                amount_minor=line.amount_minor,
                tax_minor=line.tax_minor,
            )
            for line in plan.lines
        ]
        row.allocations = [
            RefundAllocationRow(
                id=allocation_id,
                tender_id=allocation.tender_id,
                kind=allocation.kind.value,
                amount_minor=allocation.amount_minor,
                tip_minor=allocation.tip_minor,
                # Cash is handed over at the counter as the refund is recorded: settled at
                # once, even when a card part of the same refund still waits for the gateway.
                status=(
                    AllocationStatus.SUCCEEDED
                    if allocation.kind.value == "cash"
                    else AllocationStatus.PENDING
                ).value,
                idempotency_key=key,
            )
            for allocation_id, allocation, key in allocations
        ]
        self.session.add(row)
        self.session.flush()
        OutboxRepository(self.session).record_refund(refund_id)

    def get(self, refund_id: UUID) -> RefundRecord | None:
        row = self.session.get(RefundRow, refund_id, populate_existing=True)
        if row is None:
            return None
        return _refund(row)

    def for_order(self, order_id: UUID) -> list[RefundRecord]:
        rows = self.session.scalars(
            select(RefundRow).where(RefundRow.order_id == order_id).order_by(RefundRow.created_at)
        )
        return [_refund(r) for r in rows]

    def lines(self, refund_id: UUID) -> list[tuple[UUID, int]]:
        rows = self.session.execute(
            select(RefundLineRow.line_id, RefundLineRow.quantity).where(
                RefundLineRow.refund_id == refund_id
            )
        )
        return [(line_id, quantity) for line_id, quantity in rows]

    def line_amounts(self, refund_id: UUID) -> list[tuple[UUID, int, int]]:
        """``(line_id, quantity, amount_minor)`` per refunded line, for the refund receipt."""
        rows = self.session.execute(
            select(RefundLineRow.line_id, RefundLineRow.quantity, RefundLineRow.amount_minor)
            .where(RefundLineRow.refund_id == refund_id)
            .order_by(RefundLineRow.id)
        )
        return [(line_id, quantity, amount) for line_id, quantity, amount in rows]

    def tips_refunded(self, order_id: UUID) -> dict[UUID, int]:
        """Card tips given back so far, by tender: the allocations not failed (a failed one
        gave nothing back, so its tip can be refunded again)."""
        rows = self.session.execute(
            select(RefundAllocationRow.tender_id, func.sum(RefundAllocationRow.tip_minor))
            .join(RefundRow, RefundRow.id == RefundAllocationRow.refund_id)
            .where(
                RefundRow.order_id == order_id,
                RefundAllocationRow.tender_id.is_not(None),
                RefundAllocationRow.status != AllocationStatus.FAILED.value,
            )
            .group_by(RefundAllocationRow.tender_id)
        )
        return {tender_id: int(tips) for tender_id, tips in rows if tender_id is not None}

    def allocations(self, refund_id: UUID) -> list[AllocationRecord]:
        # populate_existing: a Core UPDATE earlier in the transaction (settling an allocation)
        # must not be hidden by the row the session already holds.
        rows = self.session.scalars(
            select(RefundAllocationRow)
            .where(RefundAllocationRow.refund_id == refund_id)
            .execution_options(populate_existing=True)
        )
        return [_allocation(r) for r in rows]

    def allocation(self, allocation_id: UUID) -> AllocationRecord | None:
        row = self.session.get(RefundAllocationRow, allocation_id, populate_existing=True)
        return _allocation(row) if row else None

    def pending_allocations(self) -> list[AllocationRecord]:
        rows = self.session.scalars(
            select(RefundAllocationRow).where(
                RefundAllocationRow.status == AllocationStatus.PENDING.value
            )
        )
        return [_allocation(r) for r in rows]

    def set_allocation_status(
        self, allocation_id: UUID, status: AllocationStatus, gateway_refund_id: str | None = None
    ) -> None:
        """Move an allocation to `status`, as `ALLOCATION_TRANSITIONS` allows."""
        old = self.session.scalar(
            select(RefundAllocationRow.status).where(RefundAllocationRow.id == allocation_id)
        )
        if old is not None:
            check_allocation_transition(AllocationStatus(old), AllocationStatus(status))
        values: dict[str, object] = {"status": status.value}
        if gateway_refund_id is not None:
            values["gateway_refund_id"] = gateway_refund_id
        self.session.execute(
            update(RefundAllocationRow)
            .where(RefundAllocationRow.id == allocation_id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        refund_id = self.session.scalar(
            select(RefundAllocationRow.refund_id).where(RefundAllocationRow.id == allocation_id)
        )
        if refund_id is not None:
            OutboxRepository(self.session).record_refund(refund_id)

    def outside(self, refund_id: UUID) -> OutsideRefundRow | None:
        """A pulled refund made outside the register (never pushed back: it is the server's)."""
        return self.session.get(OutsideRefundRow, refund_id)

    def save_outside(
        self,
        refund_id: UUID,
        *,
        order_id: UUID,
        amount_minor: int,
        status: str,
        counted_minor: int,
        counted_tax_minor: int,
        tender_id: UUID | None,
        now: datetime,
    ) -> None:
        row = self.session.get(OutsideRefundRow, refund_id)
        if row is None:
            row = OutsideRefundRow(id=refund_id, order_id=order_id)
            self.session.add(row)
        row.amount_minor = amount_minor
        row.status = status
        row.counted_minor = counted_minor
        row.counted_tax_minor = counted_tax_minor
        row.tender_id = tender_id
        row.updated_at = now

    def set_status(self, refund_id: UUID, status: str) -> None:
        self.session.execute(
            update(RefundRow)
            .where(RefundRow.id == refund_id)
            .values(status=status)
            .execution_options(synchronize_session=False)
        )
        OutboxRepository(self.session).record_refund(refund_id)
