"""A shop on a sync server of its own (a fresh database, the live app, a tenant and a paired
register), and its register's card sales through the Stripe emulator.

Tests that run the worker need a database of their own: the worker runs every queued job, and
a shared database would let one test's jobs leak into another's."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import stripe
from sqlalchemy import Engine

from pos_app.payments.emulator import StripeEmulator
from sync_server.config import Settings
from sync_server.fees import service as fees
from sync_server.fees.rules import Statement
from sync_server.kit.ids import uuid7
from sync_server.kit.periods import period_of
from sync_server.notifications.email import SmtpConfig, SmtpSender
from sync_server.notifications.service import Channels
from sync_server.notifications.sms import TwilioSms
from sync_server.tenants.schemas import Tenant
from tests.support import stripe_emulator_flows as flows
from tests.support.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FROM_NUMBER, FakeTwilio
from tests.support.push_payloads import build_order, build_payment, change, push
from tests.support.smtp_server import SmtpServer
from tests.support.sync_server_live import LiveServer, run_jobs, start_live_server
from tests.support.sync_server_tenants import Device, create_tenant, pair_device


@dataclass(frozen=True)
class Shop:
    settings: Settings
    live: LiveServer
    http: httpx.Client
    tenant: Tenant
    device: Device

    @property
    def webhook_url(self) -> str:
        return f"{self.live.url}/v1/stripe/webhooks/{self.tenant.slug}"


@contextmanager
def open_shop(
    settings: Settings, *, currency: str = "USD", timezone: str = "America/New_York"
) -> Iterator[Shop]:
    live = start_live_server(settings)
    try:
        with httpx.Client(base_url=live.url, timeout=30) as http:
            tenant = create_tenant(settings, currency=currency, timezone=timezone)
            device = pair_device(http, settings, tenant)
            yield Shop(settings, live, http, tenant, device)
    finally:
        live.stop()


@dataclass(frozen=True)
class Sale:
    order_id: uuid.UUID
    order: dict[str, Any]
    intent: stripe.PaymentIntent
    payment_id: uuid.UUID
    payment: dict[str, Any]


class Register:
    """The register's side of a card sale: pay through Stripe (the emulator) with the order in
    the PaymentIntent's metadata, as `pos_app.application.card_payments` does, then push."""

    def __init__(self, shop: Shop, client: stripe.StripeClient | None = None) -> None:
        self.shop = shop
        self._client = client
        self.seq = 0

    @property
    def client(self) -> stripe.StripeClient:
        assert self._client is not None, "card sales need a Stripe client"
        return self._client

    def sale(
        self,
        total: int,
        *,
        number: int,
        tip: int = 0,
        card_number: str | None = None,
        capture: bool = True,
        push_now: bool = True,
        lines: list[tuple[str, str, int, int, int]] | None = None,
        tax_mode: str = "inclusive",
    ) -> Sale:
        """A card sale of `total` (two burgers, no tax), or of `lines` (see `build_order`)."""
        order_id, order = build_order(
            lines=lines or [("BRG-1", "Burger", 2, total // 2, 0)],
            paid_at=datetime.now(UTC),
            currency="USD",
            tax_mode=tax_mode,
            number=number,
            tip_minor=tip,
        )
        reader = flows.register_reader(self.client)
        intent = flows.create_payment_intent(
            self.client,
            order["total_minor"] + tip,
            metadata={
                "order_id": str(order_id),
                "order_number": str(number),
                "register_id": order["register_id"],
                "attempt_id": str(uuid7()),
            },
        )
        flows.process(self.client, reader.id, intent.id)
        flows.present(self.client, reader.id, card_number)
        if capture:
            intent = self.client.v1.payment_intents.capture(intent.id)
        else:
            intent = self.client.v1.payment_intents.retrieve(intent.id)
        assert isinstance(intent.latest_charge, str)
        payment_id, payment = build_payment(
            order_id,
            order,
            gateway_payment_id=intent.id,
            gateway_charge_id=intent.latest_charge,
            status="captured" if capture else "authorized",
        )
        sale = Sale(order_id, order, intent, payment_id, payment)
        if push_now:
            self.push_sale(sale)
        return sale

    def push_sale(self, sale: Sale) -> None:
        self.push(("order", sale.order_id, sale.order), ("payment", sale.payment_id, sale.payment))

    def push(self, *changes: tuple[str, uuid.UUID, dict[str, Any]]) -> httpx.Response:
        batch = []
        for entity, entity_id, data in changes:
            self.seq += 1
            batch.append(change(self.seq, entity, entity_id, data))
        response = push(self.shop.http, self.shop.device, batch)
        assert response.status_code == 200, response.text
        return response


def notification_channels(
    shop: Shop, smtp: SmtpServer | None, twilio: FakeTwilio | None, *, sms_timeout: float = 5.0
) -> Channels:
    """The worker's providers pointed at the loopback SMTP server and the fake Twilio."""
    email = None
    if smtp is not None:
        email = SmtpSender(SmtpConfig(smtp.host, smtp.port, "receipts@counterpos.test", timeout=5))
    sms = None
    if twilio is not None:
        sms = TwilioSms(
            base_url=twilio.base_url,
            account_sid=ACCOUNT_SID,
            auth_token=AUTH_TOKEN,
            from_number=FROM_NUMBER,
            timeout=sms_timeout,
        )
    return Channels(
        email=email, sms=sms, public_url=shop.live.url, link_key=shop.settings.token_hmac_key
    )


def webhooks_handled(shop: Shop, emulator: StripeEmulator) -> None:
    """Every webhook the emulator sent was delivered, and the jobs they queued have run."""
    assert emulator.wait_for_webhooks()
    assert [a for a in emulator.webhook_attempts if not a.ok] == []
    run_jobs(shop.settings)


def statement_now(shop: Shop, admin: Engine) -> Statement:
    """The shop's statement for this month, after `fees verify` found nothing to say."""
    with admin.connect() as conn:
        (statement,) = fees.statements_for(
            conn, shop.tenant, period_of(datetime.now(UTC), shop.tenant.timezone)
        )
        assert fees.verify(conn) == []
        return statement
