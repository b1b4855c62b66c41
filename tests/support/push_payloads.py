"""Valid push payloads, as a register sends them to `POST /v1/sync/push` (orders, refunds,
card payments, customer notifications, and the change that carries each): worked examples of
the push contract (`sync_server.sync.schemas`), for tests and benchmarks."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import httpx

from pos_app.domain.pricing import PricingLine, TaxMode, compute_totals
from sync_server.kit.ids import uuid7
from tests.support.sync_server_tenants import Device


def iso(moment: datetime) -> str:
    return moment.isoformat()


def build_order(
    *,
    lines: list[tuple[str, str, int, int, int]],
    paid_at: datetime | None,
    currency: str = "EUR",
    tax_mode: str = "inclusive",
    tip_minor: int = 0,
    status: str = "paid",
    order_id: uuid.UUID | None = None,
    number: int = 1,
) -> tuple[uuid.UUID, dict[str, Any]]:
    """A consistent order, priced by the register's own rule (`pos_app.domain.pricing`: tax
    rounded once per rate per order, then spread over the lines), so the server's check accepts
    it. `lines`: (sku, name, quantity, unit price, tax ppm)."""
    priced = compute_totals(
        [
            PricingLine(position, unit_price, quantity, tax_ppm)
            for position, (_, _, quantity, unit_price, tax_ppm) in enumerate(lines)
        ],
        TaxMode(tax_mode),
    )
    built_lines: list[dict[str, Any]] = []
    for position, ((sku, name, quantity, unit_price, tax_ppm), figures) in enumerate(
        zip(lines, priced.lines, strict=True)
    ):
        built_lines.append(
            {
                "id": str(uuid7()),
                "position": position,
                "product_id": None,
                "category_id": None,
                "sku": sku,
                "name": name,
                "quantity": quantity,
                "unit_price_minor": unit_price,
                "tax_rate_ppm": tax_ppm,
                "gross_minor": figures.gross_minor,
                "line_discount_minor": 0,
                "order_discount_minor": 0,
                "net_minor": figures.net_minor,
                "tax_minor": figures.tax_minor,
                "total_minor": figures.total_minor,
                "note": "",
                "modifiers": [],
            }
        )
    total = sum(line["total_minor"] for line in built_lines)
    created = paid_at or datetime(2026, 3, 1, 12, tzinfo=UTC)
    order_id = order_id or uuid7()
    data = {
        "number": number,
        "register_id": str(uuid7()),
        "status": status,
        "currency": currency,
        "tax_mode": tax_mode,
        "subtotal_minor": sum(line["gross_minor"] for line in built_lines),
        "line_discount_minor": 0,
        "order_discount_minor": 0,
        "tax_minor": sum(line["tax_minor"] for line in built_lines),
        "total_minor": total,
        "tip_minor": tip_minor if status == "paid" else 0,
        "created_at": iso(created),
        "paid_at": iso(paid_at) if paid_at and status == "paid" else None,
        "voided_at": iso(created) if status == "voided" else None,
        "void_reason": "customer left" if status == "voided" else None,
        "staff_id": None,
        "shift_id": None,
        "customer_id": None,
        "lines": built_lines,
        "tenders": [
            {
                "id": str(uuid7()),
                "kind": "card",
                "amount_minor": total,
                "tip_minor": tip_minor,
                "tendered_minor": total + tip_minor,
                "change_minor": 0,
                "card_brand": "visa",
                "card_last4": "4242",
                "payment_id": None,
            }
        ]
        if status == "paid"
        else [],
    }
    return order_id, data


def change(seq: int, entity: str, entity_id: uuid.UUID | str, data: dict[str, Any],
           occurred_at: datetime | None = None) -> dict[str, Any]:  # fmt: skip
    return {
        "seq": seq,
        "entity": entity,
        "id": str(entity_id),
        "occurred_at": iso(occurred_at or datetime.now(UTC)),
        "data": data,
    }


def build_refund(
    order: dict[str, Any],
    *,
    created_at: datetime,
    line_indexes: list[int] | None = None,
    status: str = "succeeded",
    order_id: uuid.UUID,
) -> tuple[uuid.UUID, dict[str, Any]]:
    """A full refund of the chosen lines (all lines by default)."""
    chosen = [order["lines"][i] for i in (line_indexes or range(len(order["lines"])))]
    lines = [
        {
            "line_id": line["id"],
            "quantity": line["quantity"],
            "amount_minor": line["total_minor"],
            "tax_minor": line["tax_minor"],
        }
        for line in chosen
    ]
    amount = sum(line["amount_minor"] for line in lines)
    return uuid7(), {
        "order_id": str(order_id),
        "amount_minor": amount,
        "tax_minor": sum(line["tax_minor"] for line in lines),
        "reason": "customer changed mind",
        "status": status,
        "created_at": iso(created_at),
        "staff_id": None,
        "approved_by_id": None,
        "lines": lines,
        "allocations": [
            {
                "id": str(uuid7()),
                "tender_id": order["tenders"][0]["id"],
                "kind": "card",
                "amount_minor": amount,
                "status": status,
                "gateway_refund_id": None,
            }
        ],
    }


def push(client: httpx.Client, device: Device, batch: list[dict[str, Any]]) -> httpx.Response:
    return client.post(
        "/v1/sync/push",
        json={"device_id": str(device.device_id), "batch": batch},
        headers=device.headers,
    )


def build_payment(
    order_id: uuid.UUID,
    order: dict[str, Any],
    *,
    gateway_payment_id: str | None,
    gateway_charge_id: str | None,
    status: str = "captured",
    currency: str | None = None,
    created_at: datetime | None = None,
) -> tuple[uuid.UUID, dict[str, Any]]:
    """The card payment of `order` as the register pushes it (Stripe ids from the gateway)."""
    moment = iso(created_at or datetime.now(UTC))
    amount = order["total_minor"]
    return uuid7(), {
        "order_id": str(order_id),
        "gateway": "stripe",
        "gateway_payment_id": gateway_payment_id,
        "gateway_charge_id": gateway_charge_id,
        "status": status,
        "amount_minor": amount,
        "tip_minor": 0,
        "currency": currency or order["currency"],
        "card_brand": "visa",
        "card_last4": "4242",
        "captured_minor": amount if status == "captured" else 0,
        "refunded_minor": 0,
        "created_at": moment,
        "updated_at": moment,
    }


def build_notification(
    order_id: uuid.UUID | None,
    *,
    kind: str = "receipt",
    channel: str = "email",
    to: str = "ana@example.com",
    consent: bool = False,
    locale: str = "en_US",
    customer_id: uuid.UUID | None = None,
) -> tuple[uuid.UUID, dict[str, Any]]:
    """A customer notification as the register queues it (see `sync.schemas`)."""
    return uuid7(), {
        "order_id": str(order_id) if order_id else None,
        "kind": kind,
        "channel": channel,
        "to": to,
        "customer_id": str(customer_id) if customer_id else None,
        "consent": consent,
        "locale": locale,
        "created_at": iso(datetime.now(UTC)),
    }
