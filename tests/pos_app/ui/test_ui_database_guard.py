"""The UI tests' guard: UI code opening a transaction on the GUI thread fails the test."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from pos_app.ui.session import CounterSession
from tests.pos_app.ui.conftest import _UI_PACKAGE, idle


def test_the_gui_thread_may_not_open_a_transaction_from_ui_code(
    qtbot: QtBot, session: CounterSession
) -> None:
    as_if_in_the_ui = compile(
        "with db.read() as uow:\n    uow.staff.all()\n", f"{_UI_PACKAGE}/example.py", "exec"
    )
    with pytest.raises(AssertionError, match=r"Database.read\(\) on the GUI thread"):
        exec(as_if_in_the_ui, {"db": session.register.db})
    # The same code as a background operation is what the UI must do.
    results: list[object] = []
    session.db(lambda: exec(as_if_in_the_ui, {"db": session.register.db}), results.append)
    idle(qtbot, session)
    assert results == [None]
