"""The register's copy of its shop's fee invoices, against the real sync server on loopback: read
on demand and kept, read again by a sync round once the copy is an hour old (never failing the
round), carried by the sync status to the counter, forgotten on unpairing."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine, text

from pos_app.application.sync import FEE_INVOICES, SyncEngine, SyncUnavailable
from pos_app.db.database import Database
from pos_app.domain.clock import utcnow
from pos_app.integrations.secrets import SecretStore
from sync_server.config import Settings
from sync_server.db import tenant_transaction
from sync_server.tenants.schemas import Tenant
from tests.support.billing_records import seed_invoices
from tests.support.memory_keyring import MemoryKeyring
from tests.support.sync_server_live import LiveServer
from tests.support.sync_server_tenants import create_tenant, pairing_code

pytestmark = [pytest.mark.postgres]


@pytest.fixture
def keyring() -> SecretStore:
    return SecretStore(service=f"counter-pos-test-{uuid.uuid4()}", backend=MemoryKeyring())


@pytest.fixture
def server_shop(settings: Settings) -> Tenant:
    shop = create_tenant(settings, currency="USD")
    seed_invoices(settings, shop)
    return shop


@pytest.fixture
def paired(
    db: Database, settings: Settings, live: LiveServer, keyring: SecretStore, server_shop: Tenant
) -> Iterator[SyncEngine]:
    engine = SyncEngine(db, secrets=keyring)
    engine.pair(server_url=live.url, code=pairing_code(settings, server_shop), device_name="Till 1")
    yield engine
    engine.close()


def test_not_paired_there_is_nothing_to_read(db: Database, keyring: SecretStore) -> None:
    engine = SyncEngine(db, secrets=keyring)
    assert engine.fee_invoices() is None
    with pytest.raises(SyncUnavailable):
        engine.read_fee_invoices()


def test_read_kept_refreshed_hourly_by_sync_and_forgotten_on_unpairing(
    db: Database, paired: SyncEngine, app_db: Engine, server_shop: Tenant
) -> None:
    # A first sync round reads them (no copy yet).
    paired.sync_once()
    status = paired.status()
    assert status.fees is not None
    assert [invoice.period for invoice in status.fees.invoices] == ["2026-03", "2026-02", "2026-01"]
    late = status.fees.past_due
    assert late is not None
    assert (late.period, late.amount_minor, late.status) == ("2026-02", 980, "open")
    assert status.fees.past_due_url is not None

    # Paid on the server: the next round within the hour keeps the copy...
    with tenant_transaction(app_db, server_shop.id) as conn:
        conn.execute(
            text(
                "UPDATE billing_invoices SET status = 'paid', paid_at = now() "
                "WHERE tenant_id = :t AND period = '2026-02'"
            ),
            {"t": server_shop.id},
        )
    paired.sync_once()
    fees = paired.fee_invoices()
    assert fees is not None
    assert fees.past_due is not None
    # ... an hour later, a round reads them again.
    with db.write() as uow:
        kept = json.loads(uow.outbox.state(FEE_INVOICES) or "{}")
        kept["at"] = (utcnow() - timedelta(hours=1, minutes=1)).isoformat()
        uow.outbox.set_state(FEE_INVOICES, json.dumps(kept))
    paired.sync_once()
    fees = paired.fee_invoices()
    assert fees is not None
    assert fees.past_due is None
    assert fees.invoices[1].status == "paid"
    assert fees.invoices[1].paid_at is not None

    # Read on demand (the back office's button): the same answer, kept.
    assert paired.read_fee_invoices().past_due is None
    paired.unpair()
    assert paired.fee_invoices() is None
