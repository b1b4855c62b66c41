"""Notification tests: a shop on a database of its own (the worker runs every queued job), a
real SMTP server on loopback, a local fake of Twilio's Messages API, and the channels the
worker sends through."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sync_server.config import Settings
from sync_server.notifications.service import Channels
from tests.support.fake_twilio import FakeTwilio, fake_twilio
from tests.support.smtp_server import SmtpServer, smtp_server
from tests.support.sync_shop import Shop, notification_channels, open_shop


@pytest.fixture
def shop(fresh_settings: Settings) -> Iterator[Shop]:
    with open_shop(fresh_settings) as opened:
        yield opened


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    yield from smtp_server()


@pytest.fixture
def twilio() -> Iterator[FakeTwilio]:
    yield from fake_twilio()


@pytest.fixture
def channels(shop: Shop, smtp: SmtpServer, twilio: FakeTwilio) -> Channels:
    return notification_channels(shop, smtp, twilio)
