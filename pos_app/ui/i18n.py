"""Translations: `.ts` sources live in resources/translations; `.qm` catalogs are compiled from
them (at build time for the frozen app, on first use from source)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from pos_app.config import is_frozen, resources_dir
from pos_app.domain.shop import SHOP_LOCALES

SHIPPED_LOCALES = SHOP_LOCALES


def translations_dir() -> Path:
    return resources_dir() / "translations"


def _lrelease() -> str | None:
    candidate = Path(sys.executable).parent / "pyside6-lrelease"
    if candidate.exists():
        return str(candidate)
    return shutil.which("pyside6-lrelease")


def compile_catalog(source: Path, target: Path) -> bool:
    tool = _lrelease()
    if tool is None:
        return False
    result = subprocess.run(
        [tool, "-silent", str(source), "-qm", str(target)],
        capture_output=True,
        text=True,
        check=False,
    )
    return result.returncode == 0 and target.exists()


def compiled_catalog(locale_name: str) -> Path | None:
    """The `.qm` for a locale, compiling it from its `.ts` when missing or older."""
    if locale_name.startswith("en"):
        return None
    folder = translations_dir()
    source = folder / f"pos_{locale_name}.ts"
    target = folder / f"pos_{locale_name}.qm"
    if target.exists() and (
        is_frozen() or not source.exists() or target.stat().st_mtime >= source.stat().st_mtime
    ):
        return target
    if source.exists() and compile_catalog(source, target):
        return target
    return target if target.exists() else None
