"""Composition root of the counter app: configuration, database, services, window."""

from __future__ import annotations

import logging
import sys

from pos_app.config import AppConfig, resources_dir

log = logging.getLogger(__name__)


def setup_logging(config: AppConfig) -> None:
    config.log_dir.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        handlers=[logging.FileHandler(config.log_dir / "pos-app.log", encoding="utf-8")],
    )


def install_translations(app: object, locale_name: str) -> list[object]:
    """Load the compiled catalog for the locale (English needs none)."""
    from PySide6.QtCore import QLocale, QTranslator

    from pos_app.ui.i18n import compiled_catalog

    QLocale.setDefault(QLocale(locale_name))
    installed: list[object] = []
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


def build_window(session: object) -> object:
    """The main window with every screen (used by the app and by the UI tests)."""
    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.screens.finish import FinishScreen
    from pos_app.ui.screens.login import LoginScreen
    from pos_app.ui.screens.pay import PayScreen
    from pos_app.ui.screens.sell import SellScreen

    window = MainWindow(session)  # type: ignore[arg-type]
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


def run_gui(config: AppConfig, *, demo: bool) -> int:
    from PySide6.QtWidgets import QApplication

    from pos_app.services.register import Register
    from pos_app.ui.session import CounterSession
    from pos_app.ui.tasks import TaskRunner

    setup_logging(config)
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Counter POS")
    register = Register.open(config, demo=demo)
    locale_name = config.locale or register.shop.locale
    keep = install_translations(app, locale_name)
    app.setStyleSheet(stylesheet())
    runner = TaskRunner()
    session = CounterSession(register, runner, config, locale_name)
    window = build_window(session)
    window.resize(1280, 800)  # type: ignore[attr-defined]
    window.show()  # type: ignore[attr-defined]
    session.load()
    session.start_terminal()
    log.info("counter started (%s, data in %s)", "demo" if demo else "shop", config.data_dir)
    try:
        return app.exec()
    finally:
        session.shutdown()
        runner.shutdown(wait=True)
        register.close()
        del keep
