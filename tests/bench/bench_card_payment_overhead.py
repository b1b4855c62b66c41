"""Issue 3 benchmark: what the register's exactly-once card flow adds to a payment, over the
emulator's own round trips (emulator latency 0).

Baseline, measured in the same run: the bare SDK calls of one payment (create the
PaymentIntent, process it on the reader, present the card, read it back, capture) with no
database at all. The flow under test does the same through `CardPayments` (start, watch,
finalize), which also records the attempt before each call, keeps its status history, and
places the order. Target: at most 30 ms added per payment.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pos_app.application.card_payments import CardOutcomeKind, CardPayments, PollPolicy
from pos_app.db.database import Database
from pos_app.domain.ids import uuid7
from pos_app.domain.tenders import TenderKind, TenderRequest
from pos_app.payments.emulator import StripeEmulator
from pos_app.payments.stripe_terminal import StripeSettings, StripeTerminal
from pos_app.services import shifts
from pos_app.services.setup import seed_demo
from tests.bench.support import measure, report
from tests.support.register import ring_up

pytestmark = pytest.mark.stripe_emulator

RUNS = 150
CARD = "4242424242424242"


def test_card_flow_overhead_over_the_emulator(tmp_path: Path) -> None:
    with StripeEmulator(reader_action_timeout=None) as emulator:
        terminal = StripeTerminal(
            StripeSettings(api_key=emulator.test_key, api_base=emulator.base_url)
        )
        location = terminal.ensure_location(display_name="Bench", idempotency_key="loc")
        reader = terminal.register_reader(
            registration_code="simulated-wpe", label="B", location_id=location, idempotency_key="r"
        ).reader_id

        def bare_payment() -> None:
            key = f"bare-{uuid7()}"
            payment = terminal.create_payment(
                amount_minor=1_234,
                currency="USD",
                metadata={"attempt_id": key},
                description="bench",
                idempotency_key=f"{key}:create",
            )
            terminal.process_on_reader(
                reader_id=reader,
                gateway_payment_id=payment.gateway_payment_id,
                idempotency_key=f"{key}:process",
            )
            emulator.present_card(reader, number=CARD)
            terminal.reader_state(reader)
            terminal.get_payment(payment.gateway_payment_id)
            terminal.capture(payment.gateway_payment_id, idempotency_key=f"{key}:capture")

        db = Database(tmp_path / "register.sqlite3")
        with db.write() as uow:
            shop = seed_demo(uow)
            cashier = next(m for m in uow.staff.all() if m.name == "Alex")
            shift_id = shifts.open_shift(uow, shop=shop, staff=cashier, float_minor=0).id
        card = CardPayments(
            db,
            terminal,
            shop=shop,
            reader_id=reader,
            poll=PollPolicy(first_delay_s=0.001, max_delay_s=0.005),
        )
        template = ring_up(db, shop, [("FOD-BUR", 1), ("DRK-TEA", 1)])  # no stock to run out
        total = template.totals().total_minor

        def app_payment() -> None:
            order = template.clone()
            order.id = uuid7()
            for line in order.lines:
                line.id = uuid7()
            payment_id = card.start(
                order=order, amount_minor=total, staff=cashier, shift_id=shift_id
            )
            emulator.present_card(reader, number=CARD)
            outcome = card.watch(payment_id)
            assert outcome.kind is CardOutcomeKind.APPROVED
            card.finalize(
                order=order,
                tenders=[TenderRequest(TenderKind.CARD, total, 0, payment_id)],
                staff=cashier,
                shift_id=shift_id,
            )

        bare = measure("bare SDK round trips of one payment", bare_payment, runs=RUNS)
        flow = measure("CardPayments start + watch + finalize", app_payment, runs=RUNS)
        report(
            "One card payment over the emulator (latency 0)",
            bare,
            flow,
            baseline=bare,
            target="<= 30 ms added per payment",
        )
        print(
            f"   added by the app: p50 {flow.p50 - bare.p50:6.2f} ms, "
            f"p99 {flow.p99 - bare.p99:6.2f} ms"
        )
        terminal.close()
        db.dispose()
