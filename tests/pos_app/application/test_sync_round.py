"""One sync round on a busy counter: it pushes what was pending when it started, then pulls.
Sales rung up while a push is on the wire wait for the next round instead of keeping this one
pushing forever (found by the soak: under load, registers never pulled)."""

from __future__ import annotations

import socket
import time
from typing import Any

from pos_app.application.sync import DEVICE_ID, SERVER_URL, SyncEngine, SyncLoop
from pos_app.db.database import Database
from pos_app.domain.shop import Shop
from pos_app.domain.staff import StaffMember
from pos_app.domain.tenders import TenderKind
from pos_app.integrations.secrets import DEVICE_TOKEN, SecretStore
from pos_app.integrations.sync_client import PullResult, PushResult, SyncClient
from tests.support.memory_keyring import MemoryKeyring
from tests.support.register import sell


class BusyCounterClient(SyncClient):
    """A server that acknowledges everything; a sale is made during each of the first pushes."""

    def __init__(self, db: Database, shop: Shop, cashier: StaffMember) -> None:
        super().__init__("http://127.0.0.1:9")
        self.db, self.shop, self.cashier = db, shop, cashier
        self.pushes: list[list[int]] = []
        self.pulls = 0

    def push(self, device_id: str, batch: list[dict[str, Any]]) -> PushResult:
        self.pushes.append([change["seq"] for change in batch])
        if len(self.pushes) <= 20:
            sell(self.db, self.shop, self.cashier, [("COF-ESP", 1)], kind=TenderKind.CARD)
        return PushResult(batch[-1]["seq"], len(batch), 0, [])

    def pull(self, cursor: str, limit: int = 500) -> PullResult:
        self.pulls += 1
        return PullResult(cursor="after-pull", has_more=False, changes=[])


def test_a_round_pushes_what_was_pending_then_pulls_while_sales_keep_coming(
    db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> None:
    client = BusyCounterClient(db, shop, staff["Alex"])
    secrets = SecretStore("counter-pos-test-sync-round", MemoryKeyring())
    secrets.set(DEVICE_TOKEN, "device-token")
    with db.write() as uow:
        uow.outbox.set_state(SERVER_URL, "http://127.0.0.1:9")
        uow.outbox.set_state(DEVICE_ID, "7b1f0c1e-0000-7000-8000-000000000001")
        pending_at_start = uow.outbox.pending_count()
    engine = SyncEngine(db, secrets=secrets, client_factory=lambda _url, _token: client)

    report = engine.sync_once()

    assert len(client.pushes) == 1
    assert report.pushed == pending_at_start
    assert client.pulls == 1
    with db.read() as uow:
        assert uow.outbox.state("pull_cursor") == "after-pull"
    assert engine.status().pending > 0  # the sale made during the push: the next round's work

    engine.sync_once()
    assert len(client.pushes) == 2
    assert client.pulls == 2


def _unreachable_engine(db: Database) -> SyncEngine:
    """The real engine and HTTP client, aimed at a loopback port nothing listens on."""
    secrets = SecretStore("counter-pos-test-sync-loop", MemoryKeyring())
    secrets.set(DEVICE_TOKEN, "device-token")
    with socket.socket() as probe:  # a port that was free a moment ago: connection refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with db.write() as uow:
        uow.outbox.set_state(SERVER_URL, f"http://127.0.0.1:{port}")
        uow.outbox.set_state(DEVICE_ID, "7b1f0c1e-0000-7000-8000-000000000002")
    return SyncEngine(db, secrets=secrets)


def test_sales_during_an_outage_do_not_cut_the_backoff_short_but_sync_now_does(
    db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> None:
    loop = SyncLoop(_unreachable_engine(db), interval_s=60.0, min_backoff_s=30.0).start()
    try:
        deadline = time.monotonic() + 10
        while loop.rounds < 1 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert loop.rounds == 1
        assert loop.failures == 1

        for _ in range(20):  # a rush of sales while the server is down
            sell(db, shop, staff["Alex"], [("COF-ESP", 1)], kind=TenderKind.CARD)
            loop.wake()
        time.sleep(0.5)
        assert loop.rounds == 1  # no retry storm: the sales wait in the outbox

        loop.sync_now()
        deadline = time.monotonic() + 10
        while loop.rounds < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert loop.rounds == 2
        assert loop.failures == 2
    finally:
        loop.stop()
    with db.read() as uow:
        assert uow.outbox.pending_count() >= 20  # nothing lost, nothing sent


def test_a_wake_syncs_at_once_when_the_last_round_succeeded(db: Database) -> None:
    class Healthy(SyncClient):
        def push(self, device_id: str, batch: list[dict[str, Any]]) -> PushResult:
            return PushResult(batch[-1]["seq"], len(batch), 0, [])

        def pull(self, cursor: str, limit: int = 500) -> PullResult:
            return PullResult(cursor=cursor, has_more=False, changes=[])

    secrets = SecretStore("counter-pos-test-sync-loop-ok", MemoryKeyring())
    secrets.set(DEVICE_TOKEN, "device-token")
    with db.write() as uow:
        uow.outbox.set_state(SERVER_URL, "http://127.0.0.1:9")
        uow.outbox.set_state(DEVICE_ID, "7b1f0c1e-0000-7000-8000-000000000003")
    engine = SyncEngine(db, secrets=secrets, client_factory=lambda url, _token: Healthy(url))
    loop = SyncLoop(engine, interval_s=60.0).start()
    try:
        deadline = time.monotonic() + 10
        while loop.rounds < 1 and time.monotonic() < deadline:
            time.sleep(0.01)
        loop.wake()
        deadline = time.monotonic() + 10
        while loop.rounds < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert loop.rounds == 2
        assert loop.failures == 0
    finally:
        loop.stop()
