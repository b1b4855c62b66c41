"""Refunds never exceed what was paid, and refunding every unit returns exactly the total."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.domain.errors import ValidationError
from pos_app.domain.ids import uuid7
from pos_app.domain.pricing import Discount, DiscountKind, PricingLine, TaxMode, compute_totals
from pos_app.domain.refunds import (
    LineRefundRequest,
    RefundableTender,
    allocate_refund,
    kept_tax,
    plan_amount_refund,
    plan_line_refund,
    refundable_tip,
)
from pos_app.domain.tenders import TenderKind

line_specs = st.lists(
    st.tuples(
        st.integers(min_value=1, max_value=5_000),
        st.integers(min_value=1, max_value=12),
        st.sampled_from([0, 88_750, 200_000]),
    ),
    min_size=1,
    max_size=6,
)


@given(
    line_specs,
    st.sampled_from(list(TaxMode)),
    st.integers(min_value=0, max_value=300_000),
    st.randoms(use_true_random=False),
)
def test_line_refunds_in_any_steps_return_exactly_the_total(
    specs: list[tuple[int, int, int]], mode: TaxMode, discount_ppm: int, rnd: object
) -> None:
    import random as _random

    assert isinstance(rnd, _random.Random)
    keys = [uuid7() for _ in specs]
    pricing = [
        PricingLine(key, price, qty, rate)
        for key, (price, qty, rate) in zip(keys, specs, strict=True)
    ]
    totals = compute_totals(pricing, mode, Discount(DiscountKind.PERCENT, discount_ppm))
    quantities = {key: qty for key, (_, qty, _) in zip(keys, specs, strict=True)}
    done = dict.fromkeys(quantities, 0)
    refunded = refunded_tax = 0
    while any(done[key] < quantities[key] for key in quantities):
        key = rnd.choice([k for k in quantities if done[k] < quantities[k]])
        units = rnd.randint(1, quantities[key] - done[key])
        plan = plan_line_refund(
            totals, quantities, done, [LineRefundRequest(key, units)], refunded, refunded_tax
        )
        done[key] += units
        refunded += plan.amount_minor
        refunded_tax += plan.tax_minor
        assert refunded <= totals.total_minor
        assert refunded_tax <= totals.tax_minor
    assert refunded == totals.total_minor
    assert refunded_tax == totals.tax_minor
    with pytest.raises(ValidationError):
        plan_line_refund(
            totals, quantities, done, [LineRefundRequest(keys[0], 1)], refunded, refunded_tax
        )


@given(
    st.integers(min_value=1, max_value=100_000),
    st.lists(st.integers(min_value=1, max_value=100_000), min_size=1, max_size=10),
)
def test_amount_refunds_never_exceed_what_was_paid(price: int, asks: list[int]) -> None:
    totals = compute_totals([PricingLine("x", price, 1, 88_750)], TaxMode.EXCLUSIVE)
    refunded = refunded_tax = 0
    for ask in asks:
        if ask > totals.total_minor - refunded:
            with pytest.raises(ValidationError, match="more than what remains"):
                plan_amount_refund(totals, ask, refunded, refunded_tax)
            continue
        plan = plan_amount_refund(totals, ask, refunded, refunded_tax)
        refunded += plan.amount_minor
        refunded_tax += plan.tax_minor
        assert 0 <= refunded_tax <= totals.tax_minor
    assert refunded <= totals.total_minor


@given(
    st.integers(min_value=1, max_value=10_000_000),
    st.integers(min_value=0, max_value=10_000_000),
    st.data(),
)
def test_a_partly_paid_refund_keeps_its_tax_in_proportion(
    amount: int, tax: int, data: st.DataObject
) -> None:
    tax = tax % (amount + 1)  # a refund's tax is part of its amount
    returned = data.draw(st.integers(min_value=0, max_value=amount))
    kept = kept_tax(tax, returned, amount)
    assert 0 <= kept <= tax
    assert kept <= returned  # the kept tax is part of the money that went back
    assert abs(kept * amount - tax * returned) * 2 <= amount  # nearest, halves up
    assert kept_tax(tax, 0, amount) == 0
    assert kept_tax(tax, amount, amount) == tax
    more = data.draw(st.integers(min_value=returned, max_value=amount))
    assert kept_tax(tax, more, amount) >= kept  # more money back never keeps less tax


def test_kept_tax_refuses_impossible_figures() -> None:
    for tax, returned, amount in ((10, 101, 100), (10, -1, 100), (10, 0, 0), (-1, 5, 100)):
        with pytest.raises(ValueError, match="returned must be between"):
            kept_tax(tax, returned, amount)


def test_refund_goes_back_to_cards_first_then_cash() -> None:
    card, cash = uuid7(), uuid7()
    tenders = [
        RefundableTender(cash, TenderKind.CASH, 500),
        RefundableTender(card, TenderKind.CARD, 700),
    ]
    allocations = allocate_refund(900, tenders)
    assert [(a.tender_id, a.amount_minor) for a in allocations] == [(card, 700), (cash, 200)]
    drawer = allocate_refund(900, tenders, to_cash_drawer=True)
    assert drawer[0].tender_id is None
    assert drawer[0].kind is TenderKind.CASH
    with pytest.raises(ValidationError):
        allocate_refund(1201, tenders)


def test_refund_requests_are_validated() -> None:
    key = uuid7()
    totals = compute_totals([PricingLine(key, 100, 2, 0)], TaxMode.EXCLUSIVE)
    with pytest.raises(ValidationError, match="at least one line"):
        plan_line_refund(totals, {key: 2}, {}, [], 0, 0)
    with pytest.raises(ValidationError, match="not on this order"):
        plan_line_refund(totals, {key: 2}, {}, [LineRefundRequest(uuid7(), 1)], 0, 0)
    with pytest.raises(ValidationError, match="only 2 of 2"):
        plan_line_refund(totals, {key: 2}, {}, [LineRefundRequest(key, 3)], 0, 0)
    with pytest.raises(ValidationError, match="named twice"):
        plan_line_refund(totals, {key: 2}, {}, [LineRefundRequest(key, 1)] * 2, 0, 0)
    with pytest.raises(ValidationError, match="more than zero"):
        plan_amount_refund(totals, 0, 0, 0)


tender_specs = st.lists(
    st.tuples(
        st.sampled_from([TenderKind.CARD, TenderKind.CASH]),
        st.integers(min_value=0, max_value=10_000),  # amount left
        st.integers(min_value=0, max_value=3_000),  # card tip left
    ),
    min_size=1,
    max_size=4,
)


@given(
    tender_specs,
    st.integers(min_value=0, max_value=50_000),
    st.integers(min_value=0, max_value=15_000),
)
def test_a_refund_with_tip_never_exceeds_amount_plus_tip_per_card(
    specs: list[tuple[TenderKind, int, int]], amount: int, tip: int
) -> None:
    tenders = [
        RefundableTender(uuid7(), kind, left, tip_left if kind is TenderKind.CARD else 0)
        for kind, left, tip_left in specs
    ]
    can_amount = sum(t.remaining_minor for t in tenders)
    can_tip = refundable_tip(tenders)
    if amount > can_amount or tip > can_tip:
        with pytest.raises(ValidationError):
            allocate_refund(amount, tenders, tip_minor=tip)
        return
    allocations = allocate_refund(amount, tenders, tip_minor=tip)
    by_id = {t.tender_id: t for t in tenders}
    # The parts add up to the refund and its tip, each tender named once.
    assert sum(a.amount_minor for a in allocations) == amount
    assert sum(a.tip_minor for a in allocations) == tip
    assert sum(a.returned_minor for a in allocations) == amount + tip
    assert len({a.tender_id for a in allocations}) == len(allocations)
    for allocation in allocations:
        tender = by_id[allocation.tender_id]  # type: ignore[index]
        assert allocation.kind is tender.kind
        assert 0 <= allocation.amount_minor <= tender.remaining_minor
        assert 0 <= allocation.tip_minor <= tender.tip_remaining_minor
        assert allocation.returned_minor > 0
        # A tip goes back only to the card it was charged on.
        assert allocation.tip_minor == 0 or tender.kind is TenderKind.CARD
        assert allocation.returned_minor <= tender.remaining_minor + tender.tip_remaining_minor


def test_a_tip_goes_back_to_its_card_never_out_of_the_drawer() -> None:
    first, second = uuid7(), uuid7()
    tenders = [
        RefundableTender(first, TenderKind.CARD, 1_000, 150),
        RefundableTender(second, TenderKind.CARD, 1_025, 154),
    ]
    allocations = allocate_refund(2_025, tenders, tip_minor=304)
    assert [(a.tender_id, a.amount_minor, a.tip_minor) for a in allocations] == [
        (second, 1_025, 154),
        (first, 1_000, 150),
    ]
    # A partial refund of the latest card can still give the other card's tip back.
    allocations = allocate_refund(500, tenders, tip_minor=304)
    assert [(a.tender_id, a.amount_minor, a.tip_minor) for a in allocations] == [
        (second, 500, 154),
        (first, 0, 150),
    ]
    with pytest.raises(ValidationError, match="card it was charged on"):
        allocate_refund(2_025, tenders, to_cash_drawer=True, tip_minor=304)
    with pytest.raises(ValidationError, match="tips not yet refunded"):
        allocate_refund(2_025, tenders, tip_minor=305)
    with pytest.raises(ValidationError):
        allocate_refund(2_025, tenders, tip_minor=-1)
