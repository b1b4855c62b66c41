"""Back office → Fees & web console: the register invites an owner of its shop through its sync
client, against the real sync server on loopback (PostgreSQL). The request's idempotency key
is recorded before the call, so the retry after a lost answer mails nothing twice; offline, not
paired, refused and too many come back as `OwnerInviteFailed` with what went wrong."""

from __future__ import annotations

import json
import socket
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, text

from pos_app.application.register import Register
from pos_app.application.sync import (
    INVITE_RETRY_WINDOW,
    OWNER_INVITE,
    InviteProblem,
    OwnerInviteFailed,
    SyncEngine,
)
from pos_app.config import AppConfig, load_config
from pos_app.db.database import Database
from pos_app.domain.errors import PermissionDenied, ValidationError
from pos_app.domain.staff import Permission, StaffMember, authorize
from pos_app.integrations.secrets import SecretStore
from sync_server.accounts import service as accounts
from sync_server.config import Settings
from sync_server.db import tenant_transaction
from sync_server.tenants.schemas import Tenant
from tests.pos_app.application.conftest import audit
from tests.support.memory_keyring import MemoryKeyring
from tests.support.sync_server_live import LiveServer
from tests.support.sync_server_tenants import create_tenant, pairing_code

pytestmark = [pytest.mark.postgres]


@pytest.fixture
def keyring() -> SecretStore:
    return SecretStore(service=f"counter-pos-test-{uuid.uuid4()}", backend=MemoryKeyring())


@pytest.fixture
def config(tmp_path: Path) -> AppConfig:
    return load_config(tmp_path)


@pytest.fixture
def server_shop(settings: Settings) -> Tenant:
    return create_tenant(settings, currency="USD")


@pytest.fixture
def paired(
    db: Database, settings: Settings, live: LiveServer, keyring: SecretStore, server_shop: Tenant
) -> Iterator[SyncEngine]:
    engine = SyncEngine(db, secrets=keyring)
    engine.pair(server_url=live.url, code=pairing_code(settings, server_shop), device_name="Till 1")
    yield engine
    engine.close()


def invitations(app_db: Engine, tenant: Tenant) -> list[str]:
    with tenant_transaction(app_db, tenant.id) as conn:
        return list(
            conn.execute(
                text(
                    "SELECT a.email FROM owner_invitations i JOIN owner_accounts a "
                    "ON a.tenant_id = i.tenant_id AND a.id = i.account_id "
                    "WHERE i.tenant_id = :t ORDER BY i.created_at"
                ),
                {"t": tenant.id},
            ).scalars()
        )


def pending(db: Database) -> dict[str, str] | None:
    with db.read() as uow:
        raw = uow.outbox.state(OWNER_INVITE)
    return None if raw is None else dict(json.loads(raw))


def test_a_manager_invites_an_owner_from_the_register(
    register: Register,
    paired: SyncEngine,
    keyring: SecretStore,
    config: AppConfig,
    staff: dict[str, StaffMember],
    app_db: Engine,
    server_shop: Tenant,
) -> None:
    manager = authorize(staff["Sam"], Permission.MANAGE_SETTINGS)
    invited = register.settings.invite_owner(
        config, email=" Dona.Maria@Example.TEST ", authorization=manager, secrets=keyring
    )
    assert (invited.email, invited.replayed) == ("dona.maria@example.test", False)
    assert invited.expires_at.tzinfo is not None
    assert invitations(app_db, server_shop) == ["dona.maria@example.test"]
    assert pending(register.db) is None
    [entry] = audit(register, "settings.owner_invited")
    assert entry.staff_id == staff["Sam"].id
    assert entry.details == {"email": "dona.maria@example.test", "replayed": False}


def test_inviting_needs_the_settings_permission(
    register: Register, config: AppConfig, staff: dict[str, StaffMember], keyring: SecretStore
) -> None:
    manager = authorize(staff["Morgan"], Permission.LARGE_DISCOUNT)
    with pytest.raises(PermissionDenied):
        register.settings.invite_owner(
            config, email="x@example.test", authorization=manager, secrets=keyring
        )


def test_the_retry_after_a_lost_answer_sends_the_recorded_key_and_mails_nothing_twice(
    db: Database,
    paired: SyncEngine,
    keyring: SecretStore,
    live: LiveServer,
    app_db: Engine,
    server_shop: Tenant,
) -> None:
    """The first request reached the server but its answer was lost (the register timed out):
    the key recorded before it is still pending, and the next try sends it again."""
    lost_answer = {"n": 0}

    class LosesTheFirstAnswer(httpx.HTTPTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            response = super().handle_request(request)
            if request.url.path == "/v1/owners/invitations" and lost_answer["n"] == 0:
                lost_answer["n"] += 1
                response.close()
                raise httpx.ReadTimeout("the answer was lost", request=request)
            return response

    from pos_app.integrations.sync_client import SyncClient

    flaky = SyncEngine(
        db,
        secrets=keyring,
        client_factory=lambda url, token: SyncClient(url, token, transport=LosesTheFirstAnswer()),
    )
    invited = flaky.invite_owner("owner@example.test", retry_delay_s=0.01)
    assert invited.replayed is True  # the retry found the first request's invitation
    assert invitations(app_db, server_shop) == ["owner@example.test"]
    assert pending(db) is None


def test_offline_keeps_the_key_for_the_next_try(
    db: Database, paired: SyncEngine, keyring: SecretStore, live: LiveServer, app_db: Engine,
    server_shop: Tenant,
) -> None:  # fmt: skip
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}"
    with db.write() as uow:
        uow.outbox.set_state("server_url", dead)
    with pytest.raises(OwnerInviteFailed) as failed:
        paired.invite_owner("later@example.test", attempts=2, retry_delay_s=0.01)
    assert failed.value.problem is InviteProblem.OFFLINE
    recorded = pending(db)
    assert recorded is not None
    assert recorded["email"] == "later@example.test"

    with db.write() as uow:
        uow.outbox.set_state("server_url", live.url)
    invited = paired.invite_owner("Later@example.test", retry_delay_s=0.01)
    assert invited.replayed is False
    assert invitations(app_db, server_shop) == ["later@example.test"]
    with tenant_transaction(app_db, server_shop.id) as conn:
        key = conn.execute(
            text("SELECT request_key FROM owner_invitations WHERE tenant_id = :t"),
            {"t": server_shop.id},
        ).scalar_one()
    assert str(key) == recorded["key"]


def test_a_key_recorded_long_ago_is_not_reused_for_a_new_try(
    db: Database, paired: SyncEngine, live: LiveServer, app_db: Engine, server_shop: Tenant
) -> None:
    """A lost answer's key is for retrying that request, not for a try days later: then the
    old invitation (its link perhaps expired) would come back as a replay."""
    old_key = str(uuid.uuid4())
    long_ago = (datetime.now(UTC) - INVITE_RETRY_WINDOW - timedelta(minutes=1)).isoformat()
    with db.write() as uow:
        uow.outbox.set_state(
            OWNER_INVITE,
            json.dumps({"email": "again@example.test", "key": old_key, "at": long_ago}),
        )
    invited = paired.invite_owner("again@example.test", retry_delay_s=0.01)
    assert invited.replayed is False
    with tenant_transaction(app_db, server_shop.id) as conn:
        key = conn.execute(
            text("SELECT request_key FROM owner_invitations WHERE tenant_id = :t"),
            {"t": server_shop.id},
        ).scalar_one()
    assert str(key) != old_key


def test_the_server_refusing_a_bad_email_says_why(
    db: Database, paired: SyncEngine, app_db: Engine, server_shop: Tenant
) -> None:
    with pytest.raises(OwnerInviteFailed) as failed:
        paired.invite_owner("not-an-email", retry_delay_s=0.01)
    assert failed.value.problem is InviteProblem.REFUSED
    assert "is not an email address" in failed.value.reason
    assert pending(db) is None  # the next try is a new request
    assert invitations(app_db, server_shop) == []


def test_too_many_invitations_for_the_shop(
    db: Database, paired: SyncEngine, app_db: Engine, server_shop: Tenant
) -> None:
    for number in range(accounts.INVITES_PER_WINDOW):
        paired.invite_owner(f"owner{number}@example.test", retry_delay_s=0.01)
    with pytest.raises(OwnerInviteFailed) as failed:
        paired.invite_owner("one-more@example.test", retry_delay_s=0.01)
    assert failed.value.problem is InviteProblem.TOO_MANY
    assert "too many" in failed.value.reason


def test_not_paired_and_no_email(db: Database, keyring: SecretStore) -> None:
    engine = SyncEngine(db, secrets=keyring)
    with pytest.raises(OwnerInviteFailed) as failed:
        engine.invite_owner("owner@example.test")
    assert failed.value.problem is InviteProblem.NOT_PAIRED
    with pytest.raises(ValidationError):
        engine.invite_owner("   ")
    assert pending(db) is None


def test_a_register_unpaired_on_the_server_is_told_so(
    db: Database, paired: SyncEngine, settings: Settings, server_shop: Tenant
) -> None:
    from sqlalchemy import create_engine

    from sync_server.devices import service as devices

    with db.read() as uow:
        device_id = uuid.UUID(str(uow.outbox.state("device_id")))
    admin = create_engine(settings.admin_database_url)
    try:
        with admin.begin() as conn:
            assert devices.revoke(conn, device_id)
    finally:
        admin.dispose()
    with pytest.raises(OwnerInviteFailed) as failed:
        paired.invite_owner("owner@example.test", retry_delay_s=0.01)
    assert failed.value.problem is InviteProblem.UNPAIRED_ON_SERVER
