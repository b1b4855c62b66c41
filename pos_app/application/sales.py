"""Selling at the counter: ring up, pay cash or no charge, park, recall, void."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from pos_app.application._area import Area
from pos_app.domain.catalog import Category, Product
from pos_app.domain.errors import NotFound, ValidationError
from pos_app.domain.history import OrderSummary
from pos_app.domain.orders import Order
from pos_app.domain.payments import SETTLED
from pos_app.domain.pricing import Discount
from pos_app.domain.staff import Authorization, StaffMember
from pos_app.domain.tenders import TenderKind, TenderRequest
from pos_app.services import checkout, notifications
from pos_app.services.checkout import NoCharge, PlacedOrder

__all__ = ["NoCharge", "PlacedOrder", "Sales"]

# A card payment in one of these states holds nothing on the customer's card.


class Sales(Area):
    def menu(self) -> tuple[list[Category], list[Product]]:
        """The catalog the counter keeps in memory: categories, and every product (inactive
        ones too, so a recalled order's lines still find theirs)."""
        with self.db.read() as uow:
            return uow.catalog.categories(), uow.catalog.products(include_inactive=True)

    def ring_up(self, items: Sequence[tuple[str, int]]) -> Order:
        """A new order of (SKU or barcode, quantity), each with its required modifiers'
        first choices: the order a script or the CLI sells."""
        order = Order(currency=self.shop.currency, tax_mode=self.shop.tax_mode)
        with self.db.read() as uow:
            for sku, quantity in items:
                product = uow.catalog.by_code(sku)
                if product is None:
                    raise NotFound(f"no product with SKU or barcode {sku!r}")
                defaults = {
                    group.id: [group.modifiers[i].id for i in range(group.min_choices)]
                    for group in product.modifier_groups
                    if group.required
                }
                order.add_product(product, quantity, defaults)
        return order

    # --- the cart (no transaction: the audit notes are written when the order is saved) ---

    def discount_needs_approval(self, base_minor: int, discount: Discount) -> bool:
        """Above the shop's threshold a manager must approve the discount."""
        return checkout.discount_needs_approval(self.shop, base_minor, discount)

    def apply_discount(
        self,
        order: Order,
        *,
        discount: Discount | None,
        actor: StaffMember,
        approval: Authorization | None = None,
        line_id: UUID | None = None,
    ) -> int | None:
        """Set a line's discount (`line_id`) or the order's; returns the amount it was capped
        at (more than what it applies to), else None."""
        return checkout.apply_discount(
            order,
            shop=self.shop,
            discount=discount,
            actor=actor,
            approval=approval,
            line_id=line_id,
        )

    def override_price(
        self, order: Order, *, line_id: UUID, unit_price_minor: int, authorization: Authorization
    ) -> None:
        """Change a line's unit price (PRICE_OVERRIDE, the approver's when a manager's PIN gave
        it); the audit entry `price.override` is written with the order."""
        checkout.override_price(
            order, line_id=line_id, unit_price_minor=unit_price_minor, authorization=authorization
        )

    # --- paying, parking, voiding --------------------------------------------------------------

    def place(
        self,
        order: Order,
        tenders: Sequence[TenderRequest],
        staff: StaffMember,
        *,
        no_charge: NoCharge | None = None,
    ) -> PlacedOrder:
        """Pay the order with cash (or at no charge, or with tenders settled elsewhere), in the
        register's open shift."""
        with self.db.write() as uow:
            shift = uow.shifts.current(self.shop.register_id)
            return checkout.place_order(
                uow,
                order=order,
                tenders=tenders,
                shop=self.shop,
                staff=staff,
                shift_id=shift.id if shift else None,
                no_charge=no_charge,
            )

    def sell_cash(
        self, order: Order, staff: StaffMember, *, tendered_minor: int | None = None
    ) -> PlacedOrder:
        """Cash for the whole order: `tendered_minor` handed over (default: the exact total)."""
        total = order.totals().total_minor
        tendered = total if tendered_minor is None else tendered_minor
        if tendered < total:
            raise ValidationError("the cash tendered is less than the total")
        return self.place(order, [TenderRequest(TenderKind.CASH, tendered)], staff)

    def park(self, order: Order, *, label: str, staff: StaffMember, shift_id: UUID | None) -> int:
        """Keep the order for later under a name or table number; returns its number."""
        with self.db.write() as uow:
            return checkout.park_order(
                uow, order=order, label=label, shop=self.shop, staff=staff, shift_id=shift_id
            )

    def parked(self) -> list[OrderSummary]:
        with self.db.read() as uow:
            return uow.orders.parked()

    def recall(self, order_id: UUID) -> Order:
        with self.db.read() as uow:
            return checkout.recall_order(uow, order_id=order_id)

    def holds_card_payment(self, order_id: UUID) -> bool:
        """Whether a card payment of the order may still hold money on the customer's card:
        voiding the order must release it first (`register.cards.void`), on the network."""
        with self.db.read() as uow:
            return any(p.status not in SETTLED for p in uow.payments.for_order(order_id))

    def void(
        self, order: Order, *, reason: str, authorization: Authorization, shift_id: UUID | None
    ) -> int:
        """Void an order nothing was captured for (an unsaved cart is saved first); returns its
        number. An order with a card hold goes through `register.cards.void`."""
        with self.db.write() as uow:
            return checkout.void_order(
                uow,
                order=order,
                reason=reason,
                authorization=authorization,
                shop=self.shop,
                shift_id=shift_id,
            )

    def text_when_ready(self, order_id: UUID, *, phone: str, locale: str) -> None:
        """The customer asked for a text when the order is ready: their consent, and the
        "order received" message, queued for the platform to send."""
        with self.db.write() as uow:
            notifications.queue_notification(
                uow,
                order_id=order_id,
                kind="order_received",
                phone=phone,
                consent=True,
                locale=locale,
            )

    def scripted_sale(
        self,
        staff: StaffMember,
        items: Sequence[tuple[str, int]],
        *,
        pay: str,
        tendered_minor: int | None,
        tip_minor: int = 0,
        card_wait_s: float | None = None,
        present_card: str | None = None,
    ) -> dict[str, Any]:
        """A whole sale from a script (`pos-app sale`): ring up, pay cash or by card, and the
        order as JSON."""
        order = self.ring_up(items)
        if pay == "cash":
            if tip_minor:
                raise ValidationError("tips are taken on card only")
            placed = self.sell_cash(order, staff, tendered_minor=tendered_minor)
        else:
            placed = self._register.cards.charge_and_place(
                order,
                staff,
                tip_minor=tip_minor,
                card_wait_s=card_wait_s,
                present_card=present_card,
            )
        return self._register.history.order_json(placed.order_id)
