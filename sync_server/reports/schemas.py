"""What the owner's sales reports hand back: amounts in minor units, per tender kind, per
business day, per product, register and staff member."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time

TENDER_KINDS = ("cash", "card")


@dataclass(frozen=True, slots=True)
class TenderFigures:
    """One period's money by tender kind (`cash`, `card`), in minor units. Refunds are
    negative; voided orders took no money, so `voided_minor` (their total, positive: no money
    moved either way) is shown, never added to `net`;
    discounts were taken off the sales before they were paid, so `discounts_minor` (negative)
    is shown, never added either."""

    sales: dict[str, int]
    tips: dict[str, int]
    refunds: dict[str, int]
    paid_orders: int
    refund_count: int
    voided_orders: int
    voided_minor: int
    discounts_minor: int = 0

    def net(self, kind: str) -> int:
        return self.sales.get(kind, 0) + self.tips.get(kind, 0) + self.refunds.get(kind, 0)

    def total(self, row: dict[str, int]) -> int:
        return sum(row.values())

    @property
    def net_total(self) -> int:
        return sum(self.net(kind) for kind in TENDER_KINDS)


@dataclass(frozen=True, slots=True)
class CardPayout:
    """Card money the shop can expect Stripe to pay into its bank for one period, before
    Stripe's own fees (the platform does not know them): card sales + card tips - card refunds
    (their tips included) - disputed amounts Stripe withdrew + disputed amounts it gave back."""

    sales: int
    tips: int
    refunds: int
    disputes_withdrawn: int
    disputes_returned: int

    @property
    def total(self) -> int:
        return (
            self.sales + self.tips + self.refunds + self.disputes_withdrawn
            + self.disputes_returned
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar of a chart: its label (an hour `HH:00` or a date) and its figures."""

    label: str
    amount: int
    orders: int
    day: date | None = None


@dataclass(frozen=True, slots=True)
class GroupRow:
    """One row of a breakdown: `label` None is "not recorded" (an order without a staff
    member, a register the server no longer knows); `others` sums the rows past the list's
    length. `count` is orders (registers, staff) or items sold (products)."""

    label: str | None
    day_count: int
    day_amount: int
    period_count: int
    period_amount: int
    key: uuid.UUID | None = None
    others: bool = False


@dataclass(frozen=True, slots=True)
class Breakdowns:
    products: list[GroupRow]
    registers: list[GroupRow]
    staff: list[GroupRow]


@dataclass(frozen=True, slots=True)
class SalesSummary:
    """Today (the shop's business day in its time zone) and the 30 days ending today."""

    today: TenderFigures
    last_30_days: TenderFigures
    day: date
    first_day: date
    """The first day of the 30 (`day` is the last)."""
    timezone: str
    as_of: datetime
    day_ends_at: time = time(0)


@dataclass(frozen=True, slots=True)
class SalesReport:
    """Everything the owner's report page shows."""

    summary: SalesSummary
    payout_today: CardPayout
    payout_period: CardPayout
    by_hour: list[Bar]
    by_day: list[Bar]
    breakdowns: Breakdowns
