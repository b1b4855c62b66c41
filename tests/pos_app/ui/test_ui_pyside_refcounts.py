"""PySide6 must not lose references to Python's singletons when the app emits signals.

PySide6 6.12.0 dropped a reference to True on every ``Signal.emit()``. Python 3.11 still counts
references on True, so a register that had emitted a few thousand signals (two per background
operation) aborted with "Fatal Python error: bool_dealloc". This test fails on such a build.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from pos_app.ui.session import CounterSession
from tests.pos_app.ui.conftest import idle

EMITS = 1_000


class _Emitter(QObject):
    sig_value = Signal(object)


def _singleton_refs() -> tuple[int, int, int]:
    # Garbage from earlier tests holds references too: collect it so only a leak moves these.
    gc.collect()
    return sys.getrefcount(True), sys.getrefcount(False), sys.getrefcount(None)


def test_emitting_signals_keeps_references_to_true_false_and_none(qapp: QApplication) -> None:
    emitter = _Emitter()
    received: list[object] = []
    emitter.sig_value.connect(received.append)
    before = _singleton_refs()
    for index in range(EMITS):
        emitter.sig_value.emit(index)
    after = _singleton_refs()
    assert len(received) == EMITS
    # A handful may move for unrelated reasons; a leak per emit moves a thousand.
    assert all(abs(b - a) < EMITS // 10 for a, b in zip(before, after, strict=True)), (
        before,
        after,
    )


def _returns(value: int) -> Callable[[], int]:
    return lambda: value


def test_background_operations_keep_references(qtbot: QtBot, session: CounterSession) -> None:
    results: list[int] = []
    session.db(_returns(-1), results.append)  # warm up: first-use caches are not a leak
    idle(qtbot, session)
    results.clear()
    before = _singleton_refs()
    for index in range(300):
        session.db(_returns(index), results.append)
    idle(qtbot, session)
    after = _singleton_refs()
    assert results == list(range(300))
    assert all(abs(b - a) < 100 for a, b in zip(before, after, strict=True)), (before, after)
