"""Invoices and invoice items, with Stripe's invoice state machine, and the hosted page.

draft --finalize--> open --pay (card approved)--> paid
  |                  |--void--> void
  |                  \\--mark_uncollectible--> uncollectible --pay--> paid, --void--> void
  \\--delete (drafts only)

Finalizing applies the customer's balance (a credit lowers `amount_due`, a debt raises it),
numbers the invoice `<customer prefix>-0001`, gives it a hosted page and a PaymentIntent. An
amount due of zero is paid at once; one below Stripe's minimum charge for the currency is
marked paid and carried to the customer's balance, so the next invoice collects it.

Collection: with `auto_advance`, a `charge_automatically` invoice is charged right after it is
finalized and, when the card fails, retried on a fixed schedule (`retry_days`: days after the
previous attempt; Smart Retries simplified), each attempt counted in `attempt_count` and
followed by `invoice.payment_failed` or `invoice.paid`; the next one is in
`next_payment_attempt`. After the last failure the invoice is marked uncollectible (or left
open: `final_action`). Each attempt charges the default card as it is then (the invoice's, else
the customer's), so swapping the default card between attempts works, as at Stripe.

Credit notes, which change what an invoice asks for, are in credit_notes.py.

Callers hold `store.lock` for every method here.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

from pos_app.payments.emulator.cards import CardOutcome, online_outcome
from pos_app.payments.emulator.customers import Customers, card_of
from pos_app.payments.emulator.errors import (
    StripeError,
    invalid_request,
    missing_parameter,
    resource_missing,
    validation_error,
    with_payment_intent,
)
from pos_app.payments.emulator.events import EventLog
from pos_app.payments.emulator.forms import Params, merge_metadata, parse_int
from pos_app.payments.emulator.payments import MINIMUM_AMOUNTS, Payments, format_amount
from pos_app.payments.emulator.search import search_page
from pos_app.payments.emulator.store import AUTOMATIC, JSONObject, RequestContext, Store, new_id

INVOICE_SEARCH_FIELDS = {
    "created",
    "currency",
    "customer",
    "metadata",
    "number",
    "receipt_number",
    "status",
    "subscription",
    "total",
}
DEFAULT_RETRY_DAYS = (3.0, 5.0, 7.0)
# Stripe finalizes a draft with auto_advance about an hour after it was created.
AUTO_FINALIZE_SECONDS = 3600
FINAL_ACTIONS = ("mark_uncollectible", "leave_open")
HOSTED_PATH = "/i/"
DAY = 86400


def not_editable(invoice: JSONObject, what: str = "edited") -> StripeError:
    return StripeError(
        400,
        f"This invoice can no longer be {what} because it has a status of {invoice['status']}.",
        code="invoice_not_editable",
    )


class Billing:
    def __init__(
        self,
        store: Store,
        events: EventLog,
        payments: Payments,
        customers: Customers,
        schedule: Callable[[float, Callable[[], None]], None],
        base_url: Callable[[], str],
        *,
        retry_days: Sequence[float] = DEFAULT_RETRY_DAYS,
        final_action: str = "mark_uncollectible",
        search_delay: float = 0.0,
    ) -> None:
        if final_action not in FINAL_ACTIONS:
            raise ValueError(f"final_action must be one of {FINAL_ACTIONS}")
        self.store = store
        self.events = events
        self.payments = payments
        self.customers = customers
        self.schedule = schedule
        self.base_url = base_url
        self.retry_days = tuple(retry_days)
        self.final_action = final_action
        self.search_delay = search_delay

    # -- invoice items -------------------------------------------------------------------------
    def create_item(self, params: Params, ctx: RequestContext) -> JSONObject:
        customer = self.customers.get(params.get_str("customer", required=True) or "")
        invoice: JSONObject | None = None
        invoice_id = params.get_str("invoice")
        if invoice_id:
            invoice = self.store.get("in", invoice_id, "invoice")
            if invoice["status"] != "draft":
                raise not_editable(invoice)
            if invoice["customer"] != customer["id"]:
                raise invalid_request(
                    f"The invoice {invoice_id} belongs to another customer.", param="invoice"
                )
        quantity = params.get_int("quantity")
        amount = params.get_int("amount")
        unit_amount = params.get_int("unit_amount")
        if amount is not None and unit_amount is not None:
            raise validation_error(
                "You may only specify one of these parameters: amount, unit_amount.",
                param="unit_amount",
            )
        if amount is not None:
            if quantity not in (None, 1):
                raise validation_error(
                    "Pass `unit_amount` with `quantity`; `amount` is the total of one item.",
                    param="quantity",
                )
            unit_amount, quantity = amount, 1
        elif unit_amount is not None:
            quantity = 1 if quantity is None else quantity
            amount = unit_amount * quantity
        else:
            raise missing_parameter("amount")
        currency = (params.get_str("currency") or "").lower() or (
            invoice["currency"] if invoice else customer["currency"]
        )
        if not currency:
            raise missing_parameter("currency")
        if invoice is not None and currency != invoice["currency"]:
            raise invalid_request(
                f"The currency of the invoice item ({currency}) must match the invoice's "
                f"({invoice['currency']}).",
                param="currency",
            )
        now = self.store.clock.timestamp()
        period = params.get_dict("period") or {}
        item: JSONObject = {
            "id": new_id("ii"),
            "object": "invoiceitem",
            "amount": amount,
            "currency": currency,
            "customer": customer["id"],
            "date": now,
            "description": params.get_str("description") or None,
            "discountable": True,
            "discounts": [],
            "invoice": invoice["id"] if invoice else None,
            "livemode": False,
            "metadata": merge_metadata({}, params.metadata()),
            "period": {
                "end": parse_int(period.get("end")) or now,
                "start": parse_int(period.get("start")) or now,
            },
            "price": self._inline_price(currency, unit_amount, now),
            "proration": False,
            "quantity": quantity,
            "subscription": None,
            "tax_rates": [],
            "test_clock": None,
            "unit_amount": unit_amount,
            "unit_amount_decimal": str(unit_amount),
        }
        self.store.add(item)
        self.events.emit("invoiceitem.created", item, ctx)
        if invoice is not None:
            self._refresh(invoice)
        return item

    @staticmethod
    def _inline_price(currency: str, unit_amount: int, now: int) -> JSONObject:
        return {
            "id": new_id("price"),
            "object": "price",
            "active": False,
            "billing_scheme": "per_unit",
            "created": now,
            "currency": currency,
            "custom_unit_amount": None,
            "livemode": False,
            "lookup_key": None,
            "metadata": {},
            "nickname": None,
            "product": new_id("prod", 14),
            "recurring": None,
            "tax_behavior": "unspecified",
            "tiers_mode": None,
            "transform_quantity": None,
            "type": "one_time",
            "unit_amount": unit_amount,
            "unit_amount_decimal": str(unit_amount),
        }

    def get_item(self, item_id: str) -> JSONObject:
        return self.store.get("ii", item_id, "invoiceitem")

    def update_item(self, item_id: str, params: Params, ctx: RequestContext) -> JSONObject:
        item = self.get_item(item_id)
        invoice = self.store.find(item["invoice"])
        changes_money = params.has("amount") or params.has("description")
        if invoice is not None and invoice["status"] != "draft" and changes_money:
            raise not_editable(invoice)
        previous: JSONObject = {}
        amount = params.get_int("amount")
        if amount is not None and amount != item["amount"]:
            previous["amount"] = item["amount"]
            item.update(amount=amount, quantity=1, unit_amount=amount)
            item["unit_amount_decimal"] = str(amount)
        if params.has("description"):
            previous["description"] = item["description"]
            item["description"] = params.get_str("description") or None
        metadata = params.metadata()
        if metadata is not None:
            previous["metadata"] = item["metadata"]
            item["metadata"] = merge_metadata(item["metadata"], metadata)
        if previous:
            self.events.emit("invoiceitem.updated", item, ctx, previous)
        if invoice is not None and invoice["status"] == "draft":
            self._refresh(invoice)
        return item

    def delete_item(self, item_id: str, ctx: RequestContext) -> JSONObject:
        item = self.get_item(item_id)
        invoice = self.store.find(item["invoice"])
        if invoice is not None and invoice["status"] != "draft":
            raise not_editable(invoice)
        self.store.remove(item_id)
        self.events.emit("invoiceitem.deleted", item, ctx)
        if invoice is not None:
            self._refresh(invoice)
        return {"id": item_id, "object": "invoiceitem", "deleted": True}

    def list_items(self, params: Params) -> JSONObject:
        customer = params.get_str("customer")
        invoice = params.get_str("invoice")
        pending = params.get_bool("pending")

        def keep(item: JSONObject) -> bool:
            return (
                (customer is None or item["customer"] == customer)
                and (invoice is None or item["invoice"] == invoice)
                and (pending is None or (item["invoice"] is None) == pending)
            )

        return self.store.list_page("ii", params, "/v1/invoiceitems", keep)

    # -- invoices ------------------------------------------------------------------------------
    def create_invoice(self, params: Params, ctx: RequestContext) -> JSONObject:
        customer_id = params.get_str("customer")
        if not customer_id:
            raise missing_parameter("customer")
        customer = self.customers.get(customer_id)
        collection = (
            params.get_choice("collection_method", ("charge_automatically", "send_invoice"))
            or "charge_automatically"
        )
        days_until_due = params.get_int("days_until_due", minimum=0)
        due_date = params.get_int("due_date")
        self._check_due(collection, days_until_due, due_date)
        behavior = (
            params.get_choice(
                "pending_invoice_items_behavior", ("exclude", "include", "include_and_require")
            )
            or "exclude"  # the default since API version 2022-08-01
        )
        default_payment_method = params.get_str("default_payment_method") or None
        if default_payment_method is not None:
            self._check_payment_method(default_payment_method, customer, "default_payment_method")
        pending = [
            item
            for item in self.store.all("ii")
            if item["customer"] == customer["id"] and item["invoice"] is None
        ]
        currency = (params.get_str("currency") or "").lower() or None
        if behavior == "exclude":
            pending = []
        else:
            currency = currency or (pending[0]["currency"] if pending else None)
            pending = [item for item in pending if currency is None or item["currency"] == currency]
            if behavior == "include_and_require" and not pending:
                raise StripeError(
                    400,
                    "Nothing to invoice for customer",
                    code="invoice_no_customer_line_items",
                    param="customer",
                )
        currency = currency or customer["currency"] or "usd"
        now = self.store.clock.timestamp()
        invoice_id = new_id("in")
        invoice: JSONObject = {
            "id": invoice_id,
            "object": "invoice",
            "account_country": "US",
            "account_name": "Counter POS (emulator)",
            "account_tax_ids": None,
            "amount_due": 0,
            "amount_paid": 0,
            "amount_remaining": 0,
            "amount_shipping": 0,
            "application": None,
            "application_fee_amount": None,
            "attempt_count": 0,
            "attempted": False,
            "auto_advance": bool(params.get_bool("auto_advance")),
            "automatic_tax": {"enabled": False, "status": None},
            "billing_reason": "manual",
            "charge": None,
            "collection_method": collection,
            "created": now,
            "currency": currency,
            "custom_fields": None,
            "customer": customer["id"],
            "customer_address": customer["address"],
            "customer_email": customer["email"],
            "customer_name": customer["name"],
            "customer_phone": customer["phone"],
            "customer_shipping": None,
            "customer_tax_exempt": customer["tax_exempt"],
            "customer_tax_ids": [],
            "days_until_due": days_until_due,
            "default_payment_method": default_payment_method,
            "default_source": None,
            "default_tax_rates": [],
            "description": params.get_str("description") or None,
            "discount": None,
            "discounts": [],
            "due_date": due_date,
            "effective_at": None,
            "ending_balance": None,
            "footer": params.get_str("footer") or None,
            "from_invoice": None,
            "hosted_invoice_url": None,
            "invoice_pdf": None,
            "last_finalization_error": None,
            "latest_revision": None,
            "lines": {
                "object": "list",
                "data": [],
                "has_more": False,
                "total_count": 0,
                "url": f"/v1/invoices/{invoice_id}/lines",
            },
            "livemode": False,
            "metadata": merge_metadata({}, params.metadata()),
            "next_payment_attempt": None,
            "number": None,
            "on_behalf_of": None,
            "paid": False,
            "paid_out_of_band": False,
            "payment_intent": None,
            "payment_settings": {
                "default_mandate": None,
                "payment_method_options": None,
                "payment_method_types": None,
            },
            "period_end": now,
            "period_start": now,
            "post_payment_credit_notes_amount": 0,
            "pre_payment_credit_notes_amount": 0,
            "quote": None,
            "receipt_number": None,
            "rendering": None,
            "rendering_options": None,
            "shipping_cost": None,
            "shipping_details": None,
            "starting_balance": 0,
            "statement_descriptor": params.get_str("statement_descriptor", max_length=22),
            "status": "draft",
            "status_transitions": {
                "finalized_at": None,
                "marked_uncollectible_at": None,
                "paid_at": None,
                "voided_at": None,
            },
            "subscription": None,
            "subscription_details": {"metadata": None},
            "subtotal": 0,
            "subtotal_excluding_tax": 0,
            "tax": None,
            "test_clock": None,
            "total": 0,
            "total_discount_amounts": [],
            "total_excluding_tax": 0,
            "total_tax_amounts": [],
            "transfer_data": None,
            "webhooks_delivered_at": None,
        }
        self.store.add(invoice)
        for item in pending:
            item["invoice"] = invoice_id
        self._refresh(invoice)
        self.events.emit("invoice.created", invoice, ctx)
        if invoice["auto_advance"]:
            self._schedule_auto_finalize(invoice)
        return invoice

    @staticmethod
    def _check_due(collection: str, days_until_due: int | None, due_date: int | None) -> None:
        if collection == "send_invoice":
            if days_until_due is None and due_date is None:
                raise invalid_request(
                    "Invoices with `collection_method=send_invoice` need either "
                    "`days_until_due` or `due_date`.",
                    param="days_until_due",
                )
            if days_until_due is not None and due_date is not None:
                raise validation_error(
                    "You may only specify one of these parameters: days_until_due, due_date.",
                    param="due_date",
                )
        elif days_until_due is not None or due_date is not None:
            raise invalid_request(
                "You can only set `days_until_due` or `due_date` on invoices with "
                "`collection_method=send_invoice`.",
                param="days_until_due" if days_until_due is not None else "due_date",
            )

    def _check_payment_method(self, pm_id: str, customer: JSONObject, param: str) -> JSONObject:
        payment_method = self.store.get("pm", pm_id, param)
        if payment_method["customer"] != customer["id"]:
            raise invalid_request(
                f"The PaymentMethod {pm_id} does not belong to the Customer {customer['id']}. "
                "Please use a PaymentMethod attached to this Customer.",
                param=param,
            )
        return payment_method

    def _refresh(self, invoice: JSONObject) -> None:
        """A draft's lines and totals from its invoice items."""
        items = [item for item in self.store.all("ii") if item["invoice"] == invoice["id"]]
        lines = [self._line(item) for item in reversed(items)]
        total = sum(line["amount"] for line in lines)
        invoice["lines"]["data"] = lines
        invoice["lines"]["total_count"] = len(lines)
        invoice.update(
            subtotal=total,
            subtotal_excluding_tax=total,
            total=total,
            total_excluding_tax=total,
            amount_due=max(total, 0),
            amount_remaining=max(total, 0),
        )

    @staticmethod
    def _line(item: JSONObject) -> JSONObject:
        return {
            "id": "il_" + item["id"].split("_", 1)[1],
            "object": "line_item",
            "amount": item["amount"],
            "amount_excluding_tax": item["amount"],
            "currency": item["currency"],
            "description": item["description"],
            "discount_amounts": [],
            "discountable": True,
            "discounts": [],
            "invoice_item": item["id"],
            "livemode": False,
            "metadata": dict(item["metadata"]),
            "period": dict(item["period"]),
            "price": item["price"],
            "proration": False,
            "proration_details": {"credited_items": None},
            "quantity": item["quantity"],
            "subscription": None,
            "tax_amounts": [],
            "tax_rates": [],
            "type": "invoiceitem",
            "unit_amount_excluding_tax": str(item["unit_amount"]),
        }

    def get_invoice(self, invoice_id: str) -> JSONObject:
        return self.store.get("in", invoice_id, "invoice")

    def update_invoice(self, invoice_id: str, params: Params, ctx: RequestContext) -> JSONObject:
        invoice = self.get_invoice(invoice_id)
        status = invoice["status"]
        previous: JSONObject = {}
        draft_only = ("collection_method", "days_until_due", "due_date", "statement_descriptor")
        if status != "draft" and any(params.has(name) for name in draft_only):
            raise not_editable(invoice)
        if status in ("paid", "void") and (
            params.has("auto_advance") or params.has("default_payment_method")
        ):
            raise not_editable(invoice)
        customer = self.customers.get(invoice["customer"])
        if any(params.has(name) for name in ("collection_method", "days_until_due", "due_date")):
            collection = (
                params.get_choice("collection_method", ("charge_automatically", "send_invoice"))
                or invoice["collection_method"]
            )
            days = params.get_int("days_until_due", minimum=0)
            due = params.get_int("due_date")
            if collection == "send_invoice" and days is None and due is None:
                days, due = invoice["days_until_due"], invoice["due_date"]
            self._check_due(collection, days, due)
            for name, value in (
                ("collection_method", collection),
                ("days_until_due", days),
                ("due_date", due),
            ):
                if invoice[name] != value:
                    previous[name] = invoice[name]
                    invoice[name] = value
        if params.has("default_payment_method"):
            pm_id = params.get_str("default_payment_method") or None
            if pm_id is not None:
                self._check_payment_method(pm_id, customer, "default_payment_method")
            previous["default_payment_method"] = invoice["default_payment_method"]
            invoice["default_payment_method"] = pm_id
        auto_advance = params.get_bool("auto_advance")
        if auto_advance is not None and auto_advance != invoice["auto_advance"]:
            previous["auto_advance"] = invoice["auto_advance"]
            invoice["auto_advance"] = auto_advance
            if auto_advance and status == "draft":
                self._schedule_auto_finalize(invoice)
        for name in ("description", "footer", "statement_descriptor"):
            if params.has(name):
                value = params.get_str(name) or None
                if value != invoice[name]:
                    previous[name] = invoice[name]
                    invoice[name] = value
        metadata = params.metadata()
        if metadata is not None:
            merged = merge_metadata(invoice["metadata"], metadata)
            if merged != invoice["metadata"]:
                previous["metadata"] = invoice["metadata"]
                invoice["metadata"] = merged
        if previous:
            self.events.emit("invoice.updated", invoice, ctx, previous)
        return invoice

    def delete_invoice(self, invoice_id: str, ctx: RequestContext) -> JSONObject:
        invoice = self.get_invoice(invoice_id)
        if invoice["status"] != "draft":
            raise invalid_request(
                "You can only delete draft invoices; void a finalized invoice instead.",
                param="invoice",
            )
        for item in self.store.all("ii"):
            if item["invoice"] == invoice_id:
                item["invoice"] = None  # back to pending, for the next invoice
        self.store.remove(invoice_id)
        self.events.emit("invoice.deleted", invoice, ctx)
        return {"id": invoice_id, "object": "invoice", "deleted": True}

    def list_invoices(self, params: Params) -> JSONObject:
        customer = params.get_str("customer")
        status = params.get_str("status")
        collection = params.get_str("collection_method")

        def keep(invoice: JSONObject) -> bool:
            return (
                (customer is None or invoice["customer"] == customer)
                and (status is None or invoice["status"] == status)
                and (collection is None or invoice["collection_method"] == collection)
            )

        return self.store.list_page("in", params, "/v1/invoices", keep)

    def search_invoices(self, params: Params) -> JSONObject:
        return search_page(
            self.store,
            "in",
            params,
            INVOICE_SEARCH_FIELDS,
            "/v1/invoices/search",
            delay=self.search_delay,
        )

    def list_lines(self, invoice_id: str, params: Params) -> JSONObject:
        invoice = self.get_invoice(invoice_id)
        return embedded_page(invoice["lines"]["data"], params, invoice["lines"]["url"], "line_item")

    # -- finalizing ----------------------------------------------------------------------------
    def finalize(self, invoice_id: str, params: Params | None, ctx: RequestContext) -> JSONObject:
        invoice = self.get_invoice(invoice_id)
        if invoice["status"] != "draft":
            raise StripeError(
                400,
                "This invoice is already finalized, you can't re-finalize a non-draft invoice.",
                code="invoice_not_editable",
            )
        if params is not None:
            auto_advance = params.get_bool("auto_advance")
            if auto_advance is not None:
                invoice["auto_advance"] = auto_advance
        customer = self.customers.get(invoice["customer"])
        now = self.store.clock.timestamp()
        balance = customer["balance"]
        net = invoice["total"] + balance
        invoice["starting_balance"] = balance
        invoice["ending_balance"] = min(net, 0)
        customer["balance"] = min(net, 0)
        if customer["currency"] is None:
            customer["currency"] = invoice["currency"]
        amount_due = max(net, 0)
        invoice.update(amount_due=amount_due, amount_remaining=amount_due)
        invoice["number"] = f"{customer['invoice_prefix']}-{customer['next_invoice_sequence']:04d}"
        customer["next_invoice_sequence"] += 1
        invoice["status"] = "open"
        invoice["status_transitions"]["finalized_at"] = now
        invoice["effective_at"] = now
        invoice["hosted_invoice_url"] = f"{self.base_url()}{HOSTED_PATH}{invoice['id']}"
        if invoice["collection_method"] == "send_invoice" and invoice["due_date"] is None:
            invoice["due_date"] = now + (invoice["days_until_due"] or 0) * DAY
        minimum = MINIMUM_AMOUNTS.get(invoice["currency"], 50)
        if 0 < amount_due < minimum:
            # Below the smallest charge: paid now, the amount carried to the next invoice.
            invoice["ending_balance"] += amount_due
            customer["balance"] += amount_due
            invoice.update(amount_due=0, amount_remaining=0)
        elif amount_due > 0:
            pi = self.payments.create_payment_intent(
                Params(
                    {
                        "amount": str(amount_due),
                        "currency": invoice["currency"],
                        "payment_method_types": ["card"],
                        "description": f"Invoice {invoice['number']}",
                    }
                ),
                ctx,
            )
            pi["customer"] = customer["id"]
            pi["invoice"] = invoice["id"]
            invoice["payment_intent"] = pi["id"]
        self.events.emit("invoice.finalized", invoice, ctx)
        if invoice["amount_remaining"] == 0:
            self.mark_paid(invoice, ctx, settled_by_payment=True)
        elif invoice["collection_method"] == "charge_automatically" and invoice["auto_advance"]:
            self._schedule_attempt(invoice, self.store.clock.now())
        return invoice

    def _schedule_auto_finalize(self, invoice: JSONObject) -> None:
        invoice_id = invoice["id"]
        self.schedule(
            invoice["created"] + AUTO_FINALIZE_SECONDS, lambda: self._auto_finalize(invoice_id)
        )

    def _auto_finalize(self, invoice_id: str) -> None:
        with self.store.lock:
            invoice = self.store.find(invoice_id)
            if invoice is None or invoice["status"] != "draft" or not invoice["auto_advance"]:
                return
            self.finalize(invoice_id, None, AUTOMATIC)

    # -- collecting ----------------------------------------------------------------------------
    def pay(self, invoice_id: str, params: Params, ctx: RequestContext) -> JSONObject:
        invoice = self.get_invoice(invoice_id)
        if invoice["status"] == "draft":
            self.finalize(invoice_id, None, ctx)  # Stripe finalizes a draft before paying it
            if invoice["status"] == "paid":
                return invoice
        if invoice["status"] == "paid":
            raise invalid_request("Invoice is already paid", param="invoice")
        if invoice["status"] == "void":
            raise invalid_request(
                "This invoice is void and can no longer be paid.", param="invoice"
            )
        if params.get_bool("paid_out_of_band"):
            invoice["paid_out_of_band"] = True
            self.cancel_payment_intent(invoice, ctx)
            self.mark_paid(invoice, ctx, settled_by_payment=False)
            return invoice
        customer = self.customers.get(invoice["customer"])
        reference = params.get_str("payment_method")
        if reference:
            if reference.startswith("pm_card_"):
                payment_method = self.customers.attach_test_card(reference, customer, ctx)
            else:
                payment_method = self._check_payment_method(reference, customer, "payment_method")
        else:
            found = self._default_payment_method(invoice, customer)
            if found is None:
                raise invalid_request(
                    "This customer has no attached payment source or default payment method. "
                    "Please consider adding a default payment method. For more information, "
                    "visit https://stripe.com/docs/billing/subscriptions/payment-methods-"
                    "setting#payment-method-priority.",
                )
            payment_method = found
        outcome = self._attempt(invoice, payment_method, ctx)
        if not outcome.approved:
            pi = self.store.get("pi", invoice["payment_intent"])
            raise StripeError(
                402,
                outcome.message or "Your card was declined.",
                type="card_error",
                code=outcome.code,
                decline_code=outcome.decline_code,
                extra={"charge": invoice["charge"], **with_payment_intent(pi)},
            )
        return invoice

    def _default_payment_method(
        self, invoice: JSONObject, customer: JSONObject
    ) -> JSONObject | None:
        for pm_id in (
            invoice["default_payment_method"],
            customer["invoice_settings"]["default_payment_method"],
        ):
            payment_method = self.store.find(pm_id)
            if payment_method is not None and payment_method["customer"] == customer["id"]:
                return payment_method
        return None

    def _attempt(
        self, invoice: JSONObject, payment_method: JSONObject | None, ctx: RequestContext
    ) -> CardOutcome:
        """One payment attempt: the charge, the invoice's new state, its events, the next
        retry (or the final action)."""
        invoice["attempted"] = True
        invoice["attempt_count"] += 1
        invoice["next_payment_attempt"] = None
        if payment_method is None:
            outcome = CardOutcome(
                None,
                False,
                "invoice_no_payment_method",
                None,
                "The customer has no default payment method to charge.",
            )
        else:
            card = card_of(payment_method)
            outcome = online_outcome(card) if card is not None else CardOutcome(None, True)
            pi = self.store.get("pi", invoice["payment_intent"])
            charge = self.payments.charge_saved_card(pi, payment_method, outcome, ctx)
            invoice["charge"] = charge["id"]
        if outcome.approved:
            self.mark_paid(invoice, ctx, settled_by_payment=True)
            return outcome
        customer = self.customers.get(invoice["customer"])
        customer["delinquent"] = True
        automatic = (
            invoice["auto_advance"]
            and invoice["collection_method"] == "charge_automatically"
            and invoice["status"] == "open"
        )
        if automatic and invoice["attempt_count"] <= len(self.retry_days):
            delay = self.retry_days[invoice["attempt_count"] - 1] * DAY
            when = self.store.clock.now() + delay
            invoice["next_payment_attempt"] = int(when)
            self._schedule_attempt(invoice, when)
        self.events.emit("invoice.payment_failed", invoice, ctx)
        if (
            automatic
            and invoice["next_payment_attempt"] is None
            and self.final_action == "mark_uncollectible"
        ):
            self._mark_uncollectible(invoice, ctx)
        return outcome

    def _schedule_attempt(self, invoice: JSONObject, when: float) -> None:
        invoice_id, attempts = invoice["id"], invoice["attempt_count"]
        self.schedule(when, lambda: self._automatic_attempt(invoice_id, attempts))

    def _automatic_attempt(self, invoice_id: str, attempts_before: int) -> None:
        """A timer: Stripe's automatic collection, unless something happened meanwhile."""
        with self.store.lock:
            invoice = self.store.find(invoice_id)
            if (
                invoice is None
                or invoice["status"] != "open"
                or invoice["attempt_count"] != attempts_before
                or not invoice["auto_advance"]
            ):
                return
            customer = self.customers.get(invoice["customer"])
            self._attempt(invoice, self._default_payment_method(invoice, customer), AUTOMATIC)

    def mark_paid(
        self, invoice: JSONObject, ctx: RequestContext, *, settled_by_payment: bool
    ) -> None:
        invoice["amount_paid"] += invoice["amount_remaining"]
        invoice["amount_remaining"] = 0
        invoice["paid"] = True
        invoice["status"] = "paid"
        invoice["next_payment_attempt"] = None
        invoice["status_transitions"]["paid_at"] = self.store.clock.timestamp()
        customer = self.customers.get(invoice["customer"])
        customer["delinquent"] = False
        self.events.emit("invoice.paid", invoice, ctx)
        if settled_by_payment:
            self.events.emit("invoice.payment_succeeded", invoice, ctx)

    def sync_payment_intent(self, invoice: JSONObject) -> None:
        """The invoice's PaymentIntent asks for what is left to pay (after a credit note)."""
        pi = self.store.find(invoice["payment_intent"])
        if (
            pi is not None
            and pi["status"] == "requires_payment_method"
            and invoice["amount_remaining"] > 0
        ):
            pi["amount"] = invoice["amount_remaining"]

    def cancel_payment_intent(self, invoice: JSONObject, ctx: RequestContext) -> None:
        pi = self.store.find(invoice["payment_intent"])
        if pi is not None and pi["status"] == "requires_payment_method":
            self.payments._cancel(pi, None, ctx, refund_reason=None)

    def void(self, invoice_id: str, ctx: RequestContext) -> JSONObject:
        invoice = self.get_invoice(invoice_id)
        if invoice["status"] not in ("open", "uncollectible"):
            raise invalid_request(
                f"You can only void open or uncollectible invoices; this invoice is "
                f"{invoice['status']}.",
                param="invoice",
            )
        invoice["status"] = "void"
        invoice["next_payment_attempt"] = None
        invoice["status_transitions"]["voided_at"] = self.store.clock.timestamp()
        self.cancel_payment_intent(invoice, ctx)
        self.events.emit("invoice.voided", invoice, ctx)
        return invoice

    def mark_uncollectible(self, invoice_id: str, ctx: RequestContext) -> JSONObject:
        invoice = self.get_invoice(invoice_id)
        if invoice["status"] != "open":
            raise invalid_request(
                f"You can only mark open invoices uncollectible; this invoice is "
                f"{invoice['status']}.",
                param="invoice",
            )
        self._mark_uncollectible(invoice, ctx)
        return invoice

    def _mark_uncollectible(self, invoice: JSONObject, ctx: RequestContext) -> None:
        invoice["status"] = "uncollectible"
        invoice["next_payment_attempt"] = None
        invoice["status_transitions"]["marked_uncollectible_at"] = self.store.clock.timestamp()
        self.events.emit("invoice.marked_uncollectible", invoice, ctx)

    def send(self, invoice_id: str, ctx: RequestContext) -> JSONObject:
        invoice = self.get_invoice(invoice_id)
        if invoice["status"] == "draft":
            self.finalize(invoice_id, None, ctx)
        if invoice["status"] != "open" or invoice["collection_method"] != "send_invoice":
            raise invalid_request(
                "You can only send open invoices with `collection_method=send_invoice`.",
                param="invoice",
            )
        self.events.emit("invoice.sent", invoice, ctx)
        return invoice

    # -- restart ---------------------------------------------------------------------------------
    def resume_timers(self) -> None:
        """After a restart: drafts keep auto-finalizing, failed invoices keep being retried."""
        for invoice in self.store.all("in"):
            if invoice["status"] == "draft" and invoice["auto_advance"]:
                self._schedule_auto_finalize(invoice)
            elif invoice["status"] == "open" and invoice["next_payment_attempt"] is not None:
                self._schedule_attempt(invoice, invoice["next_payment_attempt"])
            elif (
                invoice["status"] == "open"
                and invoice["attempt_count"] == 0
                and invoice["auto_advance"]
                and invoice["collection_method"] == "charge_automatically"
            ):
                self._schedule_attempt(invoice, self.store.clock.now())

    # -- the hosted invoice page -----------------------------------------------------------------
    def hosted_page(self, invoice_id: str, message: str | None = None) -> str:
        invoice = self.get_invoice(invoice_id)
        amount = format_amount(
            invoice["amount_remaining"] or invoice["amount_due"], invoice["currency"]
        )
        payable = invoice["status"] in ("open", "uncollectible")
        rows = "".join(
            f"<tr><td>{html.escape(line['description'] or '')}</td>"
            f"<td>{format_amount(line['amount'], invoice['currency'])}</td></tr>"
            for line in invoice["lines"]["data"]
        )
        form = (
            f'<form method="post" action="{HOSTED_PATH}{invoice["id"]}/pay">'
            '<label>Card <select name="payment_method">'
            '<option value="pm_card_visa">Visa 4242</option>'
            '<option value="pm_card_mastercard">Mastercard 4444</option>'
            '<option value="pm_card_chargeCustomerFail">Visa 0341 (declines)</option>'
            "</select></label> "
            f'<button type="submit">Pay {amount}</button></form>'
            if payable
            else ""
        )
        notice = f'<p class="message">{html.escape(message)}</p>' if message else ""
        return (
            '<!doctype html><html><head><meta charset="utf-8">'
            f"<title>Invoice {html.escape(invoice['number'] or invoice['id'])}</title></head>"
            f"<body><h1>Invoice {html.escape(invoice['number'] or '')}</h1>"
            f'<p>Status: <strong class="status">{invoice["status"]}</strong></p>'
            f'<p>Amount due: <strong class="amount">{amount}</strong></p>'
            f"<table>{rows}</table>{notice}{form}</body></html>"
        )

    def pay_from_hosted_page(self, invoice_id: str, reference: str) -> str | None:
        """The customer pays on the hosted page; returns the card error to show, if any."""
        invoice = self.get_invoice(invoice_id)
        try:
            self.pay(invoice["id"], Params({"payment_method": reference}), AUTOMATIC)
        except StripeError as error:
            return error.message
        return None


def embedded_page(items: list[JSONObject], params: Params, url: str, kind: str) -> JSONObject:
    """A list object over embedded items (invoice lines, credit note lines), in their order."""
    limit = params.get_int("limit")
    limit = 10 if limit is None else limit
    if not 1 <= limit <= 100:
        raise validation_error("Invalid limit: must be between 1 and 100", param="limit")
    ids = [item["id"] for item in items]
    start = 0
    end: int | None = None
    after = params.get_str("starting_after")
    before = params.get_str("ending_before")
    if after:
        if after not in ids:
            raise resource_missing(kind, after, "starting_after")
        start = ids.index(after) + 1
    elif before:
        if before not in ids:
            raise resource_missing(kind, before, "ending_before")
        end = ids.index(before)
        start = max(0, end - limit)
    window = items[start:end]
    page = window[:limit]
    has_more = start > 0 if before else len(window) > limit
    return {"object": "list", "data": page, "has_more": has_more, "url": url}


__all__ = ["HOSTED_PATH", "Billing", "embedded_page"]
