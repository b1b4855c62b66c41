"""Order history as a lazily paged table over a real register's orders: it counts the matches
on its own, loads a page at a time (never all of them), filters, and a search started while a
page is on its way is not mixed with it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pos_app.domain.history import HistoryFilter
from pos_app.domain.orders import OrderStatus
from pos_app.domain.staff import Permission, authorize
from pos_app.ui.models.history_model import HistoryModel
from pos_app.ui.session import CounterSession
from tests.pos_app.ui.conftest import generate_history, idle

ORDERS = 250
PAGE = 40


def numbers(model: HistoryModel) -> list[int]:
    return [int(model.data(model.index(row, model.NUMBER))) for row in range(model.rowCount())]


def next_page(qtbot: QtBot, model: HistoryModel) -> None:
    model.fetchMore()
    qtbot.waitUntil(lambda: not model.loading)
    idle(qtbot, model.session)


def test_pages_through_hundreds_of_orders_a_page_at_a_time(
    qtbot: QtBot, session: CounterSession
) -> None:
    orders = generate_history(session.register.db, session.shop, ORDERS)
    model = HistoryModel(session, page_size=PAGE)
    with qtbot.waitSignal(model.sig_count_changed) as counted:
        model.search(HistoryFilter())
    assert counted.args == [ORDERS]
    assert model.total == ORDERS
    assert model.rowCount() == 0  # counting loads no rows

    model.fetchMore()
    model.fetchMore()  # asked again while the page is on its way: still one page
    qtbot.waitUntil(lambda: not model.loading)
    idle(qtbot, session)
    assert model.rowCount() == PAGE
    assert model.canFetchMore()
    assert numbers(model) == list(range(ORDERS, ORDERS - PAGE, -1))  # newest first

    newest = orders[-1]
    row = [model.data(model.index(0, column)) for column in range(model.COLUMNS)]
    assert row[model.STATUS] == "Paid"
    assert row[model.TOTAL] == session.money(newest.totals().total_minor)
    assert row[model.REFUNDED] == ""
    assert model.data(model.index(0, 0), Qt.ItemDataRole.UserRole) == newest.id
    card = ORDERS - 1 - (ORDERS - 1) % 7  # the newest order paid by card
    assert model.data(model.index(ORDERS - 1 - card, model.CARD)) == f"{card:04d}"

    while model.canFetchMore():
        next_page(qtbot, model)
    assert model.exhausted
    assert numbers(model) == list(range(ORDERS, 0, -1))  # each once, in order
    assert model.row_of(orders[0].id) == ORDERS - 1


def test_filters_count_and_list_only_the_matching_orders(
    qtbot: QtBot, session: CounterSession
) -> None:
    orders = generate_history(session.register.db, session.shop, ORDERS)
    model = HistoryModel(session, page_size=10)

    model.search(HistoryFilter(card_last4="0147"))
    next_page(qtbot, model)
    assert numbers(model) == [148]  # i = 147 was paid by card ending 0147
    assert model.total == 1
    assert model.exhausted

    target = orders[100].totals().total_minor
    wanted = sorted(
        (o.number or 0 for o in orders if o.totals().total_minor == target), reverse=True
    )
    assert len(wanted) > model.page_size  # more than one page of them
    model.search(HistoryFilter(total_minor=target))
    while model.canFetchMore():
        next_page(qtbot, model)
    assert numbers(model) == wanted
    assert model.total == len(wanted)

    # A refund: the order shows it, in red, and the status filter finds it.
    manager = session.register.access.staff_by_name("Morgan")
    session.register.shifts.open(manager, float_minor=10_000)
    shift = session.register.shifts.current()
    assert shift is not None
    refunded = orders[10]
    session.register.refunds.record(
        refunded.id,
        authorization=authorize(manager, Permission.REFUND),
        reason="Quality problem",
        amount_minor=100,
        shift_id=shift.id,
    )
    model.search(HistoryFilter(status=OrderStatus.PARTIALLY_REFUNDED))
    next_page(qtbot, model)
    assert numbers(model) == [refunded.number]
    assert model.data(model.index(0, model.STATUS)) == "Partly refunded"
    assert model.data(model.index(0, model.REFUNDED)) == "$1.00"
    foreground = model.data(model.index(0, model.STATUS), Qt.ItemDataRole.ForegroundRole)
    assert foreground.name() == "#b00020"


def test_a_new_search_drops_the_page_of_the_old_one(qtbot: QtBot, session: CounterSession) -> None:
    generate_history(session.register.db, session.shop, ORDERS)
    model = HistoryModel(session, page_size=PAGE)
    model.search(HistoryFilter())
    model.fetchMore()  # every order's first page, on its way
    model.search(HistoryFilter(number=7))  # the cashier typed a number meanwhile
    model.fetchMore()
    idle(qtbot, session)
    assert numbers(model) == [7]
    assert model.total == 1
