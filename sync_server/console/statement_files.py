"""A month's fee statements as files an owner downloads: CSV (for a spreadsheet or the
accountant) and PDF (to print or file). Both come from the statements `fees.statements_for`
gives, the figures the page and `sync-server fees statement` show.

CSV: UTF-8, a header row, RFC 4180 quoting (`csv` module, CRLF line ends), column names in
English (stable for scripts whatever the shop's language), amounts as plain decimals in the
currency's decimals (`12.34`, `-3.00`; `1234` for yen): refunds and chargebacks negative, as
they enter the fee base. One `product` row per product and one `total` row per currency.

PDF: `kit.pdf`, in the shop's language and money format."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from sync_server.console.i18n import Translator
from sync_server.fees.rules import CHARGEBACK_NAME, CHARGEBACK_SKU, ProductFee, Statement
from sync_server.kit import pdf
from sync_server.kit.currency import decimal_text

CSV_COLUMNS = (
    "shop", "period", "status", "currency", "rate_bps", "row", "sku", "product", "revenue",
    "refunds", "chargebacks", "net", "fee", "adjustments_in_net",
)  # fmt: skip


def month_label(t: Translator, period: str, *, capital: bool = False) -> str:
    """`2026-03` → "March 2026" / "março de 2026" ("Março de 2026" to start a line)."""
    year, month = (int(part) for part in period.split("-"))
    text = t("month_year", month=t("months").split(",")[month - 1], year=year)
    return text[:1].upper() + text[1:] if capital else text


def product_name(t: Translator, product: ProductFee) -> str:
    """The chargebacks' pseudo-product in the reader's words; a product's own name as sold."""
    if product.sku == CHARGEBACK_SKU and product.name == CHARGEBACK_NAME:
        return t("chargeback_product")
    return product.name


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

        head = [shop_slug, statement.period, "closed" if statement.closed else "open",
                statement.currency, str(statement.rate_bps)]  # fmt: skip
        for product in statement.products:
            writer.writerow(
                [*head, "product", product.sku, product.name,
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


def statement_pdf(
    t: Translator, *, shop_name: str, period: str, statements: Sequence[Statement],
    as_of: str, timezone: str,
) -> bytes:  # fmt: skip
    left, right = 48.0, 547.0
    columns = (330.0, 400.0, 470.0, right)  # revenue, refunds + chargebacks, net, fee
    title = t("statement_title", month=month_label(t, period))
    rows: list[pdf.Row] = [
        pdf.Row([pdf.Cell(left, shop_name, weight="bold")], size=16, space_before=0),
        pdf.Row([pdf.Cell(left, title)], size=13),
        pdf.Row([pdf.Cell(left, t("pdf_generated", when=as_of, timezone=timezone))], size=9),
    ]
    header = [
        pdf.Row(
            [pdf.Cell(left, t("product"), weight="bold"),
             pdf.Cell(columns[0], t("revenue"), "right", "bold"),
             pdf.Cell(columns[1], t("refunds"), "right", "bold"),
             pdf.Cell(columns[2], t("net"), "right", "bold"),
             pdf.Cell(columns[3], t("fee"), "right", "bold")],
            size=9, space_before=12, rule_below=True,
        )
    ]  # fmt: skip
    for statement in statements:
        currency = statement.currency

        def money(amount: int, currency: str = currency) -> str:
            return t.money(amount, currency)

        state = t("state_closed_long" if statement.closed else "state_open_long")
        rate = t.percent_bps(statement.rate_bps)
        rows += [
            pdf.Row([pdf.Cell(left, pdf.fit(state, right - left, 9))], size=9, space_before=10),
            pdf.Row([pdf.Cell(left, pdf.fit(t("statement_rate", rate=rate), right - left, 9))],
                    size=9),
            pdf.Row([pdf.Cell(left, t("statement_currency", currency=currency))], size=9),
            *header,
        ]  # fmt: skip
        for product in statement.products:
            given_back = product.refunds_minor + product.chargebacks_minor
            rows.append(
                pdf.Row(
                    [pdf.Cell(left, pdf.fit(product_name(t, product), 200, 9)),
                     pdf.Cell(columns[0], money(product.gross_minor), "right"),
                     pdf.Cell(columns[1], money(-given_back), "right"),
                     pdf.Cell(columns[2], money(product.net_minor), "right"),
                     pdf.Cell(columns[3], money(product.fee_minor), "right")],
                    size=9, space_before=2,
                )
            )  # fmt: skip
        if not statement.products:
            rows.append(pdf.Row([pdf.Cell(left, pdf.fit(t("statement_empty"), right - left, 9))],
                                size=9))  # fmt: skip
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
