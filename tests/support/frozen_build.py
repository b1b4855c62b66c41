"""The store build (dist/pos-app) for its smoke test and its benchmark: find a fresh one or
build it, and start the app the way a shop does, timing it from the outside.

Which build: ``POS_FROZEN_BUILD`` (a bundle folder, set by `make test-package` after it built
one), else dist/pos-app when it is newer than every source file that goes into it, else a new
build when ``BUILD_FROZEN=1``. Otherwise there is none, and callers skip with `NO_BUILD`.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import IO

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_BUNDLE = ROOT / "dist" / "pos-app"
SOURCES = ("pos_app", "resources", "packaging", "pyproject.toml")
NO_BUILD = (
    "no fresh store build in dist/pos-app: `make test-package` builds one and runs the smoke "
    "test (or set BUILD_FROZEN=1 to build here, POS_FROZEN_BUILD to use another)"
)
USABLE = re.compile(r"^startup: (?P<what>.+) usable after (?P<seconds>[\d.]+) s", re.M)


def load_packaging_module(name: str) -> ModuleType:
    """packaging/<name>.py, loaded from its file: `packaging` is also the name of a well-known
    library, so `import packaging.trim` would find that one."""
    spec = importlib.util.spec_from_file_location(
        f"bundle_{name}", ROOT / "packaging" / f"{name}.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # Registered first: dataclasses look their module up while the class is being made.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def executable(bundle: Path) -> Path:
    return bundle / ("pos-app.exe" if os.name == "nt" else "pos-app")


def newest_source_mtime() -> float:
    newest = 0.0
    for name in SOURCES:
        path = ROOT / name
        files = [path] if path.is_file() else path.rglob("*")
        for file in files:
            if file.is_file() and "__pycache__" not in file.parts:
                newest = max(newest, file.stat().st_mtime)
    return newest


def is_fresh(bundle: Path) -> bool:
    program = executable(bundle)
    return program.exists() and program.stat().st_mtime >= newest_source_mtime()


def build() -> float:
    """Run packaging/build.py (as `make package` does); returns the seconds it took."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "build.py")],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


@dataclass(frozen=True)
class FrozenBuild:
    bundle: Path
    built_here_s: float | None
    """Seconds the build took when it was made for this run; None when an existing one is used."""

    @property
    def program(self) -> Path:
        return executable(self.bundle)


def find_build() -> FrozenBuild | None:
    chosen = os.environ.get("POS_FROZEN_BUILD")
    if chosen:
        bundle = Path(chosen)
        bundle = bundle if bundle.is_absolute() else ROOT / bundle
        if not executable(bundle).exists():
            raise FileNotFoundError(f"POS_FROZEN_BUILD={chosen}: no pos-app executable there")
        return FrozenBuild(bundle, None)
    if is_fresh(DEFAULT_BUNDLE):
        return FrozenBuild(DEFAULT_BUNDLE, None)
    if os.environ.get("BUILD_FROZEN") == "1":
        return FrozenBuild(DEFAULT_BUNDLE, build())
    return None


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a shop's machine: offscreen Qt, a fresh home (empty caches, no
    keyring service), and none of the test suite's Python settings."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTHON", "POS_", "DBUS_", "XDG_", "VIRTUAL_ENV"))
    }
    env.update(
        HOME=str(home),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_CONFIG_HOME=str(home / ".config"),
        QT_QPA_PLATFORM="offscreen",
    )
    env.update(extra)
    return env


@dataclass(frozen=True)
class StartupRun:
    wall_s: float
    """From spawning the process to its "usable" line, measured here."""
    reported_s: float
    """What the app itself reported (from its process start, where the OS says)."""
    what: str
    returncode: int
    stdout: str
    stderr: str


def start_until_usable(
    command: Sequence[str], env: Mapping[str, str], *, timeout_s: float = 120.0
) -> StartupRun:
    """Start `command` (a GUI start with --exit-after-startup), note when it says it is usable,
    and wait for it to exit."""
    out: list[str] = []
    err: list[str] = []
    usable_at: list[float] = []

    def read(stream: IO[str], lines: list[str]) -> None:
        for line in stream:
            if lines is out and not usable_at and USABLE.match(line):
                usable_at.append(time.perf_counter())
            lines.append(line)

    started = time.perf_counter()
    with subprocess.Popen(
        list(command),
        env=dict(env),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        readers = [
            threading.Thread(target=read, args=(process.stdout, out), daemon=True),
            threading.Thread(target=read, args=(process.stderr, err), daemon=True),
        ]
        for reader in readers:
            reader.start()
        try:
            returncode = process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
        finally:
            for reader in readers:
                reader.join(timeout=10)
    stdout = "".join(out)
    found = USABLE.search(stdout)
    if not usable_at or found is None:
        raise AssertionError(f"never usable (exit {returncode}): {stdout}{''.join(err)}")
    return StartupRun(
        wall_s=usable_at[0] - started,
        reported_s=float(found["seconds"]),
        what=found["what"],
        returncode=returncode,
        stdout=stdout,
        stderr="".join(err),
    )
