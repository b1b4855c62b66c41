"""Card payment attempts and their status history."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from pos_app.db.models import PaymentEventRow, PaymentTransactionRow
from pos_app.db.repositories.outbox import OutboxRepository
from pos_app.domain.clock import utcnow
from pos_app.domain.payments import IN_FLIGHT, PaymentRecord, PaymentStatus, check_transition

__all__ = ["IN_FLIGHT", "PaymentRepository"]


def _record(row: PaymentTransactionRow) -> PaymentRecord:
    return PaymentRecord(
        id=row.id,
        order_id=row.order_id,
        gateway=row.gateway,
        idempotency_key=row.idempotency_key,
        status=PaymentStatus(row.status),
        amount_minor=row.amount_minor,
        tip_minor=row.tip_minor,
        currency=row.currency,
        reader_id=row.reader_id,
        gateway_payment_id=row.gateway_payment_id,
        gateway_charge_id=row.gateway_charge_id,
        card_brand=row.card_brand,
        card_last4=row.card_last4,
        decline_code=row.decline_code,
        error_message=row.error_message,
        process_count=row.process_count,
        captured_minor=row.captured_minor,
        refunded_minor=row.refunded_minor,
        created_at=row.created_at,
    )


class PaymentRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(
        self,
        *,
        payment_id: UUID,
        order_id: UUID,
        gateway: str,
        idempotency_key: str,
        amount_minor: int,
        tip_minor: int,
        currency: str,
        reader_id: str | None,
    ) -> None:
        row = PaymentTransactionRow(
            id=payment_id,
            order_id=order_id,
            gateway=gateway,
            idempotency_key=idempotency_key,
            status=PaymentStatus.PENDING.value,
            amount_minor=amount_minor,
            tip_minor=tip_minor,
            currency=currency,
            reader_id=reader_id,
            process_count=0,
        )
        row.events = [
            PaymentEventRow(status=PaymentStatus.PENDING.value, detail="attempt recorded")
        ]
        self.session.add(row)
        self.session.flush()

    def get(self, payment_id: UUID) -> PaymentRecord | None:
        row = self.session.get(PaymentTransactionRow, payment_id)
        return _record(row) if row else None

    def for_order(self, order_id: UUID) -> list[PaymentRecord]:
        rows = self.session.scalars(
            select(PaymentTransactionRow)
            .where(PaymentTransactionRow.order_id == order_id)
            .order_by(PaymentTransactionRow.created_at)
        )
        return [_record(row) for row in rows]

    def by_gateway_id(self, gateway_payment_id: str) -> PaymentRecord | None:
        row = self.session.scalar(
            select(PaymentTransactionRow).where(
                PaymentTransactionRow.gateway_payment_id == gateway_payment_id
            )
        )
        return _record(row) if row else None

    def in_flight(self) -> list[PaymentRecord]:
        rows = self.session.scalars(
            select(PaymentTransactionRow)
            .where(PaymentTransactionRow.status.in_([s.value for s in IN_FLIGHT]))
            .order_by(PaymentTransactionRow.created_at)
        )
        return [_record(row) for row in rows]

    def update(
        self, payment_id: UUID, *, status: PaymentStatus, detail: str = "", **fields: Any
    ) -> None:
        """Move a payment to `status` (recording the change in its history) and set fields.

        The move must be one `ALLOWED_TRANSITIONS` allows (`InvalidTransition` otherwise)."""
        allowed = {
            "gateway_payment_id", "gateway_charge_id", "card_brand", "card_last4",
            "decline_code", "error_message", "process_count", "captured_minor", "refunded_minor",
            "reader_id",
        }  # fmt: skip
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(f"not payment fields: {sorted(unknown)}")
        old = self.session.scalar(
            select(PaymentTransactionRow.status).where(PaymentTransactionRow.id == payment_id)
        )
        if old is not None:
            check_transition(PaymentStatus(old), PaymentStatus(status))
        self.session.execute(
            update(PaymentTransactionRow)
            .where(PaymentTransactionRow.id == payment_id)
            .values(status=PaymentStatus(status).value, updated_at=utcnow(), **fields)
            .execution_options(synchronize_session=False)
        )
        self.session.add(
            PaymentEventRow(
                payment_id=payment_id, status=PaymentStatus(status).value, detail=detail[:300]
            )
        )
        OutboxRepository(self.session).record_payment(payment_id)

    def history(self, payment_id: UUID) -> list[tuple[str, str]]:
        rows = self.session.execute(
            select(PaymentEventRow.status, PaymentEventRow.detail)
            .where(PaymentEventRow.payment_id == payment_id)
            .order_by(PaymentEventRow.at, PaymentEventRow.id)
        )
        return [(status, detail) for status, detail in rows]
