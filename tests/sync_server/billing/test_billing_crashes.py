"""Exactly one invoice per shop and month, whatever crashes (issue 23): invoicing runs in a process
of its own that is killed (SIGKILL) at each of its steps in turn, before and after each call to
Stripe and after each transaction, run after run, each run taking up what the last one left;
now and then a day passes between runs, so Stripe has forgotten the idempotency keys and only
our records and the metadata on Stripe's objects can prevent a second invoice. At the end every
shop has one invoice per month, with its lines once and its credit note once, and `fees verify`
is green."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine

from pos_app.payments.emulator import StripeEmulator
from sync_server.config import Settings
from sync_server.process import server_env
from tests.support.billing_shops import (
    APRIL,
    FEBRUARY,
    MARCH,
    Seller,
    billing_cli,
    billing_settings,
    close,
    invoice,
    new_shop,
    records,
    save_card,
    stripe_invoices_of,
)
from tests.support.sync_server_live import start_live_server

pytestmark = [pytest.mark.postgres, pytest.mark.stripe_emulator, pytest.mark.slow]

DAY = 86400
A_DAY_PASSES_EVERY = 4
"""Every fourth kill, 25 hours pass at Stripe before the next run: its idempotency keys are gone."""


@pytest.fixture
def billing(fresh_settings: Settings, stripe_emulator: StripeEmulator) -> Settings:
    return billing_settings(fresh_settings, stripe_emulator)


def _run_once(billing: Settings, emulator: StripeEmulator, ledger: Path, kinds: str) -> str:
    env = server_env(
        billing,
        SYNC_BILLING_STRIPE_KEY=emulator.test_key,
        SYNC_BILLING_STRIPE_URL=emulator.base_url,
    )
    done = subprocess.run(
        [sys.executable, "-m", "tests.support.billing_crash_worker", str(ledger), kinds],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode == -9:
        assert done.stdout.startswith("killed at "), done.stdout + done.stderr
        return done.stdout.strip()
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("completed"), done.stdout
    return done.stdout.strip()


def _kill_everywhere(
    billing: Settings, emulator: StripeEmulator, ledger: Path, kinds: str
) -> Counter[str]:
    """Run invoicing until a run completes, each run killed at a step no run was killed at."""
    kills: Counter[str] = Counter()
    while True:
        outcome = _run_once(billing, emulator, ledger, kinds)
        if outcome.startswith("completed"):
            return kills
        kills[" ".join(outcome.removeprefix("killed at ").split()[:2])] += 1
        if sum(kills.values()) % A_DAY_PASSES_EVERY == 0:
            emulator.advance_clock(25 * 3600)


def test_killed_at_every_step_invoicing_ends_with_one_invoice_per_shop_and_month(
    billing: Settings, admin: Engine, stripe_emulator: StripeEmulator, tmp_path: Path
) -> None:
    emulator = stripe_emulator
    live = start_live_server(billing)
    try:
        with httpx.Client(base_url=live.url, timeout=30) as http:
            seller = Seller(http, billing)
            card = new_shop(billing, currency="EUR")
            emailed = new_shop(billing, currency="USD", timezone="America/New_York")
            credited = new_shop(billing, currency="EUR")
            small = new_shop(billing, currency="EUR")
            save_card(emulator, billing, card, "pm_card_visa")
            save_card(emulator, billing, credited, "pm_card_visa")
            february = seller.sell(credited, 40_000, FEBRUARY)
            close(billing, "2026-02")
            assert invoice(billing).failed == []  # February, without crashes
            seller.refund(credited, february, FEBRUARY.replace(day=25))  # a March adjustment
            for shop, amount in ((card, 120_000), (emailed, 60_000), (small, 2_000),
                                 (credited, 70_000)):  # fmt: skip
                seller.sell(shop, amount, MARCH)
            march = seller.sell(credited, 20_000, MARCH, sku="B")
            close(billing, "2026-03")
            # March: killed after each call Stripe answered, before the answer is recorded.
            kills = _kill_everywhere(billing, emulator, tmp_path / "march.txt", "answer")

            seller.refund(credited, march, MARCH.replace(day=28))  # an April adjustment
            for shop, amount in ((card, 80_000), (emailed, 90_000), (small, 4_000),
                                 (credited, 70_000)):  # fmt: skip
                seller.sell(shop, amount, APRIL)
    finally:
        live.stop()
    close(billing, "2026-04")
    # April: killed after each transaction and before each call.
    kills += _kill_everywhere(billing, emulator, tmp_path / "april.txt", "db,request")
    print(f"\nbilling crash test: {sum(kills.values())} kills, by kind: {dict(kills)}")
    assert sum(kills.values()) >= 60
    assert {"request POST", "answer POST", "db intent", "db finalized", "db credited"} <= set(kills)

    # One invoice per shop and month, its lines and credit note once each.
    by_month = Counter(
        (invoice["metadata"]["tenant_id"], invoice["metadata"]["period"])
        for invoice in emulator.invoices.values()
    )
    assert set(by_month.values()) == {1}
    assert len(by_month) == 1 + 3 * 2 + 1  # small: carried in March, invoiced in April
    for shop in (card, emailed, credited, small):
        customers = [c for c in emulator.customers.values()
                     if c["metadata"].get("tenant_id") == str(shop.id)]  # fmt: skip
        assert len(customers) == 1
    for found in stripe_invoices_of(emulator, small):
        if found["metadata"]["period"] == "2026-04":
            assert sorted(line["amount"] for line in found["lines"]["data"]) == [20, 40]
    # March: 900 of own fee, 400 credited (February's late refund); April: 700 − 200.
    for period, own, credit in (("2026-03", 900, 400), ("2026-04", 700, 200)):
        (found,) = [i for i in stripe_invoices_of(emulator, credited)
                    if i["metadata"]["period"] == period]  # fmt: skip
        notes = [n for n in emulator.credit_notes.values() if n["invoice"] == found["id"]]
        assert [note["amount"] for note in notes] == [credit]
        assert [line["amount"] for line in found["lines"]["data"]] == [own]
        assert (found["status"], found["amount_paid"]) == ("paid", own - credit)
    assert all(record.step == "done" for record in records(admin))

    verify = billing_cli(billing, emulator, "fees", "verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "check stripe: ok" in verify.stdout
