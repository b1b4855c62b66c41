"""Start a card attempt, watch the reader until it ends, cancel it."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Sequence
from uuid import UUID

from pos_app.application.card_payments.flow import (
    GATEWAY,
    UNKNOWN_OUTCOME_RETRIES,
    CardFlow,
    check_stock,
    key,
    tender_plan,
)
from pos_app.application.card_payments.outcomes import (
    CardOutcome,
    CardOutcomeKind,
    CardPaymentError,
    Progress,
)
from pos_app.db.uow import UnitOfWork
from pos_app.domain.errors import ValidationError
from pos_app.domain.ids import uuid7
from pos_app.domain.orders import Order, OrderStatus
from pos_app.domain.payments import APPROVED, PaymentRecord, PaymentStatus
from pos_app.domain.staff import StaffMember
from pos_app.domain.tenders import TenderRequest, check_tip
from pos_app.payments import messages
from pos_app.payments.terminal import (
    GatewayPayment,
    GatewayPaymentStatus,
    ReaderActionStatus,
    ReaderState,
    TerminalError,
    TerminalErrorKind,
)
from pos_app.services import checkout

CANCELLED = "The card payment was cancelled."
_SENDABLE = (PaymentStatus.CREATED, PaymentStatus.DECLINED, PaymentStatus.PROCESSING)


class Attempts:
    """Start, watch and cancel card attempts on the register's reader."""

    def __init__(self, flow: CardFlow) -> None:
        self.flow = flow

    # --- start --------------------------------------------------------------------------------

    def start(
        self,
        *,
        order: Order,
        amount_minor: int,
        tip_minor: int = 0,
        staff: StaffMember,
        shift_id: UUID | None,
        taken: Sequence[TenderRequest] = (),
    ) -> UUID:
        """Save the order and the attempt, create the payment, and send it to the reader.

        `taken`: the tenders already taken for the order (cash handed over, other cards),
        saved with it as its tender plan, so that a crash cannot lose the cash in the drawer.
        Returns the attempt's id; then `watch` it.
        """
        if order.status is not OrderStatus.OPEN:
            raise ValidationError(f"the order is {order.status.value}")
        if amount_minor <= 0 or tip_minor < 0:
            raise ValidationError("the card amount must be more than zero")
        check_tip(amount_minor, tip_minor)
        payment_id = uuid7()
        self.flow.write(
            lambda uow: self._record(
                uow, payment_id, order, amount_minor, tip_minor, staff, shift_id, taken
            )
        )
        payment = self.flow.payment(payment_id)
        created = self._create(payment, order.number)
        # One write records both the gateway's payment and the reader try about to be made:
        # the try number must be saved before the call, and a till has no time to spare.
        self.flow.update(
            payment_id,
            PaymentStatus.CREATED,
            f"gateway payment {created.gateway_payment_id}; sending to reader (try 1)",
            gateway_payment_id=created.gateway_payment_id,
            process_count=1,
        )
        self._process(self.flow.payment(payment_id), attempt=1)
        return payment_id

    def _record(
        self,
        uow: UnitOfWork,
        payment_id: UUID,
        order: Order,
        amount_minor: int,
        tip_minor: int,
        staff: StaffMember,
        shift_id: UUID | None,
        taken: Sequence[TenderRequest],
    ) -> None:
        """Record first: the order, its tender plan and the attempt, before any gateway call."""
        held = sum(p.amount_minor for p in uow.payments.for_order(order.id) if p.status in APPROVED)
        if amount_minor > order.totals().total_minor - held:
            raise ValidationError("a card cannot be charged more than what is still due")
        # Before the card is charged, not after: a sale the stock rule refuses must never
        # leave a customer's money on hold.
        check_stock(uow, order)
        shop = self.flow.shop
        checkout.save_open_order(uow, order=order, shop=shop, staff=staff, shift_id=shift_id)
        uow.orders.set_pending_tenders(order.id, tender_plan(taken))
        uow.payments.add(
            payment_id=payment_id,
            order_id=order.id,
            gateway=GATEWAY,
            idempotency_key=f"pos-pay-{payment_id}",
            amount_minor=amount_minor,
            tip_minor=tip_minor,
            currency=shop.currency,
            reader_id=self.flow.reader_id,
        )

    def _create(self, payment: PaymentRecord, order_number: int | None) -> GatewayPayment:
        def create() -> GatewayPayment:
            return self.flow.create_payment(payment, order_number)

        try:
            # Re-sending the same creation with the same key is the read-back here.
            return self.flow.resolve(create, create, lambda _: True)
        except TerminalError as error:
            # Refused outright (an amount under Stripe's minimum, a revoked key): nothing was
            # created and the attempt is over. Only an unknown outcome stays pending, for
            # recovery to find (or release) what the gateway may have made.
            self.flow.update(
                payment.id,
                PaymentStatus.PENDING if error.outcome_unknown else PaymentStatus.FAILED,
                f"create failed: {error.kind.value}",
                error_message=str(error)[:300],
            )
            raise CardPaymentError(str(error), kind=error.kind) from error

    def send_to_reader(self, payment_id: UUID) -> None:
        """Ask the reader to collect a card for this payment (again, after a decline)."""
        payment = self.flow.payment(payment_id)
        if payment.status not in _SENDABLE:
            raise ValidationError(f"this card payment is {payment.status}")
        assert payment.gateway_payment_id is not None
        attempt = payment.process_count + 1
        # The try number is saved before the call: each try has a key of its own, and a crash
        # here can never make a later try reuse this one's key.
        self.flow.update(
            payment_id, payment.status, f"sending to reader (try {attempt})", process_count=attempt
        )
        self._process(payment, attempt=attempt)

    def _process(self, payment: PaymentRecord, *, attempt: int) -> None:
        """Send the payment to the reader with the key of this try (already recorded)."""
        assert payment.gateway_payment_id is not None
        flow = self.flow
        for retry in range(UNKNOWN_OUTCOME_RETRIES):
            try:
                flow.terminal.process_on_reader(
                    reader_id=flow.reader_id,
                    gateway_payment_id=payment.gateway_payment_id,
                    idempotency_key=key(payment, f"process:{attempt}"),
                )
                break
            except TerminalError as error:
                if not error.outcome_unknown:
                    flow.update(
                        payment.id,
                        PaymentStatus.DECLINED
                        if payment.status is PaymentStatus.DECLINED
                        else PaymentStatus.CREATED,
                        f"reader refused: {error.code or error.kind.value}",
                        error_message=str(error)[:300],
                    )
                    raise CardPaymentError(str(error), kind=error.kind) from error
                flow.sleep(flow.poll.retry_delay_s * (retry + 1))
                if self._on_the_reader(payment):
                    break
        else:
            raise CardPaymentError(messages.NETWORK_MESSAGE, kind=TerminalErrorKind.NETWORK)
        # No write here: "created" and "processing" mean the same to recovery (release the
        # payment), and the watch records the outcome.

    def _on_the_reader(self, payment: PaymentRecord) -> bool:
        """Whether the reader shows this payment in progress (False when it cannot be asked)."""
        try:
            reader = self.flow.terminal.reader_state(self.flow.reader_id)
        except TerminalError:
            return False
        return reader.action_payment_id == payment.gateway_payment_id and (
            reader.action_status is ReaderActionStatus.IN_PROGRESS
        )

    # --- watch --------------------------------------------------------------------------------

    def watch(
        self,
        payment_id: UUID,
        *,
        on_progress: Progress | None = None,
        cancel_requested: threading.Event | None = None,
    ) -> CardOutcome:
        """Poll the reader and the payment (with backoff) until approved, declined, cancelled
        or timed out. Network hiccups while watching are retried until the reader timeout."""
        flow = self.flow
        payment = flow.payment(payment_id)
        assert payment.gateway_payment_id is not None
        progress = on_progress or (lambda _message: None)
        started = flow.monotonic()
        delay = flow.poll.first_delay_s
        progress("Waiting for the customer's card: tap, insert or swipe.")
        while True:
            if cancel_requested is not None and cancel_requested.is_set():
                return self.cancel(payment_id)
            try:
                reader = flow.terminal.reader_state(flow.reader_id)
                ours = reader.action_payment_id == payment.gateway_payment_id
                if ours and reader.action_status is ReaderActionStatus.IN_PROGRESS:
                    if flow.monotonic() - started > flow.poll.reader_timeout_s:
                        return self._time_out(payment)
                    flow.sleep(delay)
                    delay = min(delay * flow.poll.factor, flow.poll.max_delay_s)
                    continue
                current = flow.terminal.get_payment(payment.gateway_payment_id)
            except TerminalError as error:
                if (
                    not error.outcome_unknown
                    or flow.monotonic() - started > flow.poll.reader_timeout_s
                ):
                    raise CardPaymentError(str(error), kind=error.kind) from error
                progress("Connection to Stripe lost: still trying…")
                flow.sleep(delay)
                delay = min(delay * flow.poll.factor, flow.poll.max_delay_s)
                continue
            outcome = self._settle_watch(payment, current, reader if ours else None)
            if outcome is not None:
                progress(outcome.message)
                return outcome
            flow.sleep(delay)
            delay = min(delay * flow.poll.factor, flow.poll.max_delay_s)

    def _settle_watch(
        self, payment: PaymentRecord, current: GatewayPayment, reader: ReaderState | None
    ) -> CardOutcome | None:
        """The outcome the reader and the payment show now (recorded), or None: keep waiting."""
        if current.status in (GatewayPaymentStatus.AUTHORIZED, GatewayPaymentStatus.CAPTURED):
            return self._approved(payment, current)
        if current.status is GatewayPaymentStatus.CANCELED:
            self.flow.update(
                payment.id, PaymentStatus.CANCELED, f"canceled ({current.cancellation_reason})"
            )
            return CardOutcome(payment.id, CardOutcomeKind.CANCELED, CANCELLED)
        if reader is not None and reader.action_status is ReaderActionStatus.FAILED:
            code = current.decline_code or reader.failure_code
            if code in ("customer_canceled", "canceled") or "cancel" in (code or ""):
                message = messages.terminal_message("customer_canceled")
            elif current.decline_code:
                message = messages.decline_message(current.decline_code)
            else:
                message = messages.terminal_message(code, reader.failure_message)
            return self._declined(payment, f"reader: {code}", code, message)
        if reader is None and current.status is GatewayPaymentStatus.AWAITING_CARD:
            # The reader moved on (reset, or another action) without finishing ours.
            message = (
                messages.decline_message(current.decline_code)
                if current.decline_code
                else "The reader stopped this payment. Try the card again."
            )
            return self._declined(payment, "reader action gone", current.decline_code, message)
        return None

    def _approved(self, payment: PaymentRecord, current: GatewayPayment) -> CardOutcome:
        self.flow.update(
            payment.id,
            PaymentStatus.AUTHORIZED,
            "approved on the reader",
            gateway_charge_id=current.charge_id,
            card_brand=current.card_brand,
            card_last4=current.card_last4,
            decline_code=None,
            error_message=None,
        )
        brand = (current.card_brand or "card").title()
        last4 = f" •••• {current.card_last4}" if current.card_last4 else ""
        return CardOutcome(
            payment.id,
            CardOutcomeKind.APPROVED,
            f"Approved: {brand}{last4}",
            current.card_brand,
            current.card_last4,
        )

    def _declined(
        self, payment: PaymentRecord, detail: str, code: str | None, message: str
    ) -> CardOutcome:
        self.flow.update(
            payment.id,
            PaymentStatus.DECLINED,
            detail,
            decline_code=code,
            error_message=message[:300],
        )
        return CardOutcome(payment.id, CardOutcomeKind.DECLINED, message, decline_code=code)

    def _time_out(self, payment: PaymentRecord) -> CardOutcome:
        # The reader's own timeout ends the action anyway if this call fails.
        with contextlib.suppress(TerminalError):
            self.flow.terminal.cancel_reader_action(
                reader_id=self.flow.reader_id,
                idempotency_key=key(payment, f"timeout:{payment.process_count}"),
            )
        message = messages.terminal_message("terminal_reader_timeout")
        self.flow.update(
            payment.id,
            PaymentStatus.DECLINED,
            "no card presented in time",
            decline_code="timeout",
            error_message=message,
        )
        return CardOutcome(payment.id, CardOutcomeKind.TIMED_OUT, message)

    # --- cancel -------------------------------------------------------------------------------

    def cancel(self, payment_id: UUID, *, reason: str = "cancelled at the counter") -> CardOutcome:
        """Stop the reader and cancel the payment, releasing any hold on the customer's card."""
        flow = self.flow
        payment = flow.payment(payment_id)
        if payment.status in (PaymentStatus.CANCELED, PaymentStatus.FAILED):
            return CardOutcome(payment_id, CardOutcomeKind.CANCELED, CANCELLED)
        if payment.status in (PaymentStatus.CAPTURING, PaymentStatus.CAPTURED):
            raise CardPaymentError("This card payment is already being charged; refund it instead.")
        flow.update(payment_id, PaymentStatus.CANCELING, reason)
        if payment.gateway_payment_id is None:
            flow.update(payment_id, PaymentStatus.CANCELED, "never reached the gateway")
            return CardOutcome(payment_id, CardOutcomeKind.CANCELED, CANCELLED)
        self._stop_reader(payment)
        final = self._cancel_at_gateway(payment, payment.gateway_payment_id)
        if (
            final is not None and final.status is GatewayPaymentStatus.CAPTURED
        ):  # pragma: no cover - we never capture here
            raise CardPaymentError("The payment was captured; refund it instead.")

        def canceled(uow: UnitOfWork) -> None:
            uow.payments.update(payment_id, status=PaymentStatus.CANCELED, detail=reason)
            uow.audit.record(
                "payment.canceled",
                order_id=payment.order_id,
                details={"payment_id": str(payment_id), "reason": reason},
            )

        flow.write(canceled)
        return CardOutcome(payment_id, CardOutcomeKind.CANCELED, CANCELLED)

    def _stop_reader(self, payment: PaymentRecord) -> None:
        """End the reader's action when it is this payment's (best effort)."""
        try:
            if self._on_the_reader(payment):
                self.flow.terminal.cancel_reader_action(
                    reader_id=self.flow.reader_id, idempotency_key=key(payment, "cancel_action")
                )
        except TerminalError:
            pass  # cancelling the payment itself is what releases the money

    def _cancel_at_gateway(self, payment: PaymentRecord, gateway_id: str) -> GatewayPayment | None:
        """Cancel the payment at the gateway; None when the demo's gateway no longer knows it.
        Raises `CardPaymentError` when it is still in flight."""
        terminal = self.flow.terminal
        try:
            return self.flow.resolve(
                lambda: terminal.cancel_payment(gateway_id, idempotency_key=key(payment, "cancel")),
                lambda: terminal.get_payment(gateway_id),
                lambda p: p.status is GatewayPaymentStatus.CANCELED,
            )
        except TerminalError as error:
            # Already canceled (e.g. expired) counts as done; anything else: still in flight.
            try:
                final = terminal.get_payment(gateway_id)
            except TerminalError as reread_error:
                if not (self.flow.ephemeral_gateway and reread_error.code == "resource_missing"):
                    raise CardPaymentError(str(error), kind=error.kind) from error
                return None  # the demo's reader restarted: nothing of it is held
            if final.status is not GatewayPaymentStatus.CANCELED:
                raise CardPaymentError(str(error), kind=error.kind) from error
            return final

    def hand_back(self, order_id: UUID) -> None:
        """The cashier left the pay screen and handed back what was taken for the order: its
        tender plan no longer says what the drawer holds for it (a restart must not ask for
        that cash to be handed back again). A plan whose capture is under way is kept."""

        def forget(uow: UnitOfWork) -> None:
            if any(p.status is PaymentStatus.CAPTURING for p in uow.payments.for_order(order_id)):
                return
            uow.orders.set_pending_tenders(order_id, None)

        self.flow.write(forget)
