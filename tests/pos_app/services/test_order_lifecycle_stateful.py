"""The register's order lifecycle as a Hypothesis state machine: real services, a real SQLite
file per example, card payments through the Stripe emulator over loopback HTTP.

The machine rings up carts (modifiers, quantities, line and order discounts), parks and
recalls them, voids them, pays by cash, card (with tips) or both, refunds by line and by
amount, restarts the register, closes and opens shifts, and tries what must be refused (wrong
states, over-refunds, short cash). A small model of what each order should be is checked
against what the services read back after every step.

The default (20 examples of up to 30 steps) takes 15 to 20 s. To hunt for bugs, run it
longer: ``POS_STATEFUL_EXAMPLES=300 POS_STATEFUL_STEPS=50`` is about a quarter of an hour.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    multiple,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import text

from pos_app.application.card_payments import (
    CardOutcomeKind,
    CardPaymentError,
    CardPayments,
    PollPolicy,
)
from pos_app.db.database import Database
from pos_app.domain.catalog import Product
from pos_app.domain.errors import DomainError, InvalidTransition, NotEnoughStock, ValidationError
from pos_app.domain.money import div_round_half_up
from pos_app.domain.orders import Order, OrderStatus
from pos_app.domain.pricing import Discount, DiscountKind
from pos_app.domain.refunds import LineRefundRequest
from pos_app.domain.reports import ShiftReport
from pos_app.domain.shop import Shop
from pos_app.domain.staff import Permission, StaffMember, authorize
from pos_app.domain.tenders import TenderKind, TenderRequest
from pos_app.payments.emulator import StripeEmulator
from pos_app.payments.emulator.cards import TEST_AMOUNT_DECLINES
from pos_app.payments.emulator.payments import MINIMUM_AMOUNTS
from pos_app.payments.stripe_terminal import StripeSettings, StripeTerminal
from pos_app.services import checkout, refunds, shifts
from pos_app.services.setup import seed_demo

pytestmark = pytest.mark.stripe_emulator

EXAMPLES = int(os.environ.get("POS_STATEFUL_EXAMPLES", "20"))
STEPS = int(os.environ.get("POS_STATEFUL_STEPS", "30"))

APPROVE_CARD = "4242424242424242"
FAST = PollPolicy(first_delay_s=0.005, max_delay_s=0.02, reader_timeout_s=5.0, retry_delay_s=0.01)
OPENING_FLOAT = 10_000

PLAIN_SKUS = ("COF-ESP", "FOD-FRI", "DRK-TEA", "BAK-COO")
"""BAK-COO is stock-tracked (30) and cheap: small card amounts come from it."""
MODIFIER_SKUS = ("COF-LAT", "FOD-BUR", "FOD-VEG")
TRACKED_SKUS = ("BAK-BAG", "DRK-OJ")
"""Stock-tracked, with little stock (12 and 20): sales run out."""
SKUS = PLAIN_SKUS + MODIFIER_SKUS + TRACKED_SKUS

OUTAGES = st.sampled_from([False, False, False, True])
"""Now and then Stripe is down when a card refund is sent."""
DISCOUNTS = st.one_of(
    st.builds(
        Discount,
        st.just(DiscountKind.PERCENT),
        st.sampled_from([50_000, 100_000, 333_333, 500_000, 1_000_000]),
        st.just("stateful"),
    ),
    st.builds(Discount, st.just(DiscountKind.AMOUNT), st.integers(1, 2_500), st.just("stateful")),
)


# --- the model ------------------------------------------------------------------------------


@dataclass
class ModelTender:
    kind: TenderKind
    amount: int
    tip: int = 0
    tendered: int = 0
    change: int = 0
    refunded: int = 0
    id: UUID | None = None


@dataclass
class ModelOrder:
    """What the database must say about one saved order."""

    id: UUID
    status: OrderStatus
    total: int = 0
    line_totals: dict[UUID, int] = field(default_factory=dict)
    line_quantities: dict[UUID, int] = field(default_factory=dict)
    line_products: dict[UUID, str | None] = field(default_factory=dict)
    """SKU of each stock-tracked line (None for untracked)."""
    tenders: list[ModelTender] = field(default_factory=list)
    refunded: int = 0
    refunded_units: dict[UUID, int] = field(default_factory=dict)
    refund_count: int = 0
    pushed: int = 0
    """`order` events in the outbox: one when paid, one when voided, none while unpaid."""

    @property
    def remaining(self) -> int:
        return self.total - self.refunded


def _through(total: int, units: int, quantity: int) -> int:
    return div_round_half_up(total * units, quantity)


def _modifier_choices(product: Product, seed: int) -> dict[UUID, list[UUID]]:
    """A valid choice for each modifier group, picked by the bits of `seed`."""
    choices: dict[UUID, list[UUID]] = {}
    for index, group in enumerate(product.modifier_groups):
        bits = seed >> (index * 4)
        if group.required:
            choices[group.id] = [group.modifiers[bits % len(group.modifiers)].id]
        else:
            picked = [m.id for i, m in enumerate(group.modifiers) if bits >> i & 1]
            if picked[: group.max_choices]:
                choices[group.id] = picked[: group.max_choices]
    return choices


class OrderLifecycle(RuleBasedStateMachine):
    orders = Bundle("orders")

    def __init__(self, emulator: StripeEmulator, template: Path) -> None:
        super().__init__()
        self.emulator = emulator
        self.dir = template.parent / f"example-{uuid4().hex}"
        self.dir.mkdir()
        self.path = self.dir / "register.sqlite3"
        shutil.copyfile(template, self.path)
        self.db = Database(self.path)
        with self.db.read() as uow:
            shop = uow.settings.shop()
            assert shop is not None
            self.shop: Shop = shop
            members = {m.name: m for m in uow.staff.all()}
            self.products: dict[str, Product] = {}
            for sku in SKUS:
                product = uow.catalog.by_sku(sku)
                assert product is not None, sku
                self.products[sku] = product
        self.stock = {sku: p.stock_quantity for sku, p in self.products.items() if p.track_stock}
        self.cashier: StaffMember = members["Alex"]
        self.manager: StaffMember = members["Morgan"]
        self.terminal = self._terminal()
        run = uuid4().hex
        location = self.terminal.ensure_location(
            display_name=self.shop.name, idempotency_key=f"loc-{run}"
        )
        self.reader_id = self.terminal.register_reader(
            registration_code="simulated-wpe",
            label="Till 1",
            location_id=location,
            idempotency_key=f"reader-{run}",
        ).reader_id
        self.card = self._card_payments()
        with self.db.write() as uow:
            self.shift_id = shifts.open_shift(
                uow, shop=self.shop, staff=self.cashier, float_minor=OPENING_FLOAT
            ).id
        self.drawer_expected = OPENING_FLOAT
        self.cart: Order | None = None
        self.model: dict[UUID, ModelOrder] = {}
        self.awaiting: dict[UUID, dict[str, int]] = {}
        """Card refunds the cashier was told are not confirmed yet, with the stock they will
        put back once they are."""

    def _terminal(self) -> StripeTerminal:
        return StripeTerminal(
            StripeSettings(
                api_key=self.emulator.test_key,
                api_base=self.emulator.base_url,
                read_timeout_s=2.0,
                connect_timeout_s=1.0,
                max_network_retries=1,
            )
        )

    def _card_payments(self) -> CardPayments:
        return CardPayments(
            self.db, self.terminal, shop=self.shop, reader_id=self.reader_id, poll=FAST
        )

    def teardown(self) -> None:
        self.terminal.close()
        self.db.dispose()
        shutil.rmtree(self.dir, ignore_errors=True)

    # --- helpers ----------------------------------------------------------------------------

    def _snapshot(self) -> dict[str, list[tuple[Any, ...]]]:
        with self.db.read() as uow:
            tables = [
                name
                for (name,) in uow.session.execute(
                    text("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
                )
            ]
            return {
                table: [tuple(row) for row in uow.session.execute(text(f'SELECT * FROM "{table}"'))]
                for table in tables
            }

    def refused(self, error: type[DomainError], action: Callable[[], object]) -> DomainError:
        """The action must fail with a domain error (never a raw one) and write nothing."""
        before = self._snapshot()
        with pytest.raises(error) as caught:
            action()
        assert str(caught.value), "a domain error needs a message for the cashier"
        assert self._snapshot() == before, "a refused operation changed the database"
        event(f"refused: {type(caught.value).__name__}: {caught.value}"[:70])
        return caught.value

    def _approval(self, permission: Permission) -> Any:
        return authorize(self.cashier, permission, self.manager)

    def _saved_status(self, order_id: UUID) -> OrderStatus | None:
        known = self.model.get(order_id)
        return known.status if known else None

    def _cart_open_in_db(self) -> bool:
        """The cart is new, or its saved twin can still change (open or parked)."""
        assert self.cart is not None
        status = self._saved_status(self.cart.id)
        return status in (None, OrderStatus.OPEN, OrderStatus.PARKED)

    def _stock_short(self, order: Order) -> bool:
        wanted: dict[str, int] = {}
        for line in order.lines:
            if line.track_stock:
                wanted[line.sku] = wanted.get(line.sku, 0) + line.quantity
        return any(self.stock[sku] < quantity for sku, quantity in wanted.items())

    def _remember_unpaid(self, order: Order, status: OrderStatus) -> UUID:
        known = self.model.get(order.id)
        if known is None:
            self.model[order.id] = ModelOrder(order.id, status)
        else:
            known.status = status
        return order.id

    def _record_paid(self, order: Order, tenders: list[ModelTender]) -> None:
        totals = order.totals()
        model = self.model.get(order.id) or ModelOrder(order.id, OrderStatus.PAID)
        model.status = OrderStatus.PAID
        model.total = totals.total_minor
        model.line_totals = {line.id: totals.line(line.id).total_minor for line in order.lines}
        model.line_quantities = {line.id: line.quantity for line in order.lines}
        model.line_products = {
            line.id: line.sku if line.track_stock else None for line in order.lines
        }
        model.tenders = tenders
        model.pushed += 1
        self.model[order.id] = model
        for line in order.lines:
            if line.track_stock:
                self.stock[line.sku] -= line.quantity
        with self.db.read() as uow:
            stored = uow.orders.get(order.id)
        assert stored is not None
        assert [t.kind for t in stored.tenders] == [t.kind for t in tenders]
        for tender, saved in zip(tenders, stored.tenders, strict=True):
            tender.id = saved.id

    # --- ringing up -------------------------------------------------------------------------

    @precondition(lambda self: self.cart is None)
    @rule()
    def new_cart(self) -> None:
        self.cart = Order(currency=self.shop.currency, tax_mode=self.shop.tax_mode)

    @precondition(lambda self: self.cart is not None)
    @rule(sku=st.sampled_from(SKUS), quantity=st.integers(1, 4), seed=st.integers(0, 2**12))
    def add_product(self, sku: str, quantity: int, seed: int) -> None:
        assert self.cart is not None
        product = self.products[sku]
        self.cart.add_product(product, quantity, _modifier_choices(product, seed))

    @precondition(lambda self: self.cart is not None and self.cart.lines)
    @rule(index=st.integers(0, 50), quantity=st.integers(0, 3))
    def change_quantity(self, index: int, quantity: int) -> None:
        assert self.cart is not None
        line = self.cart.lines[index % len(self.cart.lines)]
        self.cart.set_quantity(line.id, quantity)

    @precondition(lambda self: self.cart is not None and self.cart.lines)
    @rule(index=st.integers(0, 50), discount=st.none() | DISCOUNTS)
    def line_discount(self, index: int, discount: Discount | None) -> None:
        assert self.cart is not None
        line = self.cart.lines[index % len(self.cart.lines)]
        checkout.apply_discount(
            self.cart,
            shop=self.shop,
            discount=discount,
            actor=self.cashier,
            approval=self._approval(Permission.LARGE_DISCOUNT),
            line_id=line.id,
        )

    @precondition(lambda self: self.cart is not None and self.cart.lines)
    @rule(discount=st.none() | DISCOUNTS)
    def order_discount(self, discount: Discount | None) -> None:
        assert self.cart is not None
        checkout.apply_discount(
            self.cart,
            shop=self.shop,
            discount=discount,
            actor=self.cashier,
            approval=self._approval(Permission.LARGE_DISCOUNT),
        )

    # --- park, recall, void -----------------------------------------------------------------

    @precondition(lambda self: self.cart is not None)
    @rule(target=orders, label=st.sampled_from(["Table 4", "Ana", "  "]))
    def park(self, label: str) -> object:
        cart = self.cart
        assert cart is not None

        def park() -> int:
            with self.db.write() as uow:
                return checkout.park_order(
                    uow,
                    order=cart,
                    label=label,
                    shop=self.shop,
                    staff=self.cashier,
                    shift_id=self.shift_id,
                )

        if not label.strip() or cart.is_empty:
            self.refused(ValidationError, park)
            return multiple()
        if not self._cart_open_in_db():
            self.refused(DomainError, park)
            return multiple()
        park()
        self.cart = None
        return self._remember_unpaid(cart, OrderStatus.PARKED)

    @precondition(lambda self: self.cart is None)
    @rule(order_id=orders)
    def recall(self, order_id: UUID) -> None:
        def recall() -> Order:
            with self.db.read() as uow:
                return checkout.recall_order(uow, order_id=order_id)

        if self._saved_status(order_id) is not OrderStatus.PARKED:
            self.refused(ValidationError, recall)
            return
        self.cart = recall()
        assert self.cart.status is OrderStatus.OPEN

    @precondition(lambda self: self.cart is not None)
    @rule(target=orders)
    def void_cart(self) -> object:
        cart = self.cart
        assert cart is not None

        def void() -> int:
            return self.card.void_order(
                order=cart,
                reason="customer left",
                authorization=self._approval(Permission.VOID),
                shift_id=self.shift_id,
            )

        status = self._saved_status(cart.id)
        if status is None and cart.is_empty:
            self.refused(ValidationError, void)
            return multiple()
        if status not in (None, OrderStatus.OPEN, OrderStatus.PARKED):
            self.refused(InvalidTransition, void)
            return multiple()
        void()
        self.cart = None
        self._remember_unpaid(cart, OrderStatus.VOIDED)
        self.model[cart.id].pushed += 1
        return cart.id

    @rule(order_id=orders)
    def void_saved(self, order_id: UUID) -> None:
        """Void from order history, whatever state the order is in."""
        with self.db.read() as uow:
            stored = uow.orders.get(order_id)
        assert stored is not None

        def void() -> int:
            return self.card.void_order(
                order=stored,
                reason="voided from history",
                authorization=self._approval(Permission.VOID),
                shift_id=self.shift_id,
            )

        if self._saved_status(order_id) not in (OrderStatus.OPEN, OrderStatus.PARKED):
            self.refused(InvalidTransition, void)
            return
        void()
        self.model[order_id].status = OrderStatus.VOIDED
        self.model[order_id].pushed += 1

    # --- paying -----------------------------------------------------------------------------

    def _place_cash(self, cart: Order, tendered: int) -> Any:
        with self.db.write() as uow:
            return checkout.place_order(
                uow,
                order=cart,
                tenders=[TenderRequest(TenderKind.CASH, tendered)],
                shop=self.shop,
                staff=self.cashier,
                shift_id=self.shift_id,
            )

    @precondition(lambda self: self.cart is not None)
    @rule(target=orders, over=st.sampled_from([0, 0, 1, 5, 95, 2_000]))
    def pay_cash(self, over: int) -> object:
        cart = self.cart
        assert cart is not None
        total = cart.totals().total_minor
        tendered = total + over
        if cart.is_empty or (total == 0 and over):
            self.refused(ValidationError, lambda: self._place_cash(cart, tendered))
            return multiple()
        if not self._cart_open_in_db():
            self.refused(DomainError, lambda: self._place_cash(cart, tendered))
            return multiple()
        if self._stock_short(cart):
            self.refused(NotEnoughStock, lambda: self._place_cash(cart, tendered))
            return multiple()
        if total == 0:
            # Nothing to pay (a 100 % discount): no cash tender, but a comp with its reason.
            self.refused(ValidationError, lambda: self._place_cash(cart, tendered))
            with self.db.write() as uow:
                checkout.place_order(
                    uow,
                    order=cart,
                    tenders=[],
                    shop=self.shop,
                    staff=self.cashier,
                    shift_id=self.shift_id,
                    no_charge=checkout.NoCharge(
                        self._approval(Permission.LARGE_DISCOUNT), "staff meal"
                    ),
                )
            self._record_paid(cart, [])
            self.cart = None
            return cart.id
        placed = self._place_cash(cart, tendered)
        assert placed.totals.total_minor == total
        assert placed.change_minor == over
        self._record_paid(cart, [ModelTender(TenderKind.CASH, total, 0, tendered, over)])
        self.drawer_expected += total
        self.cart = None
        return cart.id

    @precondition(lambda self: self.cart is not None and self.cart.totals().total_minor > 0)
    @rule(short=st.integers(1, 500))
    def pay_cash_short(self, short: int) -> None:
        cart = self.cart
        assert cart is not None
        tendered = max(cart.totals().total_minor - short, 0)
        self.refused(ValidationError, lambda: self._place_cash(cart, tendered))

    def _card_attempt(self, cart: Order, amount: int, tip: int) -> UUID | None:
        """Start a card payment and tap the approving test card; None when it did not approve
        (the attempt is then left cancelled or failed, as the cashier would leave it)."""
        if amount + tip < MINIMUM_AMOUNTS.get(self.shop.currency.lower(), 50):
            # Stripe refuses the PaymentIntent for good: the cashier is told at once.
            with pytest.raises(CardPaymentError):
                self.card.start(
                    order=cart,
                    amount_minor=amount,
                    tip_minor=tip,
                    staff=self.cashier,
                    shift_id=self.shift_id,
                )
            self._remember_unpaid(cart, OrderStatus.OPEN)
            event("card: refused by Stripe (below the minimum)")
            return None
        payment_id = self.card.start(
            order=cart,
            amount_minor=amount,
            tip_minor=tip,
            staff=self.cashier,
            shift_id=self.shift_id,
        )
        # Saved as open (a parked one too) while the card is charged.
        self._remember_unpaid(cart, OrderStatus.OPEN)
        self.emulator.present_card(self.reader_id, number=APPROVE_CARD)
        outcome = self.card.watch(payment_id)
        if (amount + tip) % 100 in TEST_AMOUNT_DECLINES:
            assert outcome.kind is CardOutcomeKind.DECLINED, outcome
            assert self.card.cancel(payment_id).kind is CardOutcomeKind.CANCELED
            event("card: declined (test amount), then cancelled")
            return None
        assert outcome.kind is CardOutcomeKind.APPROVED, outcome
        event("card: approved")
        return payment_id

    def _card_refusal_expected(self, cart: Order) -> bool:
        return cart.is_empty or not self._cart_open_in_db()

    @precondition(lambda self: self.cart is not None)
    @rule(target=orders, tip=st.sampled_from([0, 0, 150, 1_000]))
    def pay_card(self, tip: int) -> object:
        cart = self.cart
        assert cart is not None
        total = cart.totals().total_minor
        # A tip is at most the card amount it is added to (`tenders.check_tip`).
        if total == 0 or tip > total or self._card_refusal_expected(cart):
            self.refused(
                DomainError,
                lambda: self.card.start(
                    order=cart,
                    amount_minor=total,
                    tip_minor=tip,
                    staff=self.cashier,
                    shift_id=self.shift_id,
                ),
            )
            return multiple()
        payment_id = self._card_attempt(cart, total, tip)
        if payment_id is None:
            return cart.id
        tenders = [TenderRequest(TenderKind.CARD, total, tip, payment_id)]
        return self._finalize(
            cart, tenders, [ModelTender(TenderKind.CARD, total, tip, total + tip)]
        )

    @precondition(lambda self: self.cart is not None and self.cart.totals().total_minor >= 2)
    @rule(
        target=orders,
        card_share=st.integers(1, 999),
        tip=st.sampled_from([0, 200]),
        over=st.sampled_from([0, 5, 1_000]),
    )
    def pay_split(self, card_share: int, tip: int, over: int) -> object:
        """Part on a card (with a tip), the rest in cash with change."""
        cart = self.cart
        assert cart is not None
        total = cart.totals().total_minor
        card_part = max(1, min(total - 1, total * card_share // 1_000))
        if self._card_refusal_expected(cart):
            return multiple()
        if tip > card_part:  # a tip is at most the card amount it is added to
            self.refused(
                DomainError,
                lambda: self.card.start(
                    order=cart,
                    amount_minor=card_part,
                    tip_minor=tip,
                    staff=self.cashier,
                    shift_id=self.shift_id,
                ),
            )
            return multiple()
        payment_id = self._card_attempt(cart, card_part, tip)
        if payment_id is None:
            return cart.id
        cash_part = total - card_part
        tenders = [
            TenderRequest(TenderKind.CARD, card_part, tip, payment_id),
            TenderRequest(TenderKind.CASH, cash_part + over),
        ]
        result = self._finalize(
            cart,
            tenders,
            [
                ModelTender(TenderKind.CARD, card_part, tip, card_part + tip),
                ModelTender(TenderKind.CASH, cash_part, 0, cash_part + over, over),
            ],
        )
        if self.cart is None:
            self.drawer_expected += cash_part
        return result

    def _finalize(
        self, cart: Order, tenders: list[TenderRequest], expected: list[ModelTender]
    ) -> object:
        payment_id = tenders[0].payment_id
        assert payment_id is not None
        finalize = lambda: self.card.finalize(  # noqa: E731
            order=cart, tenders=tenders, staff=self.cashier, shift_id=self.shift_id
        )
        if self._stock_short(cart):
            self.refused(NotEnoughStock, finalize)
            assert self.card.cancel(payment_id).kind is CardOutcomeKind.CANCELED
            return cart.id
        placed = finalize()
        assert placed.change_minor == sum(t.change for t in expected)
        self._record_paid(cart, expected)
        self.cart = None
        return cart.id

    @rule(order_id=orders)
    def pay_saved_again(self, order_id: UUID) -> None:
        """Paying an order from history: only an open or parked one could be, and it is
        recalled for that; a paid, refunded or voided one must be refused."""
        if self._saved_status(order_id) in (OrderStatus.OPEN, OrderStatus.PARKED):
            return
        with self.db.read() as uow:
            stored = uow.orders.get(order_id)
        assert stored is not None
        total = stored.totals().total_minor
        self.refused(DomainError, lambda: self._place_cash(stored, total))

    # --- refunds ----------------------------------------------------------------------------

    def _refund(self, order_id: UUID, **how: Any) -> refunds.RecordedRefund:
        with self.db.write() as uow:
            return refunds.record_refund(
                uow,
                order_id=order_id,
                authorization=self._approval(Permission.REFUND),
                reason="customer changed their mind",
                shift_id=self.shift_id,
                **how,
            )

    def _settle_refund(
        self,
        model: ModelOrder,
        recorded: refunds.RecordedRefund,
        *,
        to_cash_drawer: bool,
        outage: bool,
        restock: dict[str, int],
    ) -> None:
        """Send the card part (through a Stripe outage when told), then update the model.

        With an outage the cashier is told the card refund is not confirmed yet: it stays
        pending (money reserved, stock not back) until the next start-up sends it again."""
        if outage and recorded.card_allocation_ids:
            fault = self.emulator.faults.add(
                method="POST", path="/v1/refunds", kind="error_before", status=503, times=None
            )
            try:
                problems = self.card.send_refunds(recorded.refund_id)
            finally:
                self.emulator.faults.remove(fault)
            assert len(problems) == len(recorded.card_allocation_ids)
            assert all("not confirm" in problem for problem in problems), problems
            self.awaiting[recorded.refund_id] = restock
            event("refund: card part left pending by a Stripe outage")
        else:
            assert self.card.send_refunds(recorded.refund_id) == []
            for sku, quantity in restock.items():
                self.stock[sku] += quantity
        amount = recorded.plan.amount_minor
        if to_cash_drawer:
            self.drawer_expected -= amount
        else:
            left = amount
            ordered = [t for t in reversed(model.tenders) if t.kind is TenderKind.CARD] + [
                t for t in reversed(model.tenders) if t.kind is TenderKind.CASH
            ]
            for tender in ordered:
                take = min(left, tender.amount - tender.refunded)
                tender.refunded += take
                left -= take
                if tender.kind is TenderKind.CASH:
                    self.drawer_expected -= take
            assert left == 0
        assert recorded.cash_minor == amount - self._card_share(recorded)
        event(
            f"refund: {'cash drawer' if to_cash_drawer else 'to tenders'}, "
            f"{'card and cash' if 0 < recorded.cash_minor < amount else 'one kind'}, "
            f"{'full' if model.refunded + amount == model.total else 'partial'}"
        )
        model.refunded += amount
        model.refund_count += 1
        model.status = (
            OrderStatus.REFUNDED
            if model.refunded == model.total
            else OrderStatus.PARTIALLY_REFUNDED
        )

    def _refund_refused(self, model: ModelOrder, amount: int, to_cash_drawer: bool) -> bool:
        """Nothing to refund, more than remains paid, or more cash than the drawer holds."""
        return (
            amount <= 0
            or amount > model.remaining
            or self._cash_out(model, amount, to_cash_drawer) > self.drawer_expected
        )

    def _cash_out(self, model: ModelOrder, amount: int, to_cash_drawer: bool) -> int:
        """The cash a refund takes from the drawer: all of it, or what the cards can't take
        (cards first, as `allocate_refund`); the register refuses more than the drawer holds."""
        if to_cash_drawer:
            return amount
        left = amount
        for tender in reversed(model.tenders):
            if tender.kind is TenderKind.CARD:
                left -= min(left, tender.amount - tender.refunded)
        return left

    def _card_share(self, recorded: refunds.RecordedRefund) -> int:
        with self.db.read() as uow:
            return sum(
                a.amount_minor
                for a in uow.refunds.allocations(recorded.refund_id)
                if a.kind == "card"
            )

    @rule(
        order_id=orders,
        picks=st.lists(st.tuples(st.integers(0, 50), st.integers(1, 4)), min_size=1, max_size=2),
        to_cash_drawer=st.booleans(),
        outage=OUTAGES,
    )
    def refund_lines(
        self, order_id: UUID, picks: list[tuple[int, int]], to_cash_drawer: bool, outage: bool
    ) -> None:
        model = self.model[order_id]
        if model.status not in (OrderStatus.PAID, OrderStatus.PARTIALLY_REFUNDED):
            self.refused(
                ValidationError,
                lambda: self._refund(order_id, amount_minor=1, to_cash_drawer=to_cash_drawer),
            )
            return
        line_ids = list(model.line_quantities)
        requests: dict[UUID, int] = {}
        for index, quantity in picks:
            requests.setdefault(line_ids[index % len(line_ids)], quantity)
        asked = [LineRefundRequest(line_id, q) for line_id, q in requests.items()]
        amount = 0
        fits = True
        for line_id, quantity in requests.items():
            sold = model.line_quantities[line_id]
            done = model.refunded_units.get(line_id, 0)
            if done + quantity > sold:
                fits = False
                break
            total = model.line_totals[line_id]
            amount += _through(total, done + quantity, sold) - _through(total, done, sold)
        if not fits or self._refund_refused(model, amount, to_cash_drawer):
            self.refused(
                ValidationError,
                lambda: self._refund(order_id, lines=asked, to_cash_drawer=to_cash_drawer),
            )
            return
        recorded = self._refund(order_id, lines=asked, to_cash_drawer=to_cash_drawer)
        assert recorded.plan.amount_minor == amount
        restock: dict[str, int] = {}
        for line_id, quantity in requests.items():
            model.refunded_units[line_id] = model.refunded_units.get(line_id, 0) + quantity
            sku = model.line_products[line_id]
            if sku is not None:
                restock[sku] = restock.get(sku, 0) + quantity
        self._settle_refund(
            model, recorded, to_cash_drawer=to_cash_drawer, outage=outage, restock=restock
        )

    @rule(
        order_id=orders,
        share=st.integers(0, 1_100),
        to_cash_drawer=st.booleans(),
        outage=OUTAGES,
    )
    def refund_amount(self, order_id: UUID, share: int, to_cash_drawer: bool, outage: bool) -> None:
        """A share (per mille) of what remains; above 1000 is an over-refund."""
        model = self.model[order_id]
        amount = max(model.remaining * share // 1_000, 1 if share else 0)
        paid = model.status in (OrderStatus.PAID, OrderStatus.PARTIALLY_REFUNDED)
        if not paid or self._refund_refused(model, amount, to_cash_drawer):
            self.refused(
                ValidationError,
                lambda: self._refund(order_id, amount_minor=amount, to_cash_drawer=to_cash_drawer),
            )
            return
        recorded = self._refund(order_id, amount_minor=amount, to_cash_drawer=to_cash_drawer)
        self._settle_refund(
            model, recorded, to_cash_drawer=to_cash_drawer, outage=outage, restock={}
        )

    # --- the register -----------------------------------------------------------------------

    @rule()
    def restart(self) -> None:
        """The register restarts: the cart on screen is lost, the database stays."""
        self.terminal.close()
        self.db.dispose()
        self.db = Database(self.path)
        self.terminal = self._terminal()
        self.card = self._card_payments()
        # Card refunds Stripe did not confirm are sent again, and succeed this time. Orders
        # left open (saved for a card, the screen lost) are parked, to recall or void.
        left_open = [o for o in self.model.values() if o.status is OrderStatus.OPEN]
        notes = self.card.recover()
        assert len(notes) == len(left_open), notes
        assert all(note.endswith("left unpaid by the restart, parked") for note in notes)
        for order in left_open:
            order.status = OrderStatus.PARKED
        for restock in self.awaiting.values():
            for sku, quantity in restock.items():
                self.stock[sku] += quantity
        self.awaiting.clear()
        with self.db.read() as uow:
            shift = shifts.current_shift(uow, shop=self.shop)
        assert shift is not None
        assert shift.id == self.shift_id
        self.cart = None

    @rule(new_float=st.sampled_from([0, 5_000, OPENING_FLOAT]))
    def close_and_open_shift(self, new_float: int) -> None:
        # Refunds paid out of the drawer can take the expected cash below zero (nothing checks
        # the drawer holds that much); a count never is.
        counted = max(self.drawer_expected, 0)
        manager = authorize(self.manager, Permission.CLOSE_SHIFT)
        unfinished = {
            order.id
            for order in self.model.values()
            if order.status in (OrderStatus.OPEN, OrderStatus.PARKED)
        }

        def close(leave_unfinished: bool) -> ShiftReport:
            with self.db.write() as uow:
                return shifts.close_shift(
                    uow,
                    shop=self.shop,
                    authorization=manager,
                    counted_minor=counted,
                    leave_unfinished=leave_unfinished,
                )

        if unfinished:  # the manager is shown them first, then closes anyway
            refusal = self.refused(shifts.UnfinishedOrders, lambda: close(False))
            assert isinstance(refusal, shifts.UnfinishedOrders)
            assert {order.id for order in refusal.orders} == unfinished
        report = close(bool(unfinished))
        assert report.cash.expected_minor == self.drawer_expected
        assert report.counted_cash_minor == counted
        with self.db.write() as uow:
            self.shift_id = shifts.open_shift(
                uow, shop=self.shop, staff=self.cashier, float_minor=new_float
            ).id
        self.drawer_expected = new_float

    # --- invariants -------------------------------------------------------------------------

    @invariant()
    def orders_match_the_model(self) -> None:
        with self.db.read() as uow:
            for model in self.model.values():
                order = uow.orders.get(model.id)
                assert order is not None
                assert order.status is model.status, (order.number, order.status, model.status)
                assert order.currency == self.shop.currency
                if model.status in (OrderStatus.OPEN, OrderStatus.PARKED, OrderStatus.VOIDED):
                    assert order.tenders == []
                    assert order.refunded_minor == 0
                    assert uow.refunds.for_order(model.id) == []
                    continue
                totals = order.totals()
                assert totals.total_minor == model.total
                assert uow.orders.meta(model.id).total_minor == model.total  # type: ignore[union-attr]
                for amount in (totals.subtotal_minor, totals.tax_minor, totals.discount_minor):
                    assert type(amount) is int
                    assert amount >= 0
                # Tenders pay the total exactly; cash change is what was handed over beyond it.
                assert sum(t.amount_minor for t in order.tenders) == model.total
                tender_refunded = uow.orders.tender_refunded(model.id)
                for tender, expected in zip(order.tenders, model.tenders, strict=True):
                    assert tender.kind is expected.kind
                    assert (tender.amount_minor, tender.tip_minor) == (
                        expected.amount,
                        expected.tip,
                    )
                    assert tender.tendered_minor == expected.tendered
                    assert tender.change_minor == expected.change >= 0
                    if tender.kind is TenderKind.CASH:
                        assert tender.change_minor == tender.tendered_minor - tender.amount_minor
                    assert (
                        0 <= tender_refunded[tender.id] == expected.refunded <= tender.amount_minor
                    )
                # Refunds: never more than paid, in total, per tender and per line.
                assert order.refunded_minor == model.refunded <= model.total
                assert uow.orders.refunded_units(model.id) == {
                    line_id: model.refunded_units.get(line_id, 0)
                    for line_id in model.line_quantities
                }
                records = uow.refunds.for_order(model.id)
                assert len(records) == model.refund_count
                assert sum(r.amount_minor for r in records) == model.refunded
                assert uow.orders.refunded_tax(model.id) <= totals.tax_minor
                for record in records:
                    # Pending only when the cashier was told the card refund is not confirmed.
                    awaiting = record.id in self.awaiting
                    assert record.status == ("pending" if awaiting else "succeeded")
                    allocations = uow.refunds.allocations(record.id)
                    assert sum(a.amount_minor for a in allocations) == record.amount_minor
                    for allocation in allocations:
                        assert allocation.status == (
                            "pending" if awaiting and allocation.kind == "card" else "succeeded"
                        )
                # Card tenders: captured on the gateway for amount plus tip, refunds sent there.
                for tender in order.tenders:
                    if tender.kind is not TenderKind.CARD:
                        continue
                    assert tender.payment_id is not None
                    payment = uow.payments.get(tender.payment_id)
                    assert payment is not None
                    assert payment.status == "captured"
                    assert payment.currency == self.shop.currency
                    assert payment.captured_minor == tender.amount_minor + tender.tip_minor
                    unconfirmed = sum(
                        a.amount_minor
                        for refund_id in self.awaiting
                        for a in uow.refunds.allocations(refund_id)
                        if a.tender_id == tender.id
                    )
                    assert payment.refunded_minor == tender_refunded[tender.id] - unconfirmed
                    assert payment.gateway_payment_id is not None
                    intent = self.emulator.payment_intents[payment.gateway_payment_id]
                    assert intent["amount_received"] == payment.captured_minor
                    sent = sum(
                        int(r["amount"])
                        for r in self.emulator.refunds.values()
                        if r["payment_intent"] == payment.gateway_payment_id
                    )
                    assert sent == payment.refunded_minor

    @invariant()
    def nothing_left_in_flight(self) -> None:
        with self.db.read() as uow:
            stuck = [(p.status, uow.payments.history(p.id)) for p in uow.payments.in_flight()]
            assert stuck == [], f"card payments left in flight: {stuck}"
            assert {a.refund_id for a in uow.refunds.pending_allocations()} == set(self.awaiting)

    @invariant()
    def drawer_and_stock_match(self) -> None:
        with self.db.read() as uow:
            shift = shifts.current_shift(uow, shop=self.shop)
            assert shift is not None
            assert shift.currency == self.shop.currency
            assert uow.shifts.cash_summary(shift).expected_minor == self.drawer_expected
            for sku, level in self.stock.items():
                product = self.products[sku]
                assert uow.catalog.stock_level(product.id) == level, sku

    @invariant()
    def outbox_tells_each_change_once(self) -> None:
        with self.db.read() as uow:
            entries = uow.outbox.pending(limit=1_000_000)
            latest_refund: dict[UUID, dict[str, Any]] = {}
            pushed: dict[UUID, int] = {}
            for entry in entries:
                if entry.entity == "order":
                    pushed[entry.entity_id] = pushed.get(entry.entity_id, 0) + 1
                    model = self.model[entry.entity_id]
                    assert entry.payload["currency"] == self.shop.currency
                    if model.status is OrderStatus.VOIDED:
                        assert entry.payload["status"] == "voided"
                    else:
                        assert entry.payload["status"] == "paid"
                        assert entry.payload["total_minor"] == model.total
                        assert (
                            sum(t["amount_minor"] for t in entry.payload["tenders"]) == model.total
                        )
                elif entry.entity == "refund":
                    latest_refund[entry.entity_id] = entry.payload
            for model in self.model.values():
                assert pushed.get(model.id, 0) == model.pushed, (model.status, pushed.get(model.id))
            for refund_id, payload in latest_refund.items():
                record = uow.refunds.get(refund_id)
                assert record is not None
                assert payload["status"] == record.status
                assert payload["amount_minor"] == record.amount_minor > 0
            assert set(latest_refund) == {
                r.id for order_id in self.model for r in uow.refunds.for_order(order_id)
            }


def demo_register_file(directory: Path) -> Path:
    """A migrated database with the demo shop, copied for each example (migrating and hashing
    three PINs anew would be most of an example's time)."""
    path = directory / "template.sqlite3"
    db = Database(path)
    with db.write() as uow:
        seed_demo(uow)
    db.dispose()
    assert not path.with_name(path.name + "-wal").exists(), "the template must be checkpointed"
    return path


def test_order_lifecycle_state_machine(stripe_emulator: StripeEmulator, tmp_path: Path) -> None:
    template = demo_register_file(tmp_path)

    class OnThisRegister(OrderLifecycle):
        def __init__(self) -> None:
            super().__init__(stripe_emulator, template)

    run_state_machine_as_test(
        OnThisRegister,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=STEPS,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
