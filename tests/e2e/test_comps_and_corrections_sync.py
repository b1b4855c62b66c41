"""A comp (an order with nothing to pay) and a corrected paid-in reach the real sync server on
PostgreSQL as they are on the register: the order with a zero total and no tender, the
correction as a reversing entry (a negative amount of the same kind)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from pos_app.domain.pricing import Discount, DiscountKind
from pos_app.domain.shifts import CashMovementKind
from pos_app.domain.staff import Permission, authorize
from pos_app.services import checkout, shifts
from pos_app.services.setup import seed_demo
from sync_server.config import Settings
from sync_server.tenants.schemas import Tenant
from tests.e2e.test_two_registers_sync import Till, make_till
from tests.support.register import open_shift, ring_up
from tests.support.sync_server_live import LiveServer
from tests.support.sync_server_tenants import create_tenant, pairing_code

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture
def shop_tenant(settings: Settings) -> Tenant:
    return create_tenant(settings, currency="USD", timezone="America/New_York")


@pytest.fixture
def till(
    tmp_path: Path, settings: Settings, shop_tenant: Tenant, live: LiveServer
) -> Iterator[Till]:
    register = make_till(tmp_path, "till")
    with register.db.write() as uow:
        seed_demo(uow)
    register.engine.pair(
        server_url=live.url, code=pairing_code(settings, shop_tenant), device_name="Till"
    )
    register.sync_until_clean()
    yield register
    register.db.dispose()


def test_a_comp_and_a_drawer_correction_reach_the_server_as_recorded(
    till: Till, admin_db: Engine, shop_tenant: Tenant
) -> None:
    shop = till.shop
    alex, morgan = till.staff("Alex"), till.staff("Morgan")
    shift_id = open_shift(till.db, shop, morgan)
    order = ring_up(till.db, shop, [("BAK-CRO", 1)])
    comp = authorize(alex, Permission.LARGE_DISCOUNT, morgan)
    checkout.apply_discount(
        order,
        shop=shop,
        discount=Discount(DiscountKind.PERCENT, 1_000_000, "staff meal"),
        actor=alex,
        approval=comp,
    )
    with till.db.write() as uow:
        placed = checkout.place_order(
            uow,
            order=order,
            tenders=[],
            shop=shop,
            staff=alex,
            shift_id=shift_id,
            no_charge=checkout.NoCharge(comp, "staff meal"),
        )
        shifts.cash_movement(
            uow,
            shop=shop,
            kind=CashMovementKind.PAID_IN,
            amount_minor=50_000,
            reason="change from the bank",
            authorization=authorize(morgan, Permission.PAID_IN_OUT),
        )
    with till.db.write() as uow:
        [paid_in] = shifts.cash_movements(uow, shop=shop)
        shifts.correct_cash_movement(
            uow,
            shop=shop,
            movement_id=paid_in.id,
            reason="typed 500 for 50",
            authorization=authorize(alex, Permission.PAID_IN_OUT, morgan),
        )
    till.sync_until_clean()

    with admin_db.connect() as conn:
        stored = conn.execute(
            text(
                "SELECT o.total_minor, o.status, "
                "(SELECT count(*) FROM tenders t WHERE t.tenant_id = o.tenant_id "
                "AND t.order_id = o.id) FROM orders o WHERE o.tenant_id = :t AND o.id = :o"
            ),
            {"t": shop_tenant.id, "o": placed.order_id},
        ).one()
        movements = conn.execute(
            text(
                "SELECT kind, amount_minor FROM cash_movements WHERE tenant_id = :t "
                "ORDER BY created_at"
            ),
            {"t": shop_tenant.id},
        ).all()
        audited = conn.execute(
            text("SELECT count(*) FROM audit_entries WHERE tenant_id = :t AND action = :a"),
            {"t": shop_tenant.id, "a": "drawer.correction"},
        ).scalar_one()
    assert tuple(stored) == (0, "paid", 0)
    assert [tuple(m) for m in movements] == [("paid_in", 50_000), ("paid_in", -50_000)]
    assert audited == 1
