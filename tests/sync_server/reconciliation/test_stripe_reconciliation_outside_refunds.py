"""Reconciliation: refunds made in Stripe's dashboard booked against their orders (the fee base
follows), the register's own refunds left to its push, refunds that fail later, authorization
releases, and the daily flags (uncaptured authorizations, payments no register pushed)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import stripe
from sqlalchemy import Engine, text

from pos_app.payments.emulator import StripeEmulator
from sync_server.db import app_engine, tenant_transaction
from sync_server.reconciliation import service as reconciliation
from sync_server.reconciliation.schemas import EXTERNAL_DEVICE_ID, Flag
from tests.support.sync_server_tenants import pair_device, set_stripe_secret
from tests.support.sync_shop import Register, Shop, statement_now, webhooks_handled

pytestmark = [pytest.mark.postgres, pytest.mark.stripe_emulator]


def _refunds(shop: Shop, admin: Engine) -> list[Any]:
    """Booked refunds, but for the stand-ins `charge.refunded` booked that gave way to the
    refunds they stood for (`reconciliation.reconcile_charge_refunds`)."""
    with admin.connect() as conn:
        return list(
            conn.execute(
                text(
                    "SELECT r.id, r.order_id, r.device_id, r.amount_minor, r.tax_minor, r.status, "
                    "a.gateway_refund_id FROM refunds r JOIN refund_allocations a "
                    "ON a.tenant_id = r.tenant_id AND a.refund_id = r.id "
                    "WHERE r.tenant_id = :t AND NOT (r.status = 'failed' "
                    "AND a.gateway_refund_id LIKE 'unitemised%') ORDER BY r.created_at"
                ),
                {"t": shop.tenant.id},
            )
        )


def _flags(
    shop: Shop, *, include_resolved: bool = False, now: datetime | None = None
) -> list[Flag]:
    engine = app_engine(shop.settings)
    try:
        with tenant_transaction(engine, shop.tenant.id) as conn:
            if now is not None:
                reconciliation.run_daily(conn, tenant=shop.tenant, now=now)
            return reconciliation.report(
                conn, tenant_id=shop.tenant.id, include_resolved=include_resolved
            )
    finally:
        engine.dispose()


def test_a_dashboard_refund_is_booked_against_its_order_and_flagged(
    connected: Shop,
    stripe_emulator: StripeEmulator,
    stripe_client: stripe.StripeClient,
    admin: Engine,
) -> None:
    register = Register(connected, stripe_client)
    sale = register.sale(4000, number=1)
    webhooks_handled(connected, stripe_emulator)
    assert statement_now(connected, admin).net_minor == 4000

    # Someone refunds 1 500 in Stripe's dashboard: no register metadata.
    refund = stripe_client.v1.refunds.create(
        params={"payment_intent": sale.intent.id, "amount": 1500}
    )
    webhooks_handled(connected, stripe_emulator)
    (booked,) = _refunds(connected, admin)
    assert (booked.order_id, booked.device_id, booked.amount_minor, booked.status) == (
        sale.order_id,
        EXTERNAL_DEVICE_ID,
        1500,
        "succeeded",
    )
    assert booked.gateway_refund_id == refund.id
    statement = statement_now(connected, admin)
    assert (statement.refunds_minor, statement.net_minor) == (1500, 2500)
    (flag,) = _flags(connected)
    assert (flag.kind, flag.object_id, flag.order_id, flag.amount_minor) == (
        "external_refund",
        refund.id,
        sale.order_id,
        1500,
    )

    # The same events again change nothing.
    for event in stripe_emulator.events_of_type("refund.created"):
        stripe_emulator.redeliver(event["id"])
    webhooks_handled(connected, stripe_emulator)
    assert len(_refunds(connected, admin)) == 1
    assert statement_now(connected, admin).net_minor == 2500


def test_the_registers_own_refund_is_left_to_its_push(
    connected: Shop,
    stripe_emulator: StripeEmulator,
    stripe_client: stripe.StripeClient,
    admin: Engine,
) -> None:
    sale = Register(connected, stripe_client).sale(4000, number=2)
    stripe_client.v1.refunds.create(
        params={
            "payment_intent": sale.intent.id,
            "amount": 1000,
            "metadata": {"refund_id": str(uuid.uuid4()), "order_id": str(sale.order_id)},
        }
    )
    webhooks_handled(connected, stripe_emulator)
    assert _refunds(connected, admin) == []
    assert _flags(connected) == []
    with admin.connect() as conn:
        kept = conn.execute(
            text(
                "SELECT register_refund_id IS NOT NULL FROM stripe_refunds "
                "WHERE tenant_id = :t AND id NOT LIKE 'unitemised%'"
            ),
            {"t": connected.tenant.id},
        ).scalar_one()
    assert kept is True


def test_a_tip_is_not_refunded_from_the_fee_base(
    connected: Shop,
    stripe_emulator: StripeEmulator,
    stripe_client: stripe.StripeClient,
    admin: Engine,
) -> None:
    sale = Register(connected, stripe_client).sale(2000, number=3, tip=300)
    stripe_client.v1.refunds.create(params={"payment_intent": sale.intent.id})  # all 2 300
    webhooks_handled(connected, stripe_emulator)
    (booked,) = _refunds(connected, admin)
    assert booked.amount_minor == 2000
    assert statement_now(connected, admin).net_minor == 0
    (flag,) = _flags(connected)
    assert "capped from 2300" in flag.detail


def test_a_refund_that_fails_later_is_reversed(
    connected: Shop,
    stripe_emulator: StripeEmulator,
    stripe_client: stripe.StripeClient,
    admin: Engine,
) -> None:
    # Stripe's test card whose refunds succeed at first, then fail.
    sale = Register(connected, stripe_client).sale(3000, number=4, card_number="4000000000005126")
    refund = stripe_client.v1.refunds.create(params={"payment_intent": sale.intent.id})
    assert stripe_emulator.wait_for_webhooks()
    _wait_for_refund_failure(stripe_emulator)
    webhooks_handled(connected, stripe_emulator)
    (booked,) = _refunds(connected, admin)
    assert (booked.status, booked.gateway_refund_id) == ("failed", refund.id)
    statement = statement_now(connected, admin)
    assert (statement.refunds_minor, statement.net_minor) == (0, 3000)


def test_releasing_an_authorization_is_not_a_refund(
    connected: Shop,
    stripe_emulator: StripeEmulator,
    stripe_client: stripe.StripeClient,
    admin: Engine,
) -> None:
    sale = Register(connected, stripe_client).sale(1800, number=5, capture=False)
    stripe_client.v1.payment_intents.cancel(sale.intent.id)
    webhooks_handled(connected, stripe_emulator)
    assert stripe_emulator.events_of_type("refund.created")
    assert _refunds(connected, admin) == []
    assert _flags(connected) == []


def test_an_outside_refund_waits_for_its_order_and_a_dispute_for_its_payment(
    shop: Shop,
    stripe_emulator: StripeEmulator,
    stripe_client: stripe.StripeClient,
    admin: Engine,
) -> None:
    # Only refund and dispute events reach the server: the order's id comes from the register.
    secret = stripe_emulator.add_webhook_endpoint(
        shop.webhook_url, enabled_events=["refund.*", "charge.dispute.*"]
    )
    set_stripe_secret(shop.settings, shop.tenant, secret)
    register = Register(shop, stripe_client)
    refunded = register.sale(5000, number=6, push_now=False)
    disputed = register.sale(2200, number=7, push_now=False)
    refund = stripe_client.v1.refunds.create(
        params={"payment_intent": refunded.intent.id, "amount": 500}
    )
    dispute = stripe_emulator.create_dispute(disputed.intent.id)
    webhooks_handled(shop, stripe_emulator)
    assert _refunds(shop, admin) == []
    (flag,) = _flags(shop)
    assert (flag.kind, flag.object_id) == ("unmatched_refund", refund.id)
    with admin.connect() as conn:
        order_id = conn.execute(
            text("SELECT order_id FROM disputes WHERE tenant_id = :t AND id = :i"),
            {"t": shop.tenant.id, "i": dispute["id"]},
        ).scalar_one()
    assert order_id is None

    register.push_sale(refunded)
    register.push_sale(disputed)
    flags = _flags(shop, include_resolved=True, now=datetime.now(UTC))
    assert {(f.kind, f.resolved_at is not None) for f in flags} == {
        ("unmatched_refund", True),
        ("external_refund", False),
    }
    (booked,) = _refunds(shop, admin)
    assert (booked.order_id, booked.amount_minor) == (refunded.order_id, 500)
    assert statement_now(shop, admin).net_minor == 5000 + 2200 - 500
    other = pair_device(shop.http, shop.settings, shop.tenant, "Register 2")
    pulled = shop.http.get("/v1/sync/pull", headers=other.headers).json()["changes"]
    (item,) = [c for c in pulled if c["entity"] == "dispute"]
    assert item["data"]["order_id"] == str(disputed.order_id)


def test_daily_flags_uncaptured_authorizations_and_unsynced_payments(
    connected: Shop,
    stripe_emulator: StripeEmulator,
    stripe_client: stripe.StripeClient,
) -> None:
    register = Register(connected, stripe_client)
    held = register.sale(1200, number=8, capture=False)
    lost = register.sale(3400, number=9, push_now=False)  # a register that lost its data
    register.sale(900, number=10)  # all fine
    webhooks_handled(connected, stripe_emulator)
    assert _flags(connected, now=datetime.now(UTC)) == []  # too early to tell

    later = datetime.now(UTC) + timedelta(hours=25)
    flags = _flags(connected, now=later)
    assert sorted((f.kind, f.object_id, f.order_id, f.amount_minor) for f in flags) == [
        ("uncaptured_authorization", held.intent.id, held.order_id, 1200),
        ("unsynced_payment", lost.intent.id, lost.order_id, 3400),
    ]
    report = _cli(connected, "reconcile", "report", "--tenant", connected.tenant.slug)
    assert "uncaptured_authorization" in report
    assert lost.intent.id in report

    # The register comes back and pushes; the authorization is captured: flags resolve.
    register.push_sale(lost)
    stripe_client.v1.payment_intents.capture(held.intent.id)
    webhooks_handled(connected, stripe_emulator)
    assert _flags(connected, now=later) == []
    history = _flags(connected, include_resolved=True)
    assert len(history) == 2
    assert all(flag.resolved_at == later for flag in history)


def _cli(shop: Shop, *args: str) -> str:
    env = {
        **os.environ,
        "SYNC_DATABASE_URL": shop.settings.database_url,
        "SYNC_ADMIN_DATABASE_URL": shop.settings.admin_database_url,
    }
    result = subprocess.run(
        [sys.executable, "-m", "sync_server.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _register_refund(
    register: Register,
    sale: Any,
    *,
    cash_minor: int = 0,
    push_now: bool = True,
) -> tuple[uuid.UUID, stripe.Refund, tuple[str, uuid.UUID, dict[str, Any]]]:
    """The register's refund of the whole sale, `cash_minor` of it from the drawer and the rest
    on the card through Stripe (with the register's ids in the metadata, as the app sends)."""
    refund_id, card_id = uuid.uuid4(), uuid.uuid4()
    total = sale.order["total_minor"]
    stripe_refund = register.client.v1.refunds.create(
        params={
            "payment_intent": sale.intent.id,
            "amount": total - cash_minor,
            "metadata": {
                "refund_id": str(refund_id),
                "allocation_id": str(card_id),
                "order_id": str(sale.order_id),
            },
        }
    )
    allocations = [
        {"id": str(card_id), "tender_id": sale.order["tenders"][0]["id"], "kind": "card",
         "amount_minor": total - cash_minor, "status": "succeeded",
         "gateway_refund_id": stripe_refund.id},
    ]  # fmt: skip
    if cash_minor:
        allocations.append(
            {"id": str(uuid.uuid4()), "tender_id": None, "kind": "cash",
             "amount_minor": cash_minor, "status": "succeeded", "gateway_refund_id": None}
        )  # fmt: skip
    data = {
        "order_id": str(sale.order_id),
        "amount_minor": total,
        "tax_minor": 0,
        "reason": "cold",
        "status": "succeeded",
        "created_at": datetime.now(UTC).isoformat(),
        "lines": [
            {"line_id": line["id"], "quantity": line["quantity"],
             "amount_minor": line["total_minor"], "tax_minor": line["tax_minor"]}
            for line in sale.order["lines"]
        ],
        "allocations": allocations,
    }  # fmt: skip
    change = ("refund", refund_id, data)
    if push_now:
        register.push(change)
    return refund_id, stripe_refund, change


def _wait_for_refund_failure(stripe_emulator: StripeEmulator) -> None:
    for _ in range(100):
        if stripe_emulator.events_of_type("refund.updated"):
            return
        stripe_emulator.advance_clock(0)
    raise AssertionError("the emulator never failed the refund")


def test_a_register_refund_that_fails_at_the_bank_later_is_owed_again_and_flagged(
    connected: Shop,
    stripe_emulator: StripeEmulator,
    stripe_client: stripe.StripeClient,
    admin: Engine,
) -> None:
    # Stripe tells the register its refund went through; days later the customer's bank
    # refuses it (test card ...5126). The customer never got the money: the fee base gets it
    # back, the refund is failed on the server, and the shop is told.
    register = Register(connected, stripe_client)
    sale = register.sale(3000, number=10, card_number="4000000000005126")
    refund_id, stripe_refund, _change = _register_refund(register, sale)  # pushed at once
    assert statement_now(connected, admin).refunds_minor == 3000
    _wait_for_refund_failure(stripe_emulator)
    webhooks_handled(connected, stripe_emulator)
    (booked,) = _refunds(connected, admin)
    assert (booked.id, booked.status) == (refund_id, "failed")
    statement = statement_now(connected, admin)  # checks `fees verify` too
    assert (statement.refunds_minor, statement.net_minor) == (0, 3000)
    (flag,) = _flags(connected)
    assert (flag.kind, flag.object_id, flag.order_id, flag.amount_minor) == (
        "failed_refund",
        stripe_refund.id,
        sale.order_id,
        3000,
    )
    # The register pulls the failed card allocation (and marks its refund failed: see
    # pos_app's record_late_failure); pushing its stale view meanwhile changes nothing.
    pulled = connected.http.get("/v1/sync/pull", headers=connected.device.headers).json()
    [allocation] = [c for c in pulled["changes"] if c["entity"] == "refund_allocation"]
    card_allocation = _change[2]["allocations"][0]
    assert allocation["id"] == card_allocation["id"]
    assert (allocation["data"]["status"], allocation["data"]["refund_id"]) == (
        "failed",
        str(refund_id),
    )
    register.push(("refund", refund_id, _change[2]))
    assert statement_now(connected, admin).refunds_minor == 0


def test_a_late_failure_that_arrives_before_the_registers_push_is_applied_to_it(
    connected: Shop,
    stripe_emulator: StripeEmulator,
    stripe_client: stripe.StripeClient,
    admin: Engine,
) -> None:
    # A split refund: 10.00 from the drawer, 20.00 back to the card, which fails at the bank
    # before the (offline) register pushes the refund. Only the cash went back.
    register = Register(connected, stripe_client)
    sale = register.sale(3000, number=11, card_number="4000000000005126")
    refund_id, stripe_refund, change = _register_refund(
        register, sale, cash_minor=1000, push_now=False
    )
    _wait_for_refund_failure(stripe_emulator)
    webhooks_handled(connected, stripe_emulator)
    assert _refunds(connected, admin) == []
    register.push(change)
    (card, cash) = sorted(_allocations(connected, admin), key=lambda a: a.kind)
    assert (card.kind, card.status, cash.kind, cash.status) == (
        "card",
        "failed",
        "cash",
        "succeeded",
    )
    (booked,) = {r.id: r for r in _refunds(connected, admin)}.values()
    assert (booked.id, booked.status) == (refund_id, "failed")
    statement = statement_now(connected, admin)  # checks `fees verify` too
    assert (statement.refunds_minor, statement.net_minor) == (1000, 2000)
    (flag,) = _flags(connected)
    assert (flag.kind, flag.object_id, flag.amount_minor) == (
        "failed_refund",
        stripe_refund.id,
        2000,
    )


def _allocations(shop: Shop, admin: Engine) -> list[Any]:
    with admin.connect() as conn:
        return list(
            conn.execute(
                text(
                    "SELECT kind, status FROM refund_allocations WHERE tenant_id = :t "
                    "AND coalesce(gateway_refund_id, '') NOT LIKE 'unitemised%'"
                ),
                {"t": shop.tenant.id},
            )
        )
