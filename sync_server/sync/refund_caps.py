"""Refund caps from stored state: a register cannot give back more than was paid.

A pushed refund is checked against what the server holds for its order, never against what
the register says is left:

* **order**: register refunds, refunds made outside the register (Stripe's dashboard) and lost
  disputes together never claim more than the order's ``total_minor`` (tips are not refunded
  by the register, and they are not revenue). A refund claims its amount while pending or
  succeeded; a failed one claims what went back (its succeeded allocations); a lost dispute
  claims ``disputes.claimed_minor``.
* **line**: never more units than were sold, never more money than the line's total (refunds
  that ended failed release their lines, as the register does).
* **tender**: the allocations against one tender never exceed its applied amount; a card
  allocation names a card tender of the same order; the allocations add up to the refund.
* **tip**: a refund can give card tips back too (its ``tip_minor``, apart from its amount):
  the tip parts against one card never exceed that card's tip less the tips already given
  back on it (``refund_exceeds_tender_tip``). Tips count nowhere else: not in the order's
  cap (its total has no tip) and not in the fee base (a tip is not revenue).

Refunds made outside the register yield to the register's: when a register's refund fits the
order only without them, they are reduced (latest first) and the shop is flagged
(``over_refund``). So whichever arrives first, the order's refunds end up claiming the same
total: the register's refund in full, the outside ones for what is left.

A refund that does not fit is refused with a reason code (`Refusal`); nothing of it is stored
or booked, and the push goes on with the rest.

**Locking order** (every writer of an order's refunds takes the locks in this order, so two
of them wait for each other instead of deadlocking, and the second sees what the first
committed):

1. the pushing device's row (``devices … FOR UPDATE``; pushes only);
2. the fee period lock, shared (``pg_advisory_xact_lock_shared``; a month close takes it alone);
3. the orders, one transaction-scoped advisory lock each (class ``ORDER_REFUND_LOCK``, key
   the hash of the order id), taken in order id order so two pushes refunding the same orders
   take them in the same order. An advisory lock rather than ``SELECT … FOR UPDATE`` because
   that needs the UPDATE right on ``orders``, which the application role must not have (a
   paid order is immutable). Taken by `repository.lock_refund_rooms`, which then reads the
   order's stored claims;
4. the order's refund rows (``refunds … FOR UPDATE``), then its disputes and Stripe refunds.

The Stripe webhook worker follows 2 → 3 → 4 as well: it reads a refund's or dispute's order
without a lock, locks the order, then the refund or dispute. Two registers refunding the same
order at the same moment therefore run one after the other: exactly one fits, the other is
refused (`tests/sync_server/sync/test_refund_caps.py`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sync_server.sync import schemas as s


@dataclass(slots=True)
class LineRoom:
    quantity: int
    total_minor: int
    refunded_units: int = 0
    refunded_minor: int = 0


@dataclass(slots=True)
class TenderRoom:
    kind: str
    amount_minor: int
    refunded_minor: int = 0
    tip_minor: int = 0
    tip_refunded_minor: int = 0


@dataclass(slots=True)
class OrderRoom:
    """An order's paid amount and what stored refunds and disputes already claim of it."""

    order_id: uuid.UUID
    currency: str
    total_minor: int
    tax_minor: int
    register_minor: int = 0
    """Claimed by register refunds."""
    outside_minor: int = 0
    """Claimed by refunds made outside the register (they yield to the register's)."""
    disputed_minor: int = 0
    """Claimed by lost disputes."""
    lines: dict[uuid.UUID, LineRoom] = field(default_factory=dict)
    tenders: dict[uuid.UUID, TenderRoom] = field(default_factory=dict)

    @property
    def left_minor(self) -> int:
        return self.total_minor - self.register_minor - self.outside_minor - self.disputed_minor


@dataclass(frozen=True, slots=True)
class Refusal:
    """A refund the server does not store, and why. The quarantine routes it (by `code`)."""

    seq: int
    entity: str
    entity_id: uuid.UUID
    code: str
    message: str

    @property
    def reason(self) -> str:
        return f"{self.code}: {self.message}"


def claimed_by(data: s.RefundData) -> int:
    """What a refund in this state claims of its order (see the module docstring)."""
    if data.status != "failed":
        return data.amount_minor
    returned = sum(a.amount_minor for a in data.allocations if a.status == "succeeded")
    return min(returned, data.amount_minor)


def _counted_allocations(data: s.RefundData) -> list[s.RefundAllocation]:
    if data.status == "failed":
        return [a for a in data.allocations if a.status == "succeeded"]
    return [a for a in data.allocations if a.status != "failed"]


def claim(room: OrderRoom, change: s.RefundChange) -> Refusal | int:
    """Check a new refund against its order and claim its part; returns the refusal, or how
    much the refunds made outside the register must yield for it (0 mostly)."""
    data = change.data

    def refuse(code: str, message: str) -> Refusal:
        return Refusal(change.seq, change.entity, change.id, code, message)

    if data.allocations and sum(a.amount_minor for a in data.allocations) != data.amount_minor:
        return refuse("refund_allocations_mismatch", "the allocations do not add up to the refund")
    claimed = claimed_by(data)
    register_room = room.total_minor - room.register_minor - room.disputed_minor
    if claimed > register_room:
        return refuse(
            "refund_exceeds_order",
            f"{max(register_room, 0)} of {room.total_minor} can still be refunded on the order",
        )
    lines = data.lines if data.status != "failed" else []
    for line in lines:
        sold = room.lines.get(line.line_id)
        if sold is None:
            return refuse("refund_line_not_on_order", f"line {line.line_id} is not on the order")
        if sold.refunded_units + line.quantity > sold.quantity:
            left = sold.quantity - sold.refunded_units
            return refuse(
                "refund_exceeds_line_units",
                f"line {line.line_id}: {left} of {sold.quantity} units can still be refunded",
            )
        if sold.refunded_minor + line.amount_minor > sold.total_minor:
            left = sold.total_minor - sold.refunded_minor
            return refuse(
                "refund_exceeds_line_amount",
                f"line {line.line_id}: {left} of {sold.total_minor} can still be refunded",
            )
    allocations = _counted_allocations(data)
    per_tender: dict[uuid.UUID, int] = {}
    tips: dict[uuid.UUID, int] = {}
    for allocation in allocations:
        if allocation.tender_id is None:
            continue  # paid out of the cash drawer, against no tender
        tender = room.tenders.get(allocation.tender_id)
        if tender is None:
            return refuse(
                "refund_tender_not_on_order", f"tender {allocation.tender_id} is not on the order"
            )
        if allocation.kind == "card" and tender.kind != "card":
            return refuse(
                "refund_card_on_cash_tender",
                f"a card refund against tender {allocation.tender_id}, which is not a card",
            )
        per_tender[allocation.tender_id] = (
            per_tender.get(allocation.tender_id, 0) + allocation.amount_minor
        )
        if allocation.tip_minor:
            tips[allocation.tender_id] = tips.get(allocation.tender_id, 0) + allocation.tip_minor
    for tender_id, amount in per_tender.items():
        tender = room.tenders[tender_id]
        if tender.refunded_minor + amount > tender.amount_minor:
            left = tender.amount_minor - tender.refunded_minor
            return refuse(
                "refund_exceeds_tender",
                f"tender {tender_id}: {left} of {tender.amount_minor} can still be refunded",
            )
    for tender_id, tip in tips.items():
        tender = room.tenders[tender_id]
        if tender.tip_refunded_minor + tip > tender.tip_minor:
            left = tender.tip_minor - tender.tip_refunded_minor
            return refuse(
                "refund_exceeds_tender_tip",
                f"tender {tender_id}: {left} of its tip {tender.tip_minor} can still be refunded",
            )
    for line in lines:
        sold = room.lines[line.line_id]
        sold.refunded_units += line.quantity
        sold.refunded_minor += line.amount_minor
    for tender_id, amount in per_tender.items():
        room.tenders[tender_id].refunded_minor += amount
    for tender_id, tip in tips.items():
        room.tenders[tender_id].tip_refunded_minor += tip
    overflow = max(0, claimed - room.left_minor)
    room.register_minor += claimed
    room.outside_minor -= overflow
    return overflow
