"""Finalize a sale paid by card: capture the approved payments and record the order paid."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from pos_app.application.card_payments.attempts import Attempts
from pos_app.application.card_payments.flow import (
    CardFlow,
    check_stock,
    key,
    plan_tenders,
    tender_plan,
)
from pos_app.application.card_payments.outcomes import CardApprovalsReleased, CardPaymentError
from pos_app.db.uow import UnitOfWork
from pos_app.domain.errors import NotEnoughStock, ValidationError
from pos_app.domain.orders import Order, OrderStatus
from pos_app.domain.payments import APPROVED, PaymentRecord, PaymentStatus
from pos_app.domain.staff import StaffMember
from pos_app.domain.tenders import TenderKind, TenderRequest, settle
from pos_app.payments.terminal import GatewayPayment, GatewayPaymentStatus, TerminalError
from pos_app.services import checkout
from pos_app.services.checkout import PlacedOrder


class Capture:
    """Capture last, and record in the same breath (see the package's protocol)."""

    def __init__(self, flow: CardFlow, attempts: Attempts) -> None:
        self.flow = flow
        self.attempts = attempts

    def finalize(
        self,
        *,
        order: Order,
        tenders: Sequence[TenderRequest],
        staff: StaffMember,
        shift_id: UUID | None,
    ) -> PlacedOrder:
        """Capture the order's authorised card payments and place the order with its tenders."""
        settle(order.totals().total_minor, tenders)  # validates the plan before anything is sent
        if any(t.payment_id is None for t in tenders if t.kind is TenderKind.CARD):
            raise ValidationError("a card tender must come from a card payment")
        payments = self.flow.write(lambda uow: _approved_payments(uow, order, tenders))
        try:
            self.flow.write(lambda uow: self._mark_capturing(uow, order, tenders, staff, shift_id))
        except NotEnoughStock as error:
            # Sold out meanwhile (another till): nothing is charged. The holds are released
            # and the order stays payable once the cashier changes it.
            released = [p.id for p in payments if p.status is PaymentStatus.AUTHORIZED]
            for payment_id in released:
                self.attempts.cancel(payment_id, reason=f"not enough stock: {error}")
            raise CardApprovalsReleased(
                f"{error} The card approval was released: the customer is not charged.",
                released=released,
            ) from error
        captured = {payment.id: self.capture(payment) for payment in payments}
        return self.record_paid(order.id, staff_id=staff.id, shift_id=shift_id, captured=captured)

    def _mark_capturing(
        self,
        uow: UnitOfWork,
        order: Order,
        tenders: Sequence[TenderRequest],
        staff: StaffMember,
        shift_id: UUID | None,
    ) -> None:
        """Stock checked, order and complete plan saved, approvals marked *capturing*."""
        check_stock(uow, order)
        checkout.save_open_order(
            uow, order=order, shop=self.flow.shop, staff=staff, shift_id=shift_id
        )
        uow.orders.set_pending_tenders(order.id, tender_plan(tenders))
        for payment in uow.payments.for_order(order.id):
            if payment.status is PaymentStatus.AUTHORIZED and any(
                t.payment_id == payment.id for t in tenders
            ):
                uow.payments.update(
                    payment.id, status=PaymentStatus.CAPTURING, detail="finalizing order"
                )

    def capture(self, payment: PaymentRecord) -> GatewayPayment:
        """Capture one approved payment; nothing is written (the caller records the capture
        with the order, and a crash in between is finished by recovery)."""
        assert payment.gateway_payment_id is not None
        gateway_id = payment.gateway_payment_id
        terminal = self.flow.terminal
        try:
            captured = self.flow.resolve(
                lambda: terminal.capture(gateway_id, idempotency_key=key(payment, "capture")),
                lambda: terminal.get_payment(gateway_id),
                lambda p: p.status is GatewayPaymentStatus.CAPTURED,
            )
        except TerminalError as error:
            if error.outcome_unknown:
                raise CardPaymentError(
                    "Stripe did not confirm the charge. The order will be completed as soon as "
                    "Stripe answers; do not charge the card again.",
                    kind=error.kind,
                ) from error
            current = self.flow.reread(gateway_id)
            if current is not None and current.status is GatewayPaymentStatus.CAPTURED:
                return current
            self.abandon(payment, str(error))
            raise CardPaymentError(
                f"The card could not be charged: {error}. Ask for another card or cash.",
                kind=error.kind,
            ) from error
        if captured.status is not GatewayPaymentStatus.CAPTURED:
            self.abandon(payment, f"payment is {captured.status.value}")
            raise CardPaymentError(
                "The card approval has expired or was cancelled. Ask for the card again, or cash."
            )
        return captured

    def abandon(self, payment: PaymentRecord, detail: str) -> None:
        """The capture failed: the payment is over, the plan keeps only its cash."""

        def abandon(uow: UnitOfWork) -> None:
            uow.payments.update(
                payment.id, status=PaymentStatus.CANCELED, detail=f"capture failed: {detail}"
            )
            # The cash of the plan stays: the drawer holds it until the order is paid or the
            # cashier is told to hand it back (recovery's `cash_to_hand_back`).
            plan = uow.orders.pending_tenders(payment.order_id)
            cash = [t for t in plan_tenders(plan) if t.kind is TenderKind.CASH] if plan else []
            uow.orders.set_pending_tenders(payment.order_id, tender_plan(cash) if cash else None)
            uow.audit.record(
                "payment.capture_failed",
                order_id=payment.order_id,
                details={"payment_id": str(payment.id), "detail": detail},
            )

        self.flow.write(abandon)

    def record_paid(
        self,
        order_id: UUID,
        *,
        staff_id: UUID | None,
        shift_id: UUID | None,
        captured: dict[UUID, GatewayPayment] | None = None,
    ) -> PlacedOrder:
        """One transaction: payments captured, order paid with its tenders, plan cleared.

        `captured` holds what the gateway answered to the captures, to keep on the payments."""
        return self.flow.write(
            lambda uow: self._record_paid(uow, order_id, staff_id, shift_id, captured or {})
        )

    def _record_paid(
        self,
        uow: UnitOfWork,
        order_id: UUID,
        staff_id: UUID | None,
        shift_id: UUID | None,
        captured: dict[UUID, GatewayPayment],
    ) -> PlacedOrder:
        plan = uow.orders.pending_tenders(order_id)
        order = uow.orders.get(order_id)
        if plan is None or order is None:
            raise ValidationError("there is no pending payment to record for that order")
        staff = uow.staff.get(staff_id) if staff_id else None
        if staff is None:
            header = uow.orders.header(order_id)
            staff = uow.staff.get(header[0]) if header and header[0] else None
        if staff is None:
            raise ValidationError("the order has no staff member to record it under")
        requests = [_captured_tender(uow, request, captured) for request in plan_tenders(plan)]
        if order.status is OrderStatus.PARKED:
            order.resume()
        placed = checkout.place_order(
            uow,
            order=order,
            tenders=requests,
            shop=self.flow.shop,
            staff=staff,
            shift_id=shift_id,
            allow_oversell=True,
        )
        uow.orders.set_pending_tenders(order_id, None)
        return placed


def _approved_payments(
    uow: UnitOfWork, order: Order, tenders: Sequence[TenderRequest]
) -> list[PaymentRecord]:
    """The card tenders' payments: this order's, approved, for the amounts tendered."""
    payments: list[PaymentRecord] = []
    for tender in tenders:
        if tender.kind is not TenderKind.CARD:
            continue
        assert tender.payment_id is not None
        payment = uow.payments.get(tender.payment_id)
        if payment is None or payment.order_id != order.id:
            raise ValidationError("that card payment belongs to another order")
        if payment.status not in APPROVED:
            raise ValidationError(f"the card payment is {payment.status}, not approved")
        if (payment.amount_minor, payment.tip_minor) != (tender.amount_minor, tender.tip_minor):
            raise ValidationError("the card tender does not match what the card approved")
        payments.append(payment)
    return payments


def _captured_tender(
    uow: UnitOfWork, request: TenderRequest, captured: dict[UUID, GatewayPayment]
) -> TenderRequest:
    """A planned tender as recorded: a card's payment marked captured, with its card."""
    if request.kind is not TenderKind.CARD or request.payment_id is None:
        return request
    payment = uow.payments.get(request.payment_id)
    assert payment is not None
    answer = captured.get(payment.id)
    brand = (answer.card_brand if answer else None) or payment.card_brand
    last4 = (answer.card_last4 if answer else None) or payment.card_last4
    uow.payments.update(
        payment.id,
        status=PaymentStatus.CAPTURED,
        detail="captured; order recorded",
        captured_minor=(answer.amount_received_minor if answer else 0) or payment.charge_minor,
        card_brand=brand,
        card_last4=last4,
        gateway_charge_id=(answer.charge_id if answer else None) or payment.gateway_charge_id,
    )
    return TenderRequest(
        kind=TenderKind.CARD,
        amount_minor=request.amount_minor,
        tip_minor=request.tip_minor,
        payment_id=payment.id,
        card_brand=brand,
        card_last4=last4,
    )
