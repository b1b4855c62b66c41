"""Payments tests share the Stripe emulator fixtures."""

from tests.support.stripe_emulator_fixtures import (  # noqa: F401 - fixtures by name
    make_stripe_emulator,
    stripe_client,
    stripe_client_retrying,
    stripe_emulator,
    stripe_openapi_checker,
    webhook_receiver,
)
