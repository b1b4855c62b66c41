"""Printing: set up printers, queue receipts, kitchen tickets and drawer kicks, reprint.

Every function here only renders bytes and inserts them into the print queue, in the caller's
unit of work; the `PrintWorker` sends them later. So no printer, however jammed or unplugged,
can make a sale fail or wait. `enqueue_sale_prints` goes further and cannot raise at all: it
is called inside the sale's own transaction and must never take the sale down with it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar
from uuid import UUID

from pos_app.db.uow import UnitOfWork
from pos_app.domain.clock import utcnow
from pos_app.domain.errors import NotFound, PermissionDenied, ValidationError
from pos_app.domain.orders import Order, OrderStatus
from pos_app.domain.printers import (
    JobKind,
    PrinterConfig,
    PrinterQueueStatus,
    PrinterRole,
    PrintJobRecord,
    route_kitchen_lines,
)
from pos_app.domain.receipts import (
    CardDetails,
    Receipt,
    RefundDetails,
    RefundedLine,
    RefundPayout,
    build_kitchen_ticket,
    build_receipt,
    build_refund_receipt,
    layout_test_page,
)
from pos_app.domain.refunds import AllocationStatus
from pos_app.domain.shop import Shop
from pos_app.domain.staff import Authorization, Permission, StaffMember
from pos_app.domain.tenders import TenderKind
from pos_app.integrations.printing import escpos_render

log = logging.getLogger(__name__)

_SOLD = (OrderStatus.PAID, OrderStatus.PARTIALLY_REFUNDED, OrderStatus.REFUNDED)


# --- printers ------------------------------------------------------------------------------


def enqueue(
    uow: UnitOfWork,
    *,
    printer: PrinterConfig,
    kind: JobKind,
    payload: bytes,
    order_id: UUID | None = None,
) -> UUID:
    """Queue rendered bytes for `printer` in the caller's transaction. Sends nothing."""
    return uow.printing.enqueue(
        printer_id=printer.id, kind=kind, payload=payload, order_id=order_id, at=utcnow()
    )


def list_printers(uow: UnitOfWork) -> list[PrinterConfig]:
    return uow.printing.printers()


def receipt_printer(uow: UnitOfWork) -> PrinterConfig | None:
    """The enabled printer that prints this register's receipts, if one is set up."""
    return next(
        (p for p in uow.printing.printers(enabled_only=True) if p.role is PrinterRole.RECEIPT),
        None,
    )


def _require_settings(authorization: Authorization) -> None:
    if authorization.permission is not Permission.MANAGE_SETTINGS:
        raise PermissionDenied("printer set-up needs the settings permission")


def _approver_id(authorization: Authorization) -> UUID | None:
    return authorization.approver.id if authorization.approver else None


def save_printer(
    uow: UnitOfWork, *, printer: PrinterConfig, authorization: Authorization
) -> PrinterConfig:
    """Add or change a printer. One enabled receipt printer per register."""
    _require_settings(authorization)
    if printer.enabled and printer.role is PrinterRole.RECEIPT:
        current = receipt_printer(uow)
        if current is not None and current.id != printer.id:
            raise ValidationError(
                f"this register already prints receipts on {current.label}: "
                "switch that one off first"
            )
    uow.printing.save_printer(printer)
    uow.audit.record(
        "printer.saved",
        staff_id=authorization.actor.id,
        approved_by_id=_approver_id(authorization),
        details={
            "printer_id": str(printer.id),
            "name": printer.name,
            "role": printer.role.value,
            "host": printer.host,
            "port": printer.port,
            "enabled": printer.enabled,
            "has_cash_drawer": printer.has_cash_drawer,
        },
    )
    saved = uow.printing.printer(printer.id)
    assert saved is not None
    return saved


def remove_printer(uow: UnitOfWork, *, printer_id: UUID, authorization: Authorization) -> None:
    """Remove a printer that has nothing left to print (its print history goes with it)."""
    _require_settings(authorization)
    printer = uow.printing.printer(printer_id)
    if printer is None:
        raise NotFound("that printer is no longer set up")
    pending = uow.printing.count_pending(printer_id)
    if pending:
        raise ValidationError(
            f"{pending} print job(s) are still waiting for {printer.label}: switch it off "
            "first (they will be marked as not printed) or let them print"
        )
    uow.printing.delete_printer(printer_id)
    uow.audit.record(
        "printer.removed",
        staff_id=authorization.actor.id,
        approved_by_id=_approver_id(authorization),
        details={"printer_id": str(printer_id), "name": printer.name, "host": printer.host},
    )


def print_test_page(uow: UnitOfWork, *, printer_id: UUID, shop: Shop | None = None) -> UUID:
    printer = uow.printing.printer(printer_id)
    if printer is None:
        raise NotFound("that printer is no longer set up")
    shop = shop or _shop(uow)
    layout = layout_test_page(shop_name=shop.name, printer=printer)
    payload = escpos_render.render_layout(layout)
    return enqueue(uow, printer=printer, kind=JobKind.TEST, payload=payload)


# --- receipts ------------------------------------------------------------------------------


def _shop(uow: UnitOfWork) -> Shop:
    shop = uow.settings.shop()
    if shop is None:
        raise ValidationError("the shop is not set up yet")
    return shop


def _order(uow: UnitOfWork, order_id: UUID) -> Order:
    order = uow.orders.get(order_id)
    if order is None:
        raise NotFound("that order does not exist")
    return order


def _sold_order(uow: UnitOfWork, order_id: UUID) -> Order:
    order = _order(uow, order_id)
    if order.status not in _SOLD:
        raise ValidationError(f"order {order.number} is {order.status.value}: it has no receipt")
    return order


def _staff_name(uow: UnitOfWork, staff_id: UUID | None) -> str | None:
    if staff_id is None:
        return None
    member = uow.staff.get(staff_id)
    return member.name if member else None


def load_receipt(
    uow: UnitOfWork,
    *,
    order_id: UUID,
    shop: Shop | None = None,
    card_details: Mapping[UUID, CardDetails] | None = None,
    reprint: bool = False,
) -> Receipt:
    """The receipt of a paid order, as a value (for printing, the PDF and the PNG preview)."""
    return _receipt_of(
        uow, _sold_order(uow, order_id), shop=shop, card_details=card_details, reprint=reprint
    )


def _receipt_of(
    uow: UnitOfWork,
    order: Order,
    *,
    shop: Shop | None,
    card_details: Mapping[UUID, CardDetails] | None = None,
    reprint: bool = False,
) -> Receipt:
    meta = uow.orders.meta(order.id)
    assert meta is not None
    return build_receipt(
        order=order,
        totals=order.totals(),
        shop=shop or _shop(uow),
        issued_at=meta.business_at,
        staff_name=_staff_name(uow, meta.staff_id),
        card_details=card_details,
        order_discount_reason=meta.discount_reason,
        reprint=reprint,
    )


def load_refund_receipt(
    uow: UnitOfWork, *, refund_id: UUID, shop: Shop | None = None, reprint: bool = False
) -> Receipt:
    refund = uow.refunds.get(refund_id)
    if refund is None:
        raise NotFound("that refund does not exist")
    order = uow.orders.get(refund.order_id)
    assert order is not None
    names = {line.id: line.name for line in order.lines}
    tenders = {tender.id: tender for tender in order.tenders}
    payouts = []
    for allocation in uow.refunds.allocations(refund_id):
        tender = tenders.get(allocation.tender_id) if allocation.tender_id else None
        payouts.append(
            RefundPayout(
                kind=TenderKind(allocation.kind),
                amount_minor=allocation.amount_minor,
                card_brand=tender.card_brand if tender else None,
                card_last4=tender.card_last4 if tender else None,
                pending=allocation.status is AllocationStatus.PENDING,
                tip_minor=allocation.tip_minor,
            )
        )
    details = RefundDetails(
        refund_id=refund.id,
        amount_minor=refund.amount_minor,
        tax_minor=refund.tax_minor,
        reason=refund.reason,
        refunded_at=refund.created_at,
        lines=tuple(
            RefundedLine(quantity, names.get(line_id, "item"), amount)
            for line_id, quantity, amount in uow.refunds.line_amounts(refund_id)
        ),
        payouts=tuple(payouts),
        tip_minor=refund.tip_minor,
    )
    return build_refund_receipt(
        order=order,
        totals=order.totals(),
        shop=shop or _shop(uow),
        refund=details,
        staff_name=_staff_name(uow, refund.staff_id),
        reprint=reprint,
    )


def print_receipt(
    uow: UnitOfWork,
    *,
    order_id: UUID,
    shop: Shop | None = None,
    card_details: Mapping[UUID, CardDetails] | None = None,
) -> UUID | None:
    """Queue the sale receipt on the receipt printer; None when no receipt printer is set up."""
    return _queue_receipt(uow, _sold_order(uow, order_id), shop=shop, card_details=card_details)


def _queue_receipt(
    uow: UnitOfWork,
    order: Order,
    *,
    shop: Shop | None,
    card_details: Mapping[UUID, CardDetails] | None,
) -> UUID | None:
    printer = receipt_printer(uow)
    if printer is None:
        return None
    if order.status not in _SOLD:
        raise ValidationError(f"order {order.number} is {order.status.value}: it has no receipt")
    receipt = _receipt_of(uow, order, shop=shop, card_details=card_details)
    payload = escpos_render.render_receipt(receipt, width=printer.paper_width_chars)
    return enqueue(uow, printer=printer, kind=JobKind.RECEIPT, payload=payload, order_id=order.id)


def reprint(
    uow: UnitOfWork,
    *,
    order_id: UUID,
    staff: StaffMember,
    authorization: Authorization | None = None,
    shop: Shop | None = None,
) -> UUID:
    """Reprint a receipt from order history: marked REPRINT on paper, and audited."""
    printer = receipt_printer(uow)
    if printer is None:
        raise ValidationError("no receipt printer is set up on this register")
    receipt = load_receipt(uow, order_id=order_id, shop=shop, reprint=True)
    payload = escpos_render.render_receipt(receipt, width=printer.paper_width_chars)
    job_id = enqueue(uow, printer=printer, kind=JobKind.REPRINT, payload=payload, order_id=order_id)
    uow.audit.record(
        "receipt.reprinted",
        staff_id=staff.id,
        approved_by_id=_approver_id(authorization) if authorization else None,
        order_id=order_id,
        details={"job_id": str(job_id), "printer": printer.name, "order": receipt.order_number},
    )
    return job_id


def print_refund_receipt(
    uow: UnitOfWork, *, refund_id: UUID, shop: Shop | None = None
) -> UUID | None:
    printer = receipt_printer(uow)
    if printer is None:
        return None
    receipt = load_refund_receipt(uow, refund_id=refund_id, shop=shop)
    payload = escpos_render.render_receipt(receipt, width=printer.paper_width_chars)
    return enqueue(
        uow, printer=printer, kind=JobKind.REFUND, payload=payload, order_id=receipt.order_id
    )


# --- kitchen -------------------------------------------------------------------------------


def print_kitchen_tickets(
    uow: UnitOfWork,
    *,
    order_id: UUID,
    shop: Shop | None = None,
    reprint: bool = False,
) -> list[UUID]:
    """One ticket per kitchen printer that has lines on this order (routed by category)."""
    return _queue_kitchen(uow, _order(uow, order_id), shop=shop, reprint=reprint)


def _queue_kitchen(
    uow: UnitOfWork, order: Order, *, shop: Shop | None, reprint: bool = False
) -> list[UUID]:
    if order.status is OrderStatus.VOIDED:
        raise ValidationError(f"order {order.number} was voided")
    shop = shop or _shop(uow)
    printers = {p.id: p for p in uow.printing.printers(enabled_only=True)}
    now = utcnow()
    job_ids = []
    for printer_id, lines in route_kitchen_lines(order.lines, printers.values()).items():
        printer = printers[printer_id]
        ticket = build_kitchen_ticket(
            order=order, lines=lines, station=printer.name, shop=shop, at=now, reprint=reprint
        )
        payload = escpos_render.render_kitchen_ticket(ticket, width=printer.paper_width_chars)
        job_ids.append(
            enqueue(uow, printer=printer, kind=JobKind.KITCHEN, payload=payload, order_id=order.id)
        )
    return job_ids


# --- the cash drawer -----------------------------------------------------------------------


def drawer_printer(uow: UnitOfWork) -> PrinterConfig | None:
    printer = receipt_printer(uow)
    return printer if printer is not None and printer.has_cash_drawer else None


def enqueue_drawer_kick(uow: UnitOfWork, *, order_id: UUID | None = None) -> UUID | None:
    """Queue a drawer kick on the receipt printer; None when no drawer is wired to one.

    Callers audit the reason the drawer opened (a cash sale, a no-sale, a paid-out).
    """
    printer = drawer_printer(uow)
    if printer is None:
        return None
    return enqueue(
        uow,
        printer=printer,
        kind=JobKind.DRAWER,
        payload=escpos_render.drawer_kick(),
        order_id=order_id,
    )


def open_drawer_for_cash_tender(
    uow: UnitOfWork, *, order_id: UUID, staff_id: UUID | None = None
) -> UUID | None:
    """Kick the drawer if, and only if, cash changed hands on this order. Audited."""
    return _kick_for_cash(uow, _order(uow, order_id), staff_id=staff_id)


def _kick_for_cash(uow: UnitOfWork, order: Order, *, staff_id: UUID | None) -> UUID | None:
    if not any(t.kind is TenderKind.CASH and t.tendered_minor > 0 for t in order.tenders):
        return None
    # One sale opens the drawer once, however many times its prints are queued.
    for job in uow.printing.jobs(order_id=order.id):
        if job.kind == JobKind.DRAWER:
            return job.id
    job_id = enqueue_drawer_kick(uow, order_id=order.id)
    if job_id is not None:
        uow.audit.record(
            "drawer.cash_sale",
            staff_id=staff_id,
            order_id=order.id,
            details={"job_id": str(job_id), "order": order.number},
        )
    return job_id


# --- after a sale or a refund ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QueuedPrints:
    """What was queued for a sale or refund, and what could not be."""

    receipt_job_id: UUID | None = None
    kitchen_job_ids: tuple[UUID, ...] = ()
    drawer_job_id: UUID | None = None
    errors: tuple[str, ...] = ()
    """Prints that could not even be queued (the sale or refund stands regardless)."""


T = TypeVar("T")


def _guarded(
    uow: UnitOfWork,
    what: str,
    context: dict[str, str],
    errors: list[str],
    queue: Callable[[], T],
    default: T,
) -> T:
    """Run `queue` in its own savepoint; a failure undoes only its writes and is logged."""
    try:
        with uow.savepoint():
            return queue()
    except Exception as error:  # printing must never cost a sale
        log.exception("could not queue the %s (%s)", what, context)
        message = f"The {what} could not be queued for printing ({error})"
        uow.audit.record_error("printing", "enqueue_failed", message, dict(context))
        errors.append(message)
        return default


def enqueue_sale_prints(
    uow: UnitOfWork,
    *,
    order_id: UUID,
    shop: Shop | None = None,
    staff_id: UUID | None = None,
    receipt: bool = True,
    card_details: Mapping[UUID, CardDetails] | None = None,
) -> QueuedPrints:
    """Queue the drawer kick (cash only), the receipt and the kitchen tickets of a paid order.

    Call it inside the sale's unit of work, right after `checkout.place_order`, and wake the
    worker once the transaction has committed. It never raises. Each of the three is queued in
    its own savepoint, so a failure (a bug in rendering, say) undoes only that print: it goes
    to the error log and to `QueuedPrints.errors`, the others are still queued, and the sale
    commits. Kitchen tickets already sent for this order (when it was parked) are not resent.
    """
    context = {"order_id": str(order_id)}
    errors: list[str] = []
    try:
        order = _order(uow, order_id)
        shop = shop or _shop(uow)
    except Exception as error:  # even a missing order must not cost the sale its commit
        log.exception("could not queue the prints of order %s", order_id)
        message = f"Nothing could be queued for printing ({error})"
        uow.audit.record_error("printing", "enqueue_failed", message, dict(context))
        return QueuedPrints(errors=(message,))
    drawer = _guarded(
        uow,
        "drawer kick",
        context,
        errors,
        lambda: _kick_for_cash(uow, order, staff_id=staff_id),
        None,
    )
    receipt_job = (
        _guarded(
            uow,
            "receipt",
            context,
            errors,
            lambda: _queue_receipt(uow, order, shop=shop, card_details=card_details),
            None,
        )
        if receipt
        else None
    )

    def kitchen() -> list[UUID]:
        if uow.printing.has_jobs(order_id=order_id, kinds=[JobKind.KITCHEN]):
            return []
        return _queue_kitchen(uow, order, shop=shop)

    no_tickets: list[UUID] = []
    tickets = _guarded(uow, "kitchen tickets", context, errors, kitchen, no_tickets)
    return QueuedPrints(receipt_job, tuple(tickets), drawer, tuple(errors))


def enqueue_refund_prints(
    uow: UnitOfWork,
    *,
    refund_id: UUID,
    shop: Shop | None = None,
    staff_id: UUID | None = None,
    receipt: bool = True,
) -> QueuedPrints:
    """The refund receipt, and a drawer kick when cash is paid out. Never raises (see above)."""
    context = {"refund_id": str(refund_id)}
    errors: list[str] = []

    def drawer() -> UUID | None:
        refund = uow.refunds.get(refund_id)
        if refund is None:
            raise NotFound("that refund does not exist")
        allocations = uow.refunds.allocations(refund_id)
        if not any(a.kind == TenderKind.CASH.value and a.amount_minor > 0 for a in allocations):
            return None
        job_id = enqueue_drawer_kick(uow, order_id=refund.order_id)
        if job_id is not None:
            uow.audit.record(
                "drawer.cash_refund",
                staff_id=staff_id or refund.staff_id,
                order_id=refund.order_id,
                details={"job_id": str(job_id), "refund_id": str(refund_id)},
            )
        return job_id

    drawer_job = _guarded(uow, "drawer kick", context, errors, drawer, None)
    receipt_job = (
        _guarded(
            uow,
            "refund receipt",
            context,
            errors,
            lambda: print_refund_receipt(uow, refund_id=refund_id, shop=shop),
            None,
        )
        if receipt
        else None
    )
    return QueuedPrints(receipt_job, (), drawer_job, tuple(errors))


# --- the queue, for the UI ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QueueStatus:
    printers: tuple[PrinterQueueStatus, ...]

    @property
    def pending(self) -> int:
        return sum(p.pending for p in self.printers)

    @property
    def failed(self) -> int:
        return sum(p.failed for p in self.printers)

    @property
    def problems(self) -> tuple[str, ...]:
        """One line per printer that is holding jobs back: show these to the cashier."""
        return tuple(p.last_error for p in self.printers if p.pending and p.last_error)


def queue_status(uow: UnitOfWork) -> QueueStatus:
    return QueueStatus(tuple(uow.printing.queue_status()))


def print_jobs_for_order(uow: UnitOfWork, *, order_id: UUID) -> list[PrintJobRecord]:
    """Every print of an order, oldest first, with its status and last error (order history)."""
    return uow.printing.jobs(order_id=order_id)


def retry_now(uow: UnitOfWork, *, printer_id: UUID | None = None) -> int:
    """The printer is back: send its queued jobs now rather than after the backoff."""
    return uow.printing.retry_now(at=utcnow(), printer_id=printer_id)


def requeue_failed(uow: UnitOfWork, *, staff: StaffMember, printer_id: UUID | None = None) -> int:
    """Queue again the jobs that were given up (drawer kicks excepted). Audited."""
    count = uow.printing.requeue_failed(at=utcnow(), printer_id=printer_id)
    if count:
        uow.audit.record(
            "printing.requeued",
            staff_id=staff.id,
            details={"jobs": count, "printer_id": str(printer_id) if printer_id else None},
        )
    return count
