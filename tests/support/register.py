"""Small helpers for register tests: ring up by SKU, sell, open a shift."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from pos_app.db.database import Database
from pos_app.domain.orders import Order
from pos_app.domain.shop import Shop
from pos_app.domain.staff import StaffMember
from pos_app.domain.tenders import TenderKind, TenderRequest
from pos_app.services import checkout, shifts
from pos_app.services.checkout import PlacedOrder


def ring_up(db: Database, shop: Shop, items: Sequence[tuple[str, int]]) -> Order:
    order = Order(currency=shop.currency, tax_mode=shop.tax_mode)
    with db.read() as uow:
        for sku, quantity in items:
            product = uow.catalog.by_sku(sku)
            assert product is not None, sku
            choices = {g.id: [g.modifiers[0].id] for g in product.modifier_groups if g.required}
            order.add_product(product, quantity, choices)
    return order


def open_shift(db: Database, shop: Shop, member: StaffMember, float_minor: int = 10_000) -> UUID:
    with db.write() as uow:
        return shifts.open_shift(uow, shop=shop, staff=member, float_minor=float_minor).id


def sell(
    db: Database,
    shop: Shop,
    member: StaffMember,
    items: Sequence[tuple[str, int]],
    *,
    kind: TenderKind = TenderKind.CASH,
    tendered_minor: int | None = None,
) -> PlacedOrder:
    order = ring_up(db, shop, items)
    total = order.totals().total_minor
    request = TenderRequest(kind, total if tendered_minor is None else tendered_minor)
    with db.write() as uow:
        shift = uow.shifts.current(shop.register_id)
        return checkout.place_order(
            uow,
            order=order,
            tenders=[request],
            shop=shop,
            staff=member,
            shift_id=shift.id if shift else None,
        )
