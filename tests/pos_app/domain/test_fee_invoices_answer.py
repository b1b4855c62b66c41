"""The server's fee invoices answer (`GET /v1/billing/invoices`) as the register keeps it: the
details each month shows (failed payments, due date, credit, carried amounts), and an answer
from a server that does not send them yet."""

from __future__ import annotations

from datetime import UTC, datetime

from pos_app.domain.fee_invoices import fee_invoices_from

NOW = datetime(2026, 7, 20, tzinfo=UTC)


def test_the_details_of_each_month_are_kept() -> None:
    body = {
        "invoices": [
            {
                "period": "2026-05", "currency": "USD", "amount_minor": 830, "status": "open",
                "hosted_invoice_url": "https://pay/in_may", "paid_at": None,
                "first_failed_at": "2026-06-30T10:00:00+00:00", "attempt_count": 3,
                "due_at": None, "credit_minor": 0, "carried_in_minor": 30,
                "carried_out_minor": 0, "past_due": True,
            },
            {
                "period": "2026-04", "currency": "USD", "amount_minor": 400, "status": "open",
                "hosted_invoice_url": None, "paid_at": None, "first_failed_at": None,
                "attempt_count": 0, "due_at": "2026-07-24T18:00:00+00:00", "credit_minor": 600,
                "carried_in_minor": 0, "carried_out_minor": 0, "past_due": False,
            },
        ],
        "past_due": True,
        "past_due_period": "2026-05",
        "past_due_url": "https://pay/in_may",
    }  # fmt: skip
    may, april = fee_invoices_from(body, NOW).invoices
    assert may.first_failed_at == datetime(2026, 6, 30, 10, tzinfo=UTC)
    assert (may.attempt_count, may.carried_in_minor, may.past_due) == (3, 30, True)
    assert april.due_at == datetime(2026, 7, 24, 18, tzinfo=UTC)
    assert (april.credit_minor, april.past_due) == (600, False)


def test_an_answer_from_an_older_server_still_marks_the_past_due_month() -> None:
    body = {
        "invoices": [
            {"period": "2026-05", "currency": "USD", "amount_minor": 830, "status": "open"},
            {"period": "2026-04", "currency": "USD", "amount_minor": 0, "status": "carried"},
        ],
        "past_due": True,
        "past_due_period": "2026-05",
    }
    may, april = fee_invoices_from(body, NOW).invoices
    assert (may.past_due, april.past_due) == (True, False)
    assert (may.attempt_count, may.due_at, april.carried_out_minor) == (0, None, 0)
