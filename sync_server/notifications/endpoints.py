"""The unsubscribe link of notification emails: `GET` shows a confirmation button (mail
scanners follow links, so a `GET` changes nothing), `POST` opts the address out — also the
one-click `List-Unsubscribe-Post` of RFC 8058."""

from __future__ import annotations

import html
import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from sync_server.deps import AnonymousRequest, request_scope
from sync_server.kit.errors import NotFound, error_responses
from sync_server.notifications import service
from sync_server.scope import Scope

router = APIRouter(prefix="/v1/notifications", tags=["notifications"])

Channel = Annotated[str, Query(pattern="^(email|sms)$")]
Address = Annotated[str, Query(min_length=3, max_length=254)]
Token = Annotated[str, Query(min_length=32, max_length=32)]

_ERRORS = error_responses(
    {
        404: "Not a link this server made (or the shop is gone)",
        422: "A parameter is missing or malformed",
    }
)


def _page(title: str, body: str) -> HTMLResponse:
    return HTMLResponse(
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head>"
        f'<body style="font-family:sans-serif;max-width:32em;margin:auto">{body}</body></html>'
    )


def _shop(
    key: bytes, scope: Scope, tenant_id: uuid.UUID, channel: str, address: str, token: str
) -> str:
    """The shop's name, once the link is checked (no database before); the scope is then the
    shop's."""
    if not service.check_token(key, tenant_id, channel, address, token):
        raise NotFound("this unsubscribe link is not valid")
    scope.enter_tenant(tenant_id)
    name = service.shop_name(scope.connection)
    if name is None:
        raise NotFound("this unsubscribe link is not valid")
    return name


@router.get("/unsubscribe/{tenant_id}", response_class=HTMLResponse, responses=_ERRORS)
def confirm(
    tenant_id: uuid.UUID,
    channel: Channel,
    address: Address,
    token: Token,
    call: AnonymousRequest,
) -> HTMLResponse:
    """A page with one button that unsubscribes the address."""
    with request_scope(call) as scope:
        shop = _shop(call.ctx.settings.token_hmac_key, scope, tenant_id, channel, address, token)
    return _page(
        "Unsubscribe",
        f"<p>Stop messages from {html.escape(shop)} to {html.escape(address)}?</p>"
        '<form method="post"><button type="submit">Unsubscribe</button></form>',
    )


@router.post("/unsubscribe/{tenant_id}", response_class=HTMLResponse, responses=_ERRORS)
def unsubscribe(
    tenant_id: uuid.UUID,
    channel: Channel,
    address: Address,
    token: Token,
    call: AnonymousRequest,
) -> HTMLResponse:
    """Opt the address out of every message from this shop on this channel."""
    key = call.ctx.settings.token_hmac_key
    try:
        with request_scope(call) as scope:
            shop = _shop(key, scope, tenant_id, channel, address, token)
            service.opt_out(
                scope.connection,
                tenant_id=tenant_id,
                channel=channel,
                address=address,
                source="link",
            )
    except service.NotificationError as exc:
        raise NotFound(str(exc)) from None
    return _page(
        "Unsubscribed",
        f"<p>{html.escape(address)} will get no more messages from {html.escape(shop)}.</p>",
    )
