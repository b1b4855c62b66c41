"""A chargeback reaches the register (as the sync pull delivers it) and the manager sends the
order's evidence through Stripe's dispute API (the emulator)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pos_app.application import disputes
from pos_app.application.card_payments import CardOutcomeKind, CardPayments, PollPolicy
from pos_app.db.database import Database
from pos_app.db.repositories.remote import RemoteChangeRepository
from pos_app.domain.errors import ValidationError
from pos_app.domain.shop import Shop
from pos_app.domain.staff import Permission, StaffMember, authorize
from pos_app.domain.tenders import TenderKind, TenderRequest
from pos_app.payments.emulator import StripeEmulator
from pos_app.payments.stripe_terminal import StripeSettings, StripeTerminal
from tests.support.register import open_shift, ring_up

pytestmark = pytest.mark.stripe_emulator


@pytest.fixture
def terminal(stripe_emulator: StripeEmulator) -> Iterator[StripeTerminal]:
    gateway = StripeTerminal(
        StripeSettings(api_key=stripe_emulator.test_key, api_base=stripe_emulator.base_url)
    )
    yield gateway
    gateway.close()


def test_evidence_from_the_order_is_submitted_and_recorded(
    db: Database,
    shop: Shop,
    staff: dict[str, StaffMember],
    stripe_emulator: StripeEmulator,
    terminal: StripeTerminal,
) -> None:
    location = terminal.ensure_location(display_name=shop.name, idempotency_key="loc")
    reader = terminal.register_reader(
        registration_code="simulated-wpe", label="T", location_id=location, idempotency_key="r"
    ).reader_id
    shift_id = open_shift(db, shop, staff["Sam"])
    card = CardPayments(
        db,
        terminal,
        shop=shop,
        reader_id=reader,
        poll=PollPolicy(first_delay_s=0.01, max_delay_s=0.05),
    )
    order = ring_up(db, shop, [("FOD-BUR", 1), ("DRK-COL", 1)])
    total = order.totals().total_minor
    payment_id = card.start(order=order, amount_minor=total, staff=staff["Alex"], shift_id=shift_id)
    stripe_emulator.present_card(reader, number="4242424242424242")
    assert card.watch(payment_id).kind is CardOutcomeKind.APPROVED
    card.finalize(
        order=order,
        tenders=[TenderRequest(TenderKind.CARD, total, 0, payment_id)],
        staff=staff["Alex"],
        shift_id=shift_id,
    )
    [intent] = stripe_emulator.payment_intents.values()
    dispute = stripe_emulator.create_dispute(str(intent["id"]), reason="fraudulent")
    with db.write() as uow:  # what the sync pull stores
        RemoteChangeRepository(uow.session).apply_dispute(
            {
                "id": dispute["id"],
                "order_id": str(order.id),
                "charge_id": dispute["charge"],
                "amount_minor": dispute["amount"],
                "currency": "USD",
                "reason": "fraudulent",
                "status": dispute["status"],
                "evidence_due_by": "2030-01-01T00:00:00+00:00",
                "fee_minor": 1500,
                "outcome": None,
                "updated_at": "2026-01-01T00:00:00+00:00",
            }
        )
    with db.read() as uow:
        [view] = disputes.list_disputes(uow)
        evidence = disputes.build_evidence(uow, dispute_id=str(dispute["id"]))
    assert view.needs_response
    assert view.order_number == order.number
    assert "1 x Classic Burger" in evidence["product_description"]
    assert "ending 4242" in evidence["uncategorized_text"]
    assert "Corner Café" in evidence["uncategorized_text"]
    with pytest.raises(ValidationError, match="manager"):
        disputes.submit_evidence(
            db,
            terminal,
            dispute_id=str(dispute["id"]),
            authorization=authorize(staff["Alex"], Permission.SELL),
        )
    status = disputes.submit_evidence(
        db,
        terminal,
        dispute_id=str(dispute["id"]),
        authorization=authorize(staff["Alex"], Permission.VIEW_REPORTS, staff["Morgan"]),
    )
    assert status == "under_review"
    stored = stripe_emulator.disputes[str(dispute["id"])]
    assert stored["status"] == "under_review"
    assert "Classic Burger" in str(stored["evidence"]["product_description"])
    with db.read() as uow:
        [view] = disputes.list_disputes(uow)
        audit = uow.audit.entries(action="dispute.evidence_submitted")
    assert not view.needs_response
    assert audit[0].approved_by_id == staff["Morgan"].id
