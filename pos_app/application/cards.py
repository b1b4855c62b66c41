"""Card payments at the counter: a card sale's steps (start, watch, cancel, complete), voids
with a card hold, and the test reader's "tap a card".

One card-sale flow for the pay screen, the CLI and the soak: `start` saves the order and the
attempt and puts the payment on the reader, `watch` waits for the card (with progress, and a
cancel request from the screen), `ask_for_another_card` after a decline, `cancel` lets the
attempt go, `release` lets every approval of an abandoned order go, and `complete` captures
the approvals and places the order. `charge_and_place` drives these steps for the CLI.

The steps take the register's `CardPayments` (the connection to its reader, opened at start-
up) and call the network: run them on the network pool, never on the GUI thread.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING
from uuid import UUID

from pos_app.application._area import Area
from pos_app.application.card_payments import (
    CardApprovalsReleased,
    CardOutcome,
    CardOutcomeKind,
    CardPayments,
    PollPolicy,
)
from pos_app.domain.errors import ValidationError
from pos_app.domain.orders import Order
from pos_app.domain.staff import Authorization, StaffMember
from pos_app.domain.tenders import TenderKind, TenderRequest
from pos_app.services.checkout import PlacedOrder

if TYPE_CHECKING:
    from pos_app.payments.runtime import TerminalRuntime

__all__ = ["CardApprovalsReleased", "CardOutcome", "CardOutcomeKind", "Cards"]

Progress = Callable[[str], None]


class Cards(Area):
    # --- one card sale, step by step ---------------------------------------------------------

    def start(
        self,
        card: CardPayments,
        order: Order,
        *,
        amount_minor: int,
        tip_minor: int,
        staff: StaffMember,
        shift_id: UUID | None,
        taken: Sequence[TenderRequest] = (),
    ) -> UUID:
        """Save the order with what was `taken` for it already (its tender plan), and put a
        card payment of `amount_minor` plus `tip_minor` on the reader. Returns its id."""
        return card.start(
            order=order,
            amount_minor=amount_minor,
            tip_minor=tip_minor,
            staff=staff,
            shift_id=shift_id,
            taken=taken,
        )

    def watch(
        self,
        card: CardPayments,
        payment_id: UUID,
        *,
        on_progress: Progress | None = None,
        cancel_requested: threading.Event | None = None,
    ) -> CardOutcome:
        """Wait for the card on the reader: approved, declined, cancelled or timed out."""
        return card.watch(payment_id, on_progress=on_progress, cancel_requested=cancel_requested)

    def ask_for_another_card(self, card: CardPayments, payment_id: UUID) -> None:
        """After a decline or a timeout: the same payment goes back on the reader for another
        card; then `watch` it again."""
        card.send_to_reader(payment_id)

    def cancel(
        self, card: CardPayments, payment_id: UUID, *, reason: str = "cancelled at the counter"
    ) -> CardOutcome:
        """Let the attempt go, on the reader and at the gateway: nothing stays held."""
        return card.cancel(payment_id, reason=reason)

    def release(
        self, card: CardPayments, order_id: UUID, payment_ids: Sequence[UUID], *, reason: str
    ) -> None:
        """The cashier went back to the order: every approval (and the attempt on the reader)
        is let go, and what was taken for the order is handed back."""
        for payment_id in payment_ids:
            card.cancel(payment_id, reason=reason)
        card.hand_back(order_id)

    def hand_back(self, card: CardPayments, order_id: UUID) -> None:
        """What was taken for the order (cash after a cancelled card) was handed back: its
        saved tender plan goes (database only)."""
        card.hand_back(order_id)

    def complete(
        self,
        card: CardPayments,
        order: Order,
        *,
        tenders: Sequence[TenderRequest],
        staff: StaffMember,
        shift_id: UUID | None,
    ) -> PlacedOrder:
        """Capture the order's card approvals and place it with all its tenders. When it
        cannot be placed, the approvals are released (`CardApprovalsReleased`)."""
        return card.finalize(order=order, tenders=tenders, staff=staff, shift_id=shift_id)

    def left_to_settle(self) -> int:
        """Card payments still in flight plus card refunds not yet sent: what start-up
        recovery (`CardPayments.recover`) has yet to settle."""
        with self.db.read() as uow:
            return len(uow.payments.in_flight()) + len(uow.refunds.pending_allocations())

    # --- voids -------------------------------------------------------------------------------

    def void(
        self,
        card: CardPayments,
        order: Order,
        *,
        reason: str,
        authorization: Authorization,
        shift_id: UUID | None,
    ) -> int:
        """Void an order that holds a card approval: release every hold, then void it.
        (Without a hold: `register.sales.void`, database only.)"""
        return card.void_order(
            order=order, reason=reason, authorization=authorization, shift_id=shift_id
        )

    # --- the whole flow, for scripts -----------------------------------------------------------

    def charge_and_place(
        self,
        order: Order,
        staff: StaffMember,
        *,
        tip_minor: int,
        card_wait_s: float | None = None,
        present_card: str | None = None,
    ) -> PlacedOrder:
        """The whole card sale, waiting for the reader (in demo mode the simulated reader taps
        a card by itself) for at most `card_wait_s` (default: the card flow's reader timeout).
        `present_card` taps that test card on the simulated reader once the payment is on it
        (test keys only). A decline, a cancel, no card in time or an interrupt (Ctrl-C) cancels
        the attempt: nothing stays charged or held, and it raises."""
        from pos_app.payments.terminal import TerminalError

        poll = PollPolicy() if card_wait_s is None else PollPolicy(reader_timeout_s=card_wait_s)
        runtime = self._open_terminal(test_card=present_card is not None)
        try:
            card = CardPayments(
                self.db, runtime.terminal, shop=self.shop, reader_id=runtime.reader_id, poll=poll
            )
            card.recover()
            shift = self._register.shifts.current()
            shift_id = shift.id if shift else None
            total = order.totals().total_minor
            payment_id = self.start(
                card, order, amount_minor=total, tip_minor=tip_minor, staff=staff, shift_id=shift_id
            )
            try:
                if present_card is not None:
                    runtime.terminal.present_test_card(
                        reader_id=runtime.reader_id, card_number=present_card
                    )
                outcome = self.watch(card, payment_id)
            except (KeyboardInterrupt, TerminalError) as error:
                self.cancel(card, payment_id, reason=f"scripted sale: {type(error).__name__}")
                if isinstance(error, TerminalError):
                    raise ValidationError(str(error)) from error
                raise
            if outcome.kind is not CardOutcomeKind.APPROVED:
                if outcome.kind is not CardOutcomeKind.CANCELED:
                    self.cancel(card, payment_id, reason=f"scripted sale: {outcome.kind.value}")
                if outcome.kind is CardOutcomeKind.TIMED_OUT:
                    raise ValidationError(
                        f"no card was presented within {poll.reader_timeout_s:g} s: the card "
                        "payment was cancelled (on a test set-up, `pos-app reader present-card` "
                        "taps a test card)"
                    )
                raise ValidationError(outcome.message)
            return self.complete(
                card,
                order,
                tenders=[TenderRequest(TenderKind.CARD, total, tip_minor, payment_id=payment_id)],
                staff=staff,
                shift_id=shift_id,
            )
        finally:
            runtime.close()

    def present_test_card(self, *, card_number: str | None, wait_s: float) -> str:
        """Stripe's test helper: the "customer" taps a test card on this register's simulated
        reader (for scripted sales and support). Waits up to `wait_s` for a payment to reach
        the reader, so it can be started before or after the sale. Returns the reader's id."""
        from pos_app.payments.terminal import ReaderActionStatus

        runtime = self._open_terminal(test_card=True)
        try:
            deadline = time.monotonic() + wait_s
            while (
                runtime.terminal.reader_state(runtime.reader_id).action_status
                is not ReaderActionStatus.IN_PROGRESS
            ):
                if time.monotonic() > deadline:
                    raise ValidationError(
                        f"no payment reached reader {runtime.reader_id} within {wait_s:g} s: "
                        "start the sale (`pos-app sale --pay card`) first or meanwhile"
                    )
                time.sleep(0.2)
            runtime.terminal.present_test_card(reader_id=runtime.reader_id, card_number=card_number)
            return runtime.reader_id
        finally:
            runtime.close()

    def _open_terminal(self, *, test_card: bool) -> TerminalRuntime:
        from pos_app.application.card_payments import connect_terminal
        from pos_app.payments.runtime import CardUnavailable

        config = self._register.config
        if config is None:
            raise ValidationError("card payments need the register's configuration")
        try:
            runtime = connect_terminal(config, self.db, self.shop)
        except CardUnavailable as error:
            raise ValidationError(f"card payments are not available: {error}") from error
        refusal = None
        if test_card and runtime.terminal.livemode:
            refusal = (
                "a test card cannot be presented with a live Stripe key: the customer taps a "
                "real card on the real reader"
            )
        elif test_card and runtime.emulator is not None:
            refusal = "the demo's simulated reader taps a test card by itself"
        if refusal is not None:
            runtime.close()
            raise ValidationError(refusal)
        return runtime
