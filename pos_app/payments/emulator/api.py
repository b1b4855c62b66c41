"""The route table: Stripe paths and methods to the resource code, with per-route parameters."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pos_app.payments.emulator.accepted import ACCEPTED
from pos_app.payments.emulator.billing import Billing
from pos_app.payments.emulator.checkout import Checkout
from pos_app.payments.emulator.credit_notes import CreditNotes
from pos_app.payments.emulator.customers import Customers
from pos_app.payments.emulator.disputes import Disputes
from pos_app.payments.emulator.errors import StripeError, unrecognized_url
from pos_app.payments.emulator.forms import Params
from pos_app.payments.emulator.payments import Payments
from pos_app.payments.emulator.schema import Obj, check
from pos_app.payments.emulator.store import JSONObject, RequestContext, Store
from pos_app.payments.emulator.terminal import Terminal


@dataclass(frozen=True)
class Call:
    params: Params
    ctx: RequestContext
    args: dict[str, str]


Handler = Callable[[Call], JSONObject]


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    template: str
    accepts: Obj
    handler: Handler


def _compile(template: str) -> re.Pattern[str]:
    regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template)
    return re.compile(f"^{regex}$")


class StripeAPI:
    def __init__(
        self,
        store: Store,
        payments: Payments,
        terminal: Terminal,
        disputes: Disputes,
        customers: Customers,
        billing: Billing,
        credit_notes: CreditNotes,
        checkout: Checkout,
    ) -> None:
        self.store = store
        self.routes: list[Route] = []
        p, t, d = payments, terminal, disputes
        add = self._add
        # PaymentIntents ("search" is listed before "{intent}" so it wins)
        add(
            "POST",
            "/v1/payment_intents",
            lambda c: p.create_payment_intent(c.params, c.ctx),
        )
        add(
            "GET",
            "/v1/payment_intents",
            lambda c: p.list_payment_intents(c.params),
        )
        add(
            "GET",
            "/v1/payment_intents/search",
            lambda c: p.search_payment_intents(c.params),
        )
        add(
            "GET",
            "/v1/payment_intents/{intent}",
            lambda c: store.get("pi", c.args["intent"], "intent"),
        )
        add(
            "POST",
            "/v1/payment_intents/{intent}",
            lambda c: p.update_payment_intent(c.args["intent"], c.params, c.ctx),
        )
        add(
            "POST",
            "/v1/payment_intents/{intent}/capture",
            lambda c: p.capture(c.args["intent"], c.params, c.ctx),
        )
        add(
            "POST",
            "/v1/payment_intents/{intent}/cancel",
            lambda c: p.cancel(c.args["intent"], c.params, c.ctx),
        )
        # Charges, refunds
        add(
            "GET",
            "/v1/charges",
            lambda c: p.list_charges(c.params),
        )
        add("GET", "/v1/charges/{charge}", lambda c: p.get_charge(c.args["charge"]))
        add(
            "POST",
            "/v1/refunds",
            lambda c: p.create_refund(c.params, c.ctx, disputed=d.charge_blocks_refund),
        )
        add(
            "GET",
            "/v1/refunds",
            lambda c: p.list_refunds(c.params),
        )
        add("GET", "/v1/refunds/{refund}", lambda c: p.get_refund(c.args["refund"]))
        add(
            "POST",
            "/v1/refunds/{refund}",
            lambda c: p.update_refund(c.args["refund"], c.params, c.ctx),
        )
        add("GET", "/v1/balance_transactions/{id}", lambda c: store.get("txn", c.args["id"]))
        # Terminal
        add(
            "POST",
            "/v1/terminal/locations",
            lambda c: t.create_location(c.params, c.ctx),
        )
        add("GET", "/v1/terminal/locations", lambda c: t.list_locations(c.params))
        add(
            "GET",
            "/v1/terminal/locations/{location}",
            lambda c: store.get("tml", c.args["location"], "location"),
        )
        add(
            "POST",
            "/v1/terminal/readers",
            lambda c: t.register_reader(c.params, c.ctx),
        )
        add(
            "GET",
            "/v1/terminal/readers",
            lambda c: t.list_readers(c.params),
        )
        add("GET", "/v1/terminal/readers/{reader}", lambda c: t.get_reader(c.args["reader"]))
        add(
            "POST",
            "/v1/terminal/readers/{reader}",
            lambda c: t.update_reader(c.args["reader"], c.params),
        )
        add(
            "DELETE",
            "/v1/terminal/readers/{reader}",
            lambda c: t.delete_reader(c.args["reader"]),
        )
        add(
            "POST",
            "/v1/terminal/readers/{reader}/process_payment_intent",
            lambda c: t.process_payment_intent(c.args["reader"], c.params, c.ctx),
        )
        add(
            "POST",
            "/v1/terminal/readers/{reader}/cancel_action",
            lambda c: t.cancel_action(c.args["reader"], c.ctx),
        )
        add(
            "POST",
            "/v1/terminal/readers/{reader}/set_reader_display",
            lambda c: t.set_reader_display(c.args["reader"], c.params, c.ctx),
        )
        add(
            "POST",
            "/v1/test_helpers/terminal/readers/{reader}/present_payment_method",
            lambda c: t.present_payment_method(c.args["reader"], c.params, c.ctx),
        )
        # Disputes
        add(
            "GET",
            "/v1/disputes",
            lambda c: d.list(c.params),
        )
        add("GET", "/v1/disputes/{dispute}", lambda c: d.get(c.args["dispute"]))
        add(
            "POST",
            "/v1/disputes/{dispute}",
            lambda c: d.update(c.args["dispute"], c.params, c.ctx),
        )
        add("POST", "/v1/disputes/{dispute}/close", lambda c: d.close(c.args["dispute"], c.ctx))
        # Events
        add(
            "GET",
            "/v1/events",
            self._list_events,
        )
        add("GET", "/v1/events/{id}", lambda c: store.get("evt", c.args["id"]))
        self._add_billing_routes(customers, billing, credit_notes)
        self._add_checkout_routes(checkout)

    def _add_billing_routes(
        self, customers: Customers, billing: Billing, credit_notes: CreditNotes
    ) -> None:
        """Customers and their cards, invoice items, invoices, credit notes."""
        add, cu, b, cn = self._add, customers, billing, credit_notes
        # Customers ("search" before "{customer}")
        add("POST", "/v1/customers", lambda c: cu.create(c.params, c.ctx))
        add("GET", "/v1/customers", lambda c: cu.list(c.params))
        add("GET", "/v1/customers/search", lambda c: cu.search(c.params))
        add("GET", "/v1/customers/{customer}", lambda c: cu.get(c.args["customer"]))
        add(
            "POST",
            "/v1/customers/{customer}",
            lambda c: cu.update(c.args["customer"], c.params, c.ctx),
        )
        add(
            "GET",
            "/v1/customers/{customer}/payment_methods",
            lambda c: cu.list_payment_methods(c.params, c.args["customer"]),
        )
        # PaymentMethods
        add("POST", "/v1/payment_methods", lambda c: cu.create_payment_method(c.params, c.ctx))
        add("GET", "/v1/payment_methods", lambda c: cu.list_payment_methods(c.params))
        add(
            "GET",
            "/v1/payment_methods/{payment_method}",
            lambda c: self.store.get("pm", c.args["payment_method"], "payment_method"),
        )
        add(
            "POST",
            "/v1/payment_methods/{payment_method}/attach",
            lambda c: cu.attach(c.args["payment_method"], c.params, c.ctx),
        )
        add(
            "POST",
            "/v1/payment_methods/{payment_method}/detach",
            lambda c: cu.detach(c.args["payment_method"], c.ctx),
        )
        # Invoice items
        add("POST", "/v1/invoiceitems", lambda c: b.create_item(c.params, c.ctx))
        add("GET", "/v1/invoiceitems", lambda c: b.list_items(c.params))
        add("GET", "/v1/invoiceitems/{invoiceitem}", lambda c: b.get_item(c.args["invoiceitem"]))
        add(
            "POST",
            "/v1/invoiceitems/{invoiceitem}",
            lambda c: b.update_item(c.args["invoiceitem"], c.params, c.ctx),
        )
        add(
            "DELETE",
            "/v1/invoiceitems/{invoiceitem}",
            lambda c: b.delete_item(c.args["invoiceitem"], c.ctx),
        )
        # Invoices ("search" before "{invoice}")
        add("POST", "/v1/invoices", lambda c: b.create_invoice(c.params, c.ctx))
        add("GET", "/v1/invoices", lambda c: b.list_invoices(c.params))
        add("GET", "/v1/invoices/search", lambda c: b.search_invoices(c.params))
        add("GET", "/v1/invoices/{invoice}", lambda c: b.get_invoice(c.args["invoice"]))
        add(
            "POST",
            "/v1/invoices/{invoice}",
            lambda c: b.update_invoice(c.args["invoice"], c.params, c.ctx),
        )
        add(
            "DELETE", "/v1/invoices/{invoice}", lambda c: b.delete_invoice(c.args["invoice"], c.ctx)
        )
        add(
            "GET",
            "/v1/invoices/{invoice}/lines",
            lambda c: b.list_lines(c.args["invoice"], c.params),
        )
        add(
            "POST",
            "/v1/invoices/{invoice}/finalize",
            lambda c: b.finalize(c.args["invoice"], c.params, c.ctx),
        )
        add(
            "POST",
            "/v1/invoices/{invoice}/pay",
            lambda c: b.pay(c.args["invoice"], c.params, c.ctx),
        )
        add("POST", "/v1/invoices/{invoice}/void", lambda c: b.void(c.args["invoice"], c.ctx))
        add(
            "POST",
            "/v1/invoices/{invoice}/mark_uncollectible",
            lambda c: b.mark_uncollectible(c.args["invoice"], c.ctx),
        )
        add("POST", "/v1/invoices/{invoice}/send", lambda c: b.send(c.args["invoice"], c.ctx))
        # Credit notes
        add("POST", "/v1/credit_notes", lambda c: cn.create(c.params, c.ctx))
        add("GET", "/v1/credit_notes", lambda c: cn.list(c.params))
        add("GET", "/v1/credit_notes/{id}", lambda c: cn.get(c.args["id"]))
        add(
            "POST",
            "/v1/credit_notes/{id}",
            lambda c: cn.update(c.args["id"], c.params, c.ctx),
        )
        add(
            "POST",
            "/v1/credit_notes/{id}/void",
            lambda c: cn.void(c.args["id"], c.ctx),
        )
        add(
            "GET",
            "/v1/credit_notes/{credit_note}/lines",
            lambda c: cn.list_lines(c.args["credit_note"], c.params),
        )

    def _add_checkout_routes(self, checkout: Checkout) -> None:
        """Checkout Sessions in setup mode (a customer saves a card) and their SetupIntents."""
        add, co = self._add, checkout
        add("POST", "/v1/checkout/sessions", lambda c: co.create_session(c.params, c.ctx))
        add("GET", "/v1/checkout/sessions", lambda c: co.list_sessions(c.params))
        add("GET", "/v1/checkout/sessions/{session}", lambda c: co.get_session(c.args["session"]))
        add(
            "POST",
            "/v1/checkout/sessions/{session}/expire",
            lambda c: co.expire_session(c.args["session"], c.ctx),
        )
        add("GET", "/v1/setup_intents/{intent}", lambda c: co.get_setup_intent(c.args["intent"]))

    def _add(self, method: str, template: str, handler: Handler) -> None:
        accepts = ACCEPTED[(method, template)]
        self.routes.append(Route(method, _compile(template), template, accepts, handler))

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]]:
        for route in self.routes:
            if route.method == method:
                found = route.pattern.match(path)
                if found:
                    return route, found.groupdict()
        raise unrecognized_url(method, path)

    def call(
        self, method: str, path: str, data: dict[str, Any], ctx: RequestContext
    ) -> tuple[int, bytes]:
        """Runs one API request; the caller holds `store.lock`. Raises StripeError."""
        route, args = self.match(method, path)
        check(route.accepts, data)
        params = Params(data)
        expand = params.expand()
        result = route.handler(Call(params, ctx, args))
        return 200, self.store.dump(result, expand)

    def _list_events(self, call: Call) -> JSONObject:
        params = call.params
        event_type = params.get_str("type")
        types = params.get_list("types")
        if event_type and types:
            raise StripeError(
                400, "You may only specify one of these parameters: type, types.", param="types"
            )

        def wanted(event: JSONObject) -> bool:
            kind: str = event["type"]
            if types:
                return kind in types
            if event_type is None:
                return True
            if event_type.endswith("*"):
                return kind.startswith(event_type[:-1])
            return kind == event_type

        return self.store.list_page("evt", params, "/v1/events", wanted)
