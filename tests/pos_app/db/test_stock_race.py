"""Two registers' threads race for the last unit: exactly one gets it."""

from __future__ import annotations

import threading

from pos_app.db.database import Database
from pos_app.domain.errors import NotEnoughStock, OutOfStock
from pos_app.domain.shop import Shop
from pos_app.domain.staff import StaffMember
from pos_app.domain.tenders import TenderKind
from tests.support.register import open_shift, sell

ROUNDS = 25


def buy(
    db: Database,
    shop: Shop,
    cashier: StaffMember,
    barrier: threading.Barrier,
    lock: threading.Lock,
    outcomes: list[str],
) -> None:
    barrier.wait()
    try:
        sell(db, shop, cashier, [("BAK-MUF", 1)], kind=TenderKind.CARD)
        result = "sold"
    except (NotEnoughStock, OutOfStock) as error:
        # Refused at checkout (the other thread's sale committed first) or, when the other
        # sale committed before this one rang the muffin up, already when adding it.
        result = f"refused: {error.available} left, {error.wanted} wanted"
    with lock:
        outcomes.append(result)


def test_exactly_one_thread_sells_the_last_unit(
    db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> None:
    open_shift(db, shop, staff["Sam"])
    for _ in range(ROUNDS):
        with db.write() as uow:
            product = uow.catalog.by_sku("BAK-MUF")
            assert product is not None
            uow.catalog.adjust_stock(product.id, 1 - product.stock_quantity)
        barrier = threading.Barrier(2)
        outcomes: list[str] = []
        lock = threading.Lock()
        threads = [
            threading.Thread(target=buy, args=(db, shop, staff["Alex"], barrier, lock, outcomes))
            for _ in range(2)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(outcomes) == ["refused: 0 left, 1 wanted", "sold"]
        with db.read() as uow:
            muffin = uow.catalog.by_sku("BAK-MUF")
        assert muffin is not None
        assert muffin.stock_quantity == 0
