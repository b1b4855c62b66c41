"""A scripted card sale, end to end as the README shows it: `pos-app stripe-emulator` in its
own process, `pos-app setup`, `pos-app sale --pay card` and the "customer" tapping a test card
with `pos-app reader present-card` (Stripe's test helper), all real processes on loopback."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from pos_app.db.database import Database
from tests.pos_app.test_cli_commands import ROOT, pos_app
from tests.pos_app.test_cli_setup import SHOP

pytestmark = [pytest.mark.slow, pytest.mark.stripe_emulator]

MENU = "sku,name,category,price,tax_rate\nLAT,Latte,Coffee,4.50,8.875\n"


def _default_sigint() -> None:
    # Ctrl-C as in a terminal: a suite started in the background hands its children SIGINT
    # ignored, and Python then never raises KeyboardInterrupt.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@dataclass
class Emulator:
    url: str
    key: str

    def get(self, path: str) -> Any:
        answer = httpx.get(
            f"{self.url}{path}", headers={"Authorization": f"Bearer {self.key}"}, timeout=10
        )
        answer.raise_for_status()
        return answer.json()

    def payment_intents(self) -> list[dict[str, Any]]:
        return list(self.get("/v1/payment_intents?limit=100")["data"])

    def reader_busy(self) -> bool:
        readers = self.get("/v1/terminal/readers")["data"]
        return any(
            reader["action"] and reader["action"]["status"] == "in_progress" for reader in readers
        )


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    process = subprocess.Popen(
        [sys.executable, "-m", "pos_app", "stripe-emulator", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        preexec_fn=_default_sigint,
    )
    try:
        assert process.stdout is not None
        first, key_line = process.stdout.readline(), process.stdout.readline()
        assert "listening on http://127.0.0.1:" in first, first
        yield Emulator(first.rsplit(" ", 1)[-1].strip(), key_line.split(":", 1)[1].strip())
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture
def shop(tmp_path: Path, emulator: Emulator) -> dict[str, str]:
    """A data dir set up headlessly, pointed at the emulator: the env for every command."""
    env = {"POS_STRIPE_API_BASE": emulator.url, "POS_STRIPE_API_KEY": emulator.key}
    pos_app(tmp_path, "setup", *SHOP[:5], "exclusive", *SHOP[6:], env=env)
    (tmp_path / "menu.csv").write_text(MENU)
    pos_app(tmp_path, "catalog", "import", str(tmp_path / "menu.csv"), env=env)
    return env


def _start_sale(data_dir: Path, env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "pos_app", "sale", "--item", "LAT", "--pay", "card", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "POS_DATA_DIR": str(data_dir), **env},
        preexec_fn=_default_sigint,
    )


def _new_intent(emulator: Emulator, before: list[dict[str, Any]]) -> dict[str, Any]:
    known = {intent["id"] for intent in before}
    (new,) = [intent for intent in emulator.payment_intents() if intent["id"] not in known]
    return new


def _assert_cancelled_on_both_sides(
    data_dir: Path, emulator: Emulator, before: list[dict[str, Any]]
) -> None:
    """The attempt's PaymentIntent is cancelled at Stripe (no hold on the card), the reader is
    free, and the register's record of the attempt says cancelled, with nothing in flight."""
    intent = _new_intent(emulator, before)
    assert intent["status"] == "canceled"
    assert not emulator.reader_busy()
    db = Database(data_dir / "register.sqlite3")
    try:
        with db.read() as uow:
            record = uow.payments.by_gateway_id(intent["id"])
            assert record is not None
            assert record.status == "canceled"
            assert uow.payments.in_flight() == []
    finally:
        db.dispose()


def test_a_scripted_card_sale_waits_for_the_customer_to_tap(
    tmp_path: Path, emulator: Emulator, shop: dict[str, str]
) -> None:
    before = emulator.payment_intents()
    sale = _start_sale(tmp_path, shop, "--tip", "1.00")
    # The customer taps (before the payment reaches the reader is fine: it waits for it).
    tapped = pos_app(tmp_path, "reader", "present-card", "--card", "5555555555554444", env=shop)
    assert tapped.stdout.startswith("presented test card 5555555555554444 on reader tmr_")
    out, err = sale.communicate(timeout=60)
    assert sale.returncode == 0, err
    placed = json.loads(out)
    assert placed["status"] == "paid"
    assert placed["total_minor"] == 490
    (tender,) = placed["tenders"]
    assert (tender["kind"], tender["tip_minor"], tender["card_brand"], tender["card_last4"]) == (
        "card", 100, "mastercard", "4444",
    )  # fmt: skip
    intent = _new_intent(emulator, before)
    assert (intent["status"], intent["amount_received"]) == ("succeeded", 590)
    assert tender["payment_intent_id"] == intent["id"]


def test_no_card_in_time_cancels_the_payment_with_a_clear_message(
    tmp_path: Path, emulator: Emulator, shop: dict[str, str]
) -> None:
    before = emulator.payment_intents()
    waited = pos_app(
        tmp_path, "sale", "--item", "LAT", "--pay", "card", "--card-wait", "2", check=False,
        env=shop, timeout=60,
    )  # fmt: skip
    assert waited.returncode == 1
    assert waited.stderr == (
        "pos-app: no card was presented within 2 s: the card payment was cancelled (on a test "
        "set-up, `pos-app reader present-card` taps a test card)\n"
    )
    _assert_cancelled_on_both_sides(tmp_path, emulator, before)
    # Nobody is waiting at the reader any more.
    late = pos_app(tmp_path, "reader", "present-card", "--wait", "1", check=False, env=shop)
    assert late.returncode == 1
    assert "no payment reached reader tmr_" in late.stderr


def test_a_declined_test_card_and_ctrl_c_both_cancel_the_attempt(
    tmp_path: Path, emulator: Emulator, shop: dict[str, str]
) -> None:
    before = emulator.payment_intents()
    declined = pos_app(
        tmp_path, "sale", "--item", "LAT", "--pay", "card", "--present-card", "4000000000000002",
        check=False, env=shop,
    )  # fmt: skip
    assert declined.returncode == 1
    assert declined.stderr == "pos-app: Card declined. Ask for another card or take cash.\n"
    _assert_cancelled_on_both_sides(tmp_path, emulator, before)

    before = emulator.payment_intents()
    sale = _start_sale(tmp_path, shop)
    deadline = time.monotonic() + 60
    while not emulator.reader_busy():
        assert time.monotonic() < deadline, "the sale never reached the reader"
        time.sleep(0.2)
    sale.send_signal(signal.SIGINT)
    _out, err = sale.communicate(timeout=60)
    assert sale.returncode == 130, err
    _assert_cancelled_on_both_sides(tmp_path, emulator, before)


def test_a_live_key_is_refused_before_anything_reaches_stripe(
    tmp_path: Path, emulator: Emulator, shop: dict[str, str]
) -> None:
    # A first sale registers the simulated reader with the test key.
    card_sale = ("sale", "--item", "LAT", "--pay", "card", "--present-card", "4242424242424242")
    pos_app(tmp_path, *card_sale, env=shop)
    before = emulator.payment_intents()
    live = {**shop, "POS_STRIPE_API_KEY": "rk_live_51Shop0000000000000000live"}
    for args in (
        ("reader", "present-card"),
        card_sale,
    ):
        refused = pos_app(tmp_path, *args, check=False, env=live)
        assert refused.returncode == 1
        assert refused.stderr == (
            "pos-app: a test card cannot be presented with a live Stripe key: the customer "
            "taps a real card on the real reader\n"
        )
    assert emulator.payment_intents() == before
