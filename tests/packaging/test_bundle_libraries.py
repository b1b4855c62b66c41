"""The store build loads no library that a stock Ubuntu 22.04 or 24.04 desktop lacks (issue 16):
packaging/linked_libraries.py runs ldd over the bundle, and packaging/build.py refuses a bundle
that fails it. Checked on the built bundle, and on a bundle made here that lacks the xcb
plugin's libraries, as a build on a machine without them would.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import PySide6
import pytest

from tests.support.frozen_build import ROOT, FrozenBuild, load_packaging_module

linked = load_packaging_module("linked_libraries")

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or shutil.which("ldd") is None,
    reason="the library check is for Linux bundles, with ldd",
)

XCB_PLUGIN = "_internal/PySide6/Qt/plugins/platforms/libqxcb.so"
# What the xcb platform plugin needs beyond libxcb itself (Qt 6.5 and later); stock desktops
# lack some, libxcb-cursor0 above all.
XCB_LIBRARIES = (
    "libxcb-cursor.so.0",
    "libxcb-icccm.so.4",
    "libxcb-image.so.0",
    "libxcb-keysyms.so.1",
    "libxcb-render-util.so.0",
    "libxkbcommon-x11.so.0",
)
SYSTEM_LIBRARY_DIRS = (Path("/lib/x86_64-linux-gnu"), Path("/usr/lib/x86_64-linux-gnu"))


def qt_bundle(root: Path) -> Path:
    """A bundle laid out as PyInstaller lays it out, with the xcb platform plugin and Qt's
    libraries from this environment's PySide6, and nothing else: PySide6's wheel does not carry
    the xcb utility libraries, so this is a build on a machine that lacks them."""
    qt = Path(PySide6.__file__).parent / "Qt"
    internal = root / "_internal"
    platforms = internal / "PySide6" / "Qt" / "plugins" / "platforms"
    platforms.mkdir(parents=True)
    shutil.copy2(qt / "plugins" / "platforms" / "libqxcb.so", platforms)
    libraries = internal / "PySide6" / "Qt" / "lib"
    libraries.mkdir()
    for library in (qt / "lib").iterdir():
        (libraries / library.name).symlink_to(library)
    return root


def test_the_built_bundle_loads_nothing_a_stock_desktop_lacks(frozen: FrozenBuild) -> None:
    problems = linked.unresolved_libraries(frozen.bundle)
    assert problems == [], "\n".join(map(str, problems))
    # And Ubuntu 22.04's C library loads every binary in it.
    assert linked.needing_newer_glibc(frozen.bundle) == []
    # The plugin's libraries come from inside the bundle, not from this machine.
    resolved = dict(
        linked.resolved_libraries(frozen.bundle / XCB_PLUGIN, frozen.bundle / "_internal")
    )
    for name in XCB_LIBRARIES:
        assert resolved[name] is not None, name
        assert Path(resolved[name]).is_relative_to(frozen.bundle), (name, resolved[name])


def test_the_stock_list_leaves_the_xcb_utility_libraries_to_the_bundle() -> None:
    stock = linked.stock_desktop_libraries()
    assert {"libc.so.6", "libxcb.so.1", "libGL.so.1", "libfontconfig.so.1"} <= stock
    assert not stock & set(XCB_LIBRARIES)
    # Every library the build machine is asked to install is either bundled or on desktops.
    packages = linked.build_packages()
    assert packages["libxcb-cursor.so.0"] == "libxcb-cursor0"
    assert set(XCB_LIBRARIES) <= packages.keys()


def test_a_plugin_library_missing_from_the_bundle_is_named_with_its_plugin(
    tmp_path: Path,
) -> None:
    bundle = qt_bundle(tmp_path / "bundle")
    problems = linked.unresolved_libraries(bundle)
    missing = {problem.library for problem in problems if problem.needed_by == XCB_PLUGIN}
    assert set(XCB_LIBRARIES) <= missing, missing
    # Qt's own libraries resolve inside the bundle, and the stock ones on the system.
    assert not missing & {"libQt6Core.so.6", "libQt6XcbQpa.so.6", "libc.so.6", "libxcb.so.1"}
    cursor = next(p for p in problems if p.library == "libxcb-cursor.so.0")
    assert str(cursor).startswith(f"libxcb-cursor.so.0 (needed by {XCB_PLUGIN}): ")

    # Carried in the bundle (where this machine has them to copy), they are no longer named.
    copied = set()
    for name in XCB_LIBRARIES:
        for directory in SYSTEM_LIBRARY_DIRS:
            if (directory / name).exists():
                shutil.copy2(directory / name, bundle / "_internal" / name)
                copied.add(name)
                break
    still = {p.library for p in linked.unresolved_libraries(bundle) if p.needed_by == XCB_PLUGIN}
    assert not still & copied, still & copied


def test_the_build_refuses_such_a_bundle_and_names_the_package(tmp_path: Path) -> None:
    bundle = qt_bundle(tmp_path / "bundle")
    result = subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "build.py"), "--check", str(bundle)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1, result.stdout
    assert "the bundle would not start on a stock desktop" in result.stderr
    assert f"libxcb-cursor.so.0 (needed by {XCB_PLUGIN}): " in result.stderr, result.stderr
    assert "install libxcb-cursor0 on the build machine" in result.stderr
    assert bundle.exists()  # --check only looks; a build removes what it refuses


def test_a_binary_needing_a_newer_glibc_than_the_oldest_desktop_is_named(tmp_path: Path) -> None:
    bundle = qt_bundle(tmp_path / "bundle")
    needed = linked.glibc_needed(bundle / XCB_PLUGIN)
    assert needed is not None
    # As if the oldest desktop's C library were older than what the plugin was built for.
    older = (needed[0], needed[1] - 1)
    assert linked.needing_newer_glibc(bundle, older) == [
        (XCB_PLUGIN, f"GLIBC_{needed[0]}.{needed[1]}")
    ]
    assert linked.needing_newer_glibc(bundle, needed) == []
