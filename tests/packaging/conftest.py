"""The store build under test: `make test-package` names the one it just built."""

from __future__ import annotations

import pytest

from tests.support.frozen_build import NO_BUILD, FrozenBuild, find_build


@pytest.fixture(scope="module")
def frozen() -> FrozenBuild:
    build = find_build()
    if build is None:
        pytest.skip(NO_BUILD)
    return build
