"""Small shared widgets: buttons with a role, the message banner, the PIN pad."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QMouseEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)


def button(text: str, role: str | None = None, parent: QWidget | None = None) -> QPushButton:
    widget = QPushButton(text, parent)
    if role:
        widget.setProperty("role", role)
    widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keep keyboard focus on the scanner field
    return widget


def label(text: str = "", look: str | None = None, parent: QWidget | None = None) -> QLabel:
    """A word-wrapped label; `look` picks its style: Title, Subtitle, Total, Huge, Status, Muted."""
    widget = QLabel(text, parent)
    if look:
        widget.setProperty("look", look)
    widget.setWordWrap(True)
    return widget


def shortcut(parent: QWidget, keys: str | QKeySequence.StandardKey, slot: object) -> QShortcut:
    """A key for `parent` (a screen, or a page of one) that works while it is on show in the
    active window, wherever the keyboard focus is: on a field, on the window itself, or
    nowhere after a step disabled the focused widget. A text field still takes the letters
    typed into it (it claims them before any shortcut); a dialog on top takes every key."""
    sequence = QKeySequence(keys)
    item = QShortcut(sequence, parent)
    item.setContext(Qt.ShortcutContext.WindowShortcut)
    item.activated.connect(slot)
    return item


def clear_layout(layout: QLayout) -> None:
    """Remove and delete every widget in a layout. Qt deletes it later (it may be the one whose
    click is being handled); meanwhile it is hidden and loses its name, so a rebuilt button is
    never found, clicked or drawn twice."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.hide()
            widget.setObjectName("")
            widget.deleteLater()


class Banner(QFrame):
    """A message across the top of a screen: errors in red, information in blue."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Banner")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 10, 4)
        self.text = label()
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.close_button = close = QPushButton("✕")
        close.setObjectName("BannerClose")
        close.setFixedWidth(48)
        close.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        close.clicked.connect(self.hide)
        layout.addWidget(self.text, 1)
        layout.addWidget(close)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self._fresh = False
        self.hide()

    def show_message(self, text: str, kind: str = "error", timeout_ms: int = 0) -> None:
        # Fresh until the event loop runs again: a message raised by the same action that
        # changes the screen (released a card, then back to the order) is its outcome, and
        # must outlive the change.
        self._fresh = True
        QTimer.singleShot(0, self._settle)
        self.setProperty("kind", kind)
        self.style().unpolish(self)
        self.style().polish(self)
        self.text.setText(text)
        self.show()
        if timeout_ms:
            self._timer.start(timeout_ms)
        else:
            self._timer.stop()

    def _settle(self) -> None:
        self._fresh = False

    def hide_stale(self) -> None:
        """Hide a message left from before the current action (a screen change)."""
        if not self._fresh:
            self.hide()


class PinPad(QWidget):
    """Digits, clear and enter; also takes the keyboard. Shows dots, never the PIN."""

    sig_submitted = Signal(str)
    """The PIN entered (on Enter or the OK key)."""

    def __init__(self, parent: QWidget | None = None, *, max_length: int = 8) -> None:
        super().__init__(parent)
        self.max_length = max_length
        layout = QVBoxLayout(self)
        self.field = QLineEdit()
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setMaxLength(max_length)
        self.field.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.field.setPlaceholderText(self.tr("PIN"))
        self.field.returnPressed.connect(self.submit)
        layout.addWidget(self.field)
        grid = QGridLayout()
        keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "C", "0", "OK"]
        for index, key in enumerate(keys):
            text = self.tr("Clear") if key == "C" else self.tr("OK") if key == "OK" else key
            widget = button(text, "key" if key not in ("OK",) else "primary")
            widget.setProperty("key", key)
            widget.clicked.connect(lambda _=False, k=key: self._press(k))
            grid.addWidget(widget, index // 3, index % 3)
        layout.addLayout(grid)

    def _press(self, key: str) -> None:
        if key == "C":
            self.field.clear()
        elif key == "OK":
            self.submit()
        elif len(self.field.text()) < self.max_length:
            self.field.setText(self.field.text() + key)

    def submit(self) -> None:
        pin = self.field.text()
        self.field.clear()
        if pin:
            self.sig_submitted.emit(pin)

    def focus(self) -> None:
        self.field.setFocus()


def fit_lines(dialog: QWidget) -> None:
    """Show a dialog's text as the short lines it was written in, unwrapped, and size the
    dialog to them: a wrapped label in a dialog is sized before it wraps, and gets cut off."""
    for text in dialog.findChildren(QLabel):
        text.setWordWrap(False)
    dialog.adjustSize()


class _TallAsWrappedLines(QObject):
    """Keeps a dialog at least as tall as its content with its lines wrapped at its width.
    Qt sizes a window by its content's minimum, which counts a wrapped label as one line: a
    few words more (pt_BR, an error, the amount to refund) squeezed the buttons under them
    over each other, or pushed the last row past the dialog's lower edge, cut."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() in (QEvent.Type.LayoutRequest, QEvent.Type.Show)
            and isinstance(watched, QWidget)
            and (layout := watched.layout()) is not None
        ):
            layout.activate()
            least = layout.minimumSize()
            wrapped = watched.heightForWidth(watched.width())
            width = max(watched.minimumWidth(), least.width())
            height = max(wrapped, least.height())
            if (width, height) != (watched.minimumWidth(), watched.minimumHeight()):
                watched.setMinimumSize(width, height)  # a window smaller than this grows
        return False


def tall_as_wrapped_lines(dialog: QWidget) -> None:
    """Make `dialog` grow to its wrapped lines whenever its text changes (it may shrink back
    by hand to what they need)."""
    dialog.installEventFilter(_TallAsWrappedLines(dialog))


class _WheelOnlyWhenFocused(QObject):
    """Hands a wheel turn over a spin box or a combo box that does not have the keyboard to
    the page around it, which scrolls: scrolling down a form never changes its values."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() is QEvent.Type.Wheel
            and isinstance(watched, QWidget)
            and not watched.hasFocus()
        ):
            event.ignore()  # on to the parent (the scrolling page); the field keeps its value
            return True
        return False


def wheel_only_when_focused(root: QWidget) -> None:
    """Make every spin box and combo box inside `root` ignore the mouse wheel unless it has
    the keyboard focus (clicked or tabbed into), so a wheel turn meant to scroll the page does
    not change a value under the pointer. Call it again after adding such fields."""
    guard = root.findChild(_WheelOnlyWhenFocused, "WheelOnlyWhenFocused")
    if guard is None:
        guard = _WheelOnlyWhenFocused(root)
        guard.setObjectName("WheelOnlyWhenFocused")
    for field in (*root.findChildren(QAbstractSpinBox), *root.findChildren(QComboBox)):
        if field.focusPolicy() is Qt.FocusPolicy.WheelFocus:
            field.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the wheel gives no focus either
        field.removeEventFilter(guard)
        field.installEventFilter(guard)


def vertical_scroll(content: QWidget, name: str) -> QScrollArea:
    """`content` in a frameless area that scrolls up and down (never sideways): a form that
    may be taller than a small screen, while the buttons beside it stay in view."""
    area = QScrollArea()
    area.setObjectName(name)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    # Not a tab stop of its own (it shows no focus: a Tab that seemed to do nothing); Tab goes
    # to the fields inside, and the area scrolls to whichever has the focus.
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    area.setWidget(content)
    return area


TICK_LIST_STYLE = (
    "QListView::indicator { width: 24px; height: 24px; } QListView::item { padding: 4px 2px; }"
)
"""A tick box big enough to hit with a finger, in a list of things to tick."""


class _RowTicker(QObject):
    """Ticks (or unticks) the row of a list that was tapped, unless the tap was on its box,
    which Qt ticked already: the row's state at the press tells which."""

    def __init__(self, items: QListWidget) -> None:
        super().__init__(items)
        self.items = items
        self.pressed: tuple[QListWidgetItem, Qt.CheckState] | None = None
        items.viewport().installEventFilter(self)
        items.itemClicked.connect(self.clicked)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() is QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            item = self.items.itemAt(event.position().toPoint())
            self.pressed = (item, item.checkState()) if item is not None else None
        return False

    def clicked(self, item: QListWidgetItem) -> None:
        pressed, self.pressed = self.pressed, None
        if not item.flags() & Qt.ItemFlag.ItemIsUserCheckable:
            return
        if pressed is not None and pressed[0] is item and item.checkState() != pressed[1]:
            return  # the tap was on the box: Qt ticked it
        item.setCheckState(
            Qt.CheckState.Unchecked
            if item.checkState() is Qt.CheckState.Checked
            else Qt.CheckState.Checked
        )


def tick_on_click(items: QListWidget) -> None:
    """A list of checkable rows that a tap anywhere on a row ticks (or unticks), not only on
    its small box, which is drawn big enough to see and to hit. Space still ticks the current
    row; a tap on the box itself ticks once."""
    items.setStyleSheet(TICK_LIST_STYLE)
    _RowTicker(items)


def fill_ticked(items: QListWidget, rows: Iterable[tuple[UUID, str]], ticked: set[UUID]) -> None:
    """Fill a list of checkable rows, one per (id, name), ticked when the id is in `ticked`."""
    items.clear()
    for row_id, name in rows:
        item = QListWidgetItem(name)
        item.setData(Qt.ItemDataRole.UserRole, str(row_id))
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if row_id in ticked else Qt.CheckState.Unchecked)
        items.addItem(item)


def ticked_ids(items: QListWidget) -> set[UUID]:
    """The ids of the rows ticked in a list `fill_ticked` filled."""
    return {
        UUID(item.data(Qt.ItemDataRole.UserRole))
        for item in (items.item(index) for index in range(items.count()))
        if item.checkState() is Qt.CheckState.Checked
    }
