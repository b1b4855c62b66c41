"""The reader's screen: the cart as the customer sees it while the cashier rings it up."""

from __future__ import annotations

from pos_app.application.card_payments.flow import CardFlow
from pos_app.domain.ids import uuid7
from pos_app.domain.orders import Order
from pos_app.payments.terminal import CartDisplay, CartLine


def cart_display(order: Order) -> CartDisplay:
    """The order's lines (unit price after discounts), tax and total, for the reader."""
    totals = order.totals()
    return CartDisplay(
        currency=order.currency,
        lines=[
            CartLine(
                line.name,
                totals.line(line.id).total_minor // max(line.quantity, 1) if line.quantity else 0,
                line.quantity,
            )
            for line in order.lines
        ],
        tax_minor=totals.tax_minor,
        total_minor=totals.total_minor,
    )


class ReaderDisplay:
    def __init__(self, flow: CardFlow) -> None:
        self.flow = flow

    def show_cart(self, order: Order) -> None:
        # Showing a cart moves no money: a fresh key per call, so an older cart never replays.
        self.flow.terminal.show_cart(
            reader_id=self.flow.reader_id,
            cart=cart_display(order),
            idempotency_key=f"display-{uuid7()}",
        )
