"""Checkout Sessions in setup mode, their SetupIntents, and the hosted page that saves a card.

What the platform needs so a shop's owner saves (or changes) the card its fee invoices are
charged to, without the platform ever seeing a card number: `POST /v1/checkout/sessions` with
`mode=setup` and a `customer` makes an open session, its SetupIntent
(`requires_payment_method`) and a `url` on the emulator (`/c/pay/{session}`), a simple page
with Stripe's test cards, its own words in the session's `locale` (kept and echoed on the
session as Stripe does; Portuguese for `pt` and `pt-BR`, English for the rest). There:

* a card that attaches (4242..., or 4000000000000341, which attaches and then fails every
  charge) becomes a PaymentMethod attached to the customer; the SetupIntent `succeeded`; the
  session `complete`; `payment_method.attached`, `setup_intent.succeeded` and
  `checkout.session.completed` are emitted; the browser is sent (303) to `success_url`, its
  `{CHECKOUT_SESSION_ID}` replaced by the session's id, as Stripe does;
* a declining card (4000000000000002...) is refused on the page with Stripe's message (402);
  the SetupIntent keeps `last_setup_error`, the session stays open;
* Cancel sends the browser (303) to `cancel_url`; the session stays open, as at Stripe.

A session expires at `expires_at` (24 hours by the emulator's clock unless asked for sooner,
30 minutes at the least) or when `POST .../expire` is called: `expired`, its SetupIntent
`canceled`, `checkout.session.expired` emitted. Only setup mode is served.

Callers hold `store.lock` for every method here.
"""

from __future__ import annotations

import html
import secrets
from collections.abc import Callable
from urllib.parse import quote

from pos_app.payments.emulator.cards import ONLINE_TEST_CARDS
from pos_app.payments.emulator.customers import Customers
from pos_app.payments.emulator.errors import (
    StripeError,
    invalid_request,
    missing_parameter,
    validation_error,
)
from pos_app.payments.emulator.events import EventLog
from pos_app.payments.emulator.forms import Params, merge_metadata
from pos_app.payments.emulator.store import AUTOMATIC, JSONObject, RequestContext, Store, new_id

CHECKOUT_PATH = "/c/pay/"
SESSION_ID_PLACEHOLDER = "{CHECKOUT_SESSION_ID}"
DEFAULT_LIFETIME = 24 * 3600
MIN_LIFETIME = 30 * 60

# The hosted page's choices: Stripe's test cards by number, with what each does when saved.
PAGE_CARDS: tuple[tuple[str, str], ...] = (
    ("4242424242424242", "Visa 4242 4242 4242 4242: saves, charges succeed"),
    ("5555555555554444", "Mastercard 5555 5555 5555 4444: saves, charges succeed"),
    ("4000000000000341", "Visa 4000 0000 0000 0341: saves, every charge is declined"),
    ("4000000000000002", "Visa 4000 0000 0000 0002: declined when saved"),
    ("4000000000009995", "Visa 4000 0000 0000 9995: declined when saved (insufficient funds)"),
)
_TEST_PM_BY_NUMBER = {number: f"pm_card_{name}" for name, number in ONLINE_TEST_CARDS.items()}

# The hosted page's own words in the session's `locale` (Stripe's page speaks it; the emulator
# knows Portuguese besides English, enough to see the page follows the locale asked for).
# `auto`, none or another language: English (the browser's language, as far as a test knows).
PAGE_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "lang": "en", "title": "Save a card (Stripe emulator)", "heading": "Save a card",
        "for": "For {who}", "legend": "Card", "save": "Save card", "cancel": "Cancel",
        "status": "This session is {status}.",
    },
    "pt": {
        "lang": "pt-BR", "title": "Salvar um cartão (emulador da Stripe)",
        "heading": "Salvar um cartão", "for": "Para {who}", "legend": "Cartão",
        "save": "Salvar cartão", "cancel": "Cancelar", "status": "Esta sessão está {status}.",
    },
}  # fmt: skip


def page_words(locale: str | None) -> dict[str, str]:
    """The hosted page's words for a session's `locale` (`pt` and `pt-BR`: Portuguese)."""
    return PAGE_WORDS.get((locale or "").split("-")[0], PAGE_WORDS["en"])


def _spaced(number: str) -> str:
    return " ".join(number[i : i + 4] for i in range(0, len(number), 4))


class Checkout:
    def __init__(
        self,
        store: Store,
        events: EventLog,
        customers: Customers,
        schedule: Callable[[float, Callable[[], None]], None],
        base_url: Callable[[], str],
    ) -> None:
        self.store = store
        self.events = events
        self.customers = customers
        self.schedule = schedule
        self.base_url = base_url

    # -- sessions --------------------------------------------------------------------------------
    def create_session(self, params: Params, ctx: RequestContext) -> JSONObject:
        mode = params.get_choice("mode", ("payment", "setup", "subscription"))
        if mode is None:
            raise missing_parameter("mode")
        if mode != "setup":
            raise invalid_request(
                f"The Stripe emulator serves Checkout in setup mode only (mode={mode}).",
                param="mode",
            )
        success_url = params.get_str("success_url")
        if not success_url:
            raise missing_parameter("success_url")
        customer_id = params.get_str("customer") or None
        if customer_id:
            self.customers.get(customer_id)
        types = [str(kind) for kind in params.get_list("payment_method_types") or []]
        currency = (params.get_str("currency") or "").lower() or None
        if not types and currency is None:
            raise invalid_request(
                "You must provide `currency` or `payment_method_types` in `setup` mode.",
                param="currency",
            )
        if any(kind != "card" for kind in types):
            raise invalid_request(
                "The Stripe emulator's Checkout saves cards only "
                f"(payment_method_types: {', '.join(types)}).",
                param="payment_method_types",
            )
        now = self.store.clock.timestamp()
        expires_at = params.get_int("expires_at")
        if expires_at is None:
            expires_at = now + DEFAULT_LIFETIME
        elif not now + MIN_LIFETIME <= expires_at <= now + DEFAULT_LIFETIME:
            raise validation_error(
                "The `expires_at` timestamp must be between 30 minutes and 24 hours from "
                "Checkout Session creation.",
                param="expires_at",
            )
        session_id = new_id("cs_test", 58)
        setup_data = params.get_dict("setup_intent_data") or {}
        intent = self._new_setup_intent(
            customer_id,
            description=str(setup_data.get("description") or "") or None,
            metadata=merge_metadata({}, Params(setup_data).metadata()),
        )
        self.events.emit("setup_intent.created", intent, ctx)
        session: JSONObject = {
            "id": session_id,
            "object": "checkout.session",
            "after_expiration": None,
            "allow_promotion_codes": None,
            "amount_subtotal": None,
            "amount_total": None,
            "automatic_tax": {"enabled": False, "status": None},
            "billing_address_collection": None,
            "cancel_url": params.get_str("cancel_url") or None,
            "client_reference_id": params.get_str("client_reference_id") or None,
            "consent": None,
            "consent_collection": None,
            "created": now,
            "currency": currency,
            "currency_conversion": None,
            "custom_fields": [],
            "custom_text": {
                "shipping_address": None,
                "submit": None,
                "terms_of_service_acceptance": None,
            },
            "customer": customer_id,
            "customer_creation": None,
            "customer_details": None,
            "customer_email": params.get_str("customer_email") or None,
            "expires_at": expires_at,
            "invoice": None,
            "invoice_creation": None,
            "livemode": False,
            "locale": params.get_str("locale") or None,
            "metadata": merge_metadata({}, params.metadata()),
            "mode": "setup",
            "payment_intent": None,
            "payment_link": None,
            "payment_method_collection": "always",
            "payment_method_options": {},
            "payment_method_types": types or ["card"],
            "payment_status": "no_payment_required",
            "phone_number_collection": {"enabled": False},
            "recovered_from": None,
            "setup_intent": intent["id"],
            "shipping_address_collection": None,
            "shipping_cost": None,
            "shipping_details": None,
            "shipping_options": [],
            "status": "open",
            "submit_type": None,
            "subscription": None,
            "success_url": success_url,
            "tax_id_collection": None,
            "total_details": None,
            "url": f"{self.base_url()}{CHECKOUT_PATH}{session_id}",
        }
        self.store.add(session)
        self._schedule_expiry(session)
        return session

    def get_session(self, session_id: str) -> JSONObject:
        session = self.store.get("cs", session_id, "session")
        self._expire_if_due(session)
        return session

    def expire_session(self, session_id: str, ctx: RequestContext) -> JSONObject:
        session = self.get_session(session_id)
        if session["status"] != "open":
            raise invalid_request(
                f'Only Checkout Sessions with a status in ["open"] can be expired. This '
                f'Checkout Session has a status of "{session["status"]}".',
                param="session",
            )
        self._expire(session, ctx)
        return session

    def list_sessions(self, params: Params) -> JSONObject:
        customer = params.get_str("customer")
        return self.store.list_page(
            "cs",
            params,
            "/v1/checkout/sessions",
            lambda session: customer is None or session["customer"] == customer,
        )

    def get_setup_intent(self, intent_id: str) -> JSONObject:
        return self.store.get("seti", intent_id, "intent")

    # -- expiry ----------------------------------------------------------------------------------
    def _schedule_expiry(self, session: JSONObject) -> None:
        session_id = session["id"]
        self.schedule(session["expires_at"], lambda: self._expire_timer(session_id))

    def _expire_timer(self, session_id: str) -> None:
        with self.store.lock:
            session = self.store.find(session_id)
            if session is not None:
                self._expire_if_due(session)

    def _expire_if_due(self, session: JSONObject) -> None:
        if session["status"] == "open" and self.store.clock.now() >= session["expires_at"]:
            self._expire(session, AUTOMATIC)

    def _expire(self, session: JSONObject, ctx: RequestContext) -> None:
        session["status"] = "expired"
        session["url"] = None
        intent = self.store.find(session["setup_intent"])
        if intent is not None and intent["status"] not in ("succeeded", "canceled"):
            intent["status"] = "canceled"
            intent["cancellation_reason"] = "abandoned"
            self.events.emit("setup_intent.canceled", intent, ctx)
        self.events.emit("checkout.session.expired", session, ctx)

    def resume_timers(self) -> None:
        """After a restart: open sessions still expire on time."""
        for session in self.store.all("cs"):
            if session["status"] == "open":
                self._schedule_expiry(session)

    # -- setup intents ---------------------------------------------------------------------------
    def _new_setup_intent(
        self, customer_id: str | None, *, description: str | None, metadata: dict[str, str]
    ) -> JSONObject:
        intent_id = new_id("seti")
        intent: JSONObject = {
            "id": intent_id,
            "object": "setup_intent",
            "application": None,
            "automatic_payment_methods": None,
            "cancellation_reason": None,
            "client_secret": f"{intent_id}_secret_{secrets.token_urlsafe(18)}",
            "created": self.store.clock.timestamp(),
            "customer": customer_id,
            "description": description,
            "flow_directions": None,
            "last_setup_error": None,
            "latest_attempt": None,
            "livemode": False,
            "mandate": None,
            "metadata": metadata,
            "next_action": None,
            "on_behalf_of": None,
            "payment_method": None,
            "payment_method_options": {
                "card": {
                    "mandate_options": None,
                    "network": None,
                    "request_three_d_secure": "automatic",
                }
            },
            "payment_method_types": ["card"],
            "single_use_mandate": None,
            "status": "requires_payment_method",
            "usage": "off_session",
        }
        self.store.add(intent)
        return intent

    # -- the hosted page (/c/pay/{session}) ------------------------------------------------------
    def hosted_page(self, session_id: str, message: str | None = None) -> str:
        session = self.get_session(session_id)
        words = page_words(session.get("locale"))
        customer = self.store.find(session["customer"])
        who = (customer or {}).get("email") or (customer or {}).get("name") or ""
        notice = f'<p class="message" role="alert">{html.escape(message)}</p>' if message else ""
        if session["status"] == "open":
            choices = "".join(
                f'<p><label><input type="radio" name="card" value="{number}"'
                f"{' checked' if index == 0 else ''}> {html.escape(label)}</label></p>"
                for index, (number, label) in enumerate(PAGE_CARDS)
            )
            body = (
                f'<form method="post" action="{CHECKOUT_PATH}{session_id}/confirm">'
                f"<fieldset><legend>{words['legend']}</legend>{choices}</fieldset>"
                f'<button type="submit" id="save-card">{words["save"]}</button></form>'
                f'<form method="post" action="{CHECKOUT_PATH}{session_id}/cancel">'
                f'<button type="submit" id="cancel">{words["cancel"]}</button></form>'
            )
        else:
            status = words["status"].format(status=html.escape(session["status"]))
            body = f'<p class="status">{status}</p>'
        return (
            f'<!doctype html><html lang="{words["lang"]}"><head><meta charset="utf-8">'
            f"<title>{words['title']}</title></head>"
            f"<body><main><h1>{words['heading']}</h1>"
            + (f"<p>{words['for'].format(who=html.escape(who))}</p>" if who else "")
            + f"{notice}{body}</main></body></html>"
        )

    def confirm_from_hosted_page(self, session_id: str, number: str) -> tuple[str | None, str]:
        """The customer picks a card and saves it: (the card error to show or None, and where
        to send the browser when it worked)."""
        session = self.get_session(session_id)
        if session["status"] != "open":
            raise invalid_request(f"This Checkout Session is {session['status']}.")
        reference = _TEST_PM_BY_NUMBER.get(number.replace(" ", ""))
        if reference is None:
            return "Your card number is incorrect.", ""
        intent = self.store.get("seti", session["setup_intent"], "setup_intent")
        customer = self.store.find(session["customer"])
        try:
            if customer is not None:
                payment_method = self.customers.attach_test_card(reference, customer, AUTOMATIC)
            else:
                card = self.customers._attachable(reference, "payment_method")
                assert card is not None
                payment_method = self.customers._new_payment_method(card, {})
        except StripeError as error:
            intent["last_setup_error"] = {
                "code": error.code,
                "decline_code": error.decline_code,
                "message": error.message,
                "type": error.type,
            }
            self.events.emit("setup_intent.setup_failed", intent, AUTOMATIC)
            return error.message, ""
        intent.update(
            status="succeeded",
            payment_method=payment_method["id"],
            last_setup_error=None,
        )
        self.events.emit("setup_intent.succeeded", intent, AUTOMATIC)
        session["status"] = "complete"
        session["url"] = None
        if customer is not None:
            session["customer_details"] = {
                "address": None,
                "email": customer["email"],
                "name": customer["name"],
                "phone": None,
                "tax_exempt": "none",
                "tax_ids": [],
            }
        self.events.emit("checkout.session.completed", session, AUTOMATIC)
        return None, session["success_url"].replace(
            SESSION_ID_PLACEHOLDER, quote(session_id, safe="")
        )

    def cancel_from_hosted_page(self, session_id: str) -> str:
        """The customer leaves: where to send the browser (the session stays open)."""
        session = self.get_session(session_id)
        return str(session["cancel_url"] or session["success_url"])


__all__ = ["CHECKOUT_PATH", "Checkout"]
