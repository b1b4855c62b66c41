"""Composition root of the counter app: configuration, database, services, window."""

from __future__ import annotations

import sys

from pos_app.config import AppConfig


def run_gui(config: AppConfig, *, demo: bool) -> int:
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    from pos_app.services.register import Register

    app = QApplication.instance() or QApplication(sys.argv)
    register = Register.open(config, demo=demo)
    window = QMainWindow()
    window.setWindowTitle(f"{register.shop.name} — Counter POS")
    window.setCentralWidget(QLabel(f"{register.shop.name}: ready"))
    window.resize(1024, 768)
    window.show()
    try:
        return app.exec()
    finally:
        register.close()
