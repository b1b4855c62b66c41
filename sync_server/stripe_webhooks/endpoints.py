"""`POST /v1/stripe/webhooks/{tenant}`: one endpoint per shop, each with its own secret."""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, Header, Request
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from sync_server.deps import AnonymousRequest, RequestCall, request_scope
from sync_server.kit.errors import error_responses
from sync_server.stripe_webhooks import service

router = APIRouter(prefix="/v1/stripe", tags=["stripe"])

# Declared (for the OpenAPI) but not constrained: a missing or malformed one is Stripe's 400.
SignatureHeader = Annotated[
    str | None, Header(description="`t=<unix seconds>,v1=<hex HMAC-SHA256>` (Stripe's scheme)")
]


class WebhookAck(BaseModel):
    received: bool
    event_id: str
    duplicate: bool
    """The event was already in the inbox: nothing is done twice."""


_ERRORS = error_responses(
    {
        400: "Bad or missing signature (one answer whether or not the shop exists or has a "
        "secret), stale timestamp, or not an event",
        413: "Body over the size limit",
        422: "A value the database cannot store",
    }
)


@router.post("/webhooks/{tenant}", response_model=WebhookAck, responses=_ERRORS)
async def webhook(
    tenant: str,
    request: Request,
    call: AnonymousRequest,
    stripe_signature: SignatureHeader = None,
) -> WebhookAck:
    """Stripe posts events here. The raw body is verified against `Stripe-Signature` with the
    shop's signing secret (300 s tolerance), stored once and handled by the worker."""
    body = await request.body()
    received = await run_in_threadpool(_receive, call, tenant, body, stripe_signature)
    return WebhookAck(received=True, event_id=received.event_id, duplicate=received.duplicate)


class PlatformAck(WebhookAck):
    ignored: bool
    """Signed by Stripe, but about no shop of this platform: not stored."""


@router.post("/platform-webhook", response_model=PlatformAck, responses=_ERRORS)
async def platform_webhook(
    request: Request,
    call: AnonymousRequest,
    stripe_signature: SignatureHeader = None,
) -> PlatformAck:
    """The platform's own Stripe account posts its events here (the fee invoices to shops):
    signed with `SYNC_BILLING_WEBHOOK_SECRET`, stored in the named shop's inbox, handled by
    the worker (`billing.flows`)."""
    body = await request.body()
    received = await run_in_threadpool(_receive_platform, call, body, stripe_signature)
    return PlatformAck(
        received=True,
        event_id=received.event_id,
        duplicate=received.duplicate,
        ignored=received.ignored,
    )


def _receive(call: RequestCall, slug: str, body: bytes, header: str | None) -> service.Received:
    with request_scope(call) as scope:
        return service.receive(scope, slug=slug, body=body, header=header, now=time.time())


def _receive_platform(
    call: RequestCall, body: bytes, header: str | None
) -> service.PlatformReceived:
    secret = call.ctx.settings.billing_webhook_secret
    with request_scope(call) as scope:
        return service.receive_platform(
            scope, secret=secret, body=body, header=header, now=time.time()
        )
