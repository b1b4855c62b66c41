"""What the owner's sales reports hand back: amounts in minor units, per tender kind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

TENDER_KINDS = ("cash", "card")


@dataclass(frozen=True, slots=True)
class TenderFigures:
    """One period's money by tender kind (`cash`, `card`), in minor units. Refunds are
    negative; voided orders took no money, so `voided_minor` is shown, never added to `net`."""

    sales: dict[str, int]
    tips: dict[str, int]
    refunds: dict[str, int]
    paid_orders: int
    refund_count: int
    voided_orders: int
    voided_minor: int

    def net(self, kind: str) -> int:
        return self.sales.get(kind, 0) + self.tips.get(kind, 0) + self.refunds.get(kind, 0)

    def total(self, row: dict[str, int]) -> int:
        return sum(row.values())

    @property
    def net_total(self) -> int:
        return sum(self.net(kind) for kind in TENDER_KINDS)


@dataclass(frozen=True, slots=True)
class SalesSummary:
    """Today (the shop's calendar day in its time zone) and the 30 days ending today."""

    today: TenderFigures
    last_30_days: TenderFigures
    day: date
    first_day: date
    """The first day of the 30 (`day` is the last)."""
    timezone: str
    as_of: datetime
