"""What every screen shares: the session, the window, and a hook when it is shown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.session import CounterSession


class Screen(QWidget):
    name = "screen"

    def __init__(self, session: CounterSession, window: MainWindow) -> None:
        super().__init__()
        self.session = session
        self.window_ = window

    def activated(self) -> None:
        """Called each time the screen is shown."""

    def keep_focus(self) -> None:
        """The focused widget was disabled or hidden by a step of this screen: give the
        keyboard to something here, so the screen's shortcuts (Esc, F10, Enter...) keep
        working. The screen itself by default; screens with a main field override this."""
        self.setFocus()
