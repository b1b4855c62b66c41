"""End to end: a card sale paid through the Stripe emulator and pushed by the register, a
dispute opened by the cardholder's bank, its webhooks reaching `/v1/stripe/webhooks/{tenant}`,
the worker applying them, the dispute linked to its order and pulled by the registers, and the
shop's statement: a lost dispute takes the amount out of the fee base, a won one leaves it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
import stripe
from sqlalchemy import create_engine, text

from pos_app.payments.emulator import StripeEmulator
from sync_server.fees import service as fees
from sync_server.fees.rules import Statement
from sync_server.kit.periods import period_of
from tests.support.stripe_emulator_fixtures import FormHTTPXClient, make_stripe_client
from tests.support.sync_server_live import run_jobs
from tests.support.sync_server_tenants import pair_device, set_stripe_secret
from tests.support.sync_shop import Register, Shop

pytestmark = [pytest.mark.postgres, pytest.mark.stripe_emulator]

DISPUTED_TOTAL = 2500
OTHER_TOTAL = 10_000


def _dispute_row(shop: Shop, dispute_id: str) -> dict[str, Any]:
    engine = create_engine(shop.settings.admin_database_url)
    try:
        with engine.connect() as conn:
            row = conn.execute(
                text(
                    "SELECT order_id, charge_id, amount_minor, currency, reason, status, "
                    "evidence_due_by, fee_minor, outcome FROM disputes "
                    "WHERE tenant_id = :t AND id = :i"
                ),
                {"t": shop.tenant.id, "i": dispute_id},
            ).one()
            return dict(row._mapping)
    finally:
        engine.dispose()


def _statement(shop: Shop) -> Statement:
    engine = create_engine(shop.settings.admin_database_url)
    try:
        with engine.connect() as conn:
            period = period_of(datetime.now(UTC), shop.tenant.timezone)
            (statement,) = fees.statements_for(conn, shop.tenant, period)
            assert fees.verify(conn) == []
            return statement
    finally:
        engine.dispose()


def _delivered_and_handled(shop: Shop, emulator: StripeEmulator) -> None:
    assert emulator.wait_for_webhooks()
    failed = [a for a in emulator.webhook_attempts if not a.ok]
    assert failed == [], failed
    run_jobs(shop.settings)


def test_dispute_created_then_lost_reduces_the_fee_base(
    connected: Shop, stripe_emulator: StripeEmulator, stripe_client: stripe.StripeClient
) -> None:
    register = Register(connected, stripe_client)
    sale = register.sale(DISPUTED_TOTAL, number=1)
    order_id, intent = sale.order_id, sale.intent
    register.sale(OTHER_TOTAL, number=2)
    _delivered_and_handled(connected, stripe_emulator)
    before = _statement(connected)
    assert (before.gross_minor, before.chargebacks_minor, before.net_minor) == (12_500, 0, 12_500)

    dispute = stripe_emulator.create_dispute(intent.id, reason="fraudulent")
    _delivered_and_handled(connected, stripe_emulator)
    opened = _dispute_row(connected, dispute["id"])
    assert opened == {
        "order_id": order_id,
        "charge_id": intent.latest_charge,
        "amount_minor": DISPUTED_TOTAL,
        "currency": "USD",
        "reason": "fraudulent",
        "status": "needs_response",
        "evidence_due_by": datetime.fromtimestamp(dispute["evidence_details"]["due_by"], UTC),
        "fee_minor": 1500,
        "outcome": None,
    }
    assert _statement(connected).chargebacks_minor == 0  # open: the fee base is untouched

    # Another register of the shop pulls the dispute, with what its disputes screen needs.
    other = pair_device(connected.http, connected.settings, connected.tenant, "Register 2")
    pulled = connected.http.get("/v1/sync/pull", headers=other.headers).json()["changes"]
    (item,) = [c for c in pulled if c["entity"] == "dispute"]
    assert item["id"] == dispute["id"]
    assert {k: item["data"][k] for k in ("order_id", "status", "fee_minor", "amount_minor")} == {
        "order_id": str(order_id),
        "status": "needs_response",
        "fee_minor": 1500,
        "amount_minor": DISPUTED_TOTAL,
    }

    stripe_emulator.resolve_dispute(dispute["id"], won=False)
    _delivered_and_handled(connected, stripe_emulator)
    lost = _dispute_row(connected, dispute["id"])
    assert (lost["status"], lost["outcome"], lost["fee_minor"]) == ("lost", "lost", 1500)
    after = _statement(connected)
    assert (after.gross_minor, after.chargebacks_minor, after.net_minor) == (
        12_500,
        DISPUTED_TOTAL,
        10_000,
    )
    assert after.fee_minor == 100  # 1 % of 10 000
    chargeback = [p for p in after.products if p.sku == ""]
    assert [(p.name, p.net_minor) for p in chargeback] == [
        ("Chargebacks (lost disputes)", -DISPUTED_TOTAL)
    ]


def test_evidence_submitted_and_won_leaves_the_fee_base_whole(
    connected: Shop, stripe_emulator: StripeEmulator, stripe_client: stripe.StripeClient
) -> None:
    register = Register(connected, stripe_client)
    sale = register.sale(DISPUTED_TOTAL, number=7)
    order_id, intent = sale.order_id, sale.intent
    dispute = stripe_emulator.create_dispute(intent.id, reason="product_not_received")
    _delivered_and_handled(connected, stripe_emulator)
    # The manager answers from the register through Stripe's dispute API.
    stripe_client.v1.disputes.update(
        dispute["id"],
        params={"evidence": {"receipt": "Order 7, 2 × Burger", "uncategorized_text": "Picked up"}},
    )
    stripe_client.v1.disputes.update(dispute["id"], params={"submit": True})
    _delivered_and_handled(connected, stripe_emulator)
    assert _dispute_row(connected, dispute["id"])["status"] == "under_review"

    stripe_emulator.resolve_dispute(dispute["id"], won=True)
    _delivered_and_handled(connected, stripe_emulator)
    won = _dispute_row(connected, dispute["id"])
    assert (won["order_id"], won["status"], won["outcome"], won["fee_minor"]) == (
        order_id,
        "won",
        "won",
        0,  # the emulator gives the dispute fee back on a win
    )
    statement = _statement(connected)
    assert (statement.chargebacks_minor, statement.net_minor) == (0, DISPUTED_TOTAL)


def _final_state(
    shop: Shop, dispute: dict[str, Any], order_id: uuid.UUID, intent: stripe.PaymentIntent
) -> tuple[Any, ...]:
    """What must not depend on delivery order (ids differ from one emulator to the other)."""
    statement = _statement(shop)
    row = _dispute_row(shop, dispute["id"])
    assert row.pop("order_id") == order_id
    assert row.pop("charge_id") == intent.latest_charge
    due_by = row.pop("evidence_due_by")
    assert due_by == datetime.fromtimestamp(dispute["evidence_details"]["due_by"], UTC)
    return (
        tuple(sorted(row.items())),
        statement.gross_minor,
        statement.chargebacks_minor,
        statement.net_minor,
        statement.fee_minor,
    )


def test_duplicated_and_shuffled_deliveries_reach_the_same_final_state(
    shop: Shop, make_stripe_emulator: Any, stripe_emulator: StripeEmulator
) -> None:
    """The same story twice: delivered in order to one shop; to another, only after it all
    happened, shuffled, then everything again in another order, then one event again."""
    in_order = shop
    secret = stripe_emulator.add_webhook_endpoint(in_order.webhook_url)
    set_stripe_secret(in_order.settings, in_order.tenant, secret)
    results = []
    clients: list[FormHTTPXClient] = []
    for emulator, target in ((stripe_emulator, in_order), (make_stripe_emulator(), None)):
        client, http_client = make_stripe_client(emulator)
        clients.append(http_client)
        if target is None:
            target = _second_shop(shop)
        register = Register(target, client)
        sale = register.sale(DISPUTED_TOTAL, number=3)
        order_id, intent = sale.order_id, sale.intent
        register.sale(OTHER_TOTAL, number=4)
        dispute = emulator.create_dispute(intent.id)
        emulator.resolve_dispute(dispute["id"], won=False)
        if target is in_order:
            _delivered_and_handled(target, emulator)
        else:
            late = emulator.add_webhook_endpoint(target.webhook_url)
            set_stripe_secret(target.settings, target.tenant, late)
            events = [event["id"] for event in emulator.events]
            order = emulator.deliver_shuffled(events, seed=11)
            assert order != events
            _delivered_and_handled(target, emulator)
            emulator.deliver_shuffled(events, seed=12)
            emulator.redeliver(order[0])
            _delivered_and_handled(target, emulator)
            outcomes = _outcomes(target)
            assert len(outcomes) == len(events)  # each event stored and applied once
            assert any("older than the state applied" in outcome for outcome in outcomes)
        results.append(_final_state(target, dispute, order_id, intent))
    for http_client in clients:
        http_client.close()
    assert results[0] == results[1]
    assert results[0][1:] == (12_500, DISPUTED_TOTAL, 10_000, 100)


def _outcomes(shop: Shop) -> list[str]:
    engine = create_engine(shop.settings.admin_database_url)
    try:
        with engine.connect() as conn:
            return list(
                conn.execute(
                    text("SELECT outcome FROM stripe_events WHERE tenant_id = :t"),
                    {"t": shop.tenant.id},
                ).scalars()
            )
    finally:
        engine.dispose()


def _second_shop(shop: Shop) -> Shop:
    """Another tenant on the same server (its own endpoint and secret)."""
    from tests.support.sync_server_tenants import create_tenant

    tenant = create_tenant(shop.settings, currency="USD", timezone="America/New_York")
    device = pair_device(shop.http, shop.settings, tenant)
    return Shop(shop.settings, shop.live, shop.http, tenant, device)
