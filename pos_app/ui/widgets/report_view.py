"""X and Z reports on screen: sales, tenders, tax by rate, refunds, voids, the cash drawer,
products and staff, laid out in two columns of tables with the locale's money format."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QTextBrowser, QWidget

from pos_app.domain.reports import ReportKind, ShiftReport
from pos_app.ui.formatting import format_datetime, format_number, format_percent

_RED = "#b00020"
_GREEN = "#0b6b2f"


def tr(text: str) -> str:
    return QCoreApplication.translate("Report", text)


def tender_text(kind: str) -> str:
    return {"cash": tr("Cash"), "card": tr("Card")}.get(kind, kind)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _table(title: str, header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A titled table; the first column is text, the rest are figures (right-aligned)."""
    out = [f"<h3>{_escape(title)}</h3>", "<table width='100%' cellspacing='0' cellpadding='3'>"]
    if header:
        out.append(
            "<tr>"
            + "".join(
                f"<th align='{'left' if i == 0 else 'right'}'>{_escape(h)}</th>"
                for i, h in enumerate(header)
            )
            + "</tr>"
        )
    if not rows:
        out.append(f"<tr><td><i>{_escape(tr('None'))}</i></td></tr>")
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


def over_short_html(amount_minor: int, money: Callable[[int], str]) -> str:
    """Over in green, short in red, exact in green."""
    if amount_minor > 0:
        text, colour = tr("Over {amount}").format(amount=money(amount_minor)), _GREEN
    elif amount_minor < 0:
        text, colour = tr("Short {amount}").format(amount=money(-amount_minor)), _RED
    else:
        text, colour = tr("Exact"), _GREEN
    return f"<b style='color:{colour}'>{_escape(text)}</b>"


def _less(amount_minor: int, money: Callable[[int], str]) -> str:
    """An amount taken away, with a minus sign unless it is zero."""
    return ("−" if amount_minor else "") + money(amount_minor)


def report_html(
    report: ShiftReport, money: Callable[[int], str], timezone: str, locale_name: str
) -> str:
    def when(value: datetime) -> str:
        return format_datetime(value, timezone, locale_name)

    def count(value: int) -> str:
        return format_number(value, locale_name)

    title = (
        tr("Z report — shift closed")
        if report.kind is ReportKind.Z
        else tr("X report — shift so far")
    )
    period = tr("Opened {opened}").format(opened=when(report.opened_at))
    if report.closed_at is not None:
        period += " · " + tr("closed {closed}").format(closed=when(report.closed_at))
    period += " · " + tr("printed {generated}").format(generated=when(report.generated_at))

    sales = _table(
        tr("Sales"),
        (),
        [
            (tr("Orders"), count(report.orders_count)),
            (tr("Gross sales"), money(report.gross_sales_minor)),
            (tr("Discounts"), _less(report.discounts_minor, money)),
            (tr("Net sales (before tax)"), money(report.net_sales_minor)),
            (tr("Tax"), money(report.tax_minor)),
            (
                "<b>" + _escape(tr("Total taken")) + "</b>",
                "<b>" + money(report.total_minor) + "</b>",
            ),
            (tr("Tips (card)"), money(report.tips_minor)),
        ],
    )
    tenders = _table(
        tr("By tender"),
        (tr("Tender"), tr("Count"), tr("Amount"), tr("Tips")),
        [
            (tender_text(t.kind), count(t.count), money(t.amount_minor), money(t.tips_minor))
            for t in report.tenders
        ],
    )
    taxes = _table(
        tr("Tax by rate"),
        (tr("Rate"), tr("Tax")),
        [
            (format_percent(t.rate_ppm, locale_name) + " %", money(t.tax_minor))
            for t in report.taxes
        ],
    )
    refunds_rows = [
        (tr("Refunds"), count(report.refunds_count), _less(report.refunds_minor, money)),
        *(
            ("&nbsp;&nbsp;" + _escape(tender_text(t.kind)), count(t.count), money(t.amount_minor))
            for t in report.refunds_by_tender
        ),
        (tr("Voids"), count(report.voids_count), money(report.voids_minor)),
    ]
    refunds = _table(tr("Refunds and voids"), (), refunds_rows)
    cash = report.cash
    drawer_rows = [
        (tr("Opening float"), money(cash.opening_float_minor)),
        (tr("Cash sales"), money(cash.cash_sales_minor)),
        (tr("Cash refunds"), _less(cash.cash_refunds_minor, money)),
        (tr("Paid in"), money(cash.paid_in_minor)),
        (tr("Paid out"), _less(cash.paid_out_minor, money)),
        (
            "<b>" + _escape(tr("Expected in drawer")) + "</b>",
            "<b>" + money(cash.expected_minor) + "</b>",
        ),
    ]
    if report.counted_cash_minor is not None and report.over_short_minor is not None:
        drawer_rows.append((tr("Counted"), money(report.counted_cash_minor)))
        drawer_rows.append((tr("Over / short"), over_short_html(report.over_short_minor, money)))
    drawer = _table(tr("Cash drawer"), (), drawer_rows)
    products = _table(
        tr("By product"),
        (tr("Product"), tr("Qty"), tr("Net")),
        [(_escape(p.name), count(p.quantity), money(p.net_minor)) for p in report.products],
    )
    staff = _table(
        tr("By staff"),
        (tr("Name"), tr("Orders"), tr("Total")),
        [(_escape(s.name), count(s.orders), money(s.total_minor)) for s in report.staff],
    )
    return (
        f"<h2>{_escape(title)}</h2><p>{_escape(period)}</p>"
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
        self.setHtml(report_html(report, money, timezone, locale_name))
