"""Tests mirror the source: a test of `pos_app/<package>/...` lives under
`tests/pos_app/<package>/...`, so whoever changes a module finds its tests where the module is.
Every folder under tests/pos_app names a package that exists (a test folder left behind by a
move, or one invented beside the tree, fails here)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests" / "pos_app"
SOURCE = ROOT / "pos_app"


def test_every_test_folder_mirrors_a_source_package() -> None:
    strays = [
        str(folder.relative_to(TESTS))
        for folder in sorted(TESTS.rglob("*"))
        if folder.is_dir()
        and folder.name != "__pycache__"
        and not (SOURCE / folder.relative_to(TESTS) / "__init__.py").is_file()
    ]
    assert not strays, f"test folders with no package of that name under pos_app/: {strays}"


def test_every_source_package_with_code_has_tests() -> None:
    """Each package of the register (migrations aside: the crash and upgrade tests drive them)
    has a test folder of its own."""
    untested = [
        str(package.parent.relative_to(SOURCE))
        for package in sorted(SOURCE.rglob("__init__.py"))
        if package.parent != SOURCE
        and "migrations" not in package.parent.parts
        and package.parent.name != "repositories"
        and not (TESTS / package.parent.relative_to(SOURCE)).is_dir()
    ]
    assert not untested, f"packages without a test folder under tests/pos_app/: {untested}"
