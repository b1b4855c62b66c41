"""The platform's past-due reminder, in the same words on the counter screen and in the back
office (Back office → Shop set-up → Fees & web console)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from pos_app.domain.fee_invoices import FeeInvoice, FeeInvoices
from pos_app.domain.month_text import month_text
from pos_app.ui.formatting import format_money


def reminder_text(
    late: FeeInvoice, locale_name: str, fees: FeeInvoices | None, *, with_page: bool = True
) -> str:
    """The past-due reminder: on the counter one short line (`with_page` False), in the back
    office with the address of Stripe's page where the owner pays."""
    text = QCoreApplication.translate(
        "FeeReminder",
        "The Counter POS fee for {month} ({amount}) is past due. Sales go on as usual.",
    ).format(
        month=month_text(late.period, locale_name),
        amount=format_money(late.amount_minor, late.currency, locale_name),
    )
    url = (fees.past_due_url if fees is not None else None) or late.hosted_url
    if not with_page:
        return (
            text
            + " "
            + QCoreApplication.translate(
                "FeeReminder",
                "The owner pays it from the web console or Back office → Shop set-up → Fees & "
                "web console.",
            )
        )
    if url:
        text += " " + QCoreApplication.translate(
            "FeeReminder", "The owner can pay it on Stripe's page: {url}"
        ).format(url=url)
    return text
