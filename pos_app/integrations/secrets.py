"""Secrets in the OS keyring: the Stripe restricted key and the sync device token.

Never in files, the database or logs. Where the OS has no keyring service (headless Linux, CI)
the standard ``PYTHON_KEYRING_BACKEND`` variable selects another backend explicitly; a backend
that writes plain files is refused unless it was chosen that way, so a secret never lands in a
file silently.
"""

from __future__ import annotations

import os
from typing import Final

import keyring
import keyring.errors
from keyring.backend import KeyringBackend

SERVICE: Final = "counter-pos"
STRIPE_KEY: Final = "stripe-restricted-key"
DEVICE_TOKEN: Final = "sync-device-token"

_PLAINTEXT_MODULES: Final = ("keyrings.alt.file",)


class SecretsUnavailable(Exception):
    """No safe place to keep a secret on this machine; the message says what to do."""


def _describe(backend: KeyringBackend) -> str:
    return f"{type(backend).__module__}.{type(backend).__name__}"


class SecretStore:
    def __init__(self, service: str = SERVICE, backend: KeyringBackend | None = None) -> None:
        self.service = service
        try:
            self._backend = backend or keyring.get_keyring()
        except (ImportError, AttributeError) as error:
            # A PYTHON_KEYRING_BACKEND naming a backend this install lacks (a packaged app
            # carries only the backends it was built with).
            chosen = os.environ.get("PYTHON_KEYRING_BACKEND", "")
            raise SecretsUnavailable(
                f"The keyring backend chosen with PYTHON_KEYRING_BACKEND ({chosen}) cannot be "
                f"loaded: {error}"
            ) from error
        self._check(self._backend)

    @staticmethod
    def _check(backend: KeyringBackend) -> None:
        name = _describe(backend)
        if name.startswith("keyring.backends.fail"):
            raise SecretsUnavailable(
                "This computer has no keyring service to keep the Stripe key and device token "
                "safe. Start the desktop's keyring (GNOME Keyring, KWallet), or choose a backend "
                "explicitly with PYTHON_KEYRING_BACKEND."
            )
        if name.startswith(_PLAINTEXT_MODULES) and not os.environ.get("PYTHON_KEYRING_BACKEND"):
            raise SecretsUnavailable(
                f"The only keyring available ({name}) stores secrets in a plain file. Choose it "
                "deliberately with PYTHON_KEYRING_BACKEND, or start a real keyring service."
            )

    @property
    def backend_name(self) -> str:
        return _describe(self._backend)

    def get(self, name: str) -> str | None:
        try:
            return self._backend.get_password(self.service, name)
        except keyring.errors.KeyringError as error:
            raise SecretsUnavailable(f"The keyring could not be read: {error}") from error

    def set(self, name: str, value: str) -> None:
        if not value:
            raise ValueError("an empty secret is not stored")
        try:
            self._backend.set_password(self.service, name, value)
        except keyring.errors.KeyringError as error:
            raise SecretsUnavailable(f"The keyring refused the secret: {error}") from error

    def delete(self, name: str) -> None:
        try:
            self._backend.delete_password(self.service, name)
        except keyring.errors.PasswordDeleteError:
            pass
        except keyring.errors.KeyringError as error:
            raise SecretsUnavailable(f"The keyring could not delete the secret: {error}") from error


def redact(secret: str | None) -> str:
    """For logs and screens: the kind of key and its last four characters, never the key."""
    if not secret:
        return "<none>"
    prefix = secret.split("_", 2)
    kind = "_".join(prefix[:2]) + "_" if len(prefix) > 2 else ""
    return f"{kind}…{secret[-4:]}"
