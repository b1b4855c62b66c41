"""`sync-server owners invite` and `sync-server operators …`, run as the operator would: a
process of its own, the password on stdin (never on the command line)."""

from __future__ import annotations

import base64
import secrets
import subprocess
import sys
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import Engine, create_engine, text

from sync_server.accounts import service as accounts
from sync_server.config import DEFAULT_CONSOLE_URL, Settings
from sync_server.process import server_env
from sync_server.tenants.schemas import Tenant
from tests.support.sync_server_live import job_rows, run_cli

PASSWORD = "tram lantern pebble 42"


def cli_with_stdin(settings: Settings, stdin: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sync_server.cli", *args],
        env=server_env(settings),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_invite_with_print_link_prints_a_working_one_time_link(
    settings: Settings, app_db: Engine, tenant: Tenant
) -> None:
    email = f"owner-{secrets.token_hex(4)}@example.test"
    done = run_cli(settings, "owners", "invite", "--tenant", tenant.slug, "--email", email,
                   "--print-link")  # fmt: skip
    assert done.returncode == 0, done.stderr
    link = done.stdout.strip()
    assert link.startswith(f"{DEFAULT_CONSOLE_URL}/console/set-password?token=cps_inv_")
    assert f"{email} may set a password for {tenant.slug} with this link, once, until" in (
        done.stderr
    )
    token = link.partition("token=")[2]
    with app_db.begin() as conn:
        claimed = accounts.set_password(
            conn, key=settings.token_hmac_key, token=token, password=PASSWORD
        )
    assert (claimed.tenant_id, claimed.email) == (tenant.id, email)
    assert not [
        job for job in job_rows(settings, accounts.SEND_OWNER_INVITATION)
        if job.args["tenant_id"] == str(tenant.id)
    ]  # fmt: skip


def test_invite_queues_the_email_with_the_console_address(
    settings: Settings, tenant: Tenant
) -> None:
    email = f"owner-{secrets.token_hex(4)}@example.test"
    done = run_cli(
        settings, "owners", "invite", "--tenant", tenant.slug, "--email", email,
        SYNC_CONSOLE_URL="https://console.example.test/",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"invitation for {email} ({tenant.slug}) queued")
    assert "the link works once, until" in done.stdout
    [job] = [
        job for job in job_rows(settings, accounts.SEND_OWNER_INVITATION)
        if job.args["tenant_id"] == str(tenant.id)
    ]  # fmt: skip
    assert (job.queue_name, job.status) == ("notifications", "todo")
    assert job.args["link"].startswith("https://console.example.test/console/set-password?token=")

    refused = run_cli(settings, "owners", "invite", "--tenant", tenant.slug, "--email", "nobody")
    assert refused.returncode == 2
    assert "'nobody' is not an email address" in refused.stderr


def test_operators_are_created_with_the_password_from_stdin(settings: Settings) -> None:
    email = f"ops-{secrets.token_hex(4)}@example.test"
    done = cli_with_stdin(settings, PASSWORD + "\n", "operators", "create", "--email", email,
                          "--totp")  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith(f"operator {email} created")
    uri = lines[-1]
    assert uri.startswith("otpauth://totp/Counter%20POS%3A")
    encoded = parse_qs(urlsplit(uri).query)["secret"][0]
    secret = base64.b32decode(encoded + "=" * (-len(encoded) % 8))

    admin = create_engine(settings.admin_database_url)
    try:
        with admin.connect() as conn:
            row = conn.execute(
                text("SELECT password_hash, totp_secret FROM operator_accounts WHERE email = :e"),
                {"e": email},
            ).one()
        assert row.password_hash.startswith("scrypt$ln=15,r=8,p=1$")
        assert bytes(row.totp_secret) == secret
    finally:
        admin.dispose()

    again = cli_with_stdin(settings, PASSWORD + "\n", "operators", "create", "--email", email)
    assert again.returncode == 2
    assert f"there is already an operator {email}" in again.stderr
    weak = cli_with_stdin(settings, "short\n", "operators", "create", "--email", "x" + email)
    assert weak.returncode == 2
    assert "too short: use at least 12 characters" in weak.stderr
    on_argv = run_cli(settings, "operators", "create", "--email", email, "--password", PASSWORD)
    assert on_argv.returncode == 2
    assert "unrecognized arguments: --password" in on_argv.stderr


def test_operator_totp_is_turned_on_anew_and_off(settings: Settings) -> None:
    email = f"ops-{secrets.token_hex(4)}@example.test"
    assert cli_with_stdin(settings, PASSWORD + "\n", "operators", "create", "--email", email
                          ).returncode == 0  # fmt: skip
    first = run_cli(settings, "operators", "totp", "--email", email)
    second = run_cli(settings, "operators", "totp", "--email", email)
    assert first.returncode == second.returncode == 0
    assert first.stdout.splitlines()[-1] != second.stdout.splitlines()[-1]  # a new secret each time
    off = run_cli(settings, "operators", "totp", "--email", email, "--off")
    assert off.returncode == 0
    assert "no authenticator code asked at sign-in any more" in off.stdout
    unknown = run_cli(settings, "operators", "totp", "--email", "x" + email)
    assert unknown.returncode == 2
    assert f"no operator x{email}" in unknown.stderr
