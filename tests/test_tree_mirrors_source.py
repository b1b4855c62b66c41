"""Tests mirror the source: a test of `pos_app/<package>/...` lives under
`tests/pos_app/<package>/...`, and a test of `sync_server/<package>/...` under
`tests/sync_server/<package>/...`, so whoever changes a module finds its tests where the module
is. Every folder under tests/pos_app and tests/sync_server names a package that exists (a test
folder left behind by a move, or one invented beside the tree, fails here)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("pos_app", "sync_server")

UNTESTED_ON_THEIR_OWN = {
    "pos_app": {"repositories"},  # the repositories are tested through their services
    "sync_server": {"words"},  # the console's words: checked by its catalogue test
}
"""Packages with no test folder of their own; migrations aside everywhere (the crash and
upgrade tests, and every test database, run them)."""


@pytest.mark.parametrize("name", SOURCES)
def test_every_test_folder_mirrors_a_source_package(name: str) -> None:
    tests, source = ROOT / "tests" / name, ROOT / name
    strays = [
        str(folder.relative_to(tests))
        for folder in sorted(tests.rglob("*"))
        if folder.is_dir()
        and folder.name != "__pycache__"
        and not (source / folder.relative_to(tests) / "__init__.py").is_file()
    ]
    assert not strays, f"test folders with no package of that name under {name}/: {strays}"


@pytest.mark.parametrize("name", SOURCES)
def test_every_source_package_with_code_has_tests(name: str) -> None:
    """Each package (migrations aside) has a test folder of its own."""
    tests, source = ROOT / "tests" / name, ROOT / name
    untested = [
        str(package.parent.relative_to(source))
        for package in sorted(source.rglob("__init__.py"))
        if package.parent != source
        and "migrations" not in package.parent.parts
        and package.parent.name not in UNTESTED_ON_THEIR_OWN[name]
        and not (tests / package.parent.relative_to(source)).is_dir()
    ]
    assert not untested, f"packages without a test folder under tests/{name}/: {untested}"


@pytest.mark.parametrize("name", SOURCES)
def test_every_test_folder_holds_tests(name: str) -> None:
    """A test folder mirrors a package with tests in it, not with a conftest alone."""
    tests = ROOT / "tests" / name
    empty = [
        str(folder.relative_to(tests))
        for folder in sorted(tests.rglob("*"))
        if folder.is_dir() and folder.name != "__pycache__" and not any(folder.rglob("test_*.py"))
    ]
    assert not empty, f"test folders without a test under tests/{name}/: {empty}"
