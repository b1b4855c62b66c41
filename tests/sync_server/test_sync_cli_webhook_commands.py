"""`sync-server tenants set-stripe`, `notifications opt-out|list`, `reconcile run|ack|report`,
run as real subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import httpx
import pytest

from sync_server.config import Settings
from sync_server.stripe_webhooks.signature import sign
from tests.support.sync_server_live import start_live_server
from tests.support.sync_server_tenants import create_tenant

pytestmark = pytest.mark.postgres

SECRET = "whsec_cli0123456789abcdef"


def _cli(
    settings: Settings, *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "SYNC_DATABASE_URL": settings.database_url,
        "SYNC_ADMIN_DATABASE_URL": settings.admin_database_url,
        "SYNC_TOKEN_HMAC_KEY": settings.token_hmac_key.decode(),
    }
    return subprocess.run(
        [sys.executable, "-m", "sync_server.cli", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_set_stripe_then_the_endpoint_accepts_that_secret(fresh_settings: Settings) -> None:
    tenant = create_tenant(fresh_settings)
    bad = _cli(fresh_settings, "tenants", "set-stripe", "--tenant", tenant.slug,
               "--webhook-secret", "sk_live_oops")  # fmt: skip
    assert bad.returncode == 2
    assert "whsec_" in bad.stderr
    done = _cli(fresh_settings, "tenants", "set-stripe", "--tenant", tenant.slug,
                "--webhook-secret", "-", "--account", "acct_1Cafe",
                stdin=SECRET + "\n")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"/v1/stripe/webhooks/{tenant.slug}" in done.stdout
    assert SECRET not in done.stdout

    live = start_live_server(fresh_settings)
    try:
        body = (
            b'{"id": "evt_cli", "type": "ping", "created": 1, "account": "acct_1Cafe", '
            b'"data": {"object": {"id": "x", "object": "ping"}}}'
        )
        response = httpx.post(
            f"{live.url}/v1/stripe/webhooks/{tenant.slug}",
            content=body,
            headers={"Stripe-Signature": sign(body, SECRET, int(time.time()))},
        )
        assert response.status_code == 200, response.text
    finally:
        live.stop()


def test_notification_opt_out_and_listing(fresh_settings: Settings) -> None:
    tenant = create_tenant(fresh_settings)
    first = _cli(fresh_settings, "notifications", "opt-out", "--tenant", tenant.slug,
                 "--address", "+5511987654321")  # fmt: skip
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == "+5511987654321 opted out (sms)"
    again = _cli(fresh_settings, "notifications", "opt-out", "--tenant", tenant.slug,
                 "--address", "+5511987654321")  # fmt: skip
    assert "had already opted out" in again.stdout
    email = _cli(fresh_settings, "notifications", "opt-out", "--tenant", tenant.slug,
                 "--address", "Ana@Example.com")  # fmt: skip
    assert "(email)" in email.stdout
    bad = _cli(fresh_settings, "notifications", "opt-out", "--tenant", tenant.slug,
               "--address", "not an address")  # fmt: skip
    assert bad.returncode == 2
    assert "is not an email address" in bad.stderr
    listed = _cli(fresh_settings, "notifications", "list", "--tenant", tenant.slug)
    assert (listed.returncode, listed.stdout) == (0, "")


def test_reconcile_run_ack_and_report(fresh_settings: Settings) -> None:
    tenant = create_tenant(fresh_settings)
    assert _cli(fresh_settings, "reconcile", "run").stdout.strip() == "open flags: 0"
    one = _cli(fresh_settings, "reconcile", "run", "--tenant", tenant.slug)
    assert one.returncode == 0, one.stderr
    assert "DailyResult" not in one.stdout
    assert one.stdout.splitlines()[0] == f"{tenant.slug}: daily reconciliation done"
    assert "  outside refunds booked: 0" in one.stdout.splitlines()
    as_object = _cli(fresh_settings, "reconcile", "run", "--tenant", tenant.slug, "--json")
    assert json.loads(as_object.stdout) == {
        "tenant": tenant.slug, "refunds_booked": 0, "disputes_linked": 0, "uncaptured": 0,
        "unsynced": 0, "card_mismatches": 0,
    }  # fmt: skip
    report = _cli(fresh_settings, "reconcile", "report", "--tenant", tenant.slug)
    assert report.stdout.strip() == f"{tenant.slug}: nothing to reconcile"
    as_json = _cli(fresh_settings, "reconcile", "report", "--tenant", tenant.slug,
                   "--format", "json")  # fmt: skip
    assert as_json.stdout.strip() == "[]"
    missing = _cli(fresh_settings, "reconcile", "ack", "--tenant", tenant.slug, "12345")
    assert missing.returncode == 2
    assert "no open flag 12345" in missing.stderr
    unknown = _cli(fresh_settings, "reconcile", "report", "--tenant", "no-such-shop")
    assert (unknown.returncode, "no tenant" in unknown.stderr) == (2, True)
