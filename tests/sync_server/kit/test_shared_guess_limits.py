"""The guessing limits are counted in PostgreSQL: two `sync-server serve` processes on one
database share them, counting is atomic, and closed windows are forgotten."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import httpx
import pytest
from sqlalchemy import Engine, create_engine, text

from sync_server.config import Settings
from sync_server.db import app_engine
from sync_server.kit.ratelimit import GuessLimit
from sync_server.process import ServerProcess, server_env

pytestmark = pytest.mark.postgres

LIMIT = 4


@pytest.fixture
def two_servers(fresh_settings: Settings) -> Iterator[tuple[httpx.Client, httpx.Client]]:
    env = server_env(
        fresh_settings,
        SYNC_TOKEN_FAILURES_PER_MINUTE=str(LIMIT),
        SYNC_PAIR_ATTEMPTS_PER_MINUTE=str(LIMIT),
    )
    first = ServerProcess(fresh_settings, env=env)
    try:
        second = ServerProcess(fresh_settings, env=env)
        try:
            with (
                httpx.Client(base_url=first.url, timeout=30) as a,
                httpx.Client(base_url=second.url, timeout=30) as b,
            ):
                yield a, b
        finally:
            second.stop()
    finally:
        first.stop()


@pytest.fixture
def app_role(fresh_settings: Settings) -> Iterator[Engine]:
    engine = app_engine(fresh_settings)
    yield engine
    engine.dispose()


def _bad_token(client: httpx.Client) -> httpx.Response:
    return client.get("/v1/devices/me", headers={"Authorization": "Bearer cps_dev_guess"})


def _pair(client: httpx.Client) -> httpx.Response:
    return client.post("/v1/devices/pair", json={"code": "WRONG-CODE1", "device_name": "x"})


@pytest.mark.parametrize("attempt", [_bad_token, _pair], ids=["device_token", "pairing"])
def test_two_server_processes_share_one_limit(
    two_servers: tuple[httpx.Client, httpx.Client],
    attempt: Callable[[httpx.Client], httpx.Response],
) -> None:
    a, b = two_servers
    # Alternating between the processes: each alone has seen only half the limit.
    answers = [attempt(server) for server in (a, b, a, b, a, b)]
    assert [answer.status_code for answer in answers] == [401, 401, 401, 401, 429, 429]
    for throttled in answers[-2:]:
        assert 1 <= int(throttled.headers["Retry-After"]) <= 60
        assert throttled.json()["error"]["message"].startswith("too many")


def test_counting_is_atomic_under_concurrent_attempts(app_role: Engine) -> None:
    limit = GuessLimit(app_role, kind="pairing", limit=10)
    refused: list[int | None] = []
    start = threading.Barrier(40)

    def attempt() -> None:
        start.wait()
        refused.append(limit.hit("192.0.2.7"))

    threads = [threading.Thread(target=attempt) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert refused.count(None) == 10
    assert all(1 <= wait <= 60 for wait in refused if wait is not None)


def test_an_address_is_free_again_when_its_window_closes(
    app_role: Engine, fresh_settings: Settings
) -> None:
    limit = GuessLimit(app_role, kind="device_token", limit=2, window_seconds=1)
    assert limit.wait("192.0.2.8") is None
    assert limit.hit("192.0.2.8") is None
    assert limit.wait("192.0.2.8") is None
    assert limit.hit("192.0.2.8") is None
    assert limit.wait("192.0.2.8") == 1
    assert limit.hit("192.0.2.8") == 1
    assert limit.wait("192.0.2.9") is None  # another address counts on its own
    time.sleep(1.1)
    assert limit.wait("192.0.2.8") is None
    # The next count opens a new window and forgets the closed ones.
    assert limit.hit("192.0.2.10") is None
    admin = create_engine(fresh_settings.admin_database_url)
    try:
        with admin.connect() as conn:
            kept = conn.execute(text("SELECT kind, client, hits FROM guess_counts")).all()
    finally:
        admin.dispose()
    assert [tuple(row) for row in kept] == [("device_token", "192.0.2.10", 1)]


def test_the_app_role_counts_without_any_bypass(fresh_settings: Settings) -> None:
    role = fresh_settings.app_role
    admin = create_engine(fresh_settings.admin_database_url)
    try:
        with admin.connect() as conn:
            rights = conn.execute(
                text(
                    "SELECT privilege_type FROM information_schema.role_table_grants "
                    "WHERE table_name = 'guess_counts' AND grantee = :role ORDER BY 1"
                ),
                {"role": role},
            ).scalars()
            bypass = conn.execute(
                text("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = :role"),
                {"role": role},
            ).scalar_one()
    finally:
        admin.dispose()
    assert list(rights) == ["DELETE", "INSERT", "SELECT", "UPDATE"]
    assert bypass is False
