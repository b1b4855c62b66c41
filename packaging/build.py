"""Build the register for a shop: compile the translations, run PyInstaller on
packaging/pos_app.spec, check that the bundle needs no library a stock desktop lacks, and
report the bundle's size.

    python packaging/build.py [--clean]      # `make package` runs this
    python packaging/build.py --check DIR    # only the library check, on a built folder

The result is dist/pos-app/ at the repository root (PyInstaller's work files go to build/):
the `pos-app` executable, its `_internal/` folder, and the desktop entry and icon to install.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "pos_app.spec"
DIST = ROOT / "dist"
BUNDLE = DIST / "pos-app"
WORK = ROOT / "build" / "pyinstaller"
INSTALL_FILES = ("counter-pos.desktop", "counter-pos.svg")
BUNDLE_TARGET_MB = 200

sys.path.insert(0, str(ROOT))

from linked_libraries import (  # noqa: E402 (packaging/)
    OLDEST_GLIBC,
    build_packages,
    needing_newer_glibc,
    unresolved_libraries,
)

from pos_app import __version__  # noqa: E402
from pos_app.ui.i18n import compile_catalog, translations_dir  # noqa: E402


def compile_translations() -> list[Path]:
    """Each resources/translations/*.ts to its .qm, next to it (the spec bundles the .qm)."""
    folder = translations_dir()
    compiled = []
    for source in sorted(folder.glob("*.ts")) if folder.exists() else []:
        target = source.with_suffix(".qm")
        if not compile_catalog(source, target):
            raise SystemExit(f"pyside6-lrelease could not compile {source.relative_to(ROOT)}")
        compiled.append(target)
    return compiled


def folder_size(path: Path) -> int:
    """Bytes of every file under `path`, each once (the bundle links libraries by name)."""
    return sum(
        entry.lstat().st_size
        for entry in path.rglob("*")
        if entry.is_file() and not entry.is_symlink()
    )


def build(*, clean: bool) -> Path:
    """Run PyInstaller; returns the bundle folder."""
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        str(SPEC),
        "--noconfirm",
        "--log-level=WARN",
        f"--distpath={DIST}",
        f"--workpath={WORK}",
    ]
    if clean:
        command.append("--clean")
    subprocess.run(command, cwd=ROOT, check=True)
    for name in INSTALL_FILES:
        shutil.copy2(ROOT / "packaging" / name, BUNDLE / name)
    return BUNDLE


def library_problems(bundle: Path) -> list[str]:
    """What would make the bundle fail on a stock desktop: each library it loads from outside
    that is not on every desktop (packaging/stock-desktop-libraries.txt), with the build
    machine's package to install so PyInstaller collects it. Empty when all is well."""
    if not sys.platform.startswith("linux"):
        return []
    packages = build_packages()
    problems = []
    for missing in unresolved_libraries(bundle):
        package = packages.get(missing.library)
        fix = (
            f"install {package} on the build machine"
            if package
            else "not on every desktop: add its package to packaging/build-packages.txt"
        )
        problems.append(f"{missing}: {fix}")
    oldest = ".".join(map(str, OLDEST_GLIBC))
    for binary, version in needing_newer_glibc(bundle):
        problems.append(
            f"{binary} needs {version}, and Ubuntu 22.04 has glibc {oldest}: build on an older "
            "system, or take that library from the desktop (packaging/trim.py)"
        )
    return problems


def report_library_problems(bundle: Path, *, remove: bool) -> int:
    """Print the check's outcome; 1 when the bundle is unfit (and, with `remove`, gone)."""
    problems = library_problems(bundle)
    if not problems:
        print("libraries: each one the bundle loads is inside it or on every stock desktop")
        return 0
    print("build.py: the bundle would not start on a stock desktop:", file=sys.stderr)
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)
    if remove:
        # Such a bundle aborts at start on a desktop without them ("Could not load the Qt
        # platform plugin xcb"): better no bundle at all than one that reaches a shop.
        shutil.rmtree(bundle)
        print(f"build.py: removed {bundle}/ (see packaging/build-packages.txt)", file=sys.stderr)
    return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clean", action="store_true", help="empty PyInstaller's cache first")
    parser.add_argument(
        "--check", type=Path, metavar="DIR", help="build nothing: check the libraries of DIR"
    )
    args = parser.parse_args(argv)
    if args.check is not None:
        return report_library_problems(args.check, remove=False)
    started = time.perf_counter()
    catalogs = compile_translations()
    names = ", ".join(p.name for p in catalogs) or "none (no .ts sources yet)"
    print(f"translations compiled: {names}")
    try:
        bundle = build(clean=args.clean)
    except subprocess.CalledProcessError as error:
        print(f"build.py: PyInstaller failed (exit {error.returncode})", file=sys.stderr)
        return 1
    if report_library_problems(bundle, remove=True):
        return 1
    elapsed = time.perf_counter() - started
    size_mb = folder_size(bundle) / 1_000_000
    print(f"built Counter POS {__version__} in {elapsed:.0f} s: {bundle.relative_to(ROOT)}/")
    print(f"bundle size: {size_mb:.1f} MB (target ≤ {BUNDLE_TARGET_MB} MB)")
    executable = bundle / ("pos-app.exe" if os.name == "nt" else "pos-app")
    print(f"try it: {executable.relative_to(ROOT)} self-test")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
