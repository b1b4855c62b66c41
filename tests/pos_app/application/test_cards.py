"""The card-sale flow of the application API against the Stripe emulator: start, watch, another
card after a decline, cancel, release, complete; voids with a hold; card refunds."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pos_app.application.card_payments import CardPayments, PollPolicy
from pos_app.application.cards import CardOutcomeKind
from pos_app.application.register import Register
from pos_app.domain.orders import Order, OrderStatus
from pos_app.domain.staff import Permission, StaffMember, authorize
from pos_app.domain.tenders import TenderKind, TenderRequest
from pos_app.payments.emulator import StripeEmulator
from pos_app.payments.stripe_terminal import StripeSettings, StripeTerminal
from tests.pos_app.application.conftest import audit

pytestmark = pytest.mark.stripe_emulator

APPROVE = "4242424242424242"
DECLINE = "4000000000000002"
FAST = PollPolicy(first_delay_s=0.01, max_delay_s=0.05, reader_timeout_s=5.0, retry_delay_s=0.01)


@pytest.fixture
def card(register: Register, stripe_emulator: StripeEmulator) -> Iterator[CardPayments]:
    """The register's connection to its reader, as the counter opens it at start-up."""
    terminal = StripeTerminal(
        StripeSettings(
            api_key=stripe_emulator.test_key,
            api_base=stripe_emulator.base_url,
            read_timeout_s=2.0,
            connect_timeout_s=1.0,
            max_network_retries=1,
        )
    )
    location = terminal.ensure_location(display_name="Shop", idempotency_key="loc")
    reader = terminal.register_reader(
        registration_code="simulated-wpe", label="Till 1", location_id=location,
        idempotency_key="reader",
    )  # fmt: skip
    yield CardPayments(
        register.db, terminal, shop=register.shop, reader_id=reader.reader_id, poll=FAST
    )
    terminal.close()


def _stored(register: Register, order: Order) -> Order:
    with register.db.read() as uow:
        stored = uow.orders.get(order.id)
    assert stored is not None
    return stored


def test_a_declined_card_then_another_then_complete_with_cash(
    register: Register,
    card: CardPayments,
    stripe_emulator: StripeEmulator,
    staff: dict[str, StaffMember],
) -> None:
    shift = register.shifts.open(staff["Sam"], float_minor=0)
    cards = register.cards
    order = register.sales.ring_up([("FOD-BUR", 1)])
    total = order.totals().total_minor
    cash = TenderRequest(TenderKind.CASH, 500)
    payment_id = cards.start(
        card, order, amount_minor=total - 500, tip_minor=100, staff=staff["Alex"],
        shift_id=shift.id, taken=[cash],
    )  # fmt: skip
    assert register.sales.holds_card_payment(order.id)
    assert cards.left_to_settle() == 1
    stripe_emulator.present_card(card.reader_id, number=DECLINE)
    progress: list[str] = []
    declined = cards.watch(card, payment_id, on_progress=progress.append)
    assert declined.kind is CardOutcomeKind.DECLINED
    assert progress
    cards.ask_for_another_card(card, payment_id)
    stripe_emulator.present_card(card.reader_id, number=APPROVE)
    approved = cards.watch(card, payment_id)
    assert approved.kind is CardOutcomeKind.APPROVED
    placed = cards.complete(
        card,
        order,
        tenders=[
            TenderRequest(
                TenderKind.CARD, total - 500, 100, payment_id=payment_id,
                card_brand=approved.card_brand, card_last4=approved.card_last4,
            ),
            cash,
        ],
        staff=staff["Alex"],
        shift_id=shift.id,
    )  # fmt: skip
    stored = _stored(register, order)
    assert stored.status is OrderStatus.PAID
    assert sorted(t.kind.value for t in stored.tenders) == ["card", "cash"]
    assert placed.order_id == order.id
    with register.db.read() as uow:
        payment = uow.payments.get(payment_id)
    assert payment is not None
    assert payment.status == "captured"
    assert not register.sales.holds_card_payment(order.id)
    assert cards.left_to_settle() == 0

    refund = register.refunds.record(
        order.id,
        authorization=authorize(staff["Sam"], Permission.REFUND),
        reason="wrong order",
        amount_minor=300,
        shift_id=shift.id,
    )
    assert refund.card_allocation_ids
    assert register.refunds.send_to_cards(card, refund.refund_id) == []
    assert stripe_emulator.refunds


def test_cancel_and_release_leave_nothing_held(
    register: Register, card: CardPayments, staff: dict[str, StaffMember]
) -> None:
    shift = register.shifts.open(staff["Sam"], float_minor=0)
    cards = register.cards
    order = register.sales.ring_up([("FOD-BUR", 1)])
    total = order.totals().total_minor
    first = cards.start(
        card, order, amount_minor=total, tip_minor=0, staff=staff["Alex"], shift_id=shift.id
    )
    assert cards.cancel(card, first).kind is CardOutcomeKind.CANCELED
    [canceled] = audit(register, "payment.canceled")
    assert canceled.details == {"payment_id": str(first), "reason": "cancelled at the counter"}

    second = cards.start(
        card, order, amount_minor=total - 200, tip_minor=0, staff=staff["Alex"],
        shift_id=shift.id, taken=[TenderRequest(TenderKind.CASH, 200)],
    )  # fmt: skip
    with register.db.read() as uow:
        assert uow.orders.pending_tenders(order.id)
    cards.release(card, order.id, [second], reason="back to the order")
    reasons = [e.details["reason"] for e in audit(register, "payment.canceled")]
    assert reasons == ["cancelled at the counter", "back to the order"]
    with register.db.read() as uow:
        assert not uow.orders.pending_tenders(order.id)  # the cash was handed back
    assert not register.sales.holds_card_payment(order.id)


def test_void_releases_the_hold_then_voids(
    register: Register, card: CardPayments, staff: dict[str, StaffMember]
) -> None:
    shift = register.shifts.open(staff["Sam"], float_minor=0)
    order = register.sales.ring_up([("FOD-BUR", 1)])
    payment_id = register.cards.start(
        card, order, amount_minor=order.totals().total_minor, tip_minor=0,
        staff=staff["Alex"], shift_id=shift.id,
    )  # fmt: skip
    number = register.cards.void(
        card,
        order,
        reason="customer left",
        authorization=authorize(staff["Sam"], Permission.VOID),
        shift_id=shift.id,
    )
    stored = _stored(register, order)
    assert stored.status is OrderStatus.VOIDED
    assert stored.number == number
    [released] = audit(register, "payment.canceled")
    assert released.details["payment_id"] == str(payment_id)
    assert released.details["reason"] == "order voided: customer left"
    [voided] = audit(register, "order.voided")
    assert voided.order_id == order.id
