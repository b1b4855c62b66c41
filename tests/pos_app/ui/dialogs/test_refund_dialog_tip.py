"""The refund dialog's tip (issue 20): offered only when a card tip is left, ticked by itself
for a full refund (by amount or every item) and not for a partial one until the cashier
chooses, never out of the drawer, and carried in the request."""

from __future__ import annotations

from datetime import UTC, datetime

from pytestqt.qtbot import QtBot

from pos_app.domain.catalog import Product
from pos_app.domain.ids import uuid7
from pos_app.domain.money_text import format_money
from pos_app.domain.orders import Order
from pos_app.domain.pricing import TaxMode
from pos_app.domain.tenders import TenderKind, TenderRequest
from pos_app.services.history import OrderDetail
from pos_app.ui.dialogs.refund import RefundDialog, RefundRequest


def _money(amount_minor: int) -> str:
    return format_money(amount_minor, "USD", "en_US")


def _detail(tip_minor: int, tip_left: int) -> OrderDetail:
    order = Order(currency="USD", tax_mode=TaxMode.EXCLUSIVE, number=3)
    for sku, price in (("FOD-BUR", 1_150), ("DRK-COL", 250)):
        order.add_product(Product(uuid7(), sku, sku, price, "USD", 0), 1)
    total = order.totals().total_minor
    order.pay([TenderRequest(TenderKind.CARD, total, tip_minor, None, "visa", "4242")])
    return OrderDetail(
        order=order,
        totals=order.totals(),
        refunded_units={},
        tender_refunded={},
        refunds=(),
        staff_name=None,
        void_reason=None,
        paid_at=None,
        business_at=datetime.now(UTC),
        held_card_payments=0,
        tip_remaining_minor=tip_left,
    )


def _dialog(qtbot: QtBot, detail: OrderDetail) -> tuple[RefundDialog, list[RefundRequest]]:
    dialog = RefundDialog(detail, _money, "USD", "en_US")
    qtbot.addWidget(dialog)
    asked: list[RefundRequest] = []
    dialog.sig_request.connect(asked.append)
    dialog.reason.setText("Charged twice")
    return dialog, asked


def test_every_item_left_ticks_the_tip_and_a_cleared_box_stays_cleared(qtbot: QtBot) -> None:
    dialog, asked = _dialog(qtbot, _detail(210, 210))
    assert not dialog.refund_tip.isHidden()
    dialog.spinners[0].setValue(1)  # the burger alone: partial
    assert not dialog.refund_tip.isChecked()
    dialog._everything()  # "Refund every item left"
    assert dialog.refund_tip.isChecked()
    assert dialog.confirm.text() == f"Refund {_money(1_400)} + tip {_money(210)}"
    dialog.confirm.click()
    assert asked[-1].tip_minor == 210
    assert asked[-1].lines is not None
    assert len(asked[-1].lines) == 2
    dialog.refund_tip.click()  # the cashier keeps the tip with the shop
    assert not dialog.refund_tip.isChecked()
    dialog.spinners[0].setValue(0)
    dialog._everything()
    assert not dialog.refund_tip.isChecked()  # their choice stays
    dialog.confirm.click()
    assert asked[-1].tip_minor == 0


def test_no_tip_left_no_box(qtbot: QtBot) -> None:
    dialog, asked = _dialog(qtbot, _detail(210, 0))
    assert dialog.refund_tip.isHidden()
    dialog._everything()
    dialog.confirm.click()
    assert asked[-1].tip_minor == 0
