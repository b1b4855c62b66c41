"""Setting up the card reader from the back office: keep the shop's Stripe key in the keyring,
and pair a reader with its registration code.

These calls reach the keyring and Stripe: run them on the network pool. They never write the
database; the caller saves the returned reader configuration with a database operation.
"""

from __future__ import annotations

from pos_app.config import AppConfig
from pos_app.domain.errors import DomainError, ValidationError
from pos_app.domain.shop import ReaderConfig, Shop
from pos_app.integrations.secrets import STRIPE_KEY, SecretStore

KEY_PREFIXES = ("rk_test_", "rk_live_", "sk_test_", "sk_live_")


class ReaderSetupError(DomainError):
    """Stripe refused or could not be reached; the message says which, for the manager."""


def key_mode(key: str) -> str:
    """ "test" or "live" for a Stripe secret or restricted key; refuses anything else."""
    key = key.strip()
    if not key.startswith(KEY_PREFIXES) or len(key) < 20 or any(c.isspace() for c in key):
        raise ValidationError(
            "that is not a Stripe secret key: it starts with rk_live_, rk_test_, sk_live_ or "
            "sk_test_ (a restricted key, rk_, is the safer choice)"
        )
    return "test" if key[2:8] == "_test_" else "live"


def store_key(key: str, *, secrets: SecretStore | None = None) -> str:
    """Keep the key in the OS keyring; returns its mode. The key is never logged."""
    key = key.strip()
    mode = key_mode(key)
    (secrets or SecretStore()).set(STRIPE_KEY, key)
    return mode


def stored_key(*, secrets: SecretStore | None = None) -> str | None:
    return (secrets or SecretStore()).get(STRIPE_KEY)


def reader_after_key_change(current: ReaderConfig | None, mode: str) -> ReaderConfig:
    """The reader configuration once a key of `mode` is saved: the paired reader is kept while
    the mode stays the same (a rotated key); a new mode starts unpaired."""
    if current is not None and current.mode == mode:
        return current
    return ReaderConfig("stripe", mode, None, None, None)


def pair_reader(
    config: AppConfig,
    shop: Shop,
    *,
    registration_code: str,
    label: str,
    secrets: SecretStore | None = None,
) -> ReaderConfig:
    """Register a reader with Stripe (in the shop's location) and return its configuration."""
    from pos_app.payments.stripe_terminal import StripeSettings, StripeTerminal
    from pos_app.payments.terminal import TerminalError

    code = registration_code.strip()
    if not code:
        raise ValidationError("enter the registration code the reader shows")
    key = config.stripe_api_key or stored_key(secrets=secrets)
    if not key:
        raise ValidationError("save the shop's Stripe key before pairing a reader")
    try:
        terminal = StripeTerminal(StripeSettings(api_key=key, api_base=config.stripe_api_base))
    except TerminalError as error:
        raise ReaderSetupError(str(error)) from error
    try:
        location = terminal.ensure_location(
            display_name=shop.name, idempotency_key=f"location-{shop.register_id}"
        )
        reader = terminal.register_reader(
            registration_code=code,
            label=label.strip() or shop.register_name,
            location_id=location,
            idempotency_key=f"reader-{shop.register_id}-{location}-{code}",
        )
    except TerminalError as error:
        raise ReaderSetupError(str(error)) from error
    finally:
        terminal.close()
    return ReaderConfig("stripe", key_mode(key), location, reader.reader_id, reader.label)
