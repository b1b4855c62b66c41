"""Sending a queued notification: at most once, retried only when it certainly did not go out.

Neither SMTP nor Twilio's Messages API takes an idempotency key, so "exactly once" cannot be
promised across a crash; the choice for customer messages is **at most once**:

1. One transaction checks the rules (consent, opt-out), renders the message, and marks the
   notification ``sending`` — committed *before* the provider is called.
2. The provider is called outside any transaction.
3. A second transaction records the outcome: ``sent``; back to ``queued`` when the provider
   certainly did not take it (the job retries with backoff); ``failed`` when it refused for
   good; ``unknown`` when the connection broke after the message may have been handed over.

A worker that dies between 1 and 3 leaves ``sending`` behind. Its job is retried (stalled-job
recovery), finds ``sending`` and records ``unknown`` instead of sending again: the customer
may miss one message, but never gets two. `sync-server notifications list --status unknown`
shows those for a person to check.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

from sqlalchemy import Connection

from sync_server.config import Settings
from sync_server.kit import queue
from sync_server.kit.addresses import normalise_address, valid_address
from sync_server.notifications import render, repository
from sync_server.notifications.email import OutgoingEmail, SmtpConfig, SmtpSender
from sync_server.notifications.schemas import (
    FINAL_STATUSES,
    Notification,
    NotSent,
    refusal,
)
from sync_server.notifications.sms import SmsProvider, TwilioSms
from sync_server.sync.schemas import NotificationChange
from sync_server.tenants import service as tenants

log = logging.getLogger(__name__)


class OrderNotYetSynced(Exception):
    """The notification's order has not reached the server yet: try again later."""


class NotificationError(ValueError):
    """A command that cannot be done (bad address, unknown channel)."""


@dataclass(frozen=True, slots=True)
class Channels:
    """The configured providers, and what unsubscribe links need."""

    email: SmtpSender | None
    sms: SmsProvider | None
    public_url: str | None
    link_key: bytes

    @classmethod
    def from_settings(cls, settings: Settings) -> Channels:
        email = None
        if settings.smtp_host and settings.smtp_from:
            email = SmtpSender(
                SmtpConfig(
                    host=settings.smtp_host,
                    port=settings.smtp_port,
                    from_address=settings.smtp_from,
                    user=settings.smtp_user,
                    password=settings.smtp_password,
                    starttls=settings.smtp_starttls,
                )
            )
        sms = None
        if settings.sms_account_sid and settings.sms_auth_token and settings.sms_from:
            sms = TwilioSms(
                base_url=settings.sms_base_url,
                account_sid=settings.sms_account_sid,
                auth_token=settings.sms_auth_token,
                from_number=settings.sms_from,
            )
        public_url = settings.public_url
        if public_url and len(settings.token_hmac_key) < 16:
            # The server checks unsubscribe links with SYNC_TOKEN_HMAC_KEY: without the same key
            # the worker would hand out links that never work. Better no link than a broken one.
            log.warning("SYNC_PUBLIC_URL without SYNC_TOKEN_HMAC_KEY: no unsubscribe links")
            public_url = None
        return cls(email=email, sms=sms, public_url=public_url, link_key=settings.token_hmac_key)


@dataclass(frozen=True, slots=True)
class Prepared:
    notification: Notification
    shop: str
    email: OutgoingEmail | None
    sms_body: str | None


def prepare(
    conn: Connection,
    tenant_id: uuid.UUID,
    notification_id: uuid.UUID,
    channels: Channels,
    last_attempt: bool,
) -> Prepared | str:
    notification = repository.lock(conn, tenant_id, notification_id)
    if notification is None:
        return "missing"
    if notification.status in FINAL_STATUSES:
        return notification.status
    if notification.status == "sending":
        repository.finish(
            conn, tenant_id, notification_id, "unknown",
            error="the worker stopped while sending: it may have gone out, so it is not sent again",
        )  # fmt: skip
        return "unknown"
    address = normalise_address(notification.channel, notification.to_address)
    consent = (
        repository.customer_consent(conn, tenant_id, notification.customer_id, notification.channel)
        if notification.customer_id is not None
        else None
    )
    reason = refusal(
        notification,
        opted_out=repository.opted_out(conn, tenant_id, notification.channel, address),
        customer_consent=consent,
    )
    if reason is not None:
        repository.finish(conn, tenant_id, notification_id, "skipped", error=reason)
        return "skipped"
    order = (
        repository.order_view(conn, tenant_id, notification.order_id)
        if notification.order_id is not None
        else None
    )
    if order is None:
        if last_attempt or notification.order_id is None:
            repository.finish(
                conn,
                tenant_id,
                notification_id,
                "failed",
                error="its order never reached the server",
            )
            return "failed"
        raise OrderNotYetSynced(f"order {notification.order_id} is not on the server yet")
    configured = channels.email if notification.channel == "email" else channels.sms
    if configured is None:
        problem = (
            "no SMTP server is configured (SYNC_SMTP_HOST, SYNC_SMTP_FROM)"
            if notification.channel == "email"
            else "no SMS provider is configured (SYNC_SMS_ACCOUNT_SID, _AUTH_TOKEN, _FROM)"
        )
        # Failed at once, with the reason: retrying for a day cannot configure a provider.
        tenant = tenants.current_tenant(conn)
        slug = tenant.slug if tenant is not None else "SHOP"
        repository.finish(
            conn, tenant_id, notification_id, "failed", attempted=True,
            error=f"{problem}: configure it and restart the worker, then "
            f"`sync-server notifications retry --tenant {slug} {notification_id}`",
        )  # fmt: skip
        return "failed"
    tenant = tenants.current_tenant(conn)
    shop = tenant.name if tenant is not None else ""
    if notification.channel == "sms":
        body = render.sms(notification.kind, shop=shop, order=order, locale=notification.locale)
        return Prepared(notification, shop, None, body)
    assert channels.email is not None
    link = unsubscribe_url(channels, tenant_id, notification.channel, address)
    rendered = render.email(
        notification.kind, shop=shop, order=order, locale=notification.locale,
        unsubscribe_url=link,
    )  # fmt: skip
    domain = channels.email.config.from_address.rpartition("@")[2] or "localhost"
    headers: tuple[tuple[str, str], ...] = ()
    if link:
        headers = (
            ("List-Unsubscribe", f"<{link}>"),
            ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
        )
    outgoing = OutgoingEmail(
        to=notification.to_address,
        from_name=shop,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        message_id=f"<{notification.id}@{domain}>",
        headers=headers,
    )
    return Prepared(notification, shop, outgoing, None)


# --- opt-outs and unsubscribe links ---------------------------------------------------------------


def unsubscribe_token(key: bytes, tenant_id: uuid.UUID, channel: str, address: str) -> str:
    message = f"unsubscribe|{tenant_id}|{channel}|{address}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]


def unsubscribe_url(
    channels: Channels, tenant_id: uuid.UUID, channel: str, address: str
) -> str | None:
    """A link that opts `address` out (no link when the server has no public address)."""
    if not channels.public_url:
        return None
    token = unsubscribe_token(channels.link_key, tenant_id, channel, address)
    return (
        f"{channels.public_url}/v1/notifications/unsubscribe/{tenant_id}"
        f"?channel={channel}&address={quote(address)}&token={token}"
    )


def shop_name(conn: Connection) -> str | None:
    """The name of the shop the transaction is scoped to (for the unsubscribe pages)."""
    tenant = tenants.current_tenant(conn)
    return tenant.name if tenant is not None else None


def check_token(key: bytes, tenant_id: uuid.UUID, channel: str, address: str, token: str) -> bool:
    expected = unsubscribe_token(key, tenant_id, channel, address)
    # As bytes: compare_digest refuses str with non-ASCII characters (a TypeError, a 500).
    return hmac.compare_digest(expected.encode(), token.encode())


def retry(conn: Connection, *, tenant_id: uuid.UUID, notification_id: uuid.UUID) -> None:
    """Queue a failed notification again, with a new send job in the same transaction (after
    a provider was configured, say). A notification whose outcome is unknown is not resent:
    it may have gone out."""
    notification = repository.lock(conn, tenant_id, notification_id)
    if notification is None:
        raise NotificationError(f"no notification {notification_id}")
    if notification.status != "failed":
        why = " (it may have gone out: check with the customer)"
        raise NotificationError(
            f"notification {notification_id} is {notification.status}, not failed: "
            f"nothing to retry{why if notification.status == 'unknown' else ''}"
        )
    repository.queue_again(conn, tenant_id, notification_id)
    queue.defer(
        conn,
        queue.SEND_NOTIFICATION,
        [{"tenant_id": str(tenant_id), "notification_id": str(notification_id)}],
    )


def opt_out(
    conn: Connection, *, tenant_id: uuid.UUID, channel: str, address: str, source: str
) -> bool:
    """Stop every message to `address` on `channel`; False when it had already opted out."""
    if channel not in ("email", "sms"):
        raise NotificationError(f"channel {channel!r}: use email or sms")
    address = normalise_address(channel, address)
    if not valid_address(channel, address):
        expected = "an email address" if channel == "email" else "an E.164 phone (+…)"
        raise NotificationError(f"{address!r} is not {expected}")
    return repository.add_opt_out(conn, tenant_id, channel, address, source)


def mark_sending(conn: Connection, tenant_id: uuid.UUID, notification_id: uuid.UUID) -> None:
    repository.mark_sending(conn, tenant_id, notification_id)


def record_not_sent(
    conn: Connection,
    *,
    tenant_id: uuid.UUID,
    notification: Notification,
    error: NotSent,
    last_attempt: bool,
) -> bool:
    """The provider certainly did not take it: note an opt-out it reported, then fail it for
    good (True) or queue it again to be retried (False)."""
    if error.opted_out:
        address = normalise_address(notification.channel, notification.to_address)
        repository.add_opt_out(conn, tenant_id, notification.channel, address, "provider")
    if error.permanent or last_attempt:
        repository.finish(conn, tenant_id, notification.id, "failed", error=str(error))
        return True
    repository.requeue(conn, tenant_id, notification.id, str(error))
    return False


def finish(
    conn: Connection,
    tenant_id: uuid.UUID,
    notification_id: uuid.UUID,
    status: str,
    *,
    error: str | None = None,
    provider_message_id: str | None = None,
) -> None:
    """Record the notification's final state."""
    repository.finish(
        conn,
        tenant_id,
        notification_id,
        status,
        error=error,
        provider_message_id=provider_message_id,
    )


def listing(
    conn: Connection, tenant_id: uuid.UUID, status: str | None, limit: int
) -> list[repository.ListedNotification]:
    """The shop's notifications, newest first (`sync-server notifications list`)."""
    return repository.listing(conn, tenant_id, status, limit)


def queue_pushed(
    conn: Connection,
    *,
    tenant_id: uuid.UUID,
    device_id: uuid.UUID,
    changes: Sequence[NotificationChange],
) -> None:
    """Store the notifications a register pushed (once each) and queue their sending in the
    same transaction: the send job exists exactly when the notification does."""
    queued = repository.insert_notifications(conn, tenant_id, device_id, changes)
    queue.defer(
        conn,
        queue.SEND_NOTIFICATION,
        [{"tenant_id": str(tenant_id), "notification_id": str(item)} for item in queued],
    )
