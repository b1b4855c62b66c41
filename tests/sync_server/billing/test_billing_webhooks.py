"""The platform's own webhooks (issue 23): Stripe's invoice events, signed with the platform's
secret, drive the fee invoices' state (paid; failed then paid on Stripe's retry; failed for
good → uncollectible and past due; voided), the owner gets one email per failed payment, the
register reads the past-due state, and duplicate or shuffled deliveries change nothing."""

from __future__ import annotations

import dataclasses
import json
import re
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine

from pos_app.payments.emulator import StripeEmulator
from sync_server.billing import service
from sync_server.billing.repository import NoticeRow
from sync_server.billing.schemas import BillingInvoice
from sync_server.config import Settings
from sync_server.notifications.email import SmtpConfig, SmtpSender
from sync_server.notifications.service import Channels
from sync_server.stripe_webhooks.signature import sign
from sync_server.tenants.schemas import Tenant
from tests.support.billing_shops import (
    MARCH,
    Seller,
    add_owner,
    billing_cli,
    close,
    invoice,
    new_shop,
    records,
    save_card,
)
from tests.support.smtp_server import SmtpServer, smtp_server
from tests.support.sync_server_live import LiveServer, run_jobs
from tests.sync_server.billing.conftest import SECRET
from tests.sync_server.console.conftest import Browser, make_operator

pytestmark = [pytest.mark.postgres, pytest.mark.stripe_emulator]

DAY = 86400
ENDPOINT = "/v1/stripe/platform-webhook"


@pytest.fixture
def http(live: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live.url, timeout=30) as client:
        yield client


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    yield from smtp_server()


def _channels(billing: Settings, smtp: SmtpServer) -> Channels:
    sender = SmtpSender(SmtpConfig(smtp.host, smtp.port, "billing@counterpos.test", timeout=5))
    return Channels(email=sender, sms=None, public_url=None, link_key=billing.token_hmac_key)


def _handled(billing: Settings, emulator: StripeEmulator, smtp: SmtpServer) -> None:
    """Every event delivered to the platform's endpoint, and the jobs they queued run."""
    assert emulator.wait_for_webhooks(30)
    run_jobs(billing, _channels(billing, smtp))


def _record(admin: Engine, tenant: Tenant) -> dict[str, object]:
    found = [dict(row._mapping) for row in records(admin, tenant)]
    assert len(found) == 1, found
    return found[0]


def _mails_to(smtp: SmtpServer, address: str) -> list[object]:
    return [mail for mail in smtp.handler.received() if address in mail.rcpt_tos]


def test_webhooks_drive_every_state_email_each_failure_and_reach_the_register(
    billing: Settings,
    http: httpx.Client,
    live: LiveServer,
    admin: Engine,
    smtp: SmtpServer,
    stripe_emulator: StripeEmulator,
) -> None:
    emulator = stripe_emulator
    emulator.add_webhook_endpoint(live.url + ENDPOINT, secret=SECRET)
    seller = Seller(http, billing)
    shops = {name: new_shop(billing, currency="EUR") for name in ("pays", "recovers", "fails")}
    shops["voided"] = new_shop(billing, currency="EUR")
    for name, shop in shops.items():
        add_owner(billing, shop, f"owner-{name}@shop.test")
        card = {"pays": "pm_card_visa", "voided": None}.get(name, "pm_card_chargeCustomerFail")
        if card:
            save_card(emulator, billing, shop, card)
        seller.sell(shop, 80_000, MARCH)
    close(billing, "2026-03")
    # The run itself does not read Stripe's state again: the webhooks say it.
    assert invoice(billing).failed == []
    _handled(billing, emulator, smtp)

    paid = _record(admin, shops["pays"])
    assert (paid["status"], paid["first_failed_at"]) == ("paid", None)
    assert paid["paid_at"] is not None
    for name in ("recovers", "fails"):
        record = _record(admin, shops[name])
        assert (record["status"], record["stripe_attempt_count"]) == ("open", 1)
        assert record["first_failed_at"] is not None
        assert len(_mails_to(smtp, f"owner-{name}@shop.test")) == 1
    assert _mails_to(smtp, "owner-pays@shop.test") == []
    first_mail = _mails_to(smtp, "owner-fails@shop.test")[0]
    assert "failed" in first_mail.content.decode()  # type: ignore[attr-defined]
    assert "If it is still unpaid on" in first_mail.content.decode()  # type: ignore[attr-defined]

    # The platform voids the emailed invoice of the shop without a card.
    voided = _record(admin, shops["voided"])
    assert voided["status"] == "open"
    answer = httpx.post(
        f"{emulator.base_url}/v1/invoices/{voided['stripe_invoice_id']}/void",
        headers={"Authorization": f"Bearer {emulator.test_key}"},
    )
    assert answer.status_code == 200, answer.text

    # One owner saves a working card: Stripe's next attempt pays; the other keeps failing
    # until Stripe gives up (uncollectible).
    save_card(emulator, billing, shops["recovers"], "pm_card_visa")
    for days in (3, 5, 7):
        emulator.advance_clock(days * DAY + 60)
    _handled(billing, emulator, smtp)
    assert _record(admin, shops["voided"])["status"] == "void"
    recovered = _record(admin, shops["recovers"])
    assert recovered["status"] == "paid"
    assert recovered["paid_at"] is not None
    gave_up = _record(admin, shops["fails"])
    assert (gave_up["status"], gave_up["stripe_attempt_count"]) == ("uncollectible", 4)
    assert len(_mails_to(smtp, "owner-recovers@shop.test")) == 1
    assert len(_mails_to(smtp, "owner-fails@shop.test")) == 4
    last_mail = _mails_to(smtp, "owner-fails@shop.test")[-1].content.decode()  # type: ignore[attr-defined]
    assert "It is past due" in last_mail
    assert "will not try the card again" in last_mail
    mails_before = len(smtp.handler.received())

    # The registers: the failing shop is past due (Stripe gave up), the others not.
    banner = {}
    for name, shop in shops.items():
        device = seller.device(shop)
        got = http.get("/v1/billing/invoices", headers=device.headers)
        assert got.status_code == 200, got.text
        body = got.json()
        assert [item["period"] for item in body["invoices"]] == ["2026-03"]
        banner[name] = (body["past_due"], body["invoices"][0]["status"])
        # The month's own line says whether it makes the shop past due, and what the register
        # shows of it: Stripe's attempts, a due date only when emailed, nothing credited.
        (month,) = body["invoices"]
        assert month["past_due"] is body["past_due"]
        assert (month["credit_minor"], month["carried_in_minor"]) == (0, 0)
        if name != "voided":  # charged to a saved card: no due date
            assert month["due_at"] is None
        if name == "fails":
            assert month["attempt_count"] == 4
            assert month["first_failed_at"] is not None
    assert banner == {
        "pays": (False, "paid"),
        "recovers": (False, "paid"),
        "fails": (True, "uncollectible"),
        "voided": (False, "void"),
    }

    # Every event again, shuffled, twice: nothing moves back, nobody is emailed again.
    events = [event["id"] for event in emulator.events]
    emulator.deliver_shuffled(events, seed=7)
    emulator.deliver_shuffled(events, seed=8)
    _handled(billing, emulator, smtp)
    assert [_record(admin, shops[n])["status"] for n in shops] == [
        "paid", "paid", "uncollectible", "void",
    ]  # fmt: skip
    assert len(smtp.handler.received()) == mails_before
    result = billing_cli(billing, emulator, "fees", "verify")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "check stripe: ok" in result.stdout

    # The operator's fees page shows each shop's invoice state beside its month's fee.
    with httpx.Client(base_url=live.url, timeout=30, follow_redirects=False) as client:
        browser = Browser(client)
        assert browser.sign_in(make_operator(billing)).status_code == 303
        page = browser.page("/console/fees", params={"to": "2026-03"}).text
    shown = dict(
        re.findall(
            r'<tr data-slug="([^"]+)" data-currency="EUR">.*?data-kind="invoice">([^<]*)</td>',
            page,
            re.S,
        )
    )
    assert {name: shown[shop.slug] for name, shop in shops.items()} == {
        "pays": "Paid", "recovers": "Paid", "fails": "Unpaid", "voided": "Cancelled",
    }  # fmt: skip


def test_the_platform_endpoint_refuses_what_stripe_did_not_sign_with_a_4xx(
    billing: Settings, http: httpx.Client
) -> None:
    tenant = new_shop(billing, currency="EUR")
    event = {
        "id": "evt_test_platform_1",
        "object": "event",
        "type": "invoice.paid",
        "created": int(datetime.now(UTC).timestamp()),
        "data": {"object": {"object": "invoice", "id": "in_x", "metadata": {
            "tenant_id": str(tenant.id), "billing_invoice_id": str(uuid.uuid4())}}},
    }  # fmt: skip
    body = json.dumps(event).encode()
    now = int(datetime.now(UTC).timestamp())

    def post(payload: bytes, header: str | None) -> httpx.Response:
        headers = {"Content-Type": "application/json"}
        if header is not None:
            headers["Stripe-Signature"] = header
        return http.post(ENDPOINT, content=payload, headers=headers)

    assert post(body, None).status_code == 400
    assert post(body, "garbage").status_code == 400
    assert post(body, sign(body, "whsec_someoneelsessecret99", now)).status_code == 400
    assert post(body, sign(body, SECRET, now - 3600)).status_code == 400
    assert post(b"{not json", sign(b"{not json", SECRET, now)).status_code == 400
    not_event = b'{"id": "nope"}'
    assert post(not_event, sign(not_event, SECRET, now)).status_code == 400
    # Signed, about no shop of ours: acknowledged, not stored.
    foreign = json.dumps({**event, "data": {"object": {"object": "invoice"}}}).encode()
    answer = post(foreign, sign(foreign, SECRET, now))
    assert answer.status_code == 200
    assert answer.json()["ignored"] is True
    # Signed and ours (an invoice billing never made: the worker ignores it); twice: duplicate.
    first = post(body, sign(body, SECRET, now))
    again = post(body, sign(body, SECRET, now))
    assert first.status_code == 200
    assert first.json()["duplicate"] is False
    assert again.json()["duplicate"] is True


def _invoice(**values: object) -> BillingInvoice:
    now = datetime(2026, 4, 5, tzinfo=UTC)
    base: dict[str, object] = {
        "tenant_id": uuid.uuid4(), "id": uuid.uuid4(), "period": "2026-03", "currency": "EUR",
        "fee_minor": 800, "charge_minor": 800, "credit_minor": 0, "carried_in_minor": 0,
        "carried_out_minor": 0, "description": "fee", "status": "open", "step": "done",
        "collection_method": "charge_automatically", "stripe_invoice_id": "in_1",
        "hosted_invoice_url": "http://stripe/i/in_1", "stripe_attempt_count": 1,
        "next_payment_attempt": None, "attempts": 0, "last_error": None, "next_retry_at": None,
        "created_at": now, "updated_at": now,
    }  # fmt: skip
    return BillingInvoice(**{**base, **values})  # type: ignore[arg-type]


def _notice(attempt: int = 1) -> NoticeRow:
    at = datetime(2026, 4, 5, 10, tzinfo=UTC)
    return NoticeRow(
        tenant_id=uuid.uuid4(), event_id="evt_1", invoice_id=uuid.uuid4(), kind="payment_failed",
        to_address="owner@shop.test", attempt_count=attempt, status="sending", error=None,
        created_at=at, finished_at=None,
    )  # fmt: skip


def _email(
    record: BillingInvoice,
    locale: str,
    now: datetime,
    attempt: int = 1,
    card_page: str | None = None,
) -> str:
    mail = service.failed_payment_email(
        shop="Padaria", record=record, notice=_notice(attempt), domain="counterpos.test",
        locale=locale, timezone="America/Sao_Paulo", now=now, card_page=card_page,
    )  # fmt: skip
    return mail.subject + "\n" + mail.text + "\n" + mail.html


def test_the_failed_payment_email_speaks_the_shop_s_language_and_money() -> None:
    failed = datetime(2026, 4, 5, 10, tzinfo=UTC)
    retry = datetime(2026, 4, 8, 10, tzinfo=UTC)
    record = _invoice(
        currency="BRL", charge_minor=3750, first_failed_at=failed, next_payment_attempt=retry
    )
    portuguese = _email(record, "pt_BR", failed)
    assert "R$\xa037,50" in portuguese
    assert "R$37.50" not in portuguese
    assert "falhou (tentativa 1)" in portuguese
    # Days as the console writes them: Stripe's next attempt and the end of the grace, on the
    # shop's calendar.
    assert "tentará cobrar o cartão novamente em 8 de abril de 2026" in portuguese
    assert "Se ainda não estiver paga em 19 de abril de 2026" in portuguese
    assert "Pagar a fatura" in portuguese
    assert "failed" not in portuguese
    english = _email(dataclasses.replace(record, currency="USD"), "en_US", failed)
    assert "$37.50" in english
    assert "Stripe will try the card again on April 8, 2026." in english
    assert "If it is still unpaid on April 19, 2026," in english
    for text in (english, portuguese):
        assert "2026-04" not in text
    # The link pays the invoice; without the console's address there is no card page to name.
    for text in (english, portuguese):
        assert "Payment method" not in text
        assert "Forma de pagamento" not in text
        assert "http://stripe/i/in_1" in text
    assert "You can pay it here:" in english
    # With it, the owner is told where another card is saved (it is charged at once there).
    page = "https://console.counterpos.test/console/payment-method"
    english = _email(dataclasses.replace(record, currency="USD"), "en_US", failed, card_page=page)
    portuguese = _email(record, "pt_BR", failed, card_page=page)
    assert "save it on the web console's Payment method page:\n\n" + page in english
    assert f'<a href="{page}">Save or change the card</a>' in english
    assert "salve-o na página Forma de pagamento do console web:\n\n" + page in portuguese
    assert f'<a href="{page}">Salvar ou trocar o cartão</a>' in portuguese


def test_the_failed_payment_email_names_the_month_in_the_shop_s_language() -> None:
    """The month reads as people write it, in the subject and the body (text and HTML), never
    as `2026-03`."""
    failed = datetime(2026, 4, 5, 10, tzinfo=UTC)
    record = _invoice(first_failed_at=failed)
    for locale, month, subject in (
        ("en_US", "March 2026", "Counter POS: the payment of your March 2026 fee failed"),
        ("pt_BR", "março de 2026", "Counter POS: o pagamento da sua taxa de março de 2026 falhou"),
    ):
        mail = service.failed_payment_email(
            shop="Padaria", record=record, notice=_notice(), domain="counterpos.test",
            locale=locale, timezone="America/Sao_Paulo", now=failed,
        )  # fmt: skip
        assert mail.subject == subject
        assert month in mail.text
        assert month in mail.html
        for text in (mail.subject, mail.text, mail.html):
            assert "2026-03" not in text


def test_the_failed_payment_email_says_past_due_now_and_no_retry_when_stripe_gave_up() -> None:
    failed = datetime(2026, 4, 5, 10, tzinfo=UTC)
    # Stripe gave up: no next attempt, uncollectible, past due at once.
    gave_up = _invoice(status="uncollectible", first_failed_at=failed, updated_at=failed)
    for locale, now_words, never in (
        ("en_US", "It is past due", "still unpaid on"),
        ("pt_BR", "A fatura está vencida", "Se ainda não estiver paga"),
    ):
        text = _email(gave_up, locale, failed + timedelta(days=1), attempt=4)
        assert now_words in text
        assert never not in text
        assert ("will not try" if locale == "en_US" else "não tentará") in text
        assert ("try the card again on" if locale == "en_US" else "novamente em") not in text
    # Still open and retried, but already past the grace: past due now, not "on <date>".
    late = _invoice(first_failed_at=failed, next_payment_attempt=failed + timedelta(days=20))
    text = _email(late, "en_US", failed + timedelta(days=15), attempt=3)
    assert "It is past due" in text
    assert "still unpaid on" not in text
    assert "try the card again on April 25, 2026" in text
    # Open, no next attempt known: nothing says Stripe will retry.
    quiet = _invoice(first_failed_at=failed)
    text = _email(quiet, "en_US", failed)
    assert "will not try the card again" in text
    assert "If it is still unpaid on April 19, 2026" in text


def test_the_grace_policy_past_due_fourteen_days_after_the_first_failure() -> None:
    failed = datetime(2026, 4, 5, 10, tzinfo=UTC)
    late = _invoice(first_failed_at=failed)
    assert service.past_due([late], failed + timedelta(days=13, hours=23)) is None
    assert service.past_due([late], failed + timedelta(days=14)) == late
    # Paid or voided clears it, whenever it failed.
    for status in ("paid", "void"):
        cleared = dataclasses.replace(late, status=status)
        assert service.past_due([cleared], failed + timedelta(days=60)) is None
    # Stripe giving up (uncollectible) makes it past due at once.
    gave_up = _invoice(status="uncollectible", first_failed_at=failed, updated_at=failed)
    assert service.past_due([gave_up], failed + timedelta(days=1)) == gave_up
    # Never failed (an emailed invoice not yet paid, no due date known): not past due.
    assert service.past_due([_invoice()], failed + timedelta(days=60)) is None
    # An emailed invoice: 14 days after its due date, like a card's first failure.
    emailed = _invoice(collection_method="send_invoice", due_at=failed)
    assert service.past_due([emailed], failed + timedelta(days=13, hours=23)) is None
    assert service.past_due([emailed], failed + timedelta(days=14)) == emailed


def test_an_emailed_invoice_unpaid_is_past_due_fourteen_days_after_its_due_date(
    billing: Settings, http: httpx.Client, admin: Engine, stripe_emulator: StripeEmulator
) -> None:
    """A shop with no saved card is sent the invoice (`send_invoice`): it never fails a payment,
    so its grace starts at Stripe's due date instead."""
    shop = new_shop(billing, currency="EUR")
    seller = Seller(http, billing)
    seller.sell(shop, 80_000, MARCH)
    close(billing, "2026-03")
    assert invoice(billing).failed == []
    record = _record(admin, shop)
    assert (record["status"], record["collection_method"]) == ("open", "send_invoice")
    # The register shows the due date (its grace starts there).
    got = http.get("/v1/billing/invoices", headers=seller.device(shop).headers).json()
    assert datetime.fromisoformat(got["invoices"][0]["due_at"]) == record["due_at"]
    remote = httpx.get(
        f"{stripe_emulator.base_url}/v1/invoices/{record['stripe_invoice_id']}",
        headers={"Authorization": f"Bearer {stripe_emulator.test_key}"},
    ).json()
    due = datetime.fromtimestamp(remote["due_date"], UTC)
    assert record["due_at"] == due
    # Due 14 days (the run's days until due) after it was finalized, on Stripe's clock.
    finalized = datetime.fromtimestamp(remote["status_transitions"]["finalized_at"], UTC)
    assert due - finalized == timedelta(days=14)
    # Past the due date on Stripe's clock, still open (Stripe does not retry an emailed one).
    stripe_emulator.advance_clock(20 * DAY)
    invoice(billing)
    with admin.connect() as conn:
        assert (
            service.shop_billing(conn, shop.id, due + timedelta(days=13, hours=23)).past_due is None
        )
        late = service.shop_billing(conn, shop.id, due + timedelta(days=14)).past_due
    assert late is not None
    assert (late.period, late.due_at) == ("2026-03", due)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_events_delivered_in_any_order_end_in_stripe_s_state(
    billing: Settings,
    http: httpx.Client,
    live: LiveServer,
    admin: Engine,
    smtp: SmtpServer,
    stripe_emulator: StripeEmulator,
    seed: int,
) -> None:
    """The whole month's events arrive at once, shuffled (the endpoint registered late)."""
    emulator = stripe_emulator
    seller = Seller(http, billing)
    shops = {name: new_shop(billing, currency="EUR") for name in ("recovers", "fails")}
    for name, shop in shops.items():
        add_owner(billing, shop, f"owner-{name}@shop.test")
        save_card(emulator, billing, shop, "pm_card_chargeCustomerFail")
        seller.sell(shop, 80_000, MARCH)
    close(billing, "2026-03")
    assert invoice(billing).failed == []
    save_card(emulator, billing, shops["recovers"], "pm_card_visa")
    for days in (3, 5, 7):
        emulator.advance_clock(days * DAY + 60)
    emulator.add_webhook_endpoint(live.url + ENDPOINT, secret=SECRET)
    emulator.deliver_shuffled([event["id"] for event in emulator.events], seed=seed)
    _handled(billing, emulator, smtp)
    assert _record(admin, shops["recovers"])["status"] == "paid"
    gave_up = _record(admin, shops["fails"])
    assert (gave_up["status"], gave_up["stripe_attempt_count"]) == ("uncollectible", 4)
    assert gave_up["first_failed_at"] is not None
    # A failure told after the payment emails nobody (the invoice is settled by then).
    assert len(_mails_to(smtp, "owner-recovers@shop.test")) <= 1
    assert len(_mails_to(smtp, "owner-fails@shop.test")) == 4


def test_the_webhook_secret_comes_from_the_environment_or_a_file_and_is_never_shown(
    tmp_path: Path, billing: Settings, http: httpx.Client, caplog: pytest.LogCaptureFixture
) -> None:
    assert Settings.from_env({}).billing_webhook_secret is None
    assert Settings.from_env({"SYNC_BILLING_WEBHOOK_SECRET": SECRET}).billing_webhook_secret == (
        SECRET
    )
    kept = tmp_path / "webhook-secret"
    kept.write_text(SECRET + "\n", encoding="utf-8")
    from_file = Settings.from_env({"SYNC_BILLING_WEBHOOK_SECRET_FILE": str(kept)})
    assert from_file.billing_webhook_secret == SECRET
    assert SECRET not in repr(from_file)
    # A refused delivery says why, in the answer and the log, without the secret.
    body = b'{"id": "evt_x"}'
    with caplog.at_level("INFO"):
        refused = http.post(
            ENDPOINT,
            content=body,
            headers={"Stripe-Signature": sign(body, "whsec_wrongsecret0123456", int(time.time()))},
        )
    assert refused.status_code == 400
    assert "SYNC_BILLING_WEBHOOK_SECRET" in refused.text
    assert SECRET not in refused.text
    assert SECRET not in caplog.text


def test_without_webhooks_the_hourly_read_still_starts_the_grace_and_records_the_payment(
    billing: Settings, http: httpx.Client, admin: Engine, stripe_emulator: StripeEmulator
) -> None:
    """No endpoint registered (or every delivery lost): the invoicing run and the hourly read
    of open invoices record the first failure and the payment all the same."""
    shop = new_shop(billing, currency="EUR")
    save_card(stripe_emulator, billing, shop, "pm_card_chargeCustomerFail")
    Seller(http, billing).sell(shop, 80_000, MARCH)
    close(billing, "2026-03")
    assert invoice(billing).failed == []
    failing = _record(admin, shop)
    assert failing["status"] == "open"
    assert failing["first_failed_at"] is not None
    assert failing["paid_at"] is None
    save_card(stripe_emulator, billing, shop, "pm_card_visa")
    stripe_emulator.advance_clock(3 * DAY + 60)
    assert invoice(billing).updated == [(shop.slug, "2026-03", "paid")]
    paid = _record(admin, shop)
    assert paid["paid_at"] is not None
    assert paid["first_failed_at"] == failing["first_failed_at"]
