"""A real X desktop for the tests that run the app on one (the store build's smoke test, the
source app's in tests/pos_app/ui/test_ui_real_display.py): Xvfb on a display it picks itself,
the openbox window manager, and the X tools a test drives it with (xdotool for input and
windows, xprop for titles, ImageMagick's `import` and `compare` for screenshots).

Nothing here is simulated: the app under test talks to the X server through Qt's xcb platform
plugin exactly as on a shop's desktop, and the input arrives as X events.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

TOOLS = ("Xvfb", "openbox", "xdotool", "xprop", "import", "compare", "identify")
APT_PACKAGES = "xvfb openbox xdotool x11-utils imagemagick"
SCREEN = "1440x900x24"
REQUIRED = "POS_DESKTOP_TEST"
"""Set to `required` (CI, `make test-package`): a missing tool fails the test, never skips it."""
ARTIFACTS = Path(__file__).resolve().parents[2] / "build" / "artifacts"
STEADY_PIXELS = 400
"""Pixels that may still change between two screenshots of a settled screen: a text cursor
blinking, nothing more."""
NEW_SCREEN = 2000
"""Pixels that differ, at least, when the app shows something new (a line added to an order
changes some 20,000)."""


def missing_tools() -> list[str]:
    return [tool for tool in TOOLS if shutil.which(tool) is None]


def skip_unless_tools() -> None:
    """Skip the test when a tool is missing (fail instead where the desktop test is required)."""
    import pytest

    missing = missing_tools()
    if missing:
        message = f"needs {', '.join(missing)} (Debian/Ubuntu: apt-get install {APT_PACKAGES})"
        if os.environ.get(REQUIRED) == "required":
            pytest.fail(message)
        pytest.skip(message)


def keep(shot: Path, prefix: str) -> Path:
    """Copy a screenshot to build/artifacts/ (named `prefix-<its name>`), where it outlives
    the test's tmp dir."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy2(shot, ARTIFACTS / f"{prefix}-{shot.name}"))


def wait_for(what: str, check: Callable[[], bool], *, timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s:.0f} s waiting for {what}")
        time.sleep(0.1)


@dataclass(frozen=True)
class Geometry:
    x: int
    y: int
    width: int
    height: int


@dataclass(frozen=True)
class Desktop:
    display: str
    scratch: Path
    """Where screenshots for settling are written (the test's tmp dir)."""

    def run(self, *command: str, timeout_s: float = 30.0) -> str:
        """An X tool against this display; its stdout."""
        result = subprocess.run(
            list(command),
            capture_output=True,
            text=True,
            # UTF-8 so that xprop prints a title as it is, not as escapes.
            env={**os.environ, "DISPLAY": self.display, "LC_ALL": "C.UTF-8"},
            timeout=timeout_s,
            check=False,
        )
        if result.returncode != 0:
            raise AssertionError(f"{' '.join(command)}: exit {result.returncode}: {result.stderr}")
        return result.stdout

    def wait_for_window(self, title: str, *, timeout_s: float = 60.0) -> str:
        """The id of the visible window whose title matches the regular expression `title`."""
        found = self.run(
            "xdotool", "search", "--sync", "--onlyvisible", "--name", title, timeout_s=timeout_s
        )
        return found.split()[0]

    def windows(self, title: str) -> list[str]:
        """The visible windows whose title matches `title` now (none: an empty list)."""
        result = subprocess.run(
            ["xdotool", "search", "--onlyvisible", "--name", title],
            capture_output=True,
            text=True,
            env={**os.environ, "DISPLAY": self.display},
            timeout=30,
            check=False,
        )
        return result.stdout.split()  # exit 1 and no output when there is none

    def wait_until_gone(self, title: str, *, timeout_s: float = 20.0) -> None:
        wait_for(f"the window {title!r} to close", lambda: not self.windows(title),
                 timeout_s=timeout_s)  # fmt: skip

    def active_window(self) -> str:
        return self.run("xdotool", "getactivewindow").strip()

    def title(self, window: str) -> str:
        """The window's title as the window manager reads it (EWMH, UTF-8)."""
        line = self.run("xprop", "-id", window, "_NET_WM_NAME")
        match = re.search(r'= "(.*)"$', line.strip())
        assert match is not None, line
        return match[1]

    def geometry(self, window: str) -> Geometry:
        shell = self.run("xdotool", "getwindowgeometry", "--shell", window)
        values = dict(line.split("=", 1) for line in shell.split())
        return Geometry(*(int(values[key]) for key in ("X", "Y", "WIDTH", "HEIGHT")))

    def activate(self, window: str) -> None:
        self.run("xdotool", "windowactivate", "--sync", window)

    def click_at(self, window: str, x_fraction: float, y_fraction: float) -> None:
        """A left click at a point given as fractions of the window's width and height."""
        size = self.geometry(window)
        x, y = round(size.width * x_fraction), round(size.height * y_fraction)
        self.run("xdotool", "mousemove", "--window", window, str(x), str(y), "click", "1")

    def type_text(self, text: str) -> None:
        self.run("xdotool", "type", "--delay", "40", text)

    def key(self, *keys: str) -> None:
        self.run("xdotool", "key", "--clearmodifiers", *keys)

    def screenshot(self, path: Path) -> Path:
        """The whole screen, window manager's frames included."""
        self.run("import", "-window", "root", str(path))
        return path

    def changed_pixels(self, before: Path, after: Path) -> int:
        result = subprocess.run(
            ["compare", "-metric", "AE", str(before), str(after), "null:"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        # compare exits 1 when the images differ; the count goes to stderr.
        return int(float(result.stderr.split()[0]))

    def colours(self, path: Path) -> int:
        return int(self.run("identify", "-format", "%k", str(path)))

    def wait_until_settled(
        self, path: Path, *, changed_from: Path | None = None, timeout_s: float = 20.0
    ) -> Path:
        """Screenshot to `path` once the screen has drawn something and stopped changing (and,
        with `changed_from`, no longer looks like that earlier screenshot: the next screen is
        up, not the old one standing still)."""
        shots = [self.screenshot(self.scratch / "settling-0.png")]

        def settled() -> bool:
            time.sleep(0.3)
            shot = self.screenshot(self.scratch / f"settling-{len(shots) % 2}.png")
            steady = self.changed_pixels(shots[-1], shot) <= STEADY_PIXELS
            shots.append(shot)
            moved_on = changed_from is None or self.changed_pixels(changed_from, shot) > NEW_SCREEN
            # An unpainted window is steady too: a drawn one has antialiased text.
            return steady and moved_on and self.colours(shot) > 64

        wait_for("the screen to settle", settled, timeout_s=timeout_s)
        return Path(shutil.copy2(shots[-1], path))


@contextmanager
def desktop(scratch: Path, size: str = SCREEN) -> Iterator[Desktop]:
    """Xvfb (a screen of `size`, WIDTHxHEIGHTxDEPTH) and openbox, stopped on exit. The display
    number is the first free one: Xvfb chooses it and writes it to a pipe (-displayfd), so
    parallel runs never collide."""
    read_end, write_end = os.pipe()
    home = scratch / "wm-home"
    home.mkdir(parents=True, exist_ok=True)
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", size, "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    window_manager: subprocess.Popen[bytes] | None = None
    try:
        with os.fdopen(read_end) as announced:
            number = announced.readline().strip()
        assert number.isdigit(), f"Xvfb did not start (exit {server.poll()})"
        screen = Desktop(f":{number}", scratch)
        window_manager = subprocess.Popen(
            ["openbox", "--sm-disable"],
            # Its own home: openbox reads ~/.config/openbox, never the developer's.
            env={**os.environ, "DISPLAY": screen.display, "HOME": str(home)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(
            "openbox to manage the screen",
            lambda: "window id" in screen.run("xprop", "-root", "_NET_SUPPORTING_WM_CHECK"),
        )
        yield screen
    finally:
        for process in (window_manager, server):
            if process is not None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
