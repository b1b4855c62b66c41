"""Bringing what happened in Stripe but not at a register into the tenant's books, and the
daily checks that flag what needs a person.

Refunds made outside the register (Stripe's dashboard) are booked as refunds of their order,
so the fee base loses what the shop gave back, exactly as for a register's refund:

* The register's own refunds carry `refund_id` in Stripe metadata; those are left to the
  register's push (booking them here too would count them twice). When Stripe fails one
  later (at the customer's bank, days after the register was told it went through), its card
  allocation is marked failed, the refund with it, the fee base gets back what did not go
  back, and a ``failed_refund`` flag tells the shop the customer is still owed the money.
  A failure that arrives before the register's push is applied when the push arrives.
* The booked amount is capped at what is left to refund on the order: the rest of a card
  payment is tip, which is not in the fee base. It has no line detail, so it is spread over
  the order's lines by revenue, and its tax is the order's tax share of it (half even).
* Booked with status pending/succeeded/failed as Stripe's goes; the fee base changes when it
  enters or leaves `succeeded`, in the month of the refund's creation (as register refunds).
* Releasing an uncaptured authorization is not a refund of anything (Stripe shows it as one).

Payments no register pushed are not added to the fee base (the fee is on register sales, and
guessing lines would be wrong); they are flagged for the shop to look at.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection

from sync_server.disputes import service as disputes
from sync_server.fees import service as fees
from sync_server.fees.rules import Entry, RefundedLine, SoldLine, refund_entries, revenue_of
from sync_server.fees.service import LedgerWriter
from sync_server.flags import service as flags
from sync_server.reconciliation import repository
from sync_server.reconciliation.schemas import Flag, GatewayRefund
from sync_server.sync import service as sync
from sync_server.tenants.schemas import Tenant

UNCAPTURED_AFTER = timedelta(hours=24)
UNSYNCED_AFTER = timedelta(hours=1)
"""A captured payment no register has pushed within this long is flagged (registers push
within seconds when online; the flag resolves itself once the payment arrives)."""

_NOTHING_TO_BOOK = uuid.UUID(int=0)
"""`stripe_refunds.booked_refund_id` of an outside refund with nothing left to book against."""


def order_for_payment(
    conn: Connection, *, tenant: Tenant, payment_intent_id: str | None, charge_id: str | None
) -> uuid.UUID | None:
    return repository.order_for_payment(
        conn, tenant.id, payment_intent_id=payment_intent_id, charge_id=charge_id
    )


def record_stripe_refund(
    conn: Connection, *, tenant: Tenant, refund: GatewayRefund, now: datetime
) -> str:
    """Store Stripe's refund; book it when it was made outside the register. Returns what
    was done, in words (kept on the inbox row)."""
    repository.upsert_stripe_refund(conn, tenant.id, refund)
    if refund.charge_id is not None:
        # This refund may be what an earlier `charge.refunded` booked unitemised: that part
        # gives way first, so the refund counts once.
        reconcile_charge_refunds(conn, tenant=tenant, charge_id=refund.charge_id, now=now)
    if refund.register_refund_id is not None:
        if refund.status == "failed":
            return _register_refund_failed(conn, tenant, refund.register_refund_id, now)
        return f"refund made by a register (refund {refund.register_refund_id}); its push books it"
    return book_refund(conn, tenant=tenant, stripe_refund_id=refund.id, now=now)


def _register_refund_failed(
    conn: Connection, tenant: Tenant, refund_id: uuid.UUID, now: datetime
) -> str:
    # The period lock, the order row, then the refund (the locking order of `sync.refund_caps`).
    writer = LedgerWriter.open(conn, tenant)
    order_id = repository.order_of_refund(conn, tenant.id, refund_id)
    if order_id is not None:
        sync.lock_refund_rooms(conn, tenant.id, [order_id])
    booked = repository.lock_refund(conn, tenant.id, refund_id)
    if booked is None:
        return f"a register's refund ({refund_id}) failed; applied when the register pushes it"
    before = sync.returned_amounts(conn, tenant.id, [refund_id]).get(refund_id, 0)
    if not fail_register_refunds(conn, tenant=tenant, refund_ids=[refund_id], now=now):
        return f"register refund {refund_id}: its failure is already recorded"
    after = sync.returned_amounts(conn, tenant.id, [refund_id]).get(refund_id, 0)
    post_returned_change(conn, writer, booked, before=before, after=after)
    writer.flush(conn)
    return f"register refund {refund_id} failed at the bank: gave back {before} -> {after}"


def fail_register_refunds(
    conn: Connection, *, tenant: Tenant, refund_ids: list[uuid.UUID], now: datetime
) -> list[repository.FailedAllocation]:
    """Apply Stripe's late failures to these register refunds (see the repository) and flag
    each one: the customer did not get that money back, and the register believes it did."""
    changed = repository.fail_register_allocations(conn, tenant.id, refund_ids)
    # The registers pull the failed allocation: the one that made the refund marks it failed
    # and shows what is owed (the others do not have it and ignore it).
    sync.record_changes(
        conn, tenant.id, [("refund_allocation", str(row.id), None) for row in changed]
    )
    for row in changed:
        booked = repository.lock_refund(conn, tenant.id, row.refund_id)
        flags.raise_flag(
            conn, tenant.id, kind="failed_refund", object_id=row.stripe_refund_id,
            order_id=booked.order_id if booked else None, amount_minor=int(row.amount_minor),
            currency=row.currency, now=now,
            detail=f"card refund {row.stripe_refund_id} (register refund {row.refund_id}) "
            "failed at the customer's bank after the register recorded it: the customer did not "
            "get this money back; pay it another way",
        )  # fmt: skip
    return changed


def _announce(conn: Connection, tenant_id: uuid.UUID, refund_id: uuid.UUID) -> None:
    """The registers pull a booked outside refund (and each change of it): the order shows it
    as already refunded before anyone refunds that money again."""
    sync.record_changes(conn, tenant_id, [("outside_refund", str(refund_id), None)])


def _returned_entries(
    conn: Connection, tenant_id: uuid.UUID, booked: repository.BookedRefund, returned: int
) -> list[Entry]:
    """The fee entries of a refund that gave back `returned` of its amount."""
    if not returned:
        return []
    rows = sync.lines_of_orders(conn, tenant_id, [booked.order_id])
    return refund_entries(
        amount_minor=booked.amount_minor,
        tax_minor=booked.tax_minor,
        refunded_lines=[
            RefundedLine(row.line_id, int(row.amount_minor), int(row.tax_minor))
            for row in repository.refund_lines(conn, tenant_id, booked.id)
        ],
        order_lines=[
            SoldLine(row.id, row.sku, row.name, row.total_minor - row.tax_minor) for row in rows
        ],
        returned_minor=returned,
    )


def _negated(entries: list[Entry]) -> list[Entry]:
    return [Entry(e.kind, e.sku, e.name, -e.amount_minor) for e in entries]


def post_returned_change(
    conn: Connection,
    writer: LedgerWriter,
    booked: repository.BookedRefund,
    *,
    before: int,
    after: int,
) -> None:
    """Move a final refund's fee entries from what it gave back `before` to `after`."""
    if before == after:
        return
    order = repository.paid_order(conn, writer.tenant.id, booked.order_id)
    assert order is not None  # refunds are only stored against paid orders
    writer.add(
        source_id=str(booked.id),
        currency=order.currency,
        at=booked.created_at,
        entries=[
            *_negated(_returned_entries(conn, writer.tenant.id, booked, before)),
            *_returned_entries(conn, writer.tenant.id, booked, after),
        ],
    )


def _resize_outside(
    conn: Connection,
    writer: LedgerWriter,
    order: repository.OrderTotals,
    booked: repository.BookedRefund,
    amount_minor: int,
) -> None:
    """Book a refund made outside the register for `amount_minor` instead (0: it ends failed,
    giving back nothing here), moving its fee entries with it. Its order is locked."""
    tax = 0
    if amount_minor > 0:
        tax = amount_minor - revenue_of(
            amount_minor, total_minor=order.total_minor, tax_minor=order.tax_minor,
            revenue_left_minor=sync.revenue_left(
                conn, writer.tenant.id, booked.order_id, except_refund=booked.id
            ),
        )  # fmt: skip
        if (amount_minor, tax, booked.status) == (
            booked.amount_minor,
            booked.tax_minor,
            "succeeded" if booked.status == "failed" else booked.status,
        ):
            return
    elif booked.status == "failed":
        return
    before = (
        _returned_entries(conn, writer.tenant.id, booked, booked.amount_minor)
        if booked.status == "succeeded"
        else []
    )
    after: list[Entry] = []
    if amount_minor > 0:
        repository.resize_refund(
            conn, writer.tenant.id, booked.id, amount_minor=amount_minor, tax_minor=tax
        )
        # Only a refund booked from `charge.refunded` alone comes back from failed (Stripe's
        # charge said more was refunded again).
        status = "succeeded" if booked.status == "failed" else booked.status
        if status != booked.status:
            repository.set_refund_status(conn, writer.tenant.id, booked.id, status)
        resized = repository.BookedRefund(
            booked.id, booked.order_id, amount_minor, tax, status, booked.created_at
        )
        if status == "succeeded":
            after = _returned_entries(conn, writer.tenant.id, resized, amount_minor)
    elif booked.status != "failed":
        repository.set_refund_status(conn, writer.tenant.id, booked.id, "failed")
    writer.add(
        source_id=str(booked.id),
        currency=order.currency,
        at=booked.created_at,
        entries=[*_negated(before), *after],
    )
    _announce(conn, writer.tenant.id, booked.id)


def refunds_merged(
    conn: Connection,
    writer: LedgerWriter,
    *,
    tenant: Tenant,
    refunded_orders: list[uuid.UUID],
    settling: dict[uuid.UUID, list[uuid.UUID]],
    settled_before: dict[uuid.UUID, tuple[int, int]],
    now: datetime,
) -> None:
    """After a push merged register refunds (the push flow calls this): a refund booked from
    Stripe's `charge.refunded` alone may stand for one of them; outside refunds and lost
    disputes of their orders are settled against them (`settle_order_claims`); and refunds
    that were already final move their fee entries from what they gave back before the push
    to what they give back now (`settled_before`: refund id -> (before, after))."""
    for charge_id in repository.unitemised_charges_of_orders(conn, tenant.id, refunded_orders):
        reconcile_charge_refunds(conn, tenant=tenant, charge_id=charge_id, now=now)
    for order_id, by in settling.items():
        settle_order_claims(
            conn, writer, tenant=tenant, order_id=order_id, register_refund_ids=by, now=now
        )
    for refund_id, (before, after) in settled_before.items():
        booked = repository.lock_refund(conn, tenant.id, refund_id)
        assert booked is not None
        post_returned_change(conn, writer, booked, before=before, after=after)


def settle_order_claims(
    conn: Connection,
    writer: LedgerWriter,
    *,
    tenant: Tenant,
    order_id: uuid.UUID,
    register_refund_ids: list[uuid.UUID],
    now: datetime,
) -> None:
    """After new register refunds of an order that outside refunds or lost disputes also
    claim: reduce the outside refunds (latest first) by what all of them claim beyond the
    order's total (see `sync.refund_caps`), and book each outside refund and lost dispute
    again for at most the revenue the others left. The fee base counts the order's payment
    once, whichever arrived first, and the shop is told the customer got more back than was
    paid. The order is already locked by the caller."""
    order = repository.paid_order(conn, tenant.id, order_id)
    assert order is not None
    left = -sync.lock_refund_rooms(conn, tenant.id, [order_id])[order_id].left_minor
    for booked in repository.lock_outside_refunds(conn, tenant.id, order_id):
        take = min(max(left, 0), booked.amount_minor)
        left -= take
        _resize_outside(conn, writer, order, booked, booked.amount_minor - take)
        if not take:
            continue
        gateway_id = repository.gateway_refund_id(conn, tenant.id, booked.id) or str(booked.id)
        registers = ", ".join(str(refund_id) for refund_id in register_refund_ids)
        flags.raise_flag(
            conn, tenant.id, kind="over_refund", object_id=gateway_id, order_id=order_id,
            amount_minor=take, currency=order.currency, now=now,
            detail=f"refund {gateway_id} made outside the register and the register's refund "
            f"({registers}) together give back more than was paid: {take} of the outside "
            "refund is no longer counted (the customer got it twice; ask for it back)",
        )  # fmt: skip
    disputes.rebook_order(conn, tenant=tenant, order_id=order_id)


def unitemised_id(charge_id: str) -> str:
    """`stripe_refunds.id` of what a charge says was refunded beyond the refunds seen one by
    one (Stripe's `charge.refunded` carries the charge's `amount_refunded`, not its refunds)."""
    return f"unitemised_{charge_id}"


def reconcile_charge_refunds(
    conn: Connection, *, tenant: Tenant, charge_id: str, now: datetime
) -> str:
    """Book once what a charge says was refunded, whichever of `charge.refunded` and the
    `refund.*` events arrives first: the part of the charge's `amount_refunded` that no refund
    seen so far explains is booked as one outside refund (`unitemised_id`), and it shrinks as
    the refunds it stood for arrive (a register's push, or Stripe's `refund.*`)."""
    fees.share_period_lock(conn)
    charge = repository.charge_refunded(conn, tenant.id, charge_id)
    if charge is None:
        return "no charge"
    stand_in = unitemised_id(charge_id)
    order_id = repository.order_for_payment(
        conn, tenant.id, payment_intent_id=charge.payment_intent_id, charge_id=charge_id
    )
    rooms = sync.lock_refund_rooms(conn, tenant.id, [order_id] if order_id else [])
    unexplained = max(
        0,
        charge.refunded_minor
        - repository.itemised_refunds(conn, tenant.id, charge_id, order_id, stand_in),
    )
    row = repository.lock_stripe_refund(conn, tenant.id, stand_in)
    if row is None:
        if not unexplained:
            return "every refund of the charge is itemised"
        repository.upsert_stripe_refund(
            conn,
            tenant.id,
            GatewayRefund(
                id=stand_in, payment_intent_id=charge.payment_intent_id, charge_id=charge_id,
                amount_minor=unexplained, currency=charge.currency, status="succeeded",
                reason="charge.refunded", register_refund_id=None, metadata={},
                created_at=charge.updated_at, updated_at=charge.updated_at,
            ),
        )  # fmt: skip
        return book_refund(conn, tenant=tenant, stripe_refund_id=stand_in, now=now)
    repository.set_stripe_refund_amount(conn, tenant.id, stand_in, unexplained)
    if row.booked_refund_id is None:
        return book_refund(conn, tenant=tenant, stripe_refund_id=stand_in, now=now)
    booked = repository.lock_refund(conn, tenant.id, row.booked_refund_id)
    room = rooms.get(order_id) if order_id is not None else None
    if booked is None or room is None:
        return "nothing booked to change"
    claimed = booked.amount_minor if booked.status != "failed" else 0
    amount = min(unexplained, claimed + max(room.left_minor, 0))
    order = repository.paid_order(conn, tenant.id, booked.order_id)
    assert order is not None
    writer = LedgerWriter.open(conn, tenant)
    _resize_outside(conn, writer, order, booked, amount)
    writer.flush(conn)
    if not amount:  # every refund of the charge has arrived on its own: nothing to review
        repository.resolve_flags(conn, tenant.id, "external_refund", only=[stand_in], now=now)
    return f"refunds of charge {charge_id} not itemised yet: {amount}"


def book_refund(conn: Connection, *, tenant: Tenant, stripe_refund_id: str, now: datetime) -> str:
    # The period lock before the order's row (the locking order of `sync.refund_caps`).
    fees.share_period_lock(conn)
    row = repository.lock_stripe_refund(conn, tenant.id, stripe_refund_id)
    if row is None or row.register_refund_id is not None:
        return "nothing to book"
    if row.booked_refund_id is None:
        return _book_new(conn, tenant, row, now)
    if row.booked_refund_id == _NOTHING_TO_BOOK:
        return "nothing left to book on the order"
    booked = repository.lock_refund(conn, tenant.id, row.booked_refund_id)
    if booked is None:
        return "nothing to book"
    new_status = row.status
    # Stripe's refund only moves pending -> succeeded -> failed; never back.
    if new_status == booked.status or booked.status == "failed" or new_status == "pending":
        return f"outside refund {booked.id} stays {booked.status}"
    repository.set_refund_status(conn, tenant.id, booked.id, new_status)
    _announce(conn, tenant.id, booked.id)
    if new_status == "succeeded":
        _post(conn, tenant, booked, reverse=False)
    elif booked.status == "succeeded":
        _post(conn, tenant, booked, reverse=True)
    return f"outside refund {booked.id}: {booked.status} -> {new_status}"


def _book_new(
    conn: Connection, tenant: Tenant, row: repository.StoredStripeRefund, now: datetime
) -> str:
    order_id = repository.order_for_payment(
        conn, tenant.id, payment_intent_id=row.payment_intent_id, charge_id=row.charge_id
    )
    rooms = sync.lock_refund_rooms(conn, tenant.id, [order_id] if order_id is not None else [])
    order = rooms.get(order_id) if order_id is not None else None
    if order is None:
        flags.raise_flag(
            conn, tenant.id, kind="unmatched_refund", object_id=row.id, order_id=order_id,
            amount_minor=row.amount_minor, currency=row.currency, now=now,
            detail=f"refund {row.id} made outside the register; its order is not on the "
            "server yet (booked when it arrives)",
        )  # fmt: skip
        return "outside refund; its order is not on the server yet (flagged)"
    repository.resolve_flags(conn, tenant.id, "unmatched_refund", only=[row.id], now=now)
    # Together with the order's other refunds and lost disputes (`sync.refund_caps`).
    bookable = min(row.amount_minor, order.left_minor)
    if bookable <= 0 or row.currency != order.currency:
        repository.set_booked(conn, tenant.id, row.id, _NOTHING_TO_BOOK)
        why = "another currency" if row.currency != order.currency else "nothing left to refund"
        flags.raise_flag(
            conn, tenant.id, kind="external_refund", object_id=row.id, order_id=order.order_id,
            amount_minor=row.amount_minor, currency=row.currency, now=now, reopen=False,
            detail=f"refund {row.id} made outside the register: {why} on the order; not booked",
        )  # fmt: skip
        return f"outside refund not booked: {why}"
    tax = bookable - revenue_of(
        bookable, total_minor=order.total_minor, tax_minor=order.tax_minor,
        revenue_left_minor=sync.revenue_left(conn, tenant.id, order.order_id),
    )  # fmt: skip
    refund_id = uuid.uuid5(tenant.id, f"stripe-refund:{row.id}")
    repository.insert_refund(
        conn, tenant.id, refund_id=refund_id, order_id=order.order_id, amount_minor=bookable,
        tax_minor=tax, reason=f"refunded outside the register (Stripe {row.id})",
        status=row.status, created_at=row.created_at, gateway_refund_id=row.id,
    )  # fmt: skip
    repository.set_booked(conn, tenant.id, row.id, refund_id)
    _announce(conn, tenant.id, refund_id)
    if row.status == "succeeded":
        booked = repository.BookedRefund(
            refund_id, order.order_id, bookable, tax, row.status, row.created_at
        )
        _post(conn, tenant, booked, reverse=False)
    capped = (
        f" (capped from {row.amount_minor}: the rest was tip or already given back)"
        if bookable < row.amount_minor
        else ""
    )
    flags.raise_flag(
        conn, tenant.id, kind="external_refund", object_id=row.id, order_id=order.order_id,
        amount_minor=bookable, currency=row.currency, now=now, reopen=False,
        detail=f"refund {row.id} made outside the register, booked as refund {refund_id} "
        f"({row.status}){capped}",
    )  # fmt: skip
    return f"outside refund booked as {refund_id} ({row.status})"


def _post(
    conn: Connection, tenant: Tenant, booked: repository.BookedRefund, *, reverse: bool
) -> None:
    """The refund's fee entries (or their reversal), in the month of the refund's creation."""
    writer = LedgerWriter.open(conn, tenant)
    whole = booked.amount_minor
    post_returned_change(
        conn, writer, booked, before=whole if reverse else 0, after=0 if reverse else whole
    )
    writer.flush(conn)


# --- the daily job -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DailyResult:
    refunds_booked: int
    disputes_linked: int
    uncaptured: int
    unsynced: int
    card_mismatches: int = 0

    def lines(self) -> list[str]:
        """For people (`sync-server reconcile run`): what was done, what needs a look."""
        return [
            f"outside refunds booked: {self.refunds_booked}",
            f"disputes linked to their order: {self.disputes_linked}",
            f"authorizations never captured (flagged): {self.uncaptured}",
            f"payments no register pushed (flagged): {self.unsynced}",
            f"card amounts that differ from the order (flagged): {self.card_mismatches}",
        ]


def run_daily(conn: Connection, *, tenant: Tenant, now: datetime) -> DailyResult:
    """Book outside refunds whose order has arrived, link disputes to orders that arrived, and
    flag uncaptured authorizations and unsynced payments (resolving flags that no longer hold)."""
    booked = 0
    for stripe_id in repository.unbooked_external_refunds(conn, tenant.id):
        if "booked as" in book_refund(conn, tenant=tenant, stripe_refund_id=stripe_id, now=now):
            booked += 1
    linked = 0
    for _, charge_id in disputes.unlinked(conn, tenant=tenant):
        order_id = repository.order_for_payment(
            conn, tenant.id, payment_intent_id=None, charge_id=charge_id
        )
        if order_id is not None:
            linked += disputes.link_order(
                conn, tenant=tenant, charge_id=charge_id, order_id=order_id
            )

    uncaptured = repository.uncaptured_authorizations(conn, tenant.id, now - UNCAPTURED_AFTER)
    for row in uncaptured:
        hours = int((now - row.created_at).total_seconds() // 3600)
        flags.raise_flag(
            conn, tenant.id, kind="uncaptured_authorization", object_id=row.object_id,
            order_id=row.order_id, amount_minor=row.amount_minor, currency=row.currency.upper(),
            now=now, detail=f"authorized {hours} h ago and never captured: capture or cancel it "
            "(the customer's money is held until it expires)",
        )  # fmt: skip
    repository.resolve_flags(
        conn,
        tenant.id,
        "uncaptured_authorization",
        keep=[row.object_id for row in uncaptured],
        now=now,
    )
    unsynced = repository.unsynced_payments(conn, tenant.id, now - UNSYNCED_AFTER)
    for row in unsynced:
        flags.raise_flag(
            conn, tenant.id, kind="unsynced_payment", object_id=row.object_id,
            order_id=row.order_id, amount_minor=row.amount_minor, currency=row.currency.upper(),
            now=now, detail="Stripe captured this payment but no register has pushed it"
            + (f" (order {row.order_id} in its metadata)" if row.order_id else ""),
        )  # fmt: skip
    repository.resolve_flags(
        conn, tenant.id, "unsynced_payment", keep=[row.object_id for row in unsynced], now=now
    )
    mismatched = repository.card_amount_mismatches(conn, tenant.id)
    for mismatch in mismatched:
        flags.raise_flag(
            conn, tenant.id, kind="card_amount_mismatch", object_id=str(mismatch.order_id),
            order_id=mismatch.order_id,
            amount_minor=int(mismatch.captured) - int(mismatch.tendered),
            currency=mismatch.currency.strip(), now=now,
            detail=f"Stripe captured {mismatch.captured} ({mismatch.intents}) but the register's "
            f"card tenders of the order say {mismatch.tendered}: the fee is on the order's lines, "
            "check the order against the card payment",
        )  # fmt: skip
    repository.resolve_flags(
        conn, tenant.id, "card_amount_mismatch", keep=[str(m.order_id) for m in mismatched], now=now
    )
    return DailyResult(booked, linked, len(uncaptured), len(unsynced), len(mismatched))


def report(conn: Connection, *, tenant_id: uuid.UUID, include_resolved: bool = False) -> list[Flag]:
    return repository.flags(conn, tenant_id, include_resolved=include_resolved)


def acknowledge(conn: Connection, *, tenant_id: uuid.UUID, flag_id: int, now: datetime) -> bool:
    """Close a flag a person has looked at (it opens again if its cause is seen again)."""
    return repository.resolve_flag_by_id(conn, tenant_id, flag_id, now)
