"""A register's data belongs to its install and its shop: re-pairing counts nothing twice, and a
register holding one shop's data does not pair into another (unless its owner wipes it).

Real registers (SQLite files, the real sync engine), the live server on PostgreSQL."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, select, text

from pos_app.application.sync import SyncEngine, WrongShop
from pos_app.db.database import Database
from pos_app.db.models import RemoteStockMovementRow, StockMovementRow
from pos_app.domain.tenders import TenderKind
from pos_app.integrations.secrets import DEVICE_TOKEN, SecretStore
from pos_app.services.setup import seed_demo
from sync_server.config import Settings
from sync_server.devices import service as devices
from sync_server.tenants.schemas import Tenant
from tests.support.memory_keyring import MemoryKeyring
from tests.support.register import open_shift, sell
from tests.support.sync_server_live import LiveServer
from tests.support.sync_server_tenants import create_tenant, pairing_code

pytestmark = [pytest.mark.postgres]
ROOT = Path(__file__).resolve().parents[2]


class Till:
    def __init__(self, path: Path, name: str, live: LiveServer) -> None:
        self.path = path
        self.name = name
        self.live = live
        self.db = Database(path / "register.sqlite3")
        self.secrets = SecretStore(
            service=f"counter-pos-test-{uuid.uuid4()}", backend=MemoryKeyring()
        )
        self.engine = SyncEngine(self.db, secrets=self.secrets)

    def pair(self, code: str) -> str:
        result = self.engine.pair(server_url=self.live.url, code=code, device_name=self.name)
        self.sync()
        return result.device_id

    def sync(self) -> None:
        for _ in range(5):
            self.engine.sync_once()
            if self.engine.status().pending == 0:
                return
        raise AssertionError(f"{self.name} did not finish syncing")

    def sync_until(self, done: Callable[[], bool], seconds: float = 30.0) -> None:
        """Sync until `done`: the pull sees a change only once every transaction older than it
        has ended, in the whole PostgreSQL cluster, so a busy cluster delays it a little."""
        deadline = time.monotonic() + seconds
        while True:
            self.sync()
            if done():
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.name}: still not there after {seconds:.0f} s")
            time.sleep(0.2)

    def has(self, sku: str) -> bool:
        with self.db.read() as uow:
            return uow.catalog.by_sku(sku) is not None

    def movements_pulled_from(self, device_id: str) -> int:
        with self.db.read() as uow:
            rows = uow.session.execute(
                select(RemoteStockMovementRow.id).where(
                    RemoteStockMovementRow.device_id == uuid.UUID(device_id)
                )
            )
            return len(rows.all())

    def stock(self, sku: str) -> int:
        with self.db.read() as uow:
            product = uow.catalog.by_sku(sku)
        assert product is not None
        return product.stock_quantity

    def skus(self) -> set[str]:
        with self.db.read() as uow:
            return {p.sku for p in uow.catalog.products()}

    def sell(self, sku: str, quantity: int) -> None:
        with self.db.read() as uow:
            shop = uow.settings.shop()
            alex = next(m for m in uow.staff.all() if m.name == "Alex")
        assert shop is not None
        open_shift(self.db, shop, alex)
        sell(self.db, shop, alex, [(sku, quantity)], kind=TenderKind.CASH)


@pytest.fixture
def make_till(tmp_path: Path, live: LiveServer) -> Iterator[Callable[[str], Till]]:
    made: list[Till] = []

    def make(name: str) -> Till:
        till = Till(tmp_path / name, name, live)
        made.append(till)
        return till

    yield make
    for till in made:
        till.db.dispose()


def _server_stock(admin_db: Engine, tenant: Tenant, sku: str) -> int:
    with admin_db.connect() as conn:
        return int(
            conn.execute(
                text(
                    "SELECT coalesce(sum(m.quantity_delta), 0) FROM stock_movements m "
                    "JOIN products p ON p.tenant_id = m.tenant_id AND p.id = m.product_id "
                    "WHERE m.tenant_id = :t AND p.sku = :s"
                ),
                {"t": tenant.id, "s": sku},
            ).scalar_one()
        )


def _revoke(admin_db: Engine, device_id: str) -> None:
    with admin_db.begin() as conn:
        assert devices.revoke(conn, uuid.UUID(device_id))


def test_re_pairing_a_register_counts_none_of_its_stock_movements_twice(
    settings: Settings, live: LiveServer, admin_db: Engine, make_till: Callable[[str], Till]
) -> None:
    shop = create_tenant(settings, currency="USD", timezone="America/New_York")
    first: Till = make_till("till-1")
    with first.db.write() as uow:
        seed_demo(uow)
    old_device = first.pair(pairing_code(settings, shop))
    second: Till = make_till("till-2")
    second_device = second.pair(pairing_code(settings, shop))
    first.sell("BAK-MUF", 2)
    first.sync()
    second.sync_until(
        lambda: second.has("BAK-MUF") and second.stock("BAK-MUF") == first.stock("BAK-MUF")
    )
    counted = first.stock("BAK-MUF")
    on_server = _server_stock(admin_db, shop, "BAK-MUF")

    _revoke(admin_db, old_device)
    new_device = first.pair(pairing_code(settings, shop))  # the same data dir, a new device
    assert new_device != old_device
    # Another register sells one more; once the first has that movement, it has pulled every
    # older one too (the pull is in commit order), its own old ones included on main.
    second.sell("BAK-MUF", 1)
    second.sync()
    first.sync_until(lambda: first.movements_pulled_from(second_device) == 1)
    first.sync()

    assert first.stock("BAK-MUF") == counted - 1
    assert second.stock("BAK-MUF") == counted - 1
    assert _server_stock(admin_db, shop, "BAK-MUF") == on_server - 1
    with admin_db.connect() as conn:
        installs = conn.execute(
            text("SELECT id::text, install_id FROM devices WHERE id IN (:a, :b)"),
            {"a": old_device, "b": new_device},
        ).all()
    # The new device was paired knowing its install: the server itself leaves its movements out.
    assert {row.id: row.install_id for row in installs}[new_device] is not None
    token = first.secrets.get(DEVICE_TOKEN)
    pulled = httpx.get(
        f"{live.url}/v1/sync/pull",
        params={"cursor": "", "limit": 1000},
        headers={"Authorization": f"Bearer {token}"},
    ).json()
    with first.db.read() as uow:
        own = set(uow.session.execute(select(StockMovementRow.id)).scalars())
    assert own  # the muffins it sold
    pulled_movements = {
        uuid.UUID(change["id"])
        for change in pulled["changes"]
        if change["entity"] == "stock_movement"
    }
    assert not pulled_movements & own


def _pairing_code_used(admin_db: Engine, tenant: Tenant) -> list[bool]:
    with admin_db.connect() as conn:
        return [
            row.used_at is not None
            for row in conn.execute(
                text("SELECT used_at FROM pairing_codes WHERE tenant_id = :t"), {"t": tenant.id}
            )
        ]


def _devices_of(admin_db: Engine, tenant: Tenant) -> int:
    with admin_db.connect() as conn:
        return int(
            conn.execute(
                text("SELECT count(*) FROM devices WHERE tenant_id = :t"), {"t": tenant.id}
            ).scalar_one()
        )


def test_a_register_holding_one_shops_data_is_refused_by_another_and_the_code_stays_good(
    settings: Settings, admin_db: Engine, make_till: Callable[[str], Till]
) -> None:
    shop_a = create_tenant(settings, currency="USD", timezone="America/New_York")
    shop_b = create_tenant(settings, currency="USD", timezone="America/New_York")
    till_a: Till = make_till("till-a")
    with till_a.db.write() as uow:
        seed_demo(uow)
    till_a.pair(pairing_code(settings, shop_a))

    # A copy of its data dir, unpaired even, is still shop A's register.
    till_a.db.dispose()
    shutil.copytree(till_a.path, till_a.path.parent / "copy")
    copy: Till = make_till("copy")
    copy.engine.unpair()
    code_b = pairing_code(settings, shop_b)
    with pytest.raises(WrongShop, match="another shop's data"):
        copy.engine.pair(server_url=copy.live.url, code=code_b, device_name="Till B")
    assert _pairing_code_used(admin_db, shop_b) == [False]
    assert _devices_of(admin_db, shop_b) == 0

    fresh: Till = make_till("fresh")  # the right register can still use the code
    fresh.pair(code_b)
    assert _devices_of(admin_db, shop_b) == 1
    assert "BAK-MUF" not in fresh.skus()


def test_a_register_in_another_currency_is_refused_before_the_code_is_used(
    settings: Settings, admin_db: Engine, make_till: Callable[[str], Till]
) -> None:
    euro_shop = create_tenant(settings, currency="EUR", timezone="Europe/Paris")
    dollars: Till = make_till("dollars")  # set up locally (USD), never paired
    with dollars.db.write() as uow:
        seed_demo(uow)
    with pytest.raises(WrongShop, match="sells in USD"):
        dollars.engine.pair(
            server_url=dollars.live.url, code=pairing_code(settings, euro_shop), device_name="T"
        )
    assert _pairing_code_used(admin_db, euro_shop) == [False]
    assert _devices_of(admin_db, euro_shop) == 0
    assert dollars.engine.status().paired is False


def test_pos_app_pair_wipe_local_data_sets_the_register_up_for_the_new_shop(
    settings: Settings, live: LiveServer, admin_db: Engine, tmp_path: Path
) -> None:
    shop_a = create_tenant(settings, currency="USD", timezone="America/New_York")
    shop_b = create_tenant(settings, currency="EUR", timezone="Europe/Paris")
    data_dir = tmp_path / "data"
    env = {
        **os.environ,
        "POS_DATA_DIR": str(data_dir),
        "PYTHON_KEYRING_BACKEND": "tests.support.file_keyring_for_cli.TestFileKeyring",
        "POS_TEST_KEYRING_FILE": str(tmp_path / "cli-keyring.json"),
        "PYTHONPATH": str(ROOT),
    }

    def pos_app(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pos_app", *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            timeout=120,
        )

    db = Database(data_dir / "register.sqlite3")
    with db.write() as uow:
        seed_demo(uow)
    db.dispose()
    code_a = pairing_code(settings, shop_a)
    assert pos_app("pair", "--server", live.url, "--code", code_a, "--name", "Till").returncode == 0
    assert (
        pos_app("sale", "--item", "BAK-MUF", "--pay", "cash", "--tendered", "5.00").returncode == 0
    )

    code_b = pairing_code(settings, shop_b)
    refused = pos_app("pair", "--server", live.url, "--code", code_b, "--name", "Till")
    assert refused.returncode == 1
    assert "--wipe-local-data" in refused.stderr
    assert _pairing_code_used(admin_db, shop_b) == [False]

    wiped = pos_app(
        "pair", "--server", live.url, "--code", code_b, "--name", "Till", "--wipe-local-data",
        "--owner-name", "Pat", "--owner-pin", "4321",
    )  # fmt: skip
    assert wiped.returncode == 0, wiped.stderr
    assert "kept in" in wiped.stdout
    kept = [
        p
        for p in data_dir.iterdir()
        if ".set-aside-" in p.name and not p.name.endswith(("-wal", "-shm"))
    ]
    assert len(kept) == 1
    with sqlite3.connect(kept[0]) as old:  # shop A's sale is still there, aside
        assert old.execute("SELECT count(*) FROM orders").fetchone()[0] == 1
    fresh = Database(data_dir / "register.sqlite3")
    try:
        with fresh.read() as uow:
            shop = uow.settings.shop()
            assert shop is not None
            assert shop.currency == "EUR"
            assert not list(uow.catalog.products())
            assert uow.orders.page(limit=10) == []
    finally:
        fresh.dispose()
    assert _devices_of(admin_db, shop_b) == 1
