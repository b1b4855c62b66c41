"""The worker's side of console accounts: sending an owner's invitation email, at most once.

A task is where the transactions of a job begin and end (`scope.tenant_scope`), as in
`notifications.tasks`: "sending" is committed before the mail server is called, the call runs
outside any transaction, and the outcome is recorded in a third."""

from __future__ import annotations

import uuid

from sqlalchemy import Engine

from sync_server.accounts import repository, service
from sync_server.notifications.email import SmtpSender
from sync_server.notifications.schemas import NotSent, OutcomeUnknown
from sync_server.scope import tenant_scope


def send_invitation(
    engine: Engine,
    *,
    tenant_id: uuid.UUID,
    invitation_id: uuid.UUID,
    link: str,
    sender: SmtpSender | None,
    last_attempt: bool,
) -> str:
    """Send one invitation email, at most once (as `notifications.service.send`): "sending" is
    committed before the mail server is called; a worker that died in between leaves it
    "unknown" rather than sending twice. Returns the final status, or raises `NotSent` to be
    retried."""
    with tenant_scope(engine, tenant_id) as scope:
        conn = scope.connection
        mail = repository.lock_invitation(conn, tenant_id, invitation_id)
        if mail is None:
            return "missing"
        if mail.email_status in ("sent", "failed", "unknown", "skipped", "printed"):
            return mail.email_status
        if mail.email_status == "sending":
            repository.set_invitation_email(
                conn, tenant_id, invitation_id, "unknown",
                error="the worker stopped while sending: it may have gone out, so it is not sent "
                "again (invite again if it did not arrive)",
            )  # fmt: skip
            return "unknown"
        if mail.used:
            repository.set_invitation_email(
                conn,
                tenant_id,
                invitation_id,
                "skipped",
                error="the link was used or expired before sending",
            )
            return "skipped"
        if sender is None:
            repository.set_invitation_email(
                conn, tenant_id, invitation_id, "failed", attempted=True,
                error="no SMTP server is configured (SYNC_SMTP_HOST, SYNC_SMTP_FROM): configure "
                "it, or invite again with --print-link and hand the link over yourself",
            )  # fmt: skip
            return "failed"
        repository.set_invitation_email(conn, tenant_id, invitation_id, "sending", attempted=True)
    domain = sender.config.from_address.rpartition("@")[2] or "localhost"
    outgoing = service.invitation_email(
        shop=mail.shop, to=mail.email, link=link, expires_at=mail.expires_at,
        invitation_id=invitation_id, domain=domain,
    )  # fmt: skip
    try:
        sender.send(outgoing)
    except NotSent as exc:
        with tenant_scope(engine, tenant_id) as scope:
            conn = scope.connection
            final = exc.permanent or last_attempt
            repository.set_invitation_email(
                conn, tenant_id, invitation_id, "failed" if final else "queued", error=str(exc)
            )
        if final:
            return "failed"
        raise
    except OutcomeUnknown as exc:
        with tenant_scope(engine, tenant_id) as scope:
            conn = scope.connection
            repository.set_invitation_email(
                conn, tenant_id, invitation_id, "unknown", error=str(exc)
            )
        return "unknown"
    with tenant_scope(engine, tenant_id) as scope:
        conn = scope.connection
        repository.set_invitation_email(conn, tenant_id, invitation_id, "sent")
    return "sent"
