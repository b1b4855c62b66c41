"""Fixtures of the tests of the Stripe webhooks, the disputes and the reconciliation: a shop on
a database of its own (`tests.support.sync_shop`), paid in USD (the emulator's currency), its
database as the owner, and the shop connected to the Stripe emulator."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine

from pos_app.payments.emulator import StripeEmulator
from sync_server.config import Settings
from tests.support.sync_server_tenants import set_stripe_secret
from tests.support.sync_shop import Shop, open_shop


@pytest.fixture
def shop(fresh_settings: Settings) -> Iterator[Shop]:
    with open_shop(fresh_settings) as opened:
        yield opened


@pytest.fixture
def admin(shop: Shop) -> Iterator[Engine]:
    """The shop's database as its owner (migrations, fee runs, what tests read back)."""
    engine = create_engine(shop.settings.admin_database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def connected(shop: Shop, stripe_emulator: StripeEmulator) -> Shop:
    """The shop's webhook endpoint registered in the emulator, its secret on the server."""
    secret = stripe_emulator.add_webhook_endpoint(shop.webhook_url)
    set_stripe_secret(shop.settings, shop.tenant, secret)
    return shop
