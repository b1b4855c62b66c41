"""The refund dialog shows every control whole in pt_BR, whose lines wrap more: the card note
(three lines) and the amount to refund made the right column taller than the dialog, and the
reason buttons were squeezed over each other, the last one cut by the box under it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QPoint, QRect
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from pos_app.app import install_translations, stylesheet
from pos_app.domain.money_text import format_money
from pos_app.ui.dialogs.refund import RefundDialog
from tests.pos_app.ui.dialogs.test_refund_dialog_tip import _detail


@pytest.fixture(params=["en_US", "pt_BR"])
def words(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    translators = install_translations(qapp, request.param)
    qapp.setStyleSheet(stylesheet())
    yield request.param
    for translator in translators:
        QCoreApplication.removeTranslator(translator)  # type: ignore[arg-type]


def where(widget: QWidget, dialog: QWidget) -> QRect:
    return QRect(widget.mapTo(dialog, QPoint(0, 0)), widget.size())


def squeezed(dialog: QWidget) -> list[str]:
    """Controls shorter than they need, cut by the dialog's edge, or over one another."""
    problems = []
    shown = [
        w
        for w in dialog.findChildren(QWidget)
        if isinstance(w, QAbstractButton | QLineEdit | QLabel) and w.isVisible()
    ]
    for widget in shown:
        name = widget.objectName() or getattr(widget, "text", lambda: "?")()
        need = (
            widget.heightForWidth(widget.width())
            if isinstance(widget, QLabel) and widget.wordWrap() and widget.text()
            else widget.minimumSizeHint().height()
        )
        if widget.height() < need:
            problems.append(f"{name!r}: {widget.height()} px high, needs {need}")
        if not dialog.rect().contains(where(widget, dialog)):
            problems.append(f"{name!r} at {where(widget, dialog)}, past {dialog.rect()}")
    buttons = [w for w in shown if isinstance(w, QAbstractButton) and w.parent() is dialog]
    for index, one in enumerate(buttons):
        for other in buttons[index + 1 :]:
            if where(one, dialog).intersects(where(other, dialog)):
                problems.append(f"{one.text()!r} over {other.text()!r}")
    return problems


def test_every_control_whole_with_a_card_tip_and_a_full_refund(qtbot: QtBot, words: str) -> None:
    money = lambda minor: format_money(minor, "USD", words)  # noqa: E731
    dialog = RefundDialog(_detail(210, 210), money, "USD", words)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    assert not squeezed(dialog), squeezed(dialog)
    dialog._everything()  # "Refund every item left": the preview says the amount and tip
    dialog.reason.setText("Charged twice")
    QApplication.processEvents()
    assert dialog.preview.text()
    assert not squeezed(dialog), squeezed(dialog)
    dialog.show_error("The card reader did not answer; nothing was refunded. Try again.")
    QApplication.processEvents()
    assert not squeezed(dialog), squeezed(dialog)
    assert dialog.height() <= 768 - 32, dialog.height()  # on a 1024×768 screen, title bar
