"""A discount whose manager approval is cancelled says it was not applied; a line whose price
was overridden says so in the cart."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from pos_app.domain.pricing import Discount, DiscountKind
from pos_app.domain.staff import Permission, authorize
from pos_app.ui.dialogs.override import OverrideDialog
from pos_app.ui.main_window import MainWindow
from pos_app.ui.screens.sell import SellScreen
from tests.pos_app.ui.conftest import open_shift, ring_up, screen, sign_in, wait_dialog


def test_a_cancelled_approval_says_the_discount_was_not_applied(
    qtbot: QtBot, window: MainWindow
) -> None:
    sign_in(qtbot, window, "Sam")
    open_shift(qtbot, window)
    sign_in(qtbot, window, "Alex")
    order = ring_up(qtbot, window, [("BAK-CRO", 2)])
    sell = screen(window, "sell", SellScreen)
    sell.apply_discount(Discount(DiscountKind.PERCENT, 500_000, "regular"), None)
    wait_dialog(qtbot, OverrideDialog).reject()
    qtbot.waitUntil(lambda: window.banner.isVisible())
    assert window.banner.text.text() == "Discount not applied: no manager approval."
    assert window.session.order.discount is None
    assert order.totals().discount_minor == 0


def test_an_overridden_price_is_marked_on_its_cart_line(qtbot: QtBot, window: MainWindow) -> None:
    sign_in(qtbot, window, "Sam")
    open_shift(qtbot, window)
    order = ring_up(qtbot, window, [("BAK-CRO", 1), ("DRK-COL", 1)])
    sell = screen(window, "sell", SellScreen)
    staff = window.session.staff
    assert staff is not None
    changed, kept = order.lines
    sell.override_price(changed.id, 100, authorize(staff, Permission.PRICE_OVERRIDE))
    model = sell.model
    assert "price changed" in model.data(model.index(0, model.ITEM))
    assert "price changed" not in model.data(model.index(1, model.ITEM))
    assert order.line(changed.id).unit_price_minor == 100
    assert order.line(kept.id).unit_price_minor != 100
