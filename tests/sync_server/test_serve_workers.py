"""`sync-server serve --workers N`: N processes share the port, each with the access log kept
clean, each building its app from the environment (the embedded database too); SIGTERM stops
them all; a count out of range, or more connections than PostgreSQL allows, is refused with one
line before anything starts. (Their work under chaos, killed mid-push: tests/soak.)"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import httpx
import pytest

from sync_server import embedded_pg
from sync_server.app import app_from_environment
from sync_server.cli import main
from sync_server.config import Settings
from sync_server.db import check_database
from sync_server.embedded_pg import free_port
from sync_server.notifications.service import unsubscribe_token
from sync_server.process import ServerProcess
from sync_server.tenants.schemas import Tenant
from tests.support import procfs
from tests.support.sync_server_db import HMAC_KEY
from tests.support.sync_server_live import run_cli

STOP_BOUND_S = 15.0


def _workers(server: ServerProcess) -> list[int]:
    return [
        pid
        for pid in procfs.children(server.process.pid)
        if "multiprocessing.spawn" in procfs.command_line(pid)
    ]


def _stop(server: ServerProcess) -> float:
    """SIGTERM, as a supervisor sends it; the seconds until `serve` had exited."""
    started = time.monotonic()
    server.process.send_signal(signal.SIGTERM)
    server.process.wait(timeout=STOP_BOUND_S + 15)
    took = time.monotonic() - started
    server.stop()  # closes the log
    return took


@pytest.mark.parametrize(
    ("count", "message"),
    [
        ("0", "must be from 1 to 32, got 0"),
        ("33", "must be from 1 to 32, got 33"),
        ("two", "'two' is not a whole number"),
    ],
)
def test_a_worker_count_out_of_range_is_a_usage_error(
    count: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["serve", "--workers", count])  # refused by the parser: nothing connects

    assert exited.value.code == 2
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        f"sync-server serve: error: argument --workers: {message}"
    )


@pytest.mark.postgres
def test_more_connections_than_postgresql_allows_is_refused_before_serving(
    settings: Settings,
) -> None:
    port = free_port()
    result = run_cli(settings, "serve", "--port", str(port), "--workers", "4", SYNC_POOL_SIZE="500")

    assert result.returncode == 2
    line = result.stderr.strip()
    assert line.startswith(
        "sync-server: --workers 4 may open 4000 connections to PostgreSQL (1000 each: "
        "SYNC_POOL_SIZE 500, doubled in bursts), more than the "
    ), line
    assert line.endswith("lower --workers or SYNC_POOL_SIZE, or raise max_connections")
    assert "\n" not in line
    with pytest.raises(httpx.TransportError):
        httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)


@pytest.mark.postgres
@pytest.mark.slow
def test_two_workers_serve_log_no_private_query_and_stop_on_sigterm(
    settings: Settings, tenant: Tenant, tmp_path: Path
) -> None:
    address = "ana.customer@example.com"
    token = unsubscribe_token(settings.token_hmac_key, tenant.id, "email", address)
    log_path = tmp_path / "server.log"
    server = ServerProcess(settings, log_path=log_path, args=("--workers", "2"))
    try:
        workers = _workers(server)
        assert len(workers) == 2
        path = f"/v1/notifications/unsubscribe/{tenant.id}"
        params = {"channel": "email", "address": address, "token": token}
        for _ in range(6):  # fresh connections: each may land on either process
            with httpx.Client(base_url=server.url, timeout=30) as client:
                assert client.get(path, params=params).status_code == 200
                assert client.get("/healthz").json() == {"status": "ok"}
        took = _stop(server)
    finally:
        server.stop()

    assert took < STOP_BOUND_S
    assert server.process.returncode == 0
    assert not [pid for pid in workers if procfs.command_line(pid)], "a worker outlived serve"
    logged = log_path.read_text()
    for pid in workers:  # each shut down through its lifespan (its pool closed)
        assert f"Finished server process [{pid}]" in logged
    assert logged.count("Application shutdown complete.") == 2
    assert logged.count(f"GET /v1/notifications/unsubscribe/{tenant.id}?[removed]") == 6
    for private in (address, "ana.customer", "example.com", token):
        assert private not in logged


@pytest.mark.postgres
@pytest.mark.slow
def test_with_no_database_url_each_worker_uses_the_embedded_database_serve_holds(
    sync_data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in embedded_pg.DATABASE_URL_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SYNC_DATA_DIR", str(sync_data_dir))
    monkeypatch.setenv("SYNC_TOKEN_HMAC_KEY", HMAC_KEY)
    log_path = tmp_path / "server.log"
    server = ServerProcess(
        Settings(), env=dict(os.environ), log_path=log_path, args=("--workers", "2"),
        start_timeout_s=120,
    )  # fmt: skip
    cluster = embedded_pg.Cluster(sync_data_dir / "postgres")
    try:
        assert len(_workers(server)) == 2
        assert cluster.running()
        # What each worker process does at its start, done here: the app reaches the cluster
        # `serve` started, without starting or holding it itself.
        app = app_from_environment()
        engine = app.state.context.engine
        try:
            assert engine.url.port == cluster.port()
            assert check_database(engine) is None
        finally:
            engine.dispose()
        took = _stop(server)
    finally:
        server.stop()

    assert took < STOP_BOUND_S
    assert server.process.returncode == 0
    assert not cluster.running()  # `serve` held it, and stopped it when it ended
    assert "using the embedded PostgreSQL" in log_path.read_text()
