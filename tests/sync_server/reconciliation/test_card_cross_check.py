"""Card cross-check (issue 14): where Stripe's webhooks tell what a PaymentIntent captured, a
pushed order whose card tenders say otherwise (a register under-reporting a card sale to
lower its fee) is flagged in `sync-server reconcile report`; honest sales, tips included,
are not."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import stripe

from pos_app.payments.emulator import StripeEmulator
from tests.support.push_payloads import build_order, build_payment
from tests.support.sync_server_live import run_cli, run_jobs
from tests.support.sync_shop import Register, Shop

pytestmark = [pytest.mark.postgres, pytest.mark.stripe_emulator]


def _report(shop: Shop) -> str:
    for action in (["run"], ["report", "--format", "json"]):
        result = run_cli(shop.settings, "reconcile", *action, "--tenant", shop.tenant.slug)
        assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_card_tender_that_disagrees_with_stripes_capture_is_flagged(
    connected: Shop, stripe_emulator: StripeEmulator, stripe_client: stripe.StripeClient
) -> None:
    register = Register(connected, stripe_client)
    register.sale(2000, number=1, tip=250)  # honest, with a tip
    captured = register.sale(1000, number=2, push_now=False)
    assert isinstance(captured.intent.latest_charge, str)
    # The register says the 10.00 card payment was an 8.00 order.
    _, lowered = build_order(
        lines=[("BRG-1", "Burger", 2, 400, 0)],
        paid_at=datetime.now(UTC),
        currency="USD",
        number=2,
        order_id=captured.order_id,
    )
    payment_id, payment = build_payment(
        captured.order_id,
        lowered,
        gateway_payment_id=captured.intent.id,
        gateway_charge_id=captured.intent.latest_charge,
    )
    register.push(("order", captured.order_id, lowered), ("payment", payment_id, payment))
    assert stripe_emulator.wait_for_webhooks()
    run_jobs(connected.settings)

    report = _report(connected)
    assert '"kind": "card_amount_mismatch"' in report
    assert report.count("card_amount_mismatch") == 1
    assert f'"order_id": "{captured.order_id}"' in report
    assert '"amount_minor": 200' in report
