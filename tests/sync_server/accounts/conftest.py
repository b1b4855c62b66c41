"""Console account tests: a real SMTP server on loopback for invitation emails."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.smtp_server import SmtpServer, smtp_server


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    yield from smtp_server()
