"""Customers and their saved cards (PaymentMethods of type card): whom an invoice bills.

A card PaymentMethod comes from one of Stripe's test tokens (`card[token]=tok_visa`), or, as at
Stripe, from attaching a test PaymentMethod such as `pm_card_visa` to a customer, which attaches
a fresh copy with its own id. Attaching checks the card: a declining test card fails there with
the card error, except `pm_card_chargeCustomerFail` (4000000000000341), which attaches and then
fails every charge. `invoice_settings[default_payment_method]` is the card invoices charge.

Callers hold `store.lock` for every method here.
"""

from __future__ import annotations

import hashlib
import secrets

from pos_app.payments.emulator.cards import (
    TEST_CARDS,
    TestCard,
    decline_message,
    online_test_card,
)
from pos_app.payments.emulator.errors import (
    StripeError,
    invalid_request,
    missing_parameter,
    resource_missing,
)
from pos_app.payments.emulator.events import EventLog
from pos_app.payments.emulator.forms import Params, merge_metadata
from pos_app.payments.emulator.search import search_page
from pos_app.payments.emulator.store import JSONObject, RequestContext, Store, new_id

CUSTOMER_SEARCH_FIELDS = {"created", "email", "metadata", "name", "phone"}


def card_fingerprint(number: str) -> str:
    return hashlib.sha256(number.encode()).hexdigest()[:16]


# A saved card's PaymentMethod keeps no number; its fingerprint says which test card it is.
_BY_FINGERPRINT = {card_fingerprint(number): card for number, card in TEST_CARDS.items()}


def card_of(payment_method: JSONObject) -> TestCard | None:
    card = payment_method.get("card") or {}
    return _BY_FINGERPRINT.get(card.get("fingerprint") or "")


def attach_declined(card: TestCard) -> StripeError:
    code, decline_code = card.decline or ("card_declined", "generic_decline")
    return StripeError(
        402,
        decline_message(code, decline_code),
        type="card_error",
        code=code,
        decline_code=decline_code,
    )


class Customers:
    def __init__(self, store: Store, events: EventLog, *, search_delay: float = 0.0) -> None:
        self.store = store
        self.events = events
        self.search_delay = search_delay

    # -- customers ---------------------------------------------------------------------------
    def create(self, params: Params, ctx: RequestContext) -> JSONObject:
        reference = params.get_str("payment_method")
        settings = params.get_dict("invoice_settings") or {}
        default = settings.get("default_payment_method") or None
        card = self._attachable(reference, "payment_method") if reference else None
        if default is not None and default != reference:
            # Only a card attached to this (new) customer can be its default.
            self.store.get("pm", default, "invoice_settings[default_payment_method]")
            raise self._not_attached(default)
        now = self.store.clock.timestamp()
        customer: JSONObject = {
            "id": new_id("cus", 14),
            "object": "customer",
            "address": None,
            "balance": params.get_int("balance") or 0,
            "created": now,
            "currency": None,
            "default_source": None,
            "delinquent": False,
            "description": params.get_str("description") or None,
            "discount": None,
            "email": params.get_str("email") or None,
            "invoice_prefix": secrets.token_hex(4).upper(),
            "invoice_settings": {
                "custom_fields": None,
                "default_payment_method": None,
                "footer": None,
                "rendering_options": None,
            },
            "livemode": False,
            "metadata": merge_metadata({}, params.metadata()),
            "name": params.get_str("name") or None,
            "next_invoice_sequence": 1,
            "phone": params.get_str("phone") or None,
            "preferred_locales": [],
            "shipping": None,
            "tax_exempt": "none",
            "test_clock": None,
        }
        self.store.add(customer)
        self.events.emit("customer.created", customer, ctx)
        if reference is not None:
            attached = self._attach(reference, card, customer, ctx)
            if default == reference:
                customer["invoice_settings"]["default_payment_method"] = attached["id"]
        return customer

    def get(self, customer_id: str, param: str = "customer") -> JSONObject:
        return self.store.get("cus", customer_id, param)

    def update(self, customer_id: str, params: Params, ctx: RequestContext) -> JSONObject:
        customer = self.get(customer_id)
        previous: JSONObject = {}
        for name in ("email", "name", "description", "phone"):
            if params.has(name):
                value = params.get_str(name) or None
                if value != customer[name]:
                    previous[name] = customer[name]
                    customer[name] = value
        balance = params.get_int("balance")
        if balance is not None and balance != customer["balance"]:
            previous["balance"] = customer["balance"]
            customer["balance"] = balance
        metadata = params.metadata()
        if metadata is not None:
            merged = merge_metadata(customer["metadata"], metadata)
            if merged != customer["metadata"]:
                previous["metadata"] = customer["metadata"]
                customer["metadata"] = merged
        settings = params.get_dict("invoice_settings")
        if settings is not None and "default_payment_method" in settings:
            default = settings["default_payment_method"] or None
            if default is not None:
                payment_method = self.store.get(
                    "pm", default, "invoice_settings[default_payment_method]"
                )
                if payment_method["customer"] != customer["id"]:
                    raise self._not_attached(default)
            if default != customer["invoice_settings"]["default_payment_method"]:
                previous["invoice_settings"] = dict(customer["invoice_settings"])
                customer["invoice_settings"]["default_payment_method"] = default
        if previous:
            self.events.emit("customer.updated", customer, ctx, previous)
        return customer

    def list(self, params: Params) -> JSONObject:
        email = params.get_str("email")
        return self.store.list_page(
            "cus",
            params,
            "/v1/customers",
            lambda customer: email is None or customer["email"] == email,
        )

    def search(self, params: Params) -> JSONObject:
        return search_page(
            self.store,
            "cus",
            params,
            CUSTOMER_SEARCH_FIELDS,
            "/v1/customers/search",
            delay=self.search_delay,
        )

    @staticmethod
    def _not_attached(payment_method_id: str) -> StripeError:
        return invalid_request(
            f"The customer does not have a payment method with the ID {payment_method_id}. The "
            "payment method must be attached to the customer.",
            param="invoice_settings[default_payment_method]",
        )

    # -- payment methods -----------------------------------------------------------------------
    def create_payment_method(self, params: Params, ctx: RequestContext) -> JSONObject:
        kind = params.get_choice("type", ("card",))
        if kind is None:
            raise missing_parameter("type")
        card_params = params.get_dict("card")
        if card_params is None:
            raise missing_parameter("card")
        token = str(card_params.get("token") or "")
        card = online_test_card(token) if token.startswith("tok_") else None
        if card is None:
            raise resource_missing("token", token, "card[token]")
        return self._new_payment_method(card, params.metadata() or {})

    def _new_payment_method(self, card: TestCard, metadata: dict[str, str]) -> JSONObject:
        payment_method: JSONObject = {
            "id": new_id("pm"),
            "object": "payment_method",
            "billing_details": {
                "address": {
                    "city": None,
                    "country": None,
                    "line1": None,
                    "line2": None,
                    "postal_code": None,
                    "state": None,
                },
                "email": None,
                "name": None,
                "phone": None,
            },
            "card": {
                "brand": card.brand,
                "checks": {
                    "address_line1_check": None,
                    "address_postal_code_check": None,
                    "cvc_check": "unchecked",
                },
                "country": card.country,
                "exp_month": 12,
                "exp_year": 2034,
                "fingerprint": card_fingerprint(card.number),
                "funding": card.funding,
                "generated_from": None,
                "last4": card.last4,
                "networks": {"available": [card.network or card.brand], "preferred": None},
                "three_d_secure_usage": {"supported": True},
                "wallet": None,
            },
            "created": self.store.clock.timestamp(),
            "customer": None,
            "livemode": False,
            "metadata": metadata,
            "type": "card",
        }
        self.store.add(payment_method)
        return payment_method

    def attach(self, reference: str, params: Params, ctx: RequestContext) -> JSONObject:
        customer_id = params.get_str("customer", required=True)
        customer = self.get(customer_id or "")
        card = self._attachable(reference, "payment_method")
        return self._attach(reference, card, customer, ctx)

    def attach_test_card(
        self, reference: str, customer: JSONObject, ctx: RequestContext
    ) -> JSONObject:
        """`pm_card_...` (or a saved card's id) attached to `customer`: the hosted page's card."""
        return self._attach(reference, self._attachable(reference, "payment_method"), customer, ctx)

    def _attachable(self, reference: str, param: str) -> TestCard | None:
        """The test card behind a magic `pm_card_...` id (checked here, before anything
        changes), or None for a stored PaymentMethod (checked when attached)."""
        card = online_test_card(reference) if reference.startswith("pm_card_") else None
        if card is None:
            payment_method = self.store.get("pm", reference, param)
            if payment_method["type"] != "card":
                raise invalid_request(
                    f"PaymentMethods of type {payment_method['type']} cannot be attached to "
                    "customers.",
                    param=param,
                )
            card = card_of(payment_method)
        if card is not None and card.decline is not None and not card.attaches_then_declines:
            raise attach_declined(card)
        return card

    def _attach(
        self,
        reference: str,
        card: TestCard | None,
        customer: JSONObject,
        ctx: RequestContext,
    ) -> JSONObject:
        if reference.startswith("pm_card_") and card is not None:
            payment_method = self._new_payment_method(card, {})
        else:
            payment_method = self.store.get("pm", reference, "payment_method")
        owner = payment_method["customer"]
        if owner == customer["id"]:
            return payment_method
        if owner is not None:
            raise invalid_request(
                "The payment method you provided has already been attached to a customer.",
                param="payment_method",
            )
        payment_method["customer"] = customer["id"]
        self.events.emit("payment_method.attached", payment_method, ctx)
        return payment_method

    def detach(self, payment_method_id: str, ctx: RequestContext) -> JSONObject:
        payment_method = self.store.get("pm", payment_method_id, "payment_method")
        owner = payment_method["customer"]
        if owner is None:
            raise invalid_request(
                "The payment method you provided is not attached to a customer so detachment "
                "is impossible.",
                param="payment_method",
            )
        payment_method["customer"] = None
        customer = self.store.find(owner)
        if customer is not None:
            settings = customer["invoice_settings"]
            if settings["default_payment_method"] == payment_method_id:
                previous = {"invoice_settings": dict(settings)}
                settings["default_payment_method"] = None
                self.events.emit("customer.updated", customer, ctx, previous)
        self.events.emit("payment_method.detached", payment_method, ctx, {"customer": owner})
        return payment_method

    def list_payment_methods(self, params: Params, customer_id: str | None = None) -> JSONObject:
        if customer_id is not None:
            self.get(customer_id)
            url = f"/v1/customers/{customer_id}/payment_methods"
        else:
            customer_id = params.get_str("customer")
            url = "/v1/payment_methods"
        kind = params.get_str("type")
        return self.store.list_page(
            "pm",
            params,
            url,
            lambda pm: (
                (customer_id is None or pm["customer"] == customer_id)
                and (kind is None or pm["type"] == kind)
            ),
        )
