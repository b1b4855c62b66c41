"""`POST /v1/sync/push` and `GET /v1/sync/pull` (contract in `sync_server.sync.schemas`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.concurrency import run_in_threadpool

from sync_server.config import Settings
from sync_server.devices.auth import DeviceCall, DeviceRequest, device_scope
from sync_server.kit.errors import error_responses
from sync_server.sync import schemas, service

router = APIRouter(prefix="/v1/sync", tags=["sync"])

_PUSH_ERRORS = error_responses(
    {
        401: "Missing, unknown or revoked token",
        403: "device_id is not the token's device",
        409: "Another push took one of the batch's new ids at the same moment: push again",
        413: "Body over the size limit",
        422: "Not a push, or a change without a usable seq (names seq and field)",
        429: "Too many failed tokens from this address: see Retry-After",
    }
)
_PULL_ERRORS = error_responses(
    {
        401: "Missing, unknown or revoked token",
        422: "A cursor this server did not hand out, or a limit out of range",
        429: "Too many failed tokens from this address: see Retry-After",
    }
)


# The body is read raw and validated after the token (401 before 422), by pydantic's own JSON
# parser; the schema is published in OpenAPI all the same (see `app.py`).
_PUSH_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PushRequest"}}},
    }
}


async def push_effects(request: Request) -> service.PushEffects:
    """The push flow (`sync_server.flows.push`), handed over by `app.create_app`."""
    effects: service.PushEffects = request.app.state.push_effects
    return effects


@router.post(
    "/push", response_model=schemas.PushResponse, responses=_PUSH_ERRORS, openapi_extra=_PUSH_BODY
)
async def push(
    request: Request,
    call: DeviceRequest,
    effects: Annotated[service.PushEffects, Depends(push_effects)],
) -> schemas.PushResponse:
    """Merge a batch of this register's changes; answers the new high-water sequence."""
    body = await request.body()
    return await run_in_threadpool(_push, call, effects, body)


def _push(call: DeviceCall, effects: service.PushEffects, body: bytes) -> schemas.PushResponse:
    with device_scope(call) as scope:
        request = service.parse_push(body)
        return service.push(
            scope.connection,
            auth=scope.device,
            tenant=scope.tenant(),
            request=request,
            limits=push_limits(call.ctx.settings),
            received_at=datetime.now(UTC),
            effects=effects,
        )


def push_limits(settings: Settings) -> service.PushLimits:
    return service.PushLimits(
        max_batch=settings.max_batch,
        sale_time_margin=timedelta(seconds=settings.sale_time_margin_s),
        sale_time_ahead=timedelta(seconds=settings.sale_time_ahead_s),
        max_amount_minor=settings.max_amount_minor,
    )


@router.get("/pull", response_model=schemas.PullResponse, responses=_PULL_ERRORS)
def pull(
    call: DeviceRequest,
    cursor: Annotated[str, Query(max_length=512)] = "",
    limit: Annotated[int, Query(ge=1, le=10_000)] = 500,
) -> schemas.PullResponse:
    """Catalog, staff, the 86 list, disputes and other registers' stock movements since `cursor`."""
    with device_scope(call) as scope:
        return service.pull(
            scope.connection,
            auth=scope.device,
            cursor=cursor,
            limit=min(limit, call.ctx.settings.pull_limit_max),
        )
