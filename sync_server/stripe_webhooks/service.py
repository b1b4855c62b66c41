"""Receiving Stripe webhooks (verify, store once, enqueue, answer) and handling them later.

The endpoint does as little as it can so that Stripe gets its 2xx fast: one transaction that
checks the signature, stores the event in the inbox (`ON CONFLICT DO NOTHING` on the tenant
and event id) and, only for a new event, enqueues its handling. The worker then applies it in
one tenant transaction that also marks it processed, so a crash either applies all of it or
none (and the retry starts over).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy import Connection

from sync_server.kit import queue
from sync_server.kit.errors import ApiError
from sync_server.scope import Scope
from sync_server.stripe_webhooks import repository, signature
from sync_server.stripe_webhooks.schemas import StripeEvent
from sync_server.tenants.schemas import Tenant

_SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
_SECRET_RE = re.compile(r"^whsec_[A-Za-z0-9_]{8,200}$")
_ACCOUNT_RE = re.compile(r"^acct_[A-Za-z0-9]{1,64}$")

log = logging.getLogger(__name__)

NOT_SIGNED_FOR_THIS_ENDPOINT = (
    "the signature does not match this endpoint's signing secret "
    "(Stripe shows it per endpoint; give it to `sync-server tenants set-stripe`)"
)
"""The one answer for an unknown shop, a shop without a secret and a wrong signature: told
apart, they would let anyone list the platform's shop names. The log says which it was."""


class BadEvent(ApiError):
    status_code = 400
    code = "bad_event"


@dataclass(frozen=True, slots=True)
class Received:
    event_id: str
    duplicate: bool


def receive(scope: Scope, *, slug: str, body: bytes, header: str | None, now: float) -> Received:
    """Verify and store one delivery, in the request's scope (no tenant until the signature is
    checked, then the shop's). Raises 400: a missing or malformed signature header, a
    signature that no secret of this endpoint made (one answer, see
    `NOT_SIGNED_FOR_THIS_ENDPOINT`), a stale timestamp, or a body that is not an event."""
    parsed = signature.parse_header(header)
    conn = scope.connection
    # A malformed slug is looked up too (it finds nothing): the same work, the same time.
    well_formed_slug = slug if _SLUG_RE.match(slug) else ""
    check = repository.check_signature(
        conn, well_formed_slug, parsed.signed_payload(body), parsed.signatures
    )
    if check is None or not check.valid:
        log.warning("Stripe webhook for %r refused: %s", slug[:100], _refusal_reason(check))
        raise signature.SignatureError(NOT_SIGNED_FOR_THIS_ENDPOINT)
    signature.check_timestamp(parsed, now)
    try:
        event = StripeEvent.model_validate_json(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "body"
        raise BadEvent(f"not a Stripe event: {where}: {first['msg']}") from None
    if check.account_id and event.account and event.account != check.account_id:
        raise BadEvent(f"event of account {event.account}, not this shop's")
    scope.enter_tenant(check.tenant_id)
    inserted = repository.insert_event(conn, check.tenant_id, event, body)
    if inserted:
        queue.defer(
            conn,
            queue.HANDLE_STRIPE_EVENT,
            [{"tenant_id": str(check.tenant_id), "event_id": event.id}],
        )
    return Received(event_id=event.id, duplicate=not inserted)


def _refusal_reason(check: repository.SignatureCheck | None) -> str:
    """What the operator reads in the log (the caller gets `NOT_SIGNED_FOR_THIS_ENDPOINT`)."""
    if check is None:
        return "no such shop"
    if not check.has_secret:
        return "the shop has no webhook secret (sync-server tenants set-stripe)"
    return "the signature does not match the shop's secret"


def set_account(
    conn: Connection, *, tenant: Tenant, webhook_secret: str, account_id: str | None
) -> None:
    """Store the shop's webhook signing secret (admin role). Raises ValueError on a bad one."""
    if not _SECRET_RE.match(webhook_secret):
        raise ValueError("the webhook secret looks like whsec_… (Stripe shows it per endpoint)")
    if account_id is not None and not _ACCOUNT_RE.match(account_id):
        raise ValueError("the account id looks like acct_…")
    repository.set_account(conn, tenant.id, webhook_secret=webhook_secret, account_id=account_id)
