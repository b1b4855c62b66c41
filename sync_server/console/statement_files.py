"""A month's fee statements as files an owner downloads: CSV (for a spreadsheet or the
accountant) and PDF (to print or file). Both come from the statements `fees.statements_for`
gives, the figures the page and `sync-server fees statement` show.

CSV: UTF-8, a header row, RFC 4180 quoting (`csv` module, CRLF line ends), column names in
English (stable for scripts whatever the shop's language), amounts as plain decimals in the
currency's decimals (`12.34`, `-3.00`; `1234` for yen): refunds and chargebacks negative, as
they enter the fee base. One `product` row per product and one `total` row per currency.
Text cells (shop, SKU, product name, ...) that a spreadsheet would run as a formula (starting
with `=`, `+`, `-`, `@`, tab or carriage return: OWASP "CSV injection") are written with a `'`
in front, so `=HYPERLINK(...)` stays text; amounts are never prefixed (`-3.00` stays a number).

PDF: `kit.pdf`, in the shop's language and money format."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from pos_app.domain.month_text import month_text
from sync_server.console.i18n import Translator
from sync_server.fees.rules import CHARGEBACK_NAME, CHARGEBACK_SKU, ProductFee, Statement
from sync_server.kit import pdf
from sync_server.kit.currency import decimal_text

CSV_COLUMNS = (
    "shop", "period", "status", "currency", "rate_bps", "row", "sku", "product", "revenue",
    "refunds", "chargebacks", "net", "fee", "adjustments_in_net",
)  # fmt: skip


def month_label(t: Translator, period: str, *, capital: bool = False) -> str:
    """`2026-03` → "March 2026" / "março de 2026" ("Março de 2026" to start a line): the
    formatter the register and the e-mails use too (`pos_app.domain.month_text`)."""
    return month_text(period, t.locale, capital=capital)


def product_name(t: Translator, product: ProductFee) -> str:
    """The chargebacks' pseudo-product in the reader's words; a product's own name as sold."""
    if product.sku == CHARGEBACK_SKU and product.name == CHARGEBACK_NAME:
        return t("chargeback_product")
    return product.name


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def text_cell(text: str) -> str:
    """A text cell a spreadsheet shows as text, never runs as a formula (OWASP: a leading `'`)."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def statement_csv(shop_slug: str, statements: Sequence[Statement]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for statement in statements:
        money = statement.currency

        def amounts(
            revenue: int, refunds: int, chargebacks: int, net: int, fee: int, currency: str = money
        ) -> list[str]:
            return [decimal_text(value, currency)
                    for value in (revenue, -refunds, -chargebacks, net, fee)]  # fmt: skip

        head = [text_cell(shop_slug), statement.period, "closed" if statement.closed else "open",
                text_cell(statement.currency), str(statement.rate_bps)]  # fmt: skip
        for product in statement.products:
            writer.writerow(
                [*head, "product", text_cell(product.sku), text_cell(product.name),
                 *amounts(product.gross_minor, product.refunds_minor, product.chargebacks_minor,
                          product.net_minor, product.fee_minor), ""]
            )  # fmt: skip
        writer.writerow(
            [*head, "total", "", "",
             *amounts(statement.gross_minor, statement.refunds_minor,
                      statement.chargebacks_minor, statement.net_minor, statement.fee_minor),
             decimal_text(statement.adjustments_minor, money)]
        )  # fmt: skip
    return out.getvalue()


def _figures(product: ProductFee) -> tuple[int, ...]:
    """A product's row: revenue, refunds and chargebacks (negative), net, fee."""
    return (product.gross_minor, -product.refunds_minor, -product.chargebacks_minor,
            product.net_minor, product.fee_minor)  # fmt: skip


def _columns(
    t: Translator, statements: Sequence[Statement], headings: Sequence[str], right: float
) -> tuple[list[float], list[float]]:
    """The right edge and the width of each figure column, from the page's right margin
    leftwards: each as wide as its widest heading or figure, 12 points apart (no two amounts
    ever touch)."""
    widths = [pdf.text_width(t(key), 8, "bold") for key in headings]
    for statement in statements:
        for product in statement.products:
            for index, amount in enumerate(_figures(product)):
                text = t.money(amount, statement.currency)
                widths[index] = max(widths[index], pdf.text_width(text, 9))
    edges: list[float] = []
    edge = right
    for width in reversed(widths):
        edges.append(edge)
        edge -= width + 12
    return edges[::-1], widths


def statement_pdf(
    t: Translator, *, shop_name: str, period: str, statements: Sequence[Statement],
    as_of: str, timezone: str,
) -> bytes:  # fmt: skip
    left, right = 48.0, 547.0
    headings = ("revenue", "refunds", "chargebacks_short", "net", "fee")
    columns, widths = _columns(t, statements, headings, right)
    name_width = columns[0] - widths[0] - 12 - left

    def paragraph(text: str, size: float = 9, space_before: float = 4) -> list[pdf.Row]:
        return [
            pdf.Row([pdf.Cell(left, line)], size=size, space_before=space_before if n == 0 else 1)
            for n, line in enumerate(pdf.wrap(text, right - left, size))
        ]

    title = t("statement_title", month=month_label(t, period))
    rows: list[pdf.Row] = [
        pdf.Row([pdf.Cell(left, shop_name, weight="bold")], size=16, space_before=0),
        pdf.Row([pdf.Cell(left, title)], size=13),
        pdf.Row([pdf.Cell(left, t("pdf_generated", when=as_of, timezone=timezone))], size=9),
    ]
    header = [
        pdf.Row(
            [pdf.Cell(left, t("product"), weight="bold"),
             *(pdf.Cell(x, t(key), "right", "bold")
               for x, key in zip(columns, headings, strict=True))],
            size=8, space_before=12, rule_below=True,
        )
    ]  # fmt: skip
    for statement in statements:
        currency = statement.currency

        def money(amount: int, currency: str = currency) -> str:
            return t.money(amount, currency)

        state = t("state_closed_long" if statement.closed else "state_open_long")
        rate = t.percent_bps(statement.rate_bps)
        rows += [
            *paragraph(t("statement_currency", currency=currency), 11, 12),
            *paragraph(state), *paragraph(t("statement_rate", rate=rate)), *header,
        ]  # fmt: skip
        for product in statement.products:
            figures = _figures(product)
            rows.append(
                pdf.Row(
                    [pdf.Cell(left, pdf.fit(product_name(t, product), max(name_width, 60), 9)),
                     *(pdf.Cell(x, money(amount), "right")
                       for x, amount in zip(columns, figures, strict=True))],
                    size=9, space_before=2,
                )
            )  # fmt: skip
        if not statement.products:
            rows += paragraph(
                t("statement_empty_closed" if statement.closed else "statement_empty")
            )
        rows.append(pdf.Row([pdf.Cell(left, t("summary"), weight="bold")], size=11,
                            space_before=14))  # fmt: skip
        for label, amount, bold in (
            (t("sum_revenue"), statement.gross_minor, False),
            (t("sum_refunds"), -statement.refunds_minor, False),
            (t("sum_chargebacks"), -statement.chargebacks_minor, False),
            (t("sum_net"), statement.net_minor, True),
            (t("sum_adjustments"), statement.adjustments_minor, False),
            (t("sum_fee", rate=rate), statement.fee_minor, True),
        ):
            weight: pdf.Weight = "bold" if bold else "regular"
            rows.append(
                pdf.Row([pdf.Cell(left, label, weight=weight),
                         pdf.Cell(right, money(amount), "right", weight)], size=10)
            )  # fmt: skip
    return pdf.render(
        rows, title=f"{shop_name}: {title}", header=header,
        footer=t("pdf_footer", shop=shop_name, period=period),
    )  # fmt: skip
