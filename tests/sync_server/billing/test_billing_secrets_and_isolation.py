"""The platform's Stripe key is held like the server's other secrets (the environment or a file,
never in a `repr`, an error or the CLI's output), and a shop's billing rows stay behind its
row-level security like every tenant table."""

from __future__ import annotations

import socket
from pathlib import Path

import httpx
import pytest

from pos_app.payments.emulator import StripeEmulator
from sync_server.billing import service as billing
from sync_server.billing.schemas import BillingError, StripeFailure
from sync_server.billing.stripe_client import StripeBilling, from_settings
from sync_server.config import ConfigError, Settings
from sync_server.db import app_engine
from sync_server.scope import tenant_scope
from tests.support.billing_shops import (
    MARCH,
    Seller,
    billing_cli,
    billing_settings,
    close,
    invoice,
    new_shop,
)
from tests.support.sync_server_live import start_live_server

KEY = "sk_live_51NotARealKeyButLongEnoughToLookLikeOne"


def test_the_key_comes_from_the_environment_or_a_file_and_is_never_shown(tmp_path: Path) -> None:
    assert Settings.from_env({}).billing_stripe_key is None
    from_env = Settings.from_env({"SYNC_BILLING_STRIPE_KEY": KEY})
    assert from_env.billing_stripe_key == KEY
    secret = tmp_path / "stripe-key"
    secret.write_text(KEY + "\n", encoding="utf-8")
    from_file = Settings.from_env({"SYNC_BILLING_STRIPE_KEY_FILE": str(secret)})
    assert from_file.billing_stripe_key == KEY
    assert KEY not in repr(from_file)
    with pytest.raises(ConfigError, match="not both"):
        Settings.from_env(
            {"SYNC_BILLING_STRIPE_KEY": KEY, "SYNC_BILLING_STRIPE_KEY_FILE": str(secret)}
        )
    with pytest.raises(ConfigError, match="cannot read"):
        Settings.from_env({"SYNC_BILLING_STRIPE_KEY_FILE": str(tmp_path / "missing")})
    (tmp_path / "empty").write_text("\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="is empty"):
        Settings.from_env({"SYNC_BILLING_STRIPE_KEY_FILE": str(tmp_path / "empty")})

    # Stripe unreachable: the error names the call, never the key.
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    client = from_settings(
        Settings.from_env(
            {"SYNC_BILLING_STRIPE_KEY": KEY, "SYNC_BILLING_STRIPE_URL": f"http://127.0.0.1:{port}"}
        )
    )
    assert client is not None
    client.backoff_s = (0.0,)
    with client, pytest.raises(StripeFailure) as failed:
        client.get_invoice("in_123")
    assert "GET /v1/invoices/in_123" in str(failed.value)
    assert KEY not in str(failed.value) + repr(client)
    assert failed.value.retryable


@pytest.mark.postgres
@pytest.mark.stripe_emulator
def test_a_shop_never_reads_another_shops_billing_rows(
    fresh_settings: Settings, stripe_emulator: StripeEmulator
) -> None:
    settings = billing_settings(fresh_settings, stripe_emulator)
    live = start_live_server(settings)
    try:
        with httpx.Client(base_url=live.url, timeout=30) as http:
            seller = Seller(http, settings)
            mine, theirs = new_shop(settings), new_shop(settings)
            seller.sell(mine, 70_000, MARCH)
            seller.sell(theirs, 80_000, MARCH)
    finally:
        live.stop()
    close(settings, "2026-03")
    assert invoice(settings).failed == []
    app = app_engine(settings)
    try:
        with tenant_scope(app, mine.id) as scope:
            assert [r.tenant_id for r in billing.invoices_of(scope.connection, mine.id)] == [
                mine.id
            ]
            # Naming the other shop's id is not enough: row-level security hides its rows.
            assert billing.invoices_of(scope.connection, theirs.id) == []
            assert billing.carries_of(scope.connection, theirs.id) == []
            with pytest.raises(BillingError):
                billing.find_invoice(scope.connection, theirs.id, "2026-03")
    finally:
        app.dispose()
    listed = billing_cli(settings, stripe_emulator, "invoices", "list", "--tenant", mine.slug)
    assert listed.returncode == 0, listed.stderr
    assert mine.slug in listed.stdout
    assert theirs.slug not in listed.stdout
    assert stripe_emulator.test_key not in listed.stdout + listed.stderr


def test_the_client_refuses_an_empty_key() -> None:
    with pytest.raises(ValueError, match="empty"):
        StripeBilling(api_key="", base_url="http://127.0.0.1:9")
