"""A worker killed (SIGKILL) while the SMTP server holds the message it was sending: the job is
recovered and run again, and the customer still gets exactly one email."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, create_engine, text

from sync_server.config import Settings
from sync_server.kit import queue
from sync_server.notifications.service import Channels
from tests.support.push_payloads import build_notification, build_order
from tests.support.smtp_server import SmtpServer
from tests.support.sync_server_live import job_rows, run_jobs
from tests.support.sync_shop import Register, Shop

pytestmark = pytest.mark.postgres


def _worker(settings: Settings, smtp: SmtpServer) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "SYNC_DATABASE_URL": settings.database_url,
        "SYNC_ADMIN_DATABASE_URL": settings.admin_database_url,
        "SYNC_SMTP_HOST": smtp.host,
        "SYNC_SMTP_PORT": str(smtp.port),
        "SYNC_SMTP_FROM": "receipts@counterpos.test",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "sync_server.cli", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _status(admin: Engine, notification_id: uuid.UUID) -> str:
    with admin.connect() as conn:
        status: str = conn.execute(
            text("SELECT status FROM notifications WHERE id = :i"), {"i": notification_id}
        ).scalar_one()
        return status


def test_a_worker_killed_mid_send_never_sends_twice(
    shop: Shop, smtp: SmtpServer, channels: Channels
) -> None:
    order_id, order = build_order(
        lines=[("TEA-1", "Tea", 1, 300, 0)], paid_at=datetime.now(UTC), currency="USD"
    )
    notification_id, notification = build_notification(order_id)
    Register(shop).push(("order", order_id, order), ("notification", notification_id, notification))
    admin = create_engine(shop.settings.admin_database_url)
    smtp.handler.hold_data = True
    worker = _worker(shop.settings, smtp)
    try:
        assert smtp.handler.data_seen.wait(60), "the worker never sent the message"
        # The server has the whole message; its answer is held back. Kill the worker now.
        os.kill(worker.pid, signal.SIGKILL)
        assert worker.wait(30) == -signal.SIGKILL
        assert _status(admin, notification_id) == "sending"
        (job,) = job_rows(shop.settings, queue.SEND_NOTIFICATION)
        assert job.status == "doing"
        smtp.handler.release.set()

        # A minute later the dead worker has missed its heartbeats; the next worker recovers
        # its job, which finds the send in flight and does not repeat it.
        with admin.begin() as conn:
            conn.execute(
                text(
                    "UPDATE procrastinate_workers SET last_heartbeat = now() - interval '2 minutes'"
                )
            )
        run_jobs(shop.settings, channels)
        (job,) = job_rows(shop.settings, queue.SEND_NOTIFICATION)
        assert job.status == "succeeded"
        assert _status(admin, notification_id) == "unknown"
        run_jobs(shop.settings, channels)
        assert len(smtp.handler.received()) == 1
    finally:
        smtp.handler.release.set()
        if worker.poll() is None:
            worker.kill()
            worker.wait(30)
        admin.dispose()
