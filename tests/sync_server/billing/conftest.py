"""Billing tests: the platform's Stripe account is the emulator on loopback, every request checked
against Stripe's OpenAPI description; each test has a database of its own (months close)."""

from tests.support.stripe_emulator_fixtures import (  # noqa: F401 - fixtures by name
    make_stripe_emulator,
    stripe_emulator,
    stripe_openapi_checker,
)
