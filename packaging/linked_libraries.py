"""Which shared libraries the store build would take from the shop's machine, and whether a
stock desktop has them. packaging/build.py refuses a bundle that needs anything else, and the
smoke test (tests/packaging) checks the built one again.

Each ELF file in the bundle (Qt's plugins and libraries, Python's extension modules, the
program) goes through `ldd` with LD_LIBRARY_PATH at the bundle's `_internal/` folder, as
PyInstaller's bootloader sets it when the program starts. A library must then resolve inside
the bundle, or be named in packaging/stock-desktop-libraries.txt. The classic failure this
catches: the build machine lacks libxcb-cursor0, PyInstaller cannot collect it, and on a shop's
desktop without it Qt aborts with "Could not load the Qt platform plugin xcb".

Each binary must also make do with the C library of the oldest desktop the shops run (Ubuntu
22.04: glibc 2.35): a library copied from a newer build machine can ask for newer symbol
versions, and then does not load at all.

Linux only: on Windows and macOS, PyInstaller's own analysis is the check.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

STOCK_LIST = Path(__file__).resolve().with_name("stock-desktop-libraries.txt")
BUILD_PACKAGES = Path(__file__).resolve().with_name("build-packages.txt")
ELF_MAGIC = b"\x7fELF"
# "\tlibfoo.so.1 => /usr/lib/libfoo.so.1 (0x...)", "\tlibfoo.so.1 => not found",
# "\t/lib64/ld-linux-x86-64.so.2 (0x...)"; the vDSO and "statically linked" have no path.
OLDEST_GLIBC = (2, 35)
"""Ubuntu 22.04's."""
GLIBC_VERSION = re.compile(r"\(GLIBC_(\d+)\.(\d+)(?:\.\d+)?\)")
LDD_LINE = re.compile(r"^\s*(?P<name>\S+)(?: => (?P<path>.+?))?(?: \(0x[0-9a-f]+\))?\s*$")


@dataclass(frozen=True)
class Unresolved:
    library: str
    """The soname, as the binary asks for it."""
    needed_by: str
    """The binary that loads it (directly or through another library), relative to the bundle."""
    found_at: str | None
    """Where it resolved on this machine, outside the bundle; None when it was not found."""

    def __str__(self) -> str:
        where = f"found at {self.found_at}" if self.found_at else "not found"
        return f"{self.library} (needed by {self.needed_by}): {where}"


def _entries(path: Path) -> list[list[str]]:
    """The words of each line of a list file, comments and blank lines left out."""
    lines = (
        line.split("#", 1)[0].split() for line in path.read_text(encoding="utf-8").splitlines()
    )
    return [words for words in lines if words]


def stock_desktop_libraries(path: Path = STOCK_LIST) -> frozenset[str]:
    return frozenset(words[0] for words in _entries(path))


def build_packages(path: Path = BUILD_PACKAGES) -> dict[str, str]:
    """soname -> the Debian/Ubuntu package that gives it, for what the build machine needs."""
    return {soname: words[0] for words in _entries(path) for soname in words[1:]}


def elf_files(bundle: Path) -> list[Path]:
    found = []
    for path in sorted(bundle.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as file:
                if file.read(4) == ELF_MAGIC:
                    found.append(path)
    return found


def resolved_libraries(binary: Path, search_dir: Path) -> list[tuple[str, str | None]]:
    """(soname, path or None when not found) for each library `binary` loads, as ldd says."""
    result = subprocess.run(
        ["ldd", str(binary)],
        capture_output=True,
        text=True,
        env={**os.environ, "LD_LIBRARY_PATH": str(search_dir)},
        timeout=30,
        check=False,
    )
    libraries: list[tuple[str, str | None]] = []
    for line in result.stdout.splitlines():
        match = LDD_LINE.match(line)
        if match is None:
            continue
        name, path = match["name"], match["path"]
        if path is None and name.startswith("/"):
            libraries.append((Path(name).name, name))  # the dynamic loader, by its path
        elif path == "not found":
            libraries.append((name, None))
        elif path is not None:
            libraries.append((name, path))
    return libraries


def unresolved_libraries(bundle: Path, stock: frozenset[str] | None = None) -> list[Unresolved]:
    """Every library a binary of `bundle` loads that is neither inside the bundle nor on a
    stock desktop (each pair once)."""
    stock = stock_desktop_libraries() if stock is None else stock
    bundle = Path(os.path.normpath(bundle.absolute()))
    inside = f"{bundle}{os.sep}"
    search_dir = bundle / "_internal"
    found: list[Unresolved] = []
    for binary in elf_files(bundle):
        for name, path in resolved_libraries(binary, search_dir):
            if path is not None and os.path.normpath(path).startswith(inside):
                continue
            if path is not None and name in stock:
                continue
            found.append(Unresolved(name, binary.relative_to(bundle).as_posix(), path))
    return found


def glibc_needed(binary: Path) -> tuple[int, int] | None:
    """The newest glibc symbol version `binary` asks for (objdump, which PyInstaller needs too)."""
    result = subprocess.run(
        ["objdump", "-T", str(binary)], capture_output=True, text=True, timeout=30, check=False
    )
    versions = [(int(major), int(minor)) for major, minor in GLIBC_VERSION.findall(result.stdout)]
    return max(versions, default=None)


def needing_newer_glibc(
    bundle: Path, oldest: tuple[int, int] = OLDEST_GLIBC
) -> list[tuple[str, str]]:
    """(binary relative to the bundle, "GLIBC_x.y") for each binary the oldest desktop's C
    library cannot load."""
    found = []
    for binary in elf_files(bundle):
        needed = glibc_needed(binary)
        if needed is not None and needed > oldest:
            found.append((binary.relative_to(bundle).as_posix(), f"GLIBC_{needed[0]}.{needed[1]}"))
    return found
