"""The `sync-server` command line, run as a real subprocess against a database of its own."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from sync_server.config import Settings
from tests.support.push_payloads import build_order, change, push
from tests.support.sync_server_live import LiveServer, start_live_server
from tests.support.sync_server_tenants import create_tenant

pytestmark = pytest.mark.postgres


def _env(settings: Settings) -> dict[str, str]:
    return {
        **os.environ,
        "SYNC_DATABASE_URL": settings.database_url,
        "SYNC_ADMIN_DATABASE_URL": settings.admin_database_url,
        "SYNC_TOKEN_HMAC_KEY": settings.token_hmac_key.decode(),
    }


def _cli(settings: Settings, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "sync_server.cli", *args],
        env=_env(settings),
        capture_output=True,
        text=True,
        timeout=120,
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


@pytest.fixture
def fresh_live(fresh_settings: Settings) -> object:
    # The shops are created now and sell in March 2026: these shops moved their books from
    # another system, so the server takes sales from before their creation here.
    server = start_live_server(replace(fresh_settings, sale_time_margin_s=10 * 365 * 86_400))
    yield server
    server.stop()


def test_tenant_lifecycle_pairing_statement_close_verify_export(
    fresh_settings: Settings, fresh_live: LiveServer
) -> None:
    settings = fresh_settings
    assert "up to date" in _cli(settings, "migrate").stdout  # idempotent
    _cli(
        settings,
        "tenants",
        "create",
        "bakery",
        "--name",
        "Bakery",
        "--currency",
        "EUR",
        "--timezone",
        "Europe/Paris",
        "--fee-bps",
        "150",
    )
    _cli(
        settings,
        "tenants",
        "create",
        "diner",
        "--name",
        "Diner",
        "--currency",
        "USD",
        "--timezone",
        "America/New_York",
    )
    listed = _cli(settings, "tenants", "list").stdout
    assert "bakery" in listed
    assert "diner" in listed
    bad = _cli(
        settings,
        "tenants",
        "create",
        "bakery",
        "--name",
        "Again",
        "--currency",
        "EUR",
        "--timezone",
        "Europe/Paris",
        check=False,
    )
    assert bad.returncode == 2
    assert "already exists" in bad.stderr
    bad_zone = _cli(
        settings,
        "tenants",
        "create",
        "x1",
        "--name",
        "X",
        "--currency",
        "EUR",
        "--timezone",
        "Mars/Olympus",
        check=False,
    )
    assert bad_zone.returncode == 2
    assert "time zone" in bad_zone.stderr

    code = _cli(settings, "devices", "pair-code", "--tenant", "bakery").stdout
    assert re.fullmatch(r"[A-Z0-9]{5}-[A-Z0-9]{5}\n", code)  # the code and nothing else
    devices = {}
    with httpx.Client(base_url=fresh_live.url) as client:
        for slug in ("bakery", "diner"):
            pair = _cli(settings, "devices", "pair-code", "--tenant", slug).stdout.strip()
            body = client.post(
                "/v1/devices/pair", json={"code": pair, "device_name": "Till"}
            ).json()
            devices[slug] = body
        import uuid

        from sync_server.tenants.schemas import Tenant
        from tests.support.sync_server_tenants import Device

        for slug, currency in (("bakery", "EUR"), ("diner", "USD")):
            body = devices[slug]
            tenant = Tenant(
                uuid.UUID(body["tenant"]["id"]), slug, slug, currency, body["tenant"]["timezone"]
            )
            device = Device(tenant, uuid.UUID(body["device_id"]), body["token"])
            order_id, order = build_order(
                lines=[("BRD", "Bread", 1, 10_000, 0)],
                paid_at=datetime(2026, 3, 3, tzinfo=UTC),
                currency=currency,
            )
            assert push(client, device, [change(1, "order", order_id, order)]).status_code == 200

    statement = json.loads(
        _cli(
            settings,
            "fees",
            "statement",
            "--tenant",
            "bakery",
            "--period",
            "2026-03",
            "--format",
            "json",
        ).stdout
    )
    assert statement["rate_bps"] == 150
    assert statement["fee_minor"] == 150
    assert statement["products"] == [
        {"sku": "BRD", "name": "Bread", "net_minor": 10_000, "fee_minor": 150}
    ]
    text_statement = _cli(
        settings, "fees", "statement", "--tenant", "bakery", "--period", "2026-03"
    ).stdout
    assert "fee" in text_statement
    assert "150" in text_statement
    bad_period = _cli(
        settings, "fees", "statement", "--tenant", "bakery", "--period", "2026-13", check=False
    )
    assert bad_period.returncode == 2

    verified = _cli(settings, "fees", "verify").stdout
    assert "equals" in verified
    # One line per named check, in order.
    assert [line.split(":")[0] for line in verified.splitlines()[:3]] == [
        "check ledger",
        "check closed statements",
        "check open statements",
    ]
    closed = _cli(settings, "fees", "close-period", "--period", "2026-03").stdout
    assert "2 statements" in closed
    again = _cli(settings, "fees", "close-period", "--period", "2026-03", check=False)
    assert again.returncode == 2
    assert "already closed" in again.stderr

    exported = _cli(settings, "tenants", "export", "bakery").stdout.splitlines()
    rows = [json.loads(line) for line in exported]
    tables = {row["table"] for row in rows}
    assert {
        "tenants",
        "devices",
        "orders",
        "order_lines",
        "tenders",
        "fee_ledger",
        "fee_statements",
    } <= tables
    bakery_id = devices["bakery"]["tenant"]["id"]
    for row in rows:
        owner = row["row"]["id"] if row["table"] == "tenants" else row["row"]["tenant_id"]
        assert owner == bakery_id, row
    assert not any("token" in json.dumps(row) for row in rows if row["table"] == "devices")

    revoked = _cli(settings, "devices", "revoke", devices["diner"]["device_id"]).stdout
    assert "revoked" in revoked
    with httpx.Client(base_url=fresh_live.url) as client:
        me = client.get(
            "/v1/devices/me", headers={"Authorization": f"Bearer {devices['diner']['token']}"}
        )
    assert me.status_code == 401

    from sqlalchemy import create_engine, text

    engine = create_engine(settings.admin_database_url)
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE fee_ledger SET amount_minor = 1 WHERE sku = 'BRD' AND currency = 'USD'")
        )
    engine.dispose()
    tampered = _cli(settings, "fees", "verify", check=False)
    assert tampered.returncode == 1
    assert "difference" in tampered.stderr
    assert "diner" in tampered.stderr
    # The check that finds it is named: the altered row differs from the recomputation.
    assert "check ledger: 1 difference(s) in 1 shop(s)" in tampered.stderr


def test_worker_runs_and_stops_cleanly(fresh_settings: Settings) -> None:
    once = _cli(fresh_settings, "worker", "--once")
    assert once.returncode == 0
    process = subprocess.Popen(
        [sys.executable, "-m", "sync_server.cli", "worker"],
        env=_env(fresh_settings),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        assert "worker ready" in process.stderr.readline()  # blocks until it takes jobs
        time.sleep(0.5)
        assert process.poll() is None  # still running: it waits for jobs
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
        assert process.returncode == 0, stderr
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()


def test_worker_stopped_while_starting_exits_cleanly(fresh_settings: Settings) -> None:
    """A supervisor's SIGTERM during start-up (before the queue's handlers) is a clean stop."""
    process = subprocess.Popen(
        [sys.executable, "-m", "sync_server.cli", "worker"],
        env=_env(fresh_settings),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(0.3)  # inside Python's start-up or the imports: either way no job was taken
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
        assert process.returncode in (0, -signal.SIGTERM), stderr
        assert "Traceback" not in stderr
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()


def test_missing_hmac_key_is_a_clear_error(fresh_settings: Settings) -> None:
    env = {**_env(fresh_settings), "SYNC_TOKEN_HMAC_KEY": ""}
    result = subprocess.run(
        [sys.executable, "-m", "sync_server.cli", "devices", "pair-code", "--tenant", "nope"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "SYNC_TOKEN_HMAC_KEY" in result.stderr


def test_a_failed_export_leaves_the_output_file_as_it_was(
    fresh_settings: Settings, tmp_path: Path
) -> None:
    slug = create_tenant(fresh_settings).slug
    output = tmp_path / "export.jsonl"
    output.write_text("yesterday's export\n", encoding="utf-8")
    unknown = _cli(
        fresh_settings, "tenants", "export", "nope", "--output", str(output), check=False
    )
    assert unknown.returncode == 2
    assert "no tenant" in unknown.stderr
    assert output.read_text(encoding="utf-8") == "yesterday's export\n"

    nowhere = tmp_path / "missing" / "export.jsonl"
    bad = _cli(fresh_settings, "tenants", "export", slug, "--output", str(nowhere), check=False)
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr
    assert bad.stderr.count("\n") == 1, bad.stderr
    assert bad.stderr.startswith(f"sync-server: cannot write {nowhere}: No such file or directory")

    written = _cli(fresh_settings, "tenants", "export", slug, "--output", str(output))
    assert written.stdout == ""
    rows = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert {"table": "tenants"}.items() <= rows[0].items()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.jsonl"]  # no temporary left
