"""Pairing a register: the first-run wizard (driven like a person would) and `pos-app pair`."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import uuid
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine

from pos_app.app import install_translations
from pos_app.application.sync import SyncEngine
from pos_app.config import AppConfig
from pos_app.db.database import Database
from pos_app.integrations.secrets import DEVICE_TOKEN, STRIPE_KEY, SecretStore
from pos_app.integrations.sync_client import SyncError, SyncErrorKind
from pos_app.services.setup import seed_demo
from pos_app.ui.first_run import FirstRunResult, FirstRunWizard
from pos_app.ui.tasks import TaskRunner
from pos_app.ui.widgets.sync_status import SyncIndicator
from sync_server.config import Settings
from sync_server.devices import service as devices
from tests.support.memory_keyring import MemoryKeyring
from tests.support.sync_server_live import LiveServer, start_live_server
from tests.support.sync_server_tenants import create_tenant, pairing_code

pytestmark = [pytest.mark.postgres, pytest.mark.qt]
ROOT = Path(__file__).resolve().parents[2]


def test_the_wizard_pairs_a_new_register_and_keeps_the_key_in_the_keyring(
    qtbot: QtBot, tmp_path: Path, settings: Settings, live: LiveServer
) -> None:
    tenant = create_tenant(settings, currency="USD", timezone="America/New_York")
    # The shop's first register pushes its catalog and staff.
    first = Database(tmp_path / "first" / "register.sqlite3")
    with first.write() as uow:
        seed_demo(uow)
    first_secrets = SecretStore(service="wizard-first", backend=MemoryKeyring())
    SyncEngine(first, secrets=first_secrets).pair(
        server_url=live.url, code=pairing_code(settings, tenant), device_name="Till 1"
    )
    SyncEngine(first, secrets=first_secrets).sync_once()

    config = AppConfig(data_dir=tmp_path / "second")
    db = Database(config.db_path)
    secrets = SecretStore(service="wizard-second", backend=MemoryKeyring())
    runner = TaskRunner()
    wizard = FirstRunWizard(config, db, runner, secrets=secrets)
    qtbot.addWidget(wizard)
    wizard.resize(1024, 768)
    wizard.show()
    results: list[FirstRunResult] = []
    wizard.sig_finished.connect(results.append)
    try:
        qtbot.mouseClick(_button(wizard, "JoinShop"), Qt.MouseButton.LeftButton)
        assert wizard.stack.currentWidget() is wizard.pairing
        qtbot.keyClicks(wizard.server_url, live.url)
        qtbot.keyClicks(wizard.pair_code, pairing_code(settings, tenant))
        wizard.register_name.clear()
        qtbot.keyClicks(wizard.register_name, "Till 2")
        qtbot.mouseClick(_button(wizard, "Pair"), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: wizard.stack.currentWidget() is wizard.card, timeout=20_000)
        assert "items received" in wizard.pair_status.text()
        qtbot.keyClicks(wizard.stripe_key, "rk_test_51Shopkey0123456789abcd")
        qtbot.mouseClick(_button(wizard, "SaveKey"), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(results), timeout=10_000)
        wizard.grab().save(str(tmp_path / "wizard-card.png"))
    finally:
        runner.shutdown()
    assert results == [FirstRunResult(demo=False)]
    assert secrets.get(STRIPE_KEY) == "rk_test_51Shopkey0123456789abcd"
    token = secrets.get(DEVICE_TOKEN)
    assert token is not None
    assert token.startswith("cps_dev_")
    with db.read() as uow:
        shop = uow.settings.shop()
        staff = {m.name for m in uow.staff.all()}
        products = uow.catalog.product_count()
        audit = uow.audit.entries(action="settings.stripe_key")
    assert shop is not None
    assert shop.name == "Test Shop"
    assert {"Alex", "Morgan", "Sam"} <= staff
    assert products == 20
    assert "rk_test_51Shopkey0123456789abcd" not in json.dumps(audit[0].details)
    for path in config.data_dir.iterdir():  # neither secret is ever written to disk here
        data = path.read_bytes()
        assert token.encode() not in data
        assert b"rk_test_51Shopkey0123456789abcd" not in data
    db.dispose()
    first.dispose()


def _button(wizard: FirstRunWizard, name: str) -> QPushButton:
    found = wizard.findChild(QPushButton, name)
    assert found is not None, name
    return found


def test_pos_app_pair_and_sync_commands(
    tmp_path: Path, settings: Settings, live: LiveServer
) -> None:
    tenant = create_tenant(settings, currency="USD", timezone="America/New_York")
    env = {
        **os.environ,
        "POS_DATA_DIR": str(tmp_path),
        "PYTHON_KEYRING_BACKEND": "tests.support.file_keyring_for_cli.TestFileKeyring",
        "POS_TEST_KEYRING_FILE": str(tmp_path.parent / "cli-keyring.json"),
        "PYTHONPATH": str(ROOT),
    }

    def pos_app(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pos_app", *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            timeout=120,
        )

    unpaired = pos_app("sync")
    assert unpaired.returncode == 1
    assert "not paired" in unpaired.stderr
    bad = pos_app("pair", "--server", live.url, "--code", "WRONG-CODE", "--name", "Till 9")
    assert bad.returncode == 1
    assert "pairing failed" in bad.stderr
    paired = pos_app(
        "pair",
        "--server",
        live.url,
        "--code",
        pairing_code(settings, tenant),
        "--name",
        "Till 9",
        "--owner-name",
        "Pat",
        "--owner-pin",
        "4321",
    )
    assert paired.returncode == 0, paired.stderr
    assert "paired with Test Shop" in paired.stdout
    status = json.loads(pos_app("sync", "--status").stdout)
    assert status["paired"] is True
    assert status["summary"] == "synced"
    sale = pos_app("sale", "--item", "X", "--pay", "cash")
    assert sale.returncode == 1  # no catalog on a brand-new shop: a clear error, not a crash
    assert "no product" in sale.stderr
    synced = pos_app("sync")
    assert synced.returncode == 0, synced.stderr
    assert synced.stdout.startswith("synced:")


def test_a_revoked_register_says_to_pair_again_and_errors_read_as_sentences(
    tmp_path: Path, settings: Settings, live: LiveServer
) -> None:
    tenant = create_tenant(settings, currency="USD", timezone="America/New_York")
    env = {
        **os.environ,
        "POS_DATA_DIR": str(tmp_path),
        "PYTHON_KEYRING_BACKEND": "tests.support.file_keyring_for_cli.TestFileKeyring",
        "POS_TEST_KEYRING_FILE": str(tmp_path.parent / "cli-keyring.json"),
        "PYTHONPATH": str(ROOT),
        "SYNC_DATABASE_URL": settings.database_url,
        "SYNC_ADMIN_DATABASE_URL": settings.admin_database_url,
        "SYNC_TOKEN_HMAC_KEY": settings.token_hmac_key.decode(),
    }

    def run(module: str, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", module, *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            timeout=120,
        )

    bad = run("pos_app", "pair", "--server", live.url, "--code", "WRONG-CODE", "--name", "Till")
    assert bad.returncode == 1
    assert "{'error'" not in bad.stderr, bad.stderr
    assert "pairing code unknown, already used or expired" in bad.stderr
    assert bad.stderr.count("\n") == 1, bad.stderr
    code = pairing_code(settings, tenant)
    paired = run("pos_app", "pair", "--server", live.url, "--code", code, "--name", "Till")
    assert paired.returncode == 0, paired.stderr
    device_id = json.loads(run("pos_app", "sync", "--status").stdout)["device_id"]

    revoked = run("sync_server.cli", "devices", "revoke", device_id)
    assert revoked.returncode == 0, revoked.stderr
    failed = run("pos_app", "sync")
    assert failed.returncode == 1
    assert "{'error'" not in failed.stderr, failed.stderr
    assert "unpaired on the server" in failed.stderr
    assert "pos-app pair" in failed.stderr
    status = json.loads(run("pos_app", "sync", "--status").stdout)
    assert status["paired"] is False
    assert status["revoked"] is True
    assert "pair it again" in status["summary"]

    again = run(
        "pos_app",
        "pair",
        "--server",
        live.url,
        "--code",
        pairing_code(settings, tenant),
        "--name",
        "Till",
    )
    assert again.returncode == 0, again.stderr
    status = json.loads(run("pos_app", "sync", "--status").stdout)
    assert status["paired"] is True
    assert status["revoked"] is False


def test_too_many_pairing_attempts_say_how_long_to_wait(tmp_path: Path, settings: Settings) -> None:
    server = start_live_server(replace(settings, pair_attempts_per_minute=1))
    try:
        engine = SyncEngine(
            Database(tmp_path / "register.sqlite3"),
            secrets=SecretStore(service="counter-pos-test-429", backend=MemoryKeyring()),
        )
        with pytest.raises(SyncError):
            engine.pair(server_url=server.url, code="WRONG-CODE", device_name="Till")
        with pytest.raises(SyncError) as limited:
            engine.pair(server_url=server.url, code="WRONG-CODE", device_name="Till")
    finally:
        server.stop()
    assert limited.value.kind is SyncErrorKind.RATE_LIMITED
    assert re.fullmatch(r"too many attempts: wait \d+ s and try again", str(limited.value))


@pytest.mark.parametrize(
    ("locale", "bar"),
    [("en_US", "Unpaired on the server — pair again"),
     ("pt_BR", "Despareado no servidor — pareie de novo")],
)  # fmt: skip
def test_the_status_bar_of_a_revoked_register_says_to_pair_again(
    tmp_path: Path,
    settings: Settings,
    live: LiveServer,
    qapp: QApplication,
    qtbot: QtBot,
    locale: str,
    bar: str,
) -> None:
    tenant = create_tenant(settings, currency="USD", timezone="America/New_York")
    engine = SyncEngine(
        Database(tmp_path / "register.sqlite3"),
        secrets=SecretStore(service=f"counter-pos-test-{locale}", backend=MemoryKeyring()),
    )
    device_id = engine.pair(
        server_url=live.url, code=pairing_code(settings, tenant), device_name="Till"
    ).device_id
    admin = create_engine(settings.admin_database_url)
    try:
        with admin.begin() as conn:
            assert devices.revoke(conn, uuid.UUID(device_id))
    finally:
        admin.dispose()
    with pytest.raises(SyncError, match="unpaired on the server"):
        engine.sync_once()

    translators = install_translations(qapp, locale)
    try:
        indicator = SyncIndicator("America/New_York", locale, lambda: None)
        qtbot.addWidget(indicator)
        indicator.update_status(engine.status())
        assert indicator.text() == bar
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)  # type: ignore[arg-type]
