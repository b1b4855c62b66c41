"""Recording disputes. The Stripe webhook worker (`stripe_webhooks.flows`) calls `upsert_dispute`.

A dispute's status changes are kept as events; a change to or from `lost` posts the difference
to the fee ledger in the same transaction (see `fees.rules`), and the dispute goes to the pull
log so every register sees it.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import Connection

from sync_server.disputes import repository
from sync_server.disputes.schemas import DisputeIn
from sync_server.fees.rules import revenue_of
from sync_server.fees.service import LedgerWriter, post_chargeback
from sync_server.flags import service as flags
from sync_server.sync import service as sync
from sync_server.tenants.schemas import Tenant


def upsert_dispute(
    conn: Connection, *, tenant: Tenant, dispute: DisputeIn, known_newer: bool = False
) -> bool:
    """Store a dispute's newest state; False when `dispute` is older than what is stored.

    With `known_newer` the caller has already established that `dispute` is newer than what is
    stored (Stripe's events are ordered by the dispute's life cycle, and two of them may carry
    the same second), and `updated_at` only says when the change is booked. The connection must
    be scoped to `tenant` (`scope.tenant_scope`, or the request's scope).

    A lost dispute claims of its order what the order's refunds and other lost disputes left
    (`sync.refund_caps`), and takes only the product revenue of that out of the fee base:
    ``claimed − tax_share(claimed)`` (`fees.rules.tax_share`); a tip is never in it (the
    order's total has none). A lost dispute whose order is unknown takes nothing: its sale was
    never in the fee base either (it is booked when the order arrives, see `link_order`).
    """
    writer = LedgerWriter.open(conn, tenant)
    # The order before the dispute (the locking order of `sync.refund_caps`).
    rooms = sync.lock_refund_rooms(conn, tenant.id, [dispute.order_id] if dispute.order_id else [])
    stored = repository.lock_dispute(conn, tenant.id, dispute.id)
    if stored is not None and not known_newer and stored.updated_at >= dispute.updated_at:
        return False
    repository.upsert_dispute(conn, tenant.id, dispute)
    room = rooms.get(dispute.order_id) if dispute.order_id is not None else None
    claimed = fee_base = 0
    if dispute.status == "lost" and room is not None and room.currency == dispute.currency:
        already = int(stored.claimed_minor) if stored is not None else 0
        claimed = max(0, min(dispute.amount_minor, room.left_minor + already))
        fee_base = revenue_of(
            claimed, total_minor=room.total_minor, tax_minor=room.tax_minor,
            revenue_left_minor=sync.revenue_left(
                conn, tenant.id, room.order_id, except_dispute=dispute.id
            ),
        )  # fmt: skip
    repository.set_claimed(conn, tenant.id, dispute.id, claimed)
    if (
        stored is None
        or (stored.status, stored.amount_minor, stored.claimed_minor)
        != (dispute.status, dispute.amount_minor, claimed)
        or (
            dispute.status == "lost"
            and repository.fee_base(conn, tenant.id, dispute.id) != fee_base
        )
    ):
        repository.insert_event(conn, tenant.id, dispute, fee_base_minor=fee_base)
        post_chargeback(
            conn,
            writer,
            dispute_id=dispute.id,
            status=dispute.status,
            amount_minor=fee_base,
            currency=dispute.currency,
            at=dispute.updated_at,
        )
        writer.flush(conn)
        if dispute.status == "lost" and claimed < dispute.amount_minor:
            flags.raise_flag(
                conn, tenant.id, kind="over_refund", object_id=dispute.id,
                order_id=dispute.order_id, amount_minor=dispute.amount_minor - claimed,
                currency=dispute.currency, now=datetime.now(UTC),
                detail=f"dispute {dispute.id} lost {dispute.amount_minor}; "
                f"{dispute.amount_minor - claimed} of it was tip, not on the server yet, or "
                "already refunded: only the rest comes out of the fee base",
            )  # fmt: skip
    sync.record_changes(conn, tenant.id, [("dispute", dispute.id, None)])
    return True


def link_order(conn: Connection, *, tenant: Tenant, charge_id: str, order_id: uuid.UUID) -> int:
    """Attach disputes of `charge_id` recorded before their order was known; returns how many.
    A lost one is booked against its order now."""
    linked = repository.link_order(conn, tenant.id, charge_id, order_id)
    if linked:
        sync.record_changes(
            conn, tenant.id, [("dispute", dispute_id, None) for dispute_id in linked]
        )
    for dispute_id in linked:
        current = repository.dispute(conn, tenant.id, dispute_id)
        if current is not None and current.status == "lost":
            upsert_dispute(conn, tenant=tenant, dispute=current, known_newer=True)
    return len(linked)


def rebook_order(conn: Connection, *, tenant: Tenant, order_id: uuid.UUID) -> None:
    """Book the order's lost disputes again (for at most what its refunds now leave)."""
    for dispute_id in repository.lost_of_order(conn, tenant.id, order_id):
        current = repository.dispute(conn, tenant.id, dispute_id)
        if current is not None:
            upsert_dispute(conn, tenant=tenant, dispute=current, known_newer=True)


CLOSED_STATUSES = ("won", "lost", "warning_closed", "prevented")
"""Statuses after which nothing more can be sent to the card network."""


def list_disputes(conn: Connection, *, tenant_id: uuid.UUID, limit: int = 200) -> list[DisputeIn]:
    """The shop's disputes (at most `limit`): open ones first, soonest evidence due date first,
    then the newest."""
    return repository.disputes(conn, tenant_id, limit, CLOSED_STATUSES)


def unlinked(conn: Connection, *, tenant: Tenant) -> list[tuple[str, str]]:
    """(dispute id, charge id) of the shop's disputes with no order yet."""
    return repository.unlinked(conn, tenant.id)
