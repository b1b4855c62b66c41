"""The worker's side of notifications: sending one, at most once (see `service`'s docstring).

A task is where the transactions of a job begin and end, through `scope.tenant_scope`: the
send is three of them on purpose (mark ``sending`` and commit before the provider is called,
call it outside any transaction, then record the outcome), so the service steps never commit.
"""

from __future__ import annotations

import uuid

from sqlalchemy import Engine

from sync_server.notifications import service
from sync_server.notifications.schemas import NotSent, OutcomeUnknown
from sync_server.scope import tenant_scope


def send(
    engine: Engine,
    *,
    tenant_id: uuid.UUID,
    notification_id: uuid.UUID,
    channels: service.Channels,
    last_attempt: bool,
) -> str:
    """Send one notification. Returns its final status, or raises to be retried:
    `OrderNotYetSynced`, or a `NotSent` that may pass. With no provider for its channel it is
    ``failed`` at once, saying what to configure (`retry` sends it again). `last_attempt`:
    instead of raising, give up (``failed``)."""
    with tenant_scope(engine, tenant_id) as scope:
        prepared = service.prepare(
            scope.connection, tenant_id, notification_id, channels, last_attempt
        )
        if isinstance(prepared, str):
            return prepared
        service.mark_sending(scope.connection, tenant_id, notification_id)
    notification = prepared.notification
    try:
        if prepared.email is not None:
            assert channels.email is not None
            sent = channels.email.send(prepared.email)
        else:
            assert channels.sms is not None
            assert prepared.sms_body is not None
            sent = channels.sms.send(to=notification.to_address, body=prepared.sms_body)
    except NotSent as exc:
        with tenant_scope(engine, tenant_id) as scope:
            failed = service.record_not_sent(
                scope.connection,
                tenant_id=tenant_id,
                notification=notification,
                error=exc,
                last_attempt=last_attempt,
            )
        if failed:
            return "failed"
        raise
    except OutcomeUnknown as exc:
        with tenant_scope(engine, tenant_id) as scope:
            service.finish(scope.connection, tenant_id, notification_id, "unknown", error=str(exc))
        return "unknown"
    with tenant_scope(engine, tenant_id) as scope:
        service.finish(
            scope.connection,
            tenant_id,
            notification_id,
            "sent",
            provider_message_id=sent.provider_message_id,
        )
    return "sent"
