"""`POST /v1/owners/invitations`: a register's back office invites an owner of its own shop to
the web console (the same service call as `sync-server owners invite`)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Header

from sync_server.accounts import service
from sync_server.accounts.schemas import OwnerInviteRequest, OwnerInviteResponse
from sync_server.devices.auth import DeviceRequest, device_scope
from sync_server.kit.errors import Unprocessable, error_responses

router = APIRouter(prefix="/v1/owners", tags=["owners"])


class BadEmail(Unprocessable):
    code = "bad_email"


_ERRORS = error_responses(
    {
        401: "Missing, unknown or revoked device token",
        409: "This Idempotency-Key was already used to invite another email",
        422: "Not an email address, or no Idempotency-Key (a UUID)",
        429: "Too many invitations for this shop (see Retry-After), or too many failed tokens",
    }
)


@router.post("/invitations", response_model=OwnerInviteResponse, responses=_ERRORS)
def invite(
    body: OwnerInviteRequest,
    call: DeviceRequest,
    idempotency_key: Annotated[
        uuid.UUID,
        Header(
            description="A UUID the register makes once per invitation and sends again with "
            "every retry of it: a retry answers with the first one's invitation"
        ),
    ],
) -> OwnerInviteResponse:
    """Invite `email` to own the calling register's shop: an email with a one-time set-password
    link, sent by the job worker. Limited per shop; a retry with the same key sends nothing."""
    ctx = call.ctx
    try:
        with device_scope(call) as scope:
            invited = service.invite_owner(
                scope.connection,
                key=ctx.settings.token_hmac_key,
                tenant=scope.tenant(),
                email=body.email,
                public_base_url=ctx.settings.console_url,
                request_key=idempotency_key,
                device_id=scope.device.device_id,
                limit=ctx.invite_limit,
            )
    except service.AccountError as exc:
        raise BadEmail(f"{body.email.strip()[:80]!r} is not an email address") from exc
    return OwnerInviteResponse(
        invitation_id=invited.invitation_id,
        email=invited.email,
        expires_at=invited.expires_at,
        email_status=invited.email_status,
        replayed=invited.replayed,
    )
