"""Paid in and paid out: the amount is read as the register's locale writes it (the other
locale's way is refused, saying how to write it), a reason is required, and what the dialog
returns is what the drawer records."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from pos_app.domain.shifts import CashMovementKind
from pos_app.domain.staff import Permission, authorize
from pos_app.ui.dialogs.cash_movement import CashMovementDialog
from pos_app.ui.session import CounterSession
from tests.pos_app.ui.conftest import tap, type_text


def open_dialog(qtbot: QtBot, kind: CashMovementKind, locale_name: str) -> CashMovementDialog:
    dialog = CashMovementDialog(kind, "USD", locale_name)
    qtbot.addWidget(dialog)
    dialog.open()
    return dialog


def confirm(dialog: CashMovementDialog) -> list[tuple[int, str]]:
    """Tap Record; what the dialog reported (nothing while it refuses)."""
    got: list[tuple[int, str]] = []
    dialog.sig_movement.connect(lambda amount, reason: got.append((amount, reason)))
    tap(dialog.confirm)
    return got


def test_paid_out_typed_the_other_locales_way_is_refused_then_recorded_in_minor_units(
    qtbot: QtBot, session: CounterSession
) -> None:
    manager = session.register.access.staff_by_name("Morgan")
    session.register.shifts.open(manager, float_minor=150_000)
    dialog = open_dialog(qtbot, CashMovementKind.PAID_OUT, "en_US")
    assert dialog.windowTitle() == "Paid out"
    type_text(dialog.amount, "12,50")  # how Brazil writes twelve fifty
    type_text(dialog.reason, "Milk from the corner shop")
    assert confirm(dialog) == []
    assert dialog.error.text() == "“12,50” is not an amount here: write it like 12.50."
    assert dialog.isVisible()

    dialog.amount.clear()
    type_text(dialog.amount, "1,212.50")
    got = confirm(dialog)
    assert got == [(121_250, "Milk from the corner shop")]
    assert not dialog.isVisible()

    amount, reason = got[0]
    session.register.shifts.move_cash(
        CashMovementKind.PAID_OUT,
        amount_minor=amount,
        reason=reason,
        authorization=authorize(manager, Permission.PAID_IN_OUT),
    )
    cash = session.register.shifts.x_report().cash
    assert cash.paid_out_minor == 121_250
    assert cash.expected_minor == 150_000 - 121_250


@pytest.mark.parametrize(
    ("typed", "refusal", "amount_minor"),
    [
        ("12.50", "“12.50” is not an amount here: write it like 12,50.", None),
        ("3,999", "“3,999” has more than 2 decimal places.", None),
        ("1.250,75", "", 125_075),
        ("20", "", 2_000),
    ],
)
def test_paid_in_reads_amounts_as_brazil_writes_them(
    qtbot: QtBot, typed: str, refusal: str, amount_minor: int | None
) -> None:
    dialog = open_dialog(qtbot, CashMovementKind.PAID_IN, "pt_BR")
    type_text(dialog.amount, typed)
    quick = [b for b in dialog.findChildren(QPushButton) if b.text() == "Change from the bank"]
    tap(quick[0])  # a quick reason fills the field
    assert dialog.reason.text() == "Change from the bank"
    got = confirm(dialog)
    if amount_minor is None:
        assert got == []
        assert dialog.error.text() == refusal
    else:
        assert got == [(amount_minor, "Change from the bank")]


def test_zero_or_no_reason_is_refused_with_the_reason_why(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, CashMovementKind.PAID_IN, "en_US")
    type_text(dialog.amount, "0.00")
    type_text(dialog.reason, "Float top-up")
    assert confirm(dialog) == []
    # The domain's own words (en_US has no catalog of its own for them).
    assert dialog.error.text() == "Enter an amount above zero"
    dialog.amount.clear()
    dialog.reason.clear()
    type_text(dialog.amount, "5")
    type_text(dialog.reason, "   ")
    assert confirm(dialog) == []
    assert dialog.error.text() == "Give a reason"
    assert dialog.isVisible()
