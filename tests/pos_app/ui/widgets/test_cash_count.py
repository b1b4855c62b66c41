"""Counting the drawer note by note: each row shows what its pieces come to, the total is in
minor units, and a shift closed with the count files exactly that as counted cash."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSpinBox
from pytestqt.qtbot import QtBot

from pos_app.domain.shifts import DENOMINATIONS
from pos_app.domain.staff import Permission, authorize
from pos_app.ui.formatting import format_money
from pos_app.ui.session import CounterSession
from pos_app.ui.widgets.cash_count import CashCountWidget
from tests.pos_app.ui.conftest import press, type_text


def test_counted_pieces_add_up_to_the_minor_units_the_z_report_files(
    qtbot: QtBot, session: CounterSession
) -> None:
    manager = session.register.access.staff_by_name("Morgan")
    session.register.shifts.open(manager, float_minor=15_000)
    count = CashCountWidget("USD", session.money)
    qtbot.addWidget(count)
    count.show()
    totals: list[int] = []
    count.sig_changed.connect(totals.append)
    assert list(count.spinners) == list(DENOMINATIONS["USD"])

    twenties = count.findChild(QSpinBox, "count-2000")
    assert twenties is not None
    twenties.selectAll()
    type_text(twenties, "7")  # typed, as at the counter
    count.set_count(25, 3)  # three quarters
    count.set_count(1, 4)  # four pennies
    press(count.spinners[5], Qt.Key.Key_Up)  # one nickel, with the arrow key
    assert count.subtotals[2000].text() == "$140.00"
    assert count.subtotals[25].text() == "$0.75"
    assert count.subtotals[10].text() == "$0.00"
    assert count.counts() == {2000: 7, 25: 3, 5: 1, 1: 4}
    assert count.total() == 14_000 + 75 + 5 + 4
    assert totals[-1] == 14_084

    report = session.register.shifts.close(
        authorize(manager, Permission.CLOSE_SHIFT), counts=count.counts()
    )
    assert report.counted_cash_minor == 14_084
    assert report.over_short_minor == 14_084 - 15_000  # $9.16 short of the float

    count.clear()
    assert count.total() == 0
    assert count.counts() == {}
    assert totals[-1] == 0


def test_rows_follow_the_currency_and_locale(qtbot: QtBot) -> None:
    def money(amount: int) -> str:
        return format_money(amount, "BRL", "pt_BR")

    count = CashCountWidget("BRL", money)
    qtbot.addWidget(count)
    assert list(count.spinners) == list(DENOMINATIONS["BRL"])
    count.set_count(20_000, 2)
    count.set_count(5, 3)
    assert count.subtotals[20_000].text() == money(40_000) == "R$\xa0400,00"
    assert count.total() == 40_015
