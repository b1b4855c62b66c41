"""The counter from source on a real X server: Qt's xcb platform plugin under the openbox window
manager, driven by X input events (xdotool), the way a shop's keyboard, scanner and window
manager deliver them. Every offscreen UI test picks the widget a key goes to; here the X server
and the window manager decide, as at a counter.

The sale (tests/support/desktop_sale.py, shared with the store build's smoke test) is by
keyboard and "scanner" alone: sign-in, the float, a barcode as soon as the sell screen shows, a
discount a manager approves by PIN, a barcode right after that dialog closes, F12, cash, the
e-mail receipt and the next customer, F4 and F10; then the database says what was sold.

Runs at 1024×768 and 1366×768; a screenshot of each step is kept in build/artifacts/
(`source-desktop-<size>-<nn>-<step>.png`) and under the test's tmp dir. Needs Xvfb, openbox,
xdotool, xprop and ImageMagick: skipped without them, failed without them when
POS_DESKTOP_TEST=required (CI).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.desktop import Desktop, desktop, skip_unless_tools
from tests.support.desktop_sale import a_sale_by_keyboard, screen_size
from tests.support.frozen_build import clean_env

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module", params=["1024x768x24", "1366x768x24"], ids=["1024", "1366"])
def screen(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Desktop]:
    skip_unless_tools()
    with desktop(tmp_path_factory.mktemp("desktop"), size=request.param) as started:
        yield started


def test_a_sale_by_keyboard_and_scanner_on_a_real_display(screen: Desktop, tmp_path: Path) -> None:
    data = tmp_path / "data"
    prefix = f"source-desktop-{screen_size(screen)}"
    print(f"screenshots: {tmp_path} and build/artifacts/{prefix}-*.png")
    env = clean_env(
        tmp_path / "home", QT_QPA_PLATFORM="xcb", DISPLAY=screen.display, PYTHONPATH=str(ROOT)
    )
    a_sale_by_keyboard(
        screen,
        [sys.executable, "-m", "pos_app", "--data-dir", str(data), "demo"],
        env,
        data=data,
        folder=tmp_path,
        prefix=prefix,
    )
