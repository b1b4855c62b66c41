"""The words and the rules, without a database: money as text, messages per kind and
language, and who may be sent what."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from pos_app.domain import money_text
from sync_server.kit.currency import format_money
from sync_server.notifications import render
from sync_server.notifications.schemas import Notification, refusal

ORDER = render.OrderView(
    id=uuid.uuid4(),
    number=31,
    status="paid",
    currency="BRL",
    tax_mode="inclusive",
    subtotal_minor=5000,
    discount_minor=500,
    tax_minor=300,
    total_minor=4500,
    tip_minor=0,
    at=datetime(2026, 3, 14, 12, 0, tzinfo=UTC),
    lines=(render.LineView("Pão de queijo", 10, 4500),),
    tenders=(render.TenderView("cash", 4500, 0, 500, None, None),),
    refunded_minor=1250,
)


@pytest.mark.parametrize(
    ("amount", "currency", "locale", "text"),
    [
        (1_234_567, "USD", "en_US", "$12,345.67"),
        (1_234_567, "BRL", "pt_BR", "R$\u00a012.345,67"),
        (1_234_567, "EUR", "pt_BR", "€\u00a012.345,67"),
        (1_234_567, "USD", "pt_BR", "US$\u00a012.345,67"),
        (5, "USD", "en_US", "$0.05"),
        (-450, "USD", "en_US", "-$4.50"),
        (1500, "JPY", "en_US", "¥1,500"),
        (1500, "KWD", "en_US", "KWD\u00a01.500"),
        (100, "XTS", "en_US", "XTS\u00a01.00"),
    ],
)
def test_money_as_customers_read_it(amount: int, currency: str, locale: str, text: str) -> None:
    assert format_money(amount, currency, locale) == text


@pytest.mark.parametrize("locale", ["en_US", "pt_BR"])
@pytest.mark.parametrize("currency", ["USD", "BRL", "EUR", "JPY", "KWD", "CHF"])
def test_messages_write_money_as_the_register_does(currency: str, locale: str) -> None:
    """An e-mailed receipt and the counter's screen and paper: one formatter."""
    for amount in (0, 5, -450, 1_234_567, 10**12):
        assert format_money(amount, currency, locale) == money_text.format_money(
            amount, currency, locale
        )


STOP_EN = " Reply STOP to opt out."
STOP_PT = " Responda STOP para sair."


@pytest.mark.parametrize(
    ("kind", "locale", "body"),
    [
        ("order_received", "en_US", "Café: we received your order #31." + STOP_EN),
        ("order_cancelled", "pt_BR", "Café: seu pedido nº 31 foi cancelado." + STOP_PT),
        (
            "order_refunded",
            "pt_BR",
            "Café: reembolsamos R$\u00a012,50 do seu pedido nº 31." + STOP_PT,
        ),
        ("receipt", "en_US", "Café: thank you! Order #31, total R$45.00."),
        ("order_ready", "fr_FR", "Café: your order #31 is ready for pickup." + STOP_EN),
    ],
)
def test_sms_per_kind_and_language(kind: str, locale: str, body: str) -> None:
    assert render.sms(kind, shop="Café", order=ORDER, locale=locale) == body


def test_the_receipt_shows_discounts_tax_included_change_and_refunds() -> None:
    email = render.email("receipt", shop="Café <Bar>", order=ORDER, locale="pt_BR",
                         unsubscribe_url=None)  # fmt: skip
    for expected in ("Descontos  -R$\u00a05,00", "Impostos incluídos  R$\u00a03,00",
                     "Troco  R$\u00a05,00", "Pago com Dinheiro  R$\u00a045,00",
                     "Reembolsado  -R$\u00a012,50",
                     "10 × Pão de queijo  R$\u00a045,00"):  # fmt: skip
        assert expected in email.text, expected
    assert "Café &lt;Bar&gt;" in email.html
    assert "Cancelar inscrição" not in email.text  # no public address: no link


def _notification(kind: str, consent: bool) -> Notification:
    return Notification(
        id=uuid.uuid4(), order_id=uuid.uuid4(), kind=kind, channel="email",
        to_address="ana@example.com", customer_id=None, consent=consent, locale="en_US",
        created_at=datetime.now(UTC), status="queued", attempts=0,
    )  # fmt: skip


def test_who_may_be_sent_what() -> None:
    assert refusal(_notification("receipt", False), opted_out=False, customer_consent=None) is None
    assert refusal(_notification("receipt", False), opted_out=True, customer_consent=None)
    for kind in ("order_received", "order_ready", "order_cancelled", "order_refunded"):
        assert refusal(_notification(kind, False), opted_out=False, customer_consent=None)
        assert refusal(_notification(kind, True), opted_out=False, customer_consent=None) is None
        assert refusal(_notification(kind, True), opted_out=False, customer_consent=True) is None
        assert refusal(_notification(kind, True), opted_out=False, customer_consent=False)
        assert refusal(_notification(kind, True), opted_out=True, customer_consent=True)
