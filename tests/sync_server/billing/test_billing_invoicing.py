"""Closing a month invoices every shop at the platform's Stripe account (issue 23): paid by a
saved card, emailed with the hosted page where there is none, no invoice for a zero fee, a fee
below Stripe's minimum carried to the next month, a late refund credited on the next invoice,
a failing card retried by Stripe, and `fees verify` proving invoiced − credited (+ carried)
equals the ledger's fee and that Stripe agrees."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import httpx
import pytest
from sqlalchemy import Engine, text

from pos_app.payments.emulator import StripeEmulator
from sync_server.config import Settings
from sync_server.jobs import Runtime, close_previous_month, invoice_closed_months
from sync_server.tenants.schemas import Tenant
from tests.support.billing_shops import (
    APRIL,
    MARCH,
    MAY,
    Seller,
    add_owner,
    billing_cli,
    billing_settings,
    close,
    invoice,
    new_shop,
    records,
    save_card,
    stripe_invoices_of,
)
from tests.support.sync_server_live import LiveServer, run_cli, start_live_server

pytestmark = [pytest.mark.postgres, pytest.mark.stripe_emulator]

DAY = 86400


@pytest.fixture
def billing(fresh_settings: Settings, stripe_emulator: StripeEmulator) -> Settings:
    return billing_settings(fresh_settings, stripe_emulator)


@pytest.fixture
def seller(billing: Settings) -> Iterator[Seller]:
    live: LiveServer = start_live_server(billing)
    try:
        with httpx.Client(base_url=live.url, timeout=30) as http:
            yield Seller(http, billing)
    finally:
        live.stop()


def _one(engine: Engine, tenant: Tenant, period: str) -> dict[str, object]:
    found = [dict(row._mapping) for row in records(engine, tenant) if row.period == period]
    assert len(found) == 1, found
    return found[0]


def _verify(billing: Settings, emulator: StripeEmulator) -> str:
    result = billing_cli(billing, emulator, "fees", "verify")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "check invoices: ok" in result.stdout
    assert "check stripe: ok" in result.stdout
    return result.stdout


def test_a_closed_month_invoices_every_shop_once_and_verify_agrees(
    billing: Settings, seller: Seller, admin: Engine, stripe_emulator: StripeEmulator
) -> None:
    emulator = stripe_emulator
    paying = new_shop(billing, currency="EUR")
    emailed = new_shop(billing, currency="USD", timezone="America/New_York")
    free = new_shop(billing, fee_bps=0)
    small = new_shop(billing, currency="EUR")
    add_owner(billing, emailed, "owner@emailed.example")
    save_card(emulator, billing, paying, "pm_card_visa")
    seller.sell(paying, 123_456, MARCH)  # fee 1 234.56 × 1 % = 12.35
    seller.sell(paying, 10_000, MARCH, sku="B")
    seller.sell(emailed, 50_000, MARCH)
    seller.sell(free, 99_999, MARCH)
    seller.sell(small, 3_000, MARCH)  # fee 0.30: below Stripe's 0.50

    close(billing, "2026-03")
    report = invoice(billing)
    assert sorted(report.invoiced) == sorted([(paying.slug, "2026-03"), (emailed.slug, "2026-03")])
    assert report.zero == [(free.slug, "2026-03")]
    assert report.carried == [(small.slug, "2026-03", 30)]
    assert report.failed == []

    # Paid at once with the saved card; the invoice's line sums up the products.
    paid = _one(admin, paying, "2026-03")
    assert (paid["status"], paid["step"], paid["charge_minor"], paid["credit_minor"]) == (
        "paid", "done", 1_335, 0,
    )  # fmt: skip
    assert paid["collection_method"] == "charge_automatically"
    (stripe_paid,) = stripe_invoices_of(emulator, paying)
    assert stripe_paid["status"] == "paid"
    assert stripe_paid["amount_paid"] == 1_335
    assert stripe_paid["metadata"]["billing_invoice_id"] == str(paid["id"])
    assert stripe_paid["metadata"]["period"] == "2026-03"
    (line,) = stripe_paid["lines"]["data"]
    assert line["description"] == (
        "Counter POS fee, March 2026: 1.00% of €1,334.56 net sales. "
        "By product: Product A €12.35, Product B €1.00"
    )

    # No card: emailed with the hosted page, to the owner's address.
    sent = _one(admin, emailed, "2026-03")
    assert (sent["status"], sent["collection_method"], sent["charge_minor"]) == (
        "open", "send_invoice", 500,
    )  # fmt: skip
    assert str(sent["hosted_invoice_url"]).startswith(emulator.base_url)
    page = httpx.get(str(sent["hosted_invoice_url"]))
    assert page.status_code == 200
    assert "$5.00" in page.text
    customer = next(iter(c for c in emulator.customers.values()
                         if c["metadata"].get("tenant_id") == str(emailed.id)))  # fmt: skip
    assert customer["email"] == "owner@emailed.example"
    assert [e["type"] for e in emulator.events_of_type("invoice.sent")] == ["invoice.sent"]

    # Zero fee and below the minimum: nothing at Stripe, the small fee carried, visibly.
    assert stripe_invoices_of(emulator, free) == []
    assert stripe_invoices_of(emulator, small) == []
    carried = _one(admin, small, "2026-03")
    assert (carried["status"], carried["carried_out_minor"]) == ("carried", 30)
    listed = run_cli(billing, "invoices", "list", "--tenant", small.slug)
    assert listed.returncode == 0, listed.stderr
    header, *lines = listed.stdout.splitlines()
    assert header.split("\t") == [
        "shop", "period", "currency", "fee", "invoiced", "credited", "due", "carried-in",
        "carried-out", "status", "step", "stripe-id", "attempts", "last-error",
    ]  # fmt: skip
    (line,) = lines
    assert line.split("\t") == [
        small.slug, "2026-03", "EUR", "30", "0", "0", "0", "0", "30", "carried", "done", "-",
        "0", "-",
    ]  # fmt: skip

    # Running again (the hourly job, a retry) changes nothing: one invoice per shop and month.
    again = invoice(billing, force=True)
    assert (again.invoiced, again.failed, again.zero, again.carried) == ([], [], [], [])
    assert len(emulator.invoices) == 2
    _verify(billing, emulator)

    # April: the carried 0.30 joins April's fee on the next invoice, as a line of its own.
    seller.sell(small, 5_000, APRIL)  # 0.50 + 0.30
    seller.sell(paying, 1_000, APRIL)  # 0.10: carried
    close(billing, "2026-04")
    invoice(billing)
    april = _one(admin, small, "2026-04")
    assert (april["charge_minor"], april["carried_in_minor"], april["status"]) == (80, 30, "open")
    (stripe_april,) = stripe_invoices_of(emulator, small)
    assert sorted(line["amount"] for line in stripe_april["lines"]["data"]) == [30, 50]
    assert _one(admin, paying, "2026-04")["carried_out_minor"] == 10
    _verify(billing, emulator)
    show = billing_cli(billing, emulator, "invoices", "show", "--tenant", small.slug, "2026-04")
    assert show.returncode == 0, show.stderr
    assert '"agrees": true' in show.stdout


def test_a_late_refund_is_a_credit_note_on_the_next_invoice_never_a_negative_one(
    billing: Settings, seller: Seller, admin: Engine, stripe_emulator: StripeEmulator
) -> None:
    emulator = stripe_emulator
    shop = new_shop(billing, currency="EUR")
    save_card(emulator, billing, shop, "pm_card_visa")
    march = seller.sell(shop, 100_000, MARCH)
    close(billing, "2026-03")
    invoice(billing)
    assert _one(admin, shop, "2026-03")["status"] == "paid"

    # A March refund synced after March closed is an April adjustment: April's own fee is
    # invoiced, and what the refund takes off it is a credit note on that invoice.
    seller.refund(shop, march, MARCH.replace(day=20))
    seller.sell(shop, 30_000, APRIL)
    close(billing, "2026-04")
    invoice(billing)
    april = _one(admin, shop, "2026-04")
    # net −70 000 → fee −700: no invoice; the credit is carried to May.
    assert (april["status"], april["carried_out_minor"], april["charge_minor"]) == (
        "carried", -700, 0,
    )  # fmt: skip
    assert len(stripe_invoices_of(emulator, shop)) == 1

    # May: its fee (1 500) is invoiced, the carried credit (700) is a credit note on it.
    seller.sell(shop, 150_000, MAY)
    close(billing, "2026-05")
    invoice(billing)
    may = _one(admin, shop, "2026-05")
    assert (may["charge_minor"], may["credit_minor"], may["carried_in_minor"], may["status"]) == (
        1_500, 700, -700, "paid",
    )  # fmt: skip
    stripe_may = next(
        i for i in stripe_invoices_of(emulator, shop) if i["metadata"]["period"] == "2026-05"
    )
    assert (stripe_may["total"], stripe_may["amount_paid"]) == (1_500, 800)
    (note,) = [n for n in emulator.credit_notes.values() if n["invoice"] == stripe_may["id"]]
    assert (note["amount"], note["type"]) == (700, "pre_payment")
    assert all(i["total"] >= 0 for i in emulator.invoices.values())
    _verify(billing, emulator)


def test_an_adjustment_smaller_than_the_month_is_credited_on_its_invoice(
    billing: Settings, seller: Seller, admin: Engine, stripe_emulator: StripeEmulator
) -> None:
    emulator = stripe_emulator
    shop = new_shop(billing, currency="EUR")
    march = seller.sell(shop, 10_000, MARCH)
    seller.sell(shop, 90_000, MARCH, sku="B")
    close(billing, "2026-03")
    seller.refund(shop, march, MARCH.replace(day=25))  # late: −100 of fee in April
    seller.sell(shop, 200_000, APRIL)
    close(billing, "2026-04")
    invoice(billing)
    april = _one(admin, shop, "2026-04")
    assert (april["fee_minor"], april["charge_minor"], april["credit_minor"]) == (1_900, 2_000, 100)
    stripe_april = next(
        i for i in stripe_invoices_of(emulator, shop) if i["metadata"]["period"] == "2026-04"
    )
    assert (stripe_april["total"], stripe_april["amount_due"], stripe_april["status"]) == (
        2_000, 1_900, "open",
    )  # fmt: skip
    assert stripe_april["pre_payment_credit_notes_amount"] == 100
    # The line's text is its own amount (April's own 2 000.00 of sales), the credit note's
    # memo the adjustment it takes off: the hosted page reads the same as the figures.
    (line,) = stripe_april["lines"]["data"]
    assert line["amount"] == 2_000
    assert line["description"] == "Counter POS fee, April 2026: 1.00% of €2,000.00 net sales"
    (note,) = [n for n in emulator.credit_notes.values() if n["invoice"] == stripe_april["id"]]
    assert note["amount"] == 100
    assert note["memo"] == (
        "Credit: refunds and chargebacks of closed months (€100.00 of net sales, €1.00 of fee)"
    )
    _verify(billing, emulator)


def test_a_failing_card_is_retried_by_stripe_and_a_card_failing_for_good_stays_unpaid(
    billing: Settings, seller: Seller, admin: Engine, stripe_emulator: StripeEmulator
) -> None:
    emulator = stripe_emulator
    recovers = new_shop(billing, currency="EUR")
    fails = new_shop(billing, currency="EUR")
    for shop in (recovers, fails):
        save_card(emulator, billing, shop, "pm_card_chargeCustomerFail")
        seller.sell(shop, 80_000, MARCH)
    close(billing, "2026-03")
    report = invoice(billing)
    assert report.failed == []
    for shop in (recovers, fails):
        record = _one(admin, shop, "2026-03")
        assert (record["status"], record["stripe_attempt_count"]) == ("open", 1)
        assert record["next_payment_attempt"] is not None

    # The owner of one shop saves a working card; Stripe's next attempt (3 days on) pays.
    save_card(emulator, billing, recovers, "pm_card_visa")
    emulator.advance_clock(3 * DAY + 60)
    emulator.advance_clock(5 * DAY + 60)
    emulator.advance_clock(7 * DAY + 60)
    # The hourly run reads the state of invoices still open at Stripe.
    hourly = invoice(billing)
    assert sorted(hourly.updated) == sorted(
        [(recovers.slug, "2026-03", "paid"), (fails.slug, "2026-03", "uncollectible")]
    )
    assert _one(admin, recovers, "2026-03")["status"] == "paid"
    gave_up = _one(admin, fails, "2026-03")
    assert (gave_up["status"], gave_up["stripe_attempt_count"]) == ("uncollectible", 4)
    assert len(emulator.invoices) == 2
    _verify(billing, emulator)


def test_close_period_invoices_and_a_shop_that_fails_does_not_stop_the_others(
    billing: Settings,
    seller: Seller,
    admin: Engine,
    stripe_emulator: StripeEmulator,
) -> None:
    emulator = stripe_emulator
    shops = [new_shop(billing, currency="EUR") for _ in range(3)]
    for shop in shops:
        seller.sell(shop, 70_000, MARCH)
    # Stripe fails the first shop's customer three times: the call and its two retries (one
    # shop at a time, so they are the same shop's).
    emulator.faults.add(method="POST", path="/v1/customers", kind="error_before", times=3)
    closing = billing_cli(
        billing, emulator, "fees", "close-period", "--period", "2026-03", concurrency=1
    )
    assert closing.returncode == 1, closing.stdout + closing.stderr
    assert "invoices: 2 sent, 0 with no fee, 0 carried, 1 failed" in closing.stdout
    assert "failed " in closing.stderr
    assert emulator.test_key not in closing.stdout + closing.stderr
    failed = [r for r in records(admin) if r.step != "done"]
    assert [(r.attempts, bool(r.last_error)) for r in failed] == [(1, True)]
    verify = billing_cli(billing, emulator, "fees", "verify")
    assert verify.returncode == 1
    assert "not finished (step planned, 1 failed attempt(s)" in verify.stderr

    retried = billing_cli(billing, emulator, "invoices", "retry")
    assert retried.returncode == 0, retried.stdout + retried.stderr
    assert "invoices: 1 sent" in retried.stdout
    assert all(r.step == "done" for r in records(admin))
    assert len(emulator.invoices) == 3
    _verify(billing, emulator)


def test_verify_flags_a_shop_whose_stripe_invoice_disagrees(
    billing: Settings, seller: Seller, admin: Engine, stripe_emulator: StripeEmulator
) -> None:
    emulator = stripe_emulator
    shop = new_shop(billing, currency="EUR")
    seller.sell(shop, 90_000, MARCH)
    close(billing, "2026-03")
    invoice(billing)
    (stripe_invoice,) = stripe_invoices_of(emulator, shop)
    voided = httpx.post(
        f"{emulator.base_url}/v1/invoices/{stripe_invoice['id']}/void",
        headers={"Authorization": f"Bearer {emulator.test_key}"},
    )
    assert voided.status_code == 200
    with admin.begin() as conn:
        conn.execute(text("UPDATE billing_invoices SET fee_minor = fee_minor + 1"))
    verify = billing_cli(billing, emulator, "fees", "verify")
    assert verify.returncode == 1
    assert f"shop {shop.slug}:" in verify.stderr
    assert "status: ours open, Stripe's void" in verify.stderr
    assert "!= fee 900" in verify.stderr


def test_the_monthly_job_closes_the_month_then_invoices_it(
    billing: Settings, seller: Seller, admin: Engine, stripe_emulator: StripeEmulator
) -> None:
    shop = new_shop(billing, currency="EUR")
    seller.sell(shop, 65_000, MARCH)
    runtime = Runtime(billing)
    try:
        outcome = close_previous_month(runtime, date(2026, 4, 3))
        assert outcome.startswith(
            "closed 2026-03: 1 statements; invoices: 1 sent, 0 with no fee, 0 carried, 0 failed"
        )
        # The hourly job finds nothing more to do.
        assert invoice_closed_months(runtime).startswith("invoices: 0 sent")
    finally:
        runtime.dispose()
    assert _one(admin, shop, "2026-03")["status"] == "open"  # no card: emailed
    assert len(stripe_invoices_of(stripe_emulator, shop)) == 1


def test_an_invoiced_month_cannot_be_reopened(
    billing: Settings, seller: Seller, stripe_emulator: StripeEmulator
) -> None:
    shop = new_shop(billing, currency="EUR")
    seller.sell(shop, 65_000, MARCH)
    close(billing, "2026-03")
    invoice(billing)
    for extra in ((), ("--tenant", shop.slug)):
        refused = run_cli(
            billing, "fees", "reopen-period", "--period", "2026-02", "--reason", "x", *extra
        )
        assert refused.returncode == 2, refused.stdout + refused.stderr
        assert "2026-03 is invoiced" in refused.stderr
        assert "Traceback" not in refused.stderr
