"""A register process that sells as fast as it can until it is killed (crash-consistency test).

Usage: python -m tests.support.crash_worker DB_PATH SEED
Prints "ready" once imports and the database are open, then one line per committed order.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from pos_app.db.database import Database
from pos_app.domain.errors import NotEnoughStock, OutOfStock
from pos_app.domain.refunds import LineRefundRequest
from pos_app.domain.staff import Permission, authorize
from pos_app.domain.tenders import TenderKind, TenderRequest
from pos_app.services import checkout, refunds, shifts
from tests.support.register import ring_up

SKUS = ["COF-ESP", "COF-LAT", "BAK-CRO", "BAK-MUF", "DRK-WAT", "DRK-COL", "FOD-FRI"]


def main() -> int:
    db = Database(Path(sys.argv[1]))
    rnd = random.Random(int(sys.argv[2]))
    with db.read() as uow:
        shop = uow.settings.shop()
        members = {m.name: m for m in uow.staff.all()}
    assert shop is not None
    owner = members["Sam"]
    with db.write() as uow:
        if uow.shifts.current(shop.register_id) is None:
            shifts.open_shift(uow, shop=shop, staff=owner, float_minor=10_000)
    print("ready", flush=True)
    while True:
        items = [(rnd.choice(SKUS), rnd.randint(1, 3)) for _ in range(rnd.randint(1, 4))]
        try:
            order = ring_up(db, shop, items)
            total = order.totals().total_minor
            split = rnd.randint(0, total)
            tenders = [
                TenderRequest(TenderKind.CARD, split),
                TenderRequest(TenderKind.CASH, total - split + rnd.randint(0, 500)),
            ]
            with db.write() as uow:
                shift = uow.shifts.current(shop.register_id)
                placed = checkout.place_order(
                    uow,
                    order=order,
                    tenders=tenders,
                    shop=shop,
                    staff=owner,
                    shift_id=shift.id if shift else None,
                )
        except (NotEnoughStock, OutOfStock):
            with db.write() as uow:  # restock so the run keeps exercising stock writes
                for sku in SKUS:
                    product = uow.catalog.by_sku(sku)
                    if product is not None and product.track_stock:
                        uow.catalog.adjust_stock(product.id, 50)
                        uow.catalog.record_stock_movement(
                            product_id=product.id, quantity_delta=50, reason="adjust"
                        )
            continue
        print("order", placed.number, flush=True)
        if rnd.random() < 0.2:
            with db.write() as uow:
                shift = uow.shifts.current(shop.register_id)
                refunds.record_refund(
                    uow,
                    order_id=placed.order_id,
                    authorization=authorize(owner, Permission.REFUND),
                    reason="crash test",
                    lines=[LineRefundRequest(order.lines[0].id, 1)],
                    to_cash_drawer=True,
                    shift_id=shift.id if shift else None,
                )


if __name__ == "__main__":
    raise SystemExit(main())
