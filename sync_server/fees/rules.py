"""The platform fee, as pure functions: what each event adds to the fee base, and statements.

Fee base of a tenant, per billing month (tenant's time zone) and currency:

* **sale**: each line of a paid order adds its product revenue, ``total_minor − tax_minor``
  (net of line and order discounts, without tax; tips are on tenders, never on lines), in the
  month of ``paid_at``.
* **refund**: a refund counts once it has ``succeeded``, in the month of its ``created_at``
  (the register's clock: when the shop gave the money back, which is the month the shop's own
  books show it). Each refund line subtracts ``amount_minor − tax_minor`` under its order line's
  sku; an amount without lines (or beyond them) is spread over the order's lines by revenue
  (largest remainder). A refund that ended ``failed`` after part of it went back (the cash
  of a split card-and-cash refund is handed over before the card part is refused) counts for
  that part, ``returned`` = its succeeded allocations: the register keeps the tax in
  proportion, ``round_half_up(tax × returned / amount)``, and the revenue left,
  ``returned − that tax``, is split over the refund's full entries by largest remainder.
* **chargeback**: a dispute whose status becomes ``lost`` subtracts the product revenue of
  what it claims of its order, in the month of the dispute's ``updated_at``: it claims the
  disputed amount, at most what the order's refunds and other lost disputes left of the
  order's total (`sync.refund_caps`), and its revenue is that less `tax_share` (tax never, and
  a tip is not in the order's total), at most the revenue the order's refunds and other
  disputes left (`revenue_of`). A dispute whose order is not on the server takes nothing
  until the order arrives. If it is later ``won`` (or otherwise leaves ``lost``), the amount
  comes back in the month of that change. Each accepted change is a ``dispute_events`` row
  with its ``fee_base_minor`` (what the fee base loses in that state), which ``fees verify``
  replays. Chargebacks appear as one pseudo-product row, sku ``""``.
* **every way money goes back counts once**: register refunds, refunds made in Stripe's
  dashboard and lost disputes of one order together never claim more than the order's total,
  whatever the order in which they arrive (`sync.refund_caps`): a register's refund that fits
  only without the outside ones displaces them, an outside refund or a dispute gets what is
  left, a register refund beyond it is refused.
* A closed month never changes: an event whose month is closed is billed in the first open
  month and counted in that statement's ``adjustments_minor`` (a part of ``net_minor``).

Statement: ``fee = round_half_even(net × rate_bps / 10 000)``, rounded once. Products' fees are
their exact shares' floors plus one unit each for the largest remainders, so they add up to
``fee_minor`` exactly. The rate is the one in force on the first day of the month.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sync_server.kit.money import allocate, div_round_half_up, fee_of, split_fee

CHARGEBACK_SKU = ""
CHARGEBACK_NAME = "Chargebacks (lost disputes)"


@dataclass(frozen=True, slots=True)
class SoldLine:
    """An order line as the fee sees it."""

    line_id: Any
    sku: str
    name: str
    revenue_minor: int


@dataclass(frozen=True, slots=True)
class RefundedLine:
    line_id: Any
    amount_minor: int
    tax_minor: int


@dataclass(frozen=True, slots=True)
class Entry:
    """One row of the fee ledger before periods are attached."""

    kind: str
    sku: str
    name: str
    amount_minor: int


def sale_entries(lines: Iterable[SoldLine]) -> list[Entry]:
    return [Entry("sale", line.sku, line.name, line.revenue_minor) for line in lines]


def refund_entries(
    *,
    amount_minor: int,
    tax_minor: int,
    refunded_lines: Sequence[RefundedLine],
    order_lines: Sequence[SoldLine],
    returned_minor: int | None = None,
) -> list[Entry]:
    """The (negative) entries of a succeeded refund."""
    by_id = {line.line_id: line for line in order_lines}
    entries: list[Entry] = []
    itemised = 0
    for refunded in refunded_lines:
        line = by_id[refunded.line_id]
        revenue = refunded.amount_minor - refunded.tax_minor
        itemised += revenue
        entries.append(Entry("refund", line.sku, line.name, -revenue))
    residual = (amount_minor - tax_minor) - itemised
    if residual and order_lines:
        weights = [max(line.revenue_minor, 0) for line in order_lines]
        for line, share in zip(order_lines, allocate(residual, weights), strict=True):
            if share:
                entries.append(Entry("refund", line.sku, line.name, -share))
    elif residual:
        entries.append(Entry("refund", CHARGEBACK_SKU, "Refunds without order lines", -residual))
    if returned_minor is None or returned_minor == amount_minor:
        return entries
    return _part_of(entries, amount_minor, tax_minor, returned_minor)


def _part_of(
    entries: Sequence[Entry], amount_minor: int, tax_minor: int, returned_minor: int
) -> list[Entry]:
    """The entries of the part of a refund that went back (see the module docstring)."""
    if not 0 <= returned_minor <= amount_minor:
        raise ValueError("a refund cannot give back more than its amount")
    revenue = returned_minor - div_round_half_up(tax_minor * returned_minor, amount_minor)
    # One entry per product, in a fixed order, so the split never depends on the order the
    # lines arrived in (the ledger and `fees verify` read them differently).
    merged: dict[tuple[str, str, str], int] = defaultdict(int)
    for entry in entries:
        merged[(entry.kind, entry.sku, entry.name)] += entry.amount_minor
    keys = sorted(merged)
    shares = allocate(-revenue, [max(-merged[key], 0) for key in keys]) if keys else []
    return [Entry(*key, share) for key, share in zip(keys, shares, strict=True) if share]


def tax_share(amount_minor: int, *, total_minor: int, tax_minor: int) -> int:
    """The tax in `amount_minor` given back of an order without line detail (a refund made
    outside the register, a lost dispute): the order's own tax in proportion, rounded half up
    (the register's rule for a refund by amount), never more than the amount."""
    if total_minor <= 0:
        return 0
    return min(amount_minor, div_round_half_up(amount_minor * tax_minor, total_minor))


def revenue_of(
    amount_minor: int, *, total_minor: int, tax_minor: int, revenue_left_minor: int
) -> int:
    """The product revenue in `amount_minor` given back of an order without line detail: the
    amount less its `tax_share`, and never more than the order's revenue its other refunds
    and disputes left (their roundings must not add up to more than was sold)."""
    share = amount_minor - tax_share(amount_minor, total_minor=total_minor, tax_minor=tax_minor)
    return max(0, min(share, revenue_left_minor))


def chargeback_target(status: str, amount_minor: int) -> int:
    """What a dispute in `status` should contribute to the fee base in total."""
    return -amount_minor if status == "lost" else 0


def chargeback_delta(*, status: str, amount_minor: int, contributed_minor: int) -> int:
    """The amount to post now so the dispute's contribution matches its status."""
    return chargeback_target(status, amount_minor) - contributed_minor


# --- statements -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProductFee:
    sku: str
    name: str
    gross_minor: int
    refunds_minor: int
    chargebacks_minor: int
    net_minor: int
    fee_minor: int


@dataclass(frozen=True, slots=True)
class Statement:
    tenant: str
    period: str
    currency: str
    rate_bps: int
    gross_minor: int
    refunds_minor: int
    chargebacks_minor: int
    net_minor: int
    fee_minor: int
    adjustments_minor: int
    products: tuple[ProductFee, ...] = field(default=())
    closed: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "tenant": self.tenant,
            "period": self.period,
            "currency": self.currency,
            "rate_bps": self.rate_bps,
            "gross_minor": self.gross_minor,
            "refunds_minor": self.refunds_minor,
            "chargebacks_minor": self.chargebacks_minor,
            "net_minor": self.net_minor,
            "fee_minor": self.fee_minor,
            "adjustments_minor": self.adjustments_minor,
            "closed": self.closed,
            "products": [
                {
                    "sku": product.sku,
                    "name": product.name,
                    "net_minor": product.net_minor,
                    "fee_minor": product.fee_minor,
                }
                for product in self.products
            ],
        }


@dataclass(frozen=True, slots=True)
class Amounts:
    """Summed ledger amounts of one (sku, name, kind) in one statement."""

    sku: str
    name: str
    kind: str
    amount_minor: int
    adjustment_minor: int = 0
    """The part of `amount_minor` from months already closed when it arrived."""


def build_statement(
    *, tenant: str, period: str, currency: str, rate_bps: int, amounts: Iterable[Amounts]
) -> Statement:
    per_product: dict[tuple[str, str], dict[str, int]] = defaultdict(
        lambda: {"sale": 0, "refund": 0, "chargeback": 0}
    )
    adjustments = 0
    for item in amounts:
        per_product[(item.sku, item.name)][item.kind] += item.amount_minor
        adjustments += item.adjustment_minor
    # A product whose sales, refunds and chargebacks are all zero has nothing to show.
    keys = sorted(key for key, kinds in per_product.items() if any(kinds.values()))
    nets = [sum(per_product[key].values()) for key in keys]
    gross = sum(per_product[key]["sale"] for key in keys)
    refunds = -sum(per_product[key]["refund"] for key in keys)
    chargebacks = -sum(per_product[key]["chargeback"] for key in keys)
    net = gross - refunds - chargebacks
    fee = fee_of(net, rate_bps)
    fees = split_fee(fee, nets, rate_bps)
    products = tuple(
        ProductFee(
            sku=key[0],
            name=key[1],
            gross_minor=per_product[key]["sale"],
            refunds_minor=-per_product[key]["refund"],
            chargebacks_minor=-per_product[key]["chargeback"],
            net_minor=product_net,
            fee_minor=product_fee,
        )
        for key, product_net, product_fee in zip(keys, nets, fees, strict=True)
    )
    return Statement(
        tenant=tenant,
        period=period,
        currency=currency,
        rate_bps=rate_bps,
        gross_minor=gross,
        refunds_minor=refunds,
        chargebacks_minor=chargebacks,
        net_minor=net,
        fee_minor=fee,
        adjustments_minor=adjustments,
        products=products,
    )
