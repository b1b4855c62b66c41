"""Fixtures for tests that need the sync server (its own tests and the end-to-end ones):
a real PostgreSQL database built by the migrations, the real app on a loopback port, tenants
and paired devices (helpers in `sync_server_db`, `sync_server_live` and `sync_server_tenants`
beside this file).

The database: a fresh one per test session (random name) on the server at 127.0.0.1:5432
(user postgres, trust auth), dropped at the end. When nothing listens there (or
SYNC_TEST_EMBEDDED_PG=1), a throwaway cluster of the embedded PostgreSQL is started
(`sync_server.embedded_pg`) and removed at the end.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, create_engine

from sync_server.config import Settings
from sync_server.db import app_engine
from sync_server.embedded_pg import Cluster
from sync_server.tenants.schemas import Tenant
from tests.support.sync_server_db import PgServer, create_database, drop_database, test_postgres
from tests.support.sync_server_live import LiveServer, start_live_server
from tests.support.sync_server_tenants import Device, create_tenant, pair_device


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """The running server at 127.0.0.1:5432, else a throwaway embedded cluster of our own."""
    with test_postgres() as server:
        yield server


@pytest.fixture
def sync_data_dir() -> Iterator[Path]:
    """A fresh `SYNC_DATA_DIR` (not created yet) for the embedded cluster of `sync-server`,
    stopped and removed afterwards. Its parent is open to others: when the tests run as root,
    the cluster runs as the `postgres` OS user, and pytest's own tmp_path is private to root."""
    parent = Path(tempfile.mkdtemp(prefix="sync-data-"))
    parent.chmod(0o755)
    yield parent / "data"
    Cluster(parent / "data" / "postgres").stop()
    shutil.rmtree(parent, ignore_errors=True)


@pytest.fixture(scope="session")
def settings(pg_server: PgServer) -> Iterator[Settings]:
    name, built = create_database(pg_server)
    yield built
    drop_database(pg_server, name)


@pytest.fixture
def fresh_settings(pg_server: PgServer) -> Iterator[Settings]:
    """A database of its own, for tests that close months or tamper with the ledger."""
    name, built = create_database(pg_server)
    yield built
    drop_database(pg_server, name)


@pytest.fixture
def fresh_admin_db(fresh_settings: Settings) -> Iterator[Engine]:
    engine = create_engine(fresh_settings.admin_database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def fresh_live(fresh_settings: Settings) -> Iterator[LiveServer]:
    """The app on a database of its own (`fresh_settings`)."""
    server = start_live_server(fresh_settings)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def admin_db(settings: Settings) -> Iterator[Engine]:
    engine = create_engine(settings.admin_database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def app_db(settings: Settings) -> Iterator[Engine]:
    engine = app_engine(settings)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def live(settings: Settings) -> Iterator[LiveServer]:
    server = start_live_server(settings)
    yield server
    server.stop()


@pytest.fixture
def http(live: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live.url, timeout=30) as client:
        yield client


@pytest.fixture
def tenant(settings: Settings) -> Tenant:
    return create_tenant(settings)


@pytest.fixture
def device(http: httpx.Client, settings: Settings, tenant: Tenant) -> Device:
    return pair_device(http, settings, tenant)
