"""`POST /v1/devices/pair` and `GET /v1/devices/me`."""

from __future__ import annotations

from fastapi import APIRouter, Request

from sync_server.deps import AnonymousRequest, client_address, request_scope
from sync_server.devices import service
from sync_server.devices.auth import DeviceRequest, device_scope
from sync_server.devices.schemas import DeviceMe, PairRequest, PairResponse
from sync_server.kit.errors import NotFound, TooManyRequests, error_responses
from sync_server.tenants.schemas import TenantOut

router = APIRouter(prefix="/v1/devices", tags=["devices"])

_PAIR_ERRORS = error_responses(
    {
        401: "Code unknown, used or expired",
        409: "The register holds another shop's data (or sells in another currency); the code "
        "was not used",
        413: "Body over the size limit",
        422: "Malformed request (names the field)",
        429: "Too many pairing attempts from this address: wait a minute",
    }
)
_ERRORS = error_responses(
    {
        401: "Missing, unknown or revoked token",
        404: "The device is gone",
        429: "Too many failed tokens from this address: see Retry-After",
    }
)


@router.post(
    "/pair",
    response_model=PairResponse,
    responses=_PAIR_ERRORS,
)
def pair(body: PairRequest, request: Request, call: AnonymousRequest) -> PairResponse:
    """Trade a one-time pairing code (from `sync-server devices pair-code`) for a device token."""
    ctx = call.ctx
    wait = ctx.pair_limit.hit(client_address(request))
    if wait is not None:
        raise TooManyRequests(
            f"too many pairing attempts from this address: retry in {wait} s",
            headers={"Retry-After": str(wait)},
        )
    with request_scope(call) as scope:
        paired = service.pair(
            scope,
            key=ctx.settings.token_hmac_key,
            code=body.code,
            device_name=body.device_name,
            install_id=body.install_id,
            held_tenant_id=body.held_tenant_id,
            held_currency=body.held_currency,
        )
    return PairResponse(
        device_id=paired.device_id, token=paired.token, tenant=TenantOut.of(paired.tenant)
    )


@router.get("/me", response_model=DeviceMe, responses=_ERRORS)
def me(call: DeviceRequest) -> DeviceMe:
    """The calling device and its shop (name, currency, time zone)."""
    with device_scope(call) as scope:
        found = service.me(scope.connection, scope.device.tenant_id, scope.device.device_id)
    if found is None:
        raise NotFound("device not found")
    device, tenant = found
    return DeviceMe(
        device_id=device.id,
        name=device.name,
        acknowledged_seq=device.acknowledged_seq,
        tenant=TenantOut.of(tenant),
    )
