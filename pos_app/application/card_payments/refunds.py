"""Voids (every hold released first) and card refunds sent to the gateway."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from pos_app.application.card_payments.attempts import Attempts
from pos_app.application.card_payments.flow import CardFlow
from pos_app.application.card_payments.outcomes import CardPaymentError
from pos_app.db.uow import UnitOfWork
from pos_app.domain.orders import Order
from pos_app.domain.payments import SETTLED, PaymentRecord, PaymentStatus
from pos_app.domain.refunds import AllocationRecord, AllocationStatus
from pos_app.domain.staff import Authorization, Permission
from pos_app.payments.terminal import GatewayRefund, TerminalError
from pos_app.services import checkout, refunds

REFUSED_REFUND_HINT = (
    "Nothing went back to the card. Check the payment in Stripe (it may have been refunded "
    "there already); what is still owed can be refunded again as an amount, from the drawer."
)
REFUND_REFUSALS = {
    # Stripe refuses these because the money already went back another way: paying it again
    # at the counter would refund the customer twice.
    "charge_already_refunded": (
        "Stripe says this card payment was already refunded (in Stripe's dashboard?): the "
        "customer has that money back. Do not pay it again."
    ),
    "charge_disputed": (
        "This card payment is disputed: the customer's bank is returning the money. Do not pay "
        "it again."
    ),
}


@dataclass(frozen=True, slots=True)
class _Target:
    """A pending card allocation and the payment it goes back to (None: no gateway record)."""

    allocation: AllocationRecord
    order_id: UUID
    payment: PaymentRecord | None


class CardRefunds:
    """Voids and card refunds for one register."""

    def __init__(self, flow: CardFlow, attempts: Attempts) -> None:
        self.flow = flow
        self.attempts = attempts

    def void_order(
        self, *, order: Order, reason: str, authorization: Authorization, shift_id: UUID | None
    ) -> int:
        """Release every hold on the order's card payments, then void it."""
        if authorization.permission is not Permission.VOID:
            raise CardPaymentError("voiding needs the void permission")
        open_payments = self.flow.read(
            lambda uow: [p for p in uow.payments.for_order(order.id) if p.status not in SETTLED]
        )
        for payment in open_payments:
            self.attempts.cancel(payment.id, reason=f"order voided: {reason}")
        return self.flow.write(
            lambda uow: checkout.void_order(
                uow,
                order=order,
                reason=reason,
                authorization=authorization,
                shop=self.flow.shop,
                shift_id=shift_id,
            )
        )

    def send_refunds(self, refund_id: UUID) -> list[str]:
        """Send a refund's card allocations to the gateway; returns problems for the cashier."""
        allocations = self.flow.read(
            lambda uow: [
                a
                for a in uow.refunds.allocations(refund_id)
                if a.kind == "card" and a.status is AllocationStatus.PENDING
            ]
        )
        problems = [problem for a in allocations if (problem := self.send_refund(a.id))]
        if problems:
            sent = {allocation.id for allocation in allocations}
            refused = self.flow.read(
                lambda uow: any(
                    a.status is AllocationStatus.FAILED
                    for a in uow.refunds.allocations(refund_id)
                    if a.id in sent
                )
            )
            if refused and not set(problems) & set(REFUND_REFUSALS.values()):
                problems.append(REFUSED_REFUND_HINT)
        return problems

    def retry_pending_refunds(self) -> list[str]:
        pending = self.flow.read(
            lambda uow: [a.id for a in uow.refunds.pending_allocations() if a.kind == "card"]
        )
        return [problem for a in pending if (problem := self.send_refund(a))]

    def send_refund(self, allocation_id: UUID) -> str | None:
        """Send one pending card allocation; returns a problem for the cashier, or None."""
        target = self.flow.read(lambda uow: _target(uow, allocation_id))
        if target is None:
            return None
        allocation, payment = target.allocation, target.payment
        if payment is None or payment.gateway_payment_id is None:
            self._settle(allocation_id, None, None)
            return "That card payment has no gateway record; refund in cash instead."
        assert allocation.idempotency_key is not None
        try:
            result = self.flow.terminal.refund(
                payment.gateway_payment_id,
                # The sale part and the card tip given back with it, in one card refund.
                amount_minor=allocation.amount_minor + allocation.tip_minor,
                metadata={
                    "refund_id": str(allocation.refund_id),
                    "allocation_id": str(allocation.id),
                    "order_id": str(target.order_id),
                },
                idempotency_key=allocation.idempotency_key,
            )
        except TerminalError as error:
            if error.outcome_unknown:
                return (
                    "Stripe did not confirm the refund yet. It is kept and will be sent "
                    "again automatically; do not refund it twice."
                )
            self._settle(allocation_id, None, None)
            return REFUND_REFUSALS.get(error.code or "") or f"The card refund was refused: {error}"
        succeeded = result.status in ("succeeded", "pending")
        self._settle(allocation_id, payment if succeeded else None, result)
        return None if succeeded else f"The card refund failed ({result.status})."

    def _settle(
        self,
        allocation_id: UUID,
        refunded: PaymentRecord | None,
        result: GatewayRefund | None,
    ) -> None:
        """Record the gateway's answer: succeeded when `refunded` (the payment the money went
        back from, its refunded amount raised), otherwise failed."""

        def settle(uow: UnitOfWork) -> None:
            refunds.settle_card_allocation(
                uow,
                allocation_id=allocation_id,
                succeeded=refunded is not None,
                gateway_refund_id=result.gateway_refund_id if result else None,
            )
            if refunded is not None and result is not None:
                uow.payments.update(
                    refunded.id,
                    status=PaymentStatus.CAPTURED,
                    detail=f"refunded {result.amount_minor}",
                    refunded_minor=refunded.refunded_minor + result.amount_minor,
                )

        self.flow.write(settle)


def _target(uow: UnitOfWork, allocation_id: UUID) -> _Target | None:
    allocation = uow.refunds.allocation(allocation_id)
    if (
        allocation is None
        or allocation.status is not AllocationStatus.PENDING
        or allocation.tender_id is None
    ):
        return None
    refund = uow.refunds.get(allocation.refund_id)
    assert refund is not None
    order = uow.orders.get(refund.order_id)
    assert order is not None
    tender = {t.id: t for t in order.tenders}.get(allocation.tender_id)
    payment = uow.payments.get(tender.payment_id) if tender and tender.payment_id else None
    return _Target(allocation, refund.order_id, payment)
