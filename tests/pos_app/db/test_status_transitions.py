"""The repositories refuse a status move the domain's tables do not allow, and the refused
transaction changes nothing; an allowed move is stored with its plain string value."""

from __future__ import annotations

from uuid import UUID

import pytest
from sqlalchemy import text

from pos_app.db.database import Database
from pos_app.domain.errors import InvalidTransition
from pos_app.domain.payments import PaymentStatus
from pos_app.domain.refunds import AllocationStatus
from pos_app.domain.shop import Shop
from pos_app.domain.staff import Permission, StaffMember, authorize
from pos_app.domain.tenders import TenderKind
from pos_app.services import checkout, refunds
from tests.support.register import open_shift, ring_up, sell


def _attempt(db: Database, shop: Shop, member: StaffMember) -> UUID:
    order = ring_up(db, shop, [("DRK-COL", 1)])
    payment_id = UUID(int=7)
    with db.write() as uow:
        checkout.save_open_order(uow, order=order, shop=shop, staff=member, shift_id=None)
        uow.payments.add(
            payment_id=payment_id,
            order_id=order.id,
            gateway="stripe",
            idempotency_key="pos-pay-7",
            amount_minor=order.totals().total_minor,
            tip_minor=0,
            currency=shop.currency,
            reader_id=None,
        )
    return payment_id


def _stored(db: Database, table: str, row_id: UUID) -> str:
    with db.read() as uow:
        value = uow.session.execute(
            text(f"SELECT status FROM {table} WHERE id = :id"), {"id": row_id.hex}
        ).scalar_one_or_none()
        if value is None:  # UUIDs stored as strings with dashes, depending on the column type
            value = uow.session.execute(
                text(f"SELECT status FROM {table} WHERE id = :id"), {"id": str(row_id)}
            ).scalar_one()
    assert type(value) is str
    return value


def test_payment_moves_are_checked_where_the_status_is_written(
    db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> None:
    payment_id = _attempt(db, shop, staff["Alex"])
    with db.write() as uow:
        uow.payments.update(payment_id, status=PaymentStatus.CREATED, detail="made")
        uow.payments.update(payment_id, status=PaymentStatus.AUTHORIZED, detail="approved")

    def capture_then_go_back() -> None:
        with db.write() as uow:
            uow.payments.update(payment_id, status=PaymentStatus.CAPTURING, detail="finalizing")
            uow.payments.update(payment_id, status=PaymentStatus.PENDING, detail="never")

    with pytest.raises(InvalidTransition, match="from capturing to pending"):
        capture_then_go_back()
    with db.read() as uow:
        payment = uow.payments.get(payment_id)
        history = uow.payments.history(payment_id)
    assert payment is not None
    assert payment.status is PaymentStatus.AUTHORIZED  # the refused transaction rolled back
    assert [status for status, _detail in history] == ["pending", "created", "authorized"]
    assert _stored(db, "payment_transactions", payment_id) == "authorized"
    with db.write() as uow:
        uow.payments.update(payment_id, status=PaymentStatus.CANCELING, detail="void")
        uow.payments.update(payment_id, status=PaymentStatus.CANCELED, detail="released")
    with pytest.raises(InvalidTransition), db.write() as uow:
        uow.payments.update(payment_id, status=PaymentStatus.CAPTURED, detail="too late")


def test_allocation_moves_are_checked_where_the_status_is_written(
    db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> None:
    shift_id = open_shift(db, shop, staff["Sam"])
    placed = sell(db, shop, staff["Alex"], [("DRK-COL", 1)], kind=TenderKind.CASH)
    approval = authorize(staff["Alex"], Permission.REFUND, staff["Morgan"])
    with db.write() as uow:
        recorded = refunds.record_refund(
            uow,
            order_id=placed.order_id,
            authorization=approval,
            reason="spilled",
            amount_minor=100,
            shift_id=shift_id,
        )
    with db.read() as uow:
        [allocation] = uow.refunds.allocations(recorded.refund_id)
    assert allocation.status is AllocationStatus.SUCCEEDED  # cash goes back at once
    with pytest.raises(InvalidTransition, match="from succeeded to pending"), db.write() as uow:
        uow.refunds.set_allocation_status(allocation.id, AllocationStatus.PENDING)
    with db.write() as uow:
        uow.refunds.set_allocation_status(allocation.id, AllocationStatus.FAILED)
    with pytest.raises(InvalidTransition, match="from failed to succeeded"), db.write() as uow:
        uow.refunds.set_allocation_status(allocation.id, AllocationStatus.SUCCEEDED)
    with db.read() as uow:
        [after] = uow.refunds.allocations(recorded.refund_id)
    assert after.status is AllocationStatus.FAILED
    assert _stored(db, "refund_allocations", allocation.id) == "failed"
