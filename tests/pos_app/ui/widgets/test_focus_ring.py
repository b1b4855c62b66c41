"""The keyboard's focus shows as a ring around the focused control (buttons of every role, text
fields, check boxes, tables), and arriving or leaving resizes nothing: the same border width in
every state, at the sheet's own size and at the big screens' scale."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from pos_app.app import BIG_SCREEN_SCALE, stylesheet

DARK_AMBER = QColor("#b45309")
BRIGHT_AMBER = QColor("#f2b600")


def focusable_button(text: str, role: str | None) -> QPushButton:
    widget = QPushButton(text)
    if role:
        widget.setProperty("role", role)
    widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return widget


def ring_colour(widget: QWidget) -> QColor:
    """The colour half-way down the widget's left edge, one pixel in."""
    image = widget.grab().toImage()
    return image.pixelColor(1, image.height() // 2)


@pytest.mark.parametrize("scale", [1.0, BIG_SCREEN_SCALE])
def test_focus_shows_a_ring_and_moves_nothing(
    qtbot: QtBot, qapp: QApplication, scale: float
) -> None:
    page = QWidget()
    page.setStyleSheet(stylesheet(scale))
    layout = QVBoxLayout(page)
    first = QLineEdit()  # where the focus starts
    controls: list[tuple[QWidget, QColor]] = [
        (focusable_button("Plain", None), DARK_AMBER),
        (focusable_button("Pay", "primary"), BRIGHT_AMBER),
        (focusable_button("Void", "danger"), BRIGHT_AMBER),
        (focusable_button("Card", "card"), BRIGHT_AMBER),
        (QLineEdit(), DARK_AMBER),
        (QCheckBox("On sale"), DARK_AMBER),
        (QTableWidget(2, 2), DARK_AMBER),
    ]
    layout.addWidget(first)
    for widget, _colour in controls:
        layout.addWidget(widget)
    qtbot.addWidget(page)
    page.show()
    page.activateWindow()
    qtbot.waitActive(page)
    first.setFocus()
    qtbot.waitUntil(first.hasFocus)
    for widget, colour in controls:
        before_size, before_hint = widget.size(), widget.sizeHint()
        before = ring_colour(widget)
        widget.setFocus()
        qtbot.waitUntil(widget.hasFocus)
        QApplication.processEvents()
        name = widget.metaObject().className() + str(widget.property("role"))
        assert widget.sizeHint() == before_hint, name
        assert widget.size() == before_size, name
        assert ring_colour(widget) == colour, name
        assert before != colour, name
