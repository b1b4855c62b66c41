"""What endpoints share: the server context (settings, engine, limiters), the bearer token and
the request's transaction scope (`AnonymousRequest` here, `devices.auth.DeviceRequest` for a
device's calls).

A request has one transaction, begun by its scope dependency and committed once when the
endpoint has returned and its answer is serialised, but *before* the answer is sent (the
dependencies' `scope="function"`): a commit that fails is the client's error answer, never a
200 for rows that were not stored. Endpoints hand the scope to their own domain's service."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine

from sync_server.config import Settings
from sync_server.kit.errors import TooManyRequests, Unauthorized
from sync_server.kit.ratelimit import GuessLimit
from sync_server.scope import Scope, anonymous_scope


@dataclass(frozen=True, slots=True)
class ServerContext:
    settings: Settings
    engine: Engine
    pair_limit: GuessLimit
    """Pairing attempts per client address."""
    token_failure_limit: GuessLimit
    """Failed device-token authentications per client address."""
    invite_limit: GuessLimit
    """Owner invitations from registers per shop (`accounts.service.invite_limit`)."""


def get_context(request: Request) -> ServerContext:
    context: ServerContext = request.app.state.context
    return context


Context = Annotated[ServerContext, Depends(get_context)]


def client_address(request: Request) -> str:
    """The address the guessing limits count: the connection's, or the client a configured
    proxy names (uvicorn rewrites it only for those, see `app.proxy_options`)."""
    return request.client.host if request.client else "unknown"


# Parses the header and declares the scheme in the OpenAPI; the errors are ours (below).
_bearer_scheme = HTTPBearer(
    auto_error=False, description="The device token from pairing (`cps_dev_…`)"
)


def bearer_token(
    request: Request,
    ctx: Context,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer_scheme)],
) -> Iterator[str]:
    """The raw token from `Authorization: Bearer …` (checked against the database later).

    Token guessing is slowed per client address: each 401 of the call (a missing, unknown or
    revoked token) counts, a success does not; past the limit every call from the address is
    429 until the window has room again, whatever token it carries."""
    address = client_address(request)
    limit = ctx.token_failure_limit
    wait = limit.wait(address)
    if wait is not None:
        raise TooManyRequests(
            f"too many failed device tokens from this address: retry in {wait} s",
            headers={"Retry-After": str(wait)},
        )
    token = credentials.credentials.strip() if credentials else ""
    if not token:
        limit.hit(address)
        raise Unauthorized("send the device token as `Authorization: Bearer <token>`")
    try:
        yield token
    except Unauthorized:
        limit.hit(address)
        raise


BearerToken = Annotated[str, Depends(bearer_token)]


def anonymous_request(ctx: Context) -> Iterator[Scope]:
    """A request's transaction with no tenant yet, begun only if the endpoint reaches the
    database (a refused signature or rate-limited pairing costs no connection)."""
    with anonymous_scope(ctx.engine) as scope:
        yield scope


AnonymousRequest = Annotated[Scope, Depends(anonymous_request, scope="function")]
