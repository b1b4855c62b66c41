"""Terminal locations and simulated smart readers (server-driven integration).

A reader holds at most one `action`. `process_payment_intent` starts one (in_progress);
`present_payment_method` (test helper, or the demo auto-tap) completes it with the issuer's
answer; `cancel_action` clears it (`action: null`). As Stripe documents, a payment that has
not begun processing can be replaced by a new `process_payment_intent`; a reader that is
authorizing a card (or marked busy) answers `terminal_reader_busy`; an offline reader
answers `terminal_reader_offline`; a reader that fails to acknowledge answers
`terminal_reader_timeout` (optionally after having received the command: a false negative).

Callers hold `store.lock` for every public method here.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pos_app.payments.emulator.cards import (
    DEFAULT_CARD_PRESENT,
    DEFAULT_INTERAC_PRESENT,
    CardOutcome,
    outcome_for,
)
from pos_app.payments.emulator.errors import (
    StripeError,
    invalid_request,
    missing_parameter,
    validation_error,
)
from pos_app.payments.emulator.events import EventLog
from pos_app.payments.emulator.forms import Params, as_list, merge_metadata
from pos_app.payments.emulator.payments import Payments
from pos_app.payments.emulator.store import AUTOMATIC, JSONObject, RequestContext, Store, new_id

SIMULATED_REGISTRATION_CODE = "simulated-wpe"
GUIDE = (
    "https://stripe.com/docs/terminal/payments/collect-card-payment"
    "?terminal-sdk-platform=server-driven#handle-errors"
)
CUSTOMER_CANCELED_MESSAGE = "This action could not be completed due to an error on the card reader."
READER_FAULTS = (
    "ack_timeout",
    "ack_timeout_delivered",
    "connection_error",
    "connection_error_after_auth",
)

_LABEL_WORDS = (
    ("Blue", "Green", "Amber", "Silver", "Coral", "Quiet", "Swift", "Bright"),
    ("Rabbit", "Heron", "Otter", "Falcon", "Badger", "Lynx", "Wren", "Marten"),
)


def reader_offline() -> StripeError:
    return StripeError(
        400,
        "Reader is currently offline, please ensure the reader is powered on and connected "
        "to the internet before retrying your request. Reference the integration guide at "
        f"{GUIDE} for details on how to handle this error.",
        code="terminal_reader_offline",
    )


def reader_busy() -> StripeError:
    return StripeError(
        400,
        "Reader is currently busy processing another request. Please reference the "
        f"integration guide at {GUIDE} for details on how to handle this error.",
        code="terminal_reader_busy",
    )


def reader_timeout() -> StripeError:
    return StripeError(
        400,
        "There was a timeout when sending this command to the reader. Please reference the "
        f"integration guide at {GUIDE} for details on how to handle this error.",
        code="terminal_reader_timeout",
    )


@dataclass
class ReaderRuntime:
    """What the reader does that the API object doesn't show."""

    online: bool = True
    busy: bool = False  # installing updates / changing settings (test control)
    authorizing: bool = False  # a card was presented and is being authorized
    token: int = 0  # bumps whenever the action changes; stale timers compare it
    faults: list[str] = field(default_factory=list)


class Terminal:
    def __init__(
        self,
        store: Store,
        events: EventLog,
        payments: Payments,
        schedule: Callable[[float, Callable[[], None]], None],
        *,
        action_timeout: float | None,
        auto_present_delay: float | None,
        authorization_delay: float = 0.0,
    ) -> None:
        self.store = store
        self.events = events
        self.payments = payments
        self.schedule = schedule
        self.action_timeout = action_timeout
        self.auto_present_delay = auto_present_delay
        self.authorization_delay = authorization_delay
        self.runtime: dict[str, ReaderRuntime] = {}
        payments.on_canceled_under_reader = self._payment_intent_canceled

    # -- locations ---------------------------------------------------------------------------

    def create_location(self, params: Params, ctx: RequestContext) -> JSONObject:
        display_name = params.get_str("display_name", required=True, max_length=1000)
        address = params.get_dict("address")
        if address is None:
            raise missing_parameter("address")
        known = ("city", "country", "line1", "line2", "postal_code", "state")
        location: JSONObject = {
            "id": new_id("tml"),
            "object": "terminal.location",
            "address": {key: address.get(key) for key in known},
            "display_name": display_name,
            "livemode": False,
            "metadata": merge_metadata({}, params.metadata()),
        }
        location["address"]["country"] = str(address["country"]).upper()
        if params.has("configuration_overrides"):
            location["configuration_overrides"] = params.get_str("configuration_overrides")
        self.store.add(location)
        return location

    def list_locations(self, params: Params) -> JSONObject:
        return self.store.list_page("tml", params, "/v1/terminal/locations")

    # -- readers -----------------------------------------------------------------------------

    def register_reader(self, params: Params, ctx: RequestContext) -> JSONObject:
        code = params.get_str("registration_code", required=True)
        location_id = params.get_str("location")
        if location_id:
            self.store.get("tml", location_id, "location")
        if code != SIMULATED_REGISTRATION_CODE:
            raise invalid_request(
                f"The registration code '{code}' is invalid or has expired. Get a new code "
                "from the reader (or use 'simulated-wpe' for a simulated reader in test mode).",
                param="registration_code",
            )
        label = params.get_str("label") or " ".join(secrets.choice(words) for words in _LABEL_WORDS)
        reader: JSONObject = {
            "id": new_id("tmr"),
            "object": "terminal.reader",
            "action": None,
            "device_sw_version": "",
            "device_type": "simulated_wisepos_e",
            "ip_address": "0.0.0.0",
            "label": label,
            "livemode": False,
            "location": location_id,
            "metadata": merge_metadata({}, params.metadata()),
            "serial_number": str(uuid.uuid4()),
            "status": "online",
        }
        self.store.add(reader)
        self.runtime[reader["id"]] = ReaderRuntime()
        return reader

    def list_readers(self, params: Params) -> JSONObject:
        location = params.get_str("location")
        status = params.get_choice("status", ("offline", "online"))
        device_type = params.get_str("device_type")
        serial = params.get_str("serial_number")

        def keep(reader: JSONObject) -> bool:
            return (
                (location is None or reader["location"] == location)
                and (status is None or reader["status"] == status)
                and (device_type is None or reader["device_type"] == device_type)
                and (serial is None or reader["serial_number"] == serial)
            )

        return self.store.list_page("tmr", params, "/v1/terminal/readers", keep)

    def get_reader(self, reader_id: str) -> JSONObject:
        return self.store.get("tmr", reader_id, "reader")

    def update_reader(self, reader_id: str, params: Params) -> JSONObject:
        reader = self.get_reader(reader_id)
        if params.has("label"):
            reader["label"] = params.get_str("label", required=True)
        metadata = params.metadata()
        if metadata is not None:
            reader["metadata"] = merge_metadata(reader["metadata"], metadata)
        return reader

    def delete_reader(self, reader_id: str) -> JSONObject:
        self.get_reader(reader_id)
        self.store.remove(reader_id)
        self.runtime.pop(reader_id, None)
        return {"id": reader_id, "object": "terminal.reader", "deleted": True}

    # -- reader actions --------------------------------------------------------------------
    def _reachable(self, reader_id: str) -> tuple[JSONObject, ReaderRuntime]:
        reader = self.get_reader(reader_id)
        runtime = self.runtime[reader_id]
        if not runtime.online:
            raise reader_offline()
        if runtime.busy or runtime.authorizing:
            raise reader_busy()
        return reader, runtime

    def _acknowledge(self, runtime: ReaderRuntime, apply: Callable[[], None]) -> None:
        """Deliver a command to the reader, honouring an injected acknowledgement fault."""
        fault = runtime.faults[0] if runtime.faults else None
        if fault in ("ack_timeout", "ack_timeout_delivered"):
            runtime.faults.pop(0)
            if fault == "ack_timeout_delivered":
                apply()
            raise reader_timeout()
        apply()

    def process_payment_intent(
        self, reader_id: str, params: Params, ctx: RequestContext
    ) -> JSONObject:
        reader, runtime = self._reachable(reader_id)
        pi_id = params.get_str("payment_intent", required=True)
        pi = self.store.get("pi", pi_id, "payment_intent")
        config = params.get_dict("process_config")
        if pi["status"] != "requires_payment_method":
            raise StripeError(
                400,
                "Payment intent must be in the requires_payment_method state to be processed "
                "by a reader.",
                code="intent_invalid_state",
            )
        if not {"card_present", "interac_present"} & set(pi["payment_method_types"]):
            raise invalid_request(
                "The PaymentIntent's payment_method_types must include card_present (or "
                "interac_present) for it to be processed by a reader.",
                param="payment_intent",
            )
        # A waiting payment or a cart display gives way to the new payment.

        def apply() -> None:
            self._release_current(reader)
            action: JSONObject = {
                "failure_code": None,
                "failure_message": None,
                "process_payment_intent": {"payment_intent": pi["id"]},
                "status": "in_progress",
                "type": "process_payment_intent",
            }
            if config:
                action["process_payment_intent"]["process_config"] = _typed_config(config)
            reader["action"] = action
            runtime.token += 1
            self.payments.on_reader[pi["id"]] = reader_id
            token = runtime.token
            now = self.store.clock.now()
            if self.action_timeout is not None:
                self.schedule(now + self.action_timeout, lambda: self._time_out(reader_id, token))
            if self.auto_present_delay is not None:
                self.schedule(
                    now + self.auto_present_delay, lambda: self._auto_present(reader_id, token)
                )

        self._acknowledge(runtime, apply)
        return reader

    def _release_current(self, reader: JSONObject) -> None:
        action = reader["action"]
        if action and action["type"] == "process_payment_intent":
            self.payments.on_reader.pop(action["process_payment_intent"]["payment_intent"], None)

    def set_reader_display(self, reader_id: str, params: Params, ctx: RequestContext) -> JSONObject:
        reader, runtime = self._reachable(reader_id)
        display_type = params.get_choice("type", ("cart",), required=True)
        cart = params.get_dict("cart")
        if cart is None:
            raise missing_parameter("cart")
        current = reader["action"]
        if (
            current
            and current["status"] == "in_progress"
            and current["type"] != "set_reader_display"
        ):
            # A payment is waiting on the reader: Stripe's smart readers refuse other commands
            # until it is canceled (cancel_action) or completed.
            raise reader_busy()
        cart_params = Params(cart)
        currency = (cart_params.get_str("currency", required=True) or "").lower()
        total = cart_params.get_int("total", required=True)
        tax = cart_params.get_int("tax")
        items_raw = cart.get("line_items")
        if items_raw is None:
            raise missing_parameter("cart[line_items]")
        try:
            items = as_list(items_raw) if items_raw != "" else []
        except TypeError:
            raise validation_error(
                "Invalid array: cart[line_items]", param="cart[line_items]"
            ) from None
        line_items: list[JSONObject] = []
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                raise validation_error(
                    f"Invalid object: cart[line_items][{index}]", param=f"cart[line_items][{index}]"
                )
            item_params = Params(item)
            line_items.append(
                {
                    "amount": item_params.get_int("amount", required=True),
                    "description": item_params.get_str("description", required=True),
                    "quantity": item_params.get_int("quantity", required=True),
                }
            )

        def apply() -> None:
            reader["action"] = {
                "failure_code": None,
                "failure_message": None,
                "set_reader_display": {
                    "cart": {
                        "currency": currency,
                        "line_items": line_items,
                        "tax": tax,
                        "total": total,
                    },
                    "type": display_type,
                },
                "status": "in_progress",
                "type": "set_reader_display",
            }
            runtime.token += 1

        self._acknowledge(runtime, apply)
        return reader

    def cancel_action(self, reader_id: str, ctx: RequestContext) -> JSONObject:
        reader, runtime = self._reachable(reader_id)

        def apply() -> None:
            self._release_current(reader)
            reader["action"] = None
            runtime.token += 1

        self._acknowledge(runtime, apply)
        return reader

    def present_payment_method(
        self, reader_id: str, params: Params, ctx: RequestContext
    ) -> JSONObject:
        reader = self.get_reader(reader_id)
        runtime = self.runtime[reader_id]
        if not runtime.online:
            raise reader_offline()
        action = reader["action"]
        if (
            action is None
            or action["type"] != "process_payment_intent"
            or action["status"] != "in_progress"
            or runtime.authorizing
        ):
            raise invalid_request(
                "This reader has no in-progress payment action to present a payment method to. "
                "Call process_payment_intent first.",
            )
        pi = self.store.get("pi", action["process_payment_intent"]["payment_intent"])
        pm_type = params.get_choice("type", ("card_present", "interac_present"))
        if pm_type is None:
            pm_type = (
                "interac_present"
                if pi["payment_method_types"] == ["interac_present"]
                else "card_present"
            )
        if pm_type not in pi["payment_method_types"]:
            raise invalid_request(
                f"The PaymentIntent does not accept {pm_type} payments.", param="type"
            )
        details = params.get_dict(pm_type) or {}
        number = details.get("number")
        if number is None:
            default = (
                DEFAULT_INTERAC_PRESENT if pm_type == "interac_present" else DEFAULT_CARD_PRESENT
            )
            number = default.number
        if not isinstance(number, str):
            raise validation_error(f"Invalid string: {pm_type}[number]", param=f"{pm_type}[number]")
        tip = params.get_int("amount_tip", minimum=0)
        if tip:
            pi["amount"] += tip
            pi["amount_details"] = {"tip": {"amount": tip}}
        outcome = outcome_for(number, pi["amount"])
        if self.authorization_delay > 0:
            runtime.authorizing = True
            token = runtime.token
            self.schedule(
                self.store.clock.now() + self.authorization_delay,
                lambda: self._finish_authorization(reader_id, token, outcome, pm_type, ctx),
            )
            return reader
        self._complete(reader, runtime, pi, outcome, pm_type, ctx)
        return reader

    def _finish_authorization(
        self, reader_id: str, token: int, outcome: CardOutcome, pm_type: str, ctx: RequestContext
    ) -> None:
        with self.store.lock:
            reader = self.store.find(reader_id)
            runtime = self.runtime.get(reader_id)
            if reader is None or runtime is None or runtime.token != token:
                return
            runtime.authorizing = False
            action = reader["action"]
            if not action or action["status"] != "in_progress":
                return
            pi = self.store.get("pi", action["process_payment_intent"]["payment_intent"])
            self._complete(reader, runtime, pi, outcome, pm_type, ctx)

    def _complete(
        self,
        reader: JSONObject,
        runtime: ReaderRuntime,
        pi: JSONObject,
        outcome: CardOutcome,
        pm_type: str,
        ctx: RequestContext,
    ) -> None:
        action = reader["action"]
        fault = runtime.faults[0] if runtime.faults else None
        if fault in ("connection_error", "connection_error_after_auth"):
            runtime.faults.pop(0)
            if fault == "connection_error_after_auth":
                # Stripe authorized the card but the reader never heard back.
                self.payments.authorize_card_present(
                    pi, outcome, payment_method_type=pm_type, reader_id=reader["id"], ctx=ctx
                )
            self._fail(reader, runtime, "connection_error", "Could not connect to Stripe.", ctx)
            return
        if pi["status"] != "requires_payment_method":
            self._fail(
                reader,
                runtime,
                "intent_invalid_state",
                "Payment intent must be in the requires_payment_method state to be processed "
                "by a reader.",
                ctx,
            )
            return
        self.payments.authorize_card_present(
            pi, outcome, payment_method_type=pm_type, reader_id=reader["id"], ctx=ctx
        )
        self.payments.on_reader.pop(pi["id"], None)
        if outcome.approved:
            action["status"] = "succeeded"
            runtime.token += 1
            self.events.emit("terminal.reader.action_succeeded", reader, ctx)
        else:
            self._fail(
                reader,
                runtime,
                outcome.code or "card_declined",
                outcome.message or "Your card was declined.",
                ctx,
            )

    def _fail(
        self,
        reader: JSONObject,
        runtime: ReaderRuntime,
        code: str,
        message: str,
        ctx: RequestContext,
    ) -> None:
        action = reader["action"]
        self._release_current(reader)
        action["status"] = "failed"
        action["failure_code"] = code
        action["failure_message"] = message
        runtime.token += 1
        self.events.emit("terminal.reader.action_failed", reader, ctx)

    # -- things that happen on the reader, not through the API --------------------------------
    def _waiting_payment(self, reader_id: str) -> tuple[JSONObject, ReaderRuntime]:
        reader = self.get_reader(reader_id)
        runtime = self.runtime[reader_id]
        action = reader["action"]
        if (
            not action
            or action["type"] != "process_payment_intent"
            or action["status"] != "in_progress"
        ):
            raise ValueError(f"reader {reader_id} has no payment waiting for a card")
        return reader, runtime

    def customer_cancel(self, reader_id: str) -> JSONObject:
        reader, runtime = self._waiting_payment(reader_id)
        runtime.authorizing = False
        self._fail(reader, runtime, "customer_canceled", CUSTOMER_CANCELED_MESSAGE, AUTOMATIC)
        return reader

    def _time_out(self, reader_id: str, token: int) -> None:
        with self.store.lock:
            runtime = self.runtime.get(reader_id)
            reader = self.store.find(reader_id)
            if runtime is None or reader is None or runtime.token != token or runtime.authorizing:
                return
            action = reader["action"]
            if (
                action
                and action["status"] == "in_progress"
                and action["type"] == "process_payment_intent"
            ):
                self._fail(
                    reader,
                    runtime,
                    "terminal_reader_timeout",
                    "The reader timed out waiting for the customer to present a payment method.",
                    AUTOMATIC,
                )

    def _auto_present(self, reader_id: str, token: int) -> None:
        with self.store.lock:
            runtime = self.runtime.get(reader_id)
            reader = self.store.find(reader_id)
            if runtime is None or reader is None or runtime.token != token or not runtime.online:
                return
            try:
                self.present_payment_method(reader_id, Params({}), AUTOMATIC)
            except StripeError:
                return

    def _payment_intent_canceled(self, reader_id: str, pi: JSONObject, ctx: RequestContext) -> None:
        reader = self.store.find(reader_id)
        runtime = self.runtime.get(reader_id)
        if reader is None or runtime is None:
            return
        action = reader["action"]
        if (
            action
            and action["status"] == "in_progress"
            and action["type"] == "process_payment_intent"
            and action["process_payment_intent"]["payment_intent"] == pi["id"]
        ):
            runtime.authorizing = False
            self._fail(
                reader,
                runtime,
                "intent_invalid_state",
                "The PaymentIntent was canceled while the reader was collecting payment.",
                ctx,
            )

    # -- test controls ---------------------------------------------------------------------
    def set_online(self, reader_id: str, online: bool) -> None:
        reader = self.get_reader(reader_id)
        self.runtime[reader_id].online = online
        reader["status"] = "online" if online else "offline"

    def set_busy(self, reader_id: str, busy: bool) -> None:
        self.get_reader(reader_id)
        self.runtime[reader_id].busy = busy

    def add_fault(self, reader_id: str, kind: str, times: int = 1) -> None:
        if kind not in READER_FAULTS:
            raise ValueError(f"unknown reader fault {kind!r}; choose one of {READER_FAULTS}")
        self.get_reader(reader_id)
        self.runtime[reader_id].faults.extend([kind] * times)


def _typed_config(config: dict[str, Any]) -> JSONObject:
    """`process_config` as Stripe echoes it in the action (already checked by accepted.py)."""
    typed: JSONObject = {}
    if "skip_tipping" in config:
        typed["skip_tipping"] = config["skip_tipping"] == "true"
    tipping = config.get("tipping")
    if isinstance(tipping, dict) and "amount_eligible" in tipping:
        typed["tipping"] = {"amount_eligible": int(tipping["amount_eligible"])}
    return typed
