"""The X and Z reports on screen, from a real shift: a product or person whose name looks like
markup is shown as written (escaped, never rendered), and the drawer's over/short is said."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from pos_app.domain.catalog import Product
from pos_app.domain.ids import uuid7
from pos_app.domain.staff import Permission, Role, authorize
from pos_app.ui.session import CounterSession
from pos_app.ui.widgets.report_view import ReportView

MARKUP_NAME = "<b>& Co</b> Scone"


def test_a_shift_report_shows_markup_like_names_literally(
    qtbot: QtBot, session: CounterSession
) -> None:
    register = session.register
    owner = register.access.staff_by_name("Sam")
    register.catalog.save_product(
        Product(uuid7(), "BAK-SCN", MARKUP_NAME, 300, "USD", 0),
        authorization=authorize(owner, Permission.MANAGE_CATALOG),
    )
    clerk = register.staff.add(
        name="<i>Kim</i>",
        role=Role.MANAGER,
        pin="2468",
        authorization=authorize(owner, Permission.MANAGE_STAFF),
    )
    register.shifts.open(clerk, float_minor=10_000)
    register.sales.sell_cash(register.sales.ring_up([("BAK-SCN", 2)]), clerk)

    view = ReportView()
    qtbot.addWidget(view)
    report = register.shifts.x_report()
    view.show_report(report, session.money, session.shop.timezone, "en_US")
    assert view.report is report
    text = view.toPlainText()
    assert "X report — shift so far" in text
    assert MARKUP_NAME in text  # the product, by name, as typed
    assert "<i>Kim</i>" in text
    assert "$6.00" in text
    html = view.toHtml()
    assert "&lt;b&gt;&amp; Co&lt;/b&gt; Scone" in html

    z = register.shifts.close(
        authorize(clerk, Permission.CLOSE_SHIFT), counted_minor=10_000 + 600 - 100
    )
    view.show_report(z, session.money, session.shop.timezone, "en_US")
    text = view.toPlainText()
    assert "Z report — shift closed" in text
    assert "Short $1.00" in text
    assert MARKUP_NAME in text
