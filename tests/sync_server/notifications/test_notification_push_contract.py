"""The `notification` push entity: insert-once, its send job enqueued in the same transaction,
clear 422s for what cannot be sent."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, text

from sync_server.config import Settings
from sync_server.kit import queue
from tests.support.push_payloads import build_notification, build_order, change, push
from tests.support.sync_server_live import job_rows
from tests.support.sync_server_tenants import Device

pytestmark = pytest.mark.postgres

PAID = datetime(2026, 3, 14, 12, 0, tzinfo=UTC)


def _stored(admin_db: Engine, device: Device) -> list[Any]:
    with admin_db.connect() as conn:
        return list(
            conn.execute(
                text(
                    "SELECT id, order_id, kind, channel, to_address, consent, locale, status "
                    "FROM notifications WHERE tenant_id = :t ORDER BY id"
                ),
                {"t": device.tenant.id},
            )
        )


def _jobs_for(settings: Settings, device: Device) -> list[Any]:
    return [
        job
        for job in job_rows(settings, queue.SEND_NOTIFICATION)
        if job.args["tenant_id"] == str(device.tenant.id)
    ]


def test_a_notification_is_stored_once_with_one_send_job(
    http: httpx.Client, device: Device, admin_db: Engine, settings: Settings
) -> None:
    order_id, order = build_order(lines=[("A", "Apple", 1, 300, 0)], paid_at=PAID)
    notification_id, notification = build_notification(order_id, to="Ana@Example.com")
    response = push(
        http,
        device,
        [
            change(1, "order", order_id, order),
            change(2, "notification", notification_id, notification),
        ],
    )
    assert response.status_code == 200, response.text
    assert response.json()["applied"] == 2
    (row,) = _stored(admin_db, device)
    assert (row.id, row.order_id, row.kind, row.channel, row.to_address, row.consent) == (
        notification_id,
        order_id,
        "receipt",
        "email",
        "Ana@Example.com",
        False,
    )
    assert (row.locale, row.status) == ("en_US", "queued")
    (job,) = _jobs_for(settings, device)
    assert (job.status, job.queue_name) == ("todo", "notifications")
    assert job.args == {"tenant_id": str(device.tenant.id), "notification_id": str(notification_id)}

    # Resent (the register did not get the answer), even with other data: ignored.
    again = {**notification, "to": "someone@else.com", "kind": "order_ready", "consent": True}
    response = push(http, device, [change(3, "notification", notification_id, again)])
    assert response.json() == {
        "acknowledged_seq": 3,
        "applied": 1,
        "replayed": 0,
        "conflicts": [],
        "refused": [],
    }
    assert [r.to_address for r in _stored(admin_db, device)] == ["Ana@Example.com"]
    assert len(_jobs_for(settings, device)) == 1


def test_an_sms_for_an_order_not_pushed_yet_is_accepted(
    http: httpx.Client, device: Device, admin_db: Engine
) -> None:
    later_order = build_order(lines=[("A", "Apple", 1, 300, 0)], paid_at=PAID)[0]
    notification_id, notification = build_notification(
        later_order, kind="order_ready", channel="sms", to="+5511987654321", consent=True,
        locale="pt_BR",
    )  # fmt: skip
    assert (
        push(http, device, [change(1, "notification", notification_id, notification)]).json()[
            "acknowledged_seq"
        ]
        == 1
    )
    (row,) = _stored(admin_db, device)
    assert (row.channel, row.locale, row.status) == ("sms", "pt_BR", "queued")


def test_an_unknown_locale_is_kept_and_rendered_in_english_later(
    http: httpx.Client, device: Device, admin_db: Engine
) -> None:
    order_id = build_order(lines=[("A", "Apple", 1, 300, 0)], paid_at=PAID)[0]
    notification_id, notification = build_notification(order_id, locale="es_ES")
    assert (
        push(http, device, [change(1, "notification", notification_id, notification)]).status_code
        == 200
    )
    assert [row.locale for row in _stored(admin_db, device)] == ["es_ES"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"to": "not-an-email"}, "data.to"),
        ({"channel": "sms", "to": "11987654321"}, "data.to"),  # no +country code
        ({"channel": "sms", "to": "ana@example.com"}, "data.to"),
        ({"order_id": None}, "data.order_id"),
        ({"kind": "birthday"}, "data.kind"),
        ({"channel": "pigeon"}, "data.channel"),
        ({"consent": "yes"}, "data.consent"),
        ({"locale": "english"}, "data.locale"),
        ({"created_at": "2026-03-14T12:00:00"}, "data.created_at"),  # no offset
    ],
)
def test_what_cannot_be_sent_is_refused_naming_the_change_and_nothing_is_stored(
    http: httpx.Client,
    device: Device,
    admin_db: Engine,
    settings: Settings,
    changes: dict[str, Any],
    field: str,
) -> None:
    order_id, order = build_order(lines=[("A", "Apple", 1, 300, 0)], paid_at=PAID)
    notification_id, notification = build_notification(order_id)
    response = push(
        http,
        device,
        [
            change(1, "order", order_id, order),
            change(2, "notification", notification_id, {**notification, **changes}),
        ],
    )
    assert response.status_code == 200, response.text
    [refused] = response.json()["refused"]
    assert refused["seq"] == 2
    assert refused["field"].startswith(field), refused
    assert _stored(admin_db, device) == []
    assert _jobs_for(settings, device) == []
