"""Billing queries. Per-shop ones run under the shop's row-level security (application role)
and name `tenant_id = :t` all the same; the `all_*` ones run as the admin role (listing every
shop's invoices, verification)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, text

from sync_server.billing.schemas import BillingInvoice
from sync_server.kit.rows import rows_as


class CustomerRow(NamedTuple):
    idempotency_key: str
    stripe_customer_id: str | None
    email: str | None


class InvoiceRow(NamedTuple):
    tenant_id: uuid.UUID
    id: uuid.UUID
    period: str
    currency: str
    fee_minor: int
    charge_minor: int
    credit_minor: int
    carried_in_minor: int
    carried_out_minor: int
    description: str
    status: str
    step: str
    collection_method: str | None
    stripe_invoice_id: str | None
    hosted_invoice_url: str | None
    stripe_attempt_count: int
    next_payment_attempt: datetime | None
    attempts: int
    last_error: str | None
    next_retry_at: datetime | None
    created_at: datetime
    updated_at: datetime
    paid_at: datetime | None
    first_failed_at: datetime | None
    due_at: datetime | None


class CreditNoteRow(NamedTuple):
    tenant_id: uuid.UUID
    invoice_id: uuid.UUID
    amount_minor: int
    memo: str
    idempotency_key: str
    stripe_credit_note_id: str | None


class CarryRow(NamedTuple):
    tenant_id: uuid.UUID
    currency: str
    from_period: str
    amount_minor: int
    reason: str
    into_period: str | None


_INVOICE_COLUMNS = ", ".join(InvoiceRow._fields)
_INVOICES = f"SELECT {_INVOICE_COLUMNS} FROM billing_invoices"


def _record(row: InvoiceRow) -> BillingInvoice:
    # By name, not position: a column added to one list and not the other, or in another
    # order, fails here instead of moving a value into a field of the same type.
    return BillingInvoice(**row._asdict())


# --- customers --------------------------------------------------------------------------------


def customer(conn: Connection, tenant_id: uuid.UUID) -> CustomerRow | None:
    rows = rows_as(
        CustomerRow,
        conn.execute(
            text(
                "SELECT idempotency_key, stripe_customer_id, email FROM billing_customers "
                "WHERE tenant_id = :t"
            ),
            {"t": tenant_id},
        ),
    )
    return rows[0] if rows else None


def insert_customer(conn: Connection, tenant_id: uuid.UUID, key: str, email: str | None) -> None:
    conn.execute(
        text(
            "INSERT INTO billing_customers (tenant_id, idempotency_key, email) "
            "VALUES (:t, :k, :e) ON CONFLICT (tenant_id) DO NOTHING"
        ),
        {"t": tenant_id, "k": key, "e": email},
    )


def set_customer_id(conn: Connection, tenant_id: uuid.UUID, stripe_id: str) -> None:
    conn.execute(
        text("UPDATE billing_customers SET stripe_customer_id = :s WHERE tenant_id = :t"),
        {"t": tenant_id, "s": stripe_id},
    )


def set_customer_email(conn: Connection, tenant_id: uuid.UUID, email: str | None) -> None:
    """The email the Stripe customer has now (what was last sent to Stripe)."""
    conn.execute(
        text("UPDATE billing_customers SET email = :e WHERE tenant_id = :t"),
        {"t": tenant_id, "e": email},
    )


# --- invoices ---------------------------------------------------------------------------------


def invoices_of(conn: Connection, tenant_id: uuid.UUID) -> list[BillingInvoice]:
    rows = rows_as(
        InvoiceRow,
        conn.execute(
            text(f"{_INVOICES} WHERE tenant_id = :t ORDER BY period, currency"), {"t": tenant_id}
        ),
    )
    return [_record(row) for row in rows]


def invoice(conn: Connection, tenant_id: uuid.UUID, invoice_id: uuid.UUID) -> BillingInvoice | None:
    rows = rows_as(
        InvoiceRow,
        conn.execute(
            text(f"{_INVOICES} WHERE tenant_id = :t AND id = :i"), {"t": tenant_id, "i": invoice_id}
        ),
    )
    return _record(rows[0]) if rows else None


def lock_invoice(
    conn: Connection, tenant_id: uuid.UUID, invoice_id: uuid.UUID
) -> BillingInvoice | None:
    """The record, locked for the rest of the transaction (two runs never work on one)."""
    rows = rows_as(
        InvoiceRow,
        conn.execute(
            text(f"{_INVOICES} WHERE tenant_id = :t AND id = :i FOR UPDATE"),
            {"t": tenant_id, "i": invoice_id},
        ),
    )
    return _record(rows[0]) if rows else None


def billed_keys(conn: Connection, tenant_id: uuid.UUID) -> set[tuple[str, str]]:
    """(period, currency) of every month already planned for the shop."""
    rows = conn.execute(
        text("SELECT period, currency FROM billing_invoices WHERE tenant_id = :t"),
        {"t": tenant_id},
    )
    return {(row.period, row.currency) for row in rows}


def insert_invoice(conn: Connection, tenant_id: uuid.UUID, values: dict[str, Any]) -> None:
    conn.execute(
        text(
            "INSERT INTO billing_invoices (tenant_id, id, period, currency, fee_minor, "
            "charge_minor, credit_minor, carried_in_minor, carried_out_minor, description, "
            "status, step) VALUES (:t, :id, :period, :currency, :fee_minor, :charge_minor, "
            ":credit_minor, :carried_in_minor, :carried_out_minor, :description, :status, :step)"
        ),
        {"t": tenant_id, **values},
    )


_UPDATABLE = frozenset(
    {
        "status",
        "step",
        "collection_method",
        "stripe_invoice_id",
        "hosted_invoice_url",
        "stripe_attempt_count",
        "next_payment_attempt",
        "attempts",
        "last_error",
        "next_retry_at",
        "paid_at",
        "first_failed_at",
        "due_at",
    }
)


def update_invoice(
    conn: Connection, tenant_id: uuid.UUID, invoice_id: uuid.UUID, **values: Any
) -> None:
    unknown = set(values) - _UPDATABLE
    if unknown:
        raise ValueError(f"not updatable: {sorted(unknown)}")
    assignments = ", ".join(f"{name} = :{name}" for name in sorted(values))
    conn.execute(
        text(
            f"UPDATE billing_invoices SET {assignments}, updated_at = now() "
            "WHERE tenant_id = :t AND id = :i"
        ),
        {"t": tenant_id, "i": invoice_id, **values},
    )


def count_failure(
    conn: Connection, tenant_id: uuid.UUID, invoice_id: uuid.UUID, error: str, retry_at: datetime
) -> None:
    conn.execute(
        text(
            "UPDATE billing_invoices SET attempts = attempts + 1, last_error = :e, "
            "next_retry_at = :r, updated_at = now() WHERE tenant_id = :t AND id = :i"
        ),
        {"t": tenant_id, "i": invoice_id, "e": error[:2000], "r": retry_at},
    )


# --- carried amounts --------------------------------------------------------------------------


def take_carries(conn: Connection, tenant_id: uuid.UUID, currency: str, into: str) -> int:
    """Carried amounts of earlier months not taken yet: now taken by `into`; their sum."""
    total = conn.execute(
        text(
            "WITH taken AS (UPDATE billing_carries SET into_period = :p "
            "  WHERE tenant_id = :t AND currency = :c AND into_period IS NULL "
            "  AND from_period < :p RETURNING amount_minor) "
            "SELECT coalesce(sum(amount_minor), 0) FROM taken"
        ),
        {"t": tenant_id, "c": currency, "p": into},
    ).scalar()
    return int(total or 0)


def insert_carry(
    conn: Connection, tenant_id: uuid.UUID, currency: str, period: str, amount: int, reason: str
) -> None:
    conn.execute(
        text(
            "INSERT INTO billing_carries (tenant_id, currency, from_period, amount_minor, reason) "
            "VALUES (:t, :c, :p, :a, :r)"
        ),
        {"t": tenant_id, "c": currency, "p": period, "a": amount, "r": reason},
    )


def carries_of(conn: Connection, tenant_id: uuid.UUID) -> list[CarryRow]:
    return rows_as(
        CarryRow,
        conn.execute(
            text(
                "SELECT tenant_id, currency, from_period, amount_minor, reason, into_period "
                "FROM billing_carries WHERE tenant_id = :t ORDER BY from_period"
            ),
            {"t": tenant_id},
        ),
    )


# --- credit notes -----------------------------------------------------------------------------

_CREDIT_NOTES = (
    "SELECT tenant_id, invoice_id, amount_minor, memo, idempotency_key, stripe_credit_note_id "
    "FROM billing_credit_notes"
)


def credit_note(
    conn: Connection, tenant_id: uuid.UUID, invoice_id: uuid.UUID
) -> CreditNoteRow | None:
    rows = rows_as(
        CreditNoteRow,
        conn.execute(
            text(f"{_CREDIT_NOTES} WHERE tenant_id = :t AND invoice_id = :i"),
            {"t": tenant_id, "i": invoice_id},
        ),
    )
    return rows[0] if rows else None


def insert_credit_note(
    conn: Connection,
    tenant_id: uuid.UUID,
    invoice_id: uuid.UUID,
    *,
    amount: int,
    memo: str,
    key: str,
) -> None:
    conn.execute(
        text(
            "INSERT INTO billing_credit_notes (tenant_id, invoice_id, amount_minor, memo, "
            "idempotency_key) VALUES (:t, :i, :a, :m, :k) ON CONFLICT DO NOTHING"
        ),
        {"t": tenant_id, "i": invoice_id, "a": amount, "m": memo, "k": key},
    )


def set_credit_note_id(
    conn: Connection, tenant_id: uuid.UUID, invoice_id: uuid.UUID, stripe_id: str
) -> None:
    conn.execute(
        text(
            "UPDATE billing_credit_notes SET stripe_credit_note_id = :s "
            "WHERE tenant_id = :t AND invoice_id = :i"
        ),
        {"t": tenant_id, "i": invoice_id, "s": stripe_id},
    )


# --- the call journal -------------------------------------------------------------------------


def record_call(
    conn: Connection, tenant_id: uuid.UUID, key: str, invoice_id: uuid.UUID | None, action: str
) -> None:
    """Before a call to Stripe: its key and what it is for (a repeat counts a try)."""
    conn.execute(
        text(
            "INSERT INTO billing_calls (tenant_id, idempotency_key, invoice_id, action) "
            "VALUES (:t, :k, :i, :a) ON CONFLICT (tenant_id, idempotency_key) DO UPDATE "
            "SET tries = billing_calls.tries + 1, requested_at = now()"
        ),
        {"t": tenant_id, "k": key, "i": invoice_id, "a": action},
    )


def plan_call(
    conn: Connection, tenant_id: uuid.UUID, key: str, invoice_id: uuid.UUID | None, action: str
) -> bool:
    """A call decided on but not made yet (no try counted: `record_call` counts it when it
    is made); False when the key was written before, by whoever wrote it first (a second
    writer at the same moment waits for the first to commit)."""
    made = conn.execute(
        text(
            "INSERT INTO billing_calls (tenant_id, idempotency_key, invoice_id, action, tries) "
            "VALUES (:t, :k, :i, :a, 0) ON CONFLICT (tenant_id, idempotency_key) DO NOTHING "
            "RETURNING 1"
        ),
        {"t": tenant_id, "k": key, "i": invoice_id, "a": action},
    ).first()
    return made is not None


def call_recorded(conn: Connection, tenant_id: uuid.UUID, key: str) -> bool:
    found = conn.execute(
        text("SELECT 1 FROM billing_calls WHERE tenant_id = :t AND idempotency_key = :k"),
        {"t": tenant_id, "k": key},
    ).first()
    return found is not None


def call_outcome(conn: Connection, tenant_id: uuid.UUID, key: str) -> str | None:
    """What an answered call's answer was (None: never made, or not answered yet)."""
    found = conn.execute(
        text(
            "SELECT outcome FROM billing_calls WHERE tenant_id = :t AND idempotency_key = :k "
            "AND answered_at IS NOT NULL"
        ),
        {"t": tenant_id, "k": key},
    ).first()
    return None if found is None else str(found.outcome or "")


def answer_call(conn: Connection, tenant_id: uuid.UUID, key: str, outcome: str) -> None:
    conn.execute(
        text(
            "UPDATE billing_calls SET answered_at = now(), outcome = :o "
            "WHERE tenant_id = :t AND idempotency_key = :k"
        ),
        {"t": tenant_id, "k": key, "o": outcome[:500]},
    )


# --- platform-wide (admin role) ---------------------------------------------------------------


def all_invoices(conn: Connection) -> list[BillingInvoice]:
    rows = rows_as(InvoiceRow, conn.execute(text(f"{_INVOICES} ORDER BY period, tenant_id")))
    return [_record(row) for row in rows]


def all_credit_notes(conn: Connection) -> list[CreditNoteRow]:
    return rows_as(CreditNoteRow, conn.execute(text(_CREDIT_NOTES)))


def all_carries(conn: Connection) -> list[CarryRow]:
    return rows_as(
        CarryRow,
        conn.execute(
            text(
                "SELECT tenant_id, currency, from_period, amount_minor, reason, into_period "
                "FROM billing_carries"
            )
        ),
    )


def invoiced_from(conn: Connection, period: str, tenant_id: uuid.UUID | None) -> list[str]:
    """Months from `period` on that some shop (or this one) has invoice records for (admin)."""
    rows = conn.execute(
        text(
            "SELECT DISTINCT period FROM billing_invoices WHERE period >= :p "
            "AND (CAST(:t AS uuid) IS NULL OR tenant_id = :t) ORDER BY period"
        ),
        {"p": period, "t": tenant_id},
    )
    return [row.period for row in rows]


# --- payment-failed notices -------------------------------------------------------------------


class NoticeRow(NamedTuple):
    tenant_id: uuid.UUID
    event_id: str
    invoice_id: uuid.UUID
    kind: str
    to_address: str | None
    attempt_count: int
    status: str
    error: str | None
    created_at: datetime
    finished_at: datetime | None


_NOTICES = f"SELECT {', '.join(NoticeRow._fields)} FROM billing_notices"


def insert_notice(
    conn: Connection,
    tenant_id: uuid.UUID,
    *,
    event_id: str,
    invoice_id: uuid.UUID,
    to_address: str | None,
    attempt_count: int,
) -> bool:
    """One notice per event; False when the event already has one."""
    row = conn.execute(
        text(
            "INSERT INTO billing_notices (tenant_id, event_id, invoice_id, kind, to_address, "
            "attempt_count) VALUES (:t, :e, :i, 'payment_failed', :a, :n) "
            "ON CONFLICT (tenant_id, event_id) DO NOTHING RETURNING 1"
        ),
        {"t": tenant_id, "e": event_id, "i": invoice_id, "a": to_address, "n": attempt_count},
    ).first()
    return row is not None


def lock_notice(conn: Connection, tenant_id: uuid.UUID, event_id: str) -> NoticeRow | None:
    rows = rows_as(
        NoticeRow,
        conn.execute(
            text(f"{_NOTICES} WHERE tenant_id = :t AND event_id = :e FOR UPDATE"),
            {"t": tenant_id, "e": event_id},
        ),
    )
    return rows[0] if rows else None


def notices_of(conn: Connection, tenant_id: uuid.UUID) -> list[NoticeRow]:
    return rows_as(
        NoticeRow,
        conn.execute(
            text(f"{_NOTICES} WHERE tenant_id = :t ORDER BY created_at, event_id"),
            {"t": tenant_id},
        ),
    )


def set_notice(
    conn: Connection, tenant_id: uuid.UUID, event_id: str, status: str, error: str | None
) -> None:
    conn.execute(
        text(
            "UPDATE billing_notices SET status = :s, error = :err, finished_at = CASE WHEN :s "
            "IN ('sent', 'failed', 'unknown', 'skipped') THEN now() END "
            "WHERE tenant_id = :t AND event_id = :e"
        ),
        {
            "t": tenant_id,
            "e": event_id,
            "s": status,
            "err": None if error is None else error[:2000],
        },
    )
