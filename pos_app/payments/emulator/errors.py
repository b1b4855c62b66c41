"""Stripe's error envelope: one exception type carrying what the API answers with a 4xx/5xx."""

from __future__ import annotations

import json
from typing import Any


class StripeError(Exception):
    """An error answered as `{"error": {...}}` with an HTTP status.

    `idempotent_result` says whether the idempotency layer stores this answer. Stripe stores
    the result only once an endpoint starts executing: parameter validation errors and
    idempotency conflicts are not saved, so a corrected retry with the same key runs.
    """

    def __init__(
        self,
        status: int,
        message: str,
        *,
        type: str = "invalid_request_error",
        code: str | None = None,
        param: str | None = None,
        decline_code: str | None = None,
        extra: dict[str, Any] | None = None,
        idempotent_result: bool = True,
        should_retry: bool | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type
        self.code = code
        self.param = param
        self.decline_code = decline_code
        self.extra = extra or {}
        self.idempotent_result = idempotent_result
        self.should_retry = should_retry

    def body(self, request_id: str | None = None) -> dict[str, Any]:
        error: dict[str, Any] = {"message": self.message, "type": self.type}
        if self.code is not None:
            error["code"] = self.code
            error["doc_url"] = f"https://stripe.com/docs/error-codes/{self.code.replace('_', '-')}"
        if self.param is not None:
            error["param"] = self.param
        if self.decline_code is not None:
            error["decline_code"] = self.decline_code
        error.update(self.extra)
        if request_id is not None and self.status < 500:
            error["request_log_url"] = (
                f"https://dashboard.stripe.com/test/logs/{request_id}?t=emulator"
            )
        return {"error": error}


def invalid_request(
    message: str, *, param: str | None = None, code: str | None = None
) -> StripeError:
    return StripeError(400, message, param=param, code=code)


def validation_error(
    message: str, *, param: str | None = None, code: str | None = None
) -> StripeError:
    """A 400 raised before the endpoint runs: not stored by the idempotency layer."""
    return StripeError(400, message, param=param, code=code, idempotent_result=False)


def unknown_parameter(name: str) -> StripeError:
    return validation_error(
        f"Received unknown parameter: {name}", param=name, code="parameter_unknown"
    )


def missing_parameter(name: str) -> StripeError:
    return validation_error(
        f"Missing required param: {name}.", param=name, code="parameter_missing"
    )


def invalid_integer(name: str, value: object) -> StripeError:
    return validation_error(
        f"Invalid integer: {value}", param=name, code="parameter_invalid_integer"
    )


def invalid_empty(name: str) -> StripeError:
    return validation_error(
        f"You passed an empty string for '{name}'. We assume empty values are an attempt to "
        f"unset a parameter; however '{name}' cannot be unset. You should remove '{name}' "
        "from your request or supply a non-empty value.",
        param=name,
        code="parameter_invalid_empty",
    )


def invalid_boolean(name: str, value: object) -> StripeError:
    return validation_error(f"Invalid boolean: {value}", param=name)


def invalid_choice(name: str, value: object, choices: tuple[str, ...]) -> StripeError:
    listed = ", ".join(choices[:-1]) + f", or {choices[-1]}" if len(choices) > 1 else choices[0]
    return validation_error(f"Invalid {name}: must be one of {listed}", param=name)


def resource_missing(kind: str, object_id: str, param: str = "id") -> StripeError:
    return StripeError(404, f"No such {kind}: '{object_id}'", code="resource_missing", param=param)


def unrecognized_url(method: str, path: str) -> StripeError:
    return StripeError(
        404,
        f"Unrecognized request URL ({method}: {path}). Please see https://stripe.com/docs "
        "or we can help at https://support.stripe.com/.",
        idempotent_result=False,
    )


def unexpected_state(
    message: str, *, param: str | None = None, payment_intent: dict[str, Any] | None = None
) -> StripeError:
    return StripeError(
        400,
        message,
        code="payment_intent_unexpected_state",
        param=param,
        extra=with_payment_intent(payment_intent),
    )


def with_payment_intent(payment_intent: dict[str, Any] | None) -> dict[str, Any]:
    """Stripe's error object carries "the PaymentIntent object for errors returned on a request
    involving a PaymentIntent" (https://docs.stripe.com/api/errors): a copy as it is now."""
    if payment_intent is None:
        return {}
    return {"payment_intent": json.loads(json.dumps(payment_intent))}
