"""The card flow against the Stripe emulator over loopback: approve, declines, reader trouble,
cancels, unknown outcomes, crashes at each step, refunds. Every request is checked against
Stripe's OpenAPI description by the emulator fixture."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import pytest
import stripe
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pos_app.application.card_payments import (
    REFUND_REFUSALS,
    REFUSED_REFUND_HINT,
    CardApprovalsReleased,
    CardOutcomeKind,
    CardPaymentError,
    CardPayments,
    PollPolicy,
)
from pos_app.db.database import Database
from pos_app.domain.errors import NotEnoughStock, ValidationError
from pos_app.domain.ids import uuid7
from pos_app.domain.orders import Order, OrderStatus
from pos_app.domain.refunds import LineRefundRequest
from pos_app.domain.shop import Shop
from pos_app.domain.staff import Permission, StaffMember, authorize
from pos_app.domain.tenders import TenderKind, TenderRequest
from pos_app.payments.emulator import FaultKind, StripeEmulator
from pos_app.payments.stripe_terminal import StripeSettings, StripeTerminal
from pos_app.services import checkout, refunds
from pos_app.services.checkout import PlacedOrder
from tests.support.register import open_shift, ring_up

pytestmark = pytest.mark.stripe_emulator

APPROVE_CARD = "4242424242424242"
DECLINE_CARD = "4000000000000002"  # generic_decline whatever the amount
FAST = PollPolicy(first_delay_s=0.01, max_delay_s=0.05, reader_timeout_s=5.0, retry_delay_s=0.01)


@dataclass
class Counter:
    db: Database
    shop: Shop
    staff: dict[str, StaffMember]
    emulator: StripeEmulator
    terminal: StripeTerminal
    reader_id: str
    shift_id: UUID

    def payments(self, monotonic: Callable[[], float] | None = None) -> CardPayments:
        return CardPayments(
            self.db,
            self.terminal,
            shop=self.shop,
            reader_id=self.reader_id,
            poll=FAST,
            monotonic=monotonic or time.monotonic,
        )

    def order(self, *items: tuple[str, int]) -> Order:
        return ring_up(self.db, self.shop, list(items) or [("FOD-BUR", 1)])

    def intents_for(self, order: Order) -> list[dict[str, object]]:
        return [
            pi
            for pi in self.emulator.payment_intents.values()
            if pi["metadata"].get("order_id") == str(order.id)
        ]


@pytest.fixture
def counter(
    db: Database, shop: Shop, staff: dict[str, StaffMember], stripe_emulator: StripeEmulator
) -> Iterator[Counter]:
    terminal = StripeTerminal(
        StripeSettings(
            api_key=stripe_emulator.test_key,
            api_base=stripe_emulator.base_url,
            read_timeout_s=2.0,
            connect_timeout_s=1.0,
            max_network_retries=1,
        )
    )
    location = terminal.ensure_location(display_name=shop.name, idempotency_key="loc")
    reader = terminal.register_reader(
        registration_code="simulated-wpe",
        label="Till 1",
        location_id=location,
        idempotency_key="reader",
    )
    shift_id = open_shift(db, shop, staff["Sam"])
    yield Counter(db, shop, staff, stripe_emulator, terminal, reader.reader_id, shift_id)
    terminal.close()


def start_and_present(
    counter: Counter,
    card: CardPayments,
    order: Order,
    *,
    amount: int | None = None,
    tip: int = 0,
    number: str = APPROVE_CARD,
) -> UUID:
    total = order.totals().total_minor
    payment_id = card.start(
        order=order,
        amount_minor=amount or total,
        tip_minor=tip,
        staff=counter.staff["Alex"],
        shift_id=counter.shift_id,
    )
    counter.emulator.present_card(counter.reader_id, number=number)
    return payment_id


def pay_by_card(
    counter: Counter, card: CardPayments, order: Order, *, tip: int = 0, cash_minor: int = 0
) -> tuple[PlacedOrder, UUID]:
    """Approve and finalize a card payment for the order (less `cash_minor`, paid in cash)."""
    charged = order.totals().total_minor - cash_minor
    payment_id = start_and_present(counter, card, order, amount=charged, tip=tip)
    outcome = card.watch(payment_id)
    assert outcome.kind is CardOutcomeKind.APPROVED, outcome.message
    cash = [TenderRequest(TenderKind.CASH, cash_minor)] if cash_minor else []
    return card.finalize(
        order=order,
        tenders=[TenderRequest(TenderKind.CARD, charged, tip, payment_id), *cash],
        staff=counter.staff["Alex"],
        shift_id=counter.shift_id,
    ), payment_id


def test_approve_capture_and_record_in_one_step(counter: Counter) -> None:
    card = counter.payments()
    order = counter.order(("FOD-BUR", 1), ("DRK-COL", 2))
    progress: list[str] = []
    payment_id = start_and_present(counter, card, order, tip=200)
    outcome = card.watch(payment_id, on_progress=progress.append)
    assert outcome.kind is CardOutcomeKind.APPROVED
    assert (outcome.card_brand, outcome.card_last4) == ("visa", "4242")
    assert progress[0].startswith("Waiting for the customer's card")
    total = order.totals().total_minor
    placed = card.finalize(
        order=order,
        tenders=[TenderRequest(TenderKind.CARD, total, 200, payment_id)],
        staff=counter.staff["Alex"],
        shift_id=counter.shift_id,
    )
    with counter.db.read() as uow:
        paid = uow.orders.get(placed.order_id)
        payment = uow.payments.get(payment_id)
        history = [status for status, _ in uow.payments.history(payment_id)]
    assert paid is not None
    assert paid.status is OrderStatus.PAID
    assert paid.tenders[0].card_last4 == "4242"
    assert paid.tenders[0].tip_minor == 200
    assert payment is not None
    assert payment.status == "captured"
    assert payment.captured_minor == total + 200
    assert history[0] == "pending"
    assert history[-1] == "captured"
    [intent] = counter.intents_for(order)
    assert intent["status"] == "succeeded"
    assert intent["amount_received"] == total + 200
    assert intent["metadata"]["attempt_id"] == str(payment_id)  # type: ignore[index]
    assert intent["capture_method"] == "manual"


@pytest.mark.parametrize(
    ("cents", "decline_code", "words"),
    [
        (1, "call_issuer", "card's bank"),
        (5, "generic_decline", "Card declined"),
        (55, "incorrect_pin", "Wrong PIN"),
        (65, "withdrawal_count_limit_exceeded", "limit"),
        (75, "pin_try_exceeded", "Too many wrong PINs"),
    ],
)
def test_each_test_amount_decline_gives_a_clear_message(
    counter: Counter, cents: int, decline_code: str, words: str
) -> None:
    card = counter.payments()
    order = counter.order(("FOD-BUR", 1))
    amount = 1000 + cents  # part of the order on card: the decimals pick the outcome
    payment_id = start_and_present(counter, card, order, amount=amount)
    outcome = card.watch(payment_id)
    assert outcome.kind is CardOutcomeKind.DECLINED
    assert outcome.decline_code == decline_code
    assert words in outcome.message
    with counter.db.read() as uow:
        payment = uow.payments.get(payment_id)
    assert payment is not None
    assert payment.status == "declined"


def test_a_declined_card_leaves_the_same_payment_ready_for_another_card(counter: Counter) -> None:
    card = counter.payments()
    order = counter.order(("FOD-SAL", 1))
    payment_id = start_and_present(counter, card, order, number=DECLINE_CARD)
    assert card.watch(payment_id).kind is CardOutcomeKind.DECLINED
    card.send_to_reader(payment_id)
    counter.emulator.present_card(counter.reader_id, number=APPROVE_CARD)
    assert card.watch(payment_id).kind is CardOutcomeKind.APPROVED
    [intent] = counter.intents_for(order)  # one PaymentIntent, two cards
    assert intent["status"] == "requires_capture"
    keys = [
        r.headers.get("Idempotency-Key")
        for r in counter.emulator.requests
        if r.path.endswith("/process_payment_intent")
    ]
    assert len(set(keys)) == 2, "each try on the reader has its own idempotency key"


def test_reader_offline_and_busy_are_refused_with_actionable_messages(counter: Counter) -> None:
    card = counter.payments()
    counter.emulator.set_reader_online(counter.reader_id, False)
    with pytest.raises(CardPaymentError, match="reader is offline"):
        card.start(
            order=counter.order(),
            amount_minor=100,
            staff=counter.staff["Alex"],
            shift_id=counter.shift_id,
        )
    counter.emulator.set_reader_online(counter.reader_id, True)
    counter.emulator.set_reader_busy(counter.reader_id, True)
    with pytest.raises(CardPaymentError, match="busy"):
        card.start(
            order=counter.order(),
            amount_minor=100,
            staff=counter.staff["Alex"],
            shift_id=counter.shift_id,
        )


def test_cashier_cancel_releases_the_authorization_hold(counter: Counter) -> None:
    card = counter.payments()
    order = counter.order()
    payment_id = card.start(
        order=order,
        amount_minor=order.totals().total_minor,
        staff=counter.staff["Alex"],
        shift_id=counter.shift_id,
    )
    cancel = threading.Event()
    cancel.set()
    outcome = card.watch(payment_id, cancel_requested=cancel)
    assert outcome.kind is CardOutcomeKind.CANCELED
    [intent] = counter.intents_for(order)
    assert intent["status"] == "canceled"
    reader = counter.emulator.readers[counter.reader_id]
    assert reader["action"] is None or reader["action"]["status"] != "in_progress"


def test_cancel_after_approval_voids_the_hold(counter: Counter) -> None:
    card = counter.payments()
    order = counter.order()
    payment_id = start_and_present(counter, card, order)
    assert card.watch(payment_id).kind is CardOutcomeKind.APPROVED
    card.cancel(payment_id)
    [intent] = counter.intents_for(order)
    assert intent["status"] == "canceled"


def test_customer_cancel_on_the_reader(counter: Counter) -> None:
    card = counter.payments()
    order = counter.order()
    payment_id = card.start(
        order=order,
        amount_minor=order.totals().total_minor,
        staff=counter.staff["Alex"],
        shift_id=counter.shift_id,
    )
    counter.emulator.customer_cancel(counter.reader_id)
    outcome = card.watch(payment_id)
    assert outcome.kind is CardOutcomeKind.DECLINED
    assert "customer cancelled" in outcome.message


def test_nobody_taps_a_card_the_reader_times_out(counter: Counter) -> None:
    clock = iter(range(0, 1000, 3))
    card = counter.payments(monotonic=lambda: float(next(clock)))
    order = counter.order()
    payment_id = card.start(
        order=order,
        amount_minor=order.totals().total_minor,
        staff=counter.staff["Alex"],
        shift_id=counter.shift_id,
    )
    outcome = card.watch(payment_id)
    assert outcome.kind is CardOutcomeKind.TIMED_OUT
    assert "did not answer in time" in outcome.message


def test_capture_with_unknown_outcome_is_resolved_by_reading_back(counter: Counter) -> None:
    # The capture is processed, but the connection drops before the answer arrives: the flow
    # re-reads the PaymentIntent, sees it captured, and records the order exactly once.
    counter.emulator.faults.add(
        method="POST", path="/v1/payment_intents/*/capture", kind="drop_after", times=3
    )
    card = counter.payments()
    order = counter.order(("COF-LAT", 1))
    placed, _payment_id = pay_by_card(counter, card, order)
    captures = [r for r in counter.emulator.requests if r.path.endswith("/capture")]
    assert len(captures) >= 2  # the SDK's own retry went through the same key
    assert len({r.headers.get("Idempotency-Key") for r in captures}) == 1
    [intent] = counter.intents_for(order)
    assert intent["status"] == "succeeded"
    assert intent["amount_received"] == placed.totals.total_minor
    with counter.db.read() as uow:
        assert uow.orders.get(placed.order_id).status is OrderStatus.PAID  # type: ignore[union-attr]


def test_a_5xx_on_create_is_retried_with_the_same_key(counter: Counter) -> None:
    counter.emulator.faults.add(
        method="POST", path="/v1/payment_intents", kind="error_after", times=1, status=500
    )
    card = counter.payments()
    order = counter.order()
    pay_by_card(counter, card, order)
    assert len(counter.intents_for(order)) == 1  # processed twice at the gateway, one payment


def test_refunds_partial_full_and_above_the_remainder(counter: Counter) -> None:
    card = counter.payments()
    order = counter.order(("FOD-BUR", 2))
    placed, _payment_id = pay_by_card(counter, card, order)
    approval = authorize(counter.staff["Alex"], Permission.REFUND, counter.staff["Morgan"])
    with counter.db.write() as uow:
        first = refunds.record_refund(
            uow,
            order_id=placed.order_id,
            authorization=approval,
            reason="one was cold",
            lines=[LineRefundRequest(order.lines[0].id, 1)],
        )
    assert card.send_refunds(first.refund_id) == []
    total = placed.totals.total_minor
    with pytest.raises(ValidationError, match="more than what remains"), counter.db.write() as uow:
        refunds.record_refund(
            uow,
            order_id=placed.order_id,
            authorization=approval,
            reason="x",
            amount_minor=total - first.plan.amount_minor + 1,
        )
    with counter.db.write() as uow:
        rest = refunds.record_refund(
            uow,
            order_id=placed.order_id,
            authorization=approval,
            reason="all of it",
            amount_minor=total - first.plan.amount_minor,
        )
    assert card.send_refunds(rest.refund_id) == []
    with counter.db.read() as uow:
        final = uow.orders.get(placed.order_id)
        statuses = {r.status for r in uow.refunds.for_order(placed.order_id)}
    assert final is not None
    assert final.status is OrderStatus.REFUNDED
    assert statuses == {"succeeded"}
    amounts = sorted(int(r["amount"]) for r in counter.emulator.refunds.values())
    assert amounts == sorted([first.plan.amount_minor, total - first.plan.amount_minor])


def test_a_full_refund_gives_the_tip_back_on_the_card(counter: Counter) -> None:
    """Issue 20: 'charged twice': the order and its tip go back to the card in one Stripe
    refund of amount plus tip, which the charge allows (it captured both)."""
    card = counter.payments()
    order = counter.order(("FOD-BUR", 1))
    placed, _payment_id = pay_by_card(counter, card, order, tip=304)
    total = placed.totals.total_minor
    approval = authorize(counter.staff["Alex"], Permission.REFUND, counter.staff["Morgan"])
    with counter.db.write() as uow:
        recorded = refunds.record_refund(
            uow,
            order_id=placed.order_id,
            authorization=approval,
            reason="charged twice",
            amount_minor=total,
            tip_minor=304,
        )
    assert card.send_refunds(recorded.refund_id) == []
    [refund] = counter.emulator.refunds.values()
    assert int(refund["amount"]) == total + 304
    [intent] = counter.intents_for(order)
    assert intent["amount_received"] == total + 304
    with counter.db.read() as uow:
        final = uow.orders.get(placed.order_id)
        stored = uow.refunds.get(recorded.refund_id)
    assert final is not None
    assert final.status is OrderStatus.REFUNDED
    assert final.refunded_minor == total  # the tip apart: not the order's money
    assert stored is not None
    assert (stored.status, stored.tip_minor) == ("succeeded", 304)
    # Nothing is left on the charge: another cent of tip is refused before Stripe is called.
    with pytest.raises(ValidationError), counter.db.write() as uow:
        refunds.record_refund(
            uow,
            order_id=placed.order_id,
            authorization=approval,
            reason="again",
            amount_minor=1,
            tip_minor=1,
        )


def test_split_tender_card_and_cash(counter: Counter) -> None:
    card = counter.payments()
    order = counter.order(("FOD-BUR", 1))
    total = order.totals().total_minor
    payment_id = start_and_present(counter, card, order, amount=total - 500)
    assert card.watch(payment_id).kind is CardOutcomeKind.APPROVED
    placed = card.finalize(
        order=order,
        tenders=[
            TenderRequest(TenderKind.CARD, total - 500, 0, payment_id),
            TenderRequest(TenderKind.CASH, 1000),
        ],
        staff=counter.staff["Alex"],
        shift_id=counter.shift_id,
    )
    assert placed.change_minor == 500
    assert [t.kind for t in placed.tenders] == [TenderKind.CARD, TenderKind.CASH]


def test_a_create_stripe_refuses_ends_the_attempt_instead_of_leaving_it_in_flight(
    counter: Counter,
) -> None:
    card = counter.payments()
    order = counter.order(("FOD-BUR", 1))
    # 30 cents is below Stripe's minimum charge: a definite answer, so the attempt is over
    # (found by both the crash chaos and the order-lifecycle state machine).
    with pytest.raises(CardPaymentError, match="at least"):
        card.start(
            order=order, amount_minor=30, staff=counter.staff["Alex"], shift_id=counter.shift_id
        )
    with counter.db.read() as uow:
        assert uow.payments.in_flight() == []
        [attempt] = uow.payments.for_order(order.id)
    assert attempt.status == "failed"
    assert counter.intents_for(order) == []
    # The next start finds the order saved for the card with nothing in flight: it is parked
    # (to recall or void); nothing is left for every later start to retry.
    assert counter.payments().recover() == [
        f"order {order.number}: left unpaid by the restart, parked"
    ]
    assert counter.payments().recover() == []


def test_recovery_ends_an_attempt_whose_create_stripe_refuses(counter: Counter) -> None:
    # Killed after recording the attempt, before its create call: at the next start the
    # create is sent again, and refused.
    order = counter.order(("FOD-BUR", 1))
    payment_id = uuid7()
    with counter.db.write() as uow:
        checkout.save_open_order(
            uow,
            order=order,
            shop=counter.shop,
            staff=counter.staff["Alex"],
            shift_id=counter.shift_id,
        )
        uow.payments.add(
            payment_id=payment_id,
            order_id=order.id,
            gateway="stripe",
            idempotency_key=f"pos-pay-{payment_id}",
            amount_minor=30,
            tip_minor=0,
            currency=counter.shop.currency,
            reader_id=counter.reader_id,
        )
    notes = counter.payments().recover()
    assert len(notes) == 1
    assert "never started" in notes[0]
    with counter.db.read() as uow:
        assert uow.payments.in_flight() == []
    assert counter.payments().recover() == []


# --- crashes at each step, recovered at the next start -------------------------------------


def test_crash_before_the_create_answer_is_recovered_and_released(counter: Counter) -> None:
    card = counter.payments()
    order = counter.order()
    # Every create is processed but never answered (the SDK's retries and the flow's own
    # read-backs included), then the register dies.
    counter.emulator.faults.add(
        method="POST", path="/v1/payment_intents", kind="drop_after", times=100
    )
    with pytest.raises(CardPaymentError):
        card.start(
            order=order,
            amount_minor=order.totals().total_minor,
            staff=counter.staff["Alex"],
            shift_id=counter.shift_id,
        )
    counter.emulator.faults.clear()
    notes = counter.payments().recover()  # "the next start"
    assert any("released" in note for note in notes)
    intents = counter.intents_for(order)
    assert len(intents) == 1
    assert intents[0]["status"] == "canceled"


def test_crash_after_authorization_releases_the_hold(counter: Counter) -> None:
    card = counter.payments()
    order = counter.order()
    payment_id = start_and_present(counter, card, order)
    assert card.watch(payment_id).kind is CardOutcomeKind.APPROVED
    # the register dies here: the order was never finalised
    notes = counter.payments().recover()
    assert notes == [
        f"order {order.number}: unfinished card payment released (customer not charged)"
    ]
    [intent] = counter.intents_for(order)
    assert intent["status"] == "canceled"
    with counter.db.read() as uow:
        # Parked, so History can recall or void it (an open order belongs to a screen).
        assert uow.orders.get(order.id).status is OrderStatus.PARKED  # type: ignore[union-attr]
        audit = uow.audit.entries(action="payment.recovered")
    assert audit[0].details["action"] == "released"


def test_crash_after_capture_was_sent_records_the_order_at_restart(counter: Counter) -> None:
    card = counter.payments()
    order = counter.order(("DRK-COL", 2))
    payment_id = start_and_present(counter, card, order)
    assert card.watch(payment_id).kind is CardOutcomeKind.APPROVED
    total = order.totals().total_minor

    class Crash(Exception):
        pass

    def crash(*_args: object, **_kwargs: object) -> None:
        raise Crash

    crashing = counter.payments()
    crashing.captures.record_paid = crash  # type: ignore[method-assign,assignment]  # dies after capture
    with pytest.raises(Crash):
        crashing.finalize(
            order=order,
            tenders=[TenderRequest(TenderKind.CARD, total, 0, payment_id)],
            staff=counter.staff["Alex"],
            shift_id=counter.shift_id,
        )
    [intent] = counter.intents_for(order)
    assert intent["status"] == "succeeded"  # money taken, order not yet recorded
    notes = counter.payments().recover()
    assert notes == [f"order {order.number}: captured card payment recorded after a restart"]
    with counter.db.read() as uow:
        paid = uow.orders.get(order.id)
        cola = uow.catalog.by_sku("DRK-COL")
    assert paid is not None
    assert paid.status is OrderStatus.PAID
    assert paid.tenders[0].payment_id == payment_id
    assert cola is not None
    assert cola.stock_quantity == 36 - 2
    assert counter.payments().recover() == []  # nothing left in flight


def test_crash_while_capture_was_in_flight_is_captured_at_restart(counter: Counter) -> None:
    card = counter.payments()
    order = counter.order()
    payment_id = start_and_present(counter, card, order)
    assert card.watch(payment_id).kind is CardOutcomeKind.APPROVED
    total = order.totals().total_minor
    counter.emulator.faults.add(
        method="POST", path="/v1/payment_intents/*/capture", kind="drop_before", times=20
    )
    with pytest.raises(CardPaymentError, match="do not charge the card again"):
        card.finalize(
            order=order,
            tenders=[TenderRequest(TenderKind.CARD, total, 0, payment_id)],
            staff=counter.staff["Alex"],
            shift_id=counter.shift_id,
        )
    counter.emulator.faults.clear()
    notes = counter.payments().recover()
    assert notes == [f"order {order.number}: captured card payment recorded after a restart"]
    [intent] = counter.intents_for(order)
    assert intent["status"] == "succeeded"


def test_void_releases_the_hold_first(counter: Counter) -> None:
    card = counter.payments()
    order = counter.order()
    payment_id = start_and_present(counter, card, order)
    assert card.watch(payment_id).kind is CardOutcomeKind.APPROVED
    number = card.void_order(
        order=order,
        reason="customer left",
        authorization=authorize(counter.staff["Morgan"], Permission.VOID),
        shift_id=counter.shift_id,
    )
    assert number == order.number
    [intent] = counter.intents_for(order)
    assert intent["status"] == "canceled"
    with counter.db.read() as uow:
        assert uow.orders.get(order.id).status is OrderStatus.VOIDED  # type: ignore[union-attr]


# --- random interleavings of faults ---------------------------------------------------------

ENDPOINTS = [
    "/v1/payment_intents",
    "/v1/payment_intents/*/capture",
    "/v1/payment_intents/*",
    "/v1/terminal/readers/*/process_payment_intent",
    "/v1/terminal/readers/*",
    "/v1/payment_intents/*/cancel",
]
KINDS: list[FaultKind] = ["drop_after", "drop_before", "error_after", "error_before"]
faults = st.lists(
    st.tuples(
        st.sampled_from(ENDPOINTS), st.sampled_from(KINDS), st.integers(min_value=1, max_value=4)
    ),
    max_size=4,
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    plan=faults,
    crash_at=st.sampled_from(["none", "after_start", "after_approval", "after_capture"]),
)
def test_random_faults_never_double_charge_or_lose_a_paid_order(
    counter: Counter, plan: list[tuple[str, FaultKind, int]], crash_at: str
) -> None:
    counter.emulator.faults.clear()
    for path, kind, times in plan:
        method = "GET" if path in ("/v1/payment_intents/*", "/v1/terminal/readers/*") else "POST"
        counter.emulator.faults.add(method=method, path=path, kind=kind, times=times)
    order = counter.order(("COF-ESP", 1))
    total = order.totals().total_minor
    card = counter.payments()
    steps: list[Callable[[], object]] = []
    state: dict[str, UUID] = {}

    def start() -> None:
        state["payment"] = card.start(
            order=order, amount_minor=total, staff=counter.staff["Alex"], shift_id=counter.shift_id
        )
        counter.emulator.present_card(counter.reader_id, number=APPROVE_CARD)

    def approve() -> None:
        outcome = card.watch(state["payment"])
        if outcome.kind is not CardOutcomeKind.APPROVED:
            raise CardPaymentError(outcome.message)

    def capture() -> None:
        card.finalize(
            order=order,
            tenders=[TenderRequest(TenderKind.CARD, total, 0, state["payment"])],
            staff=counter.staff["Alex"],
            shift_id=counter.shift_id,
        )

    steps = [start, approve, capture]
    stop = {"none": 3, "after_start": 1, "after_approval": 2, "after_capture": 3}[crash_at]
    for step in steps[:stop]:
        try:
            step()
        except (CardPaymentError, ValidationError):
            break  # the cashier saw an error; the register may restart at any point after
    counter.emulator.faults.clear()
    counter.payments().recover()
    intents = counter.intents_for(order)
    captured = [pi for pi in intents if pi["status"] == "succeeded"]
    held = [pi for pi in intents if pi["status"] == "requires_capture"]
    assert len(captured) <= 1, "charged twice"
    assert not held, "an authorization was left on the customer's card"
    with counter.db.read() as uow:
        stored = uow.orders.get(order.id)
    if captured:
        assert stored is not None, "captured but not recorded"
        assert stored.status is OrderStatus.PAID, "captured but not recorded"
        assert stored.tenders[0].payment_id is not None
    else:
        assert stored is None or stored.status is not OrderStatus.PAID, "paid without money"


@pytest.mark.parametrize(
    ("dashboard_refund", "told"),
    [
        # Refunded in full in Stripe's dashboard: the customer has the money; don't pay twice.
        (None, [REFUND_REFUSALS["charge_already_refunded"]]),
        # 1.00 of it refunded there: Stripe refuses an amount above what is left on the charge.
        (100, ["The card refund was refused", REFUSED_REFUND_HINT]),
    ],
)
def test_a_split_refund_whose_card_part_stripe_refuses_keeps_the_cash_that_went_back(
    counter: Counter, dashboard_refund: int | None, told: list[str]
) -> None:
    # The cash part is handed over as the refund is recorded; then Stripe refuses the card part
    # (400). The cash stays refunded, the card part is released on the order, and the cashier
    # is told whether the customer already has that money back.
    card = counter.payments()
    order = counter.order(("FOD-BUR", 2))
    total = order.totals().total_minor
    placed, _payment_id = pay_by_card(counter, card, order, cash_minor=300)
    [intent] = counter.intents_for(order)
    dashboard = stripe.StripeClient(
        counter.emulator.test_key, base_addresses={"api": counter.emulator.base_url}
    )
    params: dict[str, Any] = {"payment_intent": str(intent["id"])}
    if dashboard_refund is not None:
        params["amount"] = dashboard_refund
    dashboard.v1.refunds.create(params=params)  # type: ignore[arg-type]
    with counter.db.write() as uow:
        recorded = refunds.record_refund(
            uow,
            order_id=placed.order_id,
            authorization=authorize(
                counter.staff["Alex"], Permission.REFUND, counter.staff["Morgan"]
            ),
            reason="both burgers cold",
            amount_minor=total,
            shift_id=counter.shift_id,
        )
    assert recorded.cash_minor == 300
    problems = card.send_refunds(recorded.refund_id)
    assert len(problems) == len(told)
    assert all(p.startswith(t) for p, t in zip(problems, told, strict=True)), problems
    with counter.db.read() as uow:
        refund = uow.refunds.get(recorded.refund_id)
        after = uow.orders.get(placed.order_id)
    assert refund is not None
    assert after is not None
    assert refund.status == "failed"
    assert (after.status, after.refunded_minor) == (OrderStatus.PARTIALLY_REFUNDED, 300)
    assert card.send_refunds(recorded.refund_id) == []  # nothing left to send


def _stock(counter: Counter, sku: str, level: int) -> UUID:
    with counter.db.write() as uow:
        product = uow.catalog.by_sku(sku)
        assert product is not None
        uow.catalog.adjust_stock(product.id, level - uow.catalog.stock_level(product.id))
        return product.id


def test_the_stock_rule_is_checked_before_the_card_is_charged(counter: Counter) -> None:
    card = counter.payments()
    order = counter.order(("DRK-OJ", 2))
    _stock(counter, "DRK-OJ", 1)
    with pytest.raises(NotEnoughStock):
        card.start(
            order=order,
            amount_minor=order.totals().total_minor,
            staff=counter.staff["Alex"],
            shift_id=counter.shift_id,
        )
    assert counter.intents_for(order) == []  # nothing sent to Stripe, nothing held


def test_stock_gone_at_finalize_releases_the_approval_and_leaves_the_order_payable(
    counter: Counter,
) -> None:
    card = counter.payments()
    order = counter.order(("DRK-OJ", 2))
    _stock(counter, "DRK-OJ", 2)
    total = order.totals().total_minor
    payment_id = start_and_present(counter, card, order)
    assert card.watch(payment_id).kind is CardOutcomeKind.APPROVED
    _stock(counter, "DRK-OJ", 1)  # another till sold one meanwhile
    with pytest.raises(CardApprovalsReleased) as refused:
        card.finalize(
            order=order,
            tenders=[TenderRequest(TenderKind.CARD, total, 0, payment_id)],
            staff=counter.staff["Alex"],
            shift_id=counter.shift_id,
        )
    assert refused.value.released == (payment_id,)
    assert isinstance(refused.value.__cause__, NotEnoughStock)
    [intent] = counter.intents_for(order)
    assert intent["status"] == "canceled"  # the customer's hold is released
    with counter.db.read() as uow:
        payment = uow.payments.get(payment_id)
        stored = uow.orders.get(order.id)
    assert payment is not None
    assert payment.status == "canceled"
    assert stored is not None
    assert stored.status is OrderStatus.OPEN
    assert not stored.tenders


def test_a_plan_saved_at_the_card_start_is_done_once_the_order_is_paid_in_cash(
    counter: Counter,
) -> None:
    card = counter.payments()
    order = counter.order(("FOD-BUR", 1))
    total = order.totals().total_minor
    payment_id = card.start(
        order=order,
        amount_minor=total - 100,
        staff=counter.staff["Alex"],
        shift_id=counter.shift_id,
        taken=[TenderRequest(TenderKind.CASH, 100)],
    )
    with counter.db.read() as uow:
        plan = uow.orders.pending_tenders(order.id)
    assert plan is not None
    assert [(t["kind"], t["amount_minor"]) for t in plan["tenders"]] == [("cash", 100)]
    card.cancel(payment_id)  # the customer pays it all in cash instead
    with counter.db.write() as uow:
        checkout.place_order(
            uow,
            order=order,
            tenders=[TenderRequest(TenderKind.CASH, total)],
            shop=counter.shop,
            staff=counter.staff["Alex"],
            shift_id=counter.shift_id,
        )
    with counter.db.read() as uow:
        assert uow.orders.pending_tenders(order.id) is None
    assert card.recover_notes() == []  # nothing to hand back at a restart
