"""One simulated register of the soak: its own process, data directory and SQLite database,
selling through the real services and syncing through the real engine and loop.

The runner (`tests.soak.load`) talks to it over a pipe: the register pairs and catches up,
says "ready", sells when told "go" until its quota or the deadline, says "sold", then drains its
outbox when told (the network healed) and reports "done" with its figures. Nothing it sends
back is written to disk by the runner except figures: the device token travels only over the
pipe (the runner needs it to scan the soak's files for it).
"""

from __future__ import annotations

import logging
import os
import random
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from uuid import UUID

from pos_app.application.register import Register
from pos_app.application.sales import PlacedOrder
from pos_app.application.sync import ClientFactory, SyncEngine, SyncLoop, SyncReport
from pos_app.config import AppConfig
from pos_app.db.database import Database
from pos_app.domain.errors import NotEnoughStock
from pos_app.domain.orders import Order
from pos_app.domain.refunds import LineRefundRequest
from pos_app.domain.shop import Shop
from pos_app.domain.staff import Permission, StaffMember, authorize
from pos_app.domain.tenders import TenderKind, TenderRequest
from pos_app.integrations.secrets import DEVICE_TOKEN, SecretStore
from pos_app.integrations.sync_client import PullResult, PushResult, SyncClient, SyncError
from tests.support.memory_keyring import MemoryKeyring

# The demo café: most of the menu is not stock-tracked; a share of orders takes a tracked item,
# so stock movements flow between a shop's registers too.
UNTRACKED = ["COF-ESP", "COF-LAT", "COF-CAP", "COF-AME", "FOD-BUR", "FOD-FRI", "FOD-SAL", "DRK-TEA"]
TRACKED = ["BAK-CRO", "BAK-MUF", "BAK-COO", "DRK-WAT", "DRK-COL", "DRK-OJ"]
MENU = UNTRACKED + TRACKED
TRACKED_SHARE = 0.1
VOID_SHARE = 0.03
REFUND_SHARE = 0.05
CARD_SHARE = 0.3
SPLIT_SHARE = 0.1
RESTOCK_TO = 500
THINK_S = 0.005
"""Mean pause between two customers at one register."""


@dataclass(frozen=True)
class RegisterSpec:
    index: int
    shop: int
    data_dir: Path
    server_url: str
    pairing_code: str
    seeds_catalog: bool
    """The first register of a shop brings the demo catalog; the others pull it."""
    seed: int
    sync_interval_s: float = 30.0
    """The app's defaults; the loop is woken after every sale, as in the app."""
    min_backoff_s: float = 2.0
    read_timeout_s: float = 15.0
    connect_timeout_s: float = 5.0
    nice: int = 5
    """Fifty registers share two cores with the one server: they yield to it (in a shop they
    are separate machines)."""


@dataclass
class Recorder:
    """What the register saw of the network: push times, failures by kind."""

    push_ms: list[float] = field(default_factory=list)
    pushed_changes: int = 0
    replayed_changes: int = 0
    """Changes the server already held (a resend after a lost answer, or a duplicate)."""
    pulls: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    unexpected: list[str] = field(default_factory=list)
    causes: Counter[str] = field(default_factory=Counter)
    rounds: int = 0

    def failed(self, error: SyncError) -> None:
        self.errors[error.kind.value] += 1
        self.causes[f"{error.kind.value}: {error.__cause__!r}"[:200]] += 1

    def client_factory(self, spec: RegisterSpec) -> ClientFactory:
        def make(base_url: str, token: str | None) -> SyncClient:
            return TimedSyncClient(
                base_url,
                token,
                recorder=self,
                read_timeout_s=spec.read_timeout_s,
                connect_timeout_s=spec.connect_timeout_s,
            )

        return make


class TimedSyncClient(SyncClient):
    """The real client, timing each push and counting each failure."""

    def __init__(self, base_url: str, token: str | None, *, recorder: Recorder,
                 read_timeout_s: float, connect_timeout_s: float) -> None:  # fmt: skip
        super().__init__(
            base_url, token, read_timeout_s=read_timeout_s, connect_timeout_s=connect_timeout_s
        )
        self.recorder = recorder

    def push(self, device_id: str, batch: list[dict[str, Any]]) -> PushResult:
        started = time.perf_counter()
        try:
            result = super().push(device_id, batch)
        except SyncError as error:
            self.recorder.failed(error)
            raise
        self.recorder.push_ms.append((time.perf_counter() - started) * 1000)
        self.recorder.pushed_changes += len(batch)
        self.recorder.replayed_changes += result.replayed
        return result

    def pull(self, cursor: str, limit: int = 500) -> PullResult:
        try:
            result = super().pull(cursor, limit)
        except SyncError as error:
            self.recorder.failed(error)
            raise
        self.recorder.pulls += 1
        return result


class RecordingEngine(SyncEngine):
    """The real engine; a round that fails with anything but a SyncError is a bug to report."""

    recorder: Recorder

    def sync_once(self) -> SyncReport:
        self.recorder.rounds += 1
        try:
            return super().sync_once()
        except SyncError:
            raise
        except Exception as error:
            self.recorder.unexpected.append(f"{type(error).__name__}: {error}"[:500])
            raise


@dataclass
class Sales:
    orders: int = 0
    voids: int = 0
    refunds: int = 0
    restocks: int = 0
    card: int = 0
    selling_s: float = 0.0


class SoakRegister:
    def __init__(self, spec: RegisterSpec) -> None:
        self.spec = spec
        self.rnd = random.Random(spec.seed)
        if spec.seeds_catalog:  # the demo shop, its staff and menu, pushed to the others
            Register.open(AppConfig(data_dir=spec.data_dir), demo=True).close()
        self.db = Database(spec.data_dir / "register.sqlite3")
        self.secrets = SecretStore(
            service=f"counter-pos-soak-{spec.index}", backend=MemoryKeyring()
        )
        self.recorder = Recorder()
        self.engine = RecordingEngine(
            self.db, secrets=self.secrets, client_factory=self.recorder.client_factory(spec)
        )
        self.engine.recorder = self.recorder
        self.sales = Sales()
        self._refundable: list[tuple[UUID, UUID]] = []

    # --- set-up ----------------------------------------------------------------------------

    def pair(self) -> str:
        self.engine.pair(
            server_url=self.spec.server_url,
            code=self.spec.pairing_code,
            device_name=f"Soak register {self.spec.index}",
        )
        self.sync_until_clean(deadline_s=120)
        # A pull shows only what committed before the oldest transaction still running in the
        # server's database (sync_server.sync.repository.changes_after): while the other
        # registers push, the shop's staff and menu can take a few rounds to arrive.
        deadline = time.monotonic() + 120
        while True:
            register = Register.of(self.db)
            if register is not None:
                self.staff = {m.name: m for m in register.access.staff()}
                # The counter keeps the menu in memory (the app reloads it after a sync round).
                _categories, products = register.sales.menu()
                self.menu = {p.sku: p for p in products if p.sku in MENU}
                if {"Sam", "Alex"} <= self.staff.keys() and len(self.menu) == len(MENU):
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("the shop's staff and menu did not arrive in 120 s")
            time.sleep(0.2)
            self.sync_until_clean(deadline_s=120)
        self.register = register
        self.shop: Shop = register.shop
        self.owner: StaffMember = self.staff["Sam"]
        self.shift_id = register.shifts.open(self.owner, float_minor=10_000).id
        token = self.secrets.get(DEVICE_TOKEN)
        assert token
        return token

    def sync_until_clean(self, *, deadline_s: float) -> None:
        """Rounds until the outbox is empty, then one more (pull what others pushed last)."""
        deadline = time.monotonic() + deadline_s
        clean_rounds = 0
        while clean_rounds < 2:
            if time.monotonic() > deadline:
                raise RuntimeError(f"could not sync within {deadline_s} s: {self.engine.status()}")
            try:
                self.engine.sync_once()
            except SyncError:
                time.sleep(0.2)
                continue
            clean_rounds = clean_rounds + 1 if self.engine.status().pending == 0 else 0

    # --- selling -----------------------------------------------------------------------------

    def sell(
        self, *, orders: int | None, deadline: float | None, stop: Callable[[], bool] | None = None
    ) -> None:
        """Customer after customer until `orders`, the `deadline` or `stop()`."""
        loop = SyncLoop(
            self.engine,
            interval_s=self.spec.sync_interval_s,
            min_backoff_s=self.spec.min_backoff_s,
            rng=random.Random(self.spec.seed + 1),
        ).start()
        started = time.monotonic()
        try:
            while (
                (orders is None or self.sales.orders < orders)
                and (deadline is None or time.time() < deadline)
                and not (stop is not None and stop())
            ):
                self._one_customer()
                loop.wake()  # as the app does after every sale (`pos_app.app`)
                # The next customer steps up. With no gap at all the selling thread holds the
                # write lock almost all the time, and SQLite's busy handler (polling) can starve
                # the sync thread's write past its 15 s timeout: no counter sells that way.
                time.sleep(self.rnd.uniform(0, 2 * THINK_S))
        finally:
            self.sales.selling_s = time.monotonic() - started
            loop.stop(timeout=120)

    def _items(self) -> list[tuple[str, int]]:
        items = [
            (self.rnd.choice(UNTRACKED), self.rnd.randint(1, 3))
            for _ in range(self.rnd.randint(1, 4))
        ]
        if self.rnd.random() < TRACKED_SHARE:
            items.append((self.rnd.choice(TRACKED), 1))
        return items

    def _ring_up(self, items: list[tuple[str, int]]) -> Order:
        """`tests.support.register.ring_up` from the in-memory menu (as the counter screen)."""
        order = Order(currency=self.shop.currency, tax_mode=self.shop.tax_mode)
        for sku, quantity in items:
            product = self.menu[sku]
            choices = {g.id: [g.modifiers[0].id] for g in product.modifier_groups if g.required}
            order.add_product(product, quantity, choices)
        return order

    def _one_customer(self) -> None:
        order = self._ring_up(self._items())
        self.sales.orders += 1
        if self.rnd.random() < VOID_SHARE:
            self.register.sales.void(
                order,
                reason="customer left",
                authorization=authorize(self.owner, Permission.VOID),
                shift_id=self.shift_id,
            )
            self.sales.voids += 1
            return
        total = order.totals().total_minor
        roll = self.rnd.random()
        if roll < CARD_SHARE:
            tip = self.rnd.choice([0, 0, 100, 250])
            tenders = [TenderRequest(TenderKind.CARD, total, tip, card_brand="visa",
                                     card_last4="4242")]  # fmt: skip
            self.sales.card += 1
        elif roll < CARD_SHARE + SPLIT_SHARE and total > 1:
            part = self.rnd.randint(1, total - 1)
            tenders = [
                TenderRequest(TenderKind.CARD, part, card_brand="visa", card_last4="4242"),
                TenderRequest(TenderKind.CASH, total - part + self.rnd.randint(0, 500)),
            ]
            self.sales.card += 1
        else:
            tenders = [TenderRequest(TenderKind.CASH, total + self.rnd.choice([0, 0, 55, 1000]))]
        try:
            placed = self._place(order, tenders)
        except NotEnoughStock as short:
            self._restock(short.sku)
            placed = self._place(order, tenders)
        self._refundable.append((placed.order_id, order.lines[0].id))
        if self.rnd.random() < REFUND_SHARE and self._refundable:
            order_id, line_id = self._refundable.pop(self.rnd.randrange(len(self._refundable)))
            self.register.refunds.record(
                order_id,
                authorization=authorize(self.owner, Permission.REFUND),
                reason="soak: changed mind",
                lines=[LineRefundRequest(line_id, 1)],
                to_cash_drawer=True,
                shift_id=self.shift_id,
            )
            self.sales.refunds += 1

    def _place(self, order: Order, tenders: list[TenderRequest]) -> PlacedOrder:
        return self.register.sales.place(order, tenders, self.staff["Alex"])

    def _restock(self, sku: str) -> None:
        """A manager counts the shelf (other registers' sales came off it too)."""
        product = self.register.catalog.product_by_code(sku)
        assert product is not None
        self.register.catalog.count_stock(
            product.id,
            counted=RESTOCK_TO,
            authorization=authorize(self.owner, Permission.MANAGE_CATALOG),
        )
        self.sales.restocks += 1

    # --- the end -------------------------------------------------------------------------------

    def figures(self) -> dict[str, Any]:
        return {
            "index": self.spec.index,
            "shop": self.spec.shop,
            "orders": self.sales.orders,
            "voids": self.sales.voids,
            "refunds": self.sales.refunds,
            "card": self.sales.card,
            "restocks": self.sales.restocks,
            "selling_s": self.sales.selling_s,
            "push_ms": self.recorder.push_ms,
            "pushed_changes": self.recorder.pushed_changes,
            "replayed_changes": self.recorder.replayed_changes,
            "pulls": self.recorder.pulls,
            "errors": dict(self.recorder.errors),
            "causes": dict(self.recorder.causes),
            "unexpected": self.recorder.unexpected,
            "rounds": self.recorder.rounds,
        }


def run(spec: RegisterSpec, conn: Connection) -> None:
    """A register's whole life in its process (the target the runner starts)."""
    try:
        os.nice(spec.nice)
        spec.data_dir.mkdir(parents=True, exist_ok=True)
        logging.basicConfig(
            filename=spec.data_dir / "register.log",
            level=logging.INFO,
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        )
        register = SoakRegister(spec)
        token = register.pair()
        device_id = register.engine.status().device_id
        conn.send({"kind": "ready", "token": token, "device_id": device_id})
        go = conn.recv()
        # The only message while selling is "stop" (the runner ends the selling early).
        register.sell(orders=go["orders"], deadline=go["deadline"], stop=conn.poll)
        conn.send({"kind": "sold", "orders": register.sales.orders})
        while "drain" not in conn.recv():  # the network is healed: drain (a late "stop" first)
            pass
        drained = time.monotonic()
        register.sync_until_clean(deadline_s=600)
        figures = register.figures()
        figures["drain_s"] = time.monotonic() - drained
        register.engine.close()
        register.db.dispose()
        conn.send({"kind": "done", "figures": figures})
    except BaseException:
        conn.send({"kind": "failed", "error": traceback.format_exc()})
        raise
    finally:
        conn.close()
