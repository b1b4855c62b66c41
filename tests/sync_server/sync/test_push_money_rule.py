"""One money rule on both sides: the server recomputes every pushed order with the register's
own pricing rule and refuses any figure that does not follow it, naming the field.

The property test sells through the real register (checkout on a real SQLite file, the outbox
payload the register would push) and checks the server's judgement of that payload: every
order the register produces passes; any single amount changed by any delta is refused. The
attacks go over plain HTTP with a paired device token against real PostgreSQL.
"""

from __future__ import annotations

import copy
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from sqlalchemy import Engine, text

from pos_app.db.database import Database
from pos_app.domain.errors import DomainError
from pos_app.domain.orders import Order
from pos_app.domain.pricing import Discount, DiscountKind, TaxMode
from pos_app.domain.tenders import TenderKind, TenderRequest
from pos_app.services import checkout, shifts
from pos_app.services.setup import seed_demo
from sync_server.sync import checks
from sync_server.sync import schemas as s
from tests.support.push_payloads import build_order, change, push
from tests.support.sync_server_tenants import Device

PAID = datetime(2026, 3, 14, 12, 0, tzinfo=UTC)

_ORDER_AMOUNTS = (
    "subtotal_minor", "line_discount_minor", "order_discount_minor", "tax_minor",
    "total_minor", "tip_minor",
)  # fmt: skip
_LINE_AMOUNTS = (
    "unit_price_minor", "gross_minor", "line_discount_minor", "order_discount_minor",
    "net_minor", "tax_minor", "total_minor",
)  # fmt: skip
_TENDER_AMOUNTS = ("amount_minor", "tip_minor", "tendered_minor", "change_minor")


def _bounds(currency: str) -> checks.Bounds:
    now = datetime.now(UTC)
    return checks.Bounds(
        currency=currency,
        earliest=now - timedelta(days=1),
        latest=now + timedelta(minutes=5),
        max_amount_minor=10_000_000_000,
    )


def _judge(data: dict[str, Any]) -> checks.Problem | None:
    """The server's verdict on an order payload; a payload the contract refuses counts too."""
    try:
        parsed = s.OrderChange.model_validate(
            {"seq": 1, "entity": "order", "id": str(uuid.uuid4()),
             "occurred_at": PAID.isoformat(), "data": data}
        )  # fmt: skip
    except ValidationError as error:
        return checks.Problem(checks.MALFORMED, "data", str(error))
    return checks.check_order(parsed, _bounds(data["currency"]))


@st.composite
def _sales(draw: st.DrawFn, products: list[Any]) -> dict[str, Any]:
    tax_mode = draw(st.sampled_from(list(TaxMode)))
    picks = draw(
        st.lists(
            st.tuples(
                st.sampled_from(products),
                st.integers(1, 12),
                st.one_of(st.none(), st.integers(0, 50_000)),  # a price override
                st.one_of(
                    st.none(),
                    st.builds(Discount, st.just(DiscountKind.PERCENT), st.integers(0, 1_000_000)),
                    st.builds(Discount, st.just(DiscountKind.AMOUNT), st.integers(0, 20_000)),
                ),
            ),
            min_size=1,
            max_size=6,
        )
    )
    order_discount = draw(
        st.one_of(
            st.none(),
            st.builds(Discount, st.just(DiscountKind.PERCENT), st.integers(0, 1_000_000)),
            st.builds(Discount, st.just(DiscountKind.AMOUNT), st.integers(0, 50_000)),
        )
    )
    return {
        "tax_mode": tax_mode,
        "picks": picks,
        "order_discount": order_discount,
        "card_share_ppm": draw(st.integers(0, 1_000_000)),
        "tip_ppm": draw(st.sampled_from([0, 100_000, 150_000, 200_000, 1_000_000])),
        "cash_over": draw(st.integers(0, 5_000)),
    }


@pytest.fixture
def register(tmp_path: Path) -> Any:
    db = Database(tmp_path / "register.sqlite3")
    with db.write() as uow:
        shop = seed_demo(uow)
    with db.read() as uow:
        staff = uow.staff.all()
        products = [p for p in uow.catalog.products() if not p.track_stock]
    owner = next(member for member in staff if member.role.value == "owner")
    with db.write() as uow:
        shift = shifts.open_shift(uow, shop=shop, staff=owner, float_minor=100_000)
    yield db, shop, owner, shift.id, products
    db.dispose()


def _sell(register: Any, sale: dict[str, Any]) -> dict[str, Any]:
    """Ring the sale up and pay it on the register; the order payload its outbox holds."""
    db, shop, owner, shift_id, _ = register
    order = Order(currency=shop.currency, tax_mode=sale["tax_mode"])
    for product, quantity, price, discount in sale["picks"]:
        choices = {g.id: [g.modifiers[-1].id] for g in product.modifier_groups if g.required}
        line = order.add_product(product, quantity, choices)
        if price is not None:
            order.set_unit_price(line.id, price)
        order.set_line_discount(line.id, discount)
    order.set_discount(sale["order_discount"])
    try:
        total = order.totals().total_minor
    except DomainError:  # a price override below the modifiers: the register refuses it too
        reject()
    card = total * sale["card_share_ppm"] // 1_000_000
    tenders = []
    if card:
        tip = card * sale["tip_ppm"] // 1_000_000
        tenders.append(TenderRequest(TenderKind.CARD, card, tip_minor=tip, card_last4="4242"))
    if total - card or not tenders:
        tenders.append(TenderRequest(TenderKind.CASH, total - card + sale["cash_over"]))
    try:
        with db.write() as uow:
            placed = checkout.place_order(
                uow, order=order, tenders=tenders, shop=shop, staff=owner, shift_id=shift_id
            )
    except DomainError:  # a sale the register itself refuses (cash handed over for nothing)
        reject()
    with db.read() as uow:
        entries = [e for e in uow.outbox.pending(limit=100_000) if e.entity == "order"]
    [entry] = [e for e in entries if e.entity_id == placed.order_id]
    return copy.deepcopy(entry.payload)


def _amount_paths(data: dict[str, Any]) -> list[tuple[Any, ...]]:
    paths: list[tuple[Any, ...]] = [(name,) for name in _ORDER_AMOUNTS]
    for index in range(len(data["lines"])):
        paths.extend(("lines", index, name) for name in _LINE_AMOUNTS)
    for index in range(len(data["tenders"])):
        paths.extend(("tenders", index, name) for name in _TENDER_AMOUNTS)
    return paths


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_every_register_order_passes_and_any_changed_amount_is_refused(
    register: Any, data: st.DataObject
) -> None:
    sale = data.draw(_sales(register[4]))
    payload = _sell(register, sale)
    assert _judge(payload) is None, payload  # no false refusal

    path = data.draw(st.sampled_from(_amount_paths(payload)))
    delta = data.draw(st.integers(-1_000, 1_000).filter(bool))
    mutated = copy.deepcopy(payload)
    holder: Any = mutated
    for part in path[:-1]:
        holder = holder[part]
    holder[path[-1]] += delta
    problem = _judge(mutated)
    assert problem is not None, (path, delta)


# --- over HTTP ----------------------------------------------------------------------------------


def _orders_of(admin_db: Engine, device: Device) -> int:
    with admin_db.connect() as conn:
        return int(
            conn.execute(
                text("SELECT count(*) FROM orders WHERE tenant_id = :t"), {"t": device.tenant.id}
            ).scalar_one()
        )


def _ledger(admin_db: Engine, device: Device) -> int:
    with admin_db.connect() as conn:
        return int(
            conn.execute(
                text("SELECT coalesce(sum(amount_minor), 0) FROM fee_ledger WHERE tenant_id = :t"),
                {"t": device.tenant.id},
            ).scalar_one()
        )


def _revenue_as_tax(data: dict[str, Any]) -> None:
    line = data["lines"][0]
    line["tax_minor"] += 500  # the same total, 5.00 less revenue
    data["tax_minor"] += 500
    if data["tax_mode"] == "exclusive":
        line["net_minor"] -= 500


def _gross_not_unit_times_quantity(data: dict[str, Any]) -> None:
    line = data["lines"][0]
    line["unit_price_minor"] = 1  # the fee base follows totals: the unit price says 0.01
    data["lines"][0] = line


def _tip_on_a_free_line(data: dict[str, Any]) -> None:
    line = data["lines"][0]
    for name in ("unit_price_minor", "gross_minor", "net_minor", "tax_minor", "total_minor"):
        line[name] = 0
    for name in ("subtotal_minor", "tax_minor", "total_minor"):
        data[name] = 0
    tender = data["tenders"][0]
    tender.update(amount_minor=0, tip_minor=2_500, tendered_minor=2_500)
    data["tip_minor"] = 2_500


_FIRST_GROSS = "data.lines[0].gross_minor"


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("tax_mode", "attack", "code", "field"),
    [
        ("inclusive", _revenue_as_tax, "money_mismatch", "data.lines[0].tax_minor"),
        ("exclusive", _revenue_as_tax, "money_mismatch", "data.lines[0].net_minor"),
        ("inclusive", _gross_not_unit_times_quantity, "money_mismatch", _FIRST_GROSS),
        ("inclusive", _tip_on_a_free_line, "money_mismatch", "data.tenders[0].tip_minor"),
    ],
)
def test_money_that_does_not_follow_the_rule_is_refused_naming_the_field(
    http: httpx.Client,
    device: Device,
    admin_db: Engine,
    tax_mode: str,
    attack: Any,
    code: str,
    field: str,
) -> None:
    order_id, data = build_order(
        lines=[("A", "Coffee", 2, 1_250, 200_000)], paid_at=PAID, tax_mode=tax_mode
    )
    attack(data)
    honest_id, honest = build_order(lines=[("B", "Tea", 1, 900, 200_000)], paid_at=PAID)
    response = push(
        http, device, [change(1, "order", order_id, data), change(2, "order", honest_id, honest)]
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["acknowledged_seq"], body["applied"]) == (2, 1)
    [refused] = body["refused"]
    assert (refused["seq"], refused["id"], refused["code"], refused["field"]) == (
        1, str(order_id), code, field,
    )  # fmt: skip
    assert _orders_of(admin_db, device) == 1
    revenue = sum(line["total_minor"] - line["tax_minor"] for line in honest["lines"])
    assert _ledger(admin_db, device) == revenue  # only the honest order is in the fee base
