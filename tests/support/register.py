"""Small helpers for register tests: ring up by SKU, sell, open a shift — through the
application API (`pos_app.application`), as the counter does."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from pos_app.application.register import Register
from pos_app.application.sales import PlacedOrder
from pos_app.db.database import Database
from pos_app.domain.orders import Order
from pos_app.domain.shop import Shop
from pos_app.domain.staff import StaffMember
from pos_app.domain.tenders import TenderKind, TenderRequest


def ring_up(db: Database, shop: Shop, items: Sequence[tuple[str, int]]) -> Order:
    return Register(db, shop).sales.ring_up(items)


def open_shift(db: Database, shop: Shop, member: StaffMember, float_minor: int = 10_000) -> UUID:
    return Register(db, shop).shifts.open(member, float_minor=float_minor).id


def sell(
    db: Database,
    shop: Shop,
    member: StaffMember,
    items: Sequence[tuple[str, int]],
    *,
    kind: TenderKind = TenderKind.CASH,
    tendered_minor: int | None = None,
) -> PlacedOrder:
    sales = Register(db, shop).sales
    order = sales.ring_up(items)
    total = order.totals().total_minor
    request = TenderRequest(kind, total if tendered_minor is None else tendered_minor)
    return sales.place(order, [request], member)
