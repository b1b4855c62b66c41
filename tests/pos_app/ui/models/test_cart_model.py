"""The cart table beside the product grid: one row per line, its quantity, its name with the
modifiers, discount and note under it, and its amount after the line's discount; it follows
the session's order as the cashier changes it."""

from __future__ import annotations

from uuid import UUID

from PySide6.QtCore import QModelIndex, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from pos_app.domain.catalog import Product
from pos_app.domain.pricing import Discount, DiscountKind
from pos_app.ui.models.cart_model import CartModel
from pos_app.ui.session import CounterSession


def product(session: CounterSession, sku: str) -> Product:
    found = session.find_code(sku)
    assert found is not None, sku
    return found


def choices(item: Product, *names: str) -> dict[UUID, list[UUID]]:
    return {
        group.id: [m.id for m in group.modifiers if m.name in names]
        for group in item.modifier_groups
    }


def cells(model: CartModel) -> list[tuple[str, str, str]]:
    return [
        tuple(model.data(model.index(row, column)) for column in range(model.columnCount()))
        for row in range(model.rowCount())
    ]


def test_rows_show_quantity_modifiers_discount_note_and_amount(
    qtbot: QtBot, session: CounterSession, qtmodeltester: ModelTester
) -> None:
    session.set_catalog(*session.register.sales.menu())
    model = CartModel(session)
    qtmodeltester.check(model)
    assert model.rowCount() == 0
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == [
        "Qty",
        "Item",
        "Amount",
    ]

    order = session.order
    latte = product(session, "COF-LAT")
    order.add_product(latte, 2, choices(latte, "Large", "Oat milk"))
    burger = order.add_product(
        product(session, "FOD-BUR"),
        1,
        choices(product(session, "FOD-BUR"), "Well done", "Bacon"),
        note="no pickles",
    )
    cola = order.add_product(product(session, "DRK-COL"), 3)
    order.set_line_discount(cola.id, Discount(DiscountKind.PERCENT, 100_000, "staff"))
    order.set_discount(Discount(DiscountKind.AMOUNT, 100, "loyalty"))
    session.order_changed()

    assert cells(model) == [
        ("2", "Latte\n  Large, Oat milk", "$12.20"),  # (4.50 + 1.00 + 0.60) × 2
        ("1", "Classic Burger\n  Well done, Bacon\n  Note: no pickles", "$13.00"),
        ("3", "Cola\n  discount -$0.75", "$6.75"),  # 7.50 less 10 %
    ]
    totals = order.totals()
    assert model.totals == totals
    assert totals.subtotal_minor == 1_220 + 1_300 + 750
    assert totals.line_discount_minor == 75
    assert totals.order_discount_minor == 100  # on the order, not on any row's amount
    assert model.data(model.index(1, CartModel.ITEM), Qt.ItemDataRole.UserRole) == burger.id
    assert model.line_at(2) is cola
    assert model.line_at(3) is None
    assert model.data(model.index(0, CartModel.AMOUNT), Qt.ItemDataRole.TextAlignmentRole) == int(
        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    )
    assert model.rowCount(model.index(0, 0)) == 0  # a table: no children
    assert model.data(QModelIndex()) is None

    order.set_quantity(cola.id, 1)
    session.order_changed()
    assert cells(model)[2] == ("1", "Cola\n  discount -$0.25", "$2.25")

    session.replace_order()  # paid, next customer
    assert model.rowCount() == 0
    assert model.totals is None
