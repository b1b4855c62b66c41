"""SMS through Twilio's Messages API, against a local fake of it: the request Twilio expects,
what is retried (busy, unreachable), refused for good (an unsubscribed number) or left alone
because it may have gone out (no answer)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from sync_server.notifications.schemas import NotSent
from sync_server.notifications.sms import TwilioSms
from tests.support.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FROM_NUMBER, FakeTwilio, Planned
from tests.support.push_payloads import build_notification, build_order
from tests.support.smtp_server import free_port
from tests.support.sync_server_live import make_jobs_due, run_jobs
from tests.support.sync_shop import Register, Shop, notification_channels

pytestmark = pytest.mark.postgres

PHONE = "+5511987654321"


def _queue(register: Register, *, kind: str = "order_ready", locale: str = "en_US") -> uuid.UUID:
    order_id, order = build_order(
        lines=[("BRG-1", "Burger", 1, 1250, 0)], paid_at=datetime.now(UTC), currency="USD",
        number=12,
    )  # fmt: skip
    notification_id, notification = build_notification(
        order_id, kind=kind, channel="sms", to=PHONE, consent=True, locale=locale
    )
    register.push(("order", order_id, order), ("notification", notification_id, notification))
    return notification_id


def _row(shop: Shop, notification_id: uuid.UUID) -> Any:
    engine = create_engine(shop.settings.admin_database_url)
    try:
        with engine.connect() as conn:
            return conn.execute(
                text(
                    "SELECT status, attempts, last_error, provider_message_id FROM notifications "
                    "WHERE id = :i"
                ),
                {"i": notification_id},
            ).one()
    finally:
        engine.dispose()


def test_an_order_update_by_sms(shop: Shop, twilio: FakeTwilio) -> None:
    notification_id = _queue(Register(shop))
    run_jobs(shop.settings, notification_channels(shop, None, twilio))
    (message,) = twilio.messages
    assert (message["to"], message["from"]) == (PHONE, FROM_NUMBER)
    assert message["body"] == (
        "Test Shop: your order #12 is ready for pickup. Reply STOP to opt out."
    )
    row = _row(shop, notification_id)
    assert (row.status, row.provider_message_id) == ("sent", message["sid"])


def test_a_busy_provider_is_tried_again_and_the_message_sent_once(
    shop: Shop, twilio: FakeTwilio
) -> None:
    twilio.plan.append(Planned(503, {"code": 20503, "message": "Service unavailable"}))
    notification_id = _queue(Register(shop), kind="receipt", locale="pt_BR")
    channels = notification_channels(shop, None, twilio)
    run_jobs(shop.settings, channels)
    assert (twilio.requests, twilio.messages) == (1, [])
    assert _row(shop, notification_id).status == "queued"
    make_jobs_due(shop.settings)
    run_jobs(shop.settings, channels)
    (message,) = twilio.messages
    assert message["body"] == "Test Shop: obrigado! Pedido nº 12, total US$\u00a012,50."
    assert _row(shop, notification_id).status == "sent"


def test_an_unsubscribed_number_fails_and_is_remembered(shop: Shop, twilio: FakeTwilio) -> None:
    twilio.plan.append(
        Planned(400, {"code": 21610, "message": "Attempt to send to unsubscribed recipient"})
    )
    register = Register(shop)
    first = _queue(register)
    channels = notification_channels(shop, None, twilio)
    run_jobs(shop.settings, channels)
    assert _row(shop, first).status == "failed"
    second = _queue(register)
    run_jobs(shop.settings, channels)
    assert _row(shop, second).status == "skipped"
    assert twilio.requests == 1


def test_no_answer_in_time_is_unknown_and_never_resent(shop: Shop, twilio: FakeTwilio) -> None:
    twilio.plan.append(Planned(201, delay=1.5))  # Twilio got it, but answers too late
    notification_id = _queue(Register(shop))
    run_jobs(shop.settings, notification_channels(shop, None, twilio, sms_timeout=0.5))
    row = _row(shop, notification_id)
    assert row.status == "unknown"
    assert "did not answer" in row.last_error
    assert make_jobs_due(shop.settings) == 0
    run_jobs(shop.settings, notification_channels(shop, None, twilio))
    assert twilio.requests == 1


def test_an_unreachable_provider_is_not_sent_and_may_be_retried() -> None:
    provider = TwilioSms(
        base_url=f"http://127.0.0.1:{free_port()}",
        account_sid=ACCOUNT_SID,
        auth_token=AUTH_TOKEN,
        from_number=FROM_NUMBER,
        timeout=2,
    )
    with pytest.raises(NotSent) as raised:
        provider.send(to=PHONE, body="hello")
    assert raised.value.permanent is False


def test_wrong_credentials_are_a_permanent_refusal(twilio: FakeTwilio) -> None:
    provider = TwilioSms(
        base_url=twilio.base_url,
        account_sid=ACCOUNT_SID,
        auth_token="wrong",
        from_number=FROM_NUMBER,
    )
    with pytest.raises(NotSent, match="20003") as raised:
        provider.send(to=PHONE, body="hello")
    assert raised.value.permanent is True
    assert twilio.messages == []
