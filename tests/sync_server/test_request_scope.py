"""One transaction per request, committed before the answer is sent: a commit the database
refuses is the client's error answer, never a 200 for rows that were not stored. The endpoint
opens it, once, in the one thread-pool call the request makes."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any, cast

import anyio.to_thread
import httpx
import pytest
from sqlalchemy import Engine, text

from sync_server.db import tenant_transaction
from sync_server.deps import RequestCall, ServerContext, request_scope
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


def test_a_request_opens_its_scope_once(app_db: Engine) -> None:
    call = RequestCall(cast(ServerContext, SimpleNamespace(engine=app_db)))
    with request_scope(call) as scope:
        assert not scope.opened  # begun only when used
    with pytest.raises(RuntimeError, match="already opened"), request_scope(call):
        pass


def test_a_device_call_makes_one_thread_pool_call(
    http: httpx.Client, device: Device, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The request's dependency reads the token in the event loop; authenticating, the work and
    the commit run in the endpoint's one thread-pool call (a generator dependency would be
    entered and left in two more). The server runs in a thread of this process."""
    calls: list[str] = []
    run_sync = anyio.to_thread.run_sync

    async def counted(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        calls.append(getattr(func, "__name__", repr(func)))
        return await run_sync(func, *args, **kwargs)

    order_id, data = build_order(lines=[("A", "Apple", 1, 250, 0)], paid_at=PAID)
    monkeypatch.setattr(anyio.to_thread, "run_sync", counted)
    assert push(http, device, [change(1, "order", order_id, data)]).status_code == 200
    assert len(calls) == 1, calls  # an async endpoint: its own call only
    calls.clear()
    assert http.get("/v1/devices/me", headers=device.headers).status_code == 200
    assert len(calls) == 2, calls  # a sync endpoint: it, and FastAPI's check of its answer
