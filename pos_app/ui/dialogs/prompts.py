"""Small non-blocking dialogs: a text prompt (with quick choices), a discount, modifiers.

Each opens with `open()` (window-modal, the event loop keeps running) and reports through a
signal, so background results and tests keep flowing while it is up.
"""

from __future__ import annotations

from uuid import UUID

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.catalog import Product
from pos_app.domain.errors import ValidationError
from pos_app.domain.money import MoneyError
from pos_app.domain.pricing import Discount, DiscountKind
from pos_app.ui.formatting import (
    describe_amount_error,
    parse_money,
    parse_percent,
    translate_message,
)


class TextPrompt(QDialog):
    sig_value = Signal(str)
    """The text entered, when accepted (never empty unless `allow_empty`)."""

    def __init__(
        self,
        title: str,
        prompt: str,
        parent: QWidget | None = None,
        *,
        text: str = "",
        choices: tuple[str, ...] = (),
        allow_empty: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.allow_empty = allow_empty
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(prompt))
        self.field = QLineEdit(text)
        self.field.setMaxLength(200)
        layout.addWidget(self.field)
        if choices:
            grid = QGridLayout()
            for index, choice in enumerate(choices):
                quick = QPushButton(choice)
                quick.clicked.connect(lambda _=False, c=choice: self._choose(c))
                grid.addWidget(quick, index // 2, index % 2)
            layout.addLayout(grid)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._ok)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.field.returnPressed.connect(self._ok)
        self.finished.connect(self.deleteLater)
        self.field.setFocus()  # what is typed as the dialog opens goes into the field

    def _choose(self, choice: str) -> None:
        self.field.setText(choice)
        self._ok()

    def _ok(self) -> None:
        value = self.field.text().strip()
        if not value and not self.allow_empty:
            self.field.setFocus()
            return
        self.accept()
        self.sig_value.emit(value)


class DiscountDialog(QDialog):
    sig_discount = Signal(object)
    """A `Discount`, or None to remove the discount."""

    def __init__(
        self, currency: str, locale_name: str, parent: QWidget | None = None, *, title: str
    ) -> None:
        super().__init__(parent)
        self.currency = currency
        self.locale_name = locale_name
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        kinds = QHBoxLayout()
        self.percent = QRadioButton(self.tr("Percent (%)"))
        self.amount = QRadioButton(self.tr("Amount"))
        self.percent.setChecked(True)
        kinds.addWidget(self.percent)
        kinds.addWidget(self.amount)
        layout.addLayout(kinds)
        self.value = QLineEdit()
        self.value.setPlaceholderText(self.tr("e.g. 10"))
        layout.addWidget(self.value)
        quick = QHBoxLayout()
        for pct in ("5", "10", "15", "20", "50"):
            b = QPushButton(f"{pct}%")
            # Tab goes from the value to the reason, and Enter is OK, not a quick choice.
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.setAutoDefault(False)
            b.clicked.connect(lambda _=False, p=pct: self._quick(p))
            quick.addWidget(b)
        layout.addLayout(quick)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("Reason (staff meal, loyalty, damaged…)"))
        layout.addWidget(self.reason)
        self.error = QLabel()
        self.error.setProperty("look", "Muted")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        remove = buttons.addButton(
            self.tr("Remove discount"), QDialogButtonBox.ButtonRole.ResetRole
        )
        remove.clicked.connect(self._remove)
        buttons.accepted.connect(self._ok)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.finished.connect(self.deleteLater)
        # The value, not the Percent/Amount choice before it: "F6, 15, Enter" gives 15 %.
        self.value.setFocus()
        buttons.button(QDialogButtonBox.StandardButton.Ok).setDefault(True)

    def _quick(self, percent: str) -> None:
        self.percent.setChecked(True)
        self.value.setText(percent)

    def _remove(self) -> None:
        self.accept()
        self.sig_discount.emit(None)

    def _ok(self) -> None:
        text = self.value.text().strip()
        try:
            if self.percent.isChecked():
                discount = Discount(
                    DiscountKind.PERCENT,
                    parse_percent(text, self.locale_name),
                    self.reason.text().strip(),
                )
            else:
                discount = Discount(
                    DiscountKind.AMOUNT,
                    parse_money(text, self.currency, self.locale_name),
                    self.reason.text().strip(),
                )
        except MoneyError as error:
            self.error.setText(describe_amount_error(error))
            return
        except ValidationError as error:
            self.error.setText(translate_message(str(error)))
            return
        self.accept()
        self.sig_discount.emit(discount)


class ModifierDialog(QDialog):
    sig_chosen = Signal(object)
    """``{group_id: [modifier_id, ...]}`` once every group's bounds are met."""

    def __init__(self, product: Product, money: object, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.product = product
        self.setWindowTitle(product.name)
        self.setObjectName("ModifierDialog")
        layout = QVBoxLayout(self)
        self.groups: dict[UUID, list[QPushButton]] = {}
        for group in product.modifier_groups:
            box = QGroupBox(self._group_title(group.name, group.min_choices, group.max_choices))
            grid = QGridLayout(box)
            exclusive = QButtonGroup(box)
            exclusive.setExclusive(group.max_choices == 1)
            buttons: list[QPushButton] = []
            for index, modifier in enumerate(group.modifiers):
                price = (
                    f"  +{money(modifier.price_delta_minor)}"  # type: ignore[operator]
                    if modifier.price_delta_minor > 0
                    else ""
                )
                # "&&" shows a "&" ("Salt & Pepper"); a lone one would underline a letter.
                choice = QPushButton(modifier.name.replace("&", "&&") + price)
                choice.setCheckable(True)
                # Space toggles the focused choice; Enter is always OK (the dialog's default).
                choice.setAutoDefault(False)
                choice.setProperty("modifier_id", str(modifier.id))
                choice.toggled.connect(self._validate)
                exclusive.addButton(choice)
                buttons.append(choice)
                grid.addWidget(choice, index // 3, index % 3)
            self.groups[group.id] = buttons
            layout.addWidget(box)
        self.missing = QLabel()
        self.missing.setProperty("look", "Muted")
        layout.addWidget(self.missing)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._ok)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setDefault(True)
        layout.addWidget(self.buttons)
        self.finished.connect(self.deleteLater)
        self._validate()

    def _group_title(self, name: str, low: int, high: int) -> str:
        if low >= 1 and high == 1:
            return self.tr("{name} (required)").format(name=name)
        if low >= 1:
            return self.tr("{name} (choose {low} to {high})").format(name=name, low=low, high=high)
        return self.tr("{name} (optional, up to {high})").format(name=name, high=high)

    def choice(self) -> dict[UUID, list[UUID]]:
        return {
            group_id: [UUID(b.property("modifier_id")) for b in buttons if b.isChecked()]
            for group_id, buttons in self.groups.items()
        }

    def _validate(self) -> None:
        problems = []
        chosen = self.choice()
        for group in self.product.modifier_groups:
            count = len(chosen[group.id])
            if count < group.min_choices:
                problems.append(self.tr("choose {name}").format(name=group.name))
            elif count > group.max_choices:
                problems.append(self.tr("too many {name}").format(name=group.name))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(not problems)
        text = ", ".join(problems)
        # The first letter up, the rest as written: str.capitalize() would lower the groups'
        # own names ("choose BBQ sauce" read "Choose bbq sauce").
        self.missing.setText(text[:1].upper() + text[1:])

    def pick(self, *names: str) -> None:
        """Check choices by name (keyboard users and tests)."""
        for buttons in self.groups.values():
            for b in buttons:
                if b.text().split("  +")[0].replace("&&", "&") in names:
                    b.setChecked(True)

    def _ok(self) -> None:
        self.accept()
        self.sig_chosen.emit(self.choice())


def align_right(widget: QLabel) -> QLabel:
    widget.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return widget
