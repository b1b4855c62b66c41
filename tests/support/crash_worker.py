"""A register process that sells as fast as it can until it is killed (crash-consistency test).

Usage: python -m tests.support.crash_worker DB_PATH SEED
Prints "ready" once imports and the database are open, then one line per committed order.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from pos_app.application.register import Register
from pos_app.config import AppConfig
from pos_app.domain.errors import NotEnoughStock, OutOfStock
from pos_app.domain.refunds import LineRefundRequest
from pos_app.domain.staff import Permission, authorize
from pos_app.domain.tenders import TenderKind, TenderRequest

SKUS = ["COF-ESP", "COF-LAT", "BAK-CRO", "BAK-MUF", "DRK-WAT", "DRK-COL", "FOD-FRI"]


def main() -> int:
    path = Path(sys.argv[1])
    config = AppConfig(data_dir=path.parent)
    assert config.db_path == path, "the database must be DATA_DIR/register.sqlite3"
    register = Register.open(config)
    rnd = random.Random(int(sys.argv[2]))
    owner = register.access.staff_by_name("Sam")
    register.shifts.ensure_open(owner, float_minor=10_000)
    print("ready", flush=True)
    while True:
        items = [(rnd.choice(SKUS), rnd.randint(1, 3)) for _ in range(rnd.randint(1, 4))]
        try:
            order = register.sales.ring_up(items)
            total = order.totals().total_minor
            split = rnd.randint(0, total)
            tenders = [
                TenderRequest(TenderKind.CARD, split),
                TenderRequest(TenderKind.CASH, total - split + rnd.randint(0, 500)),
            ]
            placed = register.sales.place(order, tenders, owner)
        except (NotEnoughStock, OutOfStock):
            # Restock so the run keeps exercising stock writes: the owner counts the shelves.
            for sku in SKUS:
                product = register.catalog.product_by_code(sku)
                if product is not None and product.track_stock:
                    register.catalog.count_stock(
                        product.id,
                        counted=product.stock_quantity + 50,
                        authorization=authorize(owner, Permission.MANAGE_CATALOG),
                    )
            continue
        print("order", placed.number, flush=True)
        if rnd.random() < 0.2:
            shift = register.shifts.current()
            register.refunds.record(
                placed.order_id,
                authorization=authorize(owner, Permission.REFUND),
                reason="crash test",
                lines=[LineRefundRequest(order.lines[0].id, 1)],
                to_cash_drawer=True,
                shift_id=shift.id if shift else None,
            )


if __name__ == "__main__":
    raise SystemExit(main())
