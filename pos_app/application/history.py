"""Order history: search, one order's detail, receipts of past orders."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pos_app.application._area import Area
from pos_app.domain.history import HistoryFilter, OrderSummary
from pos_app.domain.receipts import Receipt
from pos_app.domain.shop import Shop
from pos_app.services import history, notifications
from pos_app.services.history import OrderDetail

__all__ = ["History", "OrderDetail"]


class History(Area):
    def count(self, search: HistoryFilter | None = None) -> int:
        with self.db.read() as uow:
            return uow.orders.count(search)

    def page(
        self,
        *,
        limit: int,
        after: tuple[datetime, UUID] | None = None,
        search: HistoryFilter | None = None,
    ) -> list[OrderSummary]:
        """One page of the history, newest first, after the row `after` (keyset paging)."""
        with self.db.read() as uow:
            return uow.orders.page(limit=limit, after=after, history=search)

    def summaries(self, order_ids: list[UUID]) -> list[OrderSummary]:
        with self.db.read() as uow:
            return uow.orders.summaries(order_ids)

    def order_detail(self, order_id: UUID) -> OrderDetail:
        with self.db.read() as uow:
            return history.order_detail(uow, order_id=order_id)

    def tell_ready(self, order_id: UUID) -> int:
        """Queue "your order is ready" for the order's customer, on every channel they agreed
        to; returns how many messages were queued."""
        with self.db.write() as uow:
            return len(notifications.notify_customer(uow, order_id=order_id, kind="order_ready"))

    def print_receipt(self, order_id: UUID, *, shop: Shop) -> str | None:
        """Queue the order's receipt on the receipt printer. None: no receipt printer is set
        up; else the printer's first problem, or "" when it is fine."""
        # Imported here: python-escpos is heavy, and the counter starts without it.
        from pos_app.services import printing

        with self.db.write() as uow:
            if printing.receipt_printer(uow) is None:
                return None
            printing.print_receipt(uow, order_id=order_id, shop=shop)
            problems = printing.queue_status(uow).problems
        return problems[0] if problems else ""

    def check_email_address(self, address: str) -> str:
        """The address, stripped, if it looks like one: a ValidationError says it does not
        (no database: the finish screen asks before queueing)."""
        return notifications.check_email(address)

    def email_receipt(self, order_id: UUID, *, address: str, locale: str) -> None:
        """Queue the order's receipt for e-mail (the platform sends it)."""
        with self.db.write() as uow:
            notifications.queue_notification(
                uow, order_id=order_id, kind="receipt", email=address, locale=locale
            )

    def receipt(self, order_id: UUID) -> Receipt:
        """The receipt of a paid order, as a value."""
        from pos_app.services import printing

        with self.db.read() as uow:
            return printing.load_receipt(uow, order_id=order_id)

    def order_json(self, order_id: UUID) -> dict[str, Any]:
        """The order as `pos-app sale` prints it."""
        with self.db.read() as uow:
            order = uow.orders.get(order_id)
            assert order is not None
            # The card payment's id at the gateway (a Stripe PaymentIntent, pi_…): what support
            # looks up in Stripe's dashboard.
            gateway_ids: dict[UUID | None, str | None] = {
                t.payment_id: record.gateway_payment_id
                for t in order.tenders
                if t.payment_id is not None and (record := uow.payments.get(t.payment_id))
            }
        totals = order.totals()
        return {
            "id": str(order.id),
            "number": order.number,
            "status": order.status.value,
            "currency": order.currency,
            "tax_mode": order.tax_mode.value,
            "lines": [
                {
                    "sku": line.sku,
                    "name": line.name,
                    "quantity": line.quantity,
                    "unit_price_minor": line.unit_total_minor,
                    "modifiers": [m.name for m in line.modifiers],
                    "discount_minor": totals.line(line.id).discount_minor,
                    "tax_minor": totals.line(line.id).tax_minor,
                    "total_minor": totals.line(line.id).total_minor,
                }
                for line in order.lines
            ],
            "subtotal_minor": totals.subtotal_minor,
            "discount_minor": totals.discount_minor,
            "tax_minor": totals.tax_minor,
            "total_minor": totals.total_minor,
            "tenders": [
                {
                    "kind": t.kind.value,
                    "amount_minor": t.amount_minor,
                    "tendered_minor": t.tendered_minor,
                    "change_minor": t.change_minor,
                    "tip_minor": t.tip_minor,
                    "card_brand": t.card_brand,
                    "card_last4": t.card_last4,
                    "payment_intent_id": gateway_ids.get(t.payment_id),
                }
                for t in order.tenders
            ],
        }
