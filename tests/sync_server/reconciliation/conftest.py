"""Reconciliation tests: a shop on a database of its own, paid in USD and connected to the Stripe
emulator (tests/support/stripe_shop_fixtures.py), and the emulator itself."""

from tests.support.stripe_emulator_fixtures import (  # noqa: F401 - fixtures by name
    make_stripe_emulator,
    stripe_client,
    stripe_emulator,
    stripe_openapi_checker,
)
from tests.support.stripe_shop_fixtures import admin, connected, shop  # noqa: F401 - fixtures by name
