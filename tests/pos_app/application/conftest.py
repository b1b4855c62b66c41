"""Application API tests: the register's operations on a real SQLite file (the demo shop),
each opening and committing its own transaction; the tests read back what was stored."""

from __future__ import annotations

import pytest

from pos_app.application.register import Register
from pos_app.db.database import Database
from pos_app.domain.audit import AuditEntry
from pos_app.domain.shop import Shop
from tests.support.stripe_emulator_fixtures import (  # noqa: F401 - fixtures by name
    stripe_emulator,
    stripe_openapi_checker,
)
from tests.support.sync_server_fixtures import (  # noqa: F401 - fixtures by name
    app_db,
    live,
    pg_server,
    settings,
)


@pytest.fixture
def register(db: Database, shop: Shop) -> Register:
    return Register(db, shop)


def audit(register: Register, action: str) -> list[AuditEntry]:
    with register.db.read() as uow:
        return uow.audit.entries(action=action)
