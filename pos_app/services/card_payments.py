"""Card payments on the reader, exactly once.

The protocol, and why no failure can charge a customer twice or lose a paid order:

1. **Record first.** An attempt (a `payment_transactions` row with its idempotency key) is
   committed before the first call to the gateway. Every gateway POST carries a key derived
   from it (``<key>:create``, ``<key>:process:<n>``, ``<key>:capture``, ``<key>:cancel``), so
   a retried call returns the first call's result instead of repeating its effect.
2. **Unknown outcomes are resolved by reading, not guessing.** A timeout, a dropped
   connection or a 5xx may have taken effect; the flow re-reads the PaymentIntent (and the
   reader) before it tells the cashier anything, and retries with the same key when needed.
3. **Capture last, record in the same breath.** Stock is checked before the card is charged.
   The tender plan (cash taken so far) is saved with the order when the attempt starts, so a
   crash cannot lose the cash in the drawer; complete, it is saved again and the attempt is
   marked *capturing* before the capture call; once captured, one transaction
   marks the payment captured and places the order. A crash between the two is finished at
   the next start (`recover`), from the saved plan.
4. **Nothing is left on hold.** At start-up, attempts left in flight are settled: captured
   ones are linked to their order, authorised-but-orphaned ones are cancelled so the
   customer's hold is released, and each step goes to the audit log.

This module is orchestration (it calls the database and the gateway in turn); it never
imports Qt and runs on a background thread in the app.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any
from uuid import UUID

from pos_app.db.database import Database
from pos_app.db.repositories.payments import IN_FLIGHT
from pos_app.db.uow import UnitOfWork
from pos_app.domain.errors import DomainError, NotEnoughStock, ValidationError
from pos_app.domain.ids import uuid7
from pos_app.domain.orders import Order, OrderStatus
from pos_app.domain.payments import PaymentRecord
from pos_app.domain.shop import Shop
from pos_app.domain.staff import Authorization, Permission, StaffMember
from pos_app.domain.tenders import TenderKind, TenderRequest, check_tip, settle
from pos_app.payments import messages
from pos_app.payments.terminal import (
    CartDisplay,
    CartLine,
    GatewayPayment,
    GatewayPaymentStatus,
    PaymentTerminal,
    ReaderActionStatus,
    TerminalError,
    TerminalErrorKind,
)
from pos_app.services import checkout, refunds
from pos_app.services.checkout import PlacedOrder

GATEWAY = "stripe"
UNKNOWN_OUTCOME_RETRIES = 3
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


class CardOutcomeKind(StrEnum):
    APPROVED = "approved"
    DECLINED = "declined"
    CANCELED = "canceled"
    TIMED_OUT = "timed_out"


@dataclass(frozen=True, slots=True)
class CardOutcome:
    payment_id: UUID
    kind: CardOutcomeKind
    message: str
    card_brand: str | None = None
    card_last4: str | None = None
    decline_code: str | None = None


class RecoveryKind(StrEnum):
    """What start-up recovery did about one payment or order (the counter says it in words)."""

    RECORDED = "recorded"
    """Captured before the crash: the order is now recorded as paid."""
    ALREADY_RECORDED = "already_recorded"
    FOUND_CAPTURED = "found_captured"
    """Stripe captured it without our capture step: check it in order history."""
    RELEASED = "released"
    """Not finished: the hold was released, the customer not charged."""
    LAPSED = "lapsed"
    """The approval lapsed before it could be captured: not charged."""
    NEVER_STARTED = "never_started"
    GONE = "gone"
    """The demo's card reader restarted with the app: its payments are gone, none charged."""
    LEFT_FOR_LATER = "left_for_later"
    """Stripe could not settle it now; tried again at the next start."""
    PARKED = "parked"
    """An order left unpaid by the restart is parked: recall it to take payment, or void it."""
    REFUND = "refund"
    """A card refund sent again (`detail` is the cashier's message)."""


@dataclass(frozen=True, slots=True)
class RecoveryNote:
    kind: RecoveryKind
    order_number: int | None
    detail: str = ""
    cash_minor: int = 0
    """Cash taken for the unpaid order before the restart: the drawer holds it, the order
    does not (it is due in full again), so the cashier hands it back."""

    def __str__(self) -> str:
        """In English, for the log and the command line (the counter words it by `kind`)."""
        cash = f"; hand back {self.cash_minor} (minor units) cash taken" if self.cash_minor else ""
        return self._what() + cash

    def _what(self) -> str:
        order = f"order {self.order_number}"
        return {
            RecoveryKind.RECORDED: f"{order}: captured card payment recorded after a restart",
            RecoveryKind.ALREADY_RECORDED: f"{order}: card payment already recorded",
            RecoveryKind.FOUND_CAPTURED: (
                f"{order}: payment found captured; check it in order history"
            ),
            RecoveryKind.RELEASED: (
                f"{order}: unfinished card payment released (customer not charged)"
            ),
            RecoveryKind.LAPSED: f"{order}: card approval had lapsed; the order is still open",
            RecoveryKind.NEVER_STARTED: f"{order}: card payment never started ({self.detail})",
            RecoveryKind.GONE: (
                f"{order}: the demo card reader restarted; its payment is gone (not charged)"
            ),
            RecoveryKind.LEFT_FOR_LATER: f"{order}: card payment left for later ({self.detail})",
            RecoveryKind.PARKED: f"{order}: left unpaid by the restart, parked",
            RecoveryKind.REFUND: self.detail,
        }[self.kind]


class CardPaymentError(DomainError):
    """A card step could not be done; the message is for the cashier."""

    def __init__(self, message: str, *, kind: TerminalErrorKind | None = None) -> None:
        super().__init__(message)
        self.kind = kind


class CardApprovalsReleased(CardPaymentError):
    """The order could not be placed, so its card approvals (`released`) were let go."""

    def __init__(self, message: str, *, released: Sequence[UUID]) -> None:
        super().__init__(message)
        self.released = tuple(released)


@dataclass(frozen=True, slots=True)
class PollPolicy:
    first_delay_s: float = 0.15
    max_delay_s: float = 1.0
    factor: float = 1.6
    reader_timeout_s: float = 120.0
    """How long a reader may wait for a card before the flow cancels the reader action."""
    retry_delay_s: float = 0.25


Progress = Callable[[str], None]


def _key(payment: PaymentRecord, step: str) -> str:
    return f"{payment.idempotency_key}:{step}"


def _tender_plan(tenders: Sequence[TenderRequest]) -> dict[str, Any]:
    return {
        "tenders": [
            {
                "kind": t.kind.value,
                "amount_minor": t.amount_minor,
                "tip_minor": t.tip_minor,
                "payment_id": str(t.payment_id) if t.payment_id else None,
            }
            for t in tenders
        ]
    }


def _plan_tenders(plan: dict[str, Any]) -> list[TenderRequest]:
    return [
        TenderRequest(
            kind=TenderKind(t["kind"]),
            amount_minor=int(t["amount_minor"]),
            tip_minor=int(t["tip_minor"]),
            payment_id=UUID(t["payment_id"]) if t["payment_id"] else None,
        )
        for t in plan["tenders"]
    ]


class CardPayments:
    """Runs card attempts for one register and one reader."""

    def __init__(
        self,
        db: Database,
        terminal: PaymentTerminal,
        *,
        shop: Shop,
        reader_id: str,
        poll: PollPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
        ephemeral_gateway: bool = False,
    ) -> None:
        """`ephemeral_gateway`: the gateway forgets everything when the app stops (the demo's
        in-process emulator), so a payment it no longer knows was never charged."""
        self.db = db
        self.ephemeral_gateway = ephemeral_gateway
        self.terminal = terminal
        self.shop = shop
        self.reader_id = reader_id
        self.poll = poll or PollPolicy()
        self._sleep = sleep
        self._monotonic = monotonic

    # --- helpers ----------------------------------------------------------------------------------

    def _payment(self, payment_id: UUID) -> PaymentRecord:
        with self.db.read() as uow:
            payment = uow.payments.get(payment_id)
        if payment is None:
            raise ValidationError("that card payment does not exist")
        return payment

    def _update(self, payment_id: UUID, status: str, detail: str = "", **fields: Any) -> None:
        with self.db.write() as uow:
            uow.payments.update(payment_id, status=status, detail=detail, **fields)

    def _resolve(
        self,
        call: Callable[[], GatewayPayment],
        reread: Callable[[], GatewayPayment],
        done: Callable[[GatewayPayment], bool],
    ) -> GatewayPayment:
        """Make a call whose effect may have happened even when it fails: on an unknown outcome,
        read the payment back and retry (same idempotency key) until the gateway answers."""
        last: TerminalError | None = None
        for attempt in range(UNKNOWN_OUTCOME_RETRIES):
            try:
                return call()
            except TerminalError as error:
                if not error.outcome_unknown:
                    raise
                last = error
            self._sleep(self.poll.retry_delay_s * (attempt + 1))
            try:
                current = reread()
            except TerminalError as error:
                if not error.outcome_unknown:
                    raise
                continue
            if done(current):
                return current
        assert last is not None
        raise last

    def _description(self, order_number: int | None) -> str:
        return f"{self.shop.name} order {order_number}" if order_number else self.shop.name

    def _metadata(self, payment: PaymentRecord, order_number: int | None) -> dict[str, str]:
        return {
            "order_id": str(payment.order_id),
            "order_number": str(order_number or ""),
            "register_id": str(self.shop.register_id),
            "attempt_id": str(payment.id),
        }

    def _order_number(self, order_id: UUID) -> int | None:
        with self.db.read() as uow:
            order = uow.orders.get(order_id)
        return order.number if order else None

    # --- start a payment --------------------------------------------------------------------------

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
        total = order.totals().total_minor
        payment_id = uuid7()
        with self.db.write() as uow:
            held = sum(
                p.amount_minor
                for p in uow.payments.for_order(order.id)
                if p.status in ("authorized", "capturing", "captured")
            )
            if amount_minor > total - held:
                raise ValidationError("a card cannot be charged more than what is still due")
            # Before the card is charged, not after: a sale the stock rule refuses must never
            # leave a customer's money on hold.
            self._check_stock(uow, order)
            checkout.save_open_order(
                uow, order=order, shop=self.shop, staff=staff, shift_id=shift_id
            )
            uow.orders.set_pending_tenders(order.id, _tender_plan(taken))
            uow.payments.add(
                payment_id=payment_id,
                order_id=order.id,
                gateway=GATEWAY,
                idempotency_key=f"pos-pay-{payment_id}",
                amount_minor=amount_minor,
                tip_minor=tip_minor,
                currency=self.shop.currency,
                reader_id=self.reader_id,
            )
        payment = self._payment(payment_id)
        created = self._create(payment, order.number)
        # One write records both the gateway's payment and the reader try about to be made:
        # the try number must be saved before the call, and a till has no time to spare.
        self._update(
            payment_id,
            "created",
            f"gateway payment {created.gateway_payment_id}; sending to reader (try 1)",
            gateway_payment_id=created.gateway_payment_id,
            process_count=1,
        )
        self._process(self._payment(payment_id), attempt=1)
        return payment_id

    def _create(self, payment: PaymentRecord, order_number: int | None) -> GatewayPayment:
        def create() -> GatewayPayment:
            return self.terminal.create_payment(
                amount_minor=payment.charge_minor,
                currency=payment.currency,
                metadata=self._metadata(payment, order_number),
                description=self._description(order_number),
                idempotency_key=_key(payment, "create"),
            )

        try:
            # Re-sending the same creation with the same key is the read-back here: Stripe
            # answers with the payment the first call made, if it made one.
            return self._resolve(create, create, lambda _: True)
        except TerminalError as error:
            # Refused outright (an amount under Stripe's minimum, a revoked key): nothing was
            # created and the attempt is over. Only an unknown outcome stays pending, for
            # recovery to find (or release) what the gateway may have made.
            self._update(
                payment.id,
                "pending" if error.outcome_unknown else "failed",
                f"create failed: {error.kind.value}",
                error_message=str(error)[:300],
            )
            raise CardPaymentError(str(error), kind=error.kind) from error

    def send_to_reader(self, payment_id: UUID) -> None:
        """Ask the reader to collect a card for this payment (again, after a decline)."""
        payment = self._payment(payment_id)
        if payment.status not in ("created", "declined", "processing"):
            raise ValidationError(f"this card payment is {payment.status}")
        assert payment.gateway_payment_id is not None
        attempt = payment.process_count + 1
        # The try number is saved before the call: each try has a key of its own, and a crash
        # here can never make a later try reuse this one's key.
        self._update(
            payment_id, payment.status, f"sending to reader (try {attempt})", process_count=attempt
        )
        self._process(payment, attempt=attempt)

    def _process(self, payment: PaymentRecord, *, attempt: int) -> None:
        """Send the payment to the reader with the key of this try (already recorded)."""
        assert payment.gateway_payment_id is not None
        payment_id = payment.id
        key = _key(payment, f"process:{attempt}")
        for retry in range(UNKNOWN_OUTCOME_RETRIES):
            try:
                self.terminal.process_on_reader(
                    reader_id=self.reader_id,
                    gateway_payment_id=payment.gateway_payment_id,
                    idempotency_key=key,
                )
                break
            except TerminalError as error:
                if not error.outcome_unknown:
                    self._update(
                        payment_id,
                        "declined" if payment.status == "declined" else "created",
                        f"reader refused: {error.code or error.kind.value}",
                        error_message=str(error)[:300],
                    )
                    raise CardPaymentError(str(error), kind=error.kind) from error
                self._sleep(self.poll.retry_delay_s * (retry + 1))
                try:
                    reader = self.terminal.reader_state(self.reader_id)
                except TerminalError:
                    continue
                if reader.action_payment_id == payment.gateway_payment_id and (
                    reader.action_status is ReaderActionStatus.IN_PROGRESS
                ):
                    break
        else:
            raise CardPaymentError(messages.NETWORK_MESSAGE, kind=TerminalErrorKind.NETWORK)
        # No write here: "created" and "processing" mean the same to recovery (release the
        # payment), and the watch records the outcome.

    # --- watch it ---------------------------------------------------------------------------------

    def watch(
        self,
        payment_id: UUID,
        *,
        on_progress: Progress | None = None,
        cancel_requested: threading.Event | None = None,
    ) -> CardOutcome:
        """Poll the reader and the payment (with backoff) until approved, declined, cancelled
        or timed out. Network hiccups while watching are retried until the reader timeout."""
        payment = self._payment(payment_id)
        assert payment.gateway_payment_id is not None
        progress = on_progress or (lambda _message: None)
        started = self._monotonic()
        delay = self.poll.first_delay_s
        progress("Waiting for the customer's card: tap, insert or swipe.")
        while True:
            if cancel_requested is not None and cancel_requested.is_set():
                return self.cancel(payment_id)
            try:
                reader = self.terminal.reader_state(self.reader_id)
                ours = reader.action_payment_id == payment.gateway_payment_id
                if ours and reader.action_status is ReaderActionStatus.IN_PROGRESS:
                    if self._monotonic() - started > self.poll.reader_timeout_s:
                        return self._time_out(payment)
                    self._sleep(delay)
                    delay = min(delay * self.poll.factor, self.poll.max_delay_s)
                    continue
                current = self.terminal.get_payment(payment.gateway_payment_id)
            except TerminalError as error:
                if (
                    not error.outcome_unknown
                    or self._monotonic() - started > self.poll.reader_timeout_s
                ):
                    raise CardPaymentError(str(error), kind=error.kind) from error
                progress("Connection to Stripe lost: still trying…")
                self._sleep(delay)
                delay = min(delay * self.poll.factor, self.poll.max_delay_s)
                continue
            outcome = self._settle_watch(payment, current, reader if ours else None)
            if outcome is not None:
                progress(outcome.message)
                return outcome
            self._sleep(delay)
            delay = min(delay * self.poll.factor, self.poll.max_delay_s)

    def _settle_watch(
        self, payment: PaymentRecord, current: GatewayPayment, reader: Any
    ) -> CardOutcome | None:
        if current.status in (GatewayPaymentStatus.AUTHORIZED, GatewayPaymentStatus.CAPTURED):
            self._update(
                payment.id,
                "authorized",
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
        if current.status is GatewayPaymentStatus.CANCELED:
            self._update(payment.id, "canceled", f"canceled ({current.cancellation_reason})")
            return CardOutcome(
                payment.id, CardOutcomeKind.CANCELED, "The card payment was cancelled."
            )
        if reader is not None and reader.action_status is ReaderActionStatus.FAILED:
            code = current.decline_code or reader.failure_code
            if code in ("customer_canceled", "canceled") or "cancel" in (code or ""):
                message = messages.terminal_message("customer_canceled")
            elif current.decline_code:
                message = messages.decline_message(current.decline_code)
            else:
                message = messages.terminal_message(code, reader.failure_message)
            self._update(
                payment.id,
                "declined",
                f"reader: {code}",
                decline_code=code,
                error_message=message[:300],
            )
            return CardOutcome(payment.id, CardOutcomeKind.DECLINED, message, decline_code=code)
        if reader is None and current.status is GatewayPaymentStatus.AWAITING_CARD:
            # The reader moved on (reset, or another action) without finishing ours.
            message = (
                messages.decline_message(current.decline_code)
                if current.decline_code
                else "The reader stopped this payment. Try the card again."
            )
            self._update(
                payment.id,
                "declined",
                "reader action gone",
                decline_code=current.decline_code,
                error_message=message[:300],
            )
            return CardOutcome(
                payment.id, CardOutcomeKind.DECLINED, message, decline_code=current.decline_code
            )
        return None

    def _time_out(self, payment: PaymentRecord) -> CardOutcome:
        # The reader's own timeout ends the action anyway if this call fails.
        with contextlib.suppress(TerminalError):
            self.terminal.cancel_reader_action(
                reader_id=self.reader_id,
                idempotency_key=_key(payment, f"timeout:{payment.process_count}"),
            )
        message = messages.terminal_message("terminal_reader_timeout")
        self._update(
            payment.id,
            "declined",
            "no card presented in time",
            decline_code="timeout",
            error_message=message,
        )
        return CardOutcome(payment.id, CardOutcomeKind.TIMED_OUT, message)

    # --- cancel -----------------------------------------------------------------------------------

    def cancel(self, payment_id: UUID, *, reason: str = "cancelled at the counter") -> CardOutcome:
        """Stop the reader and cancel the payment, releasing any hold on the customer's card."""
        payment = self._payment(payment_id)
        if payment.status in ("canceled", "failed"):
            return CardOutcome(
                payment_id, CardOutcomeKind.CANCELED, "The card payment was cancelled."
            )
        if payment.status in ("capturing", "captured"):
            raise CardPaymentError("This card payment is already being charged; refund it instead.")
        self._update(payment_id, "canceling", reason)
        if payment.gateway_payment_id is None:
            self._update(payment_id, "canceled", "never reached the gateway")
            return CardOutcome(
                payment_id, CardOutcomeKind.CANCELED, "The card payment was cancelled."
            )
        try:
            reader = self.terminal.reader_state(self.reader_id)
            if reader.action_payment_id == payment.gateway_payment_id and (
                reader.action_status is ReaderActionStatus.IN_PROGRESS
            ):
                self.terminal.cancel_reader_action(
                    reader_id=self.reader_id, idempotency_key=_key(payment, "cancel_action")
                )
        except TerminalError:
            pass  # cancelling the payment itself is what releases the money
        gateway_id = payment.gateway_payment_id
        try:
            final: GatewayPayment | None = self._resolve(
                lambda: self.terminal.cancel_payment(
                    gateway_id, idempotency_key=_key(payment, "cancel")
                ),
                lambda: self.terminal.get_payment(gateway_id),
                lambda p: p.status is GatewayPaymentStatus.CANCELED,
            )
        except TerminalError as error:
            # Already canceled (e.g. expired) counts as done; anything else: still in flight.
            try:
                final = self.terminal.get_payment(gateway_id)
            except TerminalError as reread_error:
                if not (self.ephemeral_gateway and reread_error.code == "resource_missing"):
                    raise CardPaymentError(str(error), kind=error.kind) from error
                final = None  # the demo's reader restarted: nothing of it is held
            if final is not None and final.status is not GatewayPaymentStatus.CANCELED:
                raise CardPaymentError(str(error), kind=error.kind) from error
        if (
            final is not None and final.status is GatewayPaymentStatus.CAPTURED
        ):  # pragma: no cover - we never capture here
            raise CardPaymentError("The payment was captured; refund it instead.")
        with self.db.write() as uow:
            uow.payments.update(payment_id, status="canceled", detail=reason)
            uow.audit.record(
                "payment.canceled",
                order_id=payment.order_id,
                details={"payment_id": str(payment_id), "reason": reason},
            )
        return CardOutcome(payment_id, CardOutcomeKind.CANCELED, "The card payment was cancelled.")

    def hand_back(self, order_id: UUID) -> None:
        """The cashier left the pay screen and handed back what was taken for the order: its
        tender plan no longer says what the drawer holds for it (a restart must not ask for
        that cash to be handed back again). A plan whose capture is under way is kept."""
        with self.db.write() as uow:
            if any(p.status == "capturing" for p in uow.payments.for_order(order_id)):
                return
            uow.orders.set_pending_tenders(order_id, None)

    # --- finalize: capture and record -------------------------------------------------------------

    def finalize(
        self,
        *,
        order: Order,
        tenders: Sequence[TenderRequest],
        staff: StaffMember,
        shift_id: UUID | None,
    ) -> PlacedOrder:
        """Capture the order's authorised card payments and place the order with its tenders."""
        total = order.totals().total_minor
        settle(total, tenders)  # validates the plan before anything is sent
        card_ids = [t.payment_id for t in tenders if t.kind is TenderKind.CARD]
        if any(pid is None for pid in card_ids):
            raise ValidationError("a card tender must come from a card payment")
        payments: list[PaymentRecord] = []
        with self.db.write() as uow:
            for tender in tenders:
                if tender.kind is not TenderKind.CARD:
                    continue
                assert tender.payment_id is not None
                payment = uow.payments.get(tender.payment_id)
                if payment is None or payment.order_id != order.id:
                    raise ValidationError("that card payment belongs to another order")
                if payment.status not in ("authorized", "capturing", "captured"):
                    raise ValidationError(f"the card payment is {payment.status}, not approved")
                if (payment.amount_minor, payment.tip_minor) != (
                    tender.amount_minor,
                    tender.tip_minor,
                ):
                    raise ValidationError("the card tender does not match what the card approved")
                payments.append(payment)
        try:
            with self.db.write() as uow:
                self._check_stock(uow, order)
                checkout.save_open_order(
                    uow, order=order, shop=self.shop, staff=staff, shift_id=shift_id
                )
                uow.orders.set_pending_tenders(order.id, _tender_plan(tenders))
                for payment in payments:
                    if payment.status == "authorized":
                        uow.payments.update(
                            payment.id, status="capturing", detail="finalizing order"
                        )
        except NotEnoughStock as error:
            # Sold out meanwhile (another till): nothing is charged. The holds are released
            # and the order stays payable once the cashier changes it.
            released = [p.id for p in payments if p.status == "authorized"]
            for payment_id in released:
                self.cancel(payment_id, reason=f"not enough stock: {error}")
            raise CardApprovalsReleased(
                f"{error} The card approval was released: the customer is not charged.",
                released=released,
            ) from error
        captured = {payment.id: self._capture(payment) for payment in payments}
        return self._record_paid(order.id, staff_id=staff.id, shift_id=shift_id, captured=captured)

    @staticmethod
    def _check_stock(uow: UnitOfWork, order: Order) -> None:
        """The stock rule of `checkout.place_order` (a manager's approved oversell passes)."""
        wanted: dict[UUID, int] = {}
        for line in order.lines:
            if line.track_stock and line.product_id is not None:
                wanted[line.product_id] = wanted.get(line.product_id, 0) + line.quantity
        for product_id, quantity in wanted.items():
            if product_id in order.oversell_approved:
                continue
            level = uow.catalog.stock_level(product_id)
            if level < quantity:
                line = next(ln for ln in order.lines if ln.product_id == product_id)
                raise NotEnoughStock(line.sku, line.name, level, quantity)

    def _capture(self, payment: PaymentRecord) -> GatewayPayment:
        assert payment.gateway_payment_id is not None
        gateway_id = payment.gateway_payment_id
        try:
            captured = self._resolve(
                lambda: self.terminal.capture(gateway_id, idempotency_key=_key(payment, "capture")),
                lambda: self.terminal.get_payment(gateway_id),
                lambda p: p.status is GatewayPaymentStatus.CAPTURED,
            )
        except TerminalError as error:
            if error.outcome_unknown:
                raise CardPaymentError(
                    "Stripe did not confirm the charge. The order will be completed as soon as "
                    "Stripe answers; do not charge the card again.",
                    kind=error.kind,
                ) from error
            current = self._reread(gateway_id)
            if current is not None and current.status is GatewayPaymentStatus.CAPTURED:
                return current
            self._abandon_capture(payment, str(error))
            raise CardPaymentError(
                f"The card could not be charged: {error}. Ask for another card or cash.",
                kind=error.kind,
            ) from error
        if captured.status is not GatewayPaymentStatus.CAPTURED:
            self._abandon_capture(payment, f"payment is {captured.status.value}")
            raise CardPaymentError(
                "The card approval has expired or was cancelled. Ask for the card again, or cash."
            )
        # Nothing is written here: the caller records the capture together with the order
        # (a crash in between is finished by `recover`, which reads the payment back).
        return captured

    def _reread(self, gateway_id: str) -> GatewayPayment | None:
        try:
            return self.terminal.get_payment(gateway_id)
        except TerminalError:
            return None

    def _abandon_capture(self, payment: PaymentRecord, detail: str) -> None:
        with self.db.write() as uow:
            uow.payments.update(payment.id, status="canceled", detail=f"capture failed: {detail}")
            # The cash of the plan stays: the drawer holds it until the order is paid or the
            # cashier is told to hand it back (`_cash_to_hand_back`).
            plan = uow.orders.pending_tenders(payment.order_id)
            cash = [t for t in _plan_tenders(plan) if t.kind is TenderKind.CASH] if plan else []
            uow.orders.set_pending_tenders(payment.order_id, _tender_plan(cash) if cash else None)
            uow.audit.record(
                "payment.capture_failed",
                order_id=payment.order_id,
                details={"payment_id": str(payment.id), "detail": detail},
            )

    def _record_paid(
        self,
        order_id: UUID,
        *,
        staff_id: UUID | None,
        shift_id: UUID | None,
        captured: dict[UUID, GatewayPayment] | None = None,
    ) -> PlacedOrder:
        """One transaction: payments captured, order paid with its tenders, plan cleared.

        `captured` holds what the gateway answered to the captures, to keep on the payments."""
        with self.db.write() as uow:
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
            requests = []
            for request in _plan_tenders(plan):
                if request.kind is TenderKind.CARD and request.payment_id is not None:
                    payment = uow.payments.get(request.payment_id)
                    assert payment is not None
                    answer = (captured or {}).get(payment.id)
                    brand = (answer.card_brand if answer else None) or payment.card_brand
                    last4 = (answer.card_last4 if answer else None) or payment.card_last4
                    uow.payments.update(
                        payment.id,
                        status="captured",
                        detail="captured; order recorded",
                        captured_minor=(answer.amount_received_minor if answer else 0)
                        or payment.charge_minor,
                        card_brand=brand,
                        card_last4=last4,
                        gateway_charge_id=(answer.charge_id if answer else None)
                        or payment.gateway_charge_id,
                    )
                    request = TenderRequest(
                        kind=TenderKind.CARD,
                        amount_minor=request.amount_minor,
                        tip_minor=request.tip_minor,
                        payment_id=payment.id,
                        card_brand=brand,
                        card_last4=last4,
                    )
                requests.append(request)
            if order.status is OrderStatus.PARKED:
                order.resume()
            placed = checkout.place_order(
                uow,
                order=order,
                tenders=requests,
                shop=self.shop,
                staff=staff,
                shift_id=shift_id,
                allow_oversell=True,
            )
            uow.orders.set_pending_tenders(order_id, None)
            return placed

    # --- voids and refunds ------------------------------------------------------------------------

    def void_order(
        self, *, order: Order, reason: str, authorization: Authorization, shift_id: UUID | None
    ) -> int:
        """Release every hold on the order's card payments, then void it."""
        if authorization.permission is not Permission.VOID:
            raise CardPaymentError("voiding needs the void permission")
        with self.db.read() as uow:
            open_payments = [
                p
                for p in uow.payments.for_order(order.id)
                if p.status not in ("canceled", "failed", "captured")
            ]
        for payment in open_payments:
            self.cancel(payment.id, reason=f"order voided: {reason}")
        with self.db.write() as uow:
            return checkout.void_order(
                uow,
                order=order,
                reason=reason,
                authorization=authorization,
                shop=self.shop,
                shift_id=shift_id,
            )

    def send_refunds(self, refund_id: UUID) -> list[str]:
        """Send a refund's card allocations to the gateway; returns problems for the cashier."""
        problems: list[str] = []
        with self.db.read() as uow:
            allocations = [
                a
                for a in uow.refunds.allocations(refund_id)
                if a.kind == "card" and a.status == "pending"
            ]
        for allocation in allocations:
            problem = self._send_refund(allocation.id)
            if problem:
                problems.append(problem)
        if problems:
            sent = {allocation.id for allocation in allocations}
            with self.db.read() as uow:
                refused = any(
                    a.status == "failed" for a in uow.refunds.allocations(refund_id) if a.id in sent
                )
            if refused and not set(problems) & set(REFUND_REFUSALS.values()):
                problems.append(REFUSED_REFUND_HINT)
        return problems

    def _send_refund(self, allocation_id: UUID) -> str | None:
        with self.db.read() as uow:
            allocation = uow.refunds.allocation(allocation_id)
            if allocation is None or allocation.status != "pending" or allocation.tender_id is None:
                return None
            order_tenders = {}
            refund = uow.refunds.get(allocation.refund_id)
            assert refund is not None
            order = uow.orders.get(refund.order_id)
            assert order is not None
            order_tenders = {t.id: t for t in order.tenders}
            tender = order_tenders.get(allocation.tender_id)
            payment = uow.payments.get(tender.payment_id) if tender and tender.payment_id else None
        if payment is None or payment.gateway_payment_id is None:
            with self.db.write() as uow:
                refunds.settle_card_allocation(
                    uow, allocation_id=allocation_id, succeeded=False, gateway_refund_id=None
                )
            return "That card payment has no gateway record; refund in cash instead."
        assert allocation.idempotency_key is not None
        try:
            result = self.terminal.refund(
                payment.gateway_payment_id,
                amount_minor=allocation.amount_minor,
                metadata={
                    "refund_id": str(allocation.refund_id),
                    "allocation_id": str(allocation.id),
                    "order_id": str(refund.order_id),
                },
                idempotency_key=allocation.idempotency_key,
            )
        except TerminalError as error:
            if error.outcome_unknown:
                return (
                    "Stripe did not confirm the refund yet. It is kept and will be sent "
                    "again automatically; do not refund it twice."
                )
            with self.db.write() as uow:
                refunds.settle_card_allocation(
                    uow, allocation_id=allocation_id, succeeded=False, gateway_refund_id=None
                )
            return REFUND_REFUSALS.get(error.code or "") or f"The card refund was refused: {error}"
        succeeded = result.status in ("succeeded", "pending")
        with self.db.write() as uow:
            refunds.settle_card_allocation(
                uow,
                allocation_id=allocation_id,
                succeeded=succeeded,
                gateway_refund_id=result.gateway_refund_id,
            )
            if succeeded:
                uow.payments.update(
                    payment.id,
                    status="captured",
                    detail=f"refunded {result.amount_minor}",
                    refunded_minor=payment.refunded_minor + result.amount_minor,
                )
        return None if succeeded else f"The card refund failed ({result.status})."

    def retry_pending_refunds(self) -> list[str]:
        with self.db.read() as uow:
            pending = [a.id for a in uow.refunds.pending_allocations() if a.kind == "card"]
        return [problem for a in pending if (problem := self._send_refund(a))]

    # --- the reader's screen ----------------------------------------------------------------------

    def show_cart(self, order: Order) -> None:
        totals = order.totals()
        cart = CartDisplay(
            currency=order.currency,
            lines=[
                CartLine(
                    line.name,
                    totals.line(line.id).total_minor // max(line.quantity, 1)
                    if line.quantity
                    else 0,
                    line.quantity,
                )
                for line in order.lines
            ],
            tax_minor=totals.tax_minor,
            total_minor=totals.total_minor,
        )
        # Showing a cart moves no money: a fresh key per call, so an older cart never replays.
        self.terminal.show_cart(
            reader_id=self.reader_id, cart=cart, idempotency_key=f"display-{uuid7()}"
        )

    # --- recovery at start-up ---------------------------------------------------------------------

    def recover(self) -> list[str]:
        """`recover_notes`, in English for the log."""
        return [str(note) for note in self.recover_notes()]

    def recover_notes(self) -> list[RecoveryNote]:
        """Settle every attempt a crash left in flight, then park every order the crash left
        unpaid with nothing in flight, so each can be recalled or voided. Run at start-up,
        before any sale: no payment of this process is in flight yet."""
        with self.db.read() as uow:
            in_flight = uow.payments.in_flight()
        notes = []
        for payment in in_flight:
            try:
                note = self._recover_one(payment)
            except (TerminalError, CardPaymentError) as error:
                gone = isinstance(error, TerminalError) and self._gone(payment, error)
                note = gone or RecoveryNote(
                    RecoveryKind.LEFT_FOR_LATER, self._order_number(payment.order_id), str(error)
                )
            if note:
                notes.append(note)
        with self.db.write() as uow:
            parked = checkout.park_unfinished(uow, shop=self.shop)
            cash_taken = self._cash_to_hand_back(uow)
        noted = {note.order_number for note in notes}
        notes.extend(
            RecoveryNote(RecoveryKind.PARKED, n) for n in {*parked, *cash_taken} if n not in noted
        )
        notes = [
            replace(note, cash_minor=cash_taken.get(note.order_number or 0, 0)) for note in notes
        ]
        notes.extend(
            RecoveryNote(RecoveryKind.REFUND, None, problem)
            for problem in self.retry_pending_refunds()
        )
        return notes

    def _cash_to_hand_back(self, uow: UnitOfWork) -> dict[int, int]:
        """Cash the tender plans of this register's unpaid orders say was taken (cash handed
        over before a card attempt the restart ended), by order number. The order is due in
        full again, so that cash goes back to the customer: it is audited and the plan
        cleared. Orders whose card payment is still to settle keep their plan."""
        cash_taken: dict[int, int] = {}
        for summary in uow.orders.unfinished(self.shop.register_id):
            if any(
                p.status in IN_FLIGHT or p.status == "captured"
                for p in uow.payments.for_order(summary.id)
            ):
                continue
            plan = uow.orders.pending_tenders(summary.id)
            if plan is None:
                continue
            cash = sum(t.amount_minor for t in _plan_tenders(plan) if t.kind is TenderKind.CASH)
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
        if not (self.ephemeral_gateway and error.code == "resource_missing"):
            return None
        with self.db.write() as uow:
            uow.payments.update(
                payment.id, status="canceled", detail="gone: the demo card reader restarted"
            )
            uow.audit.record(
                "payment.recovered",
                order_id=payment.order_id,
                details={"payment_id": str(payment.id), "action": "gone"},
            )
        return RecoveryNote(RecoveryKind.GONE, self._order_number(payment.order_id))

    def _recover_one(self, payment: PaymentRecord) -> RecoveryNote | None:
        number = self._order_number(payment.order_id)
        if payment.gateway_payment_id is None:
            # The create call may or may not have reached the gateway: the same key returns the
            # payment it made, if any; then it is cancelled like any orphan.
            try:
                created = self.terminal.create_payment(
                    amount_minor=payment.charge_minor,
                    currency=payment.currency,
                    metadata=self._metadata(payment, number),
                    description=self._description(number),
                    idempotency_key=_key(payment, "create"),
                )
            except TerminalError as error:
                if error.outcome_unknown:
                    raise
                # Refused: it never made a payment, and never will with this key.
                self._update(
                    payment.id,
                    "failed",
                    f"create refused at start-up: {error.kind.value}",
                    error_message=str(error)[:300],
                )
                return RecoveryNote(RecoveryKind.NEVER_STARTED, number, str(error))
            self._update(
                payment.id,
                "created",
                "recovered at start-up",
                gateway_payment_id=created.gateway_payment_id,
            )
            payment = self._payment(payment.id)
        assert payment.gateway_payment_id is not None
        current = self.terminal.get_payment(payment.gateway_payment_id)
        if payment.status == "capturing":
            if current.status is GatewayPaymentStatus.AUTHORIZED:
                self._capture(payment)
                current = self.terminal.get_payment(payment.gateway_payment_id)
            if current.status is GatewayPaymentStatus.CAPTURED:
                with self.db.write() as uow:
                    uow.payments.update(
                        payment.id,
                        status="capturing",
                        detail="captured (recovered)",
                        card_brand=current.card_brand or payment.card_brand,
                        card_last4=current.card_last4 or payment.card_last4,
                        gateway_charge_id=current.charge_id,
                    )
                with self.db.read() as uow:
                    header = uow.orders.header(payment.order_id)
                    order = uow.orders.get(payment.order_id)
                if (
                    order is not None
                    and order.status is not OrderStatus.OPEN
                    and order.status is not OrderStatus.PARKED
                ):
                    with self.db.write() as uow:
                        uow.payments.update(
                            payment.id, status="captured", detail="order already recorded"
                        )
                    return RecoveryNote(RecoveryKind.ALREADY_RECORDED, number)
                placed = self._record_paid(
                    payment.order_id,
                    staff_id=header[0] if header else None,
                    shift_id=header[1] if header else None,
                )
                with self.db.write() as uow:
                    uow.audit.record(
                        "payment.recovered",
                        order_id=payment.order_id,
                        details={
                            "payment_id": str(payment.id),
                            "action": "recorded",
                            "number": placed.number,
                        },
                    )
                return RecoveryNote(RecoveryKind.RECORDED, placed.number)
            self._abandon_capture(payment, f"found {current.status.value} at start-up")
            return RecoveryNote(RecoveryKind.LAPSED, number)
        if current.status is GatewayPaymentStatus.CAPTURED:
            # Captured without our capture step: record what the gateway says and flag it.
            with self.db.write() as uow:
                uow.payments.update(
                    payment.id,
                    status="captured",
                    detail="found captured at start-up",
                    captured_minor=current.amount_received_minor,
                )
                uow.audit.record(
                    "payment.recovered",
                    order_id=payment.order_id,
                    details={"payment_id": str(payment.id), "action": "found_captured"},
                )
            return RecoveryNote(RecoveryKind.FOUND_CAPTURED, number)
        # Authorised but never finalised, or still waiting for a card: release it.
        self.cancel(payment.id, reason="released at start-up: the register restarted mid-payment")
        with self.db.write() as uow:
            uow.audit.record(
                "payment.recovered",
                order_id=payment.order_id,
                details={
                    "payment_id": str(payment.id),
                    "action": "released",
                    "was": current.status.value,
                },
            )
        return RecoveryNote(RecoveryKind.RELEASED, number)
