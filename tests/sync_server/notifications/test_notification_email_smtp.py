"""Email notifications through a real SMTP server on loopback (aiosmtpd): the receipt's content,
consent and opt-outs, the unsubscribe link, waiting for the order, and what is retried."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from sqlalchemy import create_engine, text

from sync_server.config import Settings
from sync_server.kit import queue
from sync_server.notifications.service import Channels
from sync_server.tenants.schemas import Tenant
from tests.support.push_payloads import build_notification, build_order
from tests.support.smtp_server import SmtpServer
from tests.support.sync_server_live import job_rows, make_jobs_due, run_jobs
from tests.support.sync_shop import Register, Shop, notification_channels, open_shop

pytestmark = pytest.mark.postgres


def _order(number: int = 42, **options: Any) -> tuple[uuid.UUID, dict[str, Any]]:
    return build_order(
        lines=[("LAT-1", "Latte <large>", 2, 450, 0), ("CRO-1", "Croissant", 1, 325, 0)],
        paid_at=datetime(2026, 3, 14, 12, 30, tzinfo=UTC),
        currency=options.pop("currency", "USD"),
        number=number,
        **options,
    )


def _notification_rows(shop: Shop) -> dict[uuid.UUID, Any]:
    engine = create_engine(shop.settings.admin_database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT id, status, attempts, last_error, provider_message_id "
                    "FROM notifications WHERE tenant_id = :t"
                ),
                {"t": shop.tenant.id},
            )
            return {row.id: row for row in rows}
    finally:
        engine.dispose()


def _body(message: EmailMessage, subtype: str) -> str:
    part = message.get_body(preferencelist=(subtype,))
    assert part is not None
    content = part.get_content()
    assert isinstance(content, str)
    return content


def test_a_receipt_is_a_text_and_html_email_sent_once(
    shop: Shop, smtp: SmtpServer, channels: Channels
) -> None:
    register = Register(shop)
    order_id, order = _order()
    notification_id, notification = build_notification(order_id, to="ana@example.com")
    register.push(("order", order_id, order), ("notification", notification_id, notification))
    run_jobs(shop.settings, channels)
    run_jobs(shop.settings, channels)  # nothing left to do: still one email

    (received,) = smtp.handler.received()
    assert received.rcpt_tos == ["ana@example.com"]
    message = received.message
    assert message["Subject"] == "Your receipt from Test Shop, order #42"
    assert message["From"] == "Test Shop <receipts@counterpos.test>"
    assert message["Message-ID"] == f"<{notification_id}@counterpos.test>"
    assert message.get_content_type() == "multipart/alternative"
    plain, html = _body(message, "plain"), _body(message, "html")
    for expected in ("Test Shop", "Order #42", "2 × Latte <large>", "$9.00", "1 × Croissant",
                     "Total  $12.25", "Paid with Visa •••• 4242"):  # fmt: skip
        assert expected in plain, expected
    assert "Latte &lt;large&gt;" in html
    assert "<large>" not in html
    assert "Visa •••• 4242" in html
    unsubscribe = message["List-Unsubscribe"].strip("<>")
    assert unsubscribe.startswith(f"{shop.live.url}/v1/notifications/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"Unsubscribe: {unsubscribe}" in plain
    row = _notification_rows(shop)[notification_id]
    assert (row.status, row.attempts) == ("sent", 1)
    assert "queued as TEST1" in row.provider_message_id


def test_consent_rules_and_opt_outs(shop: Shop, smtp: SmtpServer, channels: Channels) -> None:
    register = Register(shop)
    order_id, order = _order()
    customer_id = uuid.uuid4()
    customer = {
        "name": "Ana", "email": "bruno@example.com", "phone": None, "email_consent": False,
        "sms_consent": False, "created_at": datetime.now(UTC).isoformat(),
    }  # fmt: skip
    no_consent = build_notification(order_id, kind="order_ready", to="ana@example.com")
    consented = build_notification(order_id, kind="order_ready", to="ana@example.com", consent=True)
    receipt = build_notification(order_id, kind="receipt", to="ana@example.com")
    withdrawn = build_notification(
        order_id, kind="order_ready", to="bruno@example.com", consent=True,
        customer_id=customer_id,
    )  # fmt: skip
    register.push(
        ("order", order_id, order),
        ("customer", customer_id, customer),
        ("notification", *no_consent),
        ("notification", *consented),
        ("notification", *receipt),
        ("notification", *withdrawn),
    )
    run_jobs(shop.settings, channels)
    rows = _notification_rows(shop)
    assert rows[no_consent[0]].status == "skipped"
    assert "consent" in rows[no_consent[0]].last_error
    assert rows[consented[0]].status == "sent"
    assert rows[receipt[0]].status == "sent"  # a receipt needs no marketing consent
    assert rows[withdrawn[0]].status == "skipped"
    assert "withdrew" in rows[withdrawn[0]].last_error
    ready = [r.message for r in smtp.handler.received() if "order #42" in r.message["Subject"]]
    assert len(smtp.handler.received()) == 2
    assert any("is ready for pickup" in _body(message, "plain") for message in ready)

    # The customer follows the unsubscribe link: nothing more goes to that address.
    link = smtp.handler.received()[0].message["List-Unsubscribe"].strip("<>")
    page = shop.http.get(link)
    assert page.status_code == 200
    assert "<form" in page.text
    assert _opt_outs(shop) == []  # a GET (a mail scanner) changes nothing
    assert shop.http.post(link).status_code == 200
    assert _opt_outs(shop) == [("email", "ana@example.com", "link")]
    forged = link.replace(parse_qs(urlparse(link).query)["token"][0], "0" * 32)
    assert shop.http.post(forged).status_code == 404
    after = build_notification(order_id, kind="receipt", to="ANA@example.com")
    register.push(("notification", *after))
    run_jobs(shop.settings, channels)
    assert _notification_rows(shop)[after[0]].status == "skipped"
    assert len(smtp.handler.received()) == 2


def _opt_outs(shop: Shop) -> list[tuple[str, str, str]]:
    engine = create_engine(shop.settings.admin_database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT channel, address, source FROM notification_opt_outs "
                    "WHERE tenant_id = :t ORDER BY address"
                ),
                {"t": shop.tenant.id},
            )
            return [(row.channel, row.address, row.source) for row in rows]
    finally:
        engine.dispose()


def test_the_send_waits_for_an_order_that_comes_later(
    shop: Shop, smtp: SmtpServer, channels: Channels
) -> None:
    register = Register(shop)
    order_id, order = _order()
    notification_id, notification = build_notification(order_id)
    register.push(("notification", notification_id, notification))
    run_jobs(shop.settings, channels)
    assert smtp.handler.received() == []
    assert _notification_rows(shop)[notification_id].status == "queued"

    register.push(("order", order_id, order))
    assert make_jobs_due(shop.settings) == 1
    run_jobs(shop.settings, channels)
    assert len(smtp.handler.received()) == 1
    assert _notification_rows(shop)[notification_id].status == "sent"


def test_a_refusal_before_the_message_is_retried_and_sent_once(
    shop: Shop, smtp: SmtpServer, channels: Channels
) -> None:
    smtp.handler.rcpt_replies.append("451 4.3.0 Try again later")
    register = Register(shop)
    order_id, order = _order()
    notification_id, notification = build_notification(order_id)
    register.push(("order", order_id, order), ("notification", notification_id, notification))
    run_jobs(shop.settings, channels)
    row = _notification_rows(shop)[notification_id]
    assert (row.status, row.attempts) == ("queued", 1)
    assert "451" in row.last_error
    assert smtp.handler.received() == []
    make_jobs_due(shop.settings)
    run_jobs(shop.settings, channels)
    assert len(smtp.handler.received()) == 1
    assert _notification_rows(shop)[notification_id].status == "sent"


def test_a_permanent_refusal_is_not_retried(
    shop: Shop, smtp: SmtpServer, channels: Channels
) -> None:
    smtp.handler.rcpt_replies.append("550 5.1.1 No such user")
    register = Register(shop)
    order_id, order = _order()
    notification_id, notification = build_notification(order_id, to="nobody@example.com")
    register.push(("order", order_id, order), ("notification", notification_id, notification))
    run_jobs(shop.settings, channels)
    row = _notification_rows(shop)[notification_id]
    assert row.status == "failed"
    assert "550" in row.last_error
    assert make_jobs_due(shop.settings) == 0


def test_a_connection_lost_after_the_message_is_unknown_and_never_resent(
    shop: Shop, smtp: SmtpServer, channels: Channels
) -> None:
    smtp.handler.data_replies.append("hangup")
    register = Register(shop)
    order_id, order = _order()
    notification_id, notification = build_notification(order_id)
    register.push(("order", order_id, order), ("notification", notification_id, notification))
    run_jobs(shop.settings, channels)
    assert len(smtp.handler.received()) == 1  # the server has it; we cannot know
    row = _notification_rows(shop)[notification_id]
    assert row.status == "unknown"
    assert make_jobs_due(shop.settings) == 0
    run_jobs(shop.settings, channels)
    assert len(smtp.handler.received()) == 1


def test_a_brazilian_receipt_in_portuguese_and_reais(
    fresh_settings: Settings, smtp: SmtpServer
) -> None:
    with open_shop(fresh_settings, currency="BRL", timezone="America/Sao_Paulo") as shop:
        channels = notification_channels(shop, smtp, None)
        order_id, order = _order(number=7, currency="BRL")
        notification_id, notification = build_notification(order_id, locale="pt_BR")
        Register(shop).push(
            ("order", order_id, order), ("notification", notification_id, notification)
        )
        run_jobs(shop.settings, channels)
    (received,) = smtp.handler.received()
    assert received.message["Subject"] == "Seu recibo de Test Shop, pedido nº 7"
    plain = _body(received.message, "plain")
    assert "Total  R$\u00a012,25" in plain
    assert "Pago com Visa •••• 4242" in plain
    assert "Cancelar inscrição" in plain


def _sync_server(shop: Shop, *args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sync_server.cli", *args],
        env={
            **os.environ,
            "SYNC_DATABASE_URL": shop.settings.database_url,
            "SYNC_ADMIN_DATABASE_URL": shop.settings.admin_database_url,
            "SYNC_TOKEN_HMAC_KEY": shop.settings.token_hmac_key.decode(),
            **extra_env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_with_no_smtp_server_configured_it_fails_at_once_and_is_sent_once_configured(
    shop: Shop, smtp: SmtpServer
) -> None:
    """The real worker and commands: no SMTP server is a `failed` notification at once (one
    attempt, the reason and the fix), not a day of silent retries; `notifications retry` sends
    it once the worker has one."""
    register = Register(shop)
    order_id, order = _order()
    notification_id, notification = build_notification(order_id)
    register.push(("order", order_id, order), ("notification", notification_id, notification))

    worked = _sync_server(shop, "worker", "--once")
    assert worked.returncode == 0, worked.stderr
    assert "waiting for jobs" not in worked.stderr
    # The notification's job, and the housekeeping jobs the cron made due.
    summary = r"worker --once: (\d+) job\(s\) run: (\d+) succeeded; nothing else is due"
    counts = re.fullmatch(summary, worked.stdout.strip())
    assert counts is not None, worked.stdout
    assert counts[1] == counts[2]
    lines = [line for line in worked.stderr.splitlines() if "send_notification" in line]
    started = [line for line in lines if "Starting job" in line]
    ended = [line for line in lines if "ended with status" in line]
    assert len(started) == len(ended) == 1, worked.stderr
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO ", ended[0]), ended[0]
    assert "send_notification" in ended[0]
    assert re.search(r"Success, lasted \d+\.\d{3} s", ended[0]), ended[0]

    row = _notification_rows(shop)[notification_id]
    assert (row.status, row.attempts) == ("failed", 1)
    assert "SYNC_SMTP_HOST" in row.last_error
    assert f"notifications retry --tenant {shop.tenant.slug} {notification_id}" in row.last_error
    listed = _sync_server(shop, "notifications", "list", "--tenant", shop.tenant.slug)
    assert "\tfailed\tattempts=1\t" in listed.stdout, listed.stdout

    [job] = job_rows(shop.settings, queue.SEND_NOTIFICATION)
    not_dead = _sync_server(shop, "jobs", "retry", str(job.id))
    assert not_dead.returncode == 2
    assert "is succeeded, not failed" in not_dead.stderr
    assert "sent again with `notifications retry`" in not_dead.stderr
    retried = _sync_server(
        shop, "notifications", "retry", "--tenant", shop.tenant.slug, str(notification_id)
    )
    assert retried.returncode == 0, retried.stderr
    assert _notification_rows(shop)[notification_id].status == "queued"
    configured = {"SYNC_SMTP_HOST": smtp.host, "SYNC_SMTP_PORT": str(smtp.port),
                  "SYNC_SMTP_FROM": "receipts@counterpos.test"}  # fmt: skip
    sent = _sync_server(shop, "worker", "--once", **configured)
    assert sent.returncode == 0, sent.stderr
    row = _notification_rows(shop)[notification_id]
    assert (row.status, row.attempts) == ("sent", 2)
    assert len(smtp.handler.received()) == 1
    again = _sync_server(
        shop, "notifications", "retry", "--tenant", shop.tenant.slug, str(notification_id)
    )
    assert again.returncode == 2
    assert again.stderr.strip().endswith("is sent, not failed: nothing to retry")


def test_an_unsubscribe_token_with_non_ascii_characters_is_not_a_valid_link(
    http: httpx.Client, tenant: Tenant
) -> None:
    for method in ("GET", "POST"):
        response = http.request(
            method,
            f"/v1/notifications/unsubscribe/{tenant.id}",
            params={"channel": "email", "address": "ana@example.com", "token": "é" * 32},
        )
        assert response.status_code == 404, response.text
        assert response.json()["error"]["message"] == "this unsubscribe link is not valid"
