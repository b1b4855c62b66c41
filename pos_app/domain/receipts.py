"""Receipts and kitchen tickets as values, and their layout in fixed-width character rows.

A `Receipt` holds everything printed for a sale or a refund; a `KitchenTicket` what the
kitchen needs (no prices). `layout_receipt` and `layout_kitchen_ticket` turn them into a
`PrintLayout`: rows of text already wrapped to the paper's width in characters, with a style
each, plus the QR code. The ESC/POS renderer and the PDF/PNG renderer both draw that same
layout, so paper, e-mail and on-screen preview cannot disagree.

Amounts on paper are written by the one money formatter (`money_text.format_money`) in the
shop's locale, so the receipt and the screen write the same amount the same way.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Final
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pos_app.domain.clock import require_aware
from pos_app.domain.money import format_rate_percent
from pos_app.domain.money_text import format_money
from pos_app.domain.orders import Order, OrderLine
from pos_app.domain.pricing import Discount, DiscountKind, OrderTotals, TaxMode
from pos_app.domain.printers import PrinterConfig
from pos_app.domain.shop import Shop
from pos_app.domain.tenders import TenderKind

QR_PREFIX: Final = "pos:order:"
MASK: Final = "••••"
DATE_FORMAT: Final = "%Y-%m-%d %H:%M"


def local_time(at: datetime, timezone: str) -> datetime:
    """`at` in the shop's time zone; an unknown zone name falls back to UTC rather than fail."""
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return require_aware(at).astimezone(zone)


def order_qr_payload(order_id: UUID) -> str:
    """What the receipt's QR code says: scanning it at a register finds the order."""
    return f"{QR_PREFIX}{order_id}"


def parse_order_qr(text: str) -> UUID | None:
    """The order id in a scanned receipt QR code, or None when it is not one of ours."""
    text = text.strip()
    if not text.startswith(QR_PREFIX):
        return None
    try:
        return UUID(text.removeprefix(QR_PREFIX))
    except ValueError:
        return None


# --- text layout helpers ---------------------------------------------------------------------


def wrap(text: str, width: int) -> list[str]:
    """Wrap to `width` characters, breaking long words; never returns an empty list."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines.extend(
            textwrap.wrap(paragraph, width, break_long_words=True, break_on_hyphens=False) or [""]
        )
    return lines


def two_columns(left: str, right: str, width: int, *, indent: int = 0) -> list[str]:
    """`left` wrapped, `right` right-aligned on the first row: ``Latte ........ $4.50``.

    Continuation rows of `left` are indented by `indent` (plus two spaces) so a wrapped name
    reads as one item.
    """
    right = right[:width]
    room = width - len(right) - 1 if right else width
    if room < 8:  # a very long amount on narrow paper: amount on its own row
        return [*wrap(left, width), right.rjust(width)]
    first, *rest = wrap(left, room)
    rows = [first.ljust(room) + (" " + right if right else "")]
    pad = " " * (indent + 2)
    for part in rest:
        rows.extend(pad + chunk for chunk in wrap(part, width - len(pad)))
    return [row.rstrip() if not right else row for row in rows]


# --- what a layout is made of ----------------------------------------------------------------


class Align(StrEnum):
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


class TextSize(StrEnum):
    NORMAL = "normal"
    TALL = "tall"
    """Double height, normal width: the row still holds the paper's full width."""
    LARGE = "large"
    """Double width and height: the row holds half the paper's width."""

    @property
    def width_factor(self) -> int:
        return 2 if self is TextSize.LARGE else 1

    @property
    def height_factor(self) -> int:
        return 1 if self is TextSize.NORMAL else 2


@dataclass(frozen=True, slots=True)
class TextRow:
    text: str
    align: Align = Align.LEFT
    bold: bool = False
    size: TextSize = TextSize.NORMAL
    invert: bool = False
    """White on black: the REPRINT and REFUND banners."""


@dataclass(frozen=True, slots=True)
class QrRow:
    payload: str


Row = TextRow | QrRow


@dataclass(frozen=True, slots=True)
class PrintLayout:
    """Rows that fit `width` characters (a LARGE row holds ``width // 2``)."""

    width: int
    rows: tuple[Row, ...]
    title: str
    """A name for the document: the PDF's title, a print job's description."""

    @property
    def text(self) -> str:
        """The rows as plain text (for logs, e-mail bodies and tests)."""
        return "\n".join(row.text for row in self.rows if isinstance(row, TextRow))


class _Rows:
    """Collects rows for one layout and knows the paper width."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.rows: list[Row] = []

    def text(
        self,
        text: str,
        *,
        align: Align = Align.LEFT,
        bold: bool = False,
        size: TextSize = TextSize.NORMAL,
        invert: bool = False,
        indent: int = 0,
    ) -> None:
        """Wrapped rows; continuation rows are indented by `indent` spaces."""
        width = self.width // size.width_factor
        first, *rest = wrap(text, width)
        self.rows.append(TextRow(first, align, bold, size, invert))
        pad = " " * min(indent, width // 2)
        for part in rest:
            for chunk in wrap(part, width - len(pad)):
                self.rows.append(TextRow(pad + chunk, align, bold, size, invert))

    def pair(
        self,
        left: str,
        right: str,
        *,
        bold: bool = False,
        size: TextSize = TextSize.NORMAL,
        indent: int = 0,
    ) -> None:
        for part in two_columns(left, right, self.width // size.width_factor, indent=indent):
            self.rows.append(TextRow(part, Align.LEFT, bold, size))

    def rule(self, char: str = "-") -> None:
        self.rows.append(TextRow(char * self.width))

    def blank(self) -> None:
        self.rows.append(TextRow(""))

    def banner(self, text: str) -> None:
        self.rows.append(TextRow(f" {text} ", Align.CENTER, bold=True, invert=True))

    def qr(self, payload: str) -> None:
        self.rows.append(QrRow(payload))


# --- receipts --------------------------------------------------------------------------------


class ReceiptKind(StrEnum):
    SALE = "sale"
    REFUND = "refund"


@dataclass(frozen=True, slots=True)
class CardDetails:
    """What the payment gave back about a card: never more than brand, last 4 and auth code."""

    brand: str | None = None
    last4: str | None = None
    auth_code: str | None = None


@dataclass(frozen=True, slots=True)
class ReceiptModifier:
    name: str
    price_delta_minor: int


@dataclass(frozen=True, slots=True)
class ReceiptLine:
    quantity: int
    name: str
    unit_price_minor: int
    """Per unit, modifiers included."""
    modifiers: tuple[ReceiptModifier, ...]
    note: str
    gross_minor: int
    """Unit price × quantity, before discounts."""
    discount_minor: int
    """This line's own discount (its share of an order discount is in the order discount)."""
    discount_label: str


@dataclass(frozen=True, slots=True)
class ReceiptTax:
    rate_ppm: int
    base_minor: int
    tax_minor: int


@dataclass(frozen=True, slots=True)
class ReceiptTender:
    kind: TenderKind
    amount_minor: int
    """The part of the total this tender paid."""
    tendered_minor: int
    change_minor: int
    tip_minor: int
    card_brand: str | None = None
    card_last4: str | None = None
    auth_code: str | None = None

    @property
    def label(self) -> str:
        if self.kind is TenderKind.CASH:
            return "Cash"
        brand = self.card_brand.title() if self.card_brand else "Card"
        return f"{brand} {MASK} {self.card_last4}" if self.card_last4 else brand


@dataclass(frozen=True, slots=True)
class RefundedLine:
    quantity: int
    name: str
    amount_minor: int


@dataclass(frozen=True, slots=True)
class RefundPayout:
    """How part of a refund went back: to a card, or in cash from the drawer."""

    kind: TenderKind
    amount_minor: int
    card_brand: str | None = None
    card_last4: str | None = None
    pending: bool = False
    """A card refund the gateway has not confirmed yet."""
    tip_minor: int = 0
    """The card tip given back with it, on top of `amount_minor`."""


@dataclass(frozen=True, slots=True)
class RefundDetails:
    refund_id: UUID
    amount_minor: int
    tax_minor: int
    reason: str
    refunded_at: datetime
    lines: tuple[RefundedLine, ...] = ()
    payouts: tuple[RefundPayout, ...] = ()
    tip_minor: int = 0
    """Card tips given back with the refund, apart from its amount."""


@dataclass(frozen=True, slots=True)
class Receipt:
    kind: ReceiptKind
    shop_name: str
    register_name: str
    footer_lines: tuple[str, ...]
    order_id: UUID
    order_number: int
    label: str
    issued_at: datetime
    """In the shop's time zone."""
    staff_name: str | None
    currency: str
    tax_mode: TaxMode
    lines: tuple[ReceiptLine, ...]
    subtotal_minor: int
    line_discount_minor: int
    order_discount_minor: int
    order_discount_label: str
    taxes: tuple[ReceiptTax, ...]
    tax_minor: int
    total_minor: int
    tenders: tuple[ReceiptTender, ...]
    refunded_minor: int = 0
    """Refunded so far (a reprint of a sale that was later refunded says so)."""
    refund: RefundDetails | None = None
    reprint: bool = False
    header_lines: tuple[str, ...] = ()
    """The shop's receipt header (address, tax number...), under its name."""
    locale: str = "en_US"
    """The shop's locale: how amounts are written (``$1,239.17``, ``US$ 1.239,17``)."""

    def money(self, amount_minor: int) -> str:
        return format_money(amount_minor, self.currency, self.locale)

    @property
    def discount_minor(self) -> int:
        return self.line_discount_minor + self.order_discount_minor

    @property
    def change_minor(self) -> int:
        return sum(tender.change_minor for tender in self.tenders)

    @property
    def tip_minor(self) -> int:
        return sum(tender.tip_minor for tender in self.tenders)

    @property
    def has_cash(self) -> bool:
        return any(tender.kind is TenderKind.CASH for tender in self.tenders)

    @property
    def qr_payload(self) -> str:
        return order_qr_payload(self.order_id)

    @property
    def title(self) -> str:
        what = "Refund" if self.kind is ReceiptKind.REFUND else "Receipt"
        return f"{self.shop_name} — {what} for order {self.order_number}"


def _discount_label(discount: Discount | None, fallback: str) -> str:
    if discount is None:
        return fallback
    if discount.reason.strip():
        return discount.reason.strip()
    if discount.kind is DiscountKind.PERCENT:
        return f"{fallback} {format_rate_percent(discount.value)}%"
    return fallback


def _receipt_line(line: OrderLine, totals: OrderTotals) -> ReceiptLine:
    figures = totals.line(line.id)
    return ReceiptLine(
        quantity=line.quantity,
        name=line.name,
        unit_price_minor=line.unit_total_minor,
        modifiers=tuple(ReceiptModifier(m.name, m.price_delta_minor) for m in line.modifiers),
        note=line.note,
        gross_minor=figures.gross_minor,
        discount_minor=figures.line_discount_minor,
        discount_label=_discount_label(line.discount, "Discount"),
    )


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def _footer(shop: Shop) -> tuple[str, ...]:
    return _lines(shop.receipt_footer)


def build_receipt(
    *,
    order: Order,
    totals: OrderTotals,
    shop: Shop,
    issued_at: datetime,
    staff_name: str | None = None,
    card_details: Mapping[UUID, CardDetails] | None = None,
    order_discount_reason: str = "",
    reprint: bool = False,
) -> Receipt:
    """The sale receipt of a paid order.

    `card_details` adds what the payment returned (auth code, and brand or last 4 when the
    tender lacks them), keyed by tender id or payment id.
    """
    details = card_details or {}
    tenders = []
    for tender in order.tenders:
        extra = details.get(tender.id) or (
            details.get(tender.payment_id) if tender.payment_id else None
        )
        tenders.append(
            ReceiptTender(
                kind=tender.kind,
                amount_minor=tender.amount_minor,
                tendered_minor=tender.tendered_minor,
                change_minor=tender.change_minor,
                tip_minor=tender.tip_minor,
                card_brand=tender.card_brand or (extra.brand if extra else None),
                card_last4=tender.card_last4 or (extra.last4 if extra else None),
                auth_code=extra.auth_code if extra else None,
            )
        )
    assert order.number is not None, "only a saved order has a receipt"
    order_discount = order.discount
    if order_discount is not None and order_discount_reason and not order_discount.reason:
        order_discount = Discount(order_discount.kind, order_discount.value, order_discount_reason)
    return Receipt(
        kind=ReceiptKind.SALE,
        shop_name=shop.name,
        register_name=shop.register_name,
        footer_lines=_footer(shop),
        header_lines=_lines(shop.receipt_header),
        order_id=order.id,
        order_number=order.number,
        label=order.label,
        issued_at=local_time(issued_at, shop.timezone),
        staff_name=staff_name,
        currency=order.currency,
        tax_mode=order.tax_mode,
        lines=tuple(_receipt_line(line, totals) for line in order.lines),
        subtotal_minor=totals.subtotal_minor,
        line_discount_minor=totals.line_discount_minor,
        order_discount_minor=totals.order_discount_minor,
        order_discount_label=_discount_label(order_discount, "Order discount"),
        taxes=tuple(ReceiptTax(t.rate_ppm, t.base_minor, t.tax_minor) for t in totals.taxes),
        tax_minor=totals.tax_minor,
        total_minor=totals.total_minor,
        tenders=tuple(tenders),
        refunded_minor=order.refunded_minor,
        reprint=reprint,
        locale=shop.locale,
    )


def build_refund_receipt(
    *,
    order: Order,
    totals: OrderTotals,
    shop: Shop,
    refund: RefundDetails,
    staff_name: str | None = None,
    reprint: bool = False,
) -> Receipt:
    """The receipt handed over with a refund: what came back, how, and why."""
    sale = build_receipt(
        order=order,
        totals=totals,
        shop=shop,
        issued_at=refund.refunded_at,
        staff_name=staff_name,
        reprint=reprint,
    )
    return replace(sale, kind=ReceiptKind.REFUND, refund=refund)


def _tax_label(tax: ReceiptTax, mode: TaxMode) -> str:
    rate = f"{format_rate_percent(tax.rate_ppm)}%"
    return f"incl. tax {rate}" if mode is TaxMode.INCLUSIVE else f"Tax {rate}"


def _header(rows: _Rows, receipt: Receipt) -> None:
    if receipt.reprint:
        rows.banner("REPRINT")
    rows.text(receipt.shop_name, align=Align.CENTER, bold=True, size=TextSize.LARGE)
    for line in receipt.header_lines:
        rows.text(line, align=Align.CENTER)
    rows.blank()
    if receipt.kind is ReceiptKind.REFUND:
        rows.banner("REFUND")
    rows.text(f"Order {receipt.order_number}", align=Align.CENTER, bold=True, size=TextSize.TALL)
    if receipt.label:
        rows.text(receipt.label, align=Align.CENTER)
    rows.pair(receipt.issued_at.strftime(DATE_FORMAT), receipt.register_name)
    if receipt.staff_name:
        rows.text(f"Served by {receipt.staff_name}")
    rows.rule()


def _sale_body(rows: _Rows, receipt: Receipt) -> None:
    for line in receipt.lines:
        rows.pair(
            f"{line.quantity} x {line.name}",
            receipt.money(line.gross_minor),
            indent=len(str(line.quantity)) + 1,
        )
        for modifier in line.modifiers:
            delta = (
                f" (+{receipt.money(modifier.price_delta_minor)})"
                if modifier.price_delta_minor > 0
                else f" ({receipt.money(modifier.price_delta_minor)})"
                if modifier.price_delta_minor < 0
                else ""
            )
            rows.text(f"   + {modifier.name}{delta}", indent=5)
        if line.quantity > 1:
            rows.text(f"   @ {receipt.money(line.unit_price_minor)} each")
        if line.note:
            rows.text(f"   Note: {line.note}", indent=5)
        if line.discount_minor:
            rows.pair(f"   {line.discount_label}", receipt.money(-line.discount_minor))
    rows.rule()
    rows.pair("Subtotal", receipt.money(receipt.subtotal_minor))
    if receipt.order_discount_minor:
        rows.pair(receipt.order_discount_label, receipt.money(-receipt.order_discount_minor))
    if receipt.discount_minor and receipt.line_discount_minor:
        rows.pair("Total discounts", receipt.money(-receipt.discount_minor))
    if receipt.tax_mode is TaxMode.EXCLUSIVE:
        for tax in receipt.taxes:
            if tax.tax_minor or tax.rate_ppm:
                rows.pair(_tax_label(tax, receipt.tax_mode), receipt.money(tax.tax_minor))
    rows.pair("TOTAL", receipt.money(receipt.total_minor), bold=True, size=TextSize.LARGE)
    if receipt.tax_mode is TaxMode.INCLUSIVE:
        for tax in receipt.taxes:
            if tax.rate_ppm:
                rows.pair(_tax_label(tax, receipt.tax_mode), receipt.money(tax.tax_minor))
    rows.blank()
    for tender in receipt.tenders:
        if tender.kind is TenderKind.CASH:
            rows.pair("Cash", receipt.money(tender.tendered_minor))
        else:
            rows.pair(tender.label, receipt.money(tender.amount_minor + tender.tip_minor))
            if tender.tip_minor:
                rows.pair("   incl. tip", receipt.money(tender.tip_minor))
            if tender.auth_code:
                rows.text(f"   Auth code {tender.auth_code}")
    if receipt.tip_minor:
        rows.pair("Total paid", receipt.money(receipt.total_minor + receipt.tip_minor), bold=True)
    if receipt.has_cash:
        rows.pair("CHANGE", receipt.money(receipt.change_minor), bold=True, size=TextSize.TALL)
    if receipt.refunded_minor:
        rows.pair("Refunded since", receipt.money(-receipt.refunded_minor))


def _refund_body(rows: _Rows, receipt: Receipt) -> None:
    refund = receipt.refund
    assert refund is not None
    for line in refund.lines:
        rows.pair(
            f"{line.quantity} x {line.name}",
            receipt.money(-line.amount_minor),
            indent=len(str(line.quantity)) + 1,
        )
    if refund.lines:
        rows.rule()
    rows.pair("REFUND", receipt.money(-refund.amount_minor), bold=True, size=TextSize.LARGE)
    if refund.tax_minor:
        label = "incl. tax" if receipt.tax_mode is TaxMode.INCLUSIVE else "of which tax"
        rows.pair(label, receipt.money(-refund.tax_minor))
    if refund.tip_minor:
        rows.pair("Tip refunded", receipt.money(-refund.tip_minor))
    rows.blank()
    for payout in refund.payouts:
        if payout.kind is TenderKind.CASH:
            label = "Cash back"
        else:
            brand = payout.card_brand.title() if payout.card_brand else "Card"
            label = f"{brand} {MASK} {payout.card_last4}" if payout.card_last4 else brand
            if payout.pending:
                label += " (pending)"
        rows.pair(label, receipt.money(payout.amount_minor + payout.tip_minor))
        if payout.tip_minor:
            rows.pair("   incl. tip", receipt.money(payout.tip_minor))
    rows.text(f"Reason: {refund.reason}", indent=2)
    rows.text(f"Original sale total {receipt.money(receipt.total_minor)}")


def layout_receipt(receipt: Receipt, width: int) -> PrintLayout:
    """The receipt as rows for paper `width` characters wide."""
    rows = _Rows(width)
    _header(rows, receipt)
    if receipt.kind is ReceiptKind.REFUND:
        _refund_body(rows, receipt)
    else:
        _sale_body(rows, receipt)
    rows.rule()
    for line in receipt.footer_lines:
        rows.text(line, align=Align.CENTER)
    rows.qr(receipt.qr_payload)
    rows.text(f"Order {receipt.order_number}", align=Align.CENTER)
    return PrintLayout(width=width, rows=tuple(rows.rows), title=receipt.title)


# --- kitchen tickets -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TicketLine:
    quantity: int
    name: str
    modifiers: tuple[str, ...]
    note: str


@dataclass(frozen=True, slots=True)
class KitchenTicket:
    order_number: int
    label: str
    station: str
    """The printer's name: a ticket torn off the grill printer says "Grill"."""
    at: datetime
    """In the shop's time zone."""
    lines: tuple[TicketLine, ...]
    reprint: bool = False

    @property
    def title(self) -> str:
        return f"Kitchen ticket {self.order_number} — {self.station}"


def build_kitchen_ticket(
    *,
    order: Order,
    lines: Sequence[OrderLine],
    station: str,
    shop: Shop,
    at: datetime,
    reprint: bool = False,
) -> KitchenTicket:
    assert order.number is not None, "only a saved order goes to the kitchen"
    return KitchenTicket(
        order_number=order.number,
        label=order.label,
        station=station,
        at=local_time(at, shop.timezone),
        lines=tuple(
            TicketLine(line.quantity, line.name, tuple(m.name for m in line.modifiers), line.note)
            for line in lines
        ),
        reprint=reprint,
    )


def layout_kitchen_ticket(ticket: KitchenTicket, width: int) -> PrintLayout:
    """Large type, no prices: readable at arm's length on a busy pass."""
    rows = _Rows(width)
    if ticket.reprint:
        rows.banner("REPRINT")
    rows.text(ticket.station.upper(), align=Align.CENTER, bold=True)
    rows.text(f"#{ticket.order_number}", align=Align.CENTER, bold=True, size=TextSize.LARGE)
    if ticket.label:
        rows.text(ticket.label, align=Align.CENTER, bold=True, size=TextSize.LARGE)
    rows.text(ticket.at.strftime(DATE_FORMAT), align=Align.CENTER)
    rows.rule("=")
    for line in ticket.lines:
        rows.text(
            f"{line.quantity} x {line.name}",
            bold=True,
            size=TextSize.TALL,
            indent=len(str(line.quantity)) + 3,
        )
        for modifier in line.modifiers:
            rows.text(f"   + {modifier}", size=TextSize.TALL, indent=5)
        if line.note:
            rows.text(f"   ** {line.note} **", bold=True, size=TextSize.TALL, indent=6)
    rows.rule("=")
    count = sum(line.quantity for line in ticket.lines)
    rows.text(f"{count} item{'s' if count != 1 else ''}", align=Align.CENTER)
    return PrintLayout(width=width, rows=tuple(rows.rows), title=ticket.title)


def layout_test_page(*, shop_name: str, printer: PrinterConfig) -> PrintLayout:
    """A page to check a new printer: width ruler, styles, code page and QR code."""
    width = printer.paper_width_chars
    rows = _Rows(width)
    rows.text(shop_name, align=Align.CENTER, bold=True, size=TextSize.LARGE)
    rows.text(f"Test page: {printer.name}", align=Align.CENTER)
    rows.text(f"{printer.host}:{printer.port}", align=Align.CENTER)
    rows.rule()
    rows.text(("1234567890" * (width // 10 + 1))[:width])
    rows.text(f"{width} characters per line: the row above fills it exactly")
    rows.text("Bold", bold=True)
    rows.text("Tall", size=TextSize.TALL)
    rows.text("Large", size=TextSize.LARGE)
    rows.text("Accents: café, ação, Größe, €1.00, £2.00")
    if printer.has_cash_drawer:
        rows.text("A cash drawer is wired to this printer")
    rows.qr(f"pos:test:{printer.id}")
    return PrintLayout(width=width, rows=tuple(rows.rows), title=f"Test page — {printer.name}")
