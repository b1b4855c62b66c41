"""Shifts, cash movements, and the aggregates behind X and Z reports."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from pos_app.db.models import (
    AuditRow,
    CashMovementRow,
    OrderLineRow,
    OrderRow,
    RefundAllocationRow,
    RefundLineRow,
    RefundRow,
    ShiftRow,
    StaffRow,
    TenderRow,
)
from pos_app.db.repositories.outbox import OutboxRepository
from pos_app.domain.clock import utcnow
from pos_app.domain.ids import uuid7
from pos_app.domain.orders import OrderStatus
from pos_app.domain.refunds import returned_tax_by_rate
from pos_app.domain.reports import ProductTotal, SalesFigures, StaffTotal, TaxTotal, TenderTotal
from pos_app.domain.shifts import (
    CashMovement,
    CashMovementKind,
    CashSummary,
    ShiftRecord,
    ShiftStatus,
)

_SOLD = (OrderStatus.PAID.value, OrderStatus.PARTIALLY_REFUNDED.value, OrderStatus.REFUNDED.value)


def _record(row: ShiftRow) -> ShiftRecord:
    return ShiftRecord(
        id=row.id,
        register_id=row.register_id,
        status=ShiftStatus(row.status),
        currency=row.currency,
        opened_by_id=row.opened_by_id,
        opened_at=row.opened_at,
        opening_float_minor=row.opening_float_minor,
        closed_by_id=row.closed_by_id,
        closed_at=row.closed_at,
        expected_cash_minor=row.expected_cash_minor,
        counted_cash_minor=row.counted_cash_minor,
        over_short_minor=row.over_short_minor,
    )


class ShiftRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def current(self, register_id: UUID) -> ShiftRecord | None:
        row = self.session.scalar(
            select(ShiftRow).where(
                ShiftRow.register_id == register_id, ShiftRow.status == ShiftStatus.OPEN.value
            )
        )
        return _record(row) if row else None

    def get(self, shift_id: UUID) -> ShiftRecord | None:
        row = self.session.get(ShiftRow, shift_id)
        return _record(row) if row else None

    def latest_closed(self, register_id: UUID) -> ShiftRecord | None:
        row = self.session.scalar(
            select(ShiftRow)
            .where(ShiftRow.register_id == register_id, ShiftRow.status == ShiftStatus.CLOSED.value)
            .order_by(ShiftRow.closed_at.desc())
            .limit(1)
        )
        return _record(row) if row else None

    def open(
        self,
        *,
        shift_id: UUID,
        register_id: UUID,
        currency: str,
        staff_id: UUID,
        float_minor: int,
        at: datetime,
    ) -> None:
        self.session.add(
            ShiftRow(
                id=shift_id,
                register_id=register_id,
                status=ShiftStatus.OPEN.value,
                currency=currency,
                opened_by_id=staff_id,
                opened_at=at,
                opening_float_minor=float_minor,
            )
        )
        self.session.flush()
        OutboxRepository(self.session).record_shift(shift_id)

    def close(
        self,
        shift_id: UUID,
        *,
        staff_id: UUID,
        at: datetime,
        expected_minor: int,
        counted_minor: int,
        counts: dict[str, Any],
    ) -> None:
        self.session.execute(
            update(ShiftRow)
            .where(ShiftRow.id == shift_id, ShiftRow.status == ShiftStatus.OPEN.value)
            .values(
                status=ShiftStatus.CLOSED.value,
                closed_by_id=staff_id,
                closed_at=at,
                expected_cash_minor=expected_minor,
                counted_cash_minor=counted_minor,
                over_short_minor=counted_minor - expected_minor,
                cash_count=counts,
            )
            .execution_options(synchronize_session=False)
        )
        OutboxRepository(self.session).record_shift(shift_id)

    def add_cash_movement(
        self,
        *,
        shift_id: UUID,
        kind: CashMovementKind,
        amount_minor: int,
        reason: str,
        staff_id: UUID,
        approved_by_id: UUID | None,
    ) -> UUID:
        row = CashMovementRow(
            id=uuid7(),
            shift_id=shift_id,
            kind=kind.value,
            amount_minor=amount_minor,
            reason=reason,
            staff_id=staff_id,
            approved_by_id=approved_by_id,
            created_at=utcnow(),
        )
        self.session.add(row)
        OutboxRepository(self.session).record_cash_movement(row)
        return row.id

    def cash_movements(self, shift_id: UUID) -> list[CashMovement]:
        """The shift's paid ins, paid outs and no-sales, oldest first, with their corrections
        linked (the link is in the correction's audit entry, which the server also gets)."""
        reverses: dict[str, str] = {}
        for details in self.session.scalars(
            select(AuditRow.details).where(AuditRow.action == "drawer.correction")
        ):
            reverses[str(details.get("movement_id"))] = str(details.get("reverses_id"))
        rows = self.session.scalars(
            select(CashMovementRow)
            .where(CashMovementRow.shift_id == shift_id)
            .order_by(CashMovementRow.created_at, CashMovementRow.id)
        ).all()
        corrected = set(reverses.values())
        return [
            CashMovement(
                id=row.id,
                kind=CashMovementKind(row.kind),
                amount_minor=row.amount_minor,
                reason=row.reason,
                staff_id=row.staff_id,
                approved_by_id=row.approved_by_id,
                created_at=row.created_at,
                reverses_id=UUID(reverses[str(row.id)]) if str(row.id) in reverses else None,
                corrected=str(row.id) in corrected,
            )
            for row in rows
        ]

    def cash_summary(self, shift: ShiftRecord) -> CashSummary:
        cash_sales = self.session.scalar(
            select(func.coalesce(func.sum(TenderRow.amount_minor), 0))
            .join(OrderRow, OrderRow.id == TenderRow.order_id)
            .where(
                OrderRow.shift_id == shift.id,
                OrderRow.status.in_(_SOLD),
                TenderRow.kind == "cash",
            )
        )
        cash_refunds = self.session.scalar(
            select(func.coalesce(func.sum(RefundAllocationRow.amount_minor), 0))
            .join(RefundRow, RefundRow.id == RefundAllocationRow.refund_id)
            .where(
                RefundRow.shift_id == shift.id,
                RefundAllocationRow.kind == "cash",
                RefundAllocationRow.status == "succeeded",
            )
        )
        movements: dict[str, int] = {
            kind: int(total)
            for kind, total in self.session.execute(
                select(CashMovementRow.kind, func.sum(CashMovementRow.amount_minor))
                .where(CashMovementRow.shift_id == shift.id)
                .group_by(CashMovementRow.kind)
            )
        }
        return CashSummary(
            opening_float_minor=shift.opening_float_minor,
            cash_sales_minor=int(cash_sales or 0),
            cash_refunds_minor=int(cash_refunds or 0),
            paid_in_minor=int(movements.get(CashMovementKind.PAID_IN.value, 0)),
            paid_out_minor=int(movements.get(CashMovementKind.PAID_OUT.value, 0)),
            corrections_count=int(
                self.session.scalar(
                    select(func.count())
                    .select_from(CashMovementRow)
                    .where(CashMovementRow.shift_id == shift.id, CashMovementRow.amount_minor < 0)
                )
                or 0
            ),
        )

    def _between_shifts(
        self, shift: ShiftRecord
    ) -> Callable[[InstrumentedAttribute[Any]], ColumnElement[bool]]:
        """Since the register's previous shift closed until `shift` opened, as a condition on
        a timestamp column. Voids and refunds made then (no shift open) belong to this shift's
        report: the previous Z is closed and filed, this one is the first that can show them."""
        previous_close = self.session.scalar(
            select(func.max(ShiftRow.closed_at)).where(
                ShiftRow.register_id == shift.register_id,
                ShiftRow.status == ShiftStatus.CLOSED.value,
                ShiftRow.closed_at <= shift.opened_at,
            )
        )

        def condition(column: InstrumentedAttribute[Any]) -> ColumnElement[bool]:
            before_open = column < shift.opened_at
            return (
                before_open if previous_close is None else (column >= previous_close) & before_open
            )

        return condition

    def shift_figures(self, shift: ShiftRecord) -> SalesFigures:
        """What one shift sold, gave back and voided: the X and Z reports."""
        between = self._between_shifts(shift)
        return self._figures(
            sold=(OrderRow.shift_id == shift.id) & OrderRow.status.in_(_SOLD),
            voided=(OrderRow.status == OrderStatus.VOIDED.value)
            & or_(
                OrderRow.shift_id == shift.id,
                OrderRow.shift_id.is_(None)
                & (OrderRow.register_id == shift.register_id)
                & between(OrderRow.voided_at),
            ),
            refunded=or_(
                RefundRow.shift_id == shift.id,
                RefundRow.shift_id.is_(None) & between(RefundRow.created_at),
            ),
            drawer=CashMovementRow.shift_id == shift.id,
        )

    def day_figures(self, since: datetime, until: datetime) -> SalesFigures:
        """What the register sold, gave back and voided in ``[since, until)`` (business
        moments: an order when paid or voided, a refund when made)."""
        return self._figures(
            sold=(OrderRow.business_at >= since)
            & (OrderRow.business_at < until)
            & OrderRow.status.in_(_SOLD),
            voided=(OrderRow.status == OrderStatus.VOIDED.value)
            & (OrderRow.business_at >= since)
            & (OrderRow.business_at < until),
            refunded=(RefundRow.created_at >= since) & (RefundRow.created_at < until),
            drawer=(CashMovementRow.created_at >= since) & (CashMovementRow.created_at < until),
        )

    def _figures(
        self,
        *,
        sold: ColumnElement[bool],
        voided: ColumnElement[bool],
        refunded: ColumnElement[bool],
        drawer: ColumnElement[bool],
    ) -> SalesFigures:
        totals = self.session.execute(
            select(
                func.count(),
                func.coalesce(func.sum(OrderRow.subtotal_minor), 0),
                func.coalesce(
                    func.sum(OrderRow.line_discount_minor + OrderRow.order_discount_minor), 0
                ),
                func.coalesce(func.sum(OrderRow.tax_minor), 0),
                func.coalesce(func.sum(OrderRow.total_minor), 0),
                func.coalesce(func.sum(OrderRow.tip_minor), 0),
            ).where(sold)
        ).one()
        voids = self.session.execute(
            select(func.count(), func.coalesce(func.sum(OrderRow.total_minor), 0)).where(voided)
        ).one()
        no_sales = self.session.scalar(
            select(func.count()).where(drawer, CashMovementRow.kind == CashMovementKind.NO_SALE)
        )
        # Refunds are the money that went back: settled allocations, so the total always
        # equals its by-tender breakdown and the drawer. A split refund whose card part the
        # gateway refused still counts the cash that was handed over.
        settled = RefundAllocationRow.status == "succeeded"
        refunds_by_tender = tuple(
            TenderTotal(kind, int(count), int(amount), int(tips))
            for kind, count, amount, tips in self.session.execute(
                select(
                    RefundAllocationRow.kind,
                    func.count(),
                    func.sum(RefundAllocationRow.amount_minor),
                    func.sum(RefundAllocationRow.tip_minor),
                )
                .join(RefundRow, RefundRow.id == RefundAllocationRow.refund_id)
                .where(refunded, settled)
                .group_by(RefundAllocationRow.kind)
                .order_by(RefundAllocationRow.kind)
            )
        )
        refunds_count = self.session.scalar(
            select(func.count(func.distinct(RefundAllocationRow.refund_id)))
            .join(RefundRow, RefundRow.id == RefundAllocationRow.refund_id)
            .where(refunded, settled)
        )
        tenders = tuple(
            TenderTotal(kind, int(count), int(amount), int(tips))
            for kind, count, amount, tips in self.session.execute(
                select(
                    TenderRow.kind,
                    func.count(),
                    func.sum(TenderRow.amount_minor),
                    func.sum(TenderRow.tip_minor),
                )
                .join(OrderRow, OrderRow.id == TenderRow.order_id)
                .where(sold)
                .group_by(TenderRow.kind)
                .order_by(TenderRow.kind)
            )
        )
        sales_tax = {
            int(rate): int(tax)
            for rate, tax in self.session.execute(
                select(OrderLineRow.tax_rate_ppm, func.sum(OrderLineRow.tax_minor))
                .join(OrderRow, OrderRow.id == OrderLineRow.order_id)
                .where(sold)
                .group_by(OrderLineRow.tax_rate_ppm)
            )
        }
        refunded_tax = self._refunded_tax_by_rate(refunded)
        taxes = tuple(
            TaxTotal(rate, sales_tax.get(rate, 0), refunded_tax.get(rate, 0))
            for rate in sorted(sales_tax.keys() | refunded_tax.keys())
        )
        net_sales = self.session.scalar(
            select(func.coalesce(func.sum(OrderLineRow.total_minor - OrderLineRow.tax_minor), 0))
            .join(OrderRow, OrderRow.id == OrderLineRow.order_id)
            .where(sold)
        )
        products = self._products(sold, refunded)
        staff = self._staff(sold, refunded)
        count, gross, discounts, tax, total, tips = (int(v) for v in totals)
        return SalesFigures(
            orders_count=count,
            gross_sales_minor=gross,
            discounts_minor=discounts,
            net_sales_minor=int(net_sales or 0),
            tax_minor=tax,
            total_minor=total,
            tips_minor=tips,
            refunds_count=int(refunds_count or 0),
            refunds_minor=sum(t.amount_minor for t in refunds_by_tender),
            refunded_tips_minor=sum(t.tips_minor for t in refunds_by_tender),
            refunded_tax_minor=sum(refunded_tax.values()),
            voids_count=int(voids[0]),
            voids_minor=int(voids[1]),
            no_sales_count=int(no_sales or 0),
            tenders=tenders,
            refunds_by_tender=refunds_by_tender,
            taxes=taxes,
            products=products,
            staff=staff,
        )

    @staticmethod
    def _gone_back(refunded: ColumnElement[bool]) -> ColumnElement[bool]:
        """Refunds in scope of which money went back (the rule of the refund totals)."""
        return refunded & (
            select(RefundAllocationRow.id)
            .where(
                RefundAllocationRow.refund_id == RefundRow.id,
                RefundAllocationRow.status == "succeeded",
            )
            .exists()
        )

    def _products(
        self, sold: ColumnElement[bool], refunded: ColumnElement[bool]
    ) -> tuple[ProductTotal, ...]:
        """By product, net of refunds: units sold less units returned, net before tax less
        the refunded lines' part before tax. A refund by amount names no product, so it is
        in the refund totals only."""
        figures: dict[tuple[str, str], tuple[int, int]] = {}
        for sku, name, quantity, net in self.session.execute(
            select(
                OrderLineRow.sku,
                OrderLineRow.name,
                func.sum(OrderLineRow.quantity),
                func.sum(OrderLineRow.total_minor - OrderLineRow.tax_minor),
            )
            .join(OrderRow, OrderRow.id == OrderLineRow.order_id)
            .where(sold)
            .group_by(OrderLineRow.sku, OrderLineRow.name)
        ):
            figures[(sku, name)] = (int(quantity), int(net))
        for sku, name, quantity, net in self.session.execute(
            select(
                OrderLineRow.sku,
                OrderLineRow.name,
                func.sum(RefundLineRow.quantity),
                func.sum(RefundLineRow.amount_minor - RefundLineRow.tax_minor),
            )
            .join(OrderLineRow, OrderLineRow.id == RefundLineRow.line_id)
            .join(RefundRow, RefundRow.id == RefundLineRow.refund_id)
            .where(self._gone_back(refunded))
            .group_by(OrderLineRow.sku, OrderLineRow.name)
        ):
            had_quantity, had_net = figures.get((sku, name), (0, 0))
            figures[(sku, name)] = (had_quantity - int(quantity), had_net - int(net))
        ordered = sorted(figures.items(), key=lambda item: (-item[1][1], item[0][0]))
        return tuple(ProductTotal(sku, name, q, net) for (sku, name), (q, net) in ordered)

    def _staff(
        self, sold: ColumnElement[bool], refunded: ColumnElement[bool]
    ) -> tuple[StaffTotal, ...]:
        """By staff member, net of refunds. A refund counts against whoever made the sale,
        not whoever keyed the refund: the owner reads this as each person's sales, and a
        sale given back is a sale that did not stick (who refunded, and who approved it, is
        in the audit log and on the refund)."""
        figures: dict[str, tuple[int, int]] = {}
        for name, count, total in self.session.execute(
            select(StaffRow.name, func.count(), func.sum(OrderRow.total_minor))
            .select_from(OrderRow)
            .outerjoin(StaffRow, StaffRow.id == OrderRow.staff_id)
            .where(sold)
            .group_by(StaffRow.name)
        ):
            figures[name or "?"] = (int(count), int(total))
        for name, back in self.session.execute(
            select(StaffRow.name, func.sum(RefundAllocationRow.amount_minor))
            .select_from(RefundAllocationRow)
            .join(RefundRow, RefundRow.id == RefundAllocationRow.refund_id)
            .join(OrderRow, OrderRow.id == RefundRow.order_id)
            .outerjoin(StaffRow, StaffRow.id == OrderRow.staff_id)
            .where(refunded, RefundAllocationRow.status == "succeeded")
            .group_by(StaffRow.name)
        ):
            count, total = figures.get(name or "?", (0, 0))
            figures[name or "?"] = (count, total - int(back))
        ordered = sorted(figures.items(), key=lambda item: (-item[1][1], item[0]))
        return tuple(StaffTotal(name, count, total) for name, (count, total) in ordered)

    def _refunded_tax_by_rate(self, refunded: ColumnElement[bool]) -> dict[int, int]:
        """The tax the refunds in scope gave back, by rate (see `returned_tax_by_rate`)."""
        returned = (
            select(func.coalesce(func.sum(RefundAllocationRow.amount_minor), 0))
            .where(
                RefundAllocationRow.refund_id == RefundRow.id,
                RefundAllocationRow.status == "succeeded",
            )
            .scalar_subquery()
        )
        refunds = self.session.execute(
            select(
                RefundRow.id,
                RefundRow.order_id,
                RefundRow.amount_minor,
                RefundRow.tax_minor,
                returned,
            ).where(refunded)
        ).all()
        if not refunds:
            return {}
        refund_ids = [row[0] for row in refunds]
        by_refund: dict[UUID, dict[int, int]] = {}
        for refund_id, rate, tax in self.session.execute(
            select(
                RefundLineRow.refund_id,
                OrderLineRow.tax_rate_ppm,
                func.sum(RefundLineRow.tax_minor),
            )
            .join(OrderLineRow, OrderLineRow.id == RefundLineRow.line_id)
            .where(RefundLineRow.refund_id.in_(refund_ids))
            .group_by(RefundLineRow.refund_id, OrderLineRow.tax_rate_ppm)
        ):
            by_refund.setdefault(refund_id, {})[int(rate)] = int(tax)
        by_order: dict[UUID, dict[int, int]] = {}
        for order_id, rate, tax in self.session.execute(
            select(
                OrderLineRow.order_id, OrderLineRow.tax_rate_ppm, func.sum(OrderLineRow.tax_minor)
            )
            .where(OrderLineRow.order_id.in_({row[1] for row in refunds}))
            .group_by(OrderLineRow.order_id, OrderLineRow.tax_rate_ppm)
        ):
            by_order.setdefault(order_id, {})[int(rate)] = int(tax)
        total: dict[int, int] = {}
        for refund_id, order_id, amount, tax, went_back in refunds:
            # A refund by line is made of its lines' tax; one by amount, of the order's.
            made_of = by_refund.get(refund_id) or by_order.get(order_id, {})
            for rate, part in returned_tax_by_rate(
                tax_minor=int(tax),
                returned_minor=int(went_back),
                amount_minor=int(amount),
                rate_tax=made_of,
            ).items():
                total[rate] = total.get(rate, 0) + part
        return total

    def sales_by_hour(self, since: datetime, until: datetime) -> list[tuple[str, int]]:
        """(hour as ``YYYY-MM-DDTHH`` in UTC, total) of orders paid in ``[since, until)``."""
        hour = func.substr(OrderRow.business_at, 1, 13)
        rows = self.session.execute(
            select(hour, func.sum(OrderRow.total_minor))
            .where(
                OrderRow.business_at >= since,
                OrderRow.business_at < until,
                OrderRow.status.in_(_SOLD),
            )
            .group_by(hour)
            .order_by(hour)
        )
        return [(str(h), int(t)) for h, t in rows]
