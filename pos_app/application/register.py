"""A register without a screen: the database plus the services, for the CLI and for tests.

The GUI uses the same services through background operations; this class is the synchronous
composition used by `pos-app sale`, `pos-app report`, `pos-app self-test` and scripts.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from uuid import UUID

from pos_app.application.access import Access
from pos_app.application.cards import Cards
from pos_app.application.catalog import Catalog
from pos_app.application.history import History
from pos_app.application.refunds import Refunds
from pos_app.application.reports import Reports
from pos_app.application.sales import Sales
from pos_app.application.settings import Settings
from pos_app.application.shifts import Shifts
from pos_app.application.staff import Staff
from pos_app.config import AppConfig
from pos_app.db.database import Database
from pos_app.domain.errors import DomainError, NotFound, ValidationError
from pos_app.domain.orders import Order
from pos_app.domain.reports import ShiftReport
from pos_app.domain.shop import Shop
from pos_app.domain.staff import Permission, Role, StaffMember, authorize
from pos_app.domain.tenders import TenderKind, TenderRequest
from pos_app.services import catalog as catalog_service
from pos_app.services import checkout, shifts
from pos_app.services.checkout import PlacedOrder
from pos_app.services.setup import seed_demo

if TYPE_CHECKING:
    from pos_app.payments.runtime import TerminalRuntime


class Register:
    def __init__(self, db: Database, shop: Shop, config: AppConfig | None = None) -> None:
        self.db = db
        self.shop = shop
        self.config = config
        self.sales = Sales(self)
        self.shifts = Shifts(self)
        self.history = History(self)
        self.refunds = Refunds(self)
        self.access = Access(self)
        self.cards = Cards(self)
        self.catalog = Catalog(self)
        self.staff = Staff(self)
        self.settings = Settings(self)
        self.reports = Reports(self)

    @classmethod
    def open(cls, config: AppConfig, *, demo: bool = False) -> Register:
        db = Database(config.db_path)
        if demo:
            with db.write() as uow:
                seed_demo(uow)
        with db.read() as uow:
            shop = uow.settings.shop()
        if shop is None:
            db.dispose()
            raise DomainError(
                f"no shop is set up in {config.data_dir}: run `pos-app setup` (or the app's "
                "first-run screen), pair it with `pos-app pair`, or try `pos-app demo`"
            )
        return cls(db, shop, config)

    def close(self) -> None:
        self.db.dispose()

    # --- people and shifts ------------------------------------------------------------------

    def staff_by_name(self, name: str) -> StaffMember:
        with self.db.read() as uow:
            for member in uow.staff.all():
                if member.name.casefold() == name.casefold():
                    return member
        raise NotFound(f"no active staff member called {name!r}")

    def cli_staff(self, name: str | None) -> StaffMember:
        """The named staff member, or the first owner (support staff act as the owner)."""
        if name:
            return self.staff_by_name(name)
        with self.db.read() as uow:
            owners = [m for m in uow.staff.all() if m.role is Role.OWNER]
        if not owners:
            raise NotFound("this register has no owner account")
        return owners[0]

    def ensure_shift(self, staff: StaffMember, *, float_minor: int) -> None:
        with self.db.write() as uow:
            if shifts.current_shift(uow, shop=self.shop) is None:
                shifts.open_shift(uow, shop=self.shop, staff=staff, float_minor=float_minor)

    def close_shift(
        self, staff: StaffMember, *, counted_minor: int | None, leave_unfinished: bool = False
    ) -> ShiftReport:
        authorization = authorize(staff, Permission.CLOSE_SHIFT)
        with self.db.write() as uow:
            shift = shifts.current_shift(uow, shop=self.shop)
            if shift is None:
                latest = uow.shifts.latest_closed(self.shop.register_id)
                if latest is None:
                    raise ValidationError("no shift has been opened on this register yet")
                return shifts.z_report(uow, shift_id=latest.id)
            if counted_minor is None:
                counted_minor = uow.shifts.cash_summary(shift).expected_minor
            return shifts.close_shift(
                uow,
                shop=self.shop,
                authorization=authorization,
                counted_minor=counted_minor,
                leave_unfinished=leave_unfinished,
            )

    def x_report(self) -> ShiftReport:
        with self.db.read() as uow:
            return shifts.x_report(uow, shop=self.shop)

    # --- selling ----------------------------------------------------------------------------

    def build_order(self, items: Sequence[tuple[str, int]]) -> Order:
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

    def place(
        self,
        order: Order,
        tenders: Sequence[TenderRequest],
        staff: StaffMember,
        *,
        no_charge: checkout.NoCharge | None = None,
    ) -> PlacedOrder:
        with self.db.write() as uow:
            shift = shifts.current_shift(uow, shop=self.shop)
            return checkout.place_order(
                uow,
                order=order,
                tenders=tenders,
                shop=self.shop,
                staff=staff,
                shift_id=shift.id if shift else None,
                no_charge=no_charge,
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
        order = self.build_order(items)
        total = order.totals().total_minor
        if pay == "cash":
            if tip_minor:
                raise ValidationError("tips are taken on card only")
            tendered = total if tendered_minor is None else tendered_minor
            if tendered < total:
                raise ValidationError("the cash tendered is less than the total")
            placed = self.place(order, [TenderRequest(TenderKind.CASH, tendered)], staff)
        else:
            placed = self.charge_card_and_place(
                order,
                staff,
                tip_minor=tip_minor,
                card_wait_s=card_wait_s,
                present_card=present_card,
            )
        return order_json(self, placed)

    def charge_card_and_place(
        self,
        order: Order,
        staff: StaffMember,
        *,
        tip_minor: int,
        card_wait_s: float | None = None,
        present_card: str | None = None,
    ) -> PlacedOrder:
        """The whole card flow, waiting for the reader (in demo mode the simulated reader taps
        a card by itself) for at most `card_wait_s` (default: the card flow's reader timeout).
        `present_card` taps that test card on the simulated reader once the payment is on it
        (test keys only). A decline, a cancel, no card in time or an interrupt (Ctrl-C) cancels
        the attempt through the card flow: nothing stays charged or held, and it raises."""
        from pos_app.application.card_payments import CardOutcomeKind, CardPayments, PollPolicy
        from pos_app.payments.terminal import TerminalError

        poll = PollPolicy() if card_wait_s is None else PollPolicy(reader_timeout_s=card_wait_s)
        runtime = self._open_terminal(test_card=present_card is not None)
        try:
            card = CardPayments(
                self.db, runtime.terminal, shop=self.shop, reader_id=runtime.reader_id, poll=poll
            )
            card.recover()
            with self.db.read() as uow:
                shift = uow.shifts.current(self.shop.register_id)
            shift_id = shift.id if shift else None
            total = order.totals().total_minor
            payment_id = card.start(
                order=order, amount_minor=total, tip_minor=tip_minor, staff=staff, shift_id=shift_id
            )
            try:
                if present_card is not None:
                    runtime.terminal.present_test_card(
                        reader_id=runtime.reader_id, card_number=present_card
                    )
                outcome = card.watch(payment_id)
            except (KeyboardInterrupt, TerminalError) as error:
                card.cancel(payment_id, reason=f"scripted sale: {type(error).__name__}")
                if isinstance(error, TerminalError):
                    raise ValidationError(str(error)) from error
                raise
            if outcome.kind is not CardOutcomeKind.APPROVED:
                if outcome.kind is not CardOutcomeKind.CANCELED:
                    card.cancel(payment_id, reason=f"scripted sale: {outcome.kind.value}")
                if outcome.kind is CardOutcomeKind.TIMED_OUT:
                    raise ValidationError(
                        f"no card was presented within {poll.reader_timeout_s:g} s: the card "
                        "payment was cancelled (on a test set-up, `pos-app reader present-card` "
                        "taps a test card)"
                    )
                raise ValidationError(outcome.message)
            return card.finalize(
                order=order,
                tenders=[TenderRequest(TenderKind.CARD, total, tip_minor, payment_id=payment_id)],
                staff=staff,
                shift_id=shift_id,
            )
        finally:
            runtime.close()

    def present_test_card(self, *, card_number: str | None, wait_s: float) -> str:
        """Stripe's test helper: the "customer" taps a test card on this register's simulated
        reader (for scripted sales and support). Waits up to `wait_s` for a payment to reach
        the reader, so it can be started before or after the sale. Returns the reader's id."""
        from pos_app.payments.terminal import ReaderActionStatus

        runtime = self._open_terminal(test_card=True)
        try:
            deadline = time.monotonic() + wait_s
            while (
                runtime.terminal.reader_state(runtime.reader_id).action_status
                is not ReaderActionStatus.IN_PROGRESS
            ):
                if time.monotonic() > deadline:
                    raise ValidationError(
                        f"no payment reached reader {runtime.reader_id} within {wait_s:g} s: "
                        "start the sale (`pos-app sale --pay card`) first or meanwhile"
                    )
                time.sleep(0.2)
            runtime.terminal.present_test_card(reader_id=runtime.reader_id, card_number=card_number)
            return runtime.reader_id
        finally:
            runtime.close()

    def _open_terminal(self, *, test_card: bool) -> TerminalRuntime:
        from pos_app.application.card_payments import connect_terminal
        from pos_app.payments.runtime import CardUnavailable

        if self.config is None:
            raise ValidationError("card payments need the register's configuration")
        try:
            runtime = connect_terminal(self.config, self.db, self.shop)
        except CardUnavailable as error:
            raise ValidationError(f"card payments are not available: {error}") from error
        refusal = None
        if test_card and runtime.terminal.livemode:
            refusal = (
                "a test card cannot be presented with a live Stripe key: the customer taps a "
                "real card on the real reader"
            )
        elif test_card and runtime.emulator is not None:
            refusal = "the demo's simulated reader taps a test card by itself"
        if refusal is not None:
            runtime.close()
            raise ValidationError(refusal)
        return runtime

    def import_catalog(self, text: str) -> catalog_service.ImportResult:
        with self.db.write() as uow:
            return catalog_service.import_csv(uow, text=text, currency=self.shop.currency)


def order_json(register: Register, placed: PlacedOrder) -> dict[str, Any]:
    with register.db.read() as uow:
        order = uow.orders.get(placed.order_id)
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
