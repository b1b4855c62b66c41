"""Composition root of the counter app: configuration, database, services, window."""

from __future__ import annotations

import logging
import signal
import sys
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any
from uuid import UUID

from pos_app.config import AppConfig, resources_dir

if TYPE_CHECKING:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QLabel

    from pos_app.application.register import Register
    from pos_app.integrations.printing.queue import PrintWorker
    from pos_app.services.sync import SyncEngine, SyncLoop
    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.session import CounterSession

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


def stylesheet() -> str:
    path = resources_dir() / "styles" / "counter.qss"
    return path.read_text(encoding="utf-8") if path.exists() else ""


def build_window(session: CounterSession) -> MainWindow:
    """The main window with every screen (used by the app and by the UI tests)."""
    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.screens.finish import FinishScreen
    from pos_app.ui.screens.login import LoginScreen
    from pos_app.ui.screens.pay import PayScreen
    from pos_app.ui.screens.sell import SellScreen

    window = MainWindow(session)
    for screen_type in (LoginScreen, SellScreen, PayScreen, FinishScreen):
        window.add_screen(screen_type(session, window))
    for optional in ("history", "shift", "backoffice"):
        try:
            module = __import__(f"pos_app.ui.screens.{optional}", fromlist=["SCREEN"])
        except ImportError:
            continue
        window.add_screen(module.SCREEN(session, window))
    window.show_screen("login")
    return window


@dataclass
class CounterServices:
    """The background machinery around the window: the print queue and the sync loop."""

    session: CounterSession
    window: MainWindow
    print_worker: PrintWorker | None = None
    sync_engine: SyncEngine | None = None
    sync_loop: SyncLoop | None = None
    _keep: list[Any] = field(default_factory=list)

    def start(self, *, sync: bool = True, printing: bool = True) -> CounterServices:
        if printing:
            self._start_printing()
        if sync:
            self._start_sync()
        self.session.sig_sale_completed.connect(self._sale_completed)
        self.session.sig_outbox_changed.connect(self._outbox_changed)
        return self

    # printing ------------------------------------------------------------------------------

    def _start_printing(self) -> None:
        from pos_app.integrations.printing.queue import PrintWorker

        self.print_worker = PrintWorker(self.session.register.db)
        self.print_worker.start()
        self.window.print_hook = self.print_receipt  # type: ignore[attr-defined]
        self.window.email_hook = self.email_receipt  # type: ignore[attr-defined]
        self.window.open_drawer = self.print_worker.wake  # type: ignore[attr-defined]

    def print_receipt(self, order_id: UUID, status: QLabel) -> None:
        from PySide6.QtCore import QCoreApplication

        from pos_app.services import printing

        def queue() -> str | None:
            with self.session.register.db.write() as uow:
                if printing.receipt_printer(uow) is None:
                    return None
                printing.print_receipt(uow, order_id=order_id, shop=self.session.receipt_shop())
                problems = printing.queue_status(uow).problems
            return problems[0] if problems else ""

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

        from pos_app.services.notifications import queue_notification

        def queue() -> None:
            with self.session.register.db.write() as uow:
                queue_notification(
                    uow,
                    order_id=order_id,
                    kind="receipt",
                    email=address,
                    locale=self.session.locale_name,
                )

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
        from pos_app.services.sync import SyncEngine, SyncLoop, default_client_factory
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
        self.window.statusBar().addPermanentWidget(indicator)
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
    wizard.resize(1024, 768)
    wizard.show()
    if exit_after_startup:
        from pos_app.ui.startup_probe import watch_first_run

        watch_first_run(wizard)  # closes the wizard: nothing is set up
    QApplication.exec()
    runner.shutdown(wait=True)
    db.dispose()
    if not outcome:
        return None  # closed without finishing
    return (demo_config(config), True) if outcome[0].demo else (config, False)


def _has_shop(config: AppConfig) -> bool:
    from pos_app.db.database import Database

    db = Database(config.db_path)
    try:
        with db.read() as uow:
            return uow.settings.shop() is not None
    finally:
        db.dispose()


def _paired(register: Register) -> bool:
    from pos_app.services.sync import DEVICE_ID

    with register.db.read() as uow:
        return uow.outbox.state(DEVICE_ID) is not None


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
    if not demo and not _has_shop(config):
        chosen = _first_run(config, exit_after_startup=exit_after_startup)
        if chosen is None:
            return 0
        config, demo = chosen
    register = Register.open(config, demo=demo)
    register.db.write_guard.enabled = True  # SQLite writes on the database worker only
    locale_name = config.locale or register.shop.locale
    keep = install_translations(app, locale_name)
    runner = TaskRunner()
    session = CounterSession(register, runner, config, locale_name)
    window = build_window(session)
    # The demo syncs only once paired (with `pos-app platform`'s server).
    services = CounterServices(session, window).start(sync=not demo or _paired(register))
    window.resize(1280, 800)
    window.show()
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
