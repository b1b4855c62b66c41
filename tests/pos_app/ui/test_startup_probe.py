"""`pos-app --exit-after-startup` and the self-test's bundle checks, from source, as real
processes (the packaged app's smoke test runs the same commands against the build)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.frozen_build import ROOT, clean_env, start_until_usable

pytestmark = pytest.mark.slow


def test_the_demo_reports_when_it_is_usable_then_exits(tmp_path: Path) -> None:
    data = tmp_path / "data"
    started = start_until_usable(
        [sys.executable, "-m", "pos_app", "--data-dir", str(data), "demo", "--exit-after-startup"],
        clean_env(tmp_path),
    )
    assert started.returncode == 0, started.stderr
    assert started.stderr == ""
    assert started.what == "counter"
    assert 0 < started.reported_s < 60
    assert "startup: card reader ready: Register 1" in started.stdout
    # The demo shop was seeded: the counter listed its staff and filled the product grid.
    assert (data / "demo" / "register.sqlite3").exists()


def test_a_reader_that_stops_listening_does_not_keep_the_app_running(tmp_path: Path) -> None:
    """`pos-app demo --exit-after-startup | head -1`: the second line meets a closed pipe; the
    app still quits (it used to raise inside a Qt slot, skip the exit and run for ever)."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pos_app",
            "--data-dir",
            str(tmp_path),
            "demo",
            "--exit-after-startup",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=clean_env(tmp_path),
        cwd=ROOT,
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().startswith(b"startup: counter usable after")
        process.stdout.close()  # like `head -1` exiting
        _, stderr = process.communicate(timeout=60)
        assert process.returncode == 0, stderr
        assert b"Traceback" not in stderr
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def test_the_flag_is_accepted_before_the_command_too(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "pos_app", "--exit-after-startup"]
    started = start_until_usable(
        [*command, "--data-dir", str(tmp_path), "demo"], clean_env(tmp_path)
    )
    assert (started.returncode, started.what) == (0, "counter")


def test_a_register_without_a_shop_reports_the_first_run_wizard(tmp_path: Path) -> None:
    started = start_until_usable(
        [sys.executable, "-m", "pos_app", "--data-dir", str(tmp_path), "--exit-after-startup"],
        clean_env(tmp_path),
    )
    assert started.returncode == 0, started.stderr
    assert started.stderr == ""
    assert started.what == "first-run wizard"


def test_self_test_names_a_keyring_backend_that_cannot_be_loaded(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pos_app", "self-test"],
        capture_output=True,
        text=True,
        env=clean_env(tmp_path, PYTHON_KEYRING_BACKEND="no_such_module.Keyring"),
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert (
        "self-test: keyring: unavailable: The keyring backend chosen with "
        "PYTHON_KEYRING_BACKEND (no_such_module.Keyring) cannot be loaded"
    ) in result.stdout
    assert "self-test: receipt rendered as" in result.stdout
    assert "self-test: OK" in result.stdout
