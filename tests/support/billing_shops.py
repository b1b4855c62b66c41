"""Shops with fees to invoice: sales (and late refunds) pushed by a paired register, months
closed, the platform's Stripe client on the emulator, and what Stripe then holds."""

from __future__ import annotations

import dataclasses
import subprocess
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
from sqlalchemy import Engine, create_engine, text

from pos_app.payments.emulator import StripeEmulator
from sync_server.billing import tasks as billing_tasks
from sync_server.billing.schemas import RunReport
from sync_server.billing.stripe_client import StripeBilling
from sync_server.config import Settings
from sync_server.db import app_engine
from sync_server.fees import service as fees
from sync_server.tenants.schemas import Tenant
from tests.support.push_payloads import build_order, build_refund, change, push
from tests.support.sync_server_live import run_cli
from tests.support.sync_server_tenants import Device, create_tenant, pair_device

FEBRUARY = datetime(2026, 2, 10, 12, tzinfo=UTC)
MARCH = datetime(2026, 3, 10, 12, tzinfo=UTC)
APRIL = datetime(2026, 4, 10, 12, tzinfo=UTC)
MAY = datetime(2026, 5, 10, 12, tzinfo=UTC)


def billing_settings(settings: Settings, emulator: StripeEmulator) -> Settings:
    return dataclasses.replace(
        settings,
        billing_stripe_key=emulator.test_key,
        billing_stripe_url=emulator.base_url,
        billing_retries=2,
        pair_attempts_per_minute=100_000,
    )


def billing_env(emulator: StripeEmulator) -> dict[str, str]:
    """What `sync-server` needs in its environment to invoice on the emulator."""
    return {
        "SYNC_BILLING_STRIPE_KEY": emulator.test_key,
        "SYNC_BILLING_STRIPE_URL": emulator.base_url,
    }


def billing_cli(
    settings: Settings, emulator: StripeEmulator, *args: str, concurrency: int = 4
) -> subprocess.CompletedProcess[str]:
    """`sync-server ARGS` with the platform's Stripe account on the emulator."""
    return run_cli(
        settings,
        *args,
        SYNC_BILLING_STRIPE_KEY=emulator.test_key,
        SYNC_BILLING_STRIPE_URL=emulator.base_url,
        SYNC_BILLING_CONCURRENCY=str(concurrency),
    )


@dataclass
class Sale:
    device: Device
    order_id: uuid.UUID
    order: dict[str, Any]


@dataclass
class Seller:
    """Pushes sales and refunds for shops, one paired register per shop."""

    http: httpx.Client
    settings: Settings
    devices: dict[uuid.UUID, Device] = dataclasses.field(default_factory=dict)
    seq: Counter[uuid.UUID] = dataclasses.field(default_factory=Counter)

    def device(self, tenant: Tenant) -> Device:
        if tenant.id not in self.devices:
            self.devices[tenant.id] = pair_device(self.http, self.settings, tenant)
        return self.devices[tenant.id]

    def _push(
        self, tenant: Tenant, entity: str, entity_id: uuid.UUID, data: dict[str, Any]
    ) -> None:
        device = self.device(tenant)
        self.seq[tenant.id] += 1
        response = push(self.http, device, [change(self.seq[tenant.id], entity, entity_id, data)])
        assert response.status_code == 200, response.text
        assert not response.json().get("refused"), response.text

    def sell(self, tenant: Tenant, amount: int, at: datetime, sku: str = "A") -> Sale:
        order_id, order = build_order(
            lines=[(sku, f"Product {sku}", 1, amount, 0)], paid_at=at, currency=tenant.currency
        )
        self._push(tenant, "order", order_id, order)
        return Sale(self.device(tenant), order_id, order)

    def refund(self, tenant: Tenant, sale: Sale, at: datetime) -> None:
        refund_id, refund = build_refund(sale.order, created_at=at, order_id=sale.order_id)
        self._push(tenant, "refund", refund_id, refund)


def close(settings: Settings, period: str) -> fees.Closed:
    engine = create_engine(settings.admin_database_url)
    try:
        with engine.begin() as conn:
            end = datetime(int(period[:4]) + (period[5:] == "12"), int(period[5:]) % 12 + 1, 2,
                           tzinfo=UTC)  # fmt: skip
            return fees.close_period(conn, period, now=end)
    finally:
        engine.dispose()


def platform_client(settings: Settings, **options: Any) -> StripeBilling:
    assert settings.billing_stripe_key
    return StripeBilling(
        api_key=settings.billing_stripe_key,
        base_url=settings.billing_stripe_url,
        timeout_s=10,
        retries=settings.billing_retries,
        backoff_s=(0.05, 0.1),
        **options,
    )


def invoice(settings: Settings, *, force: bool = False) -> RunReport:
    app = app_engine(settings)
    admin = create_engine(settings.admin_database_url)
    try:
        with platform_client(settings) as client:
            return billing_tasks.invoice_all(app, admin, client, days_until_due=14, force=force)
    finally:
        app.dispose()
        admin.dispose()


def new_shop(settings: Settings, **options: Any) -> Tenant:
    return create_tenant(settings, **options)


def add_owner(settings: Settings, tenant: Tenant, email: str) -> None:
    engine = create_engine(settings.admin_database_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                text("INSERT INTO owner_accounts (tenant_id, id, email) VALUES (:t, :i, :e)"),
                {"t": tenant.id, "i": uuid.uuid4(), "e": email},
            )
    finally:
        engine.dispose()


def records(engine: Engine, tenant: Tenant | None = None) -> list[Any]:
    with engine.connect() as conn:
        return list(
            conn.execute(
                text(
                    "SELECT * FROM billing_invoices WHERE (CAST(:t AS uuid) IS NULL OR "
                    "tenant_id = :t) ORDER BY period"
                ),
                {"t": tenant.id if tenant else None},
            )
        )


def stripe_invoices_of(emulator: StripeEmulator, tenant: Tenant) -> list[dict[str, Any]]:
    return [
        invoice
        for invoice in emulator.invoices.values()
        if invoice["metadata"].get("tenant_id") == str(tenant.id)
    ]


def save_card(emulator: StripeEmulator, settings: Settings, tenant: Tenant, card: str) -> None:
    """The shop saves a card as the default for the platform's invoices (its customer made
    first if it has none yet, as the console's card page will)."""
    engine = create_engine(settings.admin_database_url)
    try:
        with engine.begin() as conn:
            customer_id = conn.execute(
                text("SELECT stripe_customer_id FROM billing_customers WHERE tenant_id = :t"),
                {"t": tenant.id},
            ).scalar()
    finally:
        engine.dispose()
    with httpx.Client(
        base_url=emulator.base_url, headers={"Authorization": f"Bearer {emulator.test_key}"}
    ) as client:
        if customer_id is None:
            made = client.post(
                "/v1/customers",
                data={"name": tenant.name, "metadata[tenant_id]": str(tenant.id)},
            )
            assert made.status_code == 200, made.text
            customer_id = made.json()["id"]
            engine = create_engine(settings.admin_database_url)
            try:
                with engine.begin() as conn:
                    conn.execute(
                        text(
                            "INSERT INTO billing_customers (tenant_id, idempotency_key, "
                            "stripe_customer_id) VALUES (:t, :k, :c)"
                        ),
                        {"t": tenant.id, "k": f"billing-customer-{tenant.id}", "c": customer_id},
                    )
            finally:
                engine.dispose()
        attached = client.post(f"/v1/payment_methods/{card}/attach", data={"customer": customer_id})
        assert attached.status_code == 200, attached.text
        updated = client.post(
            f"/v1/customers/{customer_id}",
            data={"invoice_settings[default_payment_method]": attached.json()["id"]},
        )
        assert updated.status_code == 200, updated.text
