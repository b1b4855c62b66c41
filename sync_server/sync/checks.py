"""The server's own judgement of a pushed change, before anything is stored.

Pure Python, one change at a time: the money of an order recomputed with the register's own
pricing rule (`pos_app.domain.pricing.reprice`, one copy of the rule for both sides), its
structure, its currency, the range of its amounts and the window its times must lie in. A
change that fails is *refused* (see the push contract in `sync_server.sync.schemas`): it is
acknowledged, kept in the shop's quarantine with the reason, and never half-stored. The checks
that need stored state (an id already used by another parent, a refund of an unknown or refused
order) are set-based queries in `service`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pos_app.domain.errors import ValidationError
from pos_app.domain.pricing import Discount, DiscountKind, PricingLine, TaxMode, reprice
from pos_app.domain.tenders import check_tip
from sync_server.kit.addresses import valid_address
from sync_server.sync import schemas as s

# Reason codes of a refusal: stable, the register and the CLI show them.
MALFORMED = "malformed"
"""The change does not fit the push contract (a field missing, of the wrong type, …)."""
MONEY = "money_mismatch"
"""A figure does not follow the pricing rule from the change's own inputs."""
CURRENCY = "currency"
"""Not the shop's currency."""
OUT_OF_RANGE = "out_of_range"
"""An amount beyond what any sale of this platform can be."""
TIME = "time_window"
"""A sale or refund time before the shop existed or ahead of the server's clock."""
STRUCTURE = "structure"
"""Parts that do not fit together (a paid order without a payment time, a repeated id, …)."""
ID_REUSED = "id_reused"
"""A line, tender or allocation id that already belongs to another order or refund."""
UNKNOWN_ORDER = "unknown_order"
"""A refund or payment of an order that is not a paid order stored on the server."""
DEPENDS_ON_REFUSED = "depends_on_refused"
"""A change about an order (or refund) that was itself refused."""
OVER_REFUND = "over_refund"
"""A refund beyond what is left of its order, line or tender, judged from what the server holds
(other registers' refunds, refunds made in Stripe, lost disputes): see `refund_caps`; the
reason names which cap (`refund_exceeds_order`, `refund_exceeds_tender`, ...)."""

REASON_CODES = (
    MALFORMED, MONEY, CURRENCY, OUT_OF_RANGE, TIME, STRUCTURE, ID_REUSED, UNKNOWN_ORDER,
    DEPENDS_ON_REFUSED, OVER_REFUND,
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Problem:
    code: str
    field: str
    message: str


@dataclass(frozen=True, slots=True)
class Bounds:
    """What a pushed sale or refund must respect, per shop and request."""

    currency: str
    earliest: datetime
    """The shop's creation less the configured margin."""
    latest: datetime
    """When the server received the push plus the configured clock allowance."""
    max_amount_minor: int
    """The largest order total, line or refund amount accepted."""


def _time_problem(field: str, moment: datetime | None, bounds: Bounds) -> Problem | None:
    # Aware datetimes compare by their UTC instant without converting (no overflow at year 1
    # or 9999, whatever the offset).
    if moment is None:
        return None
    if moment < bounds.earliest:
        return Problem(TIME, field, "is before this shop was created on the server")
    if moment > bounds.latest:
        return Problem(TIME, field, "is ahead of the server's clock")
    return None


def check_order(change: s.OrderChange, bounds: Bounds) -> Problem | None:
    """The first thing wrong with a pushed order, or None."""
    d = change.data
    if d.currency != bounds.currency:
        return Problem(CURRENCY, "data.currency", f"{d.currency} is not this shop's currency")
    for name in ("created_at", "paid_at", "voided_at"):
        problem = _time_problem(f"data.{name}", getattr(d, name), bounds)
        if problem is not None:
            return problem
    if d.status == "paid" and d.paid_at is None:
        return Problem(STRUCTURE, "data.paid_at", "a paid order needs paid_at")
    if d.status == "voided" and d.paid_at is not None:
        return Problem(STRUCTURE, "data.paid_at", "a voided order was never paid")
    if not d.lines and d.status == "paid":
        return Problem(STRUCTURE, "data.lines", "a paid order has at least one line")
    if len({line.id for line in d.lines}) != len(d.lines):
        return Problem(STRUCTURE, "data.lines", "a line id is repeated")
    if len({tender.id for tender in d.tenders}) != len(d.tenders):
        return Problem(STRUCTURE, "data.tenders", "a tender id is repeated")
    limit = bounds.max_amount_minor
    for name in ("subtotal_minor", "total_minor", "tip_minor"):
        if getattr(d, name) > limit:
            return Problem(OUT_OF_RANGE, f"data.{name}", f"is over the limit of {limit}")
    return _money_problem(d) or _tender_problem(d)


def _money_problem(d: s.OrderData) -> Problem | None:
    pricing: list[PricingLine] = []
    for index, line in enumerate(d.lines):
        unit = line.unit_price_minor  # modifiers included (the contract's `OrderLine`)
        if line.gross_minor != unit * line.quantity:
            return Problem(
                MONEY,
                f"data.lines[{index}].gross_minor",
                f"should be {unit * line.quantity} (unit price × quantity)",
            )
        discount = line.line_discount_minor
        pricing.append(
            PricingLine(
                key=index,
                unit_price_minor=unit,
                quantity=line.quantity,
                tax_rate_ppm=line.tax_rate_ppm,
                discount=Discount(DiscountKind.AMOUNT, discount) if discount else None,
            )
        )
    try:
        totals = reprice(pricing, TaxMode(d.tax_mode), d.order_discount_minor)
    except ValidationError as error:
        return Problem(MONEY, "data.lines", str(error))
    for index, (line, expected) in enumerate(zip(d.lines, totals.lines, strict=True)):
        # One tuple comparison per line on the common (honest) path; names on a mismatch.
        stated = (
            line.line_discount_minor, line.order_discount_minor, line.net_minor,
            line.tax_minor, line.total_minor,
        )  # fmt: skip
        want = (
            expected.line_discount_minor, expected.order_discount_minor, expected.net_minor,
            expected.tax_minor, expected.total_minor,
        )  # fmt: skip
        if stated != want:
            return _mismatch(f"data.lines[{index}].", _LINE_FIGURES, stated, want)
    stated = (
        d.subtotal_minor, d.line_discount_minor, d.order_discount_minor, d.tax_minor,
        d.total_minor,
    )  # fmt: skip
    want = (
        totals.subtotal_minor, totals.line_discount_minor, totals.order_discount_minor,
        totals.tax_minor, totals.total_minor,
    )  # fmt: skip
    if stated != want:
        return _mismatch("data.", _ORDER_FIGURES, stated, want)
    return None


def _mismatch(
    prefix: str, names: tuple[str, ...], stated: tuple[int, ...], want: tuple[int, ...]
) -> Problem:
    """The first figure of `stated` that is not the one the pricing rule gives, by name."""
    name, value = next(
        (name, value)
        for name, have, value in zip(names, stated, want, strict=True)
        if have != value
    )
    return Problem(MONEY, f"{prefix}{name}", f"should be {value}")


_LINE_FIGURES = (
    "line_discount_minor", "order_discount_minor", "net_minor", "tax_minor", "total_minor",
)  # fmt: skip
_ORDER_FIGURES = (
    "subtotal_minor", "line_discount_minor", "order_discount_minor", "tax_minor", "total_minor",
)  # fmt: skip


def _tender_problem(d: s.OrderData) -> Problem | None:
    if d.status != "paid":
        return None
    tendered = sum(tender.amount_minor for tender in d.tenders)
    if tendered != d.total_minor:
        return Problem(MONEY, "data.tenders", f"add up to {tendered}, not {d.total_minor}")
    tips = sum(tender.tip_minor for tender in d.tenders)
    if tips != d.tip_minor:
        return Problem(MONEY, "data.tip_minor", f"the tenders' tips add up to {tips}")
    for index, tender in enumerate(d.tenders):
        where = f"data.tenders[{index}]"
        if tender.kind == "cash":
            if tender.card_last4 or tender.card_brand:
                return Problem(STRUCTURE, where, "a cash tender has no card")
            if tender.tip_minor:
                return Problem(MONEY, f"{where}.tip_minor", "tips are taken on card only")
            if tender.change_minor != tender.tendered_minor - tender.amount_minor:
                return Problem(MONEY, f"{where}.change_minor", "is not tendered minus amount")
            continue
        try:
            check_tip(tender.amount_minor, tender.tip_minor)
        except ValidationError as error:
            return Problem(MONEY, f"{where}.tip_minor", str(error))
        if tender.change_minor or tender.tendered_minor != tender.amount_minor + tender.tip_minor:
            return Problem(MONEY, f"{where}.tendered_minor", "a card charges amount plus tip")
    return None


def check_refund(change: s.RefundChange, bounds: Bounds) -> Problem | None:
    """What a refund must respect on its own (the caps from stored state are the merge's)."""
    d = change.data
    problem = _time_problem("data.created_at", d.created_at, bounds)
    if problem is not None:
        return problem
    if d.amount_minor > bounds.max_amount_minor:
        limit = bounds.max_amount_minor
        return Problem(OUT_OF_RANGE, "data.amount_minor", f"is over the limit of {limit}")
    if d.tax_minor > d.amount_minor:
        return Problem(MONEY, "data.tax_minor", "tax exceeds the refund amount")
    if sum(line.amount_minor for line in d.lines) > d.amount_minor:
        return Problem(MONEY, "data.lines", "refund lines exceed the refund amount")
    if len({line.line_id for line in d.lines}) != len(d.lines):
        return Problem(STRUCTURE, "data.lines", "a line is refunded twice in one refund")
    if len({allocation.id for allocation in d.allocations}) != len(d.allocations):
        return Problem(STRUCTURE, "data.allocations", "an allocation id is repeated")
    for index, line in enumerate(d.lines):
        if line.tax_minor > line.amount_minor:
            return Problem(MONEY, f"data.lines[{index}].tax_minor", "tax exceeds the line amount")
    return _tip_problem(d, bounds)


def _tip_problem(d: s.RefundData, bounds: Bounds) -> Problem | None:
    """A refund's tip part goes back on the cards it was charged on, and its allocations say
    which (the caps of each card's tip are the merge's, `refund_caps`)."""
    if d.tip_minor > bounds.max_amount_minor:
        limit = bounds.max_amount_minor
        return Problem(OUT_OF_RANGE, "data.tip_minor", f"is over the limit of {limit}")
    for index, allocation in enumerate(d.allocations):
        if allocation.tip_minor and (allocation.kind != "card" or allocation.tender_id is None):
            return Problem(
                MONEY,
                f"data.allocations[{index}].tip_minor",
                "a tip goes back only to the card tender it was charged on",
            )
    tips = sum(allocation.tip_minor for allocation in d.allocations)
    if tips != d.tip_minor:
        return Problem(MONEY, "data.tip_minor", f"the allocations' tips add up to {tips}")
    return None


def check_other(change: s.Change, bounds: Bounds) -> Problem | None:
    """Payments, products, shifts and notifications: currency and the parts they need."""
    if (
        isinstance(change, s.PaymentChange | s.ProductChange)
        and change.data.currency != bounds.currency
    ):
        return Problem(CURRENCY, "data.currency", "is not this shop's currency")
    if (
        isinstance(change, s.ShiftChange)
        and change.data.status == "closed"
        and change.data.closed_at is None
    ):
        return Problem(STRUCTURE, "data.closed_at", "a closed shift needs closed_at")
    if isinstance(change, s.NotificationChange):
        data = change.data
        if data.order_id is None:
            message = f"a {data.kind} notification names its order"
            return Problem(STRUCTURE, "data.order_id", message)
        if not valid_address(data.channel, data.to.strip()):
            expected = "an email address" if data.channel == "email" else "an E.164 phone (+…)"
            return Problem(STRUCTURE, "data.to", f"{data.to!r} is not {expected}")
    return None
