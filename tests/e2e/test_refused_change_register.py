"""A register whose change the server refuses keeps syncing: the refused entry (and the refund
of that sale) is marked refused in its outbox, the rest reaches the server, nothing stays
pending, and the manager finds the refusals with what to do (service and back office)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from pos_app.application import sync
from pos_app.application.sync import SyncEngine
from pos_app.db.database import Database
from pos_app.domain.staff import Permission, authorize
from pos_app.integrations.secrets import SecretStore
from pos_app.services import refunds
from pos_app.services.setup import seed_demo
from sync_server.config import Settings
from tests.support.memory_keyring import MemoryKeyring
from tests.support.register import open_shift, sell
from tests.support.sync_server_live import LiveServer
from tests.support.sync_server_tenants import create_tenant, pairing_code

pytestmark = [pytest.mark.postgres]


def _tamper_with_order(db: Database, order_id: object) -> None:
    """What a buggy or hostile register would send: 3.00 of revenue declared as tax."""
    with db.write() as uow:
        row = uow.session.execute(
            text("SELECT seq, payload FROM outbox WHERE entity = 'order' AND entity_id = :i"),
            {"i": str(order_id).replace("-", "")},
        ).one()
        payload = json.loads(row.payload)
        payload["lines"][0]["tax_minor"] += 300
        payload["tax_minor"] += 300
        payload["lines"][0]["net_minor"] -= 300
        uow.session.execute(
            text("UPDATE outbox SET payload = :p WHERE seq = :s"),
            {"p": json.dumps(payload), "s": row.seq},
        )


def test_a_refused_sale_and_its_refund_never_block_the_rest(
    tmp_path: Path, settings: Settings, live: LiveServer, admin_db: Engine
) -> None:
    tenant = create_tenant(settings, currency="USD", timezone="America/New_York")
    db = Database(tmp_path / "register.sqlite3")
    secrets = SecretStore(service="counter-pos-test-refused", backend=MemoryKeyring())
    engine = SyncEngine(db, secrets=secrets)
    try:
        with db.write() as uow:
            shop = seed_demo(uow)
        engine.pair(server_url=live.url, code=pairing_code(settings, tenant), device_name="Till")
        with db.read() as uow:
            staff = {member.name: member for member in uow.staff.all()}
        cashier, manager = staff["Alex"], staff["Morgan"]
        shift_id = open_shift(db, shop, cashier)
        first = sell(db, shop, cashier, [("COF-LAT", 2)])
        tampered = sell(db, shop, cashier, [("COF-ESP", 3)])
        _tamper_with_order(db, tampered.order_id)
        with db.write() as uow:
            refunds.record_refund(
                uow,
                order_id=tampered.order_id,
                authorization=authorize(cashier, Permission.REFUND, manager),
                reason="spilled",
                amount_minor=100,
                to_cash_drawer=True,
                shift_id=shift_id,
            )
        last = sell(db, shop, cashier, [("COF-ESP", 1)])

        engine.sync_once()

        status = engine.status()
        assert (status.pending, status.refused) == (0, 2)
        refused = sync.refused_changes(db)
        assert [(entry.entity, entry.code) for entry in refused] == [
            ("refund", "depends_on_refused"),
            ("order", "money_mismatch"),
        ]
        assert refused[1].entity_id == tampered.order_id
        assert refused[1].reason == "data.lines[0].net_minor: should be 825"
        with admin_db.connect() as conn:
            stored = set(
                conn.execute(
                    text("SELECT id FROM orders WHERE tenant_id = :t"), {"t": tenant.id}
                ).scalars()
            )
            quarantined = conn.execute(
                text("SELECT count(*) FROM push_quarantine WHERE tenant_id = :t"),
                {"t": tenant.id},
            ).scalar_one()
        assert stored == {first.order_id, last.order_id}
        assert quarantined == 2

        # The queue moves on: the next sale syncs, the refused ones are not sent again.
        after = sell(db, shop, cashier, [("COF-ESP", 1)])
        report = engine.sync_once()
        assert report.pushed >= 1
        assert engine.status().refused == 2
        with admin_db.connect() as conn:
            assert (
                conn.execute(
                    text("SELECT count(*) FROM orders WHERE tenant_id = :t AND id = :o"),
                    {"t": tenant.id, "o": after.order_id},
                ).scalar_one()
                == 1
            )
    finally:
        engine.close()
        db.dispose()
