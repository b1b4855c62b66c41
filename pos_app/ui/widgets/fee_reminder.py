"""The platform's past-due reminder: on the counter screen one short line that says where to
look; in the back office (Back office → Shop set-up → Fees & web console) the whole of it, with
a link to Stripe's page where the owner pays."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QCoreApplication

from pos_app.domain.fee_invoices import FeeInvoice, FeeInvoices
from pos_app.domain.month_text import month_text
from pos_app.ui.formatting import format_money


def counter_reminder_text(late: FeeInvoice, locale_name: str) -> str:
    """The counter's line: which month, and where the details are (it must not crowd out the
    products at 1024×768)."""
    return QCoreApplication.translate(
        "FeeReminder",
        "Fee for {month} is past due — Back office → Shop set-up → Fees & web console",
    ).format(month=month_text(late.period, locale_name))


def reminder_html(late: FeeInvoice, locale_name: str, fees: FeeInvoices | None) -> str:
    """The back office's reminder, as rich text: the amount, that sales go on, a link to
    Stripe's page (its short name, not the address: that wrapped after "http://" at 1024×768),
    and the web console's page where the owner saves or changes the card."""
    text = QCoreApplication.translate(
        "FeeReminder",
        "The Counter POS fee for {month} ({amount}) is past due. Sales go on as usual.",
    ).format(
        month=month_text(late.period, locale_name),
        amount=format_money(late.amount_minor, late.currency, locale_name),
    )
    html = escape(text, quote=False)
    url = (fees.past_due_url if fees is not None else None) or late.hosted_url
    if url:
        link = '<a href="{url}">{words}</a>'.format(
            url=escape(url, quote=True),
            words=escape(
                QCoreApplication.translate("FeeReminder", "Pay on Stripe's page"), quote=False
            ),
        )
        html += " " + link + "."
    html += " " + escape(
        QCoreApplication.translate(
            "FeeReminder",
            "The owner can save or change the card on the web console's Payment method page.",
        ),
        quote=False,
    )
    return html
