"""The push's work in other domains runs in the caller's one transaction: stored and queued
together when the push commits, nothing left when it rolls back."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import Engine, text

from sync_server.flows.push import EFFECTS
from sync_server.kit import queue
from sync_server.scope import tenant_scope
from sync_server.sync import schemas as s
from sync_server.tenants.schemas import Tenant
from tests.support.push_payloads import build_notification, change
from tests.support.sync_server_tenants import Device

pytestmark = pytest.mark.postgres


class Abandoned(Exception):
    pass


def _notification(device_id: uuid.UUID) -> s.NotificationChange:
    notification_id, data = build_notification(None, to="ana@example.com")
    return s.NotificationChange.model_validate(change(1, "notification", notification_id, data))


def _stored(admin_db: Engine, tenant: Tenant) -> tuple[list[Any], list[Any]]:
    with admin_db.connect() as conn:
        rows = list(
            conn.execute(
                text("SELECT id FROM notifications WHERE tenant_id = :t"), {"t": tenant.id}
            )
        )
        jobs = list(
            conn.execute(
                text(
                    "SELECT args FROM procrastinate_jobs WHERE task_name = :task "
                    "AND args->>'tenant_id' = :t"
                ),
                {"task": queue.SEND_NOTIFICATION, "t": str(tenant.id)},
            )
        )
    return rows, jobs


def _push_then_fail(app_db: Engine, device: Device) -> None:
    with tenant_scope(app_db, device.tenant.id) as scope:
        EFFECTS.notifications_pushed(
            scope.connection,
            tenant_id=device.tenant.id,
            device_id=device.device_id,
            changes=[_notification(device.device_id)],
        )
        raise Abandoned  # the rest of the push failed: the scope rolls back


def test_a_pushed_notification_and_its_send_job_commit_or_vanish_with_the_push(
    app_db: Engine, admin_db: Engine, device: Device
) -> None:
    tenant = device.tenant
    with pytest.raises(Abandoned):
        _push_then_fail(app_db, device)
    assert _stored(admin_db, tenant) == ([], [])

    change = _notification(device.device_id)
    with tenant_scope(app_db, tenant.id) as scope:
        EFFECTS.notifications_pushed(
            scope.connection, tenant_id=tenant.id, device_id=device.device_id, changes=[change]
        )
    rows, jobs = _stored(admin_db, tenant)
    assert [row.id for row in rows] == [change.id]
    assert [job.args["notification_id"] for job in jobs] == [str(change.id)]
