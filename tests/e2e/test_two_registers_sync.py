"""Two registers, the real sync server and real PostgreSQL, with a misbehaving network between
them: every sale reaches the platform exactly once, and the shop's stock is shared."""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from pos_app.application.sync import SyncEngine, SyncLoop
from pos_app.db.database import Database
from pos_app.domain.errors import NotEnoughStock
from pos_app.domain.orders import OrderStatus
from pos_app.domain.shop import Shop
from pos_app.domain.staff import Permission, StaffMember, authorize
from pos_app.domain.tenders import TenderKind, TenderRequest
from pos_app.integrations.secrets import DEVICE_TOKEN, SecretStore
from pos_app.integrations.sync_client import SyncClient, SyncError
from pos_app.services import checkout, refunds
from pos_app.services.setup import seed_demo
from sync_server.config import Settings
from sync_server.db import tenant_transaction
from sync_server.reconciliation import service as reconciliation
from sync_server.reconciliation.schemas import GatewayRefund
from sync_server.tenants.schemas import Tenant
from tests.support.chaos_proxy import ChaosPolicy, ChaosProxy
from tests.support.memory_keyring import MemoryKeyring
from tests.support.register import open_shift, ring_up, sell
from tests.support.sync_server_live import LiveServer
from tests.support.sync_server_tenants import create_tenant, pairing_code

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def client_factory(base_url: str, token: str | None) -> SyncClient:
    # Short timeouts: the proxy black-holes some connections.
    return SyncClient(base_url, token, read_timeout_s=2.0, connect_timeout_s=1.0)


@dataclass
class Till:
    name: str
    db: Database
    engine: SyncEngine
    secrets: SecretStore

    @property
    def shop(self) -> Shop:
        with self.db.read() as uow:
            shop = uow.settings.shop()
        assert shop is not None
        return shop

    def staff(self, name: str) -> StaffMember:
        with self.db.read() as uow:
            return next(m for m in uow.staff.all() if m.name == name)

    def paid_order_ids(self) -> set[str]:
        with self.db.read() as uow:
            return {str(s.id) for s in uow.orders.page(limit=100_000) if s.status.value != "open"}

    def stock(self, sku: str) -> int:
        with self.db.read() as uow:
            product = uow.catalog.by_sku(sku)
        assert product is not None
        return product.stock_quantity

    def sync_until_clean(self, attempts: int = 30) -> None:
        for _ in range(attempts):
            try:
                self.engine.sync_once()
            except (SyncError, OSError):
                time.sleep(0.1)
                continue
            if self.engine.status().pending == 0:
                return
        raise AssertionError(f"{self.name} could not finish syncing: {self.engine.status()}")

    def holdings(self) -> tuple[set[str], set[str]]:
        """The skus and staff names this register knows."""
        with self.db.read() as uow:
            return {p.sku for p in uow.catalog.products()}, {m.name for m in uow.staff.all()}

    def sync_until_it_has(self, skus: set[str], names: set[str], rounds: int = 30) -> None:
        # A pull returns only what committed before the oldest transaction still running in the
        # server's database, so a new register can end a round with nothing left to push and
        # the shop not yet in hand: it gets the rest at a later round, as at the counter.
        for _ in range(rounds):
            self.sync_until_clean()
            have_skus, have_names = self.holdings()
            if skus <= have_skus and names <= have_names:
                return
            time.sleep(0.1)
        raise AssertionError(f"{self.name} never got the shop: {self.holdings()}")


def make_till(tmp_path: Path, name: str) -> Till:
    db = Database(tmp_path / name / "register.sqlite3")
    secrets = SecretStore(service=f"counter-pos-test-{name}", backend=MemoryKeyring())
    return Till(name, db, SyncEngine(db, secrets=secrets, client_factory=client_factory), secrets)


@pytest.fixture
def shop_tenant(settings: Settings) -> Tenant:
    return create_tenant(settings, currency="USD", timezone="America/New_York")


@pytest.fixture
def proxy(live: LiveServer) -> Iterator[ChaosProxy]:
    port = int(live.url.rsplit(":", 1)[1])
    chaos = ChaosProxy(port).start()
    yield chaos
    chaos.stop()


@pytest.fixture
def tills(
    tmp_path: Path, settings: Settings, shop_tenant: Tenant, proxy: ChaosProxy
) -> Iterator[tuple[Till, Till]]:
    first = make_till(tmp_path, "till-1")
    with first.db.write() as uow:
        seed_demo(uow)
    first.engine.pair(
        server_url=proxy.url, code=pairing_code(settings, shop_tenant), device_name="Till 1"
    )
    first.sync_until_clean()
    second = make_till(tmp_path, "till-2")  # a brand-new register: no shop, no catalog
    result = second.engine.pair(
        server_url=proxy.url, code=pairing_code(settings, shop_tenant), device_name="Till 2"
    )
    assert result.shop_created
    second.sync_until_it_has(*first.holdings())
    yield first, second
    first.db.dispose()
    second.db.dispose()


def server_orders(admin_db: Engine, tenant: Tenant) -> dict[str, int]:
    with admin_db.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT o.id::text, count(l.id) FROM orders o JOIN order_lines l "
                "ON l.tenant_id = o.tenant_id AND l.order_id = o.id WHERE o.tenant_id = :t "
                "GROUP BY o.id"
            ),
            {"t": tenant.id},
        )
        return {order_id: int(lines) for order_id, lines in rows}


def test_a_new_register_gets_the_shop_catalog_and_staff(tills: tuple[Till, Till]) -> None:
    first, second = tills
    assert second.shop.currency == "USD"
    assert second.shop.register_id != first.shop.register_id
    skus, names = first.holdings()
    second_skus, second_names = second.holdings()
    assert second_skus == skus
    assert second_names >= names
    with second.db.read() as uow:
        latte = uow.catalog.by_sku("COF-LAT")
    assert latte is not None
    assert [g.name for g in latte.modifier_groups] == ["Size", "Milk"]
    # Morgan's PIN set on the first register works on the second.
    from pos_app.services.auth import check_pin

    with second.db.write() as uow:
        assert check_pin(uow, staff_id=second.staff("Morgan").id, pin="2222").member is not None


def test_selling_on_both_through_a_bad_network_reaches_the_server_exactly_once(
    tills: tuple[Till, Till],
    proxy: ChaosProxy,
    admin_db: Engine,
    shop_tenant: Tenant,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    first, second = tills
    for till in tills:
        open_shift(till.db, till.shop, till.staff("Sam"))
    start_stock = first.stock("DRK-WAT")
    proxy.policy = ChaosPolicy(
        refuse=0.2, delay=0.15, reset_after_request=0.2, blackhole=0.05, delay_s=0.3, seed=7
    )
    loops = [
        SyncLoop(till.engine, interval_s=0.05, min_backoff_s=0.05, max_backoff_s=0.3).start()
        for till in tills
    ]
    rnd = random.Random(3)
    sold = 0

    def sell_on(till: Till, count: int) -> int:
        done = 0
        for _ in range(count):
            items = [("DRK-WAT", 1), (rnd.choice(["COF-ESP", "FOD-FRI", "BAK-COO"]), 1)]
            try:
                sell(
                    till.db,
                    till.shop,
                    till.staff("Alex"),
                    items,
                    kind=TenderKind.CASH if rnd.random() < 0.5 else TenderKind.CARD,
                )
            except NotEnoughStock:
                continue
            done += 1
            time.sleep(0.03)  # a busy counter, not a benchmark: sync rounds interleave with sales
        return done

    results: list[int] = []
    workers = [
        threading.Thread(target=lambda t=till: results.append(sell_on(t, 40))) for till in tills
    ]
    for worker in workers:
        worker.start()
    time.sleep(0.5)
    proxy.offline = True  # the network is cut for a while: both keep selling
    time.sleep(0.7)
    proxy.offline = False
    for worker in workers:
        worker.join()
    sold = sum(results)
    for loop in loops:
        loop.stop()
    proxy.heal()
    for till in tills:
        till.sync_until_clean()
    for till in tills:  # one more round each: pull what the other pushed last
        till.sync_until_clean()

    local = first.paid_order_ids() | second.paid_order_ids()
    assert not first.paid_order_ids() & second.paid_order_ids()
    on_server = server_orders(admin_db, shop_tenant)
    assert set(on_server) == local, "the server must hold exactly the union of both registers"
    assert all(lines == 2 for lines in on_server.values())
    assert proxy.fates.get("reset_after_request", 0) > 0, (
        "the chaos never hit: the test proves little"
    )
    # Shop-wide stock: each register took the other's sales off its shelf.
    assert first.stock("DRK-WAT") == second.stock("DRK-WAT") == start_stock - sold
    # The device token never lands in SQLite (file or WAL) or in any log line.
    for till in tills:
        token = till.secrets.get(DEVICE_TOKEN)
        assert token
        for path in till.db.path.parent.iterdir():
            assert token.encode() not in path.read_bytes(), path
        assert token not in caplog.text


def test_an_oversell_while_offline_is_recorded_and_shown(
    tills: tuple[Till, Till], proxy: ChaosProxy
) -> None:
    first, second = tills
    for till in tills:
        open_shift(till.db, till.shop, till.staff("Sam"))
    left = first.stock("BAK-BAG")
    proxy.offline = True
    for till in tills:  # both sell the whole shelf while they cannot see each other
        sell(till.db, till.shop, till.staff("Alex"), [("BAK-BAG", left)])
    proxy.offline = False
    for till in (first, second, first, second):
        till.sync_until_clean()
    assert first.stock("BAK-BAG") == second.stock("BAK-BAG") == -left
    for till in tills:
        status = till.engine.status()
        assert any("Bagel" in item for item in status.negative_stock)
    with second.db.read() as uow:
        flagged = uow.audit.entries(action="stock.oversold")
    assert flagged
    assert flagged[0].details["sku"] == "BAK-BAG"


def test_sync_status_reports_offline_and_the_cli_contract(
    tills: tuple[Till, Till], proxy: ChaosProxy
) -> None:
    first, _second = tills
    open_shift(first.db, first.shop, first.staff("Sam"))
    sell(first.db, first.shop, first.staff("Alex"), [("COF-ESP", 1)])
    proxy.offline = True
    with pytest.raises(SyncError):
        first.engine.sync_once()
    status = first.engine.status()
    assert status.pending > 0
    assert status.offline_since is not None
    assert status.summary().startswith("offline since")
    proxy.offline = False
    first.sync_until_clean()
    assert first.engine.status().summary() == "synced"


def test_a_card_refund_the_bank_fails_later_reaches_the_register_that_made_it(
    tills: tuple[Till, Till], settings: Settings, shop_tenant: Tenant, app_db: Engine
) -> None:
    # Till 1 refunds three colas: 2.00 from the drawer, the rest to the card, which Stripe says
    # went through. Days later the bank fails the card part: Stripe's webhook reaches the
    # server (`record_stripe_refund`, as the webhook job calls it), and Till 1's next sync
    # brings it back: the card part is owed again; Till 2 has nothing to do with it.
    first, second = tills
    shop, alex, morgan = first.shop, first.staff("Alex"), first.staff("Morgan")
    shift_id = open_shift(first.db, shop, first.staff("Sam"))
    order = ring_up(first.db, shop, [("DRK-COL", 3)])
    total = order.totals().total_minor
    with first.db.write() as uow:
        placed = checkout.place_order(
            uow,
            order=order,
            tenders=[
                TenderRequest(TenderKind.CARD, total - 200),
                TenderRequest(TenderKind.CASH, 200),
            ],
            shop=shop,
            staff=alex,
            shift_id=shift_id,
        )
    with first.db.write() as uow:
        recorded = refunds.record_refund(
            uow,
            order_id=placed.order_id,
            authorization=authorize(alex, Permission.REFUND, morgan),
            reason="flat",
            amount_minor=total,
            shift_id=shift_id,
        )
    [card_allocation] = recorded.card_allocation_ids
    with first.db.write() as uow:
        refunds.settle_card_allocation(
            uow, allocation_id=card_allocation, succeeded=True, gateway_refund_id="re_fails_later"
        )
    first.sync_until_clean()

    now = datetime.now(UTC)
    with tenant_transaction(app_db, shop_tenant.id) as conn:
        reconciliation.record_stripe_refund(
            conn,
            tenant=shop_tenant,
            refund=GatewayRefund(
                id="re_fails_later",
                payment_intent_id=None,
                charge_id=None,
                amount_minor=total - 200,
                currency="USD",
                status="failed",
                reason=None,
                register_refund_id=recorded.refund_id,
                metadata={},
                created_at=now,
                updated_at=now,
            ),
            now=now,
        )
    first.sync_until_clean()
    second.sync_until_clean()

    with first.db.read() as uow:
        stored = uow.orders.get(placed.order_id)
        refund = uow.refunds.get(recorded.refund_id)
    assert stored is not None
    assert refund is not None
    assert refund.status == "failed"
    assert (stored.status, stored.refunded_minor) == (OrderStatus.PARTIALLY_REFUNDED, 200)
    with second.db.read() as uow:
        assert uow.refunds.get(recorded.refund_id) is None
    with app_db.connect() as conn:
        status = conn.execute(
            text("SELECT status FROM refunds WHERE id = :r"), {"r": recorded.refund_id}
        ).scalar_one_or_none()
    assert status is None  # the application role sees nothing outside a tenant transaction
    with tenant_transaction(app_db, shop_tenant.id) as conn:
        assert (
            conn.execute(
                text("SELECT status FROM refunds WHERE id = :r"), {"r": recorded.refund_id}
            ).scalar_one()
            == "failed"
        )
