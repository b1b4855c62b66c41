"""Recording disputes. The Stripe webhook worker (`stripe_webhooks.flows`) calls `upsert_dispute`.

A dispute's status changes are kept as events; a change to or from `lost` posts the difference
to the fee ledger in the same transaction (see `fees.rules`), and the dispute goes to the pull
log so every register sees it.
"""

from __future__ import annotations

import uuid

from sqlalchemy import Connection

from sync_server.disputes import repository
from sync_server.disputes.schemas import DisputeIn
from sync_server.fees.service import LedgerWriter, post_chargeback
from sync_server.sync import repository as sync_repository
from sync_server.tenants.schemas import Tenant


def upsert_dispute(
    conn: Connection, *, tenant: Tenant, dispute: DisputeIn, known_newer: bool = False
) -> bool:
    """Store a dispute's newest state; False when `dispute` is older than what is stored.

    With `known_newer` the caller has already established that `dispute` is newer than what is
    stored (Stripe's events are ordered by the dispute's life cycle, and two of them may carry
    the same second), and `updated_at` only says when the change is booked. The connection must
    be scoped to `tenant` (`db.tenant_transaction`).
    """
    writer = LedgerWriter.open(conn, tenant)
    stored = repository.lock_dispute(conn, dispute.id)
    if stored is not None and not known_newer and stored.updated_at >= dispute.updated_at:
        return False
    repository.upsert_dispute(conn, tenant.id, dispute)
    if stored is None or (stored.status, stored.amount_minor) != (
        dispute.status,
        dispute.amount_minor,
    ):
        repository.insert_event(conn, tenant.id, dispute)
        post_chargeback(
            conn,
            writer,
            dispute_id=dispute.id,
            status=dispute.status,
            amount_minor=dispute.amount_minor,
            currency=dispute.currency,
            at=dispute.updated_at,
        )
        writer.flush(conn)
    sync_repository.record_changes(conn, tenant.id, [("dispute", dispute.id, None)])
    return True


def link_order(conn: Connection, *, tenant: Tenant, charge_id: str, order_id: uuid.UUID) -> int:
    """Attach disputes of `charge_id` recorded before their order was known; returns how many."""
    linked = repository.link_order(conn, charge_id, order_id)
    if linked:
        sync_repository.record_changes(
            conn, tenant.id, [("dispute", dispute_id, None) for dispute_id in linked]
        )
    return len(linked)


def unlinked(conn: Connection) -> list[tuple[str, str]]:
    """(dispute id, charge id) of disputes with no order yet."""
    return repository.unlinked(conn)
