"""The order aggregate: ringing up, modifiers, lifecycle, tenders."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.domain.catalog import Modifier, ModifierGroup, Product
from pos_app.domain.errors import InvalidTransition, ValidationError
from pos_app.domain.ids import uuid7, uuid7_time_ms
from pos_app.domain.orders import Order, OrderStatus
from pos_app.domain.pricing import Discount, DiscountKind, TaxMode
from pos_app.domain.tenders import TenderKind, TenderRequest, quick_cash_amounts, settle

SIZE = ModifierGroup(
    uuid7(),
    "Size",
    1,
    1,
    (
        Modifier(uuid7(), "Small", 0),
        Modifier(uuid7(), "Large", 100),
    ),
)
EXTRAS = ModifierGroup(
    uuid7(),
    "Extras",
    0,
    2,
    (
        Modifier(uuid7(), "Shot", 75),
        Modifier(uuid7(), "Syrup", 50),
        Modifier(uuid7(), "Cream", 25),
    ),
)
LATTE = Product(uuid7(), "LAT", "Latte", 450, "USD", 88_750, modifier_groups=(SIZE, EXTRAS))
MUFFIN = Product(uuid7(), "MUF", "Muffin", 350, "USD", 88_750)


def new_order() -> Order:
    return Order(currency="USD", tax_mode=TaxMode.EXCLUSIVE)


def test_required_modifier_groups_must_be_answered() -> None:
    order = new_order()
    with pytest.raises(ValidationError, match="Size: a choice is required"):
        order.add_product(LATTE)
    with pytest.raises(ValidationError, match="Extras: choose at most 2"):
        order.add_product(
            LATTE,
            choices={
                SIZE.id: [SIZE.modifiers[0].id],
                EXTRAS.id: [m.id for m in EXTRAS.modifiers],
            },
        )
    line = order.add_product(
        LATTE,
        choices={
            SIZE.id: [SIZE.modifiers[1].id],
            EXTRAS.id: [EXTRAS.modifiers[0].id],
        },
    )
    assert line.unit_total_minor == 450 + 100 + 75
    assert [m.name for m in line.modifiers] == ["Large", "Shot"]


def test_same_product_same_choices_adds_up_but_notes_keep_lines_apart() -> None:
    order = new_order()
    first = order.add_product(MUFFIN)
    again = order.add_product(MUFFIN, 2)
    assert again is first
    assert first.quantity == 3
    noted = order.add_product(MUFFIN, note="warm it up")
    assert noted is not first
    assert len(order.lines) == 2


def test_lifecycle_open_park_resume_pay() -> None:
    order = new_order()
    order.add_product(MUFFIN)
    order.park("Table 4")
    assert order.status is OrderStatus.PARKED
    with pytest.raises(InvalidTransition):
        order.add_product(MUFFIN)
    order.resume()
    total = order.totals().total_minor
    tenders = order.pay([TenderRequest(TenderKind.CASH, 1000)])
    assert order.status is OrderStatus.PAID
    assert tenders[0].change_minor == 1000 - total
    with pytest.raises(InvalidTransition):
        order.void()
    with pytest.raises(InvalidTransition):
        order.set_quantity(order.lines[0].id, 2)


def test_void_only_before_payment_and_empty_park_refused() -> None:
    order = new_order()
    with pytest.raises(ValidationError, match="empty"):
        order.park("x")
    order.add_product(MUFFIN)
    order.void()
    assert order.status is OrderStatus.VOIDED
    with pytest.raises(InvalidTransition):
        order.resume()


def test_refund_moves_to_partial_then_full_and_never_beyond() -> None:
    order = new_order()
    order.add_product(MUFFIN, 2)
    order.pay([TenderRequest(TenderKind.CARD, order.totals().total_minor)])
    paid = order.paid_minor
    order.record_refund(100)
    assert order.status is OrderStatus.PARTIALLY_REFUNDED
    with pytest.raises(ValidationError, match="more than what remains"):
        order.record_refund(paid)
    order.record_refund(paid - 100)
    assert order.status is OrderStatus.REFUNDED
    with pytest.raises(ValidationError):
        order.record_refund(1)


def test_quantity_and_note_bounds() -> None:
    order = new_order()
    with pytest.raises(ValidationError, match="quantity"):
        order.add_product(MUFFIN, 0)
    with pytest.raises(ValidationError, match="at most 200"):
        order.add_product(MUFFIN, note="x" * 201)
    line = order.add_product(MUFFIN)
    order.set_quantity(line.id, 0)
    assert order.is_empty


def test_inactive_product_and_foreign_currency_refused() -> None:
    order = new_order()
    with pytest.raises(ValidationError, match="not on sale"):
        order.add_product(Product(uuid7(), "X", "Gone", 100, "USD", 0, active=False))
    with pytest.raises(ValidationError, match="priced in EUR"):
        order.add_product(Product(uuid7(), "E", "Euro", 100, "EUR", 0))


@given(
    total=st.integers(min_value=0, max_value=1_000_000),
    cuts=st.lists(st.integers(min_value=0, max_value=1_000_000), max_size=5),
    tip=st.integers(min_value=0, max_value=10_000),
    extra_cash=st.integers(min_value=0, max_value=10_000),
)
def test_split_tenders_add_up_exactly(
    total: int, cuts: list[int], tip: int, extra_cash: int
) -> None:
    # Card tenders take arbitrary slices (a tip at most the slice), cash pays the rest (possibly
    # with change).
    requests = []
    remaining = total
    for cut in cuts:
        take = min(cut, remaining)
        requests.append(TenderRequest(TenderKind.CARD, take, tip_minor=min(tip, take)))
        remaining -= take
    if remaining == 0:
        extra_cash = 0  # nothing due: handing over cash is refused (tested below)
    requests.append(TenderRequest(TenderKind.CASH, remaining + extra_cash))
    tenders = settle(total, requests)
    assert sum(t.amount_minor for t in tenders) == total
    assert all(t.change_minor >= 0 and t.amount_minor >= 0 for t in tenders)
    cash = tenders[-1]
    assert cash.change_minor == extra_cash
    assert cash.tendered_minor - cash.change_minor == cash.amount_minor
    for card in tenders[:-1]:
        assert card.charged_minor == card.amount_minor + min(tip, card.amount_minor)


def test_underpayment_and_misplaced_tips_are_refused() -> None:
    # A tip above the card amount is a sale booked as a tip (tips pay no platform fee).
    with pytest.raises(ValidationError, match="tip cannot be more"):
        settle(1000, [TenderRequest(TenderKind.CARD, 1000, tip_minor=1001)])
    with pytest.raises(ValidationError, match="tip cannot be more"):
        settle(0, [TenderRequest(TenderKind.CARD, 0, tip_minor=1)])
    with pytest.raises(ValidationError, match="still due"):
        settle(1000, [TenderRequest(TenderKind.CASH, 999)])
    with pytest.raises(ValidationError, match="card only"):
        settle(1000, [TenderRequest(TenderKind.CASH, 1000, tip_minor=100)])
    with pytest.raises(ValidationError, match="more than what is still due"):
        settle(1000, [TenderRequest(TenderKind.CARD, 1001)])
    with pytest.raises(ValidationError, match="last 4"):
        settle(1000, [TenderRequest(TenderKind.CARD, 1000, card_last4="4242424242424242")])
    with pytest.raises(ValidationError, match="already paid"):
        settle(1000, [TenderRequest(TenderKind.CARD, 1000), TenderRequest(TenderKind.CASH, 500)])


def test_quick_cash_amounts() -> None:
    assert quick_cash_amounts(1334, "USD") == [1334, 1400, 1500, 2000, 5000]
    assert quick_cash_amounts(2000, "USD")[0] == 2000


def test_order_discount_through_the_aggregate() -> None:
    order = new_order()
    order.add_product(MUFFIN, 4)
    order.set_discount(Discount(DiscountKind.AMOUNT, 200))
    totals = order.totals()
    assert totals.order_discount_minor == 200
    assert totals.total_minor == 1200 + 107  # 12.00 × 8.875 % = 1.065 → 1.07


def test_uuid7_is_time_ordered_and_versioned() -> None:
    ids = [uuid7() for _ in range(5000)]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    assert all(i.version == 7 for i in ids)
    assert uuid7_time_ms(ids[0]) <= uuid7_time_ms(ids[-1])
