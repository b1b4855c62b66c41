"""`POST /v1/stripe/webhooks/{tenant}`: signed, forged, tampered, stale, replayed (unknown shops:
`test_webhook_one_answer.py`)."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import subprocess
import sys
import time
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from sync_server.db import app_engine, tenant_transaction
from sync_server.kit import queue
from sync_server.stripe_webhooks.signature import sign
from tests.support.sync_server_live import job_rows
from tests.support.sync_server_tenants import create_tenant, set_stripe_secret
from tests.support.sync_shop import Shop

pytestmark = pytest.mark.postgres

SECRET = "whsec_" + "a1b2c3d4" * 4


def _event(event_id: str = "evt_1Test", **extra: Any) -> bytes:
    event = {
        "id": event_id,
        "object": "event",
        "api_version": "2023-08-16",
        "created": int(time.time()),
        "type": "charge.dispute.created",
        "data": {"object": {"id": "du_1Test", "object": "dispute"}},
        **extra,
    }
    return json.dumps(event, indent=2).encode()


def _post(shop: Shop, body: bytes, header: str | None, slug: str | None = None) -> Any:
    headers = {"Content-Type": "application/json"}
    if header is not None:
        headers["Stripe-Signature"] = header
    return shop.http.post(
        f"/v1/stripe/webhooks/{slug or shop.tenant.slug}", content=body, headers=headers
    )


def _inbox(engine: Engine, shop: Shop) -> list[Any]:
    with engine.connect() as conn:
        return list(
            conn.execute(
                text("SELECT id, type, processed_at FROM stripe_events WHERE tenant_id = :t"),
                {"t": shop.tenant.id},
            )
        )


@pytest.fixture
def secured(shop: Shop) -> Shop:
    set_stripe_secret(shop.settings, shop.tenant, SECRET)
    return shop


def test_a_signed_event_is_stored_once_and_its_handling_enqueued(
    secured: Shop, admin: Engine
) -> None:
    body = _event()
    response = _post(secured, body, sign(body, SECRET, int(time.time())))
    assert response.status_code == 200, response.text
    assert response.json() == {"received": True, "event_id": "evt_1Test", "duplicate": False}
    assert [(row.id, row.type, row.processed_at) for row in _inbox(admin, secured)] == [
        ("evt_1Test", "charge.dispute.created", None)
    ]
    jobs = job_rows(secured.settings, queue.HANDLE_STRIPE_EVENT)
    assert [(job.status, job.queue_name, job.args) for job in jobs] == [
        ("todo", "stripe", {"tenant_id": str(secured.tenant.id), "event_id": "evt_1Test"})
    ]

    # Stripe delivers again (a timeout on its side, a retry): same answer, nothing new.
    again = _post(secured, body, sign(body, SECRET, int(time.time())))
    assert again.status_code == 200
    assert again.json()["duplicate"] is True
    assert len(_inbox(admin, secured)) == 1
    assert len(job_rows(secured.settings, queue.HANDLE_STRIPE_EVENT)) == 1


def test_forged_and_tampered_signatures_are_refused(secured: Shop, admin: Engine) -> None:
    body = _event()
    now = int(time.time())
    forged = _post(secured, body, sign(body, "whsec_someone_else_entirely", now))
    assert forged.status_code == 400
    assert forged.json()["error"]["code"] == "bad_signature"
    tampered = _event(type="charge.dispute.closed")
    assert _post(secured, tampered, sign(body, SECRET, now)).status_code == 400
    # A valid signature made for another timestamp than the one in the header.
    digest = hmac.new(SECRET.encode(), f"{now - 1}.".encode() + body, hashlib.sha256).hexdigest()
    assert _post(secured, body, f"t={now},v1={digest}").status_code == 400
    for header in (None, "", "garbage", f"t={now}", f"v1={'0' * 64}", f"t=abc,v1={'0' * 64}"):
        response = _post(secured, body, header)
        assert response.status_code == 400, header
        assert response.json()["error"]["code"] == "bad_signature"
    assert _inbox(admin, secured) == []
    assert job_rows(secured.settings) == []


def test_a_timestamp_of_superscript_digits_is_400_not_500(secured: Shop) -> None:
    body = _event()
    for digit in (b"\xb2", b"\xb3", b"\xb9"):  # ² ³ ¹: header bytes are read as latin-1
        response = secured.http.post(
            f"/v1/stripe/webhooks/{secured.tenant.slug}",
            content=body,
            headers={b"Stripe-Signature": b"t=" + digit + b",v1=" + b"0" * 64},
        )
        assert response.status_code == 400, response.text
        assert (
            response.json()["error"]["message"] == "the Stripe-Signature timestamp is not a number"
        )


def test_stale_and_future_timestamps_are_refused_within_tolerance_accepted(
    secured: Shop, admin: Engine
) -> None:
    now = int(time.time())
    stale = _event("evt_stale")
    response = _post(secured, stale, sign(stale, SECRET, now - 301))
    assert response.status_code == 400
    assert "old" in response.json()["error"]["message"]
    future = _event("evt_future")
    assert _post(secured, future, sign(future, SECRET, now + 400)).status_code == 400
    recent = _event("evt_recent")
    assert _post(secured, recent, sign(recent, SECRET, now - 250)).status_code == 200
    assert [row.id for row in _inbox(admin, secured)] == ["evt_recent"]


def test_a_rolled_secret_any_matching_v1_is_enough(secured: Shop) -> None:
    body = _event("evt_rolled")
    now = int(time.time())
    old = sign(body, "whsec_previous_secret_0001", now).split(",")[1]
    header = f"t={now},{old},{sign(body, SECRET, now).split(',')[1]},v0={'f' * 64}"
    assert _post(secured, body, header).status_code == 200


def test_a_signed_body_that_is_not_an_event_is_400(secured: Shop) -> None:
    for body in (b"not json", b"{}", json.dumps({"id": "evt_x", "type": "x"}).encode()):
        response = _post(secured, body, sign(body, SECRET, int(time.time())))
        assert response.status_code == 400, body
        assert response.json()["error"]["code"] == "bad_event"


def test_events_of_another_stripe_account_are_refused(shop: Shop) -> None:
    set_stripe_secret(shop.settings, shop.tenant, SECRET, account="acct_1Mine")
    theirs = _event("evt_theirs", account="acct_1Theirs")
    assert _post(shop, theirs, sign(theirs, SECRET, int(time.time()))).status_code == 400
    mine = _event("evt_mine", account="acct_1Mine")
    assert _post(shop, mine, sign(mine, SECRET, int(time.time()))).status_code == 200


def test_the_app_role_cannot_read_secrets_nor_enqueue_for_another_tenant(secured: Shop) -> None:
    engine = app_engine(secured.settings)
    other = create_tenant(secured.settings)
    try:
        with pytest.raises(DBAPIError, match="permission denied"), engine.connect() as conn:
            conn.execute(text("SELECT webhook_secret FROM stripe_accounts"))
        with pytest.raises(DBAPIError, match="permission denied"), engine.connect() as conn:
            conn.execute(text("SELECT * FROM procrastinate_jobs"))
        with (
            pytest.raises(DBAPIError, match="tenant of the transaction"),
            tenant_transaction(engine, secured.tenant.id) as conn,
        ):
            queue.defer(conn, queue.HANDLE_STRIPE_EVENT, [{"tenant_id": str(other.id)}])
        with (
            pytest.raises(DBAPIError, match="cannot be deferred"),
            tenant_transaction(engine, secured.tenant.id) as conn,
        ):
            queue.defer(conn, "close_statements", [{"tenant_id": str(secured.tenant.id)}])
    finally:
        engine.dispose()


def test_the_in_database_hmac_is_rfc_2104(secured: Shop, admin: Engine) -> None:
    with admin.connect() as conn:
        for key_length in (0, 1, 38, 64, 65, 300):
            for message_length in (0, 1, 55, 64, 1000):
                key, message = os.urandom(key_length), os.urandom(message_length)
                got = conn.execute(
                    text("SELECT sync_hmac_sha256(:k, :m)"), {"k": key, "m": message}
                ).scalar_one()
                assert bytes(got) == hmac.new(key, message, hashlib.sha256).digest()


def test_an_event_the_worker_cannot_read_is_a_dead_job_at_once(secured: Shop) -> None:
    """A payload the server cannot read shows in `sync-server jobs dead` with the reason, after
    one attempt (no retry reads it better), not only in the database (real worker, real CLI)."""
    body = _event(
        "evt_1Unreadable",
        type="charge.refunded",
        data={"object": {"id": "ch_1Test", "object": "charge", "amount": "lots"}},
    )
    assert _post(secured, body, sign(body, SECRET, int(time.time()))).status_code == 200
    env = {
        **os.environ,
        "SYNC_DATABASE_URL": secured.settings.database_url,
        "SYNC_ADMIN_DATABASE_URL": secured.settings.admin_database_url,
        "SYNC_TOKEN_HMAC_KEY": secured.settings.token_hmac_key.decode(),
    }

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "sync_server.cli", *args],
            env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip

    worked = cli("worker", "--once")
    assert worked.returncode == 0, worked.stderr
    assert "failed for good" in worked.stdout
    dead = cli("jobs", "dead")
    assert dead.returncode == 0, dead.stderr
    [line] = [line for line in dead.stdout.splitlines() if "evt_1Unreadable" in line]
    fields = line.split("\t")
    assert fields[1] == "handle_stripe_event"
    assert fields[3] == "attempts=1"
    assert "unreadable charge: amount" in fields[-1]
