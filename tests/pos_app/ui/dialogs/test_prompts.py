"""The small prompts: a text prompt that will not take an empty answer, the discount dialog
that reads a percentage or an amount as the locale writes it, and the modifier dialog that
holds OK until every required choice is made, all applied to a real order."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QPushButton
from pytestqt.qtbot import QtBot

from pos_app.domain.pricing import Discount, DiscountKind
from pos_app.ui.dialogs.prompts import DiscountDialog, ModifierDialog, TextPrompt
from pos_app.ui.session import CounterSession
from tests.pos_app.ui.conftest import press, tap, type_text


def collect(signal: Any) -> list[Any]:
    got: list[Any] = []
    signal.connect(got.append)
    return got


def ok(dialog: DiscountDialog) -> None:
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_a_text_prompt_takes_a_quick_choice_but_not_an_empty_answer(qtbot: QtBot) -> None:
    prompt = TextPrompt("Park", "Name or table", choices=("Table 4", "Takeaway"))
    qtbot.addWidget(prompt)
    prompt.open()
    values = collect(prompt.sig_value)
    type_text(prompt.field, "   ")
    press(prompt.field, Qt.Key.Key_Return)
    assert values == []
    assert prompt.isVisible()
    tap(next(b for b in prompt.findChildren(QPushButton) if b.text() == "Table 4"))
    assert values == ["Table 4"]
    assert not prompt.isVisible()


def test_discount_dialog_reads_percent_and_amount_in_the_locales_way(
    qtbot: QtBot, session: CounterSession
) -> None:
    def dialog(locale_name: str) -> DiscountDialog:
        shown = DiscountDialog("USD", locale_name, title="Discount")
        qtbot.addWidget(shown)
        shown.open()
        return shown

    percent = dialog("en_US")
    chosen = collect(percent.sig_discount)
    type_text(percent.value, "12.5")
    type_text(percent.reason, "loyalty")
    press(percent.value, Qt.Key.Key_Return)  # F6, the number, Enter
    assert chosen == [Discount(DiscountKind.PERCENT, 125_000, "loyalty")]

    amount = dialog("pt_BR")
    chosen = collect(amount.sig_discount)
    amount.amount.setChecked(True)
    type_text(amount.value, "2.50")  # the en_US way, in Brazil
    ok(amount)
    assert chosen == []
    assert amount.error.text() == "“2.50” is not an amount here: write it like 12,50."
    amount.value.clear()
    type_text(amount.value, "2,50")
    ok(amount)
    assert chosen == [Discount(DiscountKind.AMOUNT, 250, "")]

    over = dialog("en_US")
    chosen = collect(over.sig_discount)
    type_text(over.value, "150")
    ok(over)
    assert chosen == []
    assert over.error.text() == "“150” is more than 100 %."
    assert over.isVisible()

    # What the dialog returned, on a real order: 12.5 % off two colas ($5.00) is $0.63.
    order = session.register.sales.ring_up([("DRK-COL", 2)])
    order.set_discount(Discount(DiscountKind.PERCENT, 125_000, "loyalty"))
    assert order.totals().order_discount_minor == 63


def test_modifier_dialog_holds_ok_until_the_size_is_chosen(
    qtbot: QtBot, session: CounterSession
) -> None:
    session.set_catalog(*session.register.sales.menu())
    latte = session.find_code("COF-LAT")
    assert latte is not None
    dialog = ModifierDialog(latte, session.money)
    qtbot.addWidget(dialog)
    dialog.open()
    chosen = collect(dialog.sig_chosen)
    accept = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    labels = sorted(b.text() for buttons in dialog.groups.values() for b in buttons)
    assert "Large  +$1.00" in labels
    assert "Oat milk  +$0.60" in labels
    assert not accept.isEnabled()
    assert dialog.missing.text() == "Choose Size"  # the group's name as the shop wrote it
    dialog.pick("Oat milk")
    assert not accept.isEnabled()
    dialog.pick("Large")
    assert accept.isEnabled()
    assert dialog.missing.text() == ""
    accept.click()
    [choice] = chosen

    order = session.new_order()
    line = order.add_product(latte, 1, choice)
    assert [m.name for m in line.modifiers] == ["Large", "Oat milk"]
    assert line.unit_total_minor == 450 + 100 + 60


def test_modifier_dialog_by_keyboard_and_with_an_ampersand(
    qtbot: QtBot, session: CounterSession
) -> None:
    """Enter on a focused choice is OK, not another toggle; "Salt & Pepper" shows its "&"."""
    session.set_catalog(*session.register.sales.menu())
    latte = session.find_code("COF-LAT")
    assert latte is not None
    group = latte.modifier_groups[0]
    renamed = replace(
        latte,
        modifier_groups=(
            replace(
                group,
                modifiers=(replace(group.modifiers[0], name="Salt & Pepper"), *group.modifiers[1:]),
            ),
            *latte.modifier_groups[1:],
        ),
    )
    dialog = ModifierDialog(renamed, session.money)
    qtbot.addWidget(dialog)
    dialog.show()
    chosen = collect(dialog.sig_chosen)
    first = dialog.groups[group.id][0]
    assert first.text().startswith("Salt && Pepper")  # shown as "Salt & Pepper"
    dialog.pick("Salt & Pepper")
    assert first.isChecked()
    first.setFocus()
    press(first, Qt.Key.Key_Return)
    assert first.isChecked()  # Enter did not toggle it off
    assert len(chosen) == 1
    assert chosen[0][group.id] == [group.modifiers[0].id]
