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

One module per job: `attempts` (start, watch, cancel), `capture` (finalize), `refunds` (voids
and card refunds), `display` (the reader's screen), `recovery` (start-up); `flow` holds what
they share and `outcomes` what they answer. The attempt's states and the moves allowed between
them are `pos_app.domain.payments.PaymentStatus` and `ALLOWED_TRANSITIONS`.

This is orchestration (it calls the database and the gateway in turn); it never imports Qt.
It runs on a network thread; each of its transactions runs on the database worker.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from uuid import UUID

from pos_app.application.card_payments.attempts import Attempts
from pos_app.application.card_payments.capture import Capture
from pos_app.application.card_payments.display import ReaderDisplay
from pos_app.application.card_payments.flow import GATEWAY, UNKNOWN_OUTCOME_RETRIES, CardFlow
from pos_app.application.card_payments.outcomes import (
    CardApprovalsReleased,
    CardOutcome,
    CardOutcomeKind,
    CardPaymentError,
    PollPolicy,
    Progress,
    RecoveryKind,
    RecoveryNote,
)
from pos_app.application.card_payments.reader import connect_terminal, reader_config
from pos_app.application.card_payments.recovery import Recovery
from pos_app.application.card_payments.refunds import (
    REFUND_REFUSALS,
    REFUSED_REFUND_HINT,
    CardRefunds,
)
from pos_app.db.database import Database
from pos_app.domain.orders import Order
from pos_app.domain.shop import Shop
from pos_app.domain.staff import Authorization, StaffMember
from pos_app.domain.tenders import TenderRequest
from pos_app.payments.terminal import PaymentTerminal
from pos_app.services.checkout import PlacedOrder

__all__ = [
    "GATEWAY",
    "REFUND_REFUSALS",
    "REFUSED_REFUND_HINT",
    "UNKNOWN_OUTCOME_RETRIES",
    "CardApprovalsReleased",
    "CardOutcome",
    "CardOutcomeKind",
    "CardPaymentError",
    "CardPayments",
    "PollPolicy",
    "Progress",
    "RecoveryKind",
    "RecoveryNote",
    "connect_terminal",
    "reader_config",
]


class CardPayments:
    """Runs card attempts for one register and one reader: one object over the five jobs."""

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
        self.flow = CardFlow(
            db,
            terminal,
            shop=shop,
            reader_id=reader_id,
            poll=poll,
            sleep=sleep,
            monotonic=monotonic,
            ephemeral_gateway=ephemeral_gateway,
        )
        self.attempts = Attempts(self.flow)
        self.captures = Capture(self.flow, self.attempts)
        self.refunds = CardRefunds(self.flow, self.attempts)
        self.display = ReaderDisplay(self.flow)
        self.recovery = Recovery(self.flow, self.attempts, self.captures, self.refunds)

    @property
    def db(self) -> Database:
        return self.flow.db

    @property
    def terminal(self) -> PaymentTerminal:
        return self.flow.terminal

    @property
    def shop(self) -> Shop:
        return self.flow.shop

    @property
    def reader_id(self) -> str:
        return self.flow.reader_id

    @property
    def poll(self) -> PollPolicy:
        return self.flow.poll

    @property
    def ephemeral_gateway(self) -> bool:
        return self.flow.ephemeral_gateway

    # --- attempts -----------------------------------------------------------------------------

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
        """See `Attempts.start`: returns the attempt's id; then `watch` it."""
        return self.attempts.start(
            order=order,
            amount_minor=amount_minor,
            tip_minor=tip_minor,
            staff=staff,
            shift_id=shift_id,
            taken=taken,
        )

    def send_to_reader(self, payment_id: UUID) -> None:
        self.attempts.send_to_reader(payment_id)

    def watch(
        self,
        payment_id: UUID,
        *,
        on_progress: Progress | None = None,
        cancel_requested: threading.Event | None = None,
    ) -> CardOutcome:
        return self.attempts.watch(
            payment_id, on_progress=on_progress, cancel_requested=cancel_requested
        )

    def cancel(self, payment_id: UUID, *, reason: str = "cancelled at the counter") -> CardOutcome:
        return self.attempts.cancel(payment_id, reason=reason)

    def hand_back(self, order_id: UUID) -> None:
        self.attempts.hand_back(order_id)

    # --- capture ------------------------------------------------------------------------------

    def finalize(
        self,
        *,
        order: Order,
        tenders: Sequence[TenderRequest],
        staff: StaffMember,
        shift_id: UUID | None,
    ) -> PlacedOrder:
        """Capture the order's authorised card payments and place the order with its tenders."""
        return self.captures.finalize(order=order, tenders=tenders, staff=staff, shift_id=shift_id)

    # --- voids and refunds --------------------------------------------------------------------

    def void_order(
        self, *, order: Order, reason: str, authorization: Authorization, shift_id: UUID | None
    ) -> int:
        """Release every hold on the order's card payments, then void it."""
        return self.refunds.void_order(
            order=order, reason=reason, authorization=authorization, shift_id=shift_id
        )

    def send_refunds(self, refund_id: UUID) -> list[str]:
        """Send a refund's card allocations to the gateway; returns problems for the cashier."""
        return self.refunds.send_refunds(refund_id)

    def retry_pending_refunds(self) -> list[str]:
        return self.refunds.retry_pending_refunds()

    # --- the reader's screen ------------------------------------------------------------------

    def show_cart(self, order: Order) -> None:
        self.display.show_cart(order)

    # --- recovery at start-up -----------------------------------------------------------------

    def recover(self) -> list[str]:
        """`recover_notes`, in English for the log."""
        return [str(note) for note in self.recover_notes()]

    def recover_notes(self) -> list[RecoveryNote]:
        """Settle every attempt a crash left in flight and park what it left unpaid (see
        `Recovery`). Run at start-up, before any sale."""
        return self.recovery.recover_notes()
