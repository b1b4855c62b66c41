"""The back office's reports through the application API: today's sales, the chargebacks and
the changes the sync server refused, read from a real register database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from pos_app.application.register import Register
from pos_app.db.database import Database
from pos_app.db.repositories.remote import RemoteChangeRepository
from pos_app.domain.clock import utcnow
from pos_app.domain.errors import ValidationError
from pos_app.domain.shop import Shop
from pos_app.domain.staff import Permission, StaffMember, authorize
from pos_app.payments.stripe_terminal import StripeSettings, StripeTerminal
from tests.support.register import open_shift, sell


@pytest.fixture
def register(db: Database, shop: Shop) -> Register:
    return Register(db, shop)


@pytest.fixture
def unreachable_stripe() -> Iterator[StripeTerminal]:
    # A loopback port nobody listens on: a refused request must never get this far.
    terminal = StripeTerminal(
        StripeSettings(api_key="rk_test_" + "x" * 24, api_base="http://127.0.0.1:9")
    )
    yield terminal
    terminal.close()


def test_today_s_sales_and_best_sellers(
    register: Register, db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> None:
    open_shift(db, shop, staff["Alex"])
    first = sell(db, shop, staff["Alex"], [("DRK-COL", 3), ("BAK-CRO", 1)])
    second = sell(db, shop, staff["Alex"], [("DRK-COL", 1)])
    sales = register.reports.day_sales()
    assert sales.figures.orders_count == 2
    assert sales.figures.total_minor == first.totals.total_minor + second.totals.total_minor
    assert sum(amount for _hour, amount in sales.by_hour) == sales.figures.total_minor
    assert [(name, quantity) for name, quantity, _net in sales.top] == [
        ("Cola", 4),
        ("Croissant", 1),
    ]
    assert register.reports.day_sales(top=1).top == sales.top[:1]
    assert register.reports.day_sales(at=utcnow() + timedelta(days=2)).figures.orders_count == 0


def test_a_dispute_is_listed_with_its_order_and_evidence_needs_a_manager(
    register: Register,
    db: Database,
    shop: Shop,
    staff: dict[str, StaffMember],
    unreachable_stripe: StripeTerminal,
) -> None:
    open_shift(db, shop, staff["Alex"])
    sold = sell(db, shop, staff["Alex"], [("FOD-BUR", 1)])
    assert register.reports.disputes() == []
    with db.write() as uow:  # what the sync pull stores
        RemoteChangeRepository(uow.session).apply_dispute(
            {
                "id": "dp_1",
                "order_id": str(sold.order_id),
                "charge_id": "ch_1",
                "amount_minor": sold.totals.total_minor,
                "currency": "USD",
                "reason": "fraudulent",
                "status": "needs_response",
                "evidence_due_by": "2030-01-01T00:00:00+00:00",
                "fee_minor": 1500,
                "outcome": None,
                "updated_at": "2026-01-01T00:00:00+00:00",
            }
        )
    [view] = register.reports.disputes()
    assert view.order_number == sold.number
    assert view.dispute.amount_minor == sold.totals.total_minor
    assert view.needs_response
    assert not view.overdue()
    with pytest.raises(ValidationError, match="manager"):
        register.reports.submit_dispute_evidence(
            unreachable_stripe,
            dispute_id="dp_1",
            authorization=authorize(staff["Alex"], Permission.SELL),
        )
    [view] = register.reports.disputes()
    assert view.needs_response
    with db.read() as uow:
        assert uow.audit.entries(action="dispute.evidence_submitted") == []


def test_refused_changes_are_listed_newest_first(
    register: Register, db: Database, shop: Shop, staff: dict[str, StaffMember]
) -> None:
    open_shift(db, shop, staff["Alex"])
    sold = sell(db, shop, staff["Alex"], [("DRK-COL", 2)])
    assert register.reports.refused_changes() == []
    # What the sync push records when the server's answer lists the sale as refused.
    with db.write() as uow:
        [entry] = [e for e in uow.outbox.pending() if e.entity_id == sold.order_id]
        uow.outbox.acknowledge(entry.seq)
        uow.outbox.mark_refused([(entry.seq, "time_window", "data.paid_at: ahead")])
    [refused] = register.reports.refused_changes()
    assert (refused.entity, refused.entity_id, refused.code) == (
        "order",
        sold.order_id,
        "time_window",
    )
    assert refused.reason == "data.paid_at: ahead"
    assert register.reports.refused_changes(limit=0) == []
