"""`pos-app platform` (behind `make platform`), run as a newcomer would, headless: the sync
server on the embedded PostgreSQL, the demo shop, the paired demo register, the counter app.
A sale at that register reaches the server's fee statement; closing the window, or Ctrl-C,
stops everything the command started."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path
from uuid import UUID

import httpx
import pytest

from pos_app.application.register import Register
from pos_app.application.sync import SyncEngine
from pos_app.config import AppConfig
from pos_app.integrations.secrets import SecretStore
from sync_server import embedded_pg
from sync_server.embedded_pg import free_port
from sync_server.kit.money import fee_of
from tests.support import file_keyring_for_cli

pytestmark = [pytest.mark.postgres, pytest.mark.qt, pytest.mark.slow]


class Launcher:
    """`pos-app platform` in a session of its own (as a terminal runs it), its output read
    line by line."""

    def __init__(self, env: dict[str, str], port: int, *extra: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pos_app", "platform", "--port", str(port), *extra],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.lines: list[str] = []
        self._ready = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))
            if "closing the window or Ctrl-C stops everything" in line:
                self._ready.set()
        self._ready.set()

    def wait_ready(self) -> str:
        assert self._ready.wait(240), self.output
        assert self.process.poll() is None, self.output
        return self.output

    def finish(self, timeout: float = 120) -> int:
        code = self.process.wait(timeout)
        self._reader.join(10)
        assert self.process.stdout is not None
        self.process.stdout.close()
        return code

    @property
    def output(self) -> str:
        return "\n".join(self.lines)


@pytest.fixture
def newcomer(tmp_path: Path, sync_data_dir: Path) -> dict[str, str]:
    """A fresh machine's environment: no database URL, empty data dirs, a headless display."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("SYNC_") and key != "PYTHONUNBUFFERED"
    }
    env.update(
        SYNC_DATA_DIR=str(sync_data_dir),
        POS_DATA_DIR=str(tmp_path / "pos"),
        QT_QPA_PLATFORM="offscreen",
        PYTHON_KEYRING_BACKEND="tests.support.file_keyring_for_cli.TestFileKeyring",
        POS_TEST_KEYRING_FILE=str(tmp_path / "keyring.json"),
    )
    return env


def _statement(env: dict[str, str], command: str) -> dict[str, object]:
    """The printed `sync-server fees statement` command, run from "another terminal"."""
    args = [*command.split("sync-server ", 1)[1].split(), "--format", "json"]
    result = subprocess.run(
        [sys.executable, "-m", "sync_server.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    statement: dict[str, object] = json.loads(result.stdout)
    return statement


def test_platform_sale_reaches_the_fee_statement_and_ctrl_c_stops_everything(
    newcomer: dict[str, str], sync_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = free_port()
    cluster = embedded_pg.Cluster(sync_data_dir / "postgres")

    # Closing the window (here: the app closes itself once usable) stops everything.
    first = Launcher(newcomer, port, "--exit-after-startup")
    assert first.finish(timeout=300) == 0, first.output
    assert "startup: counter usable after" in first.output
    assert first.output.endswith("platform: stopped")
    assert not cluster.running()
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5)

    # Started again, it keeps the shop and the pairing, and stays up until Ctrl-C.
    launcher = Launcher(newcomer, port)
    try:
        output = launcher.wait_ready()
        found = re.search(r"demo register \(data in (.+?)\) is paired", output)
        assert found, output
        assert (
            re.findall(r"as device (\S+)", output)[0]
            == re.findall(r"as device (\S+)", first.output)[0]
        )
        command = re.search(r"its fee shows in: (.+)$", output, re.MULTILINE)
        assert command, output

        # A sale at the demo register, through the register's own checkout and sync engine.
        monkeypatch.setenv("POS_TEST_KEYRING_FILE", newcomer["POS_TEST_KEYRING_FILE"])
        register = Register.open(AppConfig(data_dir=Path(found.group(1))))
        try:
            sync = SyncEngine(
                register.db, secrets=SecretStore(backend=file_keyring_for_cli.TestFileKeyring())
            )
            assert sync.status().last_success_at is not None  # the counter app synced
            staff = register.access.staff_by_name("Sam")
            register.shifts.ensure_open(staff, float_minor=0)
            sold = register.sales.scripted_sale(
                staff, [("COF-LAT", 2), ("BAK-CRO", 1)], pay="cash", tendered_minor=None
            )
            sync.sync_once()
            with register.db.read() as uow:
                order = uow.orders.get(UUID(sold["id"]))
            assert order is not None
            product_revenue = order.totals().revenue_minor
        finally:
            register.close()

        statement = _statement(newcomer, command.group(1))
        assert statement["tenant"] == "corner-cafe"
        assert statement["net_minor"] == product_revenue
        assert statement["fee_minor"] == fee_of(product_revenue, 100) > 0  # 1 %
        assert cluster.running()  # the statement attached to the platform's cluster
    finally:
        if launcher.process.poll() is None:
            os.killpg(launcher.process.pid, signal.SIGINT)  # what Ctrl-C in its terminal does
    assert launcher.finish() == 0, launcher.output
    assert launcher.output.endswith("platform: stopped")
    assert not cluster.running()
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
    with pytest.raises(ProcessLookupError):
        os.killpg(launcher.process.pid, 0)  # nothing it started is left (app, server)
