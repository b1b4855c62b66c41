"""A register process for the crash-chaos soak: it sells card and cash orders through the real
services, against the Stripe emulator behind a chaos proxy, until it is killed.

Usage: python -m tests.soak.card_register DATA_DIR SEED
(POS_STRIPE_API_BASE names the proxy, POS_STRIPE_API_KEY the key, as for the app.)

On start it runs the app's own card recovery (`open_terminal`, then `CardPayments.recover`,
as the counter session does when it connects the reader), again while something is left in
flight, as the next start would. Then it prints ``recovered {...}`` and waits for ``go`` on
stdin, so the parent can check the books while nothing moves; ``exit`` ends it cleanly.

Everything else on stdout is one line per step, flushed:
``phase NAME`` just before NAME (a gateway call or a step of the sale; ``NAME:done`` after a
gateway call), and ``paid ORDER_ID NUMBER TOTAL`` once the cashier would see an order paid.
The parent aims its SIGKILL with the phase lines.
"""

from __future__ import annotations

import contextlib
import json
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast
from uuid import UUID

from pos_app.application.card_payments import (
    CardOutcome,
    CardOutcomeKind,
    CardPaymentError,
    CardPayments,
    PollPolicy,
    connect_terminal,
)
from pos_app.application.register import Register
from pos_app.config import load_config
from pos_app.domain.errors import DomainError, NotEnoughStock, OutOfStock
from pos_app.domain.orders import Order
from pos_app.domain.staff import Permission, StaffMember, authorize
from pos_app.domain.tenders import TenderKind, TenderRequest
from pos_app.payments import stripe_terminal
from pos_app.payments.runtime import CardUnavailable, TerminalRuntime
from pos_app.payments.terminal import PaymentTerminal, ReaderActionStatus, TerminalError

#: The emulator's test cards (its cards.py): approved, and declined.
GOOD_CARD = "4242424242424242"
DECLINED_CARD = "4000000000000002"
SKUS = ["COF-ESP", "COF-LAT", "BAK-CRO", "BAK-MUF", "DRK-WAT", "DRK-COL", "FOD-FRI"]
#: Gateway calls announced with a phase line before and after.
ANNOUNCED = frozenset(
    {
        "create_payment",
        "process_on_reader",
        "reader_state",
        "get_payment",
        "capture",
        "cancel_payment",
        "cancel_reader_action",
        "present_test_card",
    }
)
RECOVERY_ROUNDS = 30


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


@dataclass(frozen=True, slots=True)
class QuickStripeSettings(stripe_terminal.StripeSettings):
    """Stripe's own timeouts (20 s to read) would make each black-holed request cost the run
    a minute; the emulator answers on loopback in milliseconds."""

    connect_timeout_s: float = 1.0
    read_timeout_s: float = 2.0


class AnnouncingTerminal:
    """The app's Stripe terminal, printing a phase line around each gateway call."""

    def __init__(self, inner: PaymentTerminal) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._inner, name)
        if name not in ANNOUNCED:
            return attr

        def announced(*args: Any, **kwargs: Any) -> Any:
            say(f"phase {name}")
            result = attr(*args, **kwargs)
            say(f"phase {name}:done")
            return result

        return announced


class CardRegister:
    def __init__(self, data_dir: Path, seed: int) -> None:
        self.rnd = random.Random(seed)
        self.config = load_config(data_dir)
        self.register = Register.open(self.config)
        self.db = self.register.db
        self.shop = self.register.shop
        self.staff: StaffMember = self.register.access.cli_staff(None)
        self.register.shifts.ensure_open(self.staff, float_minor=10_000)
        self.runtime: TerminalRuntime | None = None
        self.card: CardPayments | None = None

    # --- start-up --------------------------------------------------------------------------

    def connect_and_recover(self) -> dict[str, Any]:
        """The counter session's start-up (`CounterSession.start_terminal`), repeated while a
        payment is left in flight, as each later start of the app would repeat it."""
        started = time.monotonic()
        notes: list[str] = []
        rounds = 0
        left = -1
        for rounds in range(1, RECOVERY_ROUNDS + 1):
            try:
                if self.runtime is None:
                    self.runtime = connect_terminal(self.config, self.db, self.shop)
                self.card = CardPayments(
                    self.db,
                    cast(PaymentTerminal, AnnouncingTerminal(self.runtime.terminal)),
                    shop=self.shop,
                    reader_id=self.runtime.reader_id,
                    poll=PollPolicy(reader_timeout_s=3.0, retry_delay_s=0.1),
                )
                notes.extend(self.card.recover())
            except CardUnavailable as error:
                notes.append(f"reader not connected: {error}")
            left = self.register.cards.left_to_settle()
            if self.card is not None and left == 0:
                break
            time.sleep(min(0.1 * rounds, 1.0))
        return {
            "seconds": round(time.monotonic() - started, 3),
            "rounds": rounds,
            "left_in_flight": left,
            "notes": notes,
        }

    # --- selling ---------------------------------------------------------------------------

    def restock(self) -> None:
        """The owner counts the shelves full again (the soak sells far more than a shelf)."""
        authorization = authorize(self.staff, Permission.MANAGE_CATALOG)
        for sku in SKUS:
            product = self.register.catalog.product_by_code(sku)
            if product is not None and product.track_stock:
                self.register.catalog.count_stock(
                    product.id, counted=product.stock_quantity + 500, authorization=authorization
                )

    def shift_id(self) -> UUID | None:
        shift = self.register.shifts.current()
        return shift.id if shift else None

    def new_order(self) -> Order:
        items = [
            (self.rnd.choice(SKUS), self.rnd.randint(1, 3)) for _ in range(self.rnd.randint(1, 3))
        ]
        try:
            return self.register.sales.ring_up(items)
        except OutOfStock:  # the counter refuses what is sold out: the shelf is filled again
            self.restock()
            return self.register.sales.ring_up(items)

    def paid(self, order: Order, tenders: list[TenderRequest]) -> None:
        """Cash for what is left, or the card tenders plus cash: the cashier sees it paid."""
        total = order.totals().total_minor
        card = self.card
        assert card is not None
        for attempt in range(3):
            say(
                "phase finalize"
                if any(t.kind is TenderKind.CARD for t in tenders)
                else "phase cash"
            )
            try:
                if any(t.kind is TenderKind.CARD for t in tenders):
                    placed = self.register.cards.complete(
                        card, order, tenders=tenders, staff=self.staff, shift_id=self.shift_id()
                    )
                else:
                    placed = self.register.sales.place(order, tenders, self.staff)
            except NotEnoughStock:
                self.restock()
                continue
            except CardPaymentError as error:
                say(f"note finalize failed (try {attempt + 1}): {error}")
                time.sleep(0.2)
                continue
            except DomainError as error:
                # E.g. the approval lapsed while capturing: the cashier is told, the order
                # stays open.
                say(f"note order not placed: {type(error).__name__}: {error}")
                return
            say(f"paid {placed.order_id} {placed.number} {total}")
            return
        say(f"note gave up on order {order.id}")

    def cash_rest(self, order: Order, card_tenders: list[TenderRequest]) -> list[TenderRequest]:
        total = order.totals().total_minor
        rest = total - sum(t.amount_minor for t in card_tenders)
        cash = (
            [TenderRequest(TenderKind.CASH, rest + self.rnd.choice([0, 0, 5, 100]))] if rest else []
        )
        return [*card_tenders, *cash]

    def present(self, number: str) -> None:
        """The customer taps a card (Stripe's test helper). A lost answer is fine: if the tap
        did not happen, the watch times out like a customer who walks away."""
        assert self.runtime is not None
        terminal = cast(PaymentTerminal, AnnouncingTerminal(self.runtime.terminal))
        for _ in range(3):
            try:
                terminal.present_test_card(reader_id=self.runtime.reader_id, card_number=number)
                return
            except TerminalError as error:
                if not error.outcome_unknown:
                    return
            with contextlib.suppress(TerminalError):
                state = terminal.reader_state(self.runtime.reader_id)
                if state.action_status is not ReaderActionStatus.IN_PROGRESS:
                    return

    def sell_by_card(self) -> None:
        card = self.card
        assert card is not None
        cards = self.register.cards
        order = self.new_order()
        total = order.totals().total_minor
        # Mostly the whole order; some splits with cash; now and then a card part under
        # Stripe's 50-cent minimum, which it refuses.
        amount = self.rnd.choices(
            [total, self.rnd.randint(min(50, total), total), min(30, total)], weights=[70, 27, 3]
        )[0]
        tip = self.rnd.choice([0, 0, 0, 50, 100])
        scenario = self.rnd.choices(
            ["approve", "decline_then_retry", "decline_then_cash", "cashier_cancel", "release"],
            weights=[65, 10, 8, 9, 8],
        )[0]
        say(f"phase card_sale {scenario}")
        outcome: CardOutcome | None = None
        payment_id: UUID | None = None
        try:
            payment_id = cards.start(
                card,
                order,
                amount_minor=amount,
                tip_minor=tip,
                staff=self.staff,
                shift_id=self.shift_id(),
            )
            if scenario == "cashier_cancel":
                say("phase cashier_cancel")
                cards.cancel(card, payment_id)
            else:
                self.present(DECLINED_CARD if scenario.startswith("decline") else GOOD_CARD)
                outcome = cards.watch(card, payment_id)
                retry = scenario == "decline_then_retry"
                if retry and outcome.kind in (CardOutcomeKind.DECLINED, CardOutcomeKind.TIMED_OUT):
                    cards.ask_for_another_card(card, payment_id)
                    self.present(GOOD_CARD)
                    outcome = cards.watch(card, payment_id)
                if outcome.kind is CardOutcomeKind.APPROVED and scenario == "release":
                    say("phase release")
                    cards.cancel(card, payment_id, reason="back to the order")
                    outcome = None
                elif outcome.kind is not CardOutcomeKind.APPROVED:
                    if outcome.kind is not CardOutcomeKind.CANCELED:
                        cards.cancel(card, payment_id, reason="customer paid another way")
                    outcome = None
        except (CardPaymentError, DomainError) as error:
            # As the pay screen does: the cashier is told, and takes cash instead.
            say(f"note card failed: {type(error).__name__}: {error}")
            if payment_id is not None:
                with contextlib.suppress(CardPaymentError, DomainError):
                    cards.cancel(card, payment_id, reason="customer paid another way")
            outcome = None
        if outcome is not None and payment_id is not None:
            tender = TenderRequest(
                TenderKind.CARD,
                amount,
                tip,
                payment_id=payment_id,
                card_brand=outcome.card_brand,
                card_last4=outcome.card_last4,
            )
            self.paid(order, self.cash_rest(order, [tender]))
        else:
            self.paid(order, self.cash_rest(order, []))

    def sell_for_cash(self) -> None:
        order = self.new_order()
        say("phase cash_sale")
        self.paid(order, self.cash_rest(order, []))

    def run(self) -> None:
        self.restock()
        while True:
            if self.rnd.random() < 0.75:
                self.sell_by_card()
            else:
                self.sell_for_cash()


def main() -> int:
    say("phase boot")
    register = CardRegister(Path(sys.argv[1]), int(sys.argv[2]))
    recovery = register.connect_and_recover()
    say("recovered " + json.dumps(recovery))
    command = sys.stdin.readline().strip()
    if command != "go":
        return 0
    register.run()
    return 0


if __name__ == "__main__":
    # `open_terminal` builds its settings from this name when it runs.
    stripe_terminal.StripeSettings = QuickStripeSettings  # type: ignore[misc]
    raise SystemExit(main())
