"""One sync round on a busy counter: it pushes what was pending when it started, then pulls.
Sales rung up while a push is on the wire wait for the next round instead of keeping this one
pushing forever (found by the soak: under load, registers never pulled)."""

from __future__ import annotations

from typing import Any

from pos_app.db.database import Database
from pos_app.domain.shop import Shop
from pos_app.domain.staff import StaffMember
from pos_app.domain.tenders import TenderKind
from pos_app.integrations.secrets import DEVICE_TOKEN, SecretStore
from pos_app.integrations.sync_client import PullResult, PushResult, SyncClient
from pos_app.services.sync import DEVICE_ID, SERVER_URL, SyncEngine
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
