"""The platform's fee invoices to this shop, as the sync server last told the register: one per
closed month, with Stripe's state, and whether the shop is past due.

The policy is the server's (`sync_server.billing.service`): 14 days after an invoice's first
failed payment or after its due date (an invoice emailed to a shop without a saved card), or as
soon as Stripe gives up, the shop is past due until the invoice is paid; the register then shows
a reminder on the counter screen. It never blocks a sale."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

PAID = "paid"
UNPAID = ("open", "uncollectible")


@dataclass(frozen=True, slots=True)
class FeeInvoice:
    period: str
    """`2026-03`."""
    amount_minor: int
    currency: str
    status: str
    """Stripe's state (draft, open, paid, void, uncollectible) or the server's: pending (not
    sent yet), zero (no fee), carried (moved to a later month)."""
    hosted_url: str | None
    paid_at: datetime | None
    first_failed_at: datetime | None = None
    """The first failed payment (None: none failed)."""
    attempt_count: int = 0
    """Stripe's attempts to charge the saved card so far."""
    due_at: datetime | None = None
    """An emailed invoice's due date (the shop has no saved card)."""
    credit_minor: int = 0
    """Credited on this invoice (adjustments to closed months): `amount_minor` is net of it."""
    carried_in_minor: int = 0
    """Carried in from earlier months (below Stripe's minimum charge): part of `amount_minor`."""
    carried_out_minor: int = 0
    """Carried to a later month (status `carried`): not asked for in this month."""
    past_due: bool = False
    """This invoice makes the shop past due (the grace policy)."""


@dataclass(frozen=True, slots=True)
class FeeInvoices:
    invoices: tuple[FeeInvoice, ...]
    """Newest month first."""
    past_due_period: str | None
    """The month whose invoice makes the shop past due (None: not past due)."""
    past_due_url: str | None
    fetched_at: datetime
    """When the server said so."""

    @property
    def past_due(self) -> FeeInvoice | None:
        for invoice in self.invoices:
            if invoice.period == self.past_due_period:
                return invoice
        return None


def _when(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


def fee_invoices_from(body: dict[str, Any], fetched_at: datetime) -> FeeInvoices:
    """The server's answer (`GET /v1/billing/invoices`) as ours; ValueError on a malformed one."""
    try:
        invoices = tuple(
            FeeInvoice(
                period=str(item["period"]),
                amount_minor=int(item["amount_minor"]),
                currency=str(item["currency"]),
                status=str(item["status"]),
                hosted_url=item.get("hosted_invoice_url") or None,
                paid_at=_when(item.get("paid_at")),
                first_failed_at=_when(item.get("first_failed_at")),
                attempt_count=int(item.get("attempt_count") or 0),
                due_at=_when(item.get("due_at")),
                credit_minor=int(item.get("credit_minor") or 0),
                carried_in_minor=int(item.get("carried_in_minor") or 0),
                carried_out_minor=int(item.get("carried_out_minor") or 0),
                # A server before these fields named the past-due month only.
                past_due=bool(item.get("past_due"))
                or (bool(body.get("past_due")) and item["period"] == body.get("past_due_period")),
            )
            for item in body["invoices"]
        )
        late = body.get("past_due_period") if body.get("past_due") else None
    except (KeyError, TypeError) as exc:
        raise ValueError(f"not a fee invoices answer: {exc!r}") from None
    return FeeInvoices(
        invoices=invoices,
        past_due_period=str(late) if late else None,
        past_due_url=body.get("past_due_url") or None,
        fetched_at=fetched_at,
    )
