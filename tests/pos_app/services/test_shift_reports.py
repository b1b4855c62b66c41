"""A shift from float to Z report: cash in and out, refunds, voids, over/short."""

from __future__ import annotations

import pytest

from pos_app.db.database import Database
from pos_app.domain.errors import PermissionDenied, ValidationError
from pos_app.domain.refunds import LineRefundRequest
from pos_app.domain.reports import ReportKind
from pos_app.domain.shifts import CashMovementKind
from pos_app.domain.shop import Shop
from pos_app.domain.staff import Permission, StaffMember, authorize
from pos_app.domain.tenders import TenderKind
from pos_app.services import checkout, refunds, shifts
from tests.support.register import open_shift, ring_up, sell


def test_full_shift_with_over_short(
    db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> None:
    alex, morgan = staff["Alex"], staff["Morgan"]
    shift_id = open_shift(db, shop, alex, float_minor=20_000)
    cash = sell(db, shop, alex, [("COF-LAT", 2), ("BAK-CRO", 1)], tendered_minor=2000)  # 13.34
    sell(db, shop, alex, [("FOD-BUR", 1)], kind=TenderKind.CARD)  # 12.52
    sell(db, shop, morgan, [("COF-ESP", 1)])  # 2.99 cash
    with db.write() as uow:
        shifts.cash_movement(
            uow,
            shop=shop,
            kind=CashMovementKind.PAID_OUT,
            amount_minor=1500,
            reason="milk delivery",
            authorization=authorize(alex, Permission.PAID_IN_OUT, morgan),
        )
        shifts.cash_movement(
            uow,
            shop=shop,
            kind=CashMovementKind.PAID_IN,
            amount_minor=500,
            reason="change from bank",
            authorization=authorize(morgan, Permission.PAID_IN_OUT),
        )
        shifts.cash_movement(
            uow,
            shop=shop,
            kind=CashMovementKind.NO_SALE,
            amount_minor=0,
            reason="customer needed change",
            authorization=authorize(morgan, Permission.NO_SALE),
        )
    with db.write() as uow:  # a cash refund of one latte from the drawer
        with db.read() as read:
            paid = read.orders.get(cash.order_id)
        assert paid is not None
        refunds.record_refund(
            uow,
            order_id=cash.order_id,
            authorization=authorize(alex, Permission.REFUND, morgan),
            reason="spilled",
            lines=[LineRefundRequest(paid.lines[0].id, 1)],
            shift_id=shift_id,
        )
    voided = ring_up(db, shop, [("FOD-SOU", 1)])
    with db.write() as uow:
        checkout.void_order(
            uow,
            order=voided,
            reason="changed mind",
            authorization=authorize(morgan, Permission.VOID),
            shop=shop,
            shift_id=shift_id,
        )
    with db.read() as uow:
        x = shifts.x_report(uow, shop=shop)
    assert x.kind is ReportKind.X
    assert x.closed_at is None
    assert x.orders_count == 3
    assert x.total_minor == 1334 + 1252 + 299
    refund_amount = x.refunds_minor
    assert x.refunds_count == 1
    assert refund_amount == 490
    assert (x.voids_count, x.voids_minor) == (1, 680)
    assert {t.kind: t.amount_minor for t in x.tenders} == {"cash": 1334 + 299, "card": 1252}
    expected = 20_000 + 1334 + 299 - refund_amount - 1500 + 500
    assert x.expected_cash_minor == expected
    assert {s.name for s in x.staff} == {"Alex", "Morgan"}
    assert x.products[0].sku == "FOD-BUR"  # best seller by revenue first
    assert sum(t.tax_minor for t in x.taxes) == x.tax_minor

    with pytest.raises(PermissionDenied), db.write() as uow:
        shifts.close_shift(
            uow, shop=shop, authorization=authorize(alex, Permission.CLOSE_SHIFT), counted_minor=0
        )
    with db.write() as uow:
        z = shifts.close_shift(
            uow,
            shop=shop,
            authorization=authorize(morgan, Permission.CLOSE_SHIFT),
            counts={2000: 10, 1: expected - 20_000 - 25},
        )  # 0.25 short
    assert z.kind is ReportKind.Z
    assert z.closed_at is not None
    assert z.over_short_minor == -25
    with db.read() as uow:
        assert uow.shifts.current(shop.register_id) is None
        closed = uow.audit.entries(action="shift.closed")[0]
        no_sale = uow.audit.entries(action="drawer.no_sale")[0]
    assert closed.details["over_short_minor"] == -25
    assert no_sale.staff_id == morgan.id
    text = z.to_text()
    assert "over/short" in text
    assert "-0.25" in text
    assert z.to_json()["over_short_minor"] == -25


def test_one_shift_at_a_time_and_movements_need_an_open_shift(
    db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> None:
    owner = staff["Sam"]
    with pytest.raises(ValidationError, match="no shift is open"), db.write() as uow:
        shifts.cash_movement(
            uow,
            shop=shop,
            kind=CashMovementKind.PAID_IN,
            amount_minor=1,
            reason="x",
            authorization=authorize(owner, Permission.PAID_IN_OUT),
        )
    open_shift(db, shop, owner)
    with pytest.raises(ValidationError, match="already open"):
        open_shift(db, shop, owner)
    with pytest.raises(ValidationError, match="give a reason"), db.write() as uow:
        shifts.cash_movement(
            uow,
            shop=shop,
            kind=CashMovementKind.PAID_IN,
            amount_minor=100,
            reason=" ",
            authorization=authorize(owner, Permission.PAID_IN_OUT),
        )
    with pytest.raises(PermissionDenied), db.write() as uow:
        shifts.cash_movement(
            uow,
            shop=shop,
            kind=CashMovementKind.PAID_IN,
            amount_minor=100,
            reason="x",
            authorization=authorize(owner, Permission.NO_SALE),
        )
