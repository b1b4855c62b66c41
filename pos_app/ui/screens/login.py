"""Sign in: tap your name (or type its first letter), enter your PIN."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from pos_app.application.access import PinCheck
from pos_app.domain.staff import StaffMember
from pos_app.ui.screens.base import Screen
from pos_app.ui.widgets.common import PinPad, button, clear_layout, label

if TYPE_CHECKING:
    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.session import CounterSession


class LoginScreen(Screen):
    name = "login"

    def __init__(self, session: CounterSession, window: MainWindow) -> None:
        super().__init__(session, window)
        outer = QVBoxLayout(self)
        title = label(session.shop.name, "Title")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        outer.addWidget(title)
        self.prompt = label(self._ask_for_name(), "Subtitle")
        self.prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        outer.addWidget(self.prompt)
        row = QHBoxLayout()
        self.staff_box = QWidget()
        self.staff_grid = QGridLayout(self.staff_box)
        row.addWidget(self.staff_box, 3)
        self.pinpad = PinPad()
        self.pinpad.setEnabled(False)
        self.pinpad.sig_submitted.connect(self._submit)
        self.pinpad.field.installEventFilter(self)
        row.addWidget(self.pinpad, 2)
        outer.addLayout(row, 1)
        self.selected: StaffMember | None = None
        self.members: list[StaffMember] = []

    def activated(self) -> None:
        self.selected = None
        self.pinpad.setEnabled(False)
        self.prompt.setText(self._ask_for_name())

        self.session.db(self.session.register.access.staff, self._show_staff)

    def keep_focus(self) -> None:
        if self.pinpad.isEnabled():
            self.pinpad.focus()
        else:
            self.setFocus()

    def _show_staff(self, members: list[StaffMember]) -> None:
        self.members = members
        clear_layout(self.staff_grid)
        for index, member in enumerate(members):
            widget = button(member.name, "staff")
            widget.setObjectName(f"staff-{member.name}")
            widget.clicked.connect(lambda _=False, m=member: self._choose(m))
            self.staff_grid.addWidget(widget, index // 3, index % 3)

    def _choose(self, member: StaffMember) -> None:
        self.selected = member
        self.pinpad.setEnabled(True)
        self.prompt.setText(self.tr("{name}: enter your PIN").format(name=member.name))
        self.pinpad.focus()

    def _ask_for_name(self) -> str:
        return self.tr("Tap your name (or type its first letter)")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._choose_by_letter(event):
            return
        if self.selected is None and event.text().isdigit():
            # A PIN typed before a name is chosen: say what comes first, never nothing.
            self.prompt.setText(self.tr("Tap your name (or type its first letter) first"))
            return
        super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # A letter in the PIN field (PINs are digits) picks the next name instead.
        if (
            watched is self.pinpad.field
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and self._choose_by_letter(event)
        ):
            return True
        return super().eventFilter(watched, event)

    def _choose_by_letter(self, event: QKeyEvent) -> bool:
        """A name's first letter chooses that person (the next one with it, typed again),
        so the counter signs in by keyboard alone."""
        letter = event.text()
        if not letter.isalpha() or not self.members:
            return False
        start = self.members.index(self.selected) if self.selected in self.members else -1
        count = len(self.members)
        for offset in range(1, count + 1):
            member = self.members[(start + offset) % count]
            if member.name.casefold().startswith(letter.casefold()):
                self._choose(member)
                break
        return True

    def choose_by_name(self, name: str) -> None:
        for member in self.members:
            if member.name == name:
                self._choose(member)

    def _submit(self, pin: str) -> None:
        member = self.selected
        if member is None:
            return
        staff_id: UUID = member.id

        access = self.session.register.access
        self.session.db(lambda: access.sign_in(staff_id, pin), self._checked)

    def _checked(self, result: PinCheck) -> None:
        if result.member is None:
            self.session.error(
                self.tr("Wrong PIN.")
                if result.error == "wrong PIN"
                else self.session_translate(result.error or "")
            )
            self.pinpad.focus()
            return
        self.session.sign_in(result.member)
        self.window_.show_screen("sell" if self.session.shift else "shift")

    def session_translate(self, text: str) -> str:
        from pos_app.ui.session import translate_message

        return translate_message(text)
