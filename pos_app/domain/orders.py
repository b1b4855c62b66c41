"""The order aggregate: the cart being rung up, its lifecycle, and its settlement.

Lifecycle::

    open ──park──▶ parked ──resume──▶ open
    open ──pay──▶ paid ──refund──▶ partially_refunded ──refund──▶ refunded
    open | parked ──void──▶ voided        (before any payment is captured)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from pos_app.domain.catalog import Modifier, Product
from pos_app.domain.clock import utcnow
from pos_app.domain.errors import InvalidTransition, ValidationError
from pos_app.domain.ids import uuid7
from pos_app.domain.pricing import Discount, OrderTotals, PricingLine, TaxMode, compute_totals
from pos_app.domain.staff import Authorization, Permission
from pos_app.domain.tenders import Tender, TenderRequest, settle

MAX_LINE_QUANTITY = 9_999
MAX_NOTE_LENGTH = 200


class OrderStatus(StrEnum):
    OPEN = "open"
    PARKED = "parked"
    PAID = "paid"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"
    VOIDED = "voided"


_TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.OPEN: frozenset({OrderStatus.PARKED, OrderStatus.PAID, OrderStatus.VOIDED}),
    OrderStatus.PARKED: frozenset({OrderStatus.OPEN, OrderStatus.VOIDED}),
    OrderStatus.PAID: frozenset({OrderStatus.PARTIALLY_REFUNDED, OrderStatus.REFUNDED}),
    OrderStatus.PARTIALLY_REFUNDED: frozenset(
        {OrderStatus.PARTIALLY_REFUNDED, OrderStatus.REFUNDED}
    ),
    OrderStatus.REFUNDED: frozenset(),
    OrderStatus.VOIDED: frozenset(),
}


def check_transition(current: OrderStatus, target: OrderStatus) -> None:
    if target not in _TRANSITIONS[current]:
        raise InvalidTransition(f"an order that is {current.value} cannot become {target.value}")


@dataclass(frozen=True, slots=True)
class LineModifier:
    modifier_id: UUID | None
    name: str
    price_delta_minor: int

    @classmethod
    def of(cls, modifier: Modifier) -> LineModifier:
        return cls(modifier.id, modifier.name, modifier.price_delta_minor)


@dataclass(slots=True)
class OrderLine:
    """A product as sold: prices and names are copied, so later catalog edits change nothing."""

    sku: str
    name: str
    unit_price_minor: int
    tax_rate_ppm: int
    quantity: int = 1
    product_id: UUID | None = None
    category_id: UUID | None = None
    modifiers: tuple[LineModifier, ...] = ()
    note: str = ""
    discount: Discount | None = None
    track_stock: bool = False
    id: UUID = field(default_factory=uuid7)

    @property
    def unit_total_minor(self) -> int:
        return self.unit_price_minor + sum(m.price_delta_minor for m in self.modifiers)

    def pricing(self) -> PricingLine:
        return PricingLine(
            key=self.id,
            unit_price_minor=self.unit_total_minor,
            quantity=self.quantity,
            tax_rate_ppm=self.tax_rate_ppm,
            discount=self.discount,
        )


@dataclass(frozen=True, slots=True)
class AuditNote:
    """Something done to the order that the audit log must keep (a discount, a price change)."""

    action: str
    staff_id: UUID
    approved_by_id: UUID | None
    details: dict[str, object]


@dataclass(slots=True)
class Order:
    currency: str
    tax_mode: TaxMode
    status: OrderStatus = OrderStatus.OPEN
    lines: list[OrderLine] = field(default_factory=list)
    discount: Discount | None = None
    label: str = ""
    """Name or table number an order is parked under."""
    number: int | None = None
    customer_id: UUID | None = None
    tenders: list[Tender] = field(default_factory=list)
    refunded_minor: int = 0
    audit_notes: list[AuditNote] = field(default_factory=list)
    oversell_approved: set[UUID] = field(default_factory=set)
    """Products a manager approved selling beyond their stock on this order."""
    created_at: datetime = field(default_factory=utcnow)
    id: UUID = field(default_factory=uuid7)

    def clone(self) -> Order:
        """An independent copy (lines are mutable; everything else they hold is immutable)."""
        return replace(
            self,
            lines=[replace(line) for line in self.lines],
            tenders=list(self.tenders),
            audit_notes=list(self.audit_notes),
            oversell_approved=set(self.oversell_approved),
        )

    # --- ringing up -------------------------------------------------------------------------

    def _require_open(self) -> None:
        if self.status is not OrderStatus.OPEN:
            raise InvalidTransition(f"the order is {self.status.value}; it can no longer change")

    def add_product(
        self,
        product: Product,
        quantity: int = 1,
        choices: Mapping[UUID, Sequence[UUID]] | None = None,
        note: str = "",
        oversell: Authorization | None = None,
    ) -> OrderLine:
        """Add a product; the same product with the same choices and no note adds up.

        Stock is checked by `Product.check_can_sell` over all of the product the order would
        hold; beyond it only with `oversell` (a manager's approval), noted for the audit log.
        """
        self._require_open()
        self._check_stock(product, quantity, oversell)
        if product.currency != self.currency:
            raise ValidationError(f"{product.name} is priced in {product.currency}")
        _check_quantity(quantity)
        modifiers = tuple(LineModifier.of(m) for m in product.choose_modifiers(choices))
        note = _check_note(note)
        if not note:
            for line in self.lines:
                if (
                    line.product_id == product.id
                    and line.modifiers == modifiers
                    and not line.note
                    and line.discount is None
                    and line.unit_price_minor == product.price_minor
                ):
                    self.set_quantity(line.id, line.quantity + quantity)
                    return line
        line = OrderLine(
            sku=product.sku,
            name=product.name,
            unit_price_minor=product.price_minor,
            tax_rate_ppm=product.tax_rate_ppm,
            quantity=quantity,
            product_id=product.id,
            category_id=product.category_id,
            modifiers=modifiers,
            note=note,
            track_stock=product.track_stock,
        )
        if line.unit_total_minor < 0:
            raise ValidationError(f"{product.name}: modifiers make the price negative")
        self.lines.append(line)
        return line

    def line(self, line_id: UUID) -> OrderLine:
        for line in self.lines:
            if line.id == line_id:
                return line
        raise ValidationError("that line is not on this order")

    def _check_stock(self, product: Product, more: int, oversell: Authorization | None) -> None:
        """`Product.check_can_sell` over all of the product the order would hold with `more`;
        an approved oversell is noted for the audit log."""
        in_order = sum(line.quantity for line in self.lines if line.product_id == product.id)
        approved = oversell is not None and oversell.permission is Permission.OVERSELL
        if product.check_can_sell(in_order + more, oversell_approved=approved):
            assert oversell is not None
            self.oversell_approved.add(product.id)
            self.audit_notes.append(
                AuditNote(
                    action="stock.oversell_approved",
                    staff_id=oversell.actor.id,
                    approved_by_id=oversell.approver.id if oversell.approver else None,
                    details={
                        "sku": product.sku,
                        "in_stock": product.stock_quantity,
                        "wanted": in_order + more,
                    },
                )
            )

    def change_quantity(
        self,
        line_id: UUID,
        quantity: int,
        product: Product | None,
        oversell: Authorization | None = None,
    ) -> None:
        """The cashier's − and +: more of a product meets the same stock rule as adding it
        (`product` is the line's product as the catalog has it now; None when it is gone from
        the catalog, and the sale's own stock check still applies)."""
        self._require_open()
        line = self.line(line_id)
        if product is not None and product.id == line.product_id and quantity > line.quantity:
            self._check_stock(product, quantity - line.quantity, oversell)
        self.set_quantity(line_id, quantity)

    def set_quantity(self, line_id: UUID, quantity: int) -> None:
        self._require_open()
        line = self.line(line_id)
        if quantity == 0:
            self.lines.remove(line)
            return
        _check_quantity(quantity)
        line.quantity = quantity

    def remove_line(self, line_id: UUID) -> None:
        self._require_open()
        self.lines.remove(self.line(line_id))

    def set_line_note(self, line_id: UUID, note: str) -> None:
        self._require_open()
        self.line(line_id).note = _check_note(note)

    def set_line_discount(self, line_id: UUID, discount: Discount | None) -> None:
        self._require_open()
        self.line(line_id).discount = discount

    def set_unit_price(self, line_id: UUID, unit_price_minor: int) -> None:
        """A price override (the service checks the permission)."""
        self._require_open()
        if unit_price_minor < 0:
            raise ValidationError("a price cannot be negative")
        self.line(line_id).unit_price_minor = unit_price_minor

    def set_discount(self, discount: Discount | None) -> None:
        self._require_open()
        self.discount = discount

    def totals(self) -> OrderTotals:
        return compute_totals([line.pricing() for line in self.lines], self.tax_mode, self.discount)

    @property
    def is_empty(self) -> bool:
        return not self.lines

    # --- lifecycle --------------------------------------------------------------------------

    def park(self, label: str) -> None:
        label = label.strip()
        if not label:
            raise ValidationError("park the order under a name or number")
        if self.is_empty:
            raise ValidationError("an empty order cannot be parked")
        check_transition(self.status, OrderStatus.PARKED)
        self.label = label[:40]
        self.status = OrderStatus.PARKED

    def resume(self) -> None:
        check_transition(self.status, OrderStatus.OPEN)
        self.status = OrderStatus.OPEN

    def pay(self, requests: Sequence[TenderRequest]) -> list[Tender]:
        """Settle the order with these tenders; they must cover the total exactly."""
        self._require_open()
        if self.is_empty:
            raise ValidationError("there is nothing to pay for")
        tenders = settle(self.totals().total_minor, requests)
        check_transition(self.status, OrderStatus.PAID)
        self.tenders = tenders
        self.status = OrderStatus.PAID
        return tenders

    def void(self) -> None:
        check_transition(self.status, OrderStatus.VOIDED)
        self.status = OrderStatus.VOIDED

    @property
    def paid_minor(self) -> int:
        return sum(tender.amount_minor for tender in self.tenders)

    @property
    def refundable_minor(self) -> int:
        return self.paid_minor - self.refunded_minor

    def record_refund(self, amount_minor: int) -> None:
        if amount_minor <= 0:
            raise ValidationError("a refund must be more than zero")
        if amount_minor > self.refundable_minor:
            raise ValidationError("a refund cannot be more than what remains paid")
        self.refunded_minor += amount_minor
        target = (
            OrderStatus.REFUNDED
            if self.refunded_minor == self.paid_minor
            else OrderStatus.PARTIALLY_REFUNDED
        )
        check_transition(self.status, target)
        self.status = target


def _check_quantity(quantity: int) -> None:
    if not 1 <= quantity <= MAX_LINE_QUANTITY:
        raise ValidationError(f"quantity must be between 1 and {MAX_LINE_QUANTITY}")


def _check_note(note: str) -> str:
    note = note.strip()
    if len(note) > MAX_NOTE_LENGTH:
        raise ValidationError(f"a note can be at most {MAX_NOTE_LENGTH} characters")
    return note
