"""Receipts and kitchen tickets: what goes on paper, laid out and rendered to ESC/POS bytes."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.domain.catalog import Modifier, ModifierGroup, Product
from pos_app.domain.errors import ValidationError
from pos_app.domain.ids import uuid7
from pos_app.domain.money_text import format_money
from pos_app.domain.orders import Order
from pos_app.domain.pricing import Discount, DiscountKind, TaxMode
from pos_app.domain.printers import PrinterConfig, PrinterRole, route_kitchen_lines
from pos_app.domain.receipts import (
    CardDetails,
    QrRow,
    RefundDetails,
    RefundedLine,
    RefundPayout,
    TextRow,
    TextSize,
    build_kitchen_ticket,
    build_receipt,
    build_refund_receipt,
    layout_kitchen_ticket,
    layout_receipt,
    layout_test_page,
    order_qr_payload,
    parse_order_qr,
    two_columns,
    wrap,
)
from pos_app.domain.shop import Shop
from pos_app.domain.tenders import TenderKind, TenderRequest
from pos_app.integrations.printing import escpos_render
from pos_app.ui.formatting import format_money as screen_format_money
from tests.support.escpos_printer import decode

DRINKS = uuid7()
FOOD = uuid7()
PAID_AT = datetime(2026, 3, 14, 17, 5, tzinfo=UTC)
SIZE = ModifierGroup(
    uuid7(), "Size", 1, 1, (Modifier(uuid7(), "Small", 0), Modifier(uuid7(), "Large", 100))
)
EXTRAS = ModifierGroup(
    uuid7(), "Extras", 0, 2, (Modifier(uuid7(), "Bacon", 150), Modifier(uuid7(), "No onions", 0))
)


def shop(**changes: object) -> Shop:
    values: dict[str, object] = {
        "name": "Corner Café",
        "currency": "USD",
        "tax_mode": TaxMode.EXCLUSIVE,
        "register_id": uuid7(),
        "register_name": "Front till",
        "timezone": "America/New_York",
        "receipt_footer": "12 Main St, Springfield\nThank you!",
    }
    values.update(changes)
    return Shop(**values)  # type: ignore[arg-type]


def product(sku: str, name: str, price: int, category: UUID, *groups: ModifierGroup) -> Product:
    return Product(
        id=uuid7(),
        sku=sku,
        name=name,
        price_minor=price,
        currency="USD",
        tax_rate_ppm=88_750,
        category_id=category,
        modifier_groups=groups,
    )


LATTE = product("COF-LAT", "Latte", 450, DRINKS, SIZE)
BURGER = product("FOD-BUR", "Classic Burger", 1150, FOOD, EXTRAS)
COLA = product("DRK-COL", "Cola", 250, DRINKS)


def paid_order(*tenders: TenderRequest, number: int = 42) -> Order:
    order = Order(currency="USD", tax_mode=TaxMode.EXCLUSIVE, number=number)
    order.add_product(LATTE, 2, {SIZE.id: [SIZE.modifiers[1].id]})
    burger = order.add_product(
        BURGER, 1, {EXTRAS.id: [m.id for m in EXTRAS.modifiers]}, note="sauce on the side"
    )
    order.set_line_discount(burger.id, Discount(DiscountKind.PERCENT, 100_000))
    order.pay(tenders or [TenderRequest(TenderKind.CASH, 5_000)])
    return order


# --- layout helpers ----------------------------------------------------------------------


@pytest.mark.parametrize("width", [32, 42, 48])
def test_two_columns_right_aligns_the_amount_and_wraps_long_names(width: int) -> None:
    rows = two_columns("1 x A very long product name that cannot fit on one line", "$12.34", width)
    assert all(len(row) <= width for row in rows)
    assert rows[0].endswith(" $12.34")
    assert len(rows[0]) == width
    assert len(rows) >= 2
    assert rows[1].startswith("  ")


def test_wrap_breaks_words_longer_than_the_paper() -> None:
    assert wrap("x" * 70, 32) == ["x" * 32, "x" * 32, "x" * 6]
    assert wrap("", 32) == [""]


def format_amount(amount_minor: int, currency: str) -> str:
    return format_money(amount_minor, currency, "en_US")


def test_amounts_on_paper_use_a_symbol_or_the_currency_code() -> None:
    assert format_amount(1234, "USD") == "$12.34"
    assert format_amount(-50, "BRL") == "-R$0.50"
    assert format_amount(999, "EUR") == "€9.99"
    assert format_amount(1500, "JPY") == "¥1,500"
    assert format_amount(450, "CHF") == "CHF\u00a04.50"
    assert format_amount(125_000, "USD") == "$1,250.00"


def test_the_qr_payload_names_the_order_and_parses_back() -> None:
    order_id = uuid7()
    assert parse_order_qr(order_qr_payload(order_id)) == order_id
    assert parse_order_qr("https://example.com") is None
    assert parse_order_qr("pos:order:not-a-uuid") is None


# --- receipts ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "tendered", "change"),
    [("en_US", "$1,250.00", "$1,225.29"), ("pt_BR", "US$\u00a01.250,00", "US$\u00a01.225,29")],
)
def test_the_receipt_writes_amounts_as_the_screen_does(
    locale: str, tendered: str, change: str
) -> None:
    """A big tender used to print "$1250.00" while the screen showed "$1,239.17" (and a pt_BR
    screen "$ 1.239,17"): paper, PDF and screen now share one formatter, in the shop's locale."""
    order = paid_order(TenderRequest(TenderKind.CASH, 125_000))
    receipt = build_receipt(
        order=order, totals=order.totals(), shop=shop(locale=locale), issued_at=PAID_AT
    )
    text = "\n".join(
        row.text for row in layout_receipt(receipt, 42).rows if isinstance(row, TextRow)
    )
    cash = next(line for line in text.splitlines() if line.startswith("Cash"))
    assert cash.endswith(tendered)
    assert cash.endswith(format_money(125_000, "USD", locale))
    assert next(line for line in text.splitlines() if line.startswith("CHANGE")).endswith(change)
    slip = decode(escpos_render.render_receipt(receipt, width=42))
    assert (
        slip.line_with("CHANGE").text.replace("\u00a0", " ").endswith(change.replace("\u00a0", " "))
    )


PT_BR_ORDER = paid_order(TenderRequest(TenderKind.CASH, 125_000))
PT_BR_RECEIPT = build_receipt(
    order=PT_BR_ORDER, totals=PT_BR_ORDER.totals(), shop=shop(locale="pt_BR"), issued_at=PAID_AT
)


@given(amount=st.integers(min_value=-(10**13), max_value=10**13))
def test_a_pt_br_receipt_and_the_pt_br_screen_write_an_amount_identically(amount: int) -> None:
    """The screen's formatter (`pos_app.ui.formatting`, what `CounterSession.money` calls) and
    the receipt's are one: the same characters, no-break space included."""
    assert PT_BR_RECEIPT.money(amount) == screen_format_money(amount, "USD", "pt_BR")


def test_the_pt_br_receipt_lines_end_with_the_pt_br_screen_strings() -> None:
    lines = [row.text for row in layout_receipt(PT_BR_RECEIPT, 42).rows if isinstance(row, TextRow)]
    on_screen = screen_format_money(PT_BR_RECEIPT.total_minor, "USD", "pt_BR")
    assert on_screen.startswith("US$\u00a0")
    assert next(line for line in lines if line.startswith("TOTAL")).endswith(on_screen)
    assert next(line for line in lines if line.startswith("Cash")).endswith(
        screen_format_money(125_000, "USD", "pt_BR")
    )


@pytest.mark.parametrize("width", [32, 42, 48])
def test_every_row_fits_the_paper(width: int) -> None:
    order = paid_order()
    receipt = build_receipt(order=order, totals=order.totals(), shop=shop(), issued_at=PAID_AT)
    for row in layout_receipt(receipt, width).rows:
        if isinstance(row, TextRow):
            assert len(row.text) * row.size.width_factor <= width, row


def test_cash_receipt_bytes_carry_header_lines_totals_change_qr_and_a_cut() -> None:
    order = paid_order()
    totals = order.totals()
    receipt = build_receipt(
        order=order, totals=totals, shop=shop(), issued_at=PAID_AT, staff_name="Alex"
    )
    slip = decode(escpos_render.render_receipt(receipt, width=42))
    text = slip.text

    assert slip.initialisations == 1
    name = slip.line_with("Corner Café")
    assert name.bold
    assert name.double_width
    assert name.align == 1
    # 17:05 UTC is 13:05 in New York (daylight saving time since 8 March 2026).
    assert "2026-03-14 13:05" in text
    assert "Front till" in text
    assert "Served by Alex" in text
    assert slip.line_with("Order 42").double_height
    assert "2 x Latte" in slip.line_with("$11.00").text  # (4.50 + 1.00) × 2
    assert "+ Large (+$1.00)" in text
    assert "@ $5.50 each" in text
    assert "1 x Classic Burger" in slip.line_with("$13.00").text
    assert "+ Bacon (+$1.50)" in text
    assert "+ No onions" in text
    assert "Note: sauce on the side" in text
    assert slip.line_with("Discount 10%").text.endswith("-$1.30")
    assert slip.line_with("Subtotal").text.endswith(format_amount(totals.subtotal_minor, "USD"))
    assert slip.line_with("Tax 8.875%").text.endswith(format_amount(totals.tax_minor, "USD"))
    total = slip.line_with("TOTAL")
    assert total.text.endswith(format_amount(totals.total_minor, "USD"))
    assert total.double_width
    assert slip.line_with("Cash").text.endswith("$50.00")
    change = 5_000 - totals.total_minor
    assert slip.line_with("CHANGE").text.endswith(format_amount(change, "USD"))
    assert "12 Main St, Springfield" in text
    assert "Thank you!" in text
    assert slip.qr_codes == [f"pos:order:{order.id}"]
    assert slip.cuts == 1
    assert slip.drawer_kicks == []  # a receipt never opens the drawer by itself


def test_card_receipt_shows_brand_last4_tip_and_auth_code_and_no_change() -> None:
    order = Order(currency="USD", tax_mode=TaxMode.EXCLUSIVE, number=7)
    order.add_product(COLA, 2)
    total = order.totals().total_minor
    order.pay(
        [TenderRequest(TenderKind.CARD, total, tip_minor=100, card_brand="visa", card_last4="4242")]
    )
    tender = order.tenders[0]
    receipt = build_receipt(
        order=order,
        totals=order.totals(),
        shop=shop(),
        issued_at=PAID_AT,
        card_details={tender.id: CardDetails(auth_code="A1B2C3")},
    )
    slip = decode(escpos_render.render_receipt(receipt, width=42))
    assert slip.line_with("Visa •••• 4242").text.endswith(format_amount(total + 100, "USD"))
    assert slip.line_with("incl. tip").text.endswith("$1.00")
    assert "Auth code A1B2C3" in slip.text
    assert slip.line_with("Total paid").text.endswith(format_amount(total + 100, "USD"))
    assert "CHANGE" not in slip.text
    assert "Cash" not in slip.text


def test_tax_inclusive_receipt_says_incl_tax_after_the_total() -> None:
    croissant = Product(uuid7(), "BAK-CRO", "Croissant", 1200, "EUR", 200_000)
    order = Order(currency="EUR", tax_mode=TaxMode.INCLUSIVE, number=3)
    order.add_product(croissant, 1)
    order.pay([TenderRequest(TenderKind.CASH, 2000)])
    receipt = build_receipt(
        order=order, totals=order.totals(), shop=shop(currency="EUR"), issued_at=PAID_AT
    )
    layout = layout_receipt(receipt, 42)
    lines = layout.text.splitlines()
    total_at = next(i for i, line in enumerate(lines) if line.startswith("TOTAL"))
    assert lines[total_at].endswith("€12.00")
    assert lines[total_at + 1].startswith("incl. tax 20%")
    assert lines[total_at + 1].endswith("€2.00")
    assert not any(line.startswith("Tax ") for line in lines)
    slip = decode(escpos_render.render_layout(layout))
    assert slip.line_with("incl. tax 20%").text.endswith("€2.00")  # € survives the code page


def test_reprint_is_marked_on_paper() -> None:
    order = paid_order()
    receipt = build_receipt(
        order=order, totals=order.totals(), shop=shop(), issued_at=PAID_AT, reprint=True
    )
    slip = decode(escpos_render.render_receipt(receipt, width=42))
    banner = slip.line_with("REPRINT")
    assert banner.inverted
    assert slip.lines.index(banner) == 0


def test_refund_receipt_shows_lines_amount_how_it_went_back_and_why() -> None:
    order = paid_order(
        TenderRequest(TenderKind.CARD, 0, card_brand="mastercard", card_last4="5454"),
        TenderRequest(TenderKind.CASH, 5_000),
    )
    refund = RefundDetails(
        refund_id=uuid7(),
        amount_minor=600,
        tax_minor=49,
        reason="Cold coffee",
        refunded_at=PAID_AT,
        lines=(RefundedLine(1, "Latte", 600),),
        payouts=(
            RefundPayout(TenderKind.CARD, 400, "mastercard", "5454", pending=True),
            RefundPayout(TenderKind.CASH, 200),
        ),
    )
    receipt = build_refund_receipt(order=order, totals=order.totals(), shop=shop(), refund=refund)
    slip = decode(escpos_render.render_receipt(receipt, width=42))
    assert slip.line_with("REFUND").inverted
    assert slip.line_with("1 x Latte").text.endswith("-$6.00")
    refunded = next(line for line in slip.lines if line.text.startswith("REFUND"))
    assert refunded.text.endswith("-$6.00")
    assert refunded.double_width
    assert slip.line_with("of which tax").text.endswith("-$0.49")
    assert slip.line_with("Mastercard •••• 5454 (pending)").text.endswith("$4.00")
    assert slip.line_with("Cash back").text.endswith("$2.00")
    assert "Reason: Cold coffee" in slip.text
    assert "CHANGE" not in slip.text


def test_a_refund_receipt_shows_the_tip_given_back_apart() -> None:
    order = Order(currency="USD", tax_mode=TaxMode.EXCLUSIVE, number=7)
    order.add_product(LATTE, 1, {SIZE.id: [SIZE.modifiers[1].id]})
    total = order.totals().total_minor
    order.pay([TenderRequest(TenderKind.CARD, total, 100, card_brand="visa", card_last4="4242")])
    refund = RefundDetails(
        refund_id=uuid7(),
        amount_minor=600,
        tax_minor=49,
        reason="Charged twice",
        refunded_at=PAID_AT,
        payouts=(RefundPayout(TenderKind.CARD, 600, "visa", "4242", tip_minor=100),),
        tip_minor=100,
    )
    receipt = build_refund_receipt(order=order, totals=order.totals(), shop=shop(), refund=refund)
    slip = decode(escpos_render.render_receipt(receipt, width=42))
    refunded = next(line for line in slip.lines if line.text.startswith("REFUND"))
    assert refunded.text.endswith("-$6.00")
    assert slip.line_with("Tip refunded").text.endswith("-$1.00")
    assert slip.line_with("Visa •••• 4242").text.endswith("$7.00")
    assert slip.line_with("incl. tip").text.endswith("$1.00")


def test_an_unknown_time_zone_prints_utc_rather_than_failing() -> None:
    order = paid_order()
    receipt = build_receipt(
        order=order, totals=order.totals(), shop=shop(timezone="Mars/Olympus"), issued_at=PAID_AT
    )
    assert "2026-03-14 17:05" in layout_receipt(receipt, 42).text


# --- kitchen -------------------------------------------------------------------------------


def kitchen(name: str, *categories: UUID, enabled: bool = True) -> PrinterConfig:
    return PrinterConfig(
        name, PrinterRole.KITCHEN, "127.0.0.1", category_ids=frozenset(categories), enabled=enabled
    )


def test_kitchen_lines_are_routed_by_category() -> None:
    order = Order(currency="USD", tax_mode=TaxMode.EXCLUSIVE, number=5)
    latte = order.add_product(LATTE, 1, {SIZE.id: [SIZE.modifiers[0].id]})
    burger = order.add_product(BURGER, 2)
    cola = order.add_product(COLA, 1)
    bar, grill, expo, off = (
        kitchen("Bar", DRINKS),
        kitchen("Grill", FOOD),
        kitchen("Expo", FOOD, DRINKS),
        kitchen("Closed", FOOD, enabled=False),
    )
    pastry = kitchen("Pastry", uuid7())
    routed = route_kitchen_lines(order.lines, [bar, grill, expo, off, pastry])
    assert routed == {bar.id: (latte, cola), grill.id: (burger,), expo.id: (latte, burger, cola)}


def test_kitchen_ticket_is_large_has_modifiers_and_notes_and_no_prices() -> None:
    order = Order(currency="USD", tax_mode=TaxMode.EXCLUSIVE, number=118, label="Table 4")
    order.add_product(BURGER, 2, {EXTRAS.id: [EXTRAS.modifiers[0].id]}, note="no pickles")
    ticket = build_kitchen_ticket(
        order=order, lines=order.lines, station="Grill", shop=shop(), at=PAID_AT
    )
    layout = layout_kitchen_ticket(ticket, 42)
    slip = decode(escpos_render.render_layout(layout))
    number = slip.line_with("#118")
    assert number.double_width
    assert number.double_height
    assert slip.line_with("Table 4").double_width
    assert "GRILL" in slip.text
    item = slip.line_with("2 x Classic Burger")
    assert item.double_height
    assert item.bold
    assert slip.line_with("+ Bacon").double_height
    assert "** no pickles **" in slip.text
    assert "$" not in slip.text
    assert "13:05" in slip.text
    assert slip.cuts == 1
    assert not any(isinstance(row, QrRow) for row in layout.rows)
    items = [row for row in layout.rows[5:-2] if isinstance(row, TextRow)]
    assert items
    assert all(row.size is TextSize.TALL for row in items)


def test_printer_settings_are_checked_with_clear_messages() -> None:
    with pytest.raises(ValidationError, match="not a printer address"):
        PrinterConfig("Kitchen", PrinterRole.KITCHEN, "10.0.0.5; rm -rf /")
    with pytest.raises(ValidationError, match="port must be between"):
        PrinterConfig("Kitchen", PrinterRole.KITCHEN, "10.0.0.5", port=70_000)
    with pytest.raises(ValidationError, match="paper width"):
        PrinterConfig("Kitchen", PrinterRole.KITCHEN, "10.0.0.5", paper_width_chars=100)
    with pytest.raises(ValidationError, match="cash drawer is wired to the receipt printer"):
        PrinterConfig("Kitchen", PrinterRole.KITCHEN, "10.0.0.5", has_cash_drawer=True)


def test_drawer_kick_is_escp_on_both_connector_pins() -> None:
    slip = decode(escpos_render.drawer_kick())
    assert slip.drawer_kicks == [(0, 50, 50), (1, 50, 50)]
    assert slip.lines == []
    assert slip.cuts == 0


@pytest.mark.parametrize("width", [32, 48])
def test_the_test_page_fills_the_width_and_prints_accents_and_a_qr_code(width: int) -> None:
    printer = PrinterConfig(
        "Front", PrinterRole.RECEIPT, "192.168.1.50", paper_width_chars=width, has_cash_drawer=True
    )
    slip = decode(escpos_render.render_layout(layout_test_page(shop_name="Café", printer=printer)))
    assert slip.line_with("1234567890").text == ("1234567890" * 5)[:width]
    flowing = " ".join(slip.text.split())  # 32 columns wrap these sentences
    assert "Accents: café, ação, Größe, €1.00, £2.00" in flowing
    assert "A cash drawer is wired to this printer" in flowing
    assert slip.qr_codes == [f"pos:test:{printer.id}"]
    assert slip.drawer_kicks == []  # a test page never opens the drawer
