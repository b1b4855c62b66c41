"""Stripe Terminal (server-driven flow) behind the `PaymentTerminal` protocol.

The only module that imports the Stripe SDK. Stripe's objects and errors are converted here, at
the boundary (`_payment`, `_reader`, `_error`), so the rest of the app never sees them.

Every POST carries the caller's deterministic idempotency key; the SDK's own network retries
reuse it, so a retried request can never double an effect.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Final, TypeVar

import httpx
import stripe

from pos_app.payments import messages
from pos_app.payments.terminal import (
    CartDisplay,
    GatewayPayment,
    GatewayPaymentStatus,
    GatewayRefund,
    ReaderActionStatus,
    ReaderState,
    TerminalError,
    TerminalErrorKind,
)

#: The API version the app is written (and its requests validated) against.
STRIPE_API_VERSION: Final = "2023-08-16"

_T = TypeVar("_T")

_PI_STATUS: Final[dict[str, GatewayPaymentStatus]] = {
    "requires_payment_method": GatewayPaymentStatus.AWAITING_CARD,
    "requires_confirmation": GatewayPaymentStatus.AWAITING_CARD,
    "requires_action": GatewayPaymentStatus.PROCESSING,
    "processing": GatewayPaymentStatus.PROCESSING,
    "requires_capture": GatewayPaymentStatus.AUTHORIZED,
    "succeeded": GatewayPaymentStatus.CAPTURED,
    "canceled": GatewayPaymentStatus.CANCELED,
}

_READER_ERRORS: Final[dict[str, TerminalErrorKind]] = {
    "terminal_reader_offline": TerminalErrorKind.READER_OFFLINE,
    "terminal_reader_busy": TerminalErrorKind.READER_BUSY,
    "terminal_reader_timeout": TerminalErrorKind.READER_TIMEOUT,
}


class FormHTTPXClient(stripe.HTTPXClient):
    """`stripe.HTTPXClient`, sending the encoded form as `content=` rather than `data=<str>`.

    httpx 0.28 deprecates raw bodies in `data=`; the SDK catches every exception around the
    request, so under strict warning filters the deprecation would turn each POST into a
    connection error. Passing the same bytes as `content=` is what httpx asks for.
    """

    def _get_request_args_kwargs(  # type: ignore[no-untyped-def]
        self, method, url, headers, post_data
    ):
        args, kwargs = super()._get_request_args_kwargs(method, url, headers, post_data)
        data = kwargs.pop("data", None)
        if data:
            kwargs["content"] = data
        return args, kwargs

    def close(self) -> None:
        super().close()  # type: ignore[no-untyped-call]


@dataclass(frozen=True, slots=True)
class StripeSettings:
    api_key: str
    api_base: str | None = None
    connect_timeout_s: float = 5.0
    read_timeout_s: float = 20.0
    max_network_retries: int = 2
    """The SDK retries connection errors, 409s and 5xx with the same idempotency key."""
    rate_limit_backoff_s: tuple[float, ...] = (0.5, 1.0, 2.0)
    """Waits before each retry of a 429, which the SDK does not retry: Stripe advises an
    exponential backoff (https://docs.stripe.com/rate-limits); a rate-limited request did not
    run, and the retry carries the same idempotency key, so it cannot charge twice."""


def _get(obj: Any, key: str, default: Any = None) -> Any:
    if obj is None:
        return default
    try:
        return obj[key]
    except (KeyError, TypeError):
        return default


def _plain(obj: Any) -> Any:
    """SDK objects to plain dicts (recursively): the rest of this module reads dicts."""
    to_dict = getattr(obj, "to_dict", None)
    return to_dict() if callable(to_dict) else obj


def _payment(intent: Any) -> GatewayPayment:
    intent = _plain(intent)
    charge = _get(intent, "latest_charge")
    card = (
        _get(_get(charge, "payment_method_details"), "card_present")
        if not isinstance(charge, str)
        else None
    )
    error = _get(intent, "last_payment_error")
    metadata = _get(intent, "metadata") or {}
    return GatewayPayment(
        gateway_payment_id=intent["id"],
        status=_PI_STATUS.get(intent["status"], GatewayPaymentStatus.PROCESSING),
        amount_minor=int(intent["amount"]),
        currency=str(intent["currency"]).upper(),
        amount_capturable_minor=int(_get(intent, "amount_capturable", 0) or 0),
        amount_received_minor=int(_get(intent, "amount_received", 0) or 0),
        charge_id=charge if isinstance(charge, str) else _get(charge, "id"),
        card_brand=_get(card, "brand"),
        card_last4=_get(card, "last4"),
        decline_code=_get(error, "decline_code") or _get(error, "code"),
        failure_message=_get(error, "message"),
        cancellation_reason=_get(intent, "cancellation_reason"),
        metadata={str(k): str(v) for k, v in dict(metadata).items()},
    )


def _reader(reader: Any) -> ReaderState:
    reader = _plain(reader)
    action = _get(reader, "action")
    status = _get(action, "status")
    return ReaderState(
        reader_id=reader["id"],
        label=_get(reader, "label") or reader["id"],
        online=_get(reader, "status") == "online",
        action_type=_get(action, "type"),
        action_status=ReaderActionStatus(status) if status else ReaderActionStatus.IDLE,
        action_payment_id=_get(_get(action, "process_payment_intent"), "payment_intent"),
        failure_code=_get(action, "failure_code"),
        failure_message=_get(action, "failure_message"),
        device_type=_get(reader, "device_type"),
    )


def _error(error: stripe.StripeError) -> TerminalError:
    code = getattr(error, "code", None)
    detail = f"{type(error).__name__}: {error.user_message or error}"
    if isinstance(error, stripe.APIConnectionError):
        return TerminalError(TerminalErrorKind.NETWORK, messages.NETWORK_MESSAGE, detail=detail)
    if isinstance(error, stripe.CardError):
        decline = _get(_get(error.json_body, "error"), "decline_code") or code
        return TerminalError(
            TerminalErrorKind.DECLINED,
            messages.decline_message(decline),
            code=decline,
            detail=detail,
        )
    if isinstance(error, stripe.IdempotencyError):
        return TerminalError(
            TerminalErrorKind.IDEMPOTENCY_CONFLICT,
            messages.UNAVAILABLE_MESSAGE,
            code=code,
            detail=detail,
        )
    if isinstance(error, stripe.AuthenticationError | stripe.PermissionError):
        return TerminalError(TerminalErrorKind.AUTHENTICATION, messages.AUTH_MESSAGE, detail=detail)
    if isinstance(error, stripe.RateLimitError):
        return TerminalError(
            TerminalErrorKind.RATE_LIMITED, messages.UNAVAILABLE_MESSAGE, code=code, detail=detail
        )
    if isinstance(error, stripe.InvalidRequestError):
        if code in _READER_ERRORS:
            return TerminalError(
                _READER_ERRORS[code], messages.terminal_message(code), code=code, detail=detail
            )
        return TerminalError(
            TerminalErrorKind.INVALID_REQUEST,
            error.user_message or "Stripe refused the request.",
            code=code,
            detail=detail,
        )
    status = error.http_status or 0
    if status >= 500 or isinstance(error, stripe.APIError):
        return TerminalError(
            TerminalErrorKind.GATEWAY_UNAVAILABLE,
            messages.UNAVAILABLE_MESSAGE,
            code=code,
            detail=detail,
        )
    return TerminalError(TerminalErrorKind.INVALID_REQUEST, str(error), code=code, detail=detail)


class StripeTerminal:
    """`PaymentTerminal` over Stripe's API (or the project's emulator, which speaks it)."""

    def __init__(self, settings: StripeSettings) -> None:
        if not settings.api_key:
            raise TerminalError(TerminalErrorKind.AUTHENTICATION, messages.AUTH_MESSAGE)
        self._http = FormHTTPXClient(
            timeout=httpx.Timeout(settings.read_timeout_s, connect=settings.connect_timeout_s),
            allow_sync_methods=True,
        )
        base = {"api": settings.api_base} if settings.api_base else None
        self._client = stripe.StripeClient(
            settings.api_key,
            stripe_version=STRIPE_API_VERSION,
            base_addresses=base,  # type: ignore[arg-type]
            http_client=self._http,
            max_network_retries=settings.max_network_retries,
        )
        self._rate_limit_backoff_s = settings.rate_limit_backoff_s
        self.livemode = settings.api_key.startswith(("sk_live_", "rk_live_"))

    @contextmanager
    def _converted(self) -> Iterator[None]:
        try:
            yield
        except stripe.StripeError as error:
            raise _error(error) from error

    def _call(self, fn: Callable[[], _T]) -> _T:
        for wait in (*self._rate_limit_backoff_s, None):
            try:
                with self._converted():
                    return fn()
            except TerminalError as error:
                if error.kind is not TerminalErrorKind.RATE_LIMITED or wait is None:
                    raise
            time.sleep(wait)
        raise AssertionError("unreachable: the last attempt returns or raises")

    @staticmethod
    def _options(idempotency_key: str | None = None) -> Any:
        return {"idempotency_key": idempotency_key} if idempotency_key else {}

    # --- payments ---------------------------------------------------------------------------

    def create_payment(
        self,
        *,
        amount_minor: int,
        currency: str,
        metadata: Mapping[str, str],
        description: str,
        idempotency_key: str,
    ) -> GatewayPayment:
        params: Any = {
            "amount": amount_minor,
            "currency": currency.lower(),
            "payment_method_types": ["card_present"],
            "capture_method": "manual",
            "metadata": dict(metadata),
            "description": description,
        }
        intent = self._call(
            lambda: self._client.v1.payment_intents.create(params, self._options(idempotency_key))
        )
        return _payment(intent)

    def get_payment(self, gateway_payment_id: str) -> GatewayPayment:
        intent = self._call(
            lambda: self._client.v1.payment_intents.retrieve(
                gateway_payment_id, {"expand": ["latest_charge"]}
            )
        )
        return _payment(intent)

    def find_payment(self, *, attempt_id: str) -> GatewayPayment | None:
        query = f"metadata['attempt_id']:'{attempt_id}'"
        result = self._call(lambda: self._client.v1.payment_intents.search({"query": query}))
        found = [_payment(intent) for intent in result.data]
        return found[0] if found else None

    def capture(self, gateway_payment_id: str, *, idempotency_key: str) -> GatewayPayment:
        intent = self._call(
            lambda: self._client.v1.payment_intents.capture(
                gateway_payment_id, {"expand": ["latest_charge"]}, self._options(idempotency_key)
            )
        )
        return _payment(intent)

    def cancel_payment(self, gateway_payment_id: str, *, idempotency_key: str) -> GatewayPayment:
        intent = self._call(
            lambda: self._client.v1.payment_intents.cancel(
                gateway_payment_id,
                {"cancellation_reason": "requested_by_customer"},
                self._options(idempotency_key),
            )
        )
        return _payment(intent)

    def refund(
        self,
        gateway_payment_id: str,
        *,
        amount_minor: int,
        metadata: Mapping[str, str],
        idempotency_key: str,
    ) -> GatewayRefund:
        refund = self._call(
            lambda: self._client.v1.refunds.create(
                {
                    "payment_intent": gateway_payment_id,
                    "amount": amount_minor,
                    "metadata": dict(metadata),
                },
                self._options(idempotency_key),
            )
        )
        return GatewayRefund(refund["id"], str(refund["status"]), int(refund["amount"]))

    # --- the reader ---------------------------------------------------------------------------

    def process_on_reader(
        self, *, reader_id: str, gateway_payment_id: str, idempotency_key: str
    ) -> ReaderState:
        reader = self._call(
            lambda: self._client.v1.terminal.readers.process_payment_intent(
                reader_id, {"payment_intent": gateway_payment_id}, self._options(idempotency_key)
            )
        )
        return _reader(reader)

    def reader_state(self, reader_id: str) -> ReaderState:
        return _reader(self._call(lambda: self._client.v1.terminal.readers.retrieve(reader_id)))

    def cancel_reader_action(self, *, reader_id: str, idempotency_key: str) -> ReaderState:
        reader = self._call(
            lambda: self._client.v1.terminal.readers.cancel_action(
                reader_id, {}, self._options(idempotency_key)
            )
        )
        return _reader(reader)

    def show_cart(self, *, reader_id: str, cart: CartDisplay, idempotency_key: str) -> None:
        params: Any = {
            "type": "cart",
            "cart": {
                "currency": cart.currency.lower(),
                "line_items": [
                    {
                        "description": line.description[:100],
                        "amount": line.amount_minor,
                        "quantity": line.quantity,
                    }
                    for line in cart.lines
                ],
                "tax": cart.tax_minor,
                "total": cart.total_minor,
            },
        }
        self._call(
            lambda: self._client.v1.terminal.readers.set_reader_display(
                reader_id, params, self._options(idempotency_key)
            )
        )

    def clear_display(self, *, reader_id: str, idempotency_key: str) -> None:
        self.cancel_reader_action(reader_id=reader_id, idempotency_key=idempotency_key)

    def ensure_location(self, *, display_name: str, idempotency_key: str) -> str:
        existing = self._call(lambda: self._client.v1.terminal.locations.list({"limit": 100}))
        for location in existing.data:
            if location["display_name"] == display_name:
                return str(location["id"])
        created = self._call(
            lambda: self._client.v1.terminal.locations.create(
                {"display_name": display_name, "address": {"country": "US", "line1": display_name}},
                self._options(idempotency_key),
            )
        )
        return str(created["id"])

    def register_reader(
        self, *, registration_code: str, label: str, location_id: str, idempotency_key: str
    ) -> ReaderState:
        reader = self._call(
            lambda: self._client.v1.terminal.readers.create(
                {"registration_code": registration_code, "label": label, "location": location_id},
                self._options(idempotency_key),
            )
        )
        return _reader(reader)

    def submit_dispute_evidence(
        self, dispute_id: str, *, evidence: Mapping[str, str], idempotency_key: str
    ) -> str:
        params: Any = {"evidence": dict(evidence), "submit": True}
        dispute = self._call(
            lambda: self._client.v1.disputes.update(
                dispute_id, params, self._options(idempotency_key)
            )
        )
        return str(_plain(dispute)["status"])

    def present_test_card(self, *, reader_id: str, card_number: str | None = None) -> None:
        params: Any = {"type": "card_present"}
        if card_number:
            params["card_present"] = {"number": card_number}
        self._call(
            lambda: self._client.v1.test_helpers.terminal.readers.present_payment_method(
                reader_id, params
            )
        )

    def close(self) -> None:
        self._http.close()
