"""`pos-app --exit-after-startup`: start the GUI as a shop would, report how long it took to
become usable, and quit. The smoke test of the packaged app and the start-up benchmark use it.

Usable means: the window is shown and has painted, the sign-in screen lists the staff, and the
sell screen's product grid is filled, so after a PIN the cashier sells at once. For a register
with no shop yet, it is the first-run wizard on screen. Times count from the process's start
(bootloader and interpreter included) where the OS says when that was (Linux), else from the
moment the app module was imported.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from pos_app.ui.main_window import MainWindow
from pos_app.ui.screens.login import LoginScreen
from pos_app.ui.screens.sell import SellScreen
from pos_app.ui.session import CounterSession

_IMPORTED_AT = time.monotonic()
POLL_MS = 5
USABLE_TIMEOUT_S = 60.0
CARD_TIMEOUT_S = 30.0


def process_age_s() -> tuple[float, str]:
    """Seconds since this process started, and what the figure counts from."""
    try:
        stat = Path("/proc/self/stat").read_text(encoding="ascii")
        # Field 22 is the start time in clock ticks since boot; the fields after the command
        # name (which may hold spaces) start at field 3.
        started_ticks = int(stat.rsplit(")", 1)[1].split()[19])
        now = time.clock_gettime(time.CLOCK_BOOTTIME)
        return now - started_ticks / os.sysconf("SC_CLK_TCK"), "process start"
    except (OSError, ValueError, IndexError, AttributeError):
        return time.monotonic() - _IMPORTED_AT, "app import"


def report(line: str) -> None:
    # A windowed Windows build has no stdout: nothing to report to.
    if sys.stdout is None:
        return
    try:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):
        # The reader went away (`| head -1`): nobody to report to, and the probe must still
        # quit. Raised inside a Qt slot, this used to skip the exit and leave the app running.
        # Point stdout at nothing so Python's own flush at exit does not fail again.
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115


class StartupProbe(QObject):
    """Polls `is_usable` every few milliseconds; once it holds and a frame has been drawn,
    reports the time and calls `then` (which ends with quitting the app). Owned by the window
    it watches (its Qt parent), so it lives as long as that window."""

    def __init__(
        self,
        window: QWidget,
        what: str,
        is_usable: Callable[[], bool],
        then: Callable[[], object],
    ) -> None:
        super().__init__(window)
        self.what = what
        self.is_usable = is_usable
        self.then = then
        self._deadline = time.monotonic() + USABLE_TIMEOUT_S
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)
        self._timer.start()

    def _poll(self) -> None:
        if self.is_usable():
            self._timer.stop()
            # Let the pending paint run before taking the time: usable means seen.
            QTimer.singleShot(0, self._usable)
        elif time.monotonic() > self._deadline:
            self._timer.stop()
            report(f"startup: {self.what} not usable after {USABLE_TIMEOUT_S:.0f} s")
            QApplication.exit(1)

    def _usable(self) -> None:
        elapsed, origin = process_age_s()
        report(f"startup: {self.what} usable after {elapsed:.3f} s (since {origin})")
        self.then()


def watch_counter(window: MainWindow, session: CounterSession) -> StartupProbe:
    """Report when the counter is usable, then the card reader's state, then quit with 0."""
    login, sell = window.screens["login"], window.screens["sell"]
    assert isinstance(login, LoginScreen)
    assert isinstance(sell, SellScreen)
    connecting = session.card_state

    def usable() -> bool:
        return window.isVisible() and bool(login.members) and sell.grid.count() > 0

    def report_card_then_quit() -> None:
        deadline = time.monotonic() + CARD_TIMEOUT_S

        def check() -> None:
            state = session.card_state
            if state is connecting and time.monotonic() < deadline:
                return
            poll.stop()
            status = "ready" if state.available else "off"
            report(f"startup: card reader {status}: {state.text}")
            QApplication.exit(0)

        poll = QTimer(window)
        poll.setInterval(20)
        poll.timeout.connect(check)
        poll.start()

    return StartupProbe(window, "counter", usable, report_card_then_quit)


def watch_first_run(wizard: QWidget) -> StartupProbe:
    """Report when the first-run wizard is on screen, then close it (nothing is set up)."""
    return StartupProbe(wizard, "first-run wizard", wizard.isVisible, wizard.close)
