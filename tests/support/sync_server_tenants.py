"""Shops (tenants) and paired registers (devices) on the sync server, made the way an operator
and a register make them: through the admin connection (`sync-server tenants create`,
`devices pair-code`, `tenants set-stripe`) and `POST /v1/devices/pair`."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
from sqlalchemy import create_engine, text

from sync_server.config import Settings
from sync_server.devices import service as devices
from sync_server.stripe_webhooks import service as stripe_webhooks
from sync_server.tenants import service as tenants
from sync_server.tenants.schemas import Tenant

SHOP_CREATED = datetime(2020, 1, 1, tzinfo=UTC)
"""When test shops were created, by default: long before the sales the tests push (the server
refuses a sale dated before its shop existed)."""


def create_tenant(
    settings: Settings,
    *,
    currency: str = "EUR",
    timezone: str = "Europe/Paris",
    fee_bps: int = 100,
    created_at: datetime | None = SHOP_CREATED,
) -> Tenant:
    """A shop; `created_at=None` keeps the database's now()."""
    engine = create_engine(settings.admin_database_url)
    try:
        with engine.begin() as conn:
            tenant = tenants.create_tenant(
                conn,
                slug=f"shop-{secrets.token_hex(4)}",
                name="Test Shop",
                currency=currency,
                timezone=timezone,
                fee_bps=fee_bps,
            )
            if created_at is not None:
                conn.execute(
                    text("UPDATE tenants SET created_at = :at WHERE id = :id"),
                    {"at": created_at, "id": tenant.id},
                )
            return tenant
    finally:
        engine.dispose()


def pairing_code(settings: Settings, tenant: Tenant) -> str:
    engine = create_engine(settings.admin_database_url)
    try:
        with engine.begin() as conn:
            return devices.create_pairing_code(
                conn, key=settings.token_hmac_key, tenant=tenant
            ).code
    finally:
        engine.dispose()


@dataclass(frozen=True)
class Device:
    tenant: Tenant
    device_id: uuid.UUID
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def pair_device(
    client: httpx.Client, settings: Settings, tenant: Tenant, name: str = "Register"
) -> Device:
    code = pairing_code(settings, tenant)
    response = client.post("/v1/devices/pair", json={"code": code, "device_name": name})
    assert response.status_code == 200, response.text
    body = response.json()
    return Device(tenant=tenant, device_id=uuid.UUID(body["device_id"]), token=body["token"])


def set_stripe_secret(
    settings: Settings, tenant: Tenant, secret: str, account: str | None = None
) -> None:
    engine = create_engine(settings.admin_database_url)
    try:
        with engine.begin() as conn:
            stripe_webhooks.set_account(
                conn, tenant=tenant, webhook_secret=secret, account_id=account
            )
    finally:
        engine.dispose()
