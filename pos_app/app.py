"""Composition root of the counter app: configuration, database, services, window."""

from __future__ import annotations

import logging
import re
import signal
import sys
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any
from uuid import UUID

from pos_app.config import AppConfig, resources_dir

if TYPE_CHECKING:
    from PySide6.QtCore import QRect, QSize, QTimer
    from PySide6.QtWidgets import QApplication, QLabel, QWidget

    from pos_app.application.print_queue import PrintWorker
    from pos_app.application.sync import SyncEngine, SyncLoop, SyncStatus
    from pos_app.domain.fee_invoices import FeeInvoices
    from pos_app.ui.main_window import CounterHooks, MainWindow
    from pos_app.ui.session import CounterSession
    from pos_app.ui.widgets.sync_status import SyncIndicator, SyncStatusBridge

log = logging.getLogger(__name__)


def setup_logging(config: AppConfig) -> None:
    config.log_dir.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        handlers=[logging.FileHandler(config.log_dir / "pos-app.log", encoding="utf-8")],
    )
    # Stripe's SDK logs whole response bodies at DEBUG (a PaymentIntent's client_secret among
    # them): never below INFO, even when someone turns the app's own logging up to debug.
    logging.getLogger("stripe").setLevel(logging.INFO)


def demo_config(config: AppConfig) -> AppConfig:
    """The demo keeps its own data, apart from a real shop's."""
    return replace(config, data_dir=config.data_dir / "demo")


def install_translations(app: object, locale_name: str) -> list[object]:
    """Load the compiled catalog for the locale (English needs none)."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    from pos_app.ui.i18n import compiled_catalog

    QLocale.setDefault(QLocale(locale_name))
    installed: list[object] = []
    # Qt's own strings (OK, Cancel, Open on standard buttons), shipped with PySide6.
    qt_translations = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt_catalog = QTranslator(app)  # type: ignore[arg-type]
    if not locale_name.startswith("en") and qt_catalog.load(
        QLocale(locale_name), "qtbase", "_", qt_translations
    ):
        app.installTranslator(qt_catalog)  # type: ignore[attr-defined]
        installed.append(qt_catalog)
    path = compiled_catalog(locale_name)
    if path is not None:
        translator = QTranslator(app)  # type: ignore[arg-type]
        if translator.load(str(path)):
            app.installTranslator(translator)  # type: ignore[attr-defined]
            installed.append(translator)
    return installed


BIG_SCREEN = (1600, 1000)
"""A screen at least this wide and tall (1920×1080) is a big panel, read from as far away."""
BIG_SCREEN_SCALE = 1.25


def stylesheet(scale: float = 1.0) -> str:
    """The counter's style sheet; with a `scale`, every size in it (type, touch targets,
    padding) that much larger."""
    path = resources_dir() / "styles" / "counter.qss"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if scale != 1.0:
        text = re.sub(r"\b(\d+)px\b", lambda m: f"{round(int(m[1]) * scale)}px", text)
    return text


def style_scale(width: int, height: int) -> float:
    """How much larger than drawn the style sheet is shown full screen on a screen this size:
    it is drawn for 1024×768 to 1366×768; on a 1920×1080 panel the same pixels would make
    small type and a sparse screen, so everything grows by a quarter (which lays out like a
    1536×864 screen: between sizes that are known to fit)."""
    big_width, big_height = BIG_SCREEN
    return BIG_SCREEN_SCALE if width >= big_width and height >= big_height else 1.0


COUNTER_WINDOW = (1280, 800)
"""The counter's size as a window (an office PC), where the screen has room for it."""
WIZARD_WINDOW = (1024, 768)
"""The first-run wizard's size, where the screen has room for it."""
FRAME_ALLOWANCE = (8, 40)
"""Width and height left for the window manager's borders and title bar: a window that is not
shown yet does not know its frame."""


NO_WINDOW_SYSTEM = frozenset({"offscreen", "minimal"})
"""Qt platforms that draw into memory (tests, the start-up probe in CI)."""


def windowed_geometry(available: QRect, preferred: QSize) -> QRect:
    """Where a window of the preferred size goes on a screen whose free area (task bars left
    out) is `available`: centred, and shrunk to fit with its frame. The rectangle is the
    window's inside; its top left is where the frame's top left goes (`QWidget.move`)."""
    from PySide6.QtCore import QRect

    frame_width, frame_height = FRAME_ALLOWANCE
    width = min(preferred.width(), available.width() - frame_width)
    height = min(preferred.height(), available.height() - frame_height)
    left = available.x() + (available.width() - width - frame_width) // 2
    top = available.y() + (available.height() - height - frame_height) // 2
    return QRect(left, top, width, height)


def show_window(window: QWidget, preferred: tuple[int, int], *, full_screen: bool) -> None:
    """Show a top-level window full screen (the register), or as a window that fits the screen
    it opens on (maximized where the preferred size does not fit). Either way it is raised and
    activated, so the keyboard, and a barcode scanner (which is a keyboard), reach it at once,
    without a click."""
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.platformName() in NO_WINDOW_SYSTEM:
        window.show()  # no screen to fill, no window to raise (and Qt warns of each)
        return
    screen = window.screen() or QGuiApplication.primaryScreen()
    if full_screen:
        # The whole screen even where no window manager runs (a kiosk X session): full-screen
        # state alone is a request to a window manager, and without one nothing honours it.
        window.setGeometry(screen.geometry())
        window.showFullScreen()
    else:
        wanted = QSize(*preferred)
        place = windowed_geometry(screen.availableGeometry(), wanted)
        window.resize(place.size())
        window.move(place.topLeft())
        if place.size() == wanted:
            window.show()
        else:
            window.showMaximized()
    window.raise_()
    window.activateWindow()


def build_window(session: CounterSession, hooks: CounterHooks | None = None) -> MainWindow:
    """The main window with every screen (used by the app and by the UI tests)."""
    from pos_app.ui.main_window import MainWindow

    window = MainWindow(session, hooks)
    window.show_screen("login")
    return window


@dataclass
class CounterServices:
    """The background machinery around the window: the print queue and the sync loop. Started
    before the window, which is built with their `hooks` and then shows their sync indicator
    (`attach`)."""

    session: CounterSession
    print_worker: PrintWorker | None = None
    sync_engine: SyncEngine | None = None
    sync_loop: SyncLoop | None = None
    sync_indicator: SyncIndicator | None = None
    sync_bridge: SyncStatusBridge | None = None
    _keep: list[Any] = field(default_factory=list)

    def start(self, *, sync: bool = True, printing: bool = True) -> CounterServices:
        if printing:
            self._start_printing()
        if sync:
            self._start_sync()
        self.session.sig_sale_completed.connect(self._sale_completed)
        self.session.sig_outbox_changed.connect(self._outbox_changed)
        return self

    @property
    def hooks(self) -> CounterHooks:
        """What the window may ask of these services: printing and the drawer only with the
        print queue running; e-mail always (it is queued for the next sync)."""
        from pos_app.ui.main_window import CounterHooks

        worker = self.print_worker
        return CounterHooks(
            print_receipt=self.print_receipt if worker is not None else None,
            email_receipt=self.email_receipt,
            open_drawer=worker.wake if worker is not None else None,
        )

    def attach(self, window: MainWindow) -> None:
        """Show the sync indicator in the window's status bar, and the fee reminder."""
        if self.sync_indicator is not None:
            window.statusBar().addPermanentWidget(self.sync_indicator)
        rounds: list[SyncStatus] = []

        def status_came(status: SyncStatus) -> None:
            rounds.append(status)
            window.sell.show_fee_reminder(status.fees)

        def kept_copy(fees: FeeInvoices | None) -> None:
            if not rounds:  # a round's news is never older than the copy read at start
                window.sell.show_fee_reminder(fees)

        if self.sync_bridge is not None:
            # Each round's status carries the fee invoices as last read: the counter's
            # past-due reminder follows them (shown while past due, gone once paid).
            self.sync_bridge.sig_status.connect(status_came)
        # Until the first round (up to a sync interval after start, or never while offline),
        # the copy this register keeps: a past-due shop sees the reminder from the start.
        self.session.db(self.session.register.settings.fee_invoices, kept_copy)

    # printing ------------------------------------------------------------------------------

    def _start_printing(self) -> None:
        from pos_app.application.print_queue import PrintWorker

        self.print_worker = PrintWorker(self.session.register.db)
        self.print_worker.start()

    def print_receipt(self, order_id: UUID, status: QLabel) -> None:
        from PySide6.QtCore import QCoreApplication

        history = self.session.register.history
        shop = self.session.receipt_shop()

        def queue() -> str | None:
            return history.print_receipt(order_id, shop=shop)

        def queued(result: str | None) -> None:
            if result is None:
                status.setText(
                    QCoreApplication.translate("MainWindow", "No receipt printer is set up.")
                )
                return
            if self.print_worker is not None:
                self.print_worker.wake()
            status.setText(
                result or QCoreApplication.translate("MainWindow", "Receipt sent to the printer.")
            )

        self.session.db(queue, queued)

    def email_receipt(self, order_id: UUID, address: str, status: QLabel) -> None:
        from PySide6.QtCore import QCoreApplication

        history = self.session.register.history
        locale = self.session.locale_name

        def queue() -> None:
            history.email_receipt(order_id, address=address, locale=locale)

        def queued(_none: None) -> None:
            status.setText(
                QCoreApplication.translate(
                    "MainWindow", "The receipt will be emailed to {address}."
                ).format(address=address)
            )
            if self.sync_loop is not None:
                self.sync_loop.wake()

        self.session.db(queue, queued)

    # sync ------------------------------------------------------------------------------------

    def _start_sync(self) -> None:
        from pos_app.application.sync import SyncEngine, SyncLoop, default_client_factory
        from pos_app.ui.widgets.sync_status import SyncIndicator, SyncStatusBridge

        self.sync_engine = SyncEngine(
            self.session.register.db,
            client_factory=default_client_factory(self.session.config.sync_ca_file),
        )
        bridge = SyncStatusBridge()
        indicator = SyncIndicator(
            self.session.shop.timezone, self.session.locale_name, self._sync_now
        )
        bridge.sig_status.connect(indicator.update_status)
        bridge.sig_status.connect(lambda _status: self.session.reload_catalog())
        self.sync_indicator = indicator
        self.sync_bridge = bridge
        self._keep += [bridge, indicator]
        self.sync_loop = SyncLoop(self.sync_engine, on_status=bridge.sig_status.emit).start()

    def _sync_now(self) -> None:
        """The status bar's "Sync now": retry at once, even while backing off."""
        if self.sync_loop is not None:
            self.sync_loop.sync_now()

    def _outbox_changed(self) -> None:
        if self.sync_loop is not None:
            self.sync_loop.wake()

    def _sale_completed(self, _order_id: object) -> None:
        if self.sync_loop is not None:
            self.sync_loop.wake()
        if self.print_worker is not None:
            self.print_worker.wake()

    def stop(self) -> None:
        if self.sync_loop is not None:
            self.sync_loop.stop()
        if self.print_worker is not None:
            self.print_worker.stop()


def _first_run(config: AppConfig, *, exit_after_startup: bool) -> tuple[AppConfig, bool] | None:
    """Run the set-up wizard; returns the config to start with and whether it is the demo."""
    from PySide6.QtWidgets import QApplication

    from pos_app.db.database import Database
    from pos_app.ui.first_run import FirstRunResult, FirstRunWizard
    from pos_app.ui.tasks import TaskRunner

    db = Database(config.db_path)
    runner = TaskRunner()
    outcome: list[FirstRunResult] = []
    wizard = FirstRunWizard(config, db, runner)

    def finished(result: FirstRunResult) -> None:
        outcome.append(result)
        wizard.close()

    wizard.sig_finished.connect(finished)
    # A window even on a register: a title bar to move it by while setting up.
    show_window(wizard, WIZARD_WINDOW, full_screen=False)
    if exit_after_startup:
        from pos_app.ui.startup_probe import watch_first_run

        watch_first_run(wizard)  # closes the wizard: nothing is set up
    QApplication.exec()
    runner.shutdown(wait=True)
    db.dispose()
    if not outcome:
        return None  # closed without finishing
    return (demo_config(config), True) if outcome[0].demo else (config, False)


def _quit_on_signals(app: QApplication) -> QTimer:
    """Ctrl-C in the terminal, or SIGTERM from whoever started the app (`pos-app platform`),
    closes the window the way its close button does, so the sync loop and the print queue
    stop cleanly. Python runs signal handlers only when it gets control, hence the timer."""
    from PySide6.QtCore import QTimer

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda _signum, _frame: app.quit())
    tick = QTimer(app)
    tick.timeout.connect(lambda: None)
    tick.start(200)
    return tick


def run_gui(config: AppConfig, *, demo: bool, exit_after_startup: bool = False) -> int:
    """The counter app. With `exit_after_startup`, quit once it is usable, printing how long
    that took (see pos_app/ui/startup_probe.py): for smoke tests and the start-up benchmark."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from pos_app.application.register import Register
    from pos_app.ui.session import CounterSession
    from pos_app.ui.tasks import TaskRunner

    if demo:
        config = demo_config(config)
    setup_logging(config)
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Counter POS")
    app.setStyleSheet(stylesheet())
    if not demo and not Register.has_shop(config):
        chosen = _first_run(config, exit_after_startup=exit_after_startup)
        if chosen is None:
            return 0
        config, demo = chosen
    if not config.windowed:
        size = app.primaryScreen().size()
        scale = style_scale(size.width(), size.height())
        if scale != 1.0:
            app.setStyleSheet(stylesheet(scale))
    register = Register.open(config, demo=demo)
    register.db.write_guard.enabled = True  # SQLite writes on the database worker only
    locale_name = config.locale or register.shop.locale
    keep = install_translations(app, locale_name)
    runner = TaskRunner()
    session = CounterSession(register, runner, config, locale_name)
    # The demo syncs only once paired (with `pos-app platform`'s server).
    services = CounterServices(session).start(sync=not demo or register.paired())
    window = build_window(session, services.hooks)
    services.attach(window)
    show_window(window, COUNTER_WINDOW, full_screen=not config.windowed)
    # The card reader connects once the counter is on screen: importing the Stripe SDK and
    # reaching the reader in the background would otherwise compete with the first paint.
    session.load(on_loaded=lambda: QTimer.singleShot(0, session.start_terminal))
    if exit_after_startup:
        from pos_app.ui.startup_probe import watch_counter

        watch_counter(window, session)
    keep.append(_quit_on_signals(app))
    log.info("counter started (%s, data in %s)", "demo" if demo else "shop", config.data_dir)
    try:
        return app.exec()
    finally:
        services.stop()
        session.shutdown()
        runner.shutdown(wait=True)
        register.close()
        del keep
