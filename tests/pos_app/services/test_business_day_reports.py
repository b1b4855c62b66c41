"""Business dates and reports that net out refunds, checked against a hand ledger.

Orders count on the day (and in the shift) they were paid or voided, not when their cart was
created; refunds count when made; voids made with no shift open go to the next shift's report.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from pos_app.db.database import Database
from pos_app.domain.business_day import business_date, business_days_utc
from pos_app.domain.catalog import Product
from pos_app.domain.clock import utcnow
from pos_app.domain.errors import PermissionDenied
from pos_app.domain.history import HistoryFilter
from pos_app.domain.ids import uuid7
from pos_app.domain.orders import OrderStatus
from pos_app.domain.refunds import LineRefundRequest
from pos_app.domain.reports import TaxTotal
from pos_app.domain.shifts import CashMovementKind
from pos_app.domain.shop import Shop
from pos_app.domain.staff import Permission, StaffMember, authorize
from pos_app.domain.tenders import TenderKind, TenderRequest
from pos_app.services import checkout, refunds, reports, shifts
from tests.support.register import open_shift, ring_up, sell

SALES_TAX = 88_750  # 8.875 %, the demo catalog's rate
NEWS_TAX = 50_000  # 5 %, a second rate for the per-rate figures


def _today(shop: Shop) -> HistoryFilter:
    day = business_date(utcnow(), shop.timezone, shop.business_day_ends_minutes)
    since, until = business_days_utc(day, day, shop.timezone, shop.business_day_ends_minutes)
    return HistoryFilter(since=since, until=until)


def test_an_order_is_dated_when_paid_not_when_its_cart_was_created(
    db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> None:
    # The cart left on the screen after last night's last sale is this morning's first order.
    open_shift(db, shop, staff["Alex"])
    cart = ring_up(db, shop, [("COF-ESP", 1)])
    cart.created_at = utcnow() - timedelta(days=2)
    before = utcnow()
    with db.write() as uow:
        placed = checkout.place_order(
            uow,
            order=cart,
            tenders=[TenderRequest(TenderKind.CASH, cart.totals().total_minor)],
            shop=shop,
            staff=staff["Alex"],
            shift_id=uow.shifts.current(shop.register_id).id,  # type: ignore[union-attr]
        )
    with db.read() as uow:
        [listed] = uow.orders.page(history=_today(shop))
        today = reports.day_sales(uow, shop=shop, at=utcnow())
        two_days_ago = reports.day_sales(uow, shop=shop, at=cart.created_at)
    assert listed.id == placed.order_id
    assert before <= listed.business_at <= utcnow()
    assert today.figures.orders_count == 1
    assert today.figures.total_minor == placed.totals.total_minor
    assert [total for _hour, total in today.by_hour] == [placed.totals.total_minor]
    assert two_days_ago.figures.orders_count == 0


def test_a_void_is_dated_when_made(db: Database, shop: Shop, staff: dict[str, StaffMember]) -> None:
    cart = ring_up(db, shop, [("FOD-SOU", 1)])
    cart.created_at = utcnow() - timedelta(days=3)
    with db.write() as uow:
        checkout.void_order(
            uow,
            order=cart,
            reason="walked out",
            authorization=authorize(staff["Morgan"], Permission.VOID),
            shop=shop,
            shift_id=None,
        )
    with db.read() as uow:
        [listed] = uow.orders.page(history=_today(shop))
        today = reports.day_sales(uow, shop=shop, at=utcnow())
    assert listed.status is OrderStatus.VOIDED
    assert today.figures.voids_count == 1


def test_the_business_day_end_is_an_owners_setting(
    db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> None:
    with db.write() as uow, pytest.raises(PermissionDenied):
        reports.set_business_day_end(
            uow, shop=shop, authorization=authorize(staff["Alex"], Permission.SELL), minutes=240
        )
    with db.write() as uow:
        updated = reports.set_business_day_end(
            uow,
            shop=shop,
            authorization=authorize(staff["Sam"], Permission.MANAGE_SETTINGS),
            minutes=240,
        )
    with db.read() as uow:
        assert uow.settings.shop() == updated
    assert updated.business_day_ends_minutes == 240


def _add_newspaper(db: Database) -> None:
    with db.write() as uow:
        uow.catalog.upsert_product(
            Product(
                id=uuid7(),
                sku="NEWS",
                name="Newspaper",
                price_minor=200,
                currency="USD",
                tax_rate_ppm=NEWS_TAX,
            ),
            position=99,
        )


def test_reports_net_out_refunds_against_a_hand_ledger(
    db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> None:
    alex, morgan = staff["Alex"], staff["Morgan"]
    _add_newspaper(db)
    shift_id = open_shift(db, shop, alex)
    # Hand ledger (tax is rounded once per rate per order, half up, then spread over lines):
    # A: 2 Cola 5.00 + Croissant 3.25 = 8.25, tax 8.875 % = 0.7321875 → 0.73; total 8.98.
    #    Line tax by largest remainder: Cola 0.44375 → 0.44, Croissant 0.28844 → 0.29.
    # B: Fries 3.95 (tax 0.3505 → 0.35) + Newspaper 2.00 (5 %: 0.10); total 6.40.
    a = sell(db, shop, alex, [("DRK-COL", 2), ("BAK-CRO", 1)])
    b = sell(db, shop, morgan, [("FOD-FRI", 1), ("NEWS", 1)])  # Morgan's sale, Alex refunds
    assert (a.totals.total_minor, a.totals.tax_minor) == (898, 73)
    assert (b.totals.total_minor, b.totals.tax_minor) == (640, 45)
    approval = authorize(alex, Permission.REFUND, morgan)
    with db.write() as uow:
        order_a = uow.orders.get(a.order_id)
        assert order_a is not None
        # One of the two colas: 5.44 × 1/2 = 2.72, of it tax 0.44 × 1/2 = 0.22.
        refunds.record_refund(
            uow,
            order_id=a.order_id,
            authorization=approval,
            reason="flat",
            lines=[LineRefundRequest(order_a.lines[0].id, 1)],
            shift_id=shift_id,
        )
        # 3.20 of order B by amount: tax 3.20 × 0.45 / 6.40 = 0.225 → 0.23, spread over the
        # order's rates 35 : 10 → 0.18 at 8.875 % and 0.05 at 5 %.
        refunds.record_refund(
            uow,
            order_id=b.order_id,
            authorization=approval,
            reason="cold fries",
            amount_minor=320,
            shift_id=shift_id,
        )
        shifts.cash_movement(
            uow,
            shop=shop,
            kind=CashMovementKind.NO_SALE,
            amount_minor=0,
            reason="change for the meter",
            authorization=authorize(morgan, Permission.NO_SALE),
        )
    with db.read() as uow:
        x = shifts.x_report(uow, shop=shop)
        day = reports.day_sales(uow, shop=shop, at=utcnow())
    assert x.total_minor == 898 + 640
    assert x.refunds_minor == 272 + 320
    assert x.net_total_minor == 1538 - 592
    assert x.tax_minor == 73 + 45
    assert x.refunded_tax_minor == 22 + 23
    assert x.net_tax_minor == 118 - 45
    assert x.taxes == (
        TaxTotal(NEWS_TAX, tax_minor=10, refunded_minor=5),
        TaxTotal(SALES_TAX, tax_minor=73 + 35, refunded_minor=22 + 18),
    )
    assert [t.net_minor for t in x.taxes] == [5, 108 - 40]
    assert x.net_sales_after_refunds_minor == (1538 - 118) - (592 - 45)
    assert {t.kind: t.amount_minor for t in x.refunds_by_tender} == {"cash": 592}
    assert x.no_sales_count == 1
    json = x.to_json()
    assert (json["net_total_minor"], json["net_tax_minor"]) == (946, 73)
    assert "net takings" in x.to_text()
    # The back office's day is the same rule over the business day.
    assert day.figures.net_total_minor == x.net_total_minor
    assert day.figures.net_tax_minor == x.net_tax_minor
    assert day.figures.taxes == x.taxes
    assert day.figures.no_sales_count == 1
    # By product, net of refunds: one cola went back (2.72, of it 0.22 tax: 2.50 before tax);
    # the 3.20 by amount names no product, so it stays in the refund totals only.
    products = {p.sku: (p.quantity, p.net_minor) for p in x.products}
    assert products == {
        "DRK-COL": (2 - 1, 500 - 250),
        "BAK-CRO": (1, 325),
        "FOD-FRI": (1, 395),
        "NEWS": (1, 200),
    }
    assert [p.sku for p in x.products] == ["FOD-FRI", "BAK-CRO", "DRK-COL", "NEWS"]
    # By staff, a refund counts against the sale's seller (Morgan's order B), not the person
    # who keyed it (Alex).
    assert [(t.name, t.orders, t.total_minor) for t in x.staff] == [
        ("Alex", 1, 898 - 272),
        ("Morgan", 1, 640 - 320),
    ]
    assert day.figures.products == x.products
    assert day.figures.staff == x.staff
    assert [(name, qty, net) for name, qty, net in day.top] == [
        (p.name, p.quantity, p.net_minor) for p in x.products
    ]


def test_the_issue_example_total_and_tax_drop_by_the_refund(
    db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> None:
    # $17.58 refunded of which $1.43 tax: a refund by amount carries the order's tax in
    # proportion, so take an order whose tax makes 17.58 carry exactly 1.43.
    alex = staff["Alex"]
    shift_id = open_shift(db, shop, alex)
    sold = sell(db, shop, alex, [("FOD-CHB", 3), ("DRK-COL", 2)])  # 42.50 + tax 3.77 = 46.27
    with db.write() as uow:
        refunds.record_refund(
            uow,
            order_id=sold.order_id,
            authorization=authorize(alex, Permission.REFUND, staff["Morgan"]),
            reason="wrong order",
            amount_minor=1758,
            shift_id=shift_id,
        )
    with db.read() as uow:
        x = shifts.x_report(uow, shop=shop)
    assert x.total_minor == 4627
    assert x.refunded_tax_minor == 143  # 17.58 × 3.77 / 46.27 = 1.4324
    assert x.net_total_minor == 4627 - 1758
    assert x.net_tax_minor == 377 - 143


def test_a_void_with_no_shift_open_goes_to_the_next_shifts_report(
    db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> None:
    alex, morgan = staff["Alex"], staff["Morgan"]
    first = open_shift(db, shop, alex)
    parked = ring_up(db, shop, [("FOD-BUR", 1)])
    with db.write() as uow:
        number = checkout.park_order(
            uow, order=parked, label="Table 4", shop=shop, staff=alex, shift_id=first
        )
    manager = authorize(morgan, Permission.CLOSE_SHIFT)
    with db.write() as uow, pytest.raises(shifts.UnfinishedOrders) as refused:
        shifts.close_shift(uow, shop=shop, authorization=manager, counted_minor=10_000)
    assert [(o.number, o.status, o.label) for o in refused.value.orders] == [
        (number, OrderStatus.PARKED, "Table 4")
    ]
    with db.write() as uow:
        z1 = shifts.close_shift(
            uow, shop=shop, authorization=manager, counted_minor=10_000, leave_unfinished=True
        )
        [audit] = uow.audit.entries(action="shift.closed")
    assert audit.details["unfinished_orders"] == [number]
    assert z1.voids_count == 0
    with db.write() as uow:  # between shifts: no shift is open
        checkout.void_order(
            uow,
            order=checkout.recall_order(uow, order_id=parked.id),
            reason="table left",
            authorization=authorize(morgan, Permission.VOID),
            shop=shop,
            shift_id=None,
        )
    second = open_shift(db, shop, alex)
    with db.read() as uow:
        x2 = shifts.x_report(uow, shop=shop)
        z1_again = shifts.z_report(uow, shift_id=first)
    assert (x2.voids_count, x2.voids_minor) == (1, parked.totals().total_minor)
    assert z1_again.voids_count == 0  # a filed Z report never changes
    # A later void in the second shift counts there, once.
    with db.write() as uow:
        checkout.void_order(
            uow,
            order=ring_up(db, shop, [("COF-ESP", 1)]),
            reason="mistake",
            authorization=authorize(morgan, Permission.VOID),
            shop=shop,
            shift_id=second,
        )
        x2 = shifts.x_report(uow, shop=shop)
    assert x2.voids_count == 2
