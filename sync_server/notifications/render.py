"""The words of each notification, in the customer's language (en_US, pt_BR; others get en_US).

Receipts by email are a text part and an HTML part with the same content: the shop, the lines,
the totals, how it was paid (a card is its brand and last four digits, never more) and a
footer saying why the customer gets it, with an unsubscribe link when the server has a public
address. Everything taken from an order is escaped in the HTML part.
"""

from __future__ import annotations

import html
import uuid
from dataclasses import dataclass
from datetime import datetime

from sync_server.kit.currency import format_money


@dataclass(frozen=True, slots=True)
class LineView:
    name: str
    quantity: int
    total_minor: int


@dataclass(frozen=True, slots=True)
class TenderView:
    kind: str
    amount_minor: int
    tip_minor: int
    change_minor: int
    card_brand: str | None
    card_last4: str | None


@dataclass(frozen=True, slots=True)
class OrderView:
    id: uuid.UUID
    number: int
    status: str
    currency: str
    tax_mode: str
    subtotal_minor: int
    discount_minor: int
    tax_minor: int
    total_minor: int
    tip_minor: int
    at: datetime
    lines: tuple[LineView, ...]
    tenders: tuple[TenderView, ...]
    refunded_minor: int


@dataclass(frozen=True, slots=True)
class Email:
    subject: str
    text: str
    html: str


_WORDS: dict[str, dict[str, str]] = {
    "en_US": {
        "receipt_subject": "Your receipt from {shop}, order #{number}",
        "receipt_title": "Receipt",
        "order_received": "{shop}: we received your order #{number}.",
        "order_ready": "{shop}: your order #{number} is ready for pickup.",
        "order_cancelled": "{shop}: your order #{number} was cancelled.",
        "order_refunded": "{shop}: we refunded {amount} for your order #{number}.",
        "receipt_sms": "{shop}: thank you! Order #{number}, total {amount}.",
        "subject_update": "{shop}: order #{number}",
        "order": "Order #{number}",
        "subtotal": "Subtotal",
        "discounts": "Discounts",
        "tax": "Tax",
        "tax_included": "Tax included",
        "total": "Total",
        "tip": "Tip",
        "paid_with": "Paid with",
        "cash": "Cash",
        "card": "Card",
        "change": "Change",
        "refunded": "Refunded",
        "why": "You get this email because you gave this address at {shop}.",
        "unsubscribe": "Unsubscribe",
        "sms_stop": "Reply STOP to opt out.",
    },
    "pt_BR": {
        "receipt_subject": "Seu recibo de {shop}, pedido nº {number}",
        "receipt_title": "Recibo",
        "order_received": "{shop}: recebemos seu pedido nº {number}.",
        "order_ready": "{shop}: seu pedido nº {number} está pronto para retirada.",
        "order_cancelled": "{shop}: seu pedido nº {number} foi cancelado.",
        "order_refunded": "{shop}: reembolsamos {amount} do seu pedido nº {number}.",
        "receipt_sms": "{shop}: obrigado! Pedido nº {number}, total {amount}.",
        "subject_update": "{shop}: pedido nº {number}",
        "order": "Pedido nº {number}",
        "subtotal": "Subtotal",
        "discounts": "Descontos",
        "tax": "Impostos",
        "tax_included": "Impostos incluídos",
        "total": "Total",
        "tip": "Gorjeta",
        "paid_with": "Pago com",
        "cash": "Dinheiro",
        "card": "Cartão",
        "change": "Troco",
        "refunded": "Reembolsado",
        "why": "Você recebe este e-mail porque informou este endereço em {shop}.",
        "unsubscribe": "Cancelar inscrição",
        "sms_stop": "Responda STOP para sair.",
    },
}


def _words(locale: str) -> dict[str, str]:
    return _WORDS.get(locale, _WORDS["en_US"])


def _money(amount_minor: int, order: OrderView, locale: str) -> str:
    return format_money(amount_minor, order.currency, locale)


def short_text(kind: str, *, shop: str, order: OrderView, locale: str) -> str:
    """The one-sentence message: an SMS body, or an email update's text."""
    words = _words(locale)
    amount = _money(order.refunded_minor if kind == "order_refunded" else order.total_minor,
                    order, locale)  # fmt: skip
    template = words["receipt_sms"] if kind == "receipt" else words[kind]
    return template.format(shop=shop, number=order.number, amount=amount)


def sms(kind: str, *, shop: str, order: OrderView, locale: str) -> str:
    body = short_text(kind, shop=shop, order=order, locale=locale)
    if kind != "receipt":
        body += " " + _words(locale)["sms_stop"]
    return body


def _tender_label(tender: TenderView, words: dict[str, str]) -> str:
    if tender.kind == "cash":
        return words["cash"]
    brand = (tender.card_brand or words["card"]).replace("_", " ").title()
    return f"{brand} •••• {tender.card_last4}" if tender.card_last4 else brand


def _summary_rows(order: OrderView, words: dict[str, str], locale: str) -> list[tuple[str, str]]:
    rows = [(words["subtotal"], _money(order.subtotal_minor, order, locale))]
    if order.discount_minor:
        rows.append((words["discounts"], _money(-order.discount_minor, order, locale)))
    tax_label = words["tax_included"] if order.tax_mode == "inclusive" else words["tax"]
    rows.append((tax_label, _money(order.tax_minor, order, locale)))
    rows.append((words["total"], _money(order.total_minor, order, locale)))
    if order.tip_minor:
        rows.append((words["tip"], _money(order.tip_minor, order, locale)))
    for tender in order.tenders:
        amount = tender.amount_minor + tender.tip_minor
        rows.append(
            (f"{words['paid_with']} {_tender_label(tender, words)}", _money(amount, order, locale))
        )
        if tender.change_minor:
            rows.append((words["change"], _money(tender.change_minor, order, locale)))
    if order.refunded_minor:
        rows.append((words["refunded"], _money(-order.refunded_minor, order, locale)))
    return rows


def email(
    kind: str, *, shop: str, order: OrderView, locale: str, unsubscribe_url: str | None
) -> Email:
    words = _words(locale)
    footer = words["why"].format(shop=shop)
    if kind != "receipt":
        text = short_text(kind, shop=shop, order=order, locale=locale)
        subject = words["subject_update"].format(shop=shop, number=order.number)
        text_body = f"{text}\n\n-- \n{footer}\n"
        html_body = f"<p>{html.escape(text)}</p>"
    else:
        subject = words["receipt_subject"].format(shop=shop, number=order.number)
        text_body, html_body = _receipt(order, shop=shop, words=words, locale=locale)
        text_body += f"\n-- \n{footer}\n"
    if unsubscribe_url:
        text_body += f"{words['unsubscribe']}: {unsubscribe_url}\n"
    link = (
        f' <a href="{html.escape(unsubscribe_url)}">{html.escape(words["unsubscribe"])}</a>'
        if unsubscribe_url
        else ""
    )
    document = (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f"<title>{html.escape(subject)}</title></head>"
        '<body style="font-family:sans-serif;max-width:32em;margin:auto">'
        f"{html_body}"
        f'<p style="color:#666;font-size:small">{html.escape(footer)}{link}</p>'
        "</body></html>"
    )
    return Email(subject=subject, text=text_body, html=document)


def _receipt(order: OrderView, *, shop: str, words: dict[str, str], locale: str) -> tuple[str, str]:
    when = order.at.strftime("%Y-%m-%d %H:%M UTC")
    title = words["order"].format(number=order.number)
    text_lines = [shop, f"{title} · {when}", ""]
    html_rows = []
    for line in order.lines:
        amount = _money(line.total_minor, order, locale)
        text_lines.append(f"{line.quantity} × {line.name}  {amount}")
        html_rows.append(
            f"<tr><td>{line.quantity} × {html.escape(line.name)}</td>"
            f'<td style="text-align:right">{html.escape(amount)}</td></tr>'
        )
    text_lines.append("")
    summary = _summary_rows(order, words, locale)
    text_lines.extend(f"{label}  {value}" for label, value in summary)
    html_summary = "".join(
        f"<tr><td>{html.escape(label)}</td>"
        f'<td style="text-align:right">{html.escape(value)}</td></tr>'
        for label, value in summary
    )
    html_body = (
        f"<h1>{html.escape(shop)}</h1>"
        f"<p>{html.escape(words['receipt_title'])}: {html.escape(title)} · {html.escape(when)}</p>"
        f'<table style="width:100%">{"".join(html_rows)}'
        f'<tr><td colspan="2"><hr></td></tr>{html_summary}</table>'
    )
    return "\n".join(text_lines) + "\n", html_body
