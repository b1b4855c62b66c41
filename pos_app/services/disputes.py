"""Chargebacks on the shop's card payments: what the manager sees, and the evidence the
register sends to the card network through Stripe's dispute API.

Disputes arrive from the sync server (which hears Stripe's webhooks); the evidence is built from
the order as it was sold: the receipt, what was bought, when, and how the card was read (chip
or tap on the shop's own reader, which is strong evidence against "fraudulent").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from pos_app.db.database import Database
from pos_app.db.repositories.remote import RemoteChangeRepository
from pos_app.db.uow import UnitOfWork
from pos_app.domain.clock import utcnow
from pos_app.domain.errors import NotFound, ValidationError
from pos_app.domain.remote import DisputeRecord
from pos_app.domain.staff import Authorization, Permission
from pos_app.payments.terminal import PaymentTerminal

OPEN_STATUSES = frozenset({"warning_needs_response", "needs_response"})


@dataclass(frozen=True, slots=True)
class DisputeView:
    dispute: DisputeRecord
    order_number: int | None

    @property
    def needs_response(self) -> bool:
        return self.dispute.status in OPEN_STATUSES and self.dispute.evidence_submitted_at is None

    def overdue(self, now: datetime | None = None) -> bool:
        due = self.dispute.evidence_due_by
        return self.needs_response and due is not None and due < (now or utcnow())


def list_disputes(uow: UnitOfWork) -> list[DisputeView]:
    views = []
    for dispute in RemoteChangeRepository(uow.session).disputes():
        order = uow.orders.meta(dispute.order_id) if dispute.order_id else None
        views.append(DisputeView(dispute, order.number if order else None))
    return views


def build_evidence(uow: UnitOfWork, *, dispute_id: str) -> dict[str, str]:
    """The evidence fields for a dispute, from the order it is about."""
    from pos_app.domain.receipts import layout_receipt
    from pos_app.services.printing import load_receipt

    dispute = next(
        (d for d in RemoteChangeRepository(uow.session).disputes() if d.id == dispute_id), None
    )
    if dispute is None:
        raise NotFound("that dispute is not on this register")
    if dispute.order_id is None or uow.orders.meta(dispute.order_id) is None:
        raise ValidationError("this dispute is not linked to an order on this register")
    shop = uow.settings.shop()
    assert shop is not None
    order = uow.orders.get(dispute.order_id)
    meta = uow.orders.meta(dispute.order_id)
    assert order is not None
    assert meta is not None
    receipt = load_receipt(uow, order_id=order.id)
    text = layout_receipt(receipt, 48).text
    when = (meta.paid_at or meta.created_at).astimezone(ZoneInfo(shop.timezone))
    card = next((t for t in order.tenders if t.card_last4), None)
    read = (
        f"The card ({(card.card_brand or 'card').title()} ending {card.card_last4}) was "
        "presented in person on the shop's own Stripe Terminal reader (chip or contactless)."
        if card
        else "The card was presented in person at the counter."
    )
    items = "; ".join(
        f"{line.quantity} x {line.name}"
        + (f" ({', '.join(m.name for m in line.modifiers)})" if line.modifiers else "")
        for line in order.lines
    )
    return {
        "product_description": f"Food and drink sold and served at {shop.name}: {items}"[:20000],
        "service_date": when.strftime("%Y-%m-%d"),
        "uncategorized_text": (
            f"{read} Order {order.number} was paid at {when:%Y-%m-%d %H:%M} ({shop.timezone}) "
            f"and handed over at the counter. The receipt follows.\n\n{text}"
        )[:20000],
    }


def submit_evidence(
    db: Database, terminal: PaymentTerminal, *, dispute_id: str, authorization: Authorization
) -> str:
    """Build, send and record the evidence. Network: run it off the GUI thread."""
    if authorization.permission is not Permission.VIEW_REPORTS:
        raise ValidationError("a manager submits dispute evidence")
    with db.read() as uow:
        evidence = build_evidence(uow, dispute_id=dispute_id)
    status = terminal.submit_dispute_evidence(
        dispute_id, evidence=evidence, idempotency_key=f"pos-dispute-evidence-{dispute_id}"
    )
    with db.write() as uow:
        RemoteChangeRepository(uow.session).mark_evidence_submitted(dispute_id, utcnow())
        uow.audit.record(
            "dispute.evidence_submitted",
            staff_id=authorization.actor.id,
            approved_by_id=authorization.approver.id if authorization.approver else None,
            details={"dispute_id": dispute_id, "status": status},
        )
    return status
