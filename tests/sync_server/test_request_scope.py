"""One transaction per request, committed before the answer is sent: a commit the database
refuses is the client's error answer, never a 200 for rows that were not stored."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import Engine, text

from sync_server.db import tenant_transaction
from tests.support.push_payloads import build_order, change, push
from tests.support.sync_server_tenants import Device

pytestmark = pytest.mark.postgres

PAID = datetime(2026, 3, 14, 12, 0, tzinfo=UTC)


@contextmanager
def commits_refused(admin_db: Engine, tenant_id: uuid.UUID) -> Iterator[None]:
    """Orders of the shop pass every statement but are refused at COMMIT (a deferred
    constraint trigger), as a serialization failure would be."""
    name = f"refuse_at_commit_{uuid.uuid4().hex[:12]}"
    with admin_db.begin() as conn:
        conn.execute(
            text(
                f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                "RAISE EXCEPTION 'refused at commit' USING ERRCODE = '40001'; END $$"
            )
        )
        conn.execute(
            text(
                f"CREATE CONSTRAINT TRIGGER {name} AFTER INSERT ON orders "
                "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
                f"WHEN (NEW.tenant_id = '{tenant_id}') EXECUTE FUNCTION {name}()"
            )
        )
    try:
        yield
    finally:
        with admin_db.begin() as conn:
            conn.execute(text(f"DROP TRIGGER {name} ON orders"))
            conn.execute(text(f"DROP FUNCTION {name}()"))


def _stored(app_db: Engine, device: Device, order_id: uuid.UUID) -> tuple[int, int]:
    with tenant_transaction(app_db, device.tenant.id) as conn:
        orders = conn.execute(
            text("SELECT count(*) FROM orders WHERE id = :id"), {"id": order_id}
        ).scalar_one()
        acknowledged = conn.execute(
            text("SELECT acknowledged_seq FROM devices WHERE id = :d"), {"d": device.device_id}
        ).scalar_one()
    return int(orders), int(acknowledged)


def test_a_push_whose_commit_fails_is_an_error_answer_and_stores_nothing(
    http: httpx.Client, app_db: Engine, admin_db: Engine, device: Device
) -> None:
    order_id, data = build_order(lines=[("A", "Apple", 1, 250, 0)], paid_at=PAID)
    with commits_refused(admin_db, device.tenant.id):
        response = push(http, device, [change(1, "order", order_id, data)])

    # The merge itself succeeded; only the COMMIT was refused, after the endpoint returned.
    assert response.status_code == 503, response.text
    assert response.json()["error"]["code"] == "unavailable"
    assert response.headers["Retry-After"]
    assert _stored(app_db, device, order_id) == (0, 0)

    # The register resends the same batch; it lands once.
    response = push(http, device, [change(1, "order", order_id, data)])
    assert response.status_code == 200, response.text
    assert response.json()["applied"] == 1
    assert _stored(app_db, device, order_id) == (1, 1)
