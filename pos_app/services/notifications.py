"""Customer notifications, queued at the counter and sent by the platform.

The register never talks to a mail or SMS provider: it records the request in the outbox (so
it works offline), and the sync server's worker sends each one exactly once, honouring
consent and opt-outs. A receipt the customer asks for at the counter is transactional and
needs no marketing consent; order updates (ready, cancelled, refunded) need consent.
"""

from __future__ import annotations

import re
from typing import Literal
from uuid import UUID

from pos_app.db.uow import UnitOfWork
from pos_app.domain.clock import utcnow
from pos_app.domain.errors import NotFound, ValidationError
from pos_app.domain.ids import uuid7

Kind = Literal["receipt", "order_received", "order_ready", "order_cancelled", "order_refunded"]
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+[1-9][0-9]{6,14}$")


def check_email(address: str) -> str:
    """The address, stripped, if it looks like one (else a ValidationError saying so)."""
    address = address.strip()
    if not _EMAIL.match(address):
        raise ValidationError("that email address does not look right")
    return address


def queue_notification(
    uow: UnitOfWork,
    *,
    order_id: UUID,
    kind: Kind,
    email: str | None = None,
    phone: str | None = None,
    consent: bool = False,
    locale: str = "en_US",
) -> UUID:
    """Queue one message about an order, to an email address or an E.164 phone number."""
    if (email is None) == (phone is None):
        raise ValidationError("give an email address or a phone number")
    if email is not None:
        check_email(email)
    if phone is not None and not _PHONE.match(phone.strip()):
        raise ValidationError("give the phone number with its country code, like +15551234567")
    if kind != "receipt" and not consent:
        raise ValidationError("order updates need the customer's consent")
    if uow.orders.meta(order_id) is None:
        raise NotFound("that order does not exist")
    from pos_app.db.repositories.customers import CustomerRepository

    customers = CustomerRepository(uow.session)
    customer_id = customers.find_or_add(
        email=email.strip() if email else None,
        phone=phone.strip() if phone else None,
        email_consent=bool(email) and consent,
        sms_consent=bool(phone) and consent,
    )
    # Whoever agreed to hear about the order is the one its updates go to: a phone number
    # given for "text me when it's ready" replaces an e-mail given only for the receipt.
    customers.attach_to_order(order_id, customer_id, replace=consent)
    notification_id = uuid7()
    uow.outbox.record_notification(
        notification_id,
        {
            "order_id": str(order_id),
            "kind": kind,
            "channel": "email" if email else "sms",
            "to": (email or phone or "").strip(),
            "customer_id": str(customer_id),
            "consent": consent,
            "locale": locale,
            "created_at": utcnow().isoformat(),
        },
    )
    uow.audit.record(
        "notification.queued",
        order_id=order_id,
        details={"kind": kind, "channel": "email" if email else "sms"},
    )
    return notification_id


def notify_customer(uow: UnitOfWork, *, order_id: UUID, kind: Kind) -> list[UUID]:
    """An update about an order, to its customer, on every channel they consented to.

    Returns the queued notifications (none when the order has no customer who agreed)."""
    from pos_app.db.repositories.customers import CustomerRepository

    meta = uow.orders.meta(order_id)
    if meta is None or meta.customer_id is None:
        return []
    contact = CustomerRepository(uow.session).contact(meta.customer_id)
    if contact is None:
        return []
    email, phone, email_consent, sms_consent = contact
    shop = uow.settings.shop()
    locale = shop.locale if shop else "en_US"
    queued = []
    if email and (email_consent or kind == "receipt"):
        queued.append(
            queue_notification(
                uow, order_id=order_id, kind=kind, email=email, consent=email_consent, locale=locale
            )
        )
    if phone and sms_consent:
        queued.append(
            queue_notification(
                uow, order_id=order_id, kind=kind, phone=phone, consent=True, locale=locale
            )
        )
    return queued
