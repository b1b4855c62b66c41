"""Credit notes: lowering what an invoice asks for, or giving back part of what was paid.

On an open (or uncollectible) invoice a credit note lowers what is due (`pre_payment`; an
invoice credited to zero is paid, and its PaymentIntent asks for the rest). On a paid invoice
(`post_payment`) it must be allotted, in full, to `refund_amount` (a refund of the invoice's
charge, refused while the charge is disputed), `credit_amount` (the customer's balance, taken
off the next invoice at finalization) and `out_of_band_amount` (settled outside Stripe). A
credit note is made from an `amount` or from `lines` (an invoice line, in part or whole, or a
custom line); together they never exceed the invoice's total. One on an invoice still open can
be voided, which gives the amount back to what is due.

Callers hold `store.lock` for every method here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pos_app.payments.emulator.billing import Billing, embedded_page
from pos_app.payments.emulator.errors import (
    invalid_request,
    missing_parameter,
    resource_missing,
    validation_error,
)
from pos_app.payments.emulator.events import EventLog
from pos_app.payments.emulator.forms import Params, merge_metadata
from pos_app.payments.emulator.payments import format_amount
from pos_app.payments.emulator.store import JSONObject, RequestContext, Store, new_id

REASONS = ("duplicate", "fraudulent", "order_change", "product_unsatisfactory")


class CreditNotes:
    def __init__(
        self,
        store: Store,
        events: EventLog,
        billing: Billing,
        refund_blocked: Callable[[JSONObject], bool],
    ) -> None:
        self.store = store
        self.events = events
        self.billing = billing
        self.refund_blocked = refund_blocked

    def create(self, params: Params, ctx: RequestContext) -> JSONObject:
        invoice = self.billing.get_invoice(params.get_str("invoice", required=True) or "")
        status = invoice["status"]
        if status not in ("open", "paid", "uncollectible"):
            raise invalid_request(
                f"You can only create a credit note for an open, paid or uncollectible invoice; "
                f"this invoice is {status}.",
                param="invoice",
            )
        lines = self._credit_lines(invoice, params.get_list("lines") or [])
        amount = params.get_int("amount")
        if lines:
            total = sum(line["amount"] for line in lines)
            if amount is not None and amount != total:
                raise invalid_request(
                    f"The amount ({amount}) must equal the sum of the lines ({total}).",
                    param="amount",
                )
            amount = total
        if amount is None:
            raise validation_error(
                "You must pass either `amount` or `lines` to create a credit note.",
                param="amount",
            )
        if amount <= 0:
            raise validation_error("Invalid positive integer", param="amount")
        credited = sum(
            note["amount"]
            for note in self.store.all("cn")
            if note["invoice"] == invoice["id"] and note["status"] == "issued"
        )
        creditable = invoice["total"] - credited
        if amount > creditable:
            raise invalid_request(
                f"The credit note amount ({format_amount(amount, invoice['currency'])}) exceeds "
                f"what is left to credit on this invoice "
                f"({format_amount(max(creditable, 0), invoice['currency'])}).",
                param="amount",
            )
        credit_amount = params.get_int("credit_amount", minimum=0) or 0
        refund_amount = params.get_int("refund_amount", minimum=0) or 0
        out_of_band = params.get_int("out_of_band_amount", minimum=0)
        post = credit_amount + refund_amount + (out_of_band or 0)
        if status == "paid":
            if post != amount:
                raise invalid_request(
                    "For a paid invoice, credit_amount, refund_amount and out_of_band_amount "
                    f"must add up to the credit note's amount ({amount}); they add up to "
                    f"{post}.",
                    param="amount",
                )
            paid_left = invoice["amount_paid"] - invoice["post_payment_credit_notes_amount"]
            if post > paid_left:
                raise invalid_request(
                    f"The credit note ({amount}) exceeds what was paid and not yet credited "
                    f"({paid_left}).",
                    param="amount",
                )
        elif post:
            raise invalid_request(
                "credit_amount, refund_amount and out_of_band_amount apply to paid invoices; "
                "on an unpaid invoice a credit note lowers the amount due.",
                param=next(
                    name
                    for name, value in (
                        ("credit_amount", credit_amount),
                        ("refund_amount", refund_amount),
                        ("out_of_band_amount", out_of_band),
                    )
                    if value
                ),
            )
        elif amount > invoice["amount_remaining"]:
            raise invalid_request(
                f"The credit note amount ({amount}) exceeds the invoice's amount remaining "
                f"({invoice['amount_remaining']}).",
                param="amount",
            )
        customer = self.billing.customers.get(invoice["customer"])
        refund_id: str | None = None
        if refund_amount:
            charge_id = invoice["charge"]
            if charge_id is None:
                raise invalid_request(
                    "This invoice was not paid by a charge; nothing can be refunded.",
                    param="refund_amount",
                )
            refund = self.billing.payments.create_refund(
                Params({"charge": charge_id, "amount": str(refund_amount)}),
                ctx,
                disputed=self.refund_blocked,
            )
            refund_id = refund["id"]
        if credit_amount:
            customer["balance"] -= credit_amount
        count = sum(1 for note in self.store.all("cn") if note["invoice"] == invoice["id"])
        note_id = new_id("cn")
        now = self.store.clock.timestamp()
        if not lines:
            lines = [self._custom_line(amount, params.get_str("memo") or "Credit", 1)]
        for line in lines:
            line["id"] = new_id("cnli")
        note: JSONObject = {
            "id": note_id,
            "object": "credit_note",
            "amount": amount,
            "amount_shipping": 0,
            "created": now,
            "currency": invoice["currency"],
            "customer": invoice["customer"],
            "customer_balance_transaction": None,
            "discount_amount": 0,
            "discount_amounts": [],
            "effective_at": now,
            "invoice": invoice["id"],
            "lines": {
                "object": "list",
                "data": lines,
                "has_more": False,
                "total_count": len(lines),
                "url": f"/v1/credit_notes/{note_id}/lines",
            },
            "livemode": False,
            "memo": params.get_str("memo") or None,
            "metadata": merge_metadata({}, params.metadata()),
            "number": f"{invoice['number']}-CN-{count + 1:02d}",
            "out_of_band_amount": out_of_band,
            "pdf": None,
            "reason": params.get_choice("reason", REASONS),
            "refund": refund_id,
            "shipping_cost": None,
            "status": "issued",
            "subtotal": amount,
            "subtotal_excluding_tax": amount,
            "tax_amounts": [],
            "total": amount,
            "total_excluding_tax": amount,
            "type": "post_payment" if status == "paid" else "pre_payment",
            "voided_at": None,
        }
        self.store.add(note)
        if status == "paid":
            invoice["post_payment_credit_notes_amount"] += amount
        else:
            invoice["pre_payment_credit_notes_amount"] += amount
            invoice["amount_due"] -= amount
            invoice["amount_remaining"] -= amount
            self.billing.sync_payment_intent(invoice)
        self.events.emit("credit_note.created", note, ctx)
        if status != "paid" and invoice["amount_remaining"] == 0:
            self.billing.cancel_payment_intent(invoice, ctx)
            self.billing.mark_paid(invoice, ctx, settled_by_payment=False)
        return note

    def _credit_lines(self, invoice: JSONObject, raw: list[Any]) -> list[JSONObject]:
        lines: list[JSONObject] = []
        by_id = {line["id"]: line for line in invoice["lines"]["data"]}
        for index, item in enumerate(raw):
            if not isinstance(item, dict):
                raise validation_error(f"Invalid object: lines[{index}]", param=f"lines[{index}]")
            line_params = Params(item)
            kind = line_params.get_choice("type", ("custom_line_item", "invoice_line_item"))
            quantity = line_params.get_int("quantity", minimum=1)
            amount = line_params.get_int("amount", minimum=0)
            if kind == "invoice_line_item":
                line_id = line_params.get_str("invoice_line_item") or ""
                line = by_id.get(line_id)
                if line is None:
                    raise resource_missing(
                        "invoice line item", line_id, f"lines[{index}][invoice_line_item]"
                    )
                if amount is None:
                    unit = int(line["unit_amount_excluding_tax"])
                    amount = unit * (quantity or line["quantity"])
                if amount > line["amount"]:
                    raise invalid_request(
                        f"The credit for line {line_id} ({amount}) exceeds the line's amount "
                        f"({line['amount']}).",
                        param=f"lines[{index}][amount]",
                    )
                lines.append(
                    {
                        "id": "",
                        "object": "credit_note_line_item",
                        "amount": amount,
                        "amount_excluding_tax": amount,
                        "description": line["description"],
                        "discount_amount": 0,
                        "discount_amounts": [],
                        "invoice_line_item": line_id,
                        "livemode": False,
                        "quantity": quantity or line["quantity"],
                        "tax_amounts": [],
                        "tax_rates": [],
                        "type": "invoice_line_item",
                        "unit_amount": None,
                        "unit_amount_decimal": None,
                        "unit_amount_excluding_tax": str(amount),
                    }
                )
            else:
                unit_amount = line_params.get_int("unit_amount", minimum=0)
                if unit_amount is None:
                    raise missing_parameter(f"lines[{index}][unit_amount]")
                description = line_params.get_str("description") or None
                lines.append(self._custom_line(unit_amount, description, quantity or 1))
        return lines

    @staticmethod
    def _custom_line(unit_amount: int, description: str | None, quantity: int) -> JSONObject:
        amount = unit_amount * quantity
        return {
            "id": "",
            "object": "credit_note_line_item",
            "amount": amount,
            "amount_excluding_tax": amount,
            "description": description,
            "discount_amount": 0,
            "discount_amounts": [],
            "livemode": False,
            "quantity": quantity,
            "tax_amounts": [],
            "tax_rates": [],
            "type": "custom_line_item",
            "unit_amount": unit_amount,
            "unit_amount_decimal": str(unit_amount),
            "unit_amount_excluding_tax": str(unit_amount),
        }

    def get(self, note_id: str) -> JSONObject:
        return self.store.get("cn", note_id, "id")

    def update(self, note_id: str, params: Params, ctx: RequestContext) -> JSONObject:
        note = self.get(note_id)
        previous: JSONObject = {}
        if params.has("memo"):
            previous["memo"] = note["memo"]
            note["memo"] = params.get_str("memo") or None
        metadata = params.metadata()
        if metadata is not None:
            previous["metadata"] = note["metadata"]
            note["metadata"] = merge_metadata(note["metadata"], metadata)
        if previous:
            self.events.emit("credit_note.updated", note, ctx, previous)
        return note

    def void(self, note_id: str, ctx: RequestContext) -> JSONObject:
        note = self.get(note_id)
        invoice = self.billing.get_invoice(note["invoice"])
        if note["status"] != "issued":
            raise invalid_request("This credit note is already void.", param="id")
        if note["type"] != "pre_payment" or invoice["status"] not in ("open", "uncollectible"):
            raise invalid_request(
                "Only a credit note on an invoice that is still open (or uncollectible) can be "
                f"voided; its invoice is {invoice['status']}.",
                param="id",
            )
        note["status"] = "void"
        note["voided_at"] = self.store.clock.timestamp()
        invoice["pre_payment_credit_notes_amount"] -= note["amount"]
        invoice["amount_due"] += note["amount"]
        invoice["amount_remaining"] += note["amount"]
        self.billing.sync_payment_intent(invoice)
        self.events.emit("credit_note.voided", note, ctx)
        return note

    def list(self, params: Params) -> JSONObject:
        invoice = params.get_str("invoice")
        customer = params.get_str("customer")
        return self.store.list_page(
            "cn",
            params,
            "/v1/credit_notes",
            lambda note: (
                (invoice is None or note["invoice"] == invoice)
                and (customer is None or note["customer"] == customer)
            ),
        )

    def list_lines(self, note_id: str, params: Params) -> JSONObject:
        note = self.get(note_id)
        return embedded_page(
            note["lines"]["data"], params, note["lines"]["url"], "credit_note_line_item"
        )
