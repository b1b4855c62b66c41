"""Customer messages are queued in the outbox with the change that causes them (offline-safe),
on the channels the customer agreed to; the platform sends them."""

from __future__ import annotations

import pytest

from pos_app.db.database import Database
from pos_app.domain.errors import ValidationError
from pos_app.domain.shop import Shop
from pos_app.domain.staff import Permission, StaffMember, authorize
from pos_app.services import notifications, refunds
from tests.support.register import open_shift, sell


def queued(db: Database) -> list[dict[str, object]]:
    with db.read() as uow:
        return [e.payload for e in uow.outbox.pending(limit=10_000) if e.entity == "notification"]


def test_updates_follow_the_order_on_the_channels_the_customer_chose(
    db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> None:
    shift_id = open_shift(db, shop, staff["Sam"])
    placed = sell(db, shop, staff["Alex"], [("FOD-BUR", 1)])
    with db.write() as uow:
        notifications.queue_notification(
            uow, order_id=placed.order_id, kind="order_received", phone="+15551234567", consent=True
        )
    with db.write() as uow:
        assert (
            len(notifications.notify_customer(uow, order_id=placed.order_id, kind="order_ready"))
            == 1
        )
    with db.write() as uow:
        refunds.record_refund(
            uow,
            order_id=placed.order_id,
            authorization=authorize(staff["Morgan"], Permission.REFUND),
            reason="cold",
            amount_minor=100,
            shift_id=shift_id,
        )
    messages = queued(db)
    assert [(m["kind"], m["channel"], m["to"]) for m in messages] == [
        ("order_received", "sms", "+15551234567"),
        ("order_ready", "sms", "+15551234567"),
        ("order_refunded", "sms", "+15551234567"),
    ]
    assert all(m["order_id"] == str(placed.order_id) for m in messages)


def test_a_receipt_needs_no_consent_but_updates_do(
    db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> None:
    open_shift(db, shop, staff["Sam"])
    placed = sell(db, shop, staff["Alex"], [("COF-ESP", 1)])
    with db.write() as uow:
        notifications.queue_notification(
            uow, order_id=placed.order_id, kind="receipt", email="ana@example.com"
        )
    with db.write() as uow:  # a receipt address is not a yes to updates
        assert (
            notifications.notify_customer(uow, order_id=placed.order_id, kind="order_ready") == []
        )
    with pytest.raises(ValidationError, match="consent"), db.write() as uow:
        notifications.queue_notification(
            uow, order_id=placed.order_id, kind="order_ready", email="ana@example.com"
        )
    with pytest.raises(ValidationError, match="country code"), db.write() as uow:
        notifications.queue_notification(
            uow, order_id=placed.order_id, kind="receipt", phone="5551234"
        )
    assert [m["kind"] for m in queued(db)] == ["receipt"]


def test_a_phone_given_for_updates_after_an_emailed_receipt_gets_the_updates(
    db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> None:
    """The finish screen's order: e-mail the receipt (no consent to updates), then "text me
    when it's ready" (consent): "Order ready" goes by text, not "did not ask for updates"."""
    open_shift(db, shop, staff["Sam"])
    placed = sell(db, shop, staff["Alex"], [("FOD-BUR", 1)])
    with db.write() as uow:
        notifications.queue_notification(
            uow, order_id=placed.order_id, kind="receipt", email="a@b.com"
        )
        notifications.queue_notification(
            uow, order_id=placed.order_id, kind="order_received", phone="+15551234567", consent=True
        )
    with db.write() as uow:
        ready = notifications.notify_customer(uow, order_id=placed.order_id, kind="order_ready")
    assert len(ready) == 1
    sent = [p for p in queued(db) if p["kind"] == "order_ready"]
    assert [(p["channel"], p["to"]) for p in sent] == [("sms", "+15551234567")]


def test_a_later_receipt_does_not_take_the_updates_away(
    db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> None:
    open_shift(db, shop, staff["Sam"])
    placed = sell(db, shop, staff["Alex"], [("FOD-BUR", 1)])
    with db.write() as uow:
        notifications.queue_notification(
            uow, order_id=placed.order_id, kind="order_received", phone="+15551234567", consent=True
        )
        notifications.queue_notification(
            uow, order_id=placed.order_id, kind="receipt", email="a@b.com"
        )
    with db.write() as uow:
        ready = notifications.notify_customer(uow, order_id=placed.order_id, kind="order_ready")
    assert len(ready) == 1
