"""Start-up recovery: settle every attempt a crash left in flight, park what it left unpaid."""

from __future__ import annotations

from dataclasses import replace

from pos_app.application.card_payments.attempts import Attempts
from pos_app.application.card_payments.capture import Capture
from pos_app.application.card_payments.flow import CardFlow, plan_tenders
from pos_app.application.card_payments.outcomes import (
    CardPaymentError,
    RecoveryKind,
    RecoveryNote,
)
from pos_app.application.card_payments.refunds import CardRefunds
from pos_app.db.uow import UnitOfWork
from pos_app.domain.orders import OrderStatus
from pos_app.domain.payments import IN_FLIGHT, PaymentRecord, PaymentStatus
from pos_app.domain.tenders import TenderKind
from pos_app.payments.terminal import GatewayPayment, GatewayPaymentStatus, TerminalError
from pos_app.services import checkout


class Recovery:
    """Run at start-up, before any sale: no payment of this process is in flight yet."""

    def __init__(
        self, flow: CardFlow, attempts: Attempts, capture: Capture, refunds: CardRefunds
    ) -> None:
        self.flow = flow
        self.attempts = attempts
        self.capture = capture
        self.refunds = refunds

    def recover_notes(self) -> list[RecoveryNote]:
        """Settle every attempt a crash left in flight, then park every order the crash left
        unpaid with nothing in flight, so each can be recalled or voided; then send the card
        refunds still waiting for the gateway."""
        notes = self._settle_in_flight()
        parked, cash_taken = self.flow.write(
            lambda uow: (checkout.park_unfinished(uow, shop=self.flow.shop), self._cash(uow))
        )
        noted = {note.order_number for note in notes}
        notes.extend(
            RecoveryNote(RecoveryKind.PARKED, n) for n in {*parked, *cash_taken} if n not in noted
        )
        notes = [
            replace(note, cash_minor=cash_taken.get(note.order_number or 0, 0)) for note in notes
        ]
        notes.extend(
            RecoveryNote(RecoveryKind.REFUND, None, problem)
            for problem in self.refunds.retry_pending_refunds()
        )
        return notes

    def _settle_in_flight(self) -> list[RecoveryNote]:
        notes = []
        for payment in self.flow.read(lambda uow: uow.payments.in_flight()):
            try:
                note = self._recover_one(payment)
            except (TerminalError, CardPaymentError) as error:
                gone = isinstance(error, TerminalError) and self._gone(payment, error)
                note = gone or RecoveryNote(
                    RecoveryKind.LEFT_FOR_LATER,
                    self.flow.order_number(payment.order_id),
                    str(error),
                )
            if note:
                notes.append(note)
        return notes

    def _cash(self, uow: UnitOfWork) -> dict[int, int]:
        """Cash the tender plans of this register's unpaid orders say was taken (cash handed
        over before a card attempt the restart ended), by order number. The order is due in
        full again, so that cash goes back to the customer: it is audited and the plan
        cleared. Orders whose card payment is still to settle keep their plan."""
        cash_taken: dict[int, int] = {}
        for summary in uow.orders.unfinished(self.flow.shop.register_id):
            if any(
                p.status in IN_FLIGHT or p.status is PaymentStatus.CAPTURED
                for p in uow.payments.for_order(summary.id)
            ):
                continue
            plan = uow.orders.pending_tenders(summary.id)
            if plan is None:
                continue
            cash = sum(t.amount_minor for t in plan_tenders(plan) if t.kind is TenderKind.CASH)
            uow.orders.set_pending_tenders(summary.id, None)
            if cash:
                uow.audit.record(
                    "order.cash_to_hand_back",
                    order_id=summary.id,
                    details={"number": summary.number, "cash_minor": cash},
                )
                cash_taken[summary.number] = cash
        return cash_taken

    def _gone(self, payment: PaymentRecord, error: TerminalError) -> RecoveryNote | None:
        """A payment the demo's emulator no longer knows (it restarted with the app) never
        charged anyone: it is closed here, or it would wait for an answer that never comes.
        A real gateway's "no such payment" is left for a person to look into."""
        if not (self.flow.ephemeral_gateway and error.code == "resource_missing"):
            return None

        def close(uow: UnitOfWork) -> None:
            uow.payments.update(
                payment.id,
                status=PaymentStatus.CANCELED,
                detail="gone: the demo card reader restarted",
            )
            uow.audit.record(
                "payment.recovered",
                order_id=payment.order_id,
                details={"payment_id": str(payment.id), "action": "gone"},
            )

        self.flow.write(close)
        return RecoveryNote(RecoveryKind.GONE, self.flow.order_number(payment.order_id))

    def _recover_one(self, payment: PaymentRecord) -> RecoveryNote | None:
        number = self.flow.order_number(payment.order_id)
        if payment.gateway_payment_id is None:
            created = self._created(payment, number)
            if isinstance(created, RecoveryNote):
                return created
            payment = created
        assert payment.gateway_payment_id is not None
        current = self.flow.terminal.get_payment(payment.gateway_payment_id)
        if payment.status is PaymentStatus.CAPTURING:
            return self._finish_capture(payment, current, number)
        if current.status is GatewayPaymentStatus.CAPTURED:
            return self._found_captured(payment, current, number)
        # Authorised but never finalised, or still waiting for a card: release it.
        self.attempts.cancel(
            payment.id, reason="released at start-up: the register restarted mid-payment"
        )
        self.flow.audit(
            "payment.recovered",
            payment.order_id,
            {"payment_id": str(payment.id), "action": "released", "was": current.status.value},
        )
        return RecoveryNote(RecoveryKind.RELEASED, number)

    def _created(self, payment: PaymentRecord, number: int | None) -> PaymentRecord | RecoveryNote:
        """The create call may or may not have reached the gateway: the same call (same key)
        returns the payment it made, if any, to be settled like any other; a refusal means it
        never made one, and never will with this key."""
        try:
            created = self.flow.create_payment(payment, number)
        except TerminalError as error:
            if error.outcome_unknown:
                raise
            self.flow.update(
                payment.id,
                PaymentStatus.FAILED,
                f"create refused at start-up: {error.kind.value}",
                error_message=str(error)[:300],
            )
            return RecoveryNote(RecoveryKind.NEVER_STARTED, number, str(error))
        self.flow.update(
            payment.id,
            PaymentStatus.CREATED,
            "recovered at start-up",
            gateway_payment_id=created.gateway_payment_id,
        )
        return self.flow.payment(payment.id)

    def _finish_capture(
        self, payment: PaymentRecord, current: GatewayPayment, number: int | None
    ) -> RecoveryNote:
        """A crash during finalize: capture what is still approved, then record the order."""
        assert payment.gateway_payment_id is not None
        if current.status is GatewayPaymentStatus.AUTHORIZED:
            self.capture.capture(payment)
            current = self.flow.terminal.get_payment(payment.gateway_payment_id)
        if current.status is not GatewayPaymentStatus.CAPTURED:
            self.capture.abandon(payment, f"found {current.status.value} at start-up")
            return RecoveryNote(RecoveryKind.LAPSED, number)
        self.flow.update(
            payment.id,
            PaymentStatus.CAPTURING,
            "captured (recovered)",
            card_brand=current.card_brand or payment.card_brand,
            card_last4=current.card_last4 or payment.card_last4,
            gateway_charge_id=current.charge_id,
        )
        header, order = self.flow.read(
            lambda uow: (uow.orders.header(payment.order_id), uow.orders.get(payment.order_id))
        )
        if order is not None and order.status not in (OrderStatus.OPEN, OrderStatus.PARKED):
            self.flow.update(payment.id, PaymentStatus.CAPTURED, "order already recorded")
            return RecoveryNote(RecoveryKind.ALREADY_RECORDED, number)
        placed = self.capture.record_paid(
            payment.order_id,
            staff_id=header[0] if header else None,
            shift_id=header[1] if header else None,
        )
        self.flow.audit(
            "payment.recovered",
            payment.order_id,
            {"payment_id": str(payment.id), "action": "recorded", "number": placed.number},
        )
        return RecoveryNote(RecoveryKind.RECORDED, placed.number)

    def _found_captured(
        self, payment: PaymentRecord, current: GatewayPayment, number: int | None
    ) -> RecoveryNote:
        """Captured without our capture step: record what the gateway says and flag it."""

        def record(uow: UnitOfWork) -> None:
            uow.payments.update(
                payment.id,
                status=PaymentStatus.CAPTURED,
                detail="found captured at start-up",
                captured_minor=current.amount_received_minor,
            )
            uow.audit.record(
                "payment.recovered",
                order_id=payment.order_id,
                details={"payment_id": str(payment.id), "action": "found_captured"},
            )

        self.flow.write(record)
        return RecoveryNote(RecoveryKind.FOUND_CAPTURED, number)
