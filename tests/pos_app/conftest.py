"""Fixtures for register tests: a real SQLite file per test, seeded with the demo shop, and the
Stripe emulator (a real HTTP server on loopback) for the tests that take cards."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pos_app.db.database import Database
from pos_app.domain.shop import Shop
from pos_app.domain.staff import StaffMember
from pos_app.services.setup import seed_demo
from tests.support.stripe_emulator_fixtures import (  # noqa: F401 - fixtures by name
    make_stripe_emulator,
    stripe_client,
    stripe_client_retrying,
    stripe_emulator,
    stripe_openapi_checker,
    webhook_receiver,
)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(tmp_path / "register.sqlite3")
    yield database
    database.dispose()


@pytest.fixture
def shop(db: Database) -> Shop:
    with db.write() as uow:
        return seed_demo(uow)


@pytest.fixture
def staff(db: Database, shop: Shop) -> dict[str, StaffMember]:
    with db.read() as uow:
        return {member.name: member for member in uow.staff.all()}
