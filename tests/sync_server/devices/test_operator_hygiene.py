"""What an operator sees and keeps: a pairing code's expiry, devices' last contact, device names,
exports without secrets, and an access log without customers' addresses or unsubscribe tokens."""

from __future__ import annotations

import re
import subprocess
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, create_engine, text

from sync_server.accounts import service as accounts
from sync_server.config import Settings
from sync_server.db import tenant_transaction
from sync_server.devices.service import hash_secret
from sync_server.notifications.service import unsubscribe_token
from sync_server.process import ServerProcess
from sync_server.tenants.schemas import Tenant
from tests.support.push_payloads import change, push
from tests.support.sync_server_live import run_cli
from tests.support.sync_server_tenants import Device, pairing_code, set_stripe_secret

pytestmark = pytest.mark.postgres


def _cli(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    result = run_cli(settings, *args)
    assert result.returncode == 0, result.stderr
    return result


def test_pair_code_says_when_it_expires(settings: Settings, tenant: Tenant) -> None:
    before = datetime.now(UTC)
    issued = _cli(settings, "devices", "pair-code", "--tenant", tenant.slug)
    assert re.fullmatch(r"[A-Z0-9]{5}-[A-Z0-9]{5}\n", issued.stdout)  # scripts capture the code
    found = re.search(r"valid until (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC", issued.stderr)
    assert found is not None, issued.stderr
    until = datetime.strptime(found.group(1), "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    assert before + timedelta(minutes=14) < until <= datetime.now(UTC) + timedelta(minutes=15)


def _listed(settings: Settings, tenant: Tenant, device: Device) -> str:
    listing = _cli(settings, "devices", "list", "--tenant", tenant.slug).stdout
    line = next(row for row in listing.splitlines() if row.startswith(str(device.device_id)))
    return line.split("\t")[-1]


def test_devices_list_shows_when_each_device_was_last_seen(
    settings: Settings, http: httpx.Client, tenant: Tenant, device: Device, admin_db: Engine
) -> None:
    assert _listed(settings, tenant, device) == "last_seen=never"
    assert http.get("/v1/sync/pull", headers=device.headers).status_code == 200
    seen = _listed(settings, tenant, device)
    assert seen == f"last_seen={datetime.now(UTC):%Y-%m-%dT%H:%M}Z" or seen.startswith(
        f"last_seen={datetime.now(UTC):%Y-%m-%d}"
    )

    def stored() -> datetime:
        with admin_db.connect() as conn:
            value: datetime = conn.execute(
                text("SELECT last_seen_at FROM devices WHERE id = :d"), {"d": device.device_id}
            ).scalar_one()
            return value

    first = stored()
    assert http.get("/v1/sync/pull", headers=device.headers).status_code == 200
    assert http.get("/v1/devices/me", headers=device.headers).status_code == 200
    assert stored() == first  # at most one write a minute per device
    with admin_db.begin() as conn:
        conn.execute(
            text("UPDATE devices SET last_seen_at = now() - interval '2 minutes' WHERE id = :d"),
            {"d": device.device_id},
        )
    assert http.get("/v1/sync/pull", headers=device.headers).status_code == 200
    assert stored() > first


def test_a_device_name_of_spaces_is_refused_and_names_are_trimmed(
    settings: Settings, http: httpx.Client, tenant: Tenant, admin_db: Engine
) -> None:
    code = pairing_code(settings, tenant)
    blank = http.post("/v1/devices/pair", json={"code": code, "device_name": "   "})
    assert blank.status_code == 422
    assert "device_name" in blank.json()["error"]["message"]
    paired = http.post("/v1/devices/pair", json={"code": code, "device_name": "  Till 3 "})
    assert paired.status_code == 200  # the refused attempt did not use the code up
    with admin_db.connect() as conn:
        name = conn.execute(
            text("SELECT name FROM devices WHERE id = :d"), {"d": paired.json()["device_id"]}
        ).scalar_one()
    assert name == "Till 3"


def _owner_with_password(settings: Settings, tenant: Tenant) -> tuple[str, str]:
    """An owner of `tenant` who has set a password; their email and invitation token."""
    email = f"owner-{uuid.uuid4().hex[:8]}@example.com"
    engine = create_engine(settings.database_url)
    try:
        with tenant_transaction(engine, tenant.id) as conn:
            invited = accounts.invite_owner(
                conn, key=settings.token_hmac_key, tenant=tenant, email=email,
                public_base_url=settings.console_url, send_email=False,
            )  # fmt: skip
        token = invited.link.partition("token=")[2]
        with engine.begin() as conn:
            accounts.set_password(
                conn, key=settings.token_hmac_key, token=token, password="a long enough pass phrase"
            )
    finally:
        engine.dispose()
    return email, token


def test_an_export_holds_no_pin_hash_token_hash_or_webhook_secret(
    settings: Settings, http: httpx.Client, tenant: Tenant, device: Device
) -> None:
    pin_hash = "scrypt$16384$8$1$c2FsdHNhbHQ=$" + "ab" * 32
    staff_id = uuid.uuid4()
    staff = {"name": "Ana", "role": "cashier", "pin_hash": pin_hash}
    staff["updated_at"] = "2026-03-01T09:00:00+00:00"
    assert push(http, device, [change(1, "staff", staff_id, staff)]).status_code == 200
    secret = "whsec_" + "s3cr3t" * 6
    set_stripe_secret(settings, tenant, secret)
    owner_email, invitation = _owner_with_password(settings, tenant)

    exported = _cli(settings, "tenants", "export", tenant.slug).stdout
    assert owner_email in exported  # the owner's account is there, without its password's hash
    assert invitation not in exported
    assert "scrypt$" not in exported
    assert '"password_hash"' not in exported
    assert '"name": "Ana"' in exported  # the staff member is there, without her PIN's hash
    assert '"pin_hash"' not in exported
    assert pin_hash not in exported
    assert "c2FsdHNhbHQ=" not in exported
    token_hash = hash_secret(settings.token_hmac_key, device.token)
    for leaked in (device.token, token_hash.hex(), secret, "whsec_"):
        assert leaked not in exported


def test_the_access_log_keeps_no_customer_address_or_unsubscribe_token(
    settings: Settings, tenant: Tenant, tmp_path: Path
) -> None:
    address = "ana.customer@example.com"
    token = unsubscribe_token(settings.token_hmac_key, tenant.id, "email", address)
    log_path = tmp_path / "server.log"
    server = ServerProcess(settings, log_path=log_path)
    try:
        with httpx.Client(base_url=server.url, timeout=30) as client:
            params = {"channel": "email", "address": address, "token": token}
            path = f"/v1/notifications/unsubscribe/{tenant.id}"
            assert client.get(path, params=params).status_code == 200
            done = client.post(path, params=params)
            assert done.status_code == 200
            assert "no more messages" in done.text
    finally:
        server.stop()
    logged = log_path.read_text()
    assert f"POST /v1/notifications/unsubscribe/{tenant.id}" in logged  # the access log is on
    for private in (address, "ana.customer", "example.com", token):
        assert private not in logged
