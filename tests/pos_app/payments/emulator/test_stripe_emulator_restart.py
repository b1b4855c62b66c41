"""The demo's Stripe (and `pos-app stripe-emulator --data-dir`) keeps its objects across a restart.

Stripe keeps PaymentIntents, charges and refunds for good; the demo's emulator used to keep
them in memory, so a card order from an earlier run could never be refunded ("No such
payment_intent", issue 18).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import stripe

from pos_app.application.card_payments import (
    CardOutcomeKind,
    CardPayments,
    PollPolicy,
    connect_terminal,
)
from pos_app.config import AppConfig
from pos_app.db.database import Database
from pos_app.domain.orders import OrderStatus
from pos_app.domain.shop import Shop
from pos_app.domain.staff import Permission, StaffMember, authorize
from pos_app.domain.tenders import TenderKind, TenderRequest
from pos_app.payments.emulator import StripeEmulator
from pos_app.payments.emulator.persist import FILENAME
from pos_app.payments.runtime import DEMO_STRIPE_DIR
from pos_app.services import refunds
from tests.support.register import open_shift, ring_up
from tests.support.stripe_emulator_cli import end, sdk_client, start_cli
from tests.support.stripe_emulator_fixtures import make_stripe_client
from tests.support.stripe_emulator_flows import (
    create_payment_intent,
    present,
    register_reader,
)
from tests.support.stripe_emulator_flows import process as process_on_reader

pytestmark = pytest.mark.stripe_emulator

FAST = PollPolicy(first_delay_s=0.05, max_delay_s=0.2, reader_timeout_s=15.0, retry_delay_s=0.05)


def test_a_demo_card_sale_is_refunded_after_the_app_restarts(
    db: Database, shop: Shop, staff: dict[str, StaffMember], tmp_path: Path
) -> None:
    config = AppConfig(data_dir=tmp_path / "demo")
    shift_id = open_shift(db, shop, staff["Sam"])
    first = connect_terminal(config, db, shop)
    try:
        card = CardPayments(db, first.terminal, shop=shop, reader_id=first.reader_id, poll=FAST)
        order = ring_up(db, shop, [("FOD-BUR", 2)])
        total = order.totals().total_minor
        payment_id = card.start(
            order=order,
            amount_minor=total,
            tip_minor=0,
            staff=staff["Alex"],
            shift_id=shift_id,
        )
        outcome = card.watch(payment_id)  # the demo reader taps a card by itself
        assert outcome.kind is CardOutcomeKind.APPROVED, outcome.message
        placed = card.finalize(
            order=order,
            tenders=[TenderRequest(TenderKind.CARD, total, 0, payment_id)],
            staff=staff["Alex"],
            shift_id=shift_id,
        )
        sold_on_reader = first.reader_id
    finally:
        first.close()
    assert (config.data_dir / DEMO_STRIPE_DIR / FILENAME).is_file()

    second = connect_terminal(config, db, shop)
    try:
        assert second.emulator is not None
        assert second.reader_id == sold_on_reader  # registering again replays, as at Stripe
        card = CardPayments(db, second.terminal, shop=shop, reader_id=second.reader_id, poll=FAST)
        approval = authorize(staff["Alex"], Permission.REFUND, staff["Morgan"])
        with db.write() as uow:
            refund = refunds.record_refund(
                uow,
                order_id=placed.order_id,
                authorization=approval,
                reason="changed their mind",
                amount_minor=placed.totals.total_minor,
            )
        assert card.send_refunds(refund.refund_id) == []
        with db.read() as uow:
            final = uow.orders.get(placed.order_id)
        assert final is not None
        assert final.status is OrderStatus.REFUNDED
        [stripe_refund] = second.emulator.refunds.values()
        assert stripe_refund["amount"] == total
        assert stripe_refund["status"] == "succeeded"
    finally:
        second.close()


def test_the_cli_emulator_killed_mid_run_still_has_the_sale_for_the_refund(tmp_path: Path) -> None:
    """Written through after every request: even `kill -9` right after the capture loses
    nothing, and a refund from a new process (through the SDK) finds the PaymentIntent."""
    data_dir = str(tmp_path / "stripe")
    first = start_cli(tmp_path / "home", "--data-dir", data_dir)
    try:
        with sdk_client(first) as client:
            reader = register_reader(client)
            intent = create_payment_intent(client, 2500)
            process_on_reader(client, reader.id, intent.id)
            present(client, reader.id)
            captured = client.v1.payment_intents.capture(
                intent.id, options={"idempotency_key": "c1"}
            )
            assert captured.status == "succeeded"
    finally:
        end(first.process, kill=True)  # no clean shutdown

    second = start_cli(tmp_path / "home", "--data-dir", data_dir)
    try:
        with sdk_client(second) as client:
            again = client.v1.payment_intents.capture(intent.id, options={"idempotency_key": "c1"})
            assert again.last_response is not None
            assert again.last_response.headers.get("Idempotent-Replayed") == "true"
            refund = client.v1.refunds.create({"payment_intent": intent.id, "amount": 1000})
            assert refund.status == "succeeded"
            charge = client.v1.charges.retrieve(str(captured.latest_charge))
            assert charge.amount_refunded == 1000
            assert client.v1.terminal.readers.retrieve(reader.id).status == "online"
            with pytest.raises(stripe.InvalidRequestError) as refused:
                client.v1.refunds.create({"payment_intent": intent.id, "amount": 2000})
            assert refused.value.param == "amount"
    finally:
        end(second.process)


def test_a_restart_keeps_order_deletions_the_clock_and_authorization_expiry(
    tmp_path: Path,
) -> None:
    """Lists stay newest first, a deleted reader stays deleted, emulator time does not jump
    back, and an authorization held across the restart still expires after two days
    (https://docs.stripe.com/terminal/payments/collect-card-payment?terminal-sdk-platform=server-driven#capture-payment)."""
    first = StripeEmulator(data_dir=tmp_path).start()
    client, http_client = make_stripe_client(first)
    try:
        reader = register_reader(client)
        spare = register_reader(client)
        client.v1.terminal.readers.delete(spare.id)
        older = [create_payment_intent(client).id for _ in range(2)]
        held = create_payment_intent(client)
        process_on_reader(client, reader.id, held.id)
        present(client, reader.id)
        first.advance_clock(3600)
        offset = first.clock.offset
    finally:
        http_client.close()
        first.stop()

    second = StripeEmulator(data_dir=tmp_path).start()
    client, http_client = make_stripe_client(second)
    try:
        listed = [pi.id for pi in client.v1.payment_intents.list({"limit": 3}).data]
        assert listed == [held.id, *reversed(older)]
        with pytest.raises(stripe.InvalidRequestError) as missing:
            client.v1.terminal.readers.retrieve(spare.id)
        assert missing.value.http_status == 404
        assert second.clock.offset == offset
        assert client.v1.payment_intents.retrieve(held.id).status == "requires_capture"
        second.advance_clock(2 * 86400)
        expired = client.v1.payment_intents.retrieve(held.id)
        assert (expired.status, expired.cancellation_reason) == ("canceled", "automatic")
    finally:
        http_client.close()
        second.stop()
