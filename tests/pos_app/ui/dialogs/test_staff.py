"""The back office's staff dialogs: a new person's PIN must be typed twice the same and follow
the PIN rule before anything is sent, and what is sent is what the staff area stores."""

from __future__ import annotations

from typing import Any

from pytestqt.qtbot import QtBot

from pos_app.domain.staff import Permission, Role, authorize
from pos_app.ui.dialogs.staff import AddStaffDialog, PinDialog, RoleDialog
from pos_app.ui.session import CounterSession
from tests.pos_app.ui.conftest import tap, type_text


def test_adding_someone_needs_a_name_and_the_same_valid_pin_twice(
    qtbot: QtBot, session: CounterSession
) -> None:
    dialog = AddStaffDialog([Role.CASHIER, Role.MANAGER])
    qtbot.addWidget(dialog)
    dialog.open()
    added: list[tuple[str, Role, str]] = []
    dialog.sig_add.connect(lambda name, role, pin: added.append((name, role, pin)))
    assert [dialog.role.itemText(i) for i in range(dialog.role.count())] == [
        "Cashier",
        "Manager",
    ]

    tap(dialog.confirm)
    assert dialog.error.text() == "Enter the person's name."
    type_text(dialog.name, "  Jo  ")
    type_text(dialog.pin, "12ab34")  # letters never get in
    assert dialog.pin.text() == "1234"
    type_text(dialog.pin_again, "1243")
    tap(dialog.confirm)
    assert dialog.error.text() == "The two PINs are not the same: type them again."
    assert (dialog.pin.text(), dialog.pin_again.text()) == ("", "")
    type_text(dialog.pin, "12")
    type_text(dialog.pin_again, "12")
    tap(dialog.confirm)
    assert dialog.error.text() == "A PIN is 4 to 8 digits"
    dialog.pin.clear()
    dialog.pin_again.clear()
    type_text(dialog.pin, "4321")
    assert dialog.error.text() == ""  # typing again clears the complaint
    type_text(dialog.pin_again, "4321")
    dialog.role.setCurrentIndex(1)
    assert added == []
    tap(dialog.confirm)
    assert added == [("Jo", Role.MANAGER, "4321")]
    # The dialog stays open until the person is stored (a refused name keeps the form).
    assert dialog.isVisible()
    owner = session.register.access.staff_by_name("Sam")
    name, role, pin = added[0]
    session.register.staff.add(
        name=name, role=role, pin=pin, authorization=authorize(owner, Permission.MANAGE_STAFF)
    )
    dialog.added()
    assert not dialog.isVisible()
    jo = session.register.access.staff_by_name("Jo")
    assert jo.role is Role.MANAGER
    assert session.register.access.sign_in(jo.id, "4321").member == jo


def test_new_pin_and_new_role_report_what_was_chosen(qtbot: QtBot) -> None:
    pin = PinDialog("Alex")
    qtbot.addWidget(pin)
    pin.open()
    assert pin.windowTitle() == "New PIN for Alex"
    pins: list[Any] = []
    pin.sig_pin.connect(pins.append)
    type_text(pin.pin, "55555")
    type_text(pin.pin_again, "55555")
    tap(pin.confirm)
    assert pins == ["55555"]

    role = RoleDialog("Alex", Role.CASHIER, [Role.CASHIER, Role.MANAGER, Role.OWNER])
    qtbot.addWidget(role)
    role.open()
    assert role.role.currentText() == "Cashier"  # starts at the person's role
    roles: list[Any] = []
    role.sig_role.connect(roles.append)
    role.role.setCurrentIndex(role.role.findText("Owner"))
    tap(role.confirm)
    assert roles == [Role.OWNER]
