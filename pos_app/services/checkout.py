"""Checkout: discounts with their approvals, parking, placing a paid order, voiding.

Placing an order is one transaction: the order, its lines, the stock it takes and its tenders
are written together or not at all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from pos_app.db.uow import UnitOfWork
from pos_app.domain.clock import utcnow
from pos_app.domain.errors import NotEnoughStock, NotFound, PermissionDenied, ValidationError
from pos_app.domain.orders import AuditNote, Order, OrderStatus
from pos_app.domain.payments import IN_FLIGHT, PaymentStatus
from pos_app.domain.pricing import Discount, DiscountKind, OrderTotals
from pos_app.domain.shop import Shop
from pos_app.domain.staff import Authorization, Permission, StaffMember, authorize
from pos_app.domain.tenders import Tender, TenderKind, TenderRequest


@dataclass(frozen=True, slots=True)
class PlacedOrder:
    order_id: UUID
    number: int
    totals: OrderTotals
    tenders: tuple[Tender, ...]

    @property
    def change_minor(self) -> int:
        return sum(tender.change_minor for tender in self.tenders)


@dataclass(frozen=True, slots=True)
class NoCharge:
    """Why an order with a zero total is completed (a comp, a staff meal), and who allowed it."""

    authorization: Authorization
    reason: str


# --- discounts and overrides (pure: they change the cart, the audit is written at placement) ---


def discount_needs_approval(shop: Shop, base_minor: int, discount: Discount) -> bool:
    """Above the shop's threshold (a share of the amount it applies to) a manager must approve."""
    if discount.kind is DiscountKind.PERCENT:
        return discount.value > shop.discount_threshold_ppm
    return discount.value * 1_000_000 > shop.discount_threshold_ppm * base_minor


def apply_discount(
    order: Order,
    *,
    shop: Shop,
    discount: Discount | None,
    actor: StaffMember,
    approval: Authorization | None = None,
    line_id: UUID | None = None,
) -> int | None:
    """Set a line discount (with `line_id`) or the order discount, checking the threshold.

    An amount larger than what it applies to is capped at that amount (the line, or the lines
    after their own discounts) and the cap is returned, so the cashier is told; None otherwise.
    """
    capped: int | None = None
    if discount is not None:
        totals = order.totals()
        if line_id is not None:
            line = totals.line(line_id)
            base = line.gross_minor
        else:
            base = sum(line.gross_minor - line.line_discount_minor for line in totals.lines)
        asked = discount.value
        if discount.kind is DiscountKind.AMOUNT and discount.value > base:
            capped = base
            discount = Discount(DiscountKind.AMOUNT, base, discount.reason)
        approved = approval is not None and approval.permission is Permission.LARGE_DISCOUNT
        if discount_needs_approval(shop, base, discount) and not approved:
            # Raises with the cashier-facing message when the actor may not.
            approval = authorize(actor, Permission.LARGE_DISCOUNT)
    if line_id is not None:
        order.set_line_discount(line_id, discount)
    else:
        order.set_discount(discount)
    if discount is not None:
        details: dict[str, object] = {
            "kind": discount.kind.value,
            "value": discount.value,
            "reason": discount.reason,
            "line_id": str(line_id) if line_id else None,
        }
        if capped is not None:
            details["asked"] = asked
        order.audit_notes.append(
            AuditNote(
                action="discount.line" if line_id else "discount.order",
                staff_id=actor.id,
                approved_by_id=approval.approver.id if approval and approval.approver else None,
                details=details,
            )
        )
    return capped


def override_price(
    order: Order, *, line_id: UUID, unit_price_minor: int, authorization: Authorization
) -> None:
    if authorization.permission is not Permission.PRICE_OVERRIDE:
        raise PermissionDenied("a price change needs the price-override permission")
    before = order.line(line_id).unit_price_minor
    order.set_unit_price(line_id, unit_price_minor)
    order.audit_notes.append(
        AuditNote(
            action="price.override",
            staff_id=authorization.actor.id,
            approved_by_id=authorization.approver.id if authorization.approver else None,
            details={"line_id": str(line_id), "from": before, "to": unit_price_minor},
        )
    )


# --- persistence --------------------------------------------------------------------------


def _write_audit_notes(uow: UnitOfWork, order: Order) -> None:
    for note in order.audit_notes:
        uow.audit.record(
            note.action,
            staff_id=note.staff_id,
            approved_by_id=note.approved_by_id,
            order_id=order.id,
            details=dict(note.details),
        )
    order.audit_notes.clear()


def save_open_order(
    uow: UnitOfWork, *, order: Order, shop: Shop, staff: StaffMember, shift_id: UUID | None
) -> int:
    """Save (or re-save) an unpaid order: parked, or about to be charged on a card.

    Returns the order's number."""
    if order.status not in (OrderStatus.OPEN, OrderStatus.PARKED):
        raise ValidationError(f"a {order.status.value} order cannot be saved as open")
    if order.is_empty:
        raise ValidationError("there is nothing on the order")
    snapshot = order.clone()
    uow.orders.save(
        snapshot,
        snapshot.totals(),
        register_id=shop.register_id,
        staff_id=staff.id,
        shift_id=shift_id,
    )
    # The order is back in the cart's hands (parked, or about to be charged anew): a tender
    # plan left by an earlier card attempt no longer says what was taken for it.
    uow.orders.set_pending_tenders(order.id, None)
    _write_audit_notes(uow, snapshot)
    order.audit_notes.clear()
    assert snapshot.number is not None
    order.number = snapshot.number
    return snapshot.number


def park_order(
    uow: UnitOfWork,
    *,
    order: Order,
    label: str,
    shop: Shop,
    staff: StaffMember,
    shift_id: UUID | None,
) -> int:
    parked = order.clone()
    parked.park(label)
    number = save_open_order(uow, order=parked, shop=shop, staff=staff, shift_id=shift_id)
    uow.audit.record("order.parked", staff_id=staff.id, order_id=order.id, details={"label": label})
    return number


def park_unfinished(uow: UnitOfWork, *, shop: Shop) -> list[int]:
    """Park this register's orders left open with no card payment in flight: the screen they
    were on was lost (a restart), and a parked order is one History and Recall take up again.
    Returns their numbers. Only at start-up, before this process rings anything up."""
    numbers = []
    for summary in uow.orders.unfinished(shop.register_id):
        if summary.status is not OrderStatus.OPEN:
            continue
        if any(
            p.status in IN_FLIGHT or p.status is PaymentStatus.CAPTURED
            for p in uow.payments.for_order(summary.id)
        ):
            # A card may still hold (or have taken) money for it: that is settled first, and
            # an order paid by card is never offered for payment again.
            continue
        uow.orders.mark_parked(summary.id)
        uow.audit.record(
            "order.parked_at_recovery", order_id=summary.id, details={"number": summary.number}
        )
        numbers.append(summary.number)
    return numbers


def recall_order(uow: UnitOfWork, *, order_id: UUID) -> Order:
    """Take a parked order back to the counter (it stays parked in the database until paid)."""
    order = uow.orders.get(order_id)
    if order is None:
        raise NotFound("that order no longer exists")
    if order.status is not OrderStatus.PARKED:
        raise ValidationError(f"order {order.number} is {order.status.value}, not parked")
    order.resume()
    return order


def place_order(
    uow: UnitOfWork,
    *,
    order: Order,
    tenders: Sequence[TenderRequest],
    shop: Shop,
    staff: StaffMember,
    shift_id: UUID | None,
    allow_oversell: bool = False,
    no_charge: NoCharge | None = None,
) -> PlacedOrder:
    """Pay an order: lines, stock, tenders and status in one transaction.

    An order whose total is zero (a comp, a staff meal) is completed only `no_charge`: with
    the discount permission (a comp is a 100 % discount) and a reason, both audited.

    The caller's `order` is left untouched if anything fails (the work is done on a clone).
    A product a manager approved overselling on this order (`Order.oversell_approved`) may go
    below zero too. With `allow_oversell` (money already captured: the sale must be recorded) a
    shortfall takes
    stock below zero and is audited for the manager instead of refusing the order.
    """
    authorize(staff, Permission.SELL)
    if any(t.kind is TenderKind.CASH for t in tenders) and shift_id is None:
        raise ValidationError("open a shift (count the float) before taking cash")
    paying = order.clone()
    if paying.status is OrderStatus.PARKED:
        paying.resume()
    totals = paying.totals()
    if totals.total_minor == 0 and not paying.is_empty:
        if no_charge is None:
            raise ValidationError("nothing to pay: complete the order at no charge, with a reason")
        if no_charge.authorization.permission is not Permission.LARGE_DISCOUNT:
            raise PermissionDenied("an order at no charge needs the discount permission")
        if not no_charge.reason.strip():
            raise ValidationError("give a reason for an order at no charge")
        if tenders:
            raise ValidationError("an order at no charge takes no payment")
    elif no_charge is not None:
        raise ValidationError("only an order whose total is zero is completed at no charge")
    settled = paying.pay(tenders)

    wanted: dict[UUID, int] = defaultdict(int)
    names: dict[UUID, tuple[str, str]] = {}
    for line in paying.lines:
        if line.track_stock and line.product_id is not None:
            wanted[line.product_id] += line.quantity
            names[line.product_id] = (line.sku, line.name)
    oversold: list[dict[str, object]] = []
    for product_id, quantity in wanted.items():
        if not uow.catalog.take_stock(product_id, quantity):
            sku, name = names[product_id]
            level = uow.catalog.stock_level(product_id)
            if not allow_oversell and product_id not in paying.oversell_approved:
                raise NotEnoughStock(sku, name, level, quantity)
            uow.catalog.adjust_stock(product_id, -quantity)
            oversold.append({"sku": sku, "available": level, "sold": quantity})
    uow.orders.save(
        paying,
        totals,
        register_id=shop.register_id,
        staff_id=staff.id,
        shift_id=shift_id,
        paid_at=utcnow(),
    )
    # Paid: a plan an earlier card attempt saved (cash taken, then the card cancelled) is done.
    uow.orders.set_pending_tenders(paying.id, None)
    for product_id, quantity in wanted.items():
        uow.catalog.record_stock_movement(
            product_id=product_id,
            quantity_delta=-quantity,
            reason="sale",
            order_id=paying.id,
            staff_id=staff.id,
        )
    for entry in oversold:
        uow.audit.record("stock.oversold", staff_id=staff.id, order_id=paying.id, details=entry)
    _write_audit_notes(uow, paying)
    if no_charge is not None:
        approver = no_charge.authorization.approver
        uow.audit.record(
            "order.no_charge",
            staff_id=staff.id,
            approved_by_id=approver.id if approver else None,
            order_id=paying.id,
            details={"reason": no_charge.reason.strip(), "subtotal_minor": totals.subtotal_minor},
        )
    if uow.printing.printers(enabled_only=True):
        # Kitchen tickets and the drawer kick (cash only) are queued with the sale itself; the
        # receipt is the customer's choice on the finish screen. Queuing never raises.
        from pos_app.services.printing import enqueue_sale_prints

        enqueue_sale_prints(uow, order_id=paying.id, shop=shop, staff_id=staff.id, receipt=False)
    assert paying.number is not None
    return PlacedOrder(paying.id, paying.number, totals, tuple(settled))


def void_order(
    uow: UnitOfWork,
    *,
    order: Order,
    reason: str,
    authorization: Authorization,
    shop: Shop,
    shift_id: UUID | None,
) -> int:
    """Void an order before any payment is captured. An unsaved cart is saved first, so every
    void is in the database, the reports and the audit log."""
    if authorization.permission is not Permission.VOID:
        raise PermissionDenied("voiding needs the void permission")
    if not reason.strip():
        raise ValidationError("give a reason for the void")
    stored = uow.orders.get(order.id)
    if stored is None:
        if order.is_empty:
            raise ValidationError("there is nothing to void")
        save_open_order(uow, order=order, shop=shop, staff=authorization.actor, shift_id=shift_id)
        stored = uow.orders.get(order.id)
        assert stored is not None
    stored.void()  # raises unless open or parked
    uow.orders.mark_voided(order.id, reason=reason.strip(), at=utcnow(), shift_id=shift_id)
    uow.orders.set_pending_tenders(order.id, None)
    uow.audit.record(
        "order.voided",
        staff_id=authorization.actor.id,
        approved_by_id=authorization.approver.id if authorization.approver else None,
        order_id=order.id,
        details={"reason": reason.strip(), "total_minor": stored.totals().total_minor},
    )
    from pos_app.services.notifications import notify_customer

    notify_customer(uow, order_id=order.id, kind="order_cancelled")
    assert stored.number is not None
    return stored.number
