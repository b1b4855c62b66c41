"""Customer notifications: kinds, channels, the consent rule, and what a send can end as.

Consent rule:

* A ``receipt`` is transactional: the customer asked for it at the counter, so it goes out
  without marketing consent (``consent`` may be false).
* ``order_received``, ``order_ready``, ``order_cancelled`` and ``order_refunded`` are updates
  the shop sends on its own initiative: they need ``consent`` true on the notification, and
  when it names a customer the server knows, that customer's consent for the channel as well
  (a consent withdrawn later wins over the one the register saw).
* An opt-out (``sync-server notifications opt-out``, the email's unsubscribe link, or the SMS
  provider reporting the number unsubscribed) stops everything to that address, receipts too.

Statuses: ``queued`` → ``sending`` → ``sent``; or ``skipped`` (rule above), ``failed`` (the
provider refused for good, or the order never arrived), ``unknown`` (the worker stopped or the
connection broke after the message may have been handed over: never sent again, see
`service`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

KINDS = ("receipt", "order_received", "order_ready", "order_cancelled", "order_refunded")
TRANSACTIONAL_KINDS = frozenset({"receipt"})
CHANNELS = ("email", "sms")
LOCALES = ("en_US", "pt_BR")
FINAL_STATUSES = frozenset({"sent", "skipped", "failed", "unknown"})


@dataclass(frozen=True, slots=True)
class Notification:
    id: uuid.UUID
    order_id: uuid.UUID | None
    kind: str
    channel: str
    to_address: str
    customer_id: uuid.UUID | None
    consent: bool
    locale: str
    created_at: datetime
    status: str
    attempts: int


def refusal(
    notification: Notification, *, opted_out: bool, customer_consent: bool | None
) -> str | None:
    """Why this notification must not be sent, or None when it may be."""
    if opted_out:
        return f"{notification.to_address} opted out of {notification.channel} messages"
    if notification.kind in TRANSACTIONAL_KINDS:
        return None
    if not notification.consent:
        return f"{notification.kind} needs the customer's consent (receipts do not)"
    if customer_consent is False:
        return f"the customer withdrew consent to {notification.channel} messages"
    return None


# --- what senders answer ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sent:
    provider_message_id: str


class SendError(Exception):
    """A send that did not go through. Subclasses say whether it may be tried again."""


class NotSent(SendError):
    """The provider certainly did not take the message: safe to try again (unless permanent)."""

    def __init__(self, message: str, *, permanent: bool = False, opted_out: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.opted_out = opted_out


class OutcomeUnknown(SendError):
    """The message may have been handed over (the connection broke after it was sent)."""
