"""PaymentIntents, charges and refunds with Stripe's state machine.

requires_payment_method --(reader: card approved)--> requires_capture --capture--> succeeded
                        \\-(card declined: last_payment_error, stays requires_payment_method)
requires_payment_method / requires_capture --cancel--> canceled
requires_capture --(authorization window passes)--> canceled (cancellation_reason automatic)

Callers hold `store.lock` for every method here.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable

from pos_app.domain.money_text import format_money
from pos_app.payments.emulator.cards import CardOutcome
from pos_app.payments.emulator.errors import (
    StripeError,
    invalid_request,
    unexpected_state,
    validation_error,
    with_payment_intent,
)
from pos_app.payments.emulator.events import EventLog
from pos_app.payments.emulator.forms import Params, merge_metadata
from pos_app.payments.emulator.search import search_page
from pos_app.payments.emulator.store import (
    AUTOMATIC,
    JSONObject,
    RequestContext,
    Store,
    new_id,
)

# Stripe's minimum charge amounts (minor units) for the currencies a shop is likely to use.
MINIMUM_AMOUNTS = {
    "usd": 50,
    "eur": 50,
    "gbp": 30,
    "cad": 50,
    "aud": 50,
    "nzd": 50,
    "chf": 50,
    "sgd": 50,
    "jpy": 50,
    "hkd": 400,
    "sek": 300,
    "nok": 300,
    "dkk": 250,
    "pln": 200,
    "czk": 1500,
    "mxn": 1000,
    "brl": 50,
    "huf": 17500,
    "ron": 200,
    "bgn": 100,
    "aed": 200,
    "inr": 50,
    "myr": 200,
    "thb": 1000,
}
ZERO_DECIMAL = {"jpy", "krw", "vnd", "clp", "isk", "ugx", "xaf", "xof", "pyg", "rwf", "kmf"}
MAXIMUM_AMOUNT = 99_999_999

CANCELABLE = (
    "requires_payment_method",
    "requires_capture",
    "requires_confirmation",
    "requires_action",
    "processing",
)
AMOUNT_UPDATABLE = ("requires_payment_method", "requires_confirmation", "requires_action")
PI_SEARCH_FIELDS = {"amount", "created", "currency", "customer", "metadata", "status"}


PAYMENT_METHOD_TYPES = ("card", "card_present", "interac_present")


def format_amount(amount: int, currency: str) -> str:
    """An amount in Stripe's (English) messages, by the register's one formatter; the
    decimals by Stripe's list of zero-decimal currencies."""
    exponent = 0 if currency in ZERO_DECIMAL else 2
    return format_money(amount, currency.upper(), "en_US", exponent=exponent)


class Payments:
    def __init__(
        self,
        store: Store,
        events: EventLog,
        schedule: Callable[[float, Callable[[], None]], None],
        *,
        auth_validity_seconds: float,
        search_delay: float = 0.0,
    ) -> None:
        self.store = store
        self.events = events
        self.schedule = schedule
        self.auth_validity_seconds = auth_validity_seconds
        self.search_delay = search_delay
        # payment_intent id -> reader id while a reader works on it
        self.on_reader: dict[str, str] = {}
        # Called with (payment_intent) when a PaymentIntent is canceled under a reader.
        self.on_canceled_under_reader: Callable[[str, JSONObject, RequestContext], None] = (
            lambda _reader, _pi, _ctx: None
        )

    # -- PaymentIntents --------------------------------------------------------------------

    def create_payment_intent(self, params: Params, ctx: RequestContext) -> JSONObject:
        amount = params.get_int("amount", required=True)
        currency = (params.get_str("currency", required=True) or "").lower()
        assert amount is not None
        self._check_amount(amount, currency, "amount")
        capture_method = (
            params.get_choice("capture_method", ("automatic", "automatic_async", "manual"))
            or "automatic"
        )
        confirmation_method = (
            params.get_choice("confirmation_method", ("automatic", "manual")) or "automatic"
        )
        types = params.get_list("payment_method_types")
        automatic: JSONObject | None = None
        if types is None:
            # API 2023-08-16 turned automatic payment methods on by default.
            automatic = {"allow_redirects": "always", "enabled": True}
            types = ["card"]
        _check_payment_method_types(types)
        descriptor = params.get_str("statement_descriptor", max_length=22)
        suffix = params.get_str("statement_descriptor_suffix", max_length=22)
        pi_id = new_id("pi")
        options: JSONObject = {}
        if "card_present" in types:
            options["card_present"] = {
                "request_extended_authorization": False,
                "request_incremental_authorization_support": False,
            }
        if "interac_present" in types:
            options["interac_present"] = {}
        if "card" in types:
            options["card"] = {
                "installments": None,
                "mandate_options": None,
                "network": None,
                "request_three_d_secure": "automatic",
            }
        pi: JSONObject = {
            "id": pi_id,
            "object": "payment_intent",
            "amount": amount,
            "amount_capturable": 0,
            "amount_details": {"tip": {}},
            "amount_received": 0,
            "application": None,
            "application_fee_amount": None,
            "automatic_payment_methods": automatic,
            "canceled_at": None,
            "cancellation_reason": None,
            "capture_method": capture_method,
            "client_secret": f"{pi_id}_secret_{secrets.token_urlsafe(18).replace('-', 'x')}",
            "confirmation_method": confirmation_method,
            "created": self.store.clock.timestamp(),
            "currency": currency,
            "customer": None,
            "description": params.get_str("description"),
            "invoice": None,
            "last_payment_error": None,
            "latest_charge": None,
            "livemode": False,
            "metadata": merge_metadata({}, params.metadata()),
            "next_action": None,
            "on_behalf_of": None,
            "payment_method": None,
            "payment_method_options": options,
            "payment_method_types": list(types),
            "processing": None,
            "receipt_email": params.get_str("receipt_email"),
            "review": None,
            "setup_future_usage": None,
            "shipping": None,
            "statement_descriptor": descriptor,
            "statement_descriptor_suffix": suffix,
            "status": "requires_payment_method",
            "transfer_data": None,
            "transfer_group": params.get_str("transfer_group"),
        }
        self.store.add(pi)
        self.events.emit("payment_intent.created", pi, ctx)
        return pi

    def _check_amount(self, amount: int, currency: str, param: str) -> None:
        if len(currency) != 3 or not currency.isalpha():
            raise validation_error(f"Invalid currency: {currency}.", param="currency")
        minimum = MINIMUM_AMOUNTS.get(currency, 50)
        if amount < minimum:
            raise StripeError(
                400,
                f"Amount must be at least {format_amount(minimum, currency)} {currency}",
                code="amount_too_small",
                param=param,
            )
        if amount > MAXIMUM_AMOUNT:
            raise StripeError(
                400,
                f"Amount must be no more than {format_amount(MAXIMUM_AMOUNT, currency)}",
                code="amount_too_large",
                param=param,
            )

    def update_payment_intent(self, pi_id: str, params: Params, ctx: RequestContext) -> JSONObject:
        pi = self.store.get("pi", pi_id, "intent")
        if pi["status"] in ("succeeded", "canceled") and any(
            params.has(name) for name in ("amount", "payment_method_types", "capture_method")
        ):
            raise unexpected_state(
                "You cannot update this PaymentIntent because it has a status of "
                f"{pi['status']}. Updates are only allowed when the PaymentIntent has a status "
                "of requires_payment_method, requires_confirmation, requires_action, or "
                "requires_capture (metadata and description only).",
                payment_intent=pi,
            )
        previous: JSONObject = {}
        amount = params.get_int("amount")
        if amount is not None and amount != pi["amount"]:
            if pi["status"] not in AMOUNT_UPDATABLE:
                raise unexpected_state(
                    "This PaymentIntent's amount could not be updated because it has a status "
                    f"of {pi['status']}. You may only update the amount of a PaymentIntent "
                    "with one of the following statuses: " + ", ".join(AMOUNT_UPDATABLE) + ".",
                    param="amount",
                    payment_intent=pi,
                )
            self._check_amount(amount, pi["currency"], "amount")
            previous["amount"] = pi["amount"]
            pi["amount"] = amount
        metadata = params.metadata()
        if metadata is not None:
            merged = merge_metadata(pi["metadata"], metadata)
            if merged != pi["metadata"]:
                previous["metadata"] = pi["metadata"]
                pi["metadata"] = merged
        for name in ("description", "receipt_email", "transfer_group"):
            if params.has(name):
                value = params.get_str(name) or None
                if value != pi[name]:
                    previous[name] = pi[name]
                    pi[name] = value
        for name in ("statement_descriptor", "statement_descriptor_suffix"):
            if params.has(name):
                previous[name] = pi[name]
                pi[name] = params.get_str(name, max_length=22) or None
        types = params.get_list("payment_method_types")
        if types is not None:
            _check_payment_method_types(types)
            previous["payment_method_types"] = pi["payment_method_types"]
            pi["payment_method_types"] = types
        capture_method = params.get_choice(
            "capture_method", ("automatic", "automatic_async", "manual")
        )
        if capture_method is not None:
            previous["capture_method"] = pi["capture_method"]
            pi["capture_method"] = capture_method
        if previous:
            self.events.emit("payment_intent.updated", pi, ctx, previous)
        return pi

    def list_payment_intents(self, params: Params) -> JSONObject:
        customer = params.get_str("customer")
        return self.store.list_page(
            "pi",
            params,
            "/v1/payment_intents",
            lambda pi: customer is None or pi["customer"] == customer,
        )

    def search_payment_intents(self, params: Params) -> JSONObject:
        return search_page(
            self.store,
            "pi",
            params,
            PI_SEARCH_FIELDS,
            "/v1/payment_intents/search",
            delay=self.search_delay,
        )

    # -- authorization (called by the simulated reader) -----------------------------------
    def authorize_card_present(
        self,
        pi: JSONObject,
        outcome: CardOutcome,
        *,
        payment_method_type: str,
        reader_id: str,
        ctx: RequestContext,
    ) -> None:
        """Record the issuer's answer on the PaymentIntent: a charge, events, new status."""
        now = self.store.clock.timestamp()
        card = outcome.card
        number_hint = card.number if card else "0000"
        payment_method = self._payment_method(outcome, payment_method_type, now)
        charge_id = new_id("ch")
        capture_before = int(now + self.auth_validity_seconds)
        details: JSONObject = {
            "amount_authorized": pi["amount"] if outcome.approved else None,
            "brand": card.brand if card else None,
            "capture_before": capture_before,
            "cardholder_name": None,
            "country": card.country if card else None,
            "emv_auth_data": "8A023030" if outcome.approved else "8A023035",
            "exp_month": 12,
            "exp_year": 2030,
            "fingerprint": hashlib.sha256(number_hint.encode()).hexdigest()[:16],
            "funding": card.funding if card else None,
            "generated_card": None,
            "incremental_authorization_supported": False,
            "last4": number_hint[-4:],
            "network": (card.network or card.brand) if card else None,
            "overcapture_supported": False,
            "read_method": "contactless_emv",
            "receipt": {
                "account_type": "credit"
                if card is None or card.funding == "credit"
                else "checking",
                "application_cryptogram": secrets.token_hex(8).upper(),
                "application_preferred_name": (card.brand.upper() if card else "CARD") + " CREDIT",
                "authorization_code": f"{secrets.randbelow(1_000_000):06d}"
                if outcome.approved
                else None,
                "authorization_response_code": "3030" if outcome.approved else "3035",
                "cardholder_verification_method": outcome.cardholder_verification_method,
                "dedicated_file_name": "A0000000031010",
                "terminal_verification_results": "0000000000",
                "transaction_status_information": "0000",
            },
        }
        if not outcome.approved:
            details.pop("capture_before")
        charge = self._new_charge(
            charge_id, pi, payment_method, outcome, {"type": payment_method_type}, details, now
        )
        if not outcome.approved:
            self._record_decline(pi, charge, payment_method, outcome, ctx)
            return
        pi["last_payment_error"] = None
        pi["payment_method"] = payment_method["id"]
        if pi["capture_method"] == "manual":
            pi["status"] = "requires_capture"
            pi["amount_capturable"] = pi["amount"]
            self.events.emit("charge.succeeded", charge, ctx)
            self.events.emit("payment_intent.amount_capturable_updated", pi, ctx)
            pi_id = pi["id"]
            self.schedule(capture_before, lambda: self._expire_authorization(pi_id, charge_id))
        else:
            self._settle(pi, charge, pi["amount"])
            self.events.emit("charge.succeeded", charge, ctx)
            self.events.emit("payment_intent.succeeded", pi, ctx)

    def charge_saved_card(
        self, pi: JSONObject, payment_method: JSONObject, outcome: CardOutcome, ctx: RequestContext
    ) -> JSONObject:
        """An off-session charge of a customer's saved card (an invoice payment), captured at
        once: the charge, the PaymentIntent's new status and their events."""
        now = self.store.clock.timestamp()
        card = payment_method["card"]
        details: JSONObject = {
            "brand": card["brand"],
            "checks": {
                "address_line1_check": None,
                "address_postal_code_check": None,
                "cvc_check": None,
            },
            "country": card["country"],
            "exp_month": card["exp_month"],
            "exp_year": card["exp_year"],
            "fingerprint": card["fingerprint"],
            "funding": card["funding"],
            "installments": None,
            "last4": card["last4"],
            "mandate": None,
            "network": card["brand"],
            "network_token": {"used": False},
            "three_d_secure": None,
            "wallet": None,
        }
        charge = self._new_charge(
            new_id("ch"), pi, payment_method, outcome, {"type": "card"}, details, now
        )
        charge["customer"] = pi["customer"]
        charge["invoice"] = pi["invoice"]
        if not outcome.approved:
            self._record_decline(pi, charge, payment_method, outcome, ctx)
            return charge
        pi["last_payment_error"] = None
        pi["payment_method"] = payment_method["id"]
        self._settle(pi, charge, pi["amount"])
        self.events.emit("charge.succeeded", charge, ctx)
        self.events.emit("payment_intent.succeeded", pi, ctx)
        return charge

    def _new_charge(
        self,
        charge_id: str,
        pi: JSONObject,
        payment_method: JSONObject,
        outcome: CardOutcome,
        method_type: dict[str, str],
        details: JSONObject,
        now: int,
    ) -> JSONObject:
        kind = method_type["type"]
        charge: JSONObject = {
            "id": charge_id,
            "object": "charge",
            "amount": pi["amount"],
            "amount_captured": 0,
            "amount_refunded": 0,
            "application": None,
            "application_fee": None,
            "application_fee_amount": None,
            "balance_transaction": None,
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
            "calculated_statement_descriptor": (pi["statement_descriptor"] or "EMULATOR SHOP")[:22],
            "captured": False,
            "created": now,
            "currency": pi["currency"],
            "customer": None,
            "description": pi["description"],
            "disputed": False,
            "failure_balance_transaction": None,
            "failure_code": None if outcome.approved else outcome.code,
            "failure_message": None if outcome.approved else outcome.message,
            "fraud_details": {},
            "invoice": None,
            "livemode": False,
            "metadata": dict(pi["metadata"]),
            "on_behalf_of": None,
            "outcome": self._charge_outcome(outcome),
            "paid": outcome.approved,
            "payment_intent": pi["id"],
            "payment_method": payment_method["id"],
            "payment_method_details": {"type": kind, kind: details},
            "receipt_email": pi["receipt_email"],
            "receipt_number": None,
            "receipt_url": f"https://pay.stripe.com/receipts/emulator/{charge_id}",
            "refunded": False,
            "refunds": None,
            "review": None,
            "shipping": None,
            "source_transfer": None,
            "statement_descriptor": pi["statement_descriptor"],
            "statement_descriptor_suffix": pi["statement_descriptor_suffix"],
            "status": "succeeded" if outcome.approved else "failed",
            "transfer_data": None,
            "transfer_group": pi["transfer_group"],
        }
        self.store.add(charge)
        pi["latest_charge"] = charge_id
        return charge

    def _record_decline(
        self,
        pi: JSONObject,
        charge: JSONObject,
        payment_method: JSONObject,
        outcome: CardOutcome,
        ctx: RequestContext,
    ) -> None:
        pi["last_payment_error"] = {
            "charge": charge["id"],
            "code": outcome.code,
            "decline_code": outcome.decline_code,
            "doc_url": "https://stripe.com/docs/error-codes/"
            + (outcome.code or "").replace("_", "-"),
            "message": outcome.message,
            "payment_method": Store.snapshot(payment_method),
            "type": "card_error",
        }
        if outcome.decline_code is None:
            del pi["last_payment_error"]["decline_code"]
        pi["payment_method"] = None
        pi["status"] = "requires_payment_method"
        self.events.emit("charge.failed", charge, ctx)
        self.events.emit("payment_intent.payment_failed", pi, ctx)

    def _payment_method(self, outcome: CardOutcome, pm_type: str, now: int) -> JSONObject:
        card = outcome.card
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
            "created": now,
            "customer": None,
            "livemode": False,
            "metadata": {},
            "type": pm_type,
            pm_type: {
                "brand": card.brand if card else None,
                "cardholder_name": None,
                "country": card.country if card else None,
                "exp_month": 12,
                "exp_year": 2030,
                "funding": card.funding if card else None,
                "last4": card.last4 if card else None,
                "networks": None,
                "read_method": "contactless_emv",
            },
        }
        self.store.add(payment_method)
        return payment_method

    @staticmethod
    def _charge_outcome(outcome: CardOutcome) -> JSONObject:
        if outcome.approved:
            return {
                "network_status": "approved_by_network",
                "reason": None,
                "risk_level": "not_assessed",
                "seller_message": "Payment complete.",
                "type": "authorized",
            }
        return {
            "network_status": "declined_by_network",
            "reason": outcome.decline_code or outcome.code,
            "risk_level": "not_assessed",
            "seller_message": "The bank did not return any further details with this decline.",
            "type": "issuer_declined",
        }

    def _settle(self, pi: JSONObject, charge: JSONObject, amount: int) -> None:
        """Capture `amount` of the charge: balance transaction, amounts, statuses."""
        released = charge["amount"] - amount
        charge["captured"] = True
        charge["amount_captured"] = amount
        # Stripe reports the uncaptured remainder of a partial capture as refunded.
        charge["amount_refunded"] = released
        charge["refunded"] = released == charge["amount"] and released > 0
        charge["balance_transaction"] = self._balance_transaction(
            amount, pi["currency"], charge["id"], "charge", "charge", fee=_card_fee(amount)
        )["id"]
        details = charge["payment_method_details"].get("card_present")
        if details is not None:
            details.pop("capture_before", None)
        pi["status"] = "succeeded"
        pi["amount_received"] = amount
        pi["amount_capturable"] = 0

    def _balance_transaction(
        self,
        amount: int,
        currency: str,
        source: str,
        kind: str,
        category: str,
        *,
        fee: int = 0,
        description: str | None = None,
    ) -> JSONObject:
        now = self.store.clock.timestamp()
        txn: JSONObject = {
            "id": new_id("txn"),
            "object": "balance_transaction",
            "amount": amount,
            "available_on": now + 2 * 86400,
            "created": now,
            "currency": currency,
            "description": description,
            "exchange_rate": None,
            "fee": fee,
            "fee_details": (
                [
                    {
                        "amount": fee,
                        "application": None,
                        "currency": currency,
                        "description": "Stripe processing fees",
                        "type": "stripe_fee",
                    }
                ]
                if fee
                else []
            ),
            "net": amount - fee,
            "reporting_category": category,
            "source": source,
            "status": "pending",
            "type": kind,
        }
        self.store.add(txn)
        return txn

    # -- capture / cancel ----------------------------------------------------------------
    def capture(self, pi_id: str, params: Params, ctx: RequestContext) -> JSONObject:
        pi = self.store.get("pi", pi_id, "intent")
        if pi["status"] != "requires_capture":
            raise unexpected_state(
                f"This PaymentIntent could not be captured because it has a status of "
                f"{pi['status']}. Only a PaymentIntent with one of the following statuses may "
                "be captured: requires_capture.",
                payment_intent=pi,
            )
        amount = params.get_int("amount_to_capture")
        if amount is None:
            amount = pi["amount_capturable"]
        if amount <= 0:
            raise validation_error("Invalid positive integer", param="amount_to_capture")
        if amount > pi["amount_capturable"]:
            raise StripeError(
                400,
                f"The amount_to_capture ({amount}) must be less than or equal to the "
                f"PaymentIntent's amount_capturable ({pi['amount_capturable']}).",
                code="amount_too_large",
                param="amount_to_capture",
                extra=with_payment_intent(pi),
            )
        metadata = params.metadata()
        if metadata is not None:
            pi["metadata"] = merge_metadata(pi["metadata"], metadata)
        charge = self.store.get("ch", pi["latest_charge"])
        self._settle(pi, charge, amount)
        self.events.emit("charge.captured", charge, ctx)
        self.events.emit("payment_intent.succeeded", pi, ctx)
        return pi

    def cancel(
        self, pi_id: str, params: Params | None, ctx: RequestContext, *, reason: str | None = None
    ) -> JSONObject:
        pi = self.store.get("pi", pi_id, "intent")
        if params is not None:
            reason = params.get_choice(
                "cancellation_reason",
                ("duplicate", "fraudulent", "requested_by_customer", "abandoned"),
            )
        if pi["status"] not in CANCELABLE:
            raise unexpected_state(
                "You cannot cancel this PaymentIntent because it has a status of "
                f"{pi['status']}. Only a PaymentIntent with one of the following statuses may "
                "be canceled: " + ", ".join(CANCELABLE) + ".",
                payment_intent=pi,
            )
        return self._cancel(pi, reason, ctx, refund_reason=None)

    def _cancel(
        self, pi: JSONObject, reason: str | None, ctx: RequestContext, *, refund_reason: str | None
    ) -> JSONObject:
        charge = self.store.find(pi["latest_charge"])
        released = pi["status"] == "requires_capture" and charge is not None
        pi["status"] = "canceled"
        pi["canceled_at"] = self.store.clock.timestamp()
        pi["cancellation_reason"] = reason
        pi["amount_capturable"] = 0
        reader_id = self.on_reader.pop(pi["id"], None)
        if reader_id is not None:
            self.on_canceled_under_reader(reader_id, pi, ctx)
        if released and charge is not None:
            # Releasing an authorization shows up as a full refund of the uncaptured charge.
            refund = self._new_refund(charge, charge["amount"], refund_reason, {}, ctx)
            charge["amount_refunded"] = charge["amount"]
            charge["refunded"] = True
            details = charge["payment_method_details"].get("card_present")
            if details is not None:
                details.pop("capture_before", None)
            if refund_reason == "expired_uncaptured_charge":
                self.events.emit("charge.expired", charge, ctx)
            self.events.emit("charge.refunded", charge, ctx)
            self.events.emit("refund.created", refund, ctx)
        self.events.emit("payment_intent.canceled", pi, ctx)
        return pi

    def _expire_authorization(self, pi_id: str, charge_id: str) -> None:
        with self.store.lock:
            pi = self.store.find(pi_id)
            if pi is None or pi["status"] != "requires_capture" or pi["latest_charge"] != charge_id:
                return
            self._cancel(pi, "automatic", AUTOMATIC, refund_reason="expired_uncaptured_charge")

    # -- charges and refunds ---------------------------------------------------------------
    def get_charge(self, charge_id: str) -> JSONObject:
        return self.store.get("ch", charge_id, "charge")

    def list_charges(self, params: Params) -> JSONObject:
        payment_intent = params.get_str("payment_intent")
        return self.store.list_page(
            "ch",
            params,
            "/v1/charges",
            lambda ch: payment_intent is None or ch["payment_intent"] == payment_intent,
        )

    def create_refund(
        self,
        params: Params,
        ctx: RequestContext,
        *,
        disputed: Callable[[JSONObject], bool],
    ) -> JSONObject:
        pi_id = params.get_str("payment_intent")
        charge_id = params.get_str("charge")
        if not pi_id and not charge_id:
            raise validation_error(
                "One of the following params should be provided for this request: "
                "payment_intent or charge.",
                param="payment_intent",
            )
        if pi_id and charge_id:
            raise validation_error(
                "You may only specify one of these parameters: charge, payment_intent.",
                param="charge",
            )
        if pi_id:
            pi = self.store.get("pi", pi_id, "payment_intent")
            charge = self.store.find(pi["latest_charge"])
            if pi["status"] != "succeeded" or charge is None:
                raise invalid_request(
                    f"This PaymentIntent ({pi_id}) does not have a successful charge to refund.",
                    param="payment_intent",
                )
        else:
            charge = self.store.get("ch", charge_id, "charge")
            if charge["status"] != "succeeded" or not charge["captured"]:
                raise invalid_request(
                    f"Charge {charge['id']} has not been captured; cancel its PaymentIntent "
                    "to release the authorization.",
                    param="charge",
                )
        if disputed(charge):
            raise StripeError(
                400,
                f"Charge {charge['id']} has been charged back; cannot issue a refund.",
                code="charge_disputed",
                param="charge" if charge_id else "payment_intent",
            )
        remaining = charge["amount"] - charge["amount_refunded"]
        if remaining <= 0:
            raise StripeError(
                400,
                f"Charge {charge['id']} has already been refunded.",
                code="charge_already_refunded",
                param="charge" if charge_id else "payment_intent",
            )
        amount = params.get_int("amount")
        if amount is None:
            amount = remaining
        if amount <= 0:
            raise validation_error("Invalid positive integer", param="amount")
        if amount > remaining:
            raise invalid_request(
                f"Refund amount ({format_amount(amount, charge['currency'])}) is greater than "
                f"unrefunded amount on charge ({format_amount(remaining, charge['currency'])})",
                param="amount",
            )
        reason = params.get_choice("reason", ("duplicate", "fraudulent", "requested_by_customer"))
        refund = self._new_refund(charge, amount, reason, params.metadata() or {}, ctx)
        charge["amount_refunded"] += amount
        charge["refunded"] = charge["amount_refunded"] >= charge["amount"]
        self.events.emit("charge.refunded", charge, ctx)
        self.events.emit("refund.created", refund, ctx)
        card = charge["payment_method_details"].get("card_present") or {}
        if card.get("last4") == "5126" and card.get("brand") == "visa":
            # Stripe's refund_fail test card: the refund looks fine, then fails later.
            refund_id = refund["id"]
            self.schedule(self.store.clock.now(), lambda: self._fail_refund(refund_id))
        return refund

    def _new_refund(
        self,
        charge: JSONObject,
        amount: int,
        reason: str | None,
        metadata: dict[str, str],
        ctx: RequestContext,
    ) -> JSONObject:
        refund_id = new_id("re")
        txn = (
            self._balance_transaction(-amount, charge["currency"], refund_id, "refund", "refund")
            if charge["captured"]
            else None
        )
        refund: JSONObject = {
            "id": refund_id,
            "object": "refund",
            "amount": amount,
            "balance_transaction": txn["id"] if txn else None,
            "charge": charge["id"],
            "created": self.store.clock.timestamp(),
            "currency": charge["currency"],
            "metadata": metadata,
            "payment_intent": charge["payment_intent"],
            "reason": reason,
            "receipt_number": None,
            "source_transfer_reversal": None,
            "status": "succeeded",
            "transfer_reversal": None,
        }
        self.store.add(refund)
        return refund

    def _fail_refund(self, refund_id: str) -> None:
        with self.store.lock:
            refund = self.store.find(refund_id)
            if refund is None or refund["status"] != "succeeded":
                return
            charge = self.store.get("ch", refund["charge"])
            refund["status"] = "failed"
            refund["failure_reason"] = "expired_or_canceled_card"
            refund["failure_balance_transaction"] = self._balance_transaction(
                refund["amount"],
                refund["currency"],
                refund_id,
                "refund_failure",
                "refund_failure",
            )["id"]
            charge["amount_refunded"] -= refund["amount"]
            charge["refunded"] = False
            self.events.emit("charge.refund.updated", refund, AUTOMATIC, {"status": "succeeded"})
            self.events.emit("refund.updated", refund, AUTOMATIC, {"status": "succeeded"})

    def get_refund(self, refund_id: str) -> JSONObject:
        return self.store.get("re", refund_id, "refund")

    def update_refund(self, refund_id: str, params: Params, ctx: RequestContext) -> JSONObject:
        refund = self.get_refund(refund_id)
        metadata = params.metadata()
        if metadata is not None:
            previous = {"metadata": refund["metadata"]}
            refund["metadata"] = merge_metadata(refund["metadata"], metadata)
            self.events.emit("refund.updated", refund, ctx, previous)
        return refund

    def list_refunds(self, params: Params) -> JSONObject:
        pi_id = params.get_str("payment_intent")
        charge_id = params.get_str("charge")

        def keep(refund: JSONObject) -> bool:
            return (pi_id is None or refund["payment_intent"] == pi_id) and (
                charge_id is None or refund["charge"] == charge_id
            )

        return self.store.list_page("re", params, "/v1/refunds", keep)


def _card_fee(amount: int) -> int:
    """Stripe's US card-present price (2.7% + 5¢), for plausible balance transactions."""
    return (amount * 27 + 500) // 1000 + 5


def _check_payment_method_types(types: list[object]) -> None:
    for item in types:
        if item not in PAYMENT_METHOD_TYPES:
            # Stripe refuses a type it does not know (or the account lacks); the emulator
            # knows only the types it can take payments with.
            raise validation_error(
                f'The payment method type "{item}" is invalid. Please ensure the provided '
                "type is activated in your dashboard "
                "(https://dashboard.stripe.com/account/payments/settings) and your account "
                "is enabled for any preview features that you are trying to use.",
                param="payment_method_types",
            )
