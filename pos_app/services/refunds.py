"""Refunds: plan, record before any money moves, then settle each allocation.

A refund is written (status *pending*, with one allocation per tender and an idempotency key
for each card allocation) before the gateway is called. Cash allocations settle at once. Card
allocations are settled by the payments flow, which retries them with the same key until the
gateway gives a definite answer; a definite failure releases what the refund had reserved
beyond the money that did go back (the rule is in `pos_app.domain.refunds`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from uuid import UUID

from pos_app.db.uow import UnitOfWork
from pos_app.domain.clock import utcnow
from pos_app.domain.errors import NotFound, PermissionDenied, ValidationError
from pos_app.domain.ids import uuid7
from pos_app.domain.orders import OrderStatus
from pos_app.domain.refunds import (
    AllocationStatus,
    LineRefundRequest,
    RefundableTender,
    RefundPlan,
    RefundRecord,
    allocate_refund,
    kept_tax,
    plan_amount_refund,
    plan_line_refund,
)
from pos_app.domain.staff import Authorization, Permission
from pos_app.domain.tenders import TenderKind


@dataclass(frozen=True, slots=True)
class RecordedRefund:
    refund_id: UUID
    order_id: UUID
    plan: RefundPlan
    card_allocation_ids: tuple[UUID, ...]
    """Card refunds still to send to the gateway (empty for an all-cash refund)."""
    cash_minor: int

    @property
    def settled(self) -> bool:
        return not self.card_allocation_ids


def refund_idempotency_key(allocation_id: UUID) -> str:
    return f"pos-refund-{allocation_id}"


def record_refund(
    uow: UnitOfWork,
    *,
    order_id: UUID,
    authorization: Authorization,
    reason: str,
    lines: Sequence[LineRefundRequest] | None = None,
    amount_minor: int | None = None,
    to_cash_drawer: bool = False,
    restock: bool = True,
    shift_id: UUID | None = None,
    expected_refunded_minor: int | None = None,
    tip_minor: int = 0,
) -> RecordedRefund:
    """Record a refund (see the module docstring).

    `tip_minor` gives card tips back too, on the cards they were charged on (at most what
    is left of each card's tip; `pos_app.domain.refunds.allocate_refund`); the amount, the
    order's refunded total and its tax do not count it.

    With `expected_refunded_minor` (what the cashier's screen showed as already refunded), a
    second tap on Refund, or another register refunding the same order meanwhile, is refused
    instead of being paid twice.
    """
    if authorization.permission is not Permission.REFUND:
        raise PermissionDenied("a refund needs a manager's approval")
    if not reason.strip():
        raise ValidationError("give a reason for the refund")
    if (lines is None) == (amount_minor is None):
        raise ValidationError("refund either some lines or an amount")
    order = uow.orders.get(order_id)
    if order is None:
        raise NotFound("that order does not exist")
    if expected_refunded_minor is not None and order.refunded_minor != expected_refunded_minor:
        raise ValidationError(
            f"order {order.number} changed since it was opened (a refund was recorded): "
            "look at it again before refunding"
        )
    if order.status not in (OrderStatus.PAID, OrderStatus.PARTIALLY_REFUNDED):
        raise ValidationError(f"order {order.number} is {order.status.value}: nothing to refund")
    totals = order.totals()
    refunded_tax = uow.orders.refunded_tax(order_id)
    if lines is not None:
        plan = plan_line_refund(
            totals,
            {line.id: line.quantity for line in order.lines},
            uow.orders.refunded_units(order_id),
            lines,
            order.refunded_minor,
            refunded_tax,
        )
    else:
        assert amount_minor is not None
        plan = plan_amount_refund(totals, amount_minor, order.refunded_minor, refunded_tax)
    if plan.amount_minor == 0:
        # A refund moves money, and the database keeps no refund of nothing.
        asked = [totals.line(request.line_id) for request in lines or ()]
        if all(line.total_minor == 0 for line in asked):  # given away (a 100 % discount)
            raise ValidationError("those units were free: there is no money to refund for them")
        # A line of many units whose total leaves this unit's share at 0 after rounding.
        raise ValidationError(
            "those units' share of the line rounds to nothing: refund them together with "
            "other units of the line"
        )

    refundable = refundable_tenders(uow, order_id)
    if to_cash_drawer and shift_id is None:
        raise ValidationError("open a shift before paying a refund out of the drawer")
    allocations = allocate_refund(
        plan.amount_minor, refundable, to_cash_drawer=to_cash_drawer, tip_minor=tip_minor
    )
    plan = replace(plan, tip_minor=tip_minor)
    cash_out = sum(a.amount_minor for a in allocations if a.kind is TenderKind.CASH)
    if cash_out:
        shift = uow.shifts.get(shift_id) if shift_id is not None else None
        if shift is None:
            raise ValidationError("open a shift before paying a refund out of the drawer")
        if cash_out > uow.shifts.cash_summary(shift).expected_minor:
            # The cash cannot be handed over, and the drawer count would go below zero.
            raise ValidationError(
                "the drawer does not hold that much cash: record a paid-in from the safe "
                "first, or refund less"
            )

    refund_id = uuid7()
    keyed = []
    card_ids = []
    for allocation in allocations:
        allocation_id = uuid7()
        key = None
        if allocation.kind is TenderKind.CARD:
            key = refund_idempotency_key(allocation_id)
            card_ids.append(allocation_id)
        keyed.append((allocation_id, allocation, key))
        if allocation.tender_id is not None:
            uow.orders.add_tender_refund(allocation.tender_id, allocation.amount_minor)
    approver_id = authorization.approver.id if authorization.approver else None
    uow.refunds.add(
        refund_id=refund_id,
        order_id=order_id,
        plan=plan,
        allocations=keyed,
        reason=reason.strip(),
        status="pending" if card_ids else "succeeded",
        restock=restock,
        staff_id=authorization.actor.id,
        approved_by_id=approver_id,
        shift_id=shift_id,
    )
    order.record_refund(plan.amount_minor)  # domain check of the transition
    uow.orders.record_refund(
        order_id, amount_minor=plan.amount_minor, tax_minor=plan.tax_minor, status=order.status
    )
    for refund_line in plan.lines:
        uow.orders.add_refunded_units(refund_line.line_id, refund_line.quantity)
    if not card_ids:
        _restock(uow, refund_id)
    uow.audit.record(
        "order.refunded",
        staff_id=authorization.actor.id,
        approved_by_id=approver_id,
        order_id=order_id,
        details={
            "refund_id": str(refund_id),
            "amount_minor": plan.amount_minor,
            **({"tip_minor": plan.tip_minor} if plan.tip_minor else {}),
            "reason": reason.strip(),
            "lines": [
                {"line_id": str(line.line_id), "quantity": line.quantity} for line in plan.lines
            ],
            "to_cash_drawer": to_cash_drawer,
        },
    )
    # The customer hears of it if they asked for updates (queued with the refund: offline-safe).
    from pos_app.services.notifications import notify_customer

    notify_customer(uow, order_id=order_id, kind="order_refunded")
    return RecordedRefund(
        refund_id=refund_id,
        order_id=order_id,
        plan=plan,
        card_allocation_ids=tuple(card_ids),
        cash_minor=sum(a.amount_minor for a in allocations if a.kind is TenderKind.CASH),
    )


def refundable_tenders(uow: UnitOfWork, order_id: UUID) -> list[RefundableTender]:
    """What each tender of the order can still give back: its amount and its card tip."""
    order = uow.orders.get(order_id)
    if order is None:
        raise NotFound("that order does not exist")
    refunded = uow.orders.tender_refunded(order_id)
    tips = uow.refunds.tips_refunded(order_id)
    return [
        RefundableTender(
            t.id,
            t.kind,
            t.amount_minor - refunded.get(t.id, 0),
            t.tip_minor - tips.get(t.id, 0),
        )
        for t in order.tenders
    ]


def settle_card_allocation(
    uow: UnitOfWork, *, allocation_id: UUID, succeeded: bool, gateway_refund_id: str | None
) -> None:
    """Record the gateway's definite answer for one card allocation of a refund.

    A refused allocation's amount is released on the order and its tender at once, so the
    cashier can refund it again (in cash, or on the card later). When the last allocation has
    its answer the refund is final: *succeeded* if all of it went back (units restocked),
    otherwise *failed*, keeping what did go back (see `_finish_failed`).
    """
    allocation = uow.refunds.allocation(allocation_id)
    if allocation is None or allocation.status is not AllocationStatus.PENDING:
        return  # already settled: settling twice changes nothing
    refund = uow.refunds.get(allocation.refund_id)
    assert refund is not None
    uow.refunds.set_allocation_status(
        allocation_id,
        AllocationStatus.SUCCEEDED if succeeded else AllocationStatus.FAILED,
        gateway_refund_id,
    )
    if not succeeded:
        _release_amount(uow, refund.order_id, allocation.tender_id, allocation.amount_minor)
    allocations = uow.refunds.allocations(refund.id)
    if any(a.status is AllocationStatus.PENDING for a in allocations):
        return
    returned = sum(a.amount_minor for a in allocations if a.status is AllocationStatus.SUCCEEDED)
    if returned == refund.amount_minor:
        uow.refunds.set_status(refund.id, "succeeded")
        _restock(uow, refund.id)
        return
    uow.refunds.set_status(refund.id, "failed")
    _finish_failed(uow, refund, returned)


def record_late_failure(uow: UnitOfWork, *, allocation_id: UUID) -> bool:
    """Stripe failed a card refund after telling us it went through (at the customer's bank,
    days later; the server hears it and the pull brings it here).

    The card allocation becomes failed and so does the refund; its amount is released on the
    order and its tender so what is owed can be paid again, and the tax kept follows what
    went back (`kept_tax`). The units stay returned: the goods came back and are restocked.
    Returns False when there is nothing to do (not ours, or already failed).
    """
    allocation = uow.refunds.allocation(allocation_id)
    if (
        allocation is None
        or allocation.kind != "card"
        or allocation.status is not AllocationStatus.SUCCEEDED
    ):
        return False
    refund = uow.refunds.get(allocation.refund_id)
    assert refund is not None
    before = sum(
        a.amount_minor
        for a in uow.refunds.allocations(refund.id)
        if a.status is AllocationStatus.SUCCEEDED
    )
    after = before - allocation.amount_minor
    uow.refunds.set_allocation_status(allocation_id, AllocationStatus.FAILED)
    _release_amount(uow, refund.order_id, allocation.tender_id, allocation.amount_minor)
    if refund.status != "pending":
        _release_tax(uow, refund, returned_before=before, returned_after=after)
        uow.refunds.set_status(refund.id, "failed")
    # else another card of the same refund still waits for Stripe: when it settles, the refund
    # becomes final counting this one as failed (`settle_card_allocation`).
    uow.audit.record(
        "refund.failed_later",
        order_id=refund.order_id,
        details={
            "refund_id": str(refund.id),
            "allocation_id": str(allocation_id),
            "owed_minor": allocation.amount_minor + allocation.tip_minor,
        },
    )
    return True


def record_outside_refund(
    uow: UnitOfWork,
    *,
    refund_id: UUID,
    order_id: UUID,
    amount_minor: int,
    tax_minor: int,
    status: str,
) -> bool:
    """A refund of one of our orders made outside the register (in Stripe's dashboard), as the
    server booked it and the pull brought it: the order shows it as already refunded, so
    nobody gives that money back again here.

    It counts (on the order and its card tender) while pending or succeeded, at most what is
    left of both; its tax in proportion (`kept_tax`). The server may book it again for less
    (when this register's own refund of the same money reached the server first) or as
    failed: the count follows, up or down. Nothing is pushed back (the refund is the
    server's). Returns False when the order is not one of this register's.
    """
    order = uow.orders.get(order_id)
    if order is None:
        return False
    stored = uow.refunds.outside(refund_id)
    counted_before = stored.counted_minor if stored is not None else 0
    tax_before = stored.counted_tax_minor if stored is not None else 0
    card = next((t for t in order.tenders if t.kind is TenderKind.CARD), None)
    room = order.paid_minor - (order.refunded_minor - counted_before)
    if card is not None:
        tender_refunded = uow.orders.tender_refunded(order_id).get(card.id, 0)
        room = min(room, card.amount_minor - (tender_refunded - counted_before))
    wanted = amount_minor if status != "failed" else 0
    counted = max(0, min(wanted, room))
    tax = kept_tax(tax_minor, counted, amount_minor) if counted else 0
    if counted != counted_before:
        _release_amount(uow, order_id, card.id if card else None, counted_before - counted)
    if tax != tax_before:
        current = uow.orders.get(order_id)
        assert current is not None
        uow.orders.record_refund(
            order_id, amount_minor=0, tax_minor=tax - tax_before, status=current.status
        )
    uow.refunds.save_outside(
        refund_id, order_id=order_id, amount_minor=amount_minor, status=status,
        counted_minor=counted, counted_tax_minor=tax, tender_id=card.id if card else None,
        now=utcnow(),
    )  # fmt: skip
    if counted != counted_before:
        uow.audit.record(
            "refund.outside",
            order_id=order_id,
            details={
                "refund_id": str(refund_id),
                "amount_minor": amount_minor,
                "status": status,
                "counted_minor": counted,
            },
        )
    return True


def _finish_failed(uow: UnitOfWork, refund: RefundRecord, returned_minor: int) -> None:
    """Release what a failed refund had reserved beyond the money that actually went back.

    Nothing went back: its tax and units are released too, as if it had never been made.
    Part went back (the cash of a split refund, handed over before the card part was
    refused): the units stay returned and go back on the shelf (the goods are on the counter;
    releasing them would let the same units be refunded twice), and the tax is kept in
    proportion to what went back (`kept_tax`). What is still owed can be refunded again as an
    amount.
    """
    _release_tax(uow, refund, returned_before=refund.amount_minor, returned_after=returned_minor)
    if returned_minor == 0:
        for line_id, quantity in uow.refunds.lines(refund.id):
            uow.orders.add_refunded_units(line_id, -quantity)
    else:
        _restock(uow, refund.id)
    uow.audit.record(
        "refund.failed",
        order_id=refund.order_id,
        details={
            "refund_id": str(refund.id),
            "amount_minor": refund.amount_minor,
            "returned_minor": returned_minor,
            "released_minor": refund.amount_minor - returned_minor,
        },
    )


def _restock(uow: UnitOfWork, refund_id: UUID) -> None:
    """Put refunded units of stock-tracked products back on the shelf, once the money is back."""
    refund = uow.refunds.get(refund_id)
    assert refund is not None
    if not refund.restock:
        return
    order = uow.orders.get(refund.order_id)
    assert order is not None
    by_line = {line.id: line for line in order.lines}
    for line_id, quantity in uow.refunds.lines(refund_id):
        line = by_line[line_id]
        if line.track_stock and line.product_id is not None:
            uow.catalog.adjust_stock(line.product_id, quantity)
            uow.catalog.record_stock_movement(
                product_id=line.product_id,
                quantity_delta=quantity,
                reason="refund",
                order_id=order.id,
                staff_id=refund.staff_id,
            )


def _release_tax(
    uow: UnitOfWork, refund: RefundRecord, *, returned_before: int, returned_after: int
) -> None:
    """Give back to the order the tax a refund no longer keeps once what it returned fell from
    `returned_before` to `returned_after` (`kept_tax` of each)."""
    release = kept_tax(refund.tax_minor, returned_before, refund.amount_minor) - kept_tax(
        refund.tax_minor, returned_after, refund.amount_minor
    )
    if release:
        order = uow.orders.get(refund.order_id)
        assert order is not None
        uow.orders.record_refund(order.id, amount_minor=0, tax_minor=-release, status=order.status)


def _release_amount(
    uow: UnitOfWork, order_id: UUID, tender_id: UUID | None, amount_minor: int
) -> None:
    """Give back to the order (and its tender) an amount a refund had reserved."""
    order = uow.orders.get(order_id)
    assert order is not None
    if tender_id is not None:
        uow.orders.add_tender_refund(tender_id, -amount_minor)
    refunded = order.refunded_minor - amount_minor
    status = (
        OrderStatus.PAID
        if refunded == 0
        else OrderStatus.REFUNDED
        if refunded == order.paid_minor
        else OrderStatus.PARTIALLY_REFUNDED
    )
    uow.orders.record_refund(order_id, amount_minor=-amount_minor, tax_minor=0, status=status)
