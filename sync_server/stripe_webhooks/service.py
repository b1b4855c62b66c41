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
import uuid
from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy import Connection

from sync_server.kit import queue
from sync_server.kit.errors import ApiError
from sync_server.scope import Scope
from sync_server.stripe_webhooks import repository, signature
from sync_server.stripe_webhooks.schemas import StripeEvent
from sync_server.tenants import service as tenants
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


# --- the platform's own account (fee invoices) ---------------------------------------------------

NOT_SIGNED_BY_THE_PLATFORM = (
    "the signature does not match the platform's webhook signing secret "
    "(SYNC_BILLING_WEBHOOK_SECRET, the secret Stripe shows for this endpoint)"
)


@dataclass(frozen=True, slots=True)
class PlatformReceived:
    event_id: str
    duplicate: bool
    ignored: bool
    """Signed, but about no shop of ours (no `tenant_id` in the object's metadata, or an
    unknown one): answered 2xx so Stripe stops sending it, and not stored."""


def receive_platform(
    scope: Scope, *, secret: str | None, body: bytes, header: str | None, now: float
) -> PlatformReceived:
    """Verify and store one delivery to the platform's own endpoint (its invoices to shops).

    Signed with the platform's secret (checked here: it is a server setting, not a shop's
    row), stored in the inbox of the shop the object's metadata names (`tenant_id`, which
    billing writes on every invoice), with `source = 'platform'`, and handled by the same
    worker task as a shop's events. 400 as `receive` for a bad signature or body."""
    parsed = signature.parse_header(header)
    if secret is None or not signature.matches(parsed, body, secret):
        log.warning(
            "platform Stripe webhook refused: %s",
            "SYNC_BILLING_WEBHOOK_SECRET is not set" if secret is None else "bad signature",
        )
        raise signature.SignatureError(NOT_SIGNED_BY_THE_PLATFORM)
    signature.check_timestamp(parsed, now)
    try:
        event = StripeEvent.model_validate_json(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "body"
        raise BadEvent(f"not a Stripe event: {where}: {first['msg']}") from None
    metadata = event.data.object.get("metadata")
    raw = metadata.get("tenant_id") if isinstance(metadata, dict) else None
    try:
        tenant_id = uuid.UUID(raw) if isinstance(raw, str) else None
    except ValueError:
        tenant_id = None
    if tenant_id is None:
        log.info("platform Stripe event %s (%s) names no shop: ignored", event.id, event.type)
        return PlatformReceived(event_id=event.id, duplicate=False, ignored=True)
    scope.enter_tenant(tenant_id)
    if tenants.current_tenant(scope.connection) is None:
        log.warning("platform Stripe event %s names an unknown shop %s", event.id, tenant_id)
        return PlatformReceived(event_id=event.id, duplicate=False, ignored=True)
    inserted = repository.insert_event(scope.connection, tenant_id, event, body, "platform")
    if inserted:
        queue.defer(
            scope.connection,
            queue.HANDLE_STRIPE_EVENT,
            [{"tenant_id": str(tenant_id), "event_id": event.id}],
        )
    return PlatformReceived(event_id=event.id, duplicate=not inserted, ignored=False)


def claim_version(
    conn: Connection, tenant_id: uuid.UUID, object_id: str, version: list[int], event_id: str
) -> bool:
    """Record `version` as the object's newest state applied; False when it is not newer (see
    `repository.claim_version`): other domains' handlers of Stripe objects order events so."""
    return repository.claim_version(conn, tenant_id, object_id, version, event_id)
