"""Service tests that take card payments share the Stripe emulator fixtures."""

from tests.support.stripe_emulator_fixtures import (  # noqa: F401 - fixtures by name
    stripe_emulator,
    stripe_openapi_checker,
)
