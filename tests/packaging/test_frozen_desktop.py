"""The store build on a real X server (issue 16): Qt's xcb platform plugin, not offscreen, under
a window manager, as on a shop's desktop. The app must start and report itself usable, show its
window with the shop's name, and sell through real X input, by keyboard and "scanner" alone
(the sale tests/support/desktop_sale.py drives, as for the run from source). A screenshot of each
step is saved with the test and copied to build/artifacts/. And it must start where this
machine's xcb utility libraries are hidden, as on a stock desktop without them.

`make test-package` requires these to run (POS_DESKTOP_TEST=required): without Xvfb, openbox,
xdotool, xprop or ImageMagick they fail there, and are skipped elsewhere.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from pathlib import Path

import PySide6
import pytest

from tests.support.desktop import Desktop, desktop, skip_unless_tools
from tests.support.desktop_sale import a_sale_by_keyboard
from tests.support.frozen_build import (
    FrozenBuild,
    StartupRun,
    clean_env,
    load_packaging_module,
    start_until_usable,
)

pytestmark = pytest.mark.slow

SYSTEM_LIBRARY_DIRS = (Path("/usr/lib/x86_64-linux-gnu"), Path("/lib/x86_64-linux-gnu"))


@pytest.fixture(scope="module")
def screen(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desktop]:
    skip_unless_tools()
    with desktop(tmp_path_factory.mktemp("desktop")) as started:
        yield started


def on_screen(screen: Desktop, home: Path) -> dict[str, str]:
    return clean_env(home, QT_QPA_PLATFORM="xcb", DISPLAY=screen.display)


def test_the_demo_and_the_first_run_start_on_xcb(
    frozen: FrozenBuild, screen: Desktop, tmp_path: Path
) -> None:
    def start(data: Path, *args: str) -> StartupRun:
        started = start_until_usable(
            [str(frozen.program), "--data-dir", str(data), *args, "--exit-after-startup"],
            on_screen(screen, tmp_path),
        )
        assert started.returncode == 0, started.stderr
        assert started.stderr == ""
        return started

    demo = start(tmp_path / "demo-data", "demo")
    assert demo.what == "counter"
    assert "startup: card reader ready: Register 1" in demo.stdout
    assert start(tmp_path / "new-shop").what == "first-run wizard"


def libraries_a_desktop_may_lack() -> list[Path]:
    """This machine's copies of the libraries the build machine installs for the bundle that no
    stock desktop is sure to have (libxcb-cursor0 and the other xcb utility libraries)."""
    linked = load_packaging_module("linked_libraries")
    stock = linked.stock_desktop_libraries()
    found = {
        (directory / soname).resolve()
        for soname in linked.build_packages()
        if soname not in stock
        for directory in SYSTEM_LIBRARY_DIRS
        if (directory / soname).exists()
    }
    return sorted(found)


def without(hidden: Sequence[Path], command: Sequence[str]) -> list[str]:
    """`command` in a private mount namespace where each of `hidden` reads as an empty file,
    so the dynamic loader cannot use it: this machine as a desktop that lacks them."""
    mounts = "".join(f"mount --bind /dev/null {shlex.quote(str(path))} && " for path in hidden)
    user = [] if os.geteuid() == 0 else ["--user", "--map-root-user"]
    return ["unshare", *user, "--mount", "--propagation", "private", "sh", "-c",
            f'{mounts}exec "$@"', "sh", *command]  # fmt: skip


def test_the_build_starts_on_a_desktop_without_the_xcb_utility_libraries(
    frozen: FrozenBuild, screen: Desktop, tmp_path: Path
) -> None:
    hidden = libraries_a_desktop_may_lack()
    if not hidden or shutil.which("unshare") is None:
        pytest.skip("needs unshare and the xcb utility libraries on this machine, to hide them")
    probe = subprocess.run(["unshare", "--mount", "true"], capture_output=True, check=False)
    if os.geteuid() == 0 and probe.returncode != 0:
        pytest.skip(f"no private mount namespace here: {probe.stderr.decode().strip()}")
    # Hidden indeed: Qt's plugin as installed in the environment, outside the bundle, cannot load.
    system_plugin = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    ldd = subprocess.run(
        without(hidden, ["ldd", str(system_plugin)]), capture_output=True, text=True, check=False
    )
    # (ldd stops at the first one: whichever of them the plugin asks for first.)
    output = ldd.stdout + ldd.stderr
    assert "error while loading shared libraries" in output, output
    assert "file too short" in output, output

    demo = [str(frozen.program), "--data-dir", str(tmp_path / "data"), "demo"]
    started = start_until_usable(
        without(hidden, [*demo, "--exit-after-startup"]), on_screen(screen, tmp_path)
    )
    assert started.returncode == 0, started.stderr
    assert started.stderr == ""
    assert started.what == "counter"


def test_a_cash_sale_on_the_desktop(frozen: FrozenBuild, screen: Desktop, tmp_path: Path) -> None:
    """The same sale by keyboard and scanner as the run from source (tests/support/
    desktop_sale.py), with the store build."""
    data = tmp_path / "data"
    a_sale_by_keyboard(
        screen,
        [str(frozen.program), "--data-dir", str(data), "demo"],
        on_screen(screen, tmp_path),
        data=data,
        folder=tmp_path,
        prefix="frozen-desktop",
    )
