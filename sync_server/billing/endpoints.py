"""`GET /v1/billing/invoices`: a register reads its own shop's fee invoices and whether the
shop is past due (the counter's banner; the back office's list). Never blocks anything."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter
from pydantic import BaseModel

from sync_server.billing import service
from sync_server.billing.schemas import BillingInvoice
from sync_server.devices.auth import DeviceRequest, device_scope
from sync_server.kit.errors import error_responses

router = APIRouter(prefix="/v1/billing", tags=["billing"])


class InvoiceOut(BaseModel):
    id: str
    period: str
    currency: str
    amount_minor: int
    """What the invoice asks for (lines less credit note); 0 for a month with no invoice."""
    fee_minor: int
    status: str
    """Stripe's invoice state (draft, open, paid, void, uncollectible) or ours: pending (not
    sent yet), zero (no fee), carried (below Stripe's minimum: moved to a later month)."""
    hosted_invoice_url: str | None
    paid_at: datetime | None
    first_failed_at: datetime | None
    attempt_count: int
    """Stripe's attempts to charge the saved card so far."""
    due_at: datetime | None
    """An emailed invoice's due date (no saved card): its grace period starts there."""
    credit_minor: int
    """Credited on the invoice (a credit note for adjustments to closed months)."""
    carried_in_minor: int
    """Carried into this month from earlier ones (amounts below Stripe's minimum charge)."""
    carried_out_minor: int
    """Carried out of this month to a later one (status `carried`)."""
    past_due: bool
    """This invoice makes the shop past due now (the grace policy)."""


class BillingOut(BaseModel):
    invoices: list[InvoiceOut]
    """Newest month first."""
    past_due: bool
    past_due_period: str | None
    past_due_since: datetime | None
    past_due_url: str | None
    """Where the owner pays the invoice that makes the shop past due."""
    grace_days: int


def _out(record: BillingInvoice, now: datetime) -> InvoiceOut:
    since = service.past_due_since(record)
    return InvoiceOut(
        id=str(record.id),
        period=record.period,
        currency=record.currency,
        amount_minor=record.amount_minor,
        fee_minor=record.fee_minor,
        status=record.status,
        hosted_invoice_url=record.hosted_invoice_url,
        paid_at=record.paid_at,
        first_failed_at=record.first_failed_at,
        attempt_count=record.stripe_attempt_count,
        due_at=record.due_at if record.collection_method == "send_invoice" else None,
        credit_minor=record.credit_minor,
        carried_in_minor=record.carried_in_minor,
        carried_out_minor=record.carried_out_minor,
        past_due=since is not None and since <= now,
    )


@router.get(
    "/invoices",
    response_model=BillingOut,
    responses=error_responses({401: "Missing, unknown or revoked device token"}),
)
def invoices(call: DeviceRequest) -> BillingOut:
    """The calling register's shop: each closed month's invoice, and the past-due state."""
    with device_scope(call) as scope:
        found = service.shop_billing(scope.connection, scope.device.tenant_id, datetime.now(UTC))
    late = found.past_due
    return BillingOut(
        invoices=[_out(record, found.now) for record in reversed(found.invoices)],
        past_due=late is not None,
        past_due_period=late.period if late else None,
        past_due_since=service.past_due_since(late) if late else None,
        past_due_url=late.hosted_invoice_url if late else None,
        grace_days=service.GRACE.days,
    )
