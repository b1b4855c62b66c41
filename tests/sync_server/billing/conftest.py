"""Billing tests: the platform's Stripe account is the emulator on loopback, every request checked
against Stripe's OpenAPI description; each test has a database of its own (months close).

The fixtures every billing test module shares: the settings with the platform's Stripe account
and webhook secret, the admin engine, a live server on them. A module that needs other
settings overrides `billing`."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine

from pos_app.payments.emulator import StripeEmulator
from sync_server.config import Settings
from tests.support.billing_shops import billing_settings
from tests.support.stripe_emulator_fixtures import (  # noqa: F401 - fixtures by name
    make_stripe_emulator,
    stripe_emulator,
    stripe_openapi_checker,
)
from tests.support.sync_server_live import LiveServer, start_live_server

SECRET = "whsec_platformtestsecret0123456789"
"""The platform webhook's signing secret in these tests."""


@pytest.fixture
def billing(fresh_settings: Settings, stripe_emulator: StripeEmulator) -> Settings:  # noqa: F811
    return dataclasses.replace(
        billing_settings(fresh_settings, stripe_emulator), billing_webhook_secret=SECRET
    )


@pytest.fixture
def admin(billing: Settings) -> Iterator[Engine]:
    engine = create_engine(billing.admin_database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def live(billing: Settings) -> Iterator[LiveServer]:
    server = start_live_server(billing)
    try:
        yield server
    finally:
        server.stop()
