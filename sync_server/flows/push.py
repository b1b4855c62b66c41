"""A register's push across the domains: sync merges its own tables (`sync.service.push`) and
calls out through its `PushEffects` port for the rest, implemented here:

- the notifications the push carries are stored and their sending queued (notifications);
- Stripe's word on its refunds, if it came first: failures at the bank, refunds booked from
  `charge.refunded` alone, outside refunds and lost disputes of the same orders
  (reconciliation, which books lost disputes again through disputes).

The fee ledger is sync's own dependency (`fees.service.LedgerWriter`). All of it runs in the
request's one transaction; nothing here commits.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import Connection

from sync_server.fees.service import LedgerWriter
from sync_server.notifications import service as notifications
from sync_server.reconciliation import service as reconciliation
from sync_server.sync import schemas as s
from sync_server.sync import service as sync
from sync_server.tenants.schemas import Tenant


class PushEffects:
    """`sync.service.PushEffects`, with the notifications and reconciliation services."""

    def notifications_pushed(
        self,
        conn: Connection,
        *,
        tenant_id: uuid.UUID,
        device_id: uuid.UUID,
        changes: Sequence[s.NotificationChange],
    ) -> None:
        notifications.queue_pushed(conn, tenant_id=tenant_id, device_id=device_id, changes=changes)

    def refunds_failed_at_bank(
        self, conn: Connection, *, tenant: Tenant, refund_ids: list[uuid.UUID]
    ) -> None:
        reconciliation.fail_register_refunds(
            conn, tenant=tenant, refund_ids=refund_ids, now=datetime.now(UTC)
        )

    def refunds_merged(
        self,
        conn: Connection,
        writer: LedgerWriter,
        *,
        tenant: Tenant,
        refunded_orders: list[uuid.UUID],
        settling: dict[uuid.UUID, list[uuid.UUID]],
        settled_before: dict[uuid.UUID, tuple[int, int]],
    ) -> None:
        reconciliation.refunds_merged(
            conn,
            writer,
            tenant=tenant,
            refunded_orders=refunded_orders,
            settling=settling,
            settled_before=settled_before,
            now=datetime.now(UTC),
        )


EFFECTS: sync.PushEffects = PushEffects()
"""What `app.create_app` hands the sync endpoints (they cannot import this module: it is above
their domain)."""
