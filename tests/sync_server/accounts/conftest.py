"""Console account tests: shops on the session's database, a real SMTP server on loopback for
invitation emails, and helpers that drive the service the way the web console will (each call
in its own transaction on the application role)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest

from tests.support.smtp_server import SmtpServer, smtp_server


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    yield from smtp_server()


def new_email(label: str = "owner") -> str:
    """An address no other test uses (failure counts are kept per address in the database)."""
    return f"{label}-{secrets.token_hex(4)}@example.test"


def new_client() -> str:
    return f"192.0.2.{secrets.randbelow(250) + 1}-{secrets.token_hex(3)}"
