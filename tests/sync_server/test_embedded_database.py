"""`sync-server` with no database URL configured: the embedded PostgreSQL in its data directory,
created on first use, started on demand and stopped when the last command using it ends."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sync_server import embedded_pg
from tests.support.sync_server_db import HMAC_KEY

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def _cli(sync_data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value for key, value in os.environ.items() if key not in embedded_pg.DATABASE_URL_VARS
    }
    env.update(SYNC_DATA_DIR=str(sync_data_dir), SYNC_TOKEN_HMAC_KEY=HMAC_KEY)
    result = subprocess.run(
        [sys.executable, "-m", "sync_server.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    return result


def test_with_no_database_url_the_first_command_creates_the_embedded_database_and_stops_it(
    sync_data_dir: Path,
) -> None:
    created = _cli(sync_data_dir, "tenants", "create", "cafe", "--name", "Café", "--currency",
                   "EUR", "--timezone", "Europe/Paris")  # fmt: skip

    cluster = embedded_pg.Cluster(sync_data_dir / "postgres")
    assert f"using the embedded PostgreSQL {embedded_pg.version()} in {cluster.data}" in (
        created.stderr
    )
    assert created.stdout.startswith("cafe ")
    assert not cluster.running()  # the command started it and stopped it again
    assert (sync_data_dir / "postgres.json").stat().st_mode & 0o077 == 0  # passwords: owner only

    listed = _cli(sync_data_dir, "tenants", "list")  # started again: the shop is still there
    assert listed.stdout.split("\t")[:3] == ["cafe", "Café", "EUR"]
    code = _cli(sync_data_dir, "devices", "pair-code", "--tenant", "cafe").stdout.strip()
    assert len(code) >= 8
    assert not cluster.running()


def test_a_command_leaves_running_the_embedded_cluster_another_process_holds(
    sync_data_dir: Path,
) -> None:
    cluster = embedded_pg.Cluster(sync_data_dir / "postgres")
    with embedded_pg.server_database(sync_data_dir) as (database, created):
        assert created
        _cli(sync_data_dir, "migrate")
        _cli(sync_data_dir, "tenants", "create", "bar", "--name", "Bar", "--currency", "USD",
             "--timezone", "America/New_York")  # fmt: skip
        assert cluster.running()  # still held by this process
        assert database.port == cluster.port()
    assert not cluster.running()
