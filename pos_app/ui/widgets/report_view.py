"""X and Z reports on screen: sales, tenders, tax by rate, refunds, voids, the cash drawer,
products and staff, laid out in two columns of tables with the locale's money format."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from html import escape

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QTextBrowser, QWidget

from pos_app.domain.reports import ReportKind, ShiftReport
from pos_app.ui.formatting import format_datetime, format_number, format_percent

_RED = "#b00020"
_GREEN = "#0b6b2f"


def _table(title: str, header: Sequence[str], rows: Sequence[Sequence[str]], none_text: str) -> str:
    """A titled table; the first column is text, the rest are figures (right-aligned)."""
    out = [f"<h3>{escape(title)}</h3>", "<table width='100%' cellspacing='0' cellpadding='3'>"]
    if header:
        out.append(
            "<tr>"
            + "".join(
                f"<th align='{'left' if i == 0 else 'right'}'>{escape(h)}</th>"
                for i, h in enumerate(header)
            )
            + "</tr>"
        )
    if not rows:
        out.append(f"<tr><td><i>{escape(none_text)}</i></td></tr>")
    for row in rows:
        out.append(
            "<tr>"
            + "".join(
                f"<td align='{'left' if i == 0 else 'right'}'>{cell}</td>"
                for i, cell in enumerate(row)
            )
            + "</tr>"
        )
    out.append("</table>")
    return "".join(out)


class ReportText(QObject):
    """The report's words and layout (a QObject so its strings are found for translation)."""

    def tender_text(self, kind: str) -> str:
        return {"cash": self.tr("Cash"), "card": self.tr("Card")}.get(kind, kind)

    def _table(self, title: str, header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
        return _table(title, header, rows, self.tr("None"))

    def over_short_html(self, amount_minor: int, money: Callable[[int], str]) -> str:
        """Over in green, short in red, exact in green."""
        if amount_minor > 0:
            text, colour = self.tr("Over {amount}").format(amount=money(amount_minor)), _GREEN
        elif amount_minor < 0:
            text, colour = self.tr("Short {amount}").format(amount=money(-amount_minor)), _RED
        else:
            text, colour = self.tr("Exact"), _GREEN
        return f"<b style='color:{colour}'>{escape(text)}</b>"

    @staticmethod
    def _less(amount_minor: int, money: Callable[[int], str]) -> str:
        """An amount taken away: written negative, as the one formatter writes negatives
        (the same "-$5.39" as receipts, the Sales tab and the drawer's corrections)."""
        return money(-amount_minor)

    def report_html(
        self, report: ShiftReport, money: Callable[[int], str], timezone: str, locale_name: str
    ) -> str:
        def when(value: datetime) -> str:
            return format_datetime(value, timezone, locale_name)

        def count(value: int) -> str:
            return format_number(value, locale_name)

        title = (
            self.tr("Z report — shift closed")
            if report.kind is ReportKind.Z
            else self.tr("X report — shift so far")
        )
        period = self.tr("Opened {opened}").format(opened=when(report.opened_at))
        if report.closed_at is not None:
            period += " · " + self.tr("closed {closed}").format(closed=when(report.closed_at))
        period += " · " + self.tr("printed {generated}").format(generated=when(report.generated_at))

        sales = self._table(
            self.tr("Sales"),
            (),
            [
                (self.tr("Orders"), count(report.orders_count)),
                (self.tr("Gross sales"), money(report.gross_sales_minor)),
                (self.tr("Discounts"), self._less(report.discounts_minor, money)),
                (self.tr("Net sales (before tax)"), money(report.net_sales_minor)),
                (self.tr("Tax"), money(report.tax_minor)),
                (self.tr("Total taken"), money(report.total_minor)),
                (self.tr("Refunds"), self._less(report.refunds_minor, money)),
                (
                    "<b>" + escape(self.tr("Net taken")) + "</b>",
                    "<b>" + money(report.net_total_minor) + "</b>",
                ),
                (
                    self.tr("Net sales after refunds (before tax)"),
                    money(report.net_sales_after_refunds_minor),
                ),
                (self.tr("Tax refunded"), self._less(report.refunded_tax_minor, money)),
                (
                    "<b>" + escape(self.tr("Tax owed")) + "</b>",
                    "<b>" + money(report.net_tax_minor) + "</b>",
                ),
                (self.tr("Tips (card)"), money(report.tips_minor)),
                # Given back with refunds: apart from the refunds above (a tip is not a sale).
                *(
                    [(self.tr("Tips refunded"), self._less(report.refunded_tips_minor, money))]
                    if report.refunded_tips_minor
                    else []
                ),
            ],
        )
        tenders = self._table(
            self.tr("By tender"),
            (self.tr("Tender"), self.tr("Count"), self.tr("Amount"), self.tr("Tips")),
            [
                (
                    self.tender_text(t.kind),
                    count(t.count),
                    money(t.amount_minor),
                    money(t.tips_minor),
                )
                for t in report.tenders
            ],
        )
        taxes = self._table(
            self.tr("Tax by rate"),
            (self.tr("Rate"), self.tr("Tax"), self.tr("Refunded"), self.tr("Owed")),
            [
                (
                    format_percent(t.rate_ppm, locale_name) + " %",
                    money(t.tax_minor),
                    self._less(t.refunded_minor, money),
                    money(t.net_minor),
                )
                for t in report.taxes
            ],
        )
        refunds_rows = [
            (
                self.tr("Refunds"),
                count(report.refunds_count),
                self._less(report.refunds_minor, money),
            ),
            *(
                (
                    "&nbsp;&nbsp;" + escape(self.tender_text(t.kind)),
                    count(t.count),
                    self._less(t.amount_minor, money),
                )
                for t in report.refunds_by_tender
            ),
            *(
                [
                    (
                        self.tr("Tips refunded"),
                        "",
                        self._less(report.refunded_tips_minor, money),
                    )
                ]
                if report.refunded_tips_minor
                else []
            ),
            (self.tr("Voids"), count(report.voids_count), money(report.voids_minor)),
            (self.tr("No sales (drawer opened)"), count(report.no_sales_count), ""),
        ]
        refunds = self._table(self.tr("Refunds, voids and no sales"), (), refunds_rows)
        cash = report.cash
        drawer_rows = [
            (self.tr("Opening float"), money(cash.opening_float_minor)),
            (self.tr("Cash sales"), money(cash.cash_sales_minor)),
            (self.tr("Cash refunds"), self._less(cash.cash_refunds_minor, money)),
            (self.tr("Paid in"), money(cash.paid_in_minor)),
            (self.tr("Paid out"), self._less(cash.paid_out_minor, money)),
        ]
        if cash.corrections_count:
            drawer_rows.append(
                (
                    self.tr("Corrections (included above)"),
                    count(cash.corrections_count),
                )
            )
        drawer_rows += [
            (
                "<b>" + escape(self.tr("Expected in drawer")) + "</b>",
                "<b>" + money(cash.expected_minor) + "</b>",
            ),
        ]
        if report.counted_cash_minor is not None and report.over_short_minor is not None:
            drawer_rows.append((self.tr("Counted"), money(report.counted_cash_minor)))
            drawer_rows.append(
                (self.tr("Over / short"), self.over_short_html(report.over_short_minor, money))
            )
        drawer = self._table(self.tr("Cash drawer"), (), drawer_rows)
        products = self._table(
            self.tr("By product"),
            (self.tr("Product"), self.tr("Qty"), self.tr("Net")),
            [(escape(p.name), count(p.quantity), money(p.net_minor)) for p in report.products],
        )
        staff = self._table(
            self.tr("By staff"),
            (self.tr("Name"), self.tr("Orders"), self.tr("Total")),
            [(escape(s.name), count(s.orders), money(s.total_minor)) for s in report.staff],
        )
        return (
            f"<h2>{escape(title)}</h2><p>{escape(period)}</p>"
            "<table width='100%' cellspacing='0' cellpadding='0'><tr>"
            f"<td width='50%' valign='top' style='padding-right:18px'>{sales}{drawer}{refunds}</td>"
            f"<td width='50%' valign='top'>{tenders}{taxes}{staff}{products}</td>"
            "</tr></table>"
        )


class ReportView(QTextBrowser):
    """A read-only, scrollable X/Z report."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ReportView")
        self.report: ShiftReport | None = None
        self.setOpenLinks(False)

    def show_report(
        self, report: ShiftReport, money: Callable[[int], str], timezone: str, locale_name: str
    ) -> None:
        self.report = report
        self.setHtml(ReportText().report_html(report, money, timezone, locale_name))
