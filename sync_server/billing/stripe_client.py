"""The platform's own Stripe account, over its HTTP API (httpx; the server carries no SDK).

The only module of billing that speaks to Stripe. Objects are converted here into the plain
dataclasses of `schemas` (`_customer`, `_invoice`, `_credit_note`) and errors into
`StripeFailure`, so the rest of the domain never reads Stripe's JSON.

Every POST carries the caller's idempotency key. A call that failed on the way (connection
refused or cut, a timeout, 409 while Stripe still holds the key, 429, a 5xx) is retried with
the same key `retries` times, backing off: Stripe then either runs it once or replays its first
answer. The API version is pinned (the emulator and the OpenAPI description speak it). The key
never appears in an error message, a log line or a `repr`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final
from urllib.parse import urlencode

import httpx

from sync_server.billing.schemas import (
    RemoteCreditNote,
    RemoteCustomer,
    RemoteInvoice,
    RemoteLine,
    RemoteSetupSession,
    SavedCard,
    StripeFailure,
)
from sync_server.config import Settings

STRIPE_API_VERSION: Final = "2023-08-16"
BACKOFF_S: Final = (0.25, 1.0, 3.0, 6.0)

Params = Mapping[str, Any]
Observer = Callable[[str, str], None]
"""Told (`"request"` or `"answer"`, `"METHOD path"`) around each call: progress, and the
crash-injection tests' hook."""


def encode(params: Params, prefix: str = "") -> list[tuple[str, str]]:
    """Stripe's form encoding: `metadata[k]=v`, `lines[0][amount]=1`, booleans as words."""
    pairs: list[tuple[str, str]] = []
    for name, value in params.items():
        key = f"{prefix}[{name}]" if prefix else str(name)
        if value is None:
            continue
        if isinstance(value, Mapping):
            pairs += encode(value, key)
        elif isinstance(value, list | tuple):
            for index, item in enumerate(value):
                if isinstance(item, Mapping):
                    pairs += encode(item, f"{key}[{index}]")
                else:
                    pairs.append((f"{key}[{index}]", _scalar(item)))
        else:
            pairs.append((key, _scalar(value)))
    return pairs


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class StripeBilling:
    def __init__(
        self,
        *,
        api_key: str,
        base_url: str,
        timeout_s: float = 20.0,
        retries: int = 2,
        backoff_s: Sequence[float] = BACKOFF_S,
        observer: Observer | None = None,
    ) -> None:
        if not api_key:
            raise ValueError("the platform's Stripe key is empty")
        self._client = httpx.Client(
            base_url=base_url.rstrip("/"),
            timeout=httpx.Timeout(timeout_s),
            headers={
                "Authorization": f"Bearer {api_key}",
                "Stripe-Version": STRIPE_API_VERSION,
            },
        )
        self.retries = retries
        self.backoff_s = tuple(backoff_s) or (0.0,)
        self.observer = observer

    def __repr__(self) -> str:
        return f"StripeBilling({self._client.base_url})"

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> StripeBilling:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the wire ----------------------------------------------------------------------------
    def _call(
        self,
        method: str,
        path: str,
        params: Params | None = None,
        *,
        idempotency_key: str | None = None,
        timeout_s: float | None = None,
        retries: int | None = None,
    ) -> dict[str, Any]:
        what = f"{method} {path}"
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        pairs = encode(params or {})
        timeout = httpx.Timeout(timeout_s) if timeout_s is not None else self._client.timeout
        most = self.retries if retries is None else retries
        attempt = 0
        while True:
            if self.observer is not None:
                self.observer("request", what)
            try:
                if method == "GET":
                    response = self._client.get(
                        path, params=urlencode(pairs), headers=headers, timeout=timeout
                    )
                else:
                    response = self._client.request(
                        method,
                        path,
                        content=urlencode(pairs).encode(),
                        headers={
                            **headers,
                            "Content-Type": "application/x-www-form-urlencoded",
                        },
                        timeout=timeout,
                    )
            except httpx.HTTPError as exc:
                # Safe to repeat: a GET changes nothing, a POST carries its key.
                failure = StripeFailure(
                    f"Stripe could not be reached ({what}): {type(exc).__name__}",
                    retryable=method == "GET" or idempotency_key is not None,
                )
            else:
                if self.observer is not None:
                    self.observer("answer", what)
                if response.status_code < 300:
                    body: dict[str, Any] = response.json()
                    return body
                failure = _failure(response, what)
            if not failure.retryable or attempt >= most:
                raise failure
            time.sleep(self.backoff_s[min(attempt, len(self.backoff_s) - 1)])
            attempt += 1

    # -- customers -----------------------------------------------------------------------------
    def create_customer(
        self, *, email: str | None, name: str, metadata: Mapping[str, str], idempotency_key: str
    ) -> RemoteCustomer:
        body = self._call(
            "POST",
            "/v1/customers",
            {"email": email, "name": name, "metadata": dict(metadata)},
            idempotency_key=idempotency_key,
        )
        return _customer(body)

    def get_customer(self, customer_id: str) -> RemoteCustomer:
        return _customer(self._call("GET", f"/v1/customers/{customer_id}"))

    def get_customer_card(self, customer_id: str) -> RemoteCustomer:
        """The customer with its default card expanded (so when it was saved is known)."""
        return _customer(
            self._call(
                "GET",
                f"/v1/customers/{customer_id}",
                {"expand": ["invoice_settings.default_payment_method"]},
            )
        )

    def find_customer(self, metadata_key: str, value: str) -> RemoteCustomer | None:
        """A customer whose metadata says `key: value` (Stripe's search, which can lag a
        minute behind a create: only for finding a customer whose creation was lost days ago)."""
        body = self._call(
            "GET",
            "/v1/customers/search",
            {"query": f"metadata['{metadata_key}']:'{value}'", "limit": 10},
        )
        found = [_customer(item) for item in body.get("data", [])]
        return found[0] if found else None

    def update_email(self, customer_id: str, *, email: str, idempotency_key: str) -> RemoteCustomer:
        """The owner's billing email changed: Stripe emails invoices and receipts there."""
        body = self._call(
            "POST",
            f"/v1/customers/{customer_id}",
            {"email": email},
            idempotency_key=idempotency_key,
        )
        return _customer(body)

    def set_default_card(
        self, customer_id: str, *, payment_method: str, idempotency_key: str
    ) -> RemoteCustomer:
        """The card the customer's invoices are charged to from now on."""
        body = self._call(
            "POST",
            f"/v1/customers/{customer_id}",
            {"invoice_settings": {"default_payment_method": payment_method}},
            idempotency_key=idempotency_key,
        )
        return _customer(body)

    def saved_card(self, customer_id: str, *, timeout_s: float) -> SavedCard | None:
        """The customer's default card for invoices (None: no card saved). One try within
        `timeout_s`: a page shows it, and says so when Stripe does not answer in time."""
        body = self._call(
            "GET",
            f"/v1/customers/{customer_id}",
            {"expand": ["invoice_settings.default_payment_method"]},
            timeout_s=timeout_s,
            retries=0,
        )
        default = (body.get("invoice_settings") or {}).get("default_payment_method")
        return _card(default) if isinstance(default, Mapping) else None

    # -- Checkout in setup mode (the owner saves a card on Stripe's page) -------------------
    def create_setup_session(
        self,
        *,
        customer: str,
        success_url: str,
        cancel_url: str,
        metadata: Mapping[str, str],
        locale: str,
        idempotency_key: str,
    ) -> RemoteSetupSession:
        """A Checkout Session in setup mode for the customer: its `url` is Stripe's page
        where the owner enters a card, in `locale` (Stripe's tag: `service.checkout_locale`);
        Stripe sends the browser back to `success_url` (its `{CHECKOUT_SESSION_ID}` filled
        in) or `cancel_url`."""
        body = self._call(
            "POST",
            "/v1/checkout/sessions",
            {
                "mode": "setup",
                "customer": customer,
                "payment_method_types": ["card"],
                "success_url": success_url,
                "cancel_url": cancel_url,
                "metadata": dict(metadata),
                "setup_intent_data": {"metadata": dict(metadata)},
                "locale": locale,
            },
            idempotency_key=idempotency_key,
        )
        return _setup_session(body)

    def get_setup_session(self, session_id: str) -> RemoteSetupSession:
        """The session with its SetupIntent and the card it saved."""
        body = self._call(
            "GET",
            f"/v1/checkout/sessions/{session_id}",
            {"expand": ["setup_intent.payment_method"]},
        )
        return _setup_session(body)

    # -- invoices ------------------------------------------------------------------------------
    def create_invoice(
        self,
        *,
        customer: str,
        currency: str,
        collection_method: str,
        days_until_due: int | None,
        description: str,
        metadata: Mapping[str, str],
        idempotency_key: str,
    ) -> RemoteInvoice:
        params: dict[str, Any] = {
            "customer": customer,
            "currency": currency.lower(),
            "collection_method": collection_method,
            "auto_advance": False,
            "pending_invoice_items_behavior": "exclude",
            "description": description,
            "metadata": dict(metadata),
        }
        if collection_method == "send_invoice":
            params["days_until_due"] = days_until_due
        return _invoice(self._call("POST", "/v1/invoices", params, idempotency_key=idempotency_key))

    def invoices_of(self, customer: str) -> list[RemoteInvoice]:
        """Every invoice of a customer (newest first), page after page: strongly consistent,
        unlike search."""
        invoices: list[RemoteInvoice] = []
        after: str | None = None
        while True:
            params: dict[str, Any] = {"customer": customer, "limit": 100}
            if after:
                params["starting_after"] = after
            body = self._call("GET", "/v1/invoices", params)
            page = [_invoice(item) for item in body.get("data", [])]
            invoices += page
            if not body.get("has_more") or not page:
                return invoices
            after = page[-1].id

    def get_invoice(self, invoice_id: str) -> RemoteInvoice:
        return _invoice(self._call("GET", f"/v1/invoices/{invoice_id}"))

    def add_invoice_item(
        self,
        *,
        customer: str,
        invoice: str,
        amount: int,
        currency: str,
        description: str,
        metadata: Mapping[str, str],
        idempotency_key: str,
    ) -> None:
        self._call(
            "POST",
            "/v1/invoiceitems",
            {
                "customer": customer,
                "invoice": invoice,
                "amount": amount,
                "currency": currency.lower(),
                "description": description,
                "metadata": dict(metadata),
            },
            idempotency_key=idempotency_key,
        )

    def finalize(self, invoice_id: str, *, idempotency_key: str) -> RemoteInvoice:
        return _invoice(
            self._call(
                "POST",
                f"/v1/invoices/{invoice_id}/finalize",
                {"auto_advance": False},
                idempotency_key=idempotency_key,
            )
        )

    def set_auto_advance(self, invoice_id: str, *, idempotency_key: str) -> RemoteInvoice:
        """Let Stripe collect it and retry failed payments on its own schedule."""
        return _invoice(
            self._call(
                "POST",
                f"/v1/invoices/{invoice_id}",
                {"auto_advance": True},
                idempotency_key=idempotency_key,
            )
        )

    def pay(self, invoice_id: str, *, idempotency_key: str) -> RemoteInvoice | None:
        """Charge the default card now. A declined card answers None: the invoice stays open
        and Stripe retries it (auto_advance)."""
        try:
            body = self._call(
                "POST", f"/v1/invoices/{invoice_id}/pay", {}, idempotency_key=idempotency_key
            )
        except StripeFailure as failure:
            if failure.card:
                return None
            raise
        return _invoice(body)

    def send(self, invoice_id: str, *, idempotency_key: str) -> RemoteInvoice:
        """Email the invoice with its hosted page (a shop with no saved card)."""
        return _invoice(
            self._call(
                "POST", f"/v1/invoices/{invoice_id}/send", {}, idempotency_key=idempotency_key
            )
        )

    # -- credit notes --------------------------------------------------------------------------
    def create_credit_note(
        self,
        *,
        invoice: str,
        amount: int,
        memo: str,
        metadata: Mapping[str, str],
        idempotency_key: str,
    ) -> RemoteCreditNote:
        return _credit_note(
            self._call(
                "POST",
                "/v1/credit_notes",
                {"invoice": invoice, "amount": amount, "memo": memo, "metadata": dict(metadata)},
                idempotency_key=idempotency_key,
            )
        )

    def credit_notes_of(self, invoice: str) -> list[RemoteCreditNote]:
        body = self._call("GET", "/v1/credit_notes", {"invoice": invoice, "limit": 100})
        return [_credit_note(item) for item in body.get("data", [])]


# --- the boundary: Stripe's JSON → our dataclasses ---------------------------------------------


def _failure(response: httpx.Response, what: str) -> StripeFailure:
    try:
        error = response.json().get("error") or {}
    except ValueError:
        error = {}
    status = response.status_code
    message = str(error.get("message") or response.reason_phrase)
    code = error.get("code")
    retryable = status in (409, 429) or status >= 500
    if response.headers.get("Stripe-Should-Retry") == "false":
        retryable = False
    return StripeFailure(
        f"Stripe answered {status} to {what}: {message}",
        status=status,
        code=str(code) if code else None,
        retryable=retryable,
        card=error.get("type") == "card_error",
    )


def _metadata(obj: Mapping[str, Any]) -> dict[str, str]:
    return {str(k): str(v) for k, v in (obj.get("metadata") or {}).items()}


def _customer(body: Mapping[str, Any]) -> RemoteCustomer:
    settings = body.get("invoice_settings") or {}
    default = settings.get("default_payment_method")
    created = None
    if isinstance(default, Mapping):
        created = _int_or_none(default.get("created"))
        default = default.get("id")
    return RemoteCustomer(
        id=str(body["id"]),
        email=body.get("email"),
        default_payment_method=str(default) if default else None,
        metadata=_metadata(body),
        default_payment_method_created=created,
    )


def _int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _card(payment_method: Mapping[str, Any]) -> SavedCard | None:
    card = payment_method.get("card")
    if not isinstance(card, Mapping):
        return None
    return SavedCard(
        brand=str(card.get("brand") or ""),
        last4=str(card.get("last4") or ""),
        exp_month=int(card.get("exp_month") or 0),
        exp_year=int(card.get("exp_year") or 0),
    )


def _id_of(value: Any) -> str | None:
    if isinstance(value, Mapping):
        value = value.get("id")
    return str(value) if value else None


def _setup_session(body: Mapping[str, Any]) -> RemoteSetupSession:
    intent = body.get("setup_intent")
    payment_method = intent.get("payment_method") if isinstance(intent, Mapping) else None
    return RemoteSetupSession(
        id=str(body["id"]),
        customer=_id_of(body.get("customer")),
        status=str(body.get("status") or ""),
        url=body.get("url"),
        metadata=_metadata(body),
        payment_method=_id_of(payment_method),
        payment_method_customer=(
            _id_of(payment_method.get("customer")) if isinstance(payment_method, Mapping) else None
        ),
        card=_card(payment_method) if isinstance(payment_method, Mapping) else None,
        payment_method_created=(
            _int_or_none(payment_method.get("created"))
            if isinstance(payment_method, Mapping)
            else None
        ),
    )


def _invoice(body: Mapping[str, Any]) -> RemoteInvoice:
    return invoice_from(body)


def invoice_from(body: Mapping[str, Any]) -> RemoteInvoice:
    """Stripe's invoice object (an API answer or an event's `data.object`) as ours; KeyError,
    TypeError or ValueError on one it cannot read."""
    lines = (body.get("lines") or {}).get("data") or []
    customer = body["customer"]
    return RemoteInvoice(
        id=str(body["id"]),
        customer=str(customer["id"] if isinstance(customer, Mapping) else customer),
        status=str(body["status"]),
        currency=str(body["currency"]).upper(),
        total=int(body.get("total") or 0),
        amount_due=int(body.get("amount_due") or 0),
        amount_paid=int(body.get("amount_paid") or 0),
        amount_remaining=int(body.get("amount_remaining") or 0),
        credited=int(body.get("pre_payment_credit_notes_amount") or 0)
        + int(body.get("post_payment_credit_notes_amount") or 0),
        attempt_count=int(body.get("attempt_count") or 0),
        next_payment_attempt=body.get("next_payment_attempt"),
        collection_method=str(body.get("collection_method") or ""),
        hosted_invoice_url=body.get("hosted_invoice_url"),
        due_date=int(body["due_date"]) if body.get("due_date") else None,
        metadata=_metadata(body),
        lines=tuple(
            RemoteLine(
                amount=int(line.get("amount") or 0),
                description=line.get("description"),
                metadata=_metadata(line),
            )
            for line in lines
        ),
    )


def _credit_note(body: Mapping[str, Any]) -> RemoteCreditNote:
    invoice = body["invoice"]
    return RemoteCreditNote(
        id=str(body["id"]),
        invoice=str(invoice["id"] if isinstance(invoice, Mapping) else invoice),
        amount=int(body["amount"]),
        status=str(body.get("status") or "issued"),
        metadata=_metadata(body),
    )


def from_settings(
    settings: Settings,
    observer: Observer | None = None,
    *,
    timeout_s: float | None = None,
    retries: int | None = None,
) -> StripeBilling | None:
    """The platform's Stripe client, or None when no key is configured (nothing is invoiced).
    `timeout_s` and `retries` at most (a page waiting on Stripe asks for less than the
    settings' values, which are for the jobs)."""
    if not settings.billing_stripe_key:
        return None
    return StripeBilling(
        api_key=settings.billing_stripe_key,
        base_url=settings.billing_stripe_url,
        timeout_s=min(settings.billing_timeout_s, timeout_s or settings.billing_timeout_s),
        retries=min(
            settings.billing_retries, settings.billing_retries if retries is None else retries
        ),
        observer=observer,
    )
