"""Refunds through the service: cash now, card allocations recorded before the gateway call."""

from __future__ import annotations

from uuid import UUID

import pytest

from pos_app.application.sync import SyncEngine
from pos_app.db.database import Database
from pos_app.domain.errors import PermissionDenied, ValidationError
from pos_app.domain.ids import uuid7
from pos_app.domain.money import div_round_half_up
from pos_app.domain.orders import OrderStatus
from pos_app.domain.pricing import Discount, DiscountKind
from pos_app.domain.refunds import LineRefundRequest, kept_tax
from pos_app.domain.shifts import CashMovementKind
from pos_app.domain.shop import Shop
from pos_app.domain.staff import Permission, StaffMember, authorize
from pos_app.domain.tenders import TenderKind, TenderRequest
from pos_app.services import checkout, history, refunds, shifts
from pos_app.services.checkout import PlacedOrder
from pos_app.services.refunds import RecordedRefund
from tests.support.register import open_shift, ring_up, sell


def test_partial_line_refund_then_the_rest_by_amount(
    db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> None:
    shift_id = open_shift(db, shop, staff["Sam"])
    placed = sell(db, shop, staff["Alex"], [("DRK-COL", 3), ("FOD-FRI", 1)])
    with db.read() as uow:
        order = uow.orders.get(placed.order_id)
    assert order is not None
    approval = authorize(staff["Alex"], Permission.REFUND, staff["Morgan"])
    with db.write() as uow:
        first = refunds.record_refund(
            uow,
            order_id=order.id,
            authorization=approval,
            reason="flat cola",
            lines=[LineRefundRequest(order.lines[0].id, 2)],
            shift_id=shift_id,
        )
    # cola line: 7.50 + 0.67 tax (its share of 1.02) = 8.17; two of three units: 544.67 → 545
    assert first.settled
    assert first.plan.amount_minor == 545
    with db.read() as uow:
        after = uow.orders.get(order.id)
        cola = uow.catalog.by_sku("DRK-COL")
    assert after is not None
    assert after.status is OrderStatus.PARTIALLY_REFUNDED
    assert cola is not None
    assert cola.stock_quantity == 36 - 3 + 2
    remaining = placed.totals.total_minor - 545
    with pytest.raises(ValidationError, match="more than what remains"), db.write() as uow:
        refunds.record_refund(
            uow,
            order_id=order.id,
            authorization=approval,
            reason="x",
            amount_minor=remaining + 1,
            shift_id=shift_id,
        )
    with db.write() as uow:
        refunds.record_refund(
            uow,
            order_id=order.id,
            authorization=approval,
            reason="all of it",
            amount_minor=remaining,
            shift_id=shift_id,
        )
    with db.read() as uow:
        done = uow.orders.get(order.id)
        entries = uow.audit.entries(action="order.refunded")
    assert done is not None
    assert done.status is OrderStatus.REFUNDED
    assert done.refunded_minor == placed.totals.total_minor
    assert [(e.staff_id, e.approved_by_id) for e in entries] == [
        (staff["Alex"].id, staff["Morgan"].id)
    ] * 2


def test_card_refund_is_pending_until_the_gateway_answers(
    db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> None:
    placed = sell(db, shop, staff["Alex"], [("FOD-BUR", 1)], kind=TenderKind.CARD)
    approval = authorize(staff["Morgan"], Permission.REFUND)
    with db.write() as uow:
        recorded = refunds.record_refund(
            uow, order_id=placed.order_id, authorization=approval, reason="cold", amount_minor=500
        )
    assert not recorded.settled
    assert len(recorded.card_allocation_ids) == 1
    allocation_id = recorded.card_allocation_ids[0]
    with db.read() as uow:
        allocation = uow.refunds.allocation(allocation_id)
    assert allocation is not None
    assert allocation.idempotency_key == refunds.refund_idempotency_key(allocation_id)
    # A definite decline releases the reservation; settling twice changes nothing.
    for _ in range(2):
        with db.write() as uow:
            refunds.settle_card_allocation(
                uow, allocation_id=allocation_id, succeeded=False, gateway_refund_id=None
            )
    with db.read() as uow:
        order = uow.orders.get(placed.order_id)
        refund = uow.refunds.get(recorded.refund_id)
    assert order is not None
    assert order.status is OrderStatus.PAID
    assert order.refunded_minor == 0
    assert refund is not None
    assert refund.status == "failed"
    with db.write() as uow:
        again = refunds.record_refund(
            uow, order_id=placed.order_id, authorization=approval, reason="cold", amount_minor=500
        )
    with db.write() as uow:
        refunds.settle_card_allocation(
            uow,
            allocation_id=again.card_allocation_ids[0],
            succeeded=True,
            gateway_refund_id="re_123",
        )
    with db.read() as uow:
        order = uow.orders.get(placed.order_id)
        refund = uow.refunds.get(again.refund_id)
    assert order is not None
    assert order.status is OrderStatus.PARTIALLY_REFUNDED
    assert refund is not None
    assert refund.status == "succeeded"


def test_refund_needs_permission_and_a_reason(
    db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> None:
    placed = sell(db, shop, staff["Alex"], [("FOD-BUR", 1)], kind=TenderKind.CARD)
    with pytest.raises(PermissionDenied), db.write() as uow:
        refunds.record_refund(
            uow,
            order_id=placed.order_id,
            authorization=authorize(staff["Alex"], Permission.SELL),
            reason="x",
            amount_minor=1,
        )
    with pytest.raises(ValidationError, match="reason"), db.write() as uow:
        refunds.record_refund(
            uow,
            order_id=placed.order_id,
            authorization=authorize(staff["Sam"], Permission.REFUND),
            reason="",
            amount_minor=1,
        )


def _split_sale(
    db: Database,
    shop: Shop,
    staff: dict[str, StaffMember],
    items: list[tuple[str, int]],
    *,
    cash_minor: int,
    card_parts: int = 1,
) -> tuple[PlacedOrder, UUID]:
    """A shift, then `items` paid `cash_minor` in cash and the rest on `card_parts` cards."""
    shift_id = open_shift(db, shop, staff["Sam"])
    order = ring_up(db, shop, items)
    card_total = order.totals().total_minor - cash_minor
    cards = [card_total // card_parts] * card_parts
    cards[0] += card_total - sum(cards)
    with db.write() as uow:
        placed = checkout.place_order(
            uow,
            order=order,
            tenders=[
                *(TenderRequest(TenderKind.CARD, amount) for amount in cards),
                TenderRequest(TenderKind.CASH, cash_minor),
            ],
            shop=shop,
            staff=staff["Alex"],
            shift_id=shift_id,
        )
    return placed, shift_id


def _refund_all_of_a_split_card_and_cash_sale(
    db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> tuple[PlacedOrder, RecordedRefund]:
    """A burger paid 5.00 in cash and the rest by card, then refunded whole in one go."""
    placed, shift_id = _split_sale(db, shop, staff, [("FOD-BUR", 1)], cash_minor=500)
    with db.write() as uow:
        recorded = refunds.record_refund(
            uow,
            order_id=placed.order_id,
            authorization=authorize(staff["Morgan"], Permission.REFUND),
            reason="wrong order",
            amount_minor=placed.totals.total_minor,
            shift_id=shift_id,
        )
    return placed, recorded


def test_a_split_card_and_cash_refund_succeeds_once_the_card_part_does(
    db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> None:
    # Found by the order-lifecycle state machine: the cash part was written 'pending' with the
    # refund, nothing ever settled it, and the refund stayed pending after the card succeeded.
    placed, recorded = _refund_all_of_a_split_card_and_cash_sale(db, shop, staff)
    assert recorded.cash_minor == 500
    [card_allocation] = recorded.card_allocation_ids
    with db.read() as uow:
        shift = uow.shifts.current(shop.register_id)
        assert shift is not None
        # The cash left the drawer when the cashier handed it over.
        assert uow.shifts.cash_summary(shift).cash_refunds_minor == 500
    with db.write() as uow:
        refunds.settle_card_allocation(
            uow, allocation_id=card_allocation, succeeded=True, gateway_refund_id="re_1"
        )
    with db.read() as uow:
        refund = uow.refunds.get(recorded.refund_id)
        assert uow.refunds.pending_allocations() == []
        paid = uow.orders.get(placed.order_id)
    assert refund is not None
    assert refund.status == "succeeded"
    assert paid is not None
    assert paid.status is OrderStatus.REFUNDED


def test_the_z_report_counts_the_cash_of_a_split_refund_whose_card_part_was_refused(
    db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> None:
    # Found by the order-lifecycle state machine: the report's refund total left out the cash
    # handed over when Stripe then refused the card part, while its by-tender lines and the
    # drawer counted it.
    _placed, recorded = _refund_all_of_a_split_card_and_cash_sale(db, shop, staff)
    [card_allocation] = recorded.card_allocation_ids
    with db.write() as uow:
        refunds.settle_card_allocation(
            uow, allocation_id=card_allocation, succeeded=False, gateway_refund_id=None
        )
    with db.read() as uow:
        shift = uow.shifts.current(shop.register_id)
        assert shift is not None
        figures = uow.shifts.shift_figures(shift)
        drawer = uow.shifts.cash_summary(shift)
    assert figures.refunds_minor == 500
    assert figures.refunds_count == 1
    assert figures.refunds_minor == sum(t.amount_minor for t in figures.refunds_by_tender)
    assert drawer.cash_refunds_minor == 500


def _split_sale_of_colas(
    db: Database, shop: Shop, staff: dict[str, StaffMember], card_parts: int = 1
) -> tuple[PlacedOrder, UUID]:
    """Three colas (stock-tracked) paid 2.00 in cash and the rest on `card_parts` cards."""
    return _split_sale(db, shop, staff, [("DRK-COL", 3)], cash_minor=200, card_parts=card_parts)


def _refund_colas(
    db: Database, staff: dict[str, StaffMember], placed: PlacedOrder, shift_id: UUID, units: int
) -> RecordedRefund:
    with db.write() as uow:
        order = uow.orders.get(placed.order_id)
        assert order is not None
        return refunds.record_refund(
            uow,
            order_id=placed.order_id,
            authorization=authorize(staff["Morgan"], Permission.REFUND),
            reason="flat",
            lines=[LineRefundRequest(order.lines[0].id, units)],
            shift_id=shift_id,
        )


def _refuse_cards(db: Database, recorded: RecordedRefund) -> None:
    for allocation_id in recorded.card_allocation_ids:
        with db.write() as uow:
            refunds.settle_card_allocation(
                uow, allocation_id=allocation_id, succeeded=False, gateway_refund_id=None
            )


def _stock(db: Database, sku: str) -> int | None:
    with db.read() as uow:
        product = uow.catalog.by_sku(sku)
        assert product is not None
        return product.stock_quantity


def test_a_split_refund_whose_card_part_is_refused_keeps_the_cash_that_went_back(
    db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> None:
    # The cash of a split refund is handed over at once; when Stripe then refuses the card part,
    # the goods are back on the counter and the cash is gone: the refund keeps what went back
    # (its share of tax, the units, the restock) and the rest is refundable again, as an amount.
    placed, shift_id = _split_sale_of_colas(db, shop, staff)
    stock_before = _stock(db, "DRK-COL")
    recorded = _refund_colas(db, staff, placed, shift_id, units=3)
    total, tax = placed.totals.total_minor, placed.totals.tax_minor
    assert recorded.plan.amount_minor == total
    assert recorded.cash_minor == 200
    _refuse_cards(db, recorded)

    with db.read() as uow:
        order = uow.orders.get(placed.order_id)
        refund = uow.refunds.get(recorded.refund_id)
        refunded_tax = uow.orders.refunded_tax(placed.order_id)
        units = uow.orders.refunded_units(placed.order_id)
        tenders = uow.orders.tender_refunded(placed.order_id)
    assert order is not None
    assert refund is not None
    assert refund.status == "failed"
    assert order.refunded_minor == 200  # what went back
    assert order.status is OrderStatus.PARTIALLY_REFUNDED
    assert refunded_tax == kept_tax(tax, 200, total) == div_round_half_up(tax * 200, total)
    assert units == {order.lines[0].id: 3}  # the goods came back
    assert _stock(db, "DRK-COL") == (stock_before or 0) + 3
    assert sorted(tenders.values()) == [0, 200]  # the card tender is refundable again

    # The same colas can't be refunded a second time...
    with pytest.raises(ValidationError, match="can still be refunded"):
        _refund_colas(db, staff, placed, shift_id, units=1)
    # ...but what the card refused is owed, and can be paid out of the drawer.
    with db.write() as uow:
        rest = refunds.record_refund(
            uow,
            order_id=placed.order_id,
            authorization=authorize(staff["Morgan"], Permission.REFUND),
            reason="card refund refused",
            amount_minor=total - 200,
            to_cash_drawer=True,
            shift_id=shift_id,
        )
    assert rest.settled
    assert rest.plan.tax_minor == tax - refunded_tax  # all of the order's tax, once
    with db.read() as uow:
        done = uow.orders.get(placed.order_id)
        shift = uow.shifts.current(shop.register_id)
        assert shift is not None
        drawer = uow.shifts.cash_summary(shift)
    assert done is not None
    assert done.status is OrderStatus.REFUNDED
    assert drawer.cash_refunds_minor == total


def test_a_refund_split_over_two_cards_both_refused_is_undone_whole(
    db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> None:
    # Each refused allocation is less than the refund: the units used to stay counted as
    # returned for ever, so the colas could never be refunded again.
    placed, shift_id = _split_sale_of_colas(db, shop, staff, card_parts=2)
    stock_before = _stock(db, "DRK-COL")
    recorded = _refund_colas(db, staff, placed, shift_id, units=2)
    assert len(recorded.card_allocation_ids) == 2  # the last card first, then the other
    _refuse_cards(db, recorded)
    with db.read() as uow:
        order = uow.orders.get(placed.order_id)
        refund = uow.refunds.get(recorded.refund_id)
        refunded_tax = uow.orders.refunded_tax(placed.order_id)
        units = uow.orders.refunded_units(placed.order_id)
    assert order is not None
    assert refund is not None
    assert refund.status == "failed"
    assert (order.status, order.refunded_minor, refunded_tax) == (OrderStatus.PAID, 0, 0)
    assert not any(units.values())
    assert _stock(db, "DRK-COL") == stock_before
    again = _refund_colas(db, staff, placed, shift_id, units=3)
    assert again.plan.amount_minor == placed.totals.total_minor


def test_refunding_units_given_away_free_is_refused_with_a_reason(
    db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> None:
    # Found by the order-lifecycle state machine: a 100 % line discount makes the line's units
    # worth nothing, and refunding them hit the database's CHECK (an IntegrityError).
    shift_id = open_shift(db, shop, staff["Sam"])
    order = ring_up(db, shop, [("DRK-COL", 2), ("FOD-FRI", 1)])
    free = order.lines[0]
    order.set_line_discount(free.id, Discount(DiscountKind.PERCENT, 1_000_000, "on the house"))
    with db.write() as uow:
        placed = checkout.place_order(
            uow,
            order=order,
            tenders=[TenderRequest(TenderKind.CASH, order.totals().total_minor)],
            shop=shop,
            staff=staff["Alex"],
            shift_id=shift_id,
        )
    with pytest.raises(ValidationError, match="free"), db.write() as uow:
        refunds.record_refund(
            uow,
            order_id=placed.order_id,
            authorization=authorize(staff["Morgan"], Permission.REFUND),
            reason="flat",
            lines=[LineRefundRequest(free.id, 1)],
            shift_id=shift_id,
        )
    with db.read() as uow:
        assert uow.refunds.for_order(placed.order_id) == []
        assert uow.orders.refunded_units(placed.order_id)[free.id] == 0


def test_a_card_refund_the_bank_fails_later_is_owed_again_when_the_pull_says_so(
    db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> None:
    # Stripe told us the card part went through (the refund succeeded, the colas were
    # restocked); days later the bank fails it and the server's pull says so. The customer got
    # only the cash: the card part is refundable again, the goods stay returned.
    placed, shift_id = _split_sale_of_colas(db, shop, staff)
    recorded = _refund_colas(db, staff, placed, shift_id, units=3)
    [card_allocation] = recorded.card_allocation_ids
    with db.write() as uow:
        refunds.settle_card_allocation(
            uow, allocation_id=card_allocation, succeeded=True, gateway_refund_id="re_late"
        )
    stock_after_refund = _stock(db, "DRK-COL")
    total, tax = placed.totals.total_minor, placed.totals.tax_minor
    pulled = {
        "entity": "refund_allocation",
        "id": str(card_allocation),
        "data": {"refund_id": str(recorded.refund_id), "status": "failed", "kind": "card"},
    }
    for _twice in range(2):  # a pull seen again changes nothing more
        with db.write() as uow:
            SyncEngine._apply_refund_allocation(uow, pulled)
    with db.read() as uow:
        order = uow.orders.get(placed.order_id)
        refund = uow.refunds.get(recorded.refund_id)
        allocation = uow.refunds.allocation(card_allocation)
        refunded_tax = uow.orders.refunded_tax(placed.order_id)
        units = uow.orders.refunded_units(placed.order_id)
        [entry] = uow.audit.entries(action="refund.failed_later")
        queued = [e for e in uow.outbox.pending(limit=10_000) if e.entity == "refund"]
    assert order is not None
    assert refund is not None
    assert allocation is not None
    assert (refund.status, allocation.status) == ("failed", "failed")
    assert (order.status, order.refunded_minor) == (OrderStatus.PARTIALLY_REFUNDED, 200)
    assert refunded_tax == kept_tax(tax, 200, total)
    assert units == {order.lines[0].id: 3}
    assert _stock(db, "DRK-COL") == stock_after_refund  # restocked once, not undone
    assert entry.details["owed_minor"] == total - 200
    assert queued[-1].payload["status"] == "failed"  # the server hears the register agrees


def test_a_unit_whose_share_rounds_to_nothing_is_refused_with_that_reason(
    db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> None:
    # Three colas discounted down to one cent for the line: one unit's share rounds to 0, but
    # the units were not free; refunding all three returns the cent.
    shift_id = open_shift(db, shop, staff["Sam"])
    order = ring_up(db, shop, [("DRK-COL", 3)])
    line = order.lines[0]
    gross = order.totals().line(line.id).gross_minor
    order.set_line_discount(line.id, Discount(DiscountKind.AMOUNT, gross - 1, "regular"))
    with db.write() as uow:
        placed = checkout.place_order(
            uow,
            order=order,
            tenders=[TenderRequest(TenderKind.CASH, order.totals().total_minor)],
            shop=shop,
            staff=staff["Alex"],
            shift_id=shift_id,
        )
    assert placed.totals.total_minor == 1
    with pytest.raises(ValidationError, match="rounds to nothing"):
        _refund_colas(db, staff, placed, shift_id, units=1)
    assert _refund_colas(db, staff, placed, shift_id, units=3).plan.amount_minor == 1


def test_a_cash_refund_above_what_the_drawer_holds_is_refused_until_a_paid_in(
    db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> None:
    # A card sale refunded in cash (the customer has no card with them) on a shift opened with
    # a 5.00 float: the drawer cannot hand over 9+ dollars, and its count must not go negative.
    shift_id = open_shift(db, shop, staff["Sam"], float_minor=500)
    order = ring_up(db, shop, [("FOD-SAL", 1)])
    total = order.totals().total_minor
    with db.write() as uow:
        placed = checkout.place_order(
            uow,
            order=order,
            tenders=[TenderRequest(TenderKind.CARD, total)],
            shop=shop,
            staff=staff["Alex"],
            shift_id=shift_id,
        )

    def refund_from_the_drawer() -> RecordedRefund:
        with db.write() as uow:
            return refunds.record_refund(
                uow,
                order_id=placed.order_id,
                authorization=authorize(staff["Morgan"], Permission.REFUND),
                reason="no card with them",
                amount_minor=total,
                to_cash_drawer=True,
                shift_id=shift_id,
            )

    with pytest.raises(ValidationError, match="drawer does not hold that much"):
        refund_from_the_drawer()
    with db.read() as uow:
        assert uow.refunds.for_order(placed.order_id) == []
    with db.write() as uow:
        shifts.cash_movement(
            uow,
            shop=shop,
            kind=CashMovementKind.PAID_IN,
            amount_minor=total,
            reason="from the safe",
            authorization=authorize(staff["Morgan"], Permission.PAID_IN_OUT),
        )
    assert refund_from_the_drawer().cash_minor == total
    with db.read() as uow:
        shift = uow.shifts.get(shift_id)
        assert shift is not None
        assert uow.shifts.cash_summary(shift).expected_minor == 500


def test_a_late_failure_while_another_card_of_the_refund_still_waits_counts_when_it_settles(
    db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> None:
    # Two cards and 2.00 cash refunded together; the first card's refund went through and
    # then failed at the bank while Stripe had not yet answered for the second card.
    placed, shift_id = _split_sale_of_colas(db, shop, staff, card_parts=2)
    recorded = _refund_colas(db, staff, placed, shift_id, units=3)
    first, second = recorded.card_allocation_ids
    with db.write() as uow:
        refunds.settle_card_allocation(
            uow, allocation_id=first, succeeded=True, gateway_refund_id="re_first"
        )
        assert refunds.record_late_failure(uow, allocation_id=first)
        assert not refunds.record_late_failure(uow, allocation_id=first)  # once
    with db.write() as uow:
        refunds.settle_card_allocation(
            uow, allocation_id=second, succeeded=True, gateway_refund_id="re_second"
        )
        allocations = {a.id: a for a in uow.refunds.allocations(recorded.refund_id)}
        refund = uow.refunds.get(recorded.refund_id)
        order = uow.orders.get(placed.order_id)
        refunded_tax = uow.orders.refunded_tax(placed.order_id)
    assert refund is not None
    assert order is not None
    returned = placed.totals.total_minor - allocations[first].amount_minor
    assert refund.status == "failed"
    assert order.refunded_minor == returned
    assert refunded_tax == kept_tax(placed.totals.tax_minor, returned, placed.totals.total_minor)


def _tipped_card_sale(
    db: Database, shop: Shop, staff: dict[str, StaffMember], tip_minor: int
) -> PlacedOrder:
    """A burger paid by card with a tip."""
    order = ring_up(db, shop, [("FOD-BUR", 1)])
    with db.write() as uow:
        return checkout.place_order(
            uow,
            order=order,
            tenders=[TenderRequest(TenderKind.CARD, order.totals().total_minor, tip_minor)],
            shop=shop,
            staff=staff["Alex"],
            shift_id=None,
        )


def test_a_full_refund_gives_the_card_tip_back_apart_from_the_amount(
    db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> None:
    placed = _tipped_card_sale(db, shop, staff, 304)
    total = placed.totals.total_minor
    approval = authorize(staff["Morgan"], Permission.REFUND)
    with db.read() as uow:
        assert history.order_detail(uow, order_id=placed.order_id).tip_remaining_minor == 304
    # More than the tip, or the tip out of the drawer, is refused before anything is stored.
    with pytest.raises(ValidationError, match="tips not yet refunded"), db.write() as uow:
        refunds.record_refund(
            uow, order_id=placed.order_id, authorization=approval, reason="twice",
            amount_minor=total, tip_minor=305,
        )  # fmt: skip
    with pytest.raises(ValidationError, match="card it was charged on"), db.write() as uow:
        refunds.record_refund(
            uow, order_id=placed.order_id, authorization=approval, reason="twice",
            amount_minor=total, tip_minor=304, to_cash_drawer=True, shift_id=uuid7(),
        )  # fmt: skip
    with db.write() as uow:
        recorded = refunds.record_refund(
            uow, order_id=placed.order_id, authorization=approval, reason="charged twice",
            amount_minor=total, tip_minor=304,
        )  # fmt: skip
    assert recorded.plan.amount_minor == total
    assert recorded.plan.tip_minor == 304
    with db.read() as uow:
        allocation = uow.refunds.allocation(recorded.card_allocation_ids[0])
        refund = uow.refunds.get(recorded.refund_id)
        order = uow.orders.get(placed.order_id)
        detail = history.order_detail(uow, order_id=placed.order_id)
        entry = uow.audit.entries(action="order.refunded")[-1]
        pushed = [e.payload for e in uow.outbox.pending() if e.entity == "refund"]
    assert allocation is not None
    assert (allocation.amount_minor, allocation.tip_minor) == (
        total,
        304,
    )
    assert refund is not None
    assert refund.tip_minor == 304
    # The order counts the sale part only: the tip is not revenue.
    assert order is not None
    assert order.refunded_minor == total
    assert order.status is OrderStatus.REFUNDED
    assert detail.tip_remaining_minor == 0
    assert detail.refunds[0].tip_minor == 304
    assert entry.details["tip_minor"] == 304
    assert pushed[-1]["tip_minor"] == 304
    assert [a["tip_minor"] for a in pushed[-1]["allocations"]] == [304]
    # The card refuses: the tip is owed again, like the amount.
    _refuse_cards(db, recorded)
    with db.read() as uow:
        detail = history.order_detail(uow, order_id=placed.order_id)
    assert detail.remaining_minor == total
    assert detail.tip_remaining_minor == 304


def test_a_partial_refund_then_the_rest_with_the_tip(
    db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> None:
    placed = _tipped_card_sale(db, shop, staff, 200)
    total = placed.totals.total_minor
    approval = authorize(staff["Morgan"], Permission.REFUND)
    with db.write() as uow:
        first = refunds.record_refund(
            uow, order_id=placed.order_id, authorization=approval, reason="cold",
            amount_minor=500, tip_minor=50,
        )  # fmt: skip
        second = refunds.record_refund(
            uow, order_id=placed.order_id, authorization=approval, reason="all of it",
            amount_minor=total - 500, tip_minor=150,
        )  # fmt: skip
    assert (first.plan.tip_minor, second.plan.tip_minor) == (50, 150)
    with pytest.raises(ValidationError), db.write() as uow:
        refunds.record_refund(
            uow, order_id=placed.order_id, authorization=approval, reason="again",
            amount_minor=1, tip_minor=1,
        )  # fmt: skip
