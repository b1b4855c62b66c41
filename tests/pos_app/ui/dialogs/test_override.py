"""The manager-approval dialog, as a cashier meets it: the action runs only after a manager's
right PIN; a wrong PIN is refused on the dialog (which stays up), counted and audited."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from pos_app.domain.staff import Authorization, Permission, StaffMember
from pos_app.ui.dialogs.override import OverrideDialog, with_permission
from pos_app.ui.session import CounterSession
from tests.pos_app.ui.conftest import find_dialog, idle, press, type_text, wait_dialog


def signed_in(session: CounterSession, name: str) -> dict[str, StaffMember]:
    staff = {member.name: member for member in session.register.access.staff()}
    session.sign_in(staff[name])
    return staff


@pytest.fixture
def counter(qtbot: QtBot) -> QWidget:
    """The screen the dialog opens over."""
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    return parent


def ask_to_void(
    qtbot: QtBot, session: CounterSession, parent: QWidget, approved: list[Authorization]
) -> OverrideDialog:
    with_permission(session, parent, Permission.VOID, approved.append)
    return wait_dialog(qtbot, OverrideDialog)


def test_a_wrong_manager_pin_is_refused_and_the_right_one_approves(
    qtbot: QtBot, session: CounterSession, counter: QWidget
) -> None:
    staff = signed_in(session, "Alex")  # a cashier: may not void
    approved: list[Authorization] = []
    dialog = ask_to_void(qtbot, session, counter, approved)
    # Only the others who may void are offered, never the cashier asking.
    names = [dialog.approver.itemText(i) for i in range(dialog.approver.count())]
    assert names == ["Morgan", "Sam"]

    dialog.approver.setCurrentIndex(dialog.approver.findText("Morgan"))
    type_text(dialog.pinpad.field, "9999")  # Sam's PIN, not Morgan's
    dialog.pinpad.submit()
    qtbot.waitUntil(lambda: dialog.error.isVisible())
    assert dialog.error.text() == "Approval refused: wrong PIN"
    assert dialog.isVisible()
    assert dialog.pinpad.isEnabled()  # they may try again
    assert dialog.pinpad.field.text() == ""
    assert approved == []
    with session.register.db.read() as uow:
        [failure] = uow.audit.entries(action="auth.pin_failed")
    assert failure.staff_id == staff["Morgan"].id
    assert failure.details == {"failures": 1}

    type_text(dialog.pinpad.field, "2222")
    press(dialog.pinpad.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(approved))
    [authorization] = approved
    assert authorization.actor.id == staff["Alex"].id
    assert authorization.approver is not None
    assert authorization.approver.id == staff["Morgan"].id
    assert authorization.permission is Permission.VOID
    qtbot.waitUntil(lambda: find_dialog(OverrideDialog) is None)
    idle(qtbot, session)


def test_the_approver_is_chosen_from_the_pin_field_by_first_letter(
    qtbot: QtBot, session: CounterSession, counter: QWidget
) -> None:
    """Keyboard only: a letter picks the approver by name, digits go to the PIN."""
    signed_in(session, "Alex")
    approved: list[Authorization] = []
    dialog = ask_to_void(qtbot, session, counter, approved)
    type_text(dialog.pinpad.field, "s9999")
    assert dialog.approver.currentText() == "Sam"
    assert dialog.pinpad.field.text() == "9999"
    press(dialog.pinpad.field, Qt.Key.Key_Up)  # Up/Down step through the names
    assert dialog.approver.currentText() == "Morgan"
    press(dialog.pinpad.field, Qt.Key.Key_Down)
    press(dialog.pinpad.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(approved))
    assert approved[0].approver is not None
    assert approved[0].approver.name == "Sam"
    idle(qtbot, session)


def test_five_wrong_pins_lock_the_manager_out_even_with_the_right_one_after(
    qtbot: QtBot, session: CounterSession, counter: QWidget
) -> None:
    signed_in(session, "Alex")
    approved: list[Authorization] = []
    dialog = ask_to_void(qtbot, session, counter, approved)
    dialog.approver.setCurrentIndex(dialog.approver.findText("Morgan"))
    for attempt in range(5):
        type_text(dialog.pinpad.field, "0000")
        dialog.pinpad.submit()
        qtbot.waitUntil(dialog.pinpad.isEnabled)
        assert dialog.error.text() == "Approval refused: wrong PIN", attempt
    type_text(dialog.pinpad.field, "2222")
    dialog.pinpad.submit()
    qtbot.waitUntil(lambda: "too many wrong PINs" in dialog.error.text())
    assert dialog.error.text() == "Approval refused: too many wrong PINs: try again in 5 min"
    assert approved == []
    dialog.reject()
    idle(qtbot, session)


def test_someone_allowed_acts_at_once_and_a_cancelled_approval_does_nothing(
    qtbot: QtBot, session: CounterSession, counter: QWidget
) -> None:
    signed_in(session, "Morgan")  # a manager may void: no dialog at all
    approved: list[Authorization] = []
    with_permission(session, counter, Permission.VOID, approved.append)
    [authorization] = approved
    assert authorization.actor.name == "Morgan"
    assert authorization.approver is None
    assert find_dialog(OverrideDialog) is None

    signed_in(session, "Alex")
    approved.clear()
    dialog = ask_to_void(qtbot, session, counter, approved)
    type_text(dialog.pinpad.field, "2222")
    press(dialog.pinpad.field, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: find_dialog(OverrideDialog) is None)
    idle(qtbot, session)
    assert approved == []
