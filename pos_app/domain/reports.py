"""X and Z reports: what a shift took, by tender, tax, product and staff member.

The numbers are gathered by the repository (SQL aggregates); this module only holds them and
turns them into JSON-ready data and a plain-text slip.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import datetime
from enum import StrEnum
from typing import Any

from pos_app.domain.money import format_major, format_rate_percent
from pos_app.domain.shifts import CashSummary


class ReportKind(StrEnum):
    X = "X"
    """Mid-shift snapshot: nothing is closed."""
    Z = "Z"
    """End of shift / day: the shift is closed and the count recorded."""


@dataclass(frozen=True, slots=True)
class TenderTotal:
    kind: str
    count: int
    amount_minor: int
    tips_minor: int = 0


@dataclass(frozen=True, slots=True)
class TaxTotal:
    rate_ppm: int
    tax_minor: int
    """Collected on sales."""
    refunded_minor: int = 0
    """Given back with refunds (only what actually went back to the customer)."""

    @property
    def net_minor(self) -> int:
        """What the shop owes the tax office at this rate."""
        return self.tax_minor - self.refunded_minor


@dataclass(frozen=True, slots=True)
class ProductTotal:
    sku: str
    name: str
    quantity: int
    net_minor: int


@dataclass(frozen=True, slots=True)
class StaffTotal:
    name: str
    orders: int
    total_minor: int


@dataclass(frozen=True, slots=True)
class SalesFigures:
    """What was sold, refunded and voided over a period (a shift, a business day): the
    repository's one rule for the figures, in X and Z reports and the back office's day."""

    orders_count: int
    gross_sales_minor: int
    discounts_minor: int
    net_sales_minor: int
    """After discounts, without tax."""
    tax_minor: int
    """Tax on the sales, before refunds."""
    total_minor: int
    """Gross takings: what the sales took, tax included, before refunds (tips apart)."""
    tips_minor: int
    refunds_count: int
    refunds_minor: int
    """Money given back (settled refund allocations), tax included."""
    refunded_tax_minor: int
    voids_count: int
    voids_minor: int
    no_sales_count: int
    """Drawer opened without a sale (each approved and audited)."""
    tenders: tuple[TenderTotal, ...]
    refunds_by_tender: tuple[TenderTotal, ...]
    taxes: tuple[TaxTotal, ...]
    products: tuple[ProductTotal, ...]
    staff: tuple[StaffTotal, ...]
    refunded_tips_minor: int = 0
    """Card tips given back with refunds (settled), apart from `refunds_minor`: a tip is not
    a sale, so it takes nothing off the takings, the tax or the platform's fee."""

    @property
    def net_tips_minor(self) -> int:
        """The tips the staff keep: taken, less those given back."""
        return self.tips_minor - self.refunded_tips_minor

    @property
    def net_total_minor(self) -> int:
        """Net takings: the sales less what went back to customers."""
        return self.total_minor - self.refunds_minor

    @property
    def net_tax_minor(self) -> int:
        """The tax owed: on the sales, less the tax refunded."""
        return self.tax_minor - self.refunded_tax_minor

    @property
    def refunded_net_sales_minor(self) -> int:
        return self.refunds_minor - self.refunded_tax_minor

    @property
    def net_sales_after_refunds_minor(self) -> int:
        """Taxable sales: net sales (before tax) less the refunds' part before tax."""
        return self.net_sales_minor - self.refunded_net_sales_minor


@dataclass(frozen=True, slots=True, kw_only=True)
class ShiftReport(SalesFigures):
    """A shift's `SalesFigures` (the same fields, one definition), with its drawer's cash:
    the X report (mid-shift) and the Z report (closed and counted)."""

    kind: ReportKind
    shift_id: str
    currency: str
    opened_at: datetime
    closed_at: datetime | None
    generated_at: datetime
    cash: CashSummary
    counted_cash_minor: int | None = None

    @classmethod
    def of(
        cls,
        figures: SalesFigures,
        *,
        kind: ReportKind,
        shift_id: str,
        currency: str,
        opened_at: datetime,
        closed_at: datetime | None,
        generated_at: datetime,
        cash: CashSummary,
        counted_cash_minor: int | None = None,
    ) -> ShiftReport:
        sales = {f.name: getattr(figures, f.name) for f in fields(SalesFigures)}
        return cls(
            **sales,
            kind=kind,
            shift_id=shift_id,
            currency=currency,
            opened_at=opened_at,
            closed_at=closed_at,
            generated_at=generated_at,
            cash=cash,
            counted_cash_minor=counted_cash_minor,
        )

    @property
    def expected_cash_minor(self) -> int:
        return self.cash.expected_minor

    @property
    def over_short_minor(self) -> int | None:
        if self.counted_cash_minor is None:
            return None
        return self.counted_cash_minor - self.cash.expected_minor

    def to_json(self) -> dict[str, Any]:
        figures = asdict(self)
        # What the report is about first, as before the figures had their own class.
        head = ("kind", "shift_id", "currency", "opened_at", "closed_at", "generated_at")
        data = {name: figures.pop(name) for name in head} | figures
        data["kind"] = self.kind.value
        data["opened_at"] = self.opened_at.isoformat()
        data["closed_at"] = self.closed_at.isoformat() if self.closed_at else None
        data["generated_at"] = self.generated_at.isoformat()
        data["net_total_minor"] = self.net_total_minor
        data["net_tips_minor"] = self.net_tips_minor
        data["net_tax_minor"] = self.net_tax_minor
        data["net_sales_after_refunds_minor"] = self.net_sales_after_refunds_minor
        for tax, total in zip(data["taxes"], self.taxes, strict=True):
            tax["net_minor"] = total.net_minor
        data["expected_cash_minor"] = self.expected_cash_minor
        data["over_short_minor"] = self.over_short_minor
        return data

    def to_text(self) -> str:
        """A plain slip (English, for logs and the CLI; the UI renders its own, translated)."""

        def m(value: int) -> str:
            return format_major(value, self.currency)

        out = [
            f"{self.kind.value} REPORT  shift {self.shift_id[:8]}",
            f"opened {self.opened_at:%Y-%m-%d %H:%M} UTC"
            + (f"  closed {self.closed_at:%Y-%m-%d %H:%M} UTC" if self.closed_at else ""),
            f"orders            {self.orders_count:>10}",
            f"gross sales       {m(self.gross_sales_minor):>10}",
            f"discounts         {m(self.discounts_minor):>10}",
            f"net sales         {m(self.net_sales_minor):>10}",
            f"tax on sales      {m(self.tax_minor):>10}",
            f"gross takings     {m(self.total_minor):>10}",
            f"refunds ({self.refunds_count:>3})     {m(self.refunds_minor):>10}",
            f"net takings       {m(self.net_total_minor):>10}",
            f"tax refunded      {m(self.refunded_tax_minor):>10}",
            f"net tax           {m(self.net_tax_minor):>10}",
            f"tips              {m(self.tips_minor):>10}",
            f"tips refunded     {m(self.refunded_tips_minor):>10}",
            f"voids ({self.voids_count:>3})       {m(self.voids_minor):>10}",
            f"no sales          {self.no_sales_count:>10}",
        ]
        out += [f"  {t.kind:<8} ({t.count:>3})  {m(t.amount_minor):>10}" for t in self.tenders]
        out += [
            f"  refund {t.kind:<8} ({t.count:>3})  {m(t.amount_minor):>10}"
            for t in self.refunds_by_tender
        ]
        out += [
            f"  tax {format_rate_percent(t.rate_ppm):>6}%  {m(t.tax_minor):>10}"
            f"  -{m(t.refunded_minor)}  = {m(t.net_minor)}"
            for t in self.taxes
        ]
        out.append(f"expected cash     {m(self.expected_cash_minor):>10}")
        if self.counted_cash_minor is not None and self.over_short_minor is not None:
            out.append(f"counted cash      {m(self.counted_cash_minor):>10}")
            out.append(f"over/short        {m(self.over_short_minor):>10}")
        return "\n".join(out)
