"""Back-office staff dialogs: a new person (name, role, PIN twice), a new PIN, a new role, and
a yes/no confirmation. All non-blocking, reporting through signals; PINs are never shown."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QRegularExpression, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QComboBox, QDialog, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from pos_app.domain.errors import ValidationError
from pos_app.domain.staff import PIN_MAX_LENGTH, Role, check_pin_format
from pos_app.ui.session import translate_message
from pos_app.ui.widgets.common import button, label, tall_as_wrapped_lines


def role_text(role: Role) -> str:
    return {
        Role.CASHIER: QCoreApplication.translate("Staff", "Cashier"),
        Role.MANAGER: QCoreApplication.translate("Staff", "Manager"),
        Role.OWNER: QCoreApplication.translate("Staff", "Owner"),
    }[role]


def _pin_field(placeholder: str, name: str) -> QLineEdit:
    field = QLineEdit()
    field.setObjectName(name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMaxLength(PIN_MAX_LENGTH)
    field.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d*"), field))
    field.setPlaceholderText(placeholder)
    return field


class _FormDialog(QDialog):
    """Fields, a red error line, Cancel and a confirm button."""

    def __init__(self, title: str, confirm: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        tall_as_wrapped_lines(self)  # a long error wraps
        self.body = QVBoxLayout(self)
        self.body.addWidget(label(title, "Subtitle"))
        self.fields = QVBoxLayout()
        self.body.addLayout(self.fields)
        self.error = label("")
        self.error.setObjectName("DialogError")
        self.error.setStyleSheet("color: #b00020; font-weight: bold;")
        self.body.addWidget(self.error)
        actions = QHBoxLayout()
        cancel = button(self.tr("Cancel (Esc)"))
        cancel.clicked.connect(self.reject)
        self.confirm = button(confirm, "primary")
        self.confirm.setObjectName("DialogConfirm")
        self.confirm.clicked.connect(self._confirm)
        actions.addWidget(cancel)
        actions.addWidget(self.confirm)
        self.body.addLayout(actions)
        self.finished.connect(self.deleteLater)

    def add_field(self, widget: QWidget) -> None:
        self.fields.addWidget(widget)
        if isinstance(widget, QLineEdit):
            widget.textEdited.connect(lambda _text: self.error.setText(""))

    def _confirm(self) -> None:
        raise NotImplementedError

    def _check_pins(self, first: QLineEdit, second: QLineEdit) -> str | None:
        pin = first.text()
        try:
            check_pin_format(pin)
        except ValidationError as error:
            self.error.setText(translate_message(str(error)))
            first.setFocus()
            return None
        if second.text() != pin:
            self.error.setText(self.tr("The two PINs are not the same: type them again."))
            first.clear()
            second.clear()
            first.setFocus()
            return None
        return pin


class AddStaffDialog(_FormDialog):
    sig_add = Signal(str, object, str)
    """(name, Role, PIN) once the PIN is typed twice the same."""

    def __init__(self, roles: list[Role], parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Add a staff member"), self.tr("Add"), parent)
        self.setObjectName("AddStaffDialog")
        self.name = QLineEdit()
        self.name.setObjectName("StaffName")
        self.name.setMaxLength(60)
        self.name.setPlaceholderText(self.tr("Name as shown on the sign-in screen"))
        self.role = QComboBox()
        self.role.setObjectName("StaffRole")
        for role in roles:
            self.role.addItem(role_text(role), role.value)
        # A problem with the name (already on the list) is shown under it, the form kept.
        self.name_error = label("")
        self.name_error.setObjectName("StaffNameError")
        self.name_error.setStyleSheet("color: #b00020; font-weight: bold;")
        self.name_error.hide()
        self.name.textEdited.connect(lambda _text: self.name_error.hide())
        self.pin = _pin_field(self.tr("PIN (4 to 8 digits)"), "StaffPin")
        self.pin_again = _pin_field(self.tr("The same PIN again"), "StaffPinAgain")
        for widget in (self.name, self.name_error, self.role, self.pin, self.pin_again):
            self.add_field(widget)
        self.pin_again.returnPressed.connect(self._confirm)

    def _confirm(self) -> None:
        name = self.name.text().strip()
        if not name:
            self.error.setText(self.tr("Enter the person's name."))
            self.name.setFocus()
            return
        pin = self._check_pins(self.pin, self.pin_again)
        if pin is None:
            return
        # Stays open until the person is added (`added`), or shows why not (`refused`).
        self.confirm.setEnabled(False)
        self.sig_add.emit(name, Role(self.role.currentData()), pin)

    def added(self) -> None:
        self.accept()

    def refused(self, text: str, *, about_name: bool = True) -> None:
        """The person could not be added: say why (under the name when it is about the name),
        keep what was typed."""
        self.confirm.setEnabled(True)
        if not about_name:
            self.error.setText(text)
            return
        self.name_error.setText(text)
        self.name_error.show()
        self.name.setFocus()
        self.name.selectAll()


class PinDialog(_FormDialog):
    sig_pin = Signal(str)
    """The new PIN, typed twice the same."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("New PIN for {name}").format(name=name), self.tr("Set PIN"), parent
        )
        self.setObjectName("PinDialog")
        self.pin = _pin_field(self.tr("New PIN (4 to 8 digits)"), "NewPin")
        self.pin_again = _pin_field(self.tr("The same PIN again"), "NewPinAgain")
        self.add_field(self.pin)
        self.add_field(self.pin_again)
        self.pin_again.returnPressed.connect(self._confirm)

    def _confirm(self) -> None:
        pin = self._check_pins(self.pin, self.pin_again)
        if pin is None:
            return
        self.accept()
        self.sig_pin.emit(pin)


class RoleDialog(_FormDialog):
    sig_role = Signal(object)
    """The chosen Role."""

    def __init__(
        self, name: str, current: Role, roles: list[Role], parent: QWidget | None = None
    ) -> None:
        super().__init__(
            self.tr("Role of {name}").format(name=name), self.tr("Change role"), parent
        )
        self.setObjectName("RoleDialog")
        self.role = QComboBox()
        self.role.setObjectName("NewRole")
        for role in roles:
            self.role.addItem(role_text(role), role.value)
        self.role.setCurrentIndex(max(0, self.role.findData(current.value)))
        self.add_field(self.role)

    def _confirm(self) -> None:
        self.accept()
        self.sig_role.emit(Role(self.role.currentData()))


class ConfirmDialog(_FormDialog):
    sig_confirmed = Signal()

    def __init__(self, title: str, text: str, confirm: str, parent: QWidget | None = None) -> None:
        super().__init__(title, confirm, parent)
        self.setObjectName("ConfirmDialog")
        self.confirm.setProperty("role", "danger")
        self.add_field(label(text))

    def _confirm(self) -> None:
        self.accept()
        self.sig_confirmed.emit()
