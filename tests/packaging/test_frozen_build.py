"""Smoke test of the store build (issue 9): the PyInstaller bundle runs without Python, migrates
its database, starts its GUI, and keeps stderr clean.

`make test-package` builds the bundle and runs these. In a plain `make test` they run against
dist/pos-app when it is fresher than the sources, and are skipped (saying why) otherwise;
BUILD_FROZEN=1 builds one first. Each run gets a fresh home directory: empty caches, no
keyring service, nothing from the test suite's environment, as on a shop's new machine.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from pos_app import __version__
from pos_app.db.migrate import alembic_config, head_revision
from tests.support.frozen_build import ROOT, FrozenBuild, clean_env, start_until_usable

pytestmark = pytest.mark.slow

BUNDLE_LIMIT_BYTES = 200_000_000
SERVER_ONLY = ("sync_server", "fastapi", "uvicorn", "psycopg", "procrastinate", "starlette")
QT_MODULES_ALLOWED = {"QtCore", "QtGui", "QtWidgets", "QtCharts", "QtDBus", "QtSvg"}


def run(
    frozen: FrozenBuild, home: Path, *args: str, **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(frozen.program), *args],
        capture_output=True,
        text=True,
        env=clean_env(home, **env),
        cwd=home,
        timeout=120,
        check=False,
    )


def alembic_version(database: Path) -> str:
    with sqlite3.connect(database) as connection:
        (version,) = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return str(version)


def test_self_test_passes_with_a_clean_stderr(frozen: FrozenBuild, tmp_path: Path) -> None:
    result = run(frozen, tmp_path, "self-test")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "self-test: OK" in result.stdout
    assert "Z REPORT" in result.stdout
    # python-escpos found its printer database inside the bundle.
    assert "self-test: receipt rendered as" in result.stdout
    # No keyring service on this fresh machine: the clear message, and no crash.
    assert "self-test: keyring: unavailable: This computer has no keyring service" in result.stdout
    shipped = sorted(p.stem.removeprefix("pos_") for p in ROOT.glob("resources/translations/*.ts"))
    for locale in shipped:
        assert locale in result.stdout.split("self-test: translations:")[1].splitlines()[0]


def test_help_and_the_version_from_one_place(frozen: FrozenBuild, tmp_path: Path) -> None:
    helped = run(frozen, tmp_path, "--help")
    assert helped.returncode == 0
    assert helped.stderr == ""
    assert "self-test" in helped.stdout
    assert "--exit-after-startup" in helped.stdout
    version = run(frozen, tmp_path, "--version")
    assert (version.returncode, version.stdout.strip()) == (0, f"pos-app {__version__}")


def test_demo_starts_offscreen_with_its_card_reader(frozen: FrozenBuild, tmp_path: Path) -> None:
    data = tmp_path / "data"
    started = start_until_usable(
        [str(frozen.program), "--data-dir", str(data), "demo", "--exit-after-startup"],
        clean_env(tmp_path),
    )
    assert started.returncode == 0, started.stderr
    assert started.stderr == ""
    assert started.what == "counter"
    # The in-process Stripe emulator and its simulated reader work from the bundle.
    assert "startup: card reader ready: Register 1" in started.stdout
    # The migrations shipped as files and ran on the first start.
    assert alembic_version(data / "demo" / "register.sqlite3") == head_revision()
    assert (data / "demo" / "logs" / "pos-app.log").exists()


def test_a_new_register_opens_the_first_run_wizard(frozen: FrozenBuild, tmp_path: Path) -> None:
    data = tmp_path / "shop"
    started = start_until_usable(
        [str(frozen.program), "--data-dir", str(data), "--exit-after-startup"],
        clean_env(tmp_path),
    )
    assert started.returncode == 0, started.stderr
    assert started.stderr == ""
    assert started.what == "first-run wizard"
    assert alembic_version(data / "register.sqlite3") == head_revision()


def test_an_update_migrates_an_older_database(frozen: FrozenBuild, tmp_path: Path) -> None:
    # A register installed from an earlier release: its database is at the first revision.
    data = tmp_path / "shop"
    data.mkdir()
    engine = create_engine(f"sqlite:///{data / 'register.sqlite3'}")
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        from alembic import command

        command.upgrade(config, "0001")
    engine.dispose()
    assert alembic_version(data / "register.sqlite3") == "0001"

    result = run(frozen, tmp_path, "--data-dir", str(data), "sync", "--status")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert '"paired": false' in result.stdout
    assert alembic_version(data / "register.sqlite3") == head_revision()


@pytest.mark.skipif(
    not (shutil.which("dbus-run-session") and shutil.which("gnome-keyring-daemon")),
    reason="needs dbus-run-session and gnome-keyring-daemon for a real Secret Service",
)
def test_the_keyring_works_through_a_real_secret_service(
    frozen: FrozenBuild, tmp_path: Path
) -> None:
    script = tmp_path / "with-keyring.sh"
    script.write_text(
        "set -e\n"
        # An unlocked login keyring in this private D-Bus session, as a desktop login gives.
        "printf 'smoke-test' | gnome-keyring-daemon --unlock --components=secrets >/dev/null\n"
        'exec "$@"\n'
    )
    result = subprocess.run(
        ["dbus-run-session", "--", "bash", str(script), str(frozen.program), "self-test"],
        capture_output=True,
        text=True,
        env=clean_env(tmp_path),
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "self-test: keyring: OK (keyring.backends.SecretService.Keyring)" in result.stdout


def test_the_bundle_holds_the_register_and_nothing_of_the_server(frozen: FrozenBuild) -> None:
    files = [p for p in frozen.bundle.rglob("*") if p.is_file() and not p.is_symlink()]
    size = sum(p.stat().st_size for p in files)
    assert size <= BUNDLE_LIMIT_BYTES, f"{size / 1e6:.1f} MB"
    internal = frozen.bundle / "_internal"
    assert (internal / "pos_app" / "db" / "migrations" / "env.py").exists()
    assert (internal / "pos_app" / "db" / "migrations" / "script.py.mako").exists()
    assert list((internal / "pos_app" / "db" / "migrations" / "versions").glob("0001_*.py"))
    assert (internal / "resources" / "styles" / "counter.qss").exists()
    assert (internal / "escpos" / "capabilities.json").exists()
    for source in ROOT.glob("resources/translations/*.ts"):
        assert (internal / "resources" / "translations" / f"{source.stem}.qm").exists()
    assert not list((internal / "resources").rglob("*.ts"))
    qt_modules = {p.name.split(".")[0] for p in (internal / "PySide6").glob("Qt*.abi3.so")}
    assert qt_modules <= QT_MODULES_ALLOWED, qt_modules - QT_MODULES_ALLOWED
    assert not list(internal.rglob("libQt6Quick*")), "Qt Quick came back in"
    assert not list(internal.rglob("libQt6WebEngine*"))
    bundled_names = {p.relative_to(internal).parts[0].split("-")[0] for p in internal.iterdir()}
    assert not bundled_names & set(SERVER_ONLY)
    # The Python modules live in the executable's archive: no server code in there either.
    archive = pytest.importorskip("PyInstaller.archive.readers")
    package = archive.CArchiveReader(str(frozen.program))
    modules = {name.split(".")[0] for name in package.open_embedded_archive("PYZ.pyz").toc}
    assert "pos_app" in modules
    assert not modules & set(SERVER_ONLY), modules & set(SERVER_ONLY)
    assert (frozen.bundle / "counter-pos.desktop").exists()
