"""The counter's window: one screen at a time, a banner for messages laid over it, a status
bar, the idle lock and the global shortcuts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar
from uuid import UUID

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QFontMetrics, QKeyEvent, QKeySequence, QMouseEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QLabel,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpacerItem,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.staff import Permission
from pos_app.ui.formatting import format_moment
from pos_app.ui.screens.backoffice import BackOfficeScreen
from pos_app.ui.screens.base import Screen
from pos_app.ui.screens.finish import FinishScreen
from pos_app.ui.screens.history import HistoryScreen
from pos_app.ui.screens.login import LoginScreen
from pos_app.ui.screens.pay import Finished, PayScreen
from pos_app.ui.screens.sell import SellScreen
from pos_app.ui.screens.shift import ShiftScreen
from pos_app.ui.session import CounterSession, card_status_text, elide_words
from pos_app.ui.widgets.common import Banner, shortcut
from pos_app.ui.widgets.dialog_guard import close_dialogs_on_lock

_INPUT_EVENTS = {
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin,
    QEvent.Type.Wheel,
}  # fmt: skip

# Screens a signed-out counter may show.
_PUBLIC = {"login"}
# Screens that need a permission.
_NEEDS = {"backoffice": Permission.MANAGE_CATALOG}


S = TypeVar("S", bound=Screen)

MINIMUM_SIZE = (960, 680)
"""Smaller than a window on a 1024×768 screen less a task bar and a title bar (1016×688), and
larger than any screen needs. Set, rather than left to the layouts, so the window's limits do
not change with each screen shown."""
INFO_SECONDS = 8
"""How long information stays up; errors and instructions stay until dismissed or replaced."""
BANNER_MARGIN = 6
"""Pixels between the banner and the edges of the screen it lies over."""
BANNER_CLOSE_INSET = 10
"""Pixels between the banner's ✕ and its right edge (the banner's layout margin)."""


class OverlayBanner(Banner):
    """The window's message banner, laid over the top of the current screen instead of taking
    a place in its layout: showing or hiding it moves nothing, so a tap never lands on a control
    that a banner pushed under the finger. Nor does it swallow a tap: the banner lets taps
    through to the control under it (the scan field, a category tab, a back office tab),
    which gets the tap while the banner goes. Only its ✕ is its own: a sibling laid over it."""

    def __init__(self, host: QWidget) -> None:
        super().__init__(host)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        # The ✕ moves out of the banner (a widget transparent to the mouse is so with all it
        # holds) onto the host, over the room the banner keeps free for it.
        layout = self.layout()
        assert layout is not None
        layout.removeWidget(self.close_button)
        self.close_button.setParent(host)
        self.close_button.hide()
        self._room = QSpacerItem(0, 0, QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        layout.addItem(self._room)
        host.installEventFilter(self)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def show_message(self, text: str, kind: str = "error", timeout_ms: int = 0) -> None:
        super().show_message(text, kind, timeout_ms)
        self.place()
        self.raise_()
        self.close_button.raise_()

    def setVisible(self, visible: bool) -> None:
        super().setVisible(visible)
        self.close_button.setVisible(visible)

    def place(self) -> None:
        """Across the top of the host, as tall as the text needs at that width; the ✕ at its
        right end."""
        host = self.parentWidget()
        if host is None:
            return
        close = self.close_button
        close_height = close.sizeHint().height()  # in the style sheet's sizes, once polished
        self._room.changeSize(close.width(), close_height)
        layout = self.layout()
        if layout is not None:
            layout.invalidate()
        width = max(0, host.width() - 2 * BANNER_MARGIN)
        height = max(self.heightForWidth(width), self.minimumSizeHint().height())
        self.setGeometry(BANNER_MARGIN, BANNER_MARGIN, width, height)
        margins = self.contentsMargins().right() + BANNER_CLOSE_INSET
        close.setGeometry(
            BANNER_MARGIN + width - margins - close.width(),
            BANNER_MARGIN + (height - close_height) // 2,
            close.width(),
            close_height,
        )

    def clear_error(self) -> None:
        """Something the cashier did since has worked: an error from before is stale now."""
        if self.property("kind") == "error":
            self.hide_stale()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Resize and watched is self.parentWidget() and self.isVisible():
            self.place()
        elif (
            kind == QEvent.Type.MouseButtonPress
            and isinstance(event, QMouseEvent)
            and self.isVisible()
            and isinstance(watched, QWidget)
            and watched.window() is self.window()
        ):
            # A tap on the banner: the control under it gets it (the banner lets it through),
            # and the banner goes so the cashier sees what they tapped.
            where = event.globalPosition().toPoint()
            on_banner = self.rect().contains(self.mapFromGlobal(where))
            on_close = self.close_button.rect().contains(self.close_button.mapFromGlobal(where))
            if on_banner and not on_close:
                self.hide()
        return False


LOCK_KEYS = "Ctrl+L"


def _is_lock_key(event: QKeyEvent) -> bool:
    return QKeySequence(event.keyCombination()) == QKeySequence(LOCK_KEYS)


@dataclass(frozen=True, slots=True)
class CounterHooks:
    """What the window asks of the machinery around it (`pos_app.app.CounterServices`); a
    missing hook means that part is not running on this register, and the window says so."""

    print_receipt: Callable[[UUID, QLabel], None] | None = None
    """Queue the order's receipt on the receipt printer; report on the label."""
    email_receipt: Callable[[UUID, str, QLabel], None] | None = None
    """Queue the order's receipt for e-mail to the address; report on the label."""
    open_drawer: Callable[[], None] | None = None
    """Wake the print queue, which holds the drawer kick."""


class MainWindow(QMainWindow):
    def __init__(self, session: CounterSession, hooks: CounterHooks | None = None) -> None:
        super().__init__()
        self.session = session
        self.hooks = hooks or CounterHooks()
        self.setWindowTitle(self.tr("{shop} — Counter POS").format(shop=session.shop.name))
        self.setMinimumSize(*MINIMUM_SIZE)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        self.stack = QStackedWidget()
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.banner = OverlayBanner(central)
        self.screens: dict[str, Screen] = {}
        self.pages: dict[str, QWidget] = {}
        """What the stack holds for each screen: the screen, or a scroll area around it."""
        self.current = ""

        bar = self.statusBar()
        self.staff_label = QLabel()
        self.shift_label = QLabel()
        self.card_label = QLabel()
        self.sync_label = QLabel()
        self.lock_button = QPushButton(self.tr("Lock (Ctrl+L)"))
        self.lock_button.clicked.connect(self.lock)
        self.lock_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Ctrl+L; never the keyboard's
        for widget in (self.staff_label, self.shift_label):
            bar.addWidget(widget)
        bar.addPermanentWidget(self.sync_label)
        bar.addPermanentWidget(self.card_label)
        bar.addPermanentWidget(self.lock_button)

        session.sig_message.connect(self.show_message)
        # First: every dialog of every screen is closed before the lock screen shows.
        close_dialogs_on_lock(session, self)
        # A step that worked makes an error from before stale: it goes (errors do not expire).
        session.sig_order_changed.connect(self.banner.clear_error)
        session.sig_sale_completed.connect(lambda _order_id: self.banner.clear_error())
        session.sig_staff_changed.connect(self._staff_changed)
        session.sig_shift_changed.connect(self._update_status)
        session.sig_card_changed.connect(self._update_status)

        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.timeout.connect(self._idle)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
            if isinstance(app, QApplication):
                app.focusChanged.connect(self._focus_changed)

        for keys, target in (
            ("F2", "sell"),
            ("F3", "history"),
            ("F4", "shift"),
            ("F5", "backoffice"),
        ):
            shortcut(self, keys, lambda t=target: self.show_screen(t))
        shortcut(self, LOCK_KEYS, self.lock)
        self._update_status()

        # Every screen, imported above: a screen that fails to import stops the app with its
        # error, rather than vanishing from the counter. The back office (eleven tabs, a tenth
        # of a second to build) is built the first time it is opened: the counter is usable
        # sooner, and a cashier who never opens it never pays for it.
        self._backoffice: BackOfficeScreen | None = None
        self.login = self.add_screen(LoginScreen(session, self))
        self.sell = self.add_screen(SellScreen(session, self))
        self.pay = self.add_screen(PayScreen(session, self))
        self.finish = self.add_screen(FinishScreen(session, self))
        self.history = self.add_screen(HistoryScreen(session, self))
        self.shift = self.add_screen(ShiftScreen(session, self))

    @property
    def backoffice(self) -> BackOfficeScreen:
        if self._backoffice is None:
            self._backoffice = self.add_screen(BackOfficeScreen(self.session, self), scrolls=True)
        return self._backoffice

    def screen_named(self, name: str) -> Screen:
        """The screen called `name` (the back office built on first use)."""
        return self.backoffice if name == "backoffice" else self.screens[name]

    # --- screens ---------------------------------------------------------------------------

    def add_screen(self, screen: S, *, scrolls: bool = False) -> S:
        """A screen on the window. One that `scrolls` (the back office's forms) scrolls down in
        a window too short for it, instead of making the window taller than a small screen."""
        self.screens[screen.name] = screen
        page: QWidget = screen
        if scrolls:
            holder = QScrollArea()
            holder.setObjectName(f"{screen.name}-page")
            holder.setFrameShape(QFrame.Shape.NoFrame)
            holder.setWidgetResizable(True)
            # No tab stop of its own, where the focus would show nowhere (see vertical_scroll).
            holder.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            holder.setWidget(screen)
            page = holder
        self.pages[screen.name] = page
        self.stack.addWidget(page)
        return screen

    def show_screen(self, name: str) -> None:
        if name == "backoffice":
            self.backoffice  # noqa: B018 - built on first use
        if name not in self.screens:
            return
        if self.session.staff is None and name not in _PUBLIC:
            name = "login"
        needed = _NEEDS.get(name)
        if needed is not None and not self.session.can(needed):
            self.show_message(self.tr("Only a manager can open this screen."), "error")
            return
        if self.current == "pay" and name != "finish" and self.pay.busy():
            self.show_message(self.tr("Finish or cancel the card payment first."), "error")
            return
        screen = self.screens[name]
        self.current = name
        self.stack.setCurrentWidget(self.pages[name])
        self.banner.hide_stale()
        screen.activated()
        self.restore_focus()

    # --- the keyboard -----------------------------------------------------------------------

    def restore_focus(self) -> None:
        """Give the keyboard back to the current screen (its main field: the scanner's, the
        cash amount...) unless a visible, enabled widget of that screen already has it. The
        focus left on a hidden page, on a widget a step disabled, outside the screen or
        nowhere would send a scanner's digits and Enter nowhere."""
        screen = self.screens.get(self.current)
        if screen is None or QApplication.activeModalWidget() is not None:
            return  # a dialog has the keyboard; this runs again when it closes
        focus = self.focusWidget()
        if (
            focus is not None
            and screen.isAncestorOf(focus)
            and focus.isVisible()
            and focus.isEnabled()
        ):
            return
        screen.keep_focus()

    def _focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        """A step that disables (or hides) the focused widget sends the focus to the next one
        in the chain, which may be outside the screen, or nowhere: keep the keyboard in the
        screen instead (once the step is over, so the step's own focus choice wins)."""
        if old is None or old.window() is not self:
            return  # the focus came back from a dialog: WindowActivate handles that
        if new is None or (new.window() is self and not self._in_current_screen(new)):
            QTimer.singleShot(0, self.restore_focus)

    def _in_current_screen(self, widget: QWidget) -> bool:
        screen = self.screens.get(self.current)
        return screen is not None and screen.isAncestorOf(widget)

    def show_finish(self, finished: Finished) -> None:
        self.finish.show_finished(finished)
        self.show_screen("finish")

    def print_receipt(self, order_id: UUID, status: QLabel) -> None:
        """Queue the receipt on the receipt printer (never blocks: the queue prints it)."""
        hook = self.hooks.print_receipt
        if hook is None:
            status.setText(self.tr("No receipt printer is set up."))
            return
        hook(order_id, status)

    def email_receipt(self, order_id: UUID, address: str, status: QLabel) -> None:
        hook = self.hooks.email_receipt
        if hook is None:
            status.setText(self.tr("Email receipts are not set up on this register."))
            return
        hook(order_id, address, status)

    def open_drawer(self) -> None:
        """Kick the cash drawer: wake the print queue, which holds the kick (nothing when no
        print queue runs on this register)."""
        if self.hooks.open_drawer is not None:
            self.hooks.open_drawer()

    def show_message(self, text: str, kind: str = "error") -> None:
        self.banner.show_message(
            text, kind, timeout_ms=INFO_SECONDS * 1000 if kind == "info" else 0
        )

    # --- locking ------------------------------------------------------------------------------

    def lock(self) -> None:
        if self.current == "pay" and self.pay.busy():
            return  # never lock in the middle of taking a card
        self.session.sign_out()

    def _idle(self) -> None:
        if self.session.staff is not None:
            self.lock()

    def _restart_idle(self) -> None:
        seconds = self.session.shop.idle_lock_seconds
        if seconds > 0 and self.session.staff is not None:
            self.idle_timer.start(seconds * 1000)
        else:
            self.idle_timer.stop()  # the idle lock set to "Never" (Back office → Settings)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if (
            kind == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and _is_lock_key(event)
            and self.session.staff is not None
        ):
            # Ctrl+L over a dialog: the window's shortcut does not reach past a modal dialog,
            # so the key comes here. The lock closes every dialog (`close_dialogs_on_lock`).
            self.lock()
            return True
        if kind in _INPUT_EVENTS and self.session.staff is not None:
            self._restart_idle()
        elif kind == QEvent.Type.WindowActivate and watched is self:
            # Back from a dialog (or another window): the focus it left may be gone meanwhile.
            QTimer.singleShot(0, self.restore_focus)
        elif kind == QEvent.Type.Hide and isinstance(watched, QDialog) and watched.isWindow():
            QTimer.singleShot(0, self._dialog_closed)
        return False

    def _dialog_closed(self) -> None:
        """The keyboard comes back to the counter as a dialog closes, whatever the window
        manager does with the focus: a scanner's digits right after it reach the screen."""
        if QApplication.activeModalWidget() is not None or not self.isVisible():
            return  # another dialog is still up (it has the keyboard)
        if QApplication.activeWindow() is not self:
            self.activateWindow()
        self.restore_focus()

    def _staff_changed(self) -> None:
        self._update_status()
        if self.session.staff is None:
            self.idle_timer.stop()
            self.show_screen("login")
        else:
            self._restart_idle()

    # --- status bar ---------------------------------------------------------------------------

    def _update_status(self) -> None:
        session = self.session
        staff = session.staff
        self.staff_label.setText(
            self.tr("Signed in: {name}").format(name=staff.name) if staff else self.tr("Locked")
        )
        shift = session.shift
        self.shift_label.setText(
            self.tr("Shift open since {time}").format(
                time=format_moment(shift.opened_at, session.shop.timezone, session.locale_name)
            )
            if shift
            else self.tr("No shift open")
        )
        text = card_status_text(session.card_state)
        # The full reason is one hover (or the pay screen) away; the bar shows whole words.
        metrics = QFontMetrics(self.card_label.font())
        self.card_label.setText(elide_words(text, metrics, 320))
        self.card_label.setToolTip(text)

    def set_sync_status(self, text: str, tooltip: str = "") -> None:
        self.sync_label.setText(text)
        self.sync_label.setToolTip(tooltip)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.current == "pay" and self.pay.busy():
            self.show_message(self.tr("A card payment is in progress: finish or cancel it first."))
            event.ignore()
            return
        self.idle_timer.stop()
        event.accept()
