"""`POST /v1/owners/invitations`: a paired register invites an owner of its own shop, over real
HTTP on loopback against PostgreSQL. The worker emails the link (real SMTP on loopback); a
resend of the same request (its Idempotency-Key) makes and sends nothing new; bad emails,
missing keys, reused keys and a shop past its limit get 4xx with a sentence to show."""

from __future__ import annotations

import re
import secrets
import uuid

import httpx
import pytest
from sqlalchemy import Engine, text

from sync_server.accounts import service as accounts
from sync_server.config import Settings
from sync_server.db import tenant_transaction
from sync_server.notifications.email import SmtpConfig, SmtpSender
from sync_server.notifications.service import Channels
from tests.support.smtp_server import SmtpServer
from tests.support.sync_server_live import LiveServer, run_jobs
from tests.support.sync_server_tenants import Device, create_tenant, pair_device

PATH = "/v1/owners/invitations"


def post(
    http: httpx.Client, device: Device, email: str, key: uuid.UUID | str | None
) -> httpx.Response:
    headers = dict(device.headers)
    if key is not None:
        headers["Idempotency-Key"] = str(key)
    return http.post(PATH, json={"email": email}, headers=headers)


def invitations(app_db: Engine, device: Device) -> list[tuple[str, uuid.UUID | None]]:
    with tenant_transaction(app_db, device.tenant.id) as conn:
        rows = conn.execute(
            text(
                "SELECT a.email, i.device_id FROM owner_invitations i JOIN owner_accounts a "
                "ON a.tenant_id = i.tenant_id AND a.id = i.account_id WHERE i.tenant_id = :t"
            ),
            {"t": device.tenant.id},
        ).all()
    return [(row.email, row.device_id) for row in rows]


def test_a_register_invites_an_owner_and_a_resend_sends_nothing_twice(
    fresh_settings: Settings, fresh_live: LiveServer, smtp: SmtpServer
) -> None:
    shop = create_tenant(fresh_settings)
    with httpx.Client(base_url=fresh_live.url, timeout=30) as http:
        device = pair_device(http, fresh_settings, shop)
        key = uuid.uuid4()
        first = post(http, device, "  Owner.Two@Example.TEST ", key)
        assert first.status_code == 200, first.text
        body = first.json()
        assert body["email"] == "owner.two@example.test"
        assert (body["replayed"], body["email_status"]) == (False, "queued")

        again = post(http, device, "owner.two@example.test", key)
        assert again.status_code == 200, again.text
        assert again.json()["invitation_id"] == body["invitation_id"]
        assert again.json()["replayed"] is True

    sender = SmtpSender(SmtpConfig(smtp.host, smtp.port, "console@counterpos.test", timeout=5))
    run_jobs(fresh_settings, Channels(email=sender, sms=None, public_url=None, link_key=b""))
    [mail] = smtp.handler.received()
    assert mail.rcpt_tos == ["owner.two@example.test"]
    plain = mail.message.get_body(("plain",))
    assert plain is not None
    assert re.search(r"/console/set-password\?token=cps_inv_\S+", plain.get_content())

    engine = fresh_live.app.state.context.engine
    assert invitations(engine, device) == [("owner.two@example.test", device.device_id)]


def test_the_same_key_with_another_email_is_refused(
    http: httpx.Client, device: Device, app_db: Engine
) -> None:
    key = uuid.uuid4()
    assert post(http, device, "first@example.test", key).status_code == 200
    reused = post(http, device, "second@example.test", key)
    assert reused.status_code == 409
    assert reused.json()["error"]["code"] == "request_key_reused"
    assert "another email" in reused.json()["error"]["message"]
    assert invitations(app_db, device) == [("first@example.test", device.device_id)]


@pytest.mark.parametrize("email", ["not-an-email", "two@@example.test", "a b@example.test", " "])
def test_a_bad_email_is_refused_with_a_sentence(
    http: httpx.Client, device: Device, app_db: Engine, email: str
) -> None:
    refused = post(http, device, email, uuid.uuid4())
    assert refused.status_code == 422, refused.text
    error = refused.json()["error"]
    assert error["code"] == "bad_email"
    assert "is not an email address" in error["message"]
    assert invitations(app_db, device) == []


def test_a_request_without_an_idempotency_key_is_refused(
    http: httpx.Client, device: Device
) -> None:
    for key in (None, "not-a-uuid"):
        refused = post(http, device, "owner@example.test", key)
        assert refused.status_code == 422, refused.text
        assert "idempotency-key" in refused.text.lower()


def test_an_unknown_token_is_refused(http: httpx.Client, device: Device) -> None:
    forged = Device(device.tenant, device.device_id, "cps_dev_" + secrets.token_urlsafe(32))
    refused = post(http, forged, "owner@example.test", uuid.uuid4())
    assert refused.status_code == 401


def test_a_shop_past_its_limit_waits_and_resends_still_answer(
    http: httpx.Client, settings: Settings, device: Device, app_db: Engine
) -> None:
    keys = [uuid.uuid4() for _ in range(accounts.INVITES_PER_WINDOW + 1)]
    for number, key in enumerate(keys[:-1]):
        assert post(http, device, f"owner{number}@example.test", key).status_code == 200
    refused = post(http, device, "one-too-many@example.test", keys[-1])
    assert refused.status_code == 429
    assert "too many owner invitations for this shop" in refused.json()["error"]["message"]
    assert 0 < int(refused.headers["Retry-After"]) <= accounts.INVITE_WINDOW_SECONDS
    # A resend of a request that was done is not a new invitation: it still answers.
    replay = post(http, device, "owner0@example.test", keys[0])
    assert (replay.status_code, replay.json()["replayed"]) == (200, True)
    # Another shop has its own count.
    other = pair_device(http, settings, create_tenant(settings))
    assert post(http, other, "owner@example.test", uuid.uuid4()).status_code == 200
    assert len(invitations(app_db, device)) == accounts.INVITES_PER_WINDOW


def test_the_cli_and_the_register_share_one_owner_account(
    http: httpx.Client, settings: Settings, device: Device, app_db: Engine
) -> None:
    with tenant_transaction(app_db, device.tenant.id) as conn:
        by_cli = accounts.invite_owner(
            conn, key=settings.token_hmac_key, tenant=device.tenant,
            email="same@example.test", public_base_url="https://console.example.test",
            send_email=False,
        )  # fmt: skip
    response = post(http, device, "same@example.test", uuid.uuid4())
    assert response.status_code == 200
    with tenant_transaction(app_db, device.tenant.id) as conn:
        accounts_of = conn.execute(
            text("SELECT id FROM owner_accounts WHERE tenant_id = :t"), {"t": device.tenant.id}
        ).scalars().all()  # fmt: skip
    assert accounts_of == [by_cli.account_id]
    assert [device_id for _, device_id in invitations(app_db, device)].count(None) == 1
