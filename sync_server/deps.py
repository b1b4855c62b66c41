"""What endpoints share: the server context (settings, engine, limiters) and the bearer token."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine

from sync_server.config import Settings
from sync_server.kit.errors import TooManyRequests, Unauthorized
from sync_server.kit.ratelimit import RateLimiter


@dataclass(frozen=True, slots=True)
class ServerContext:
    settings: Settings
    engine: Engine
    pair_limiter: RateLimiter
    """Pairing attempts per client address."""
    token_failure_limiter: RateLimiter
    """Failed device-token authentications per client address."""


def get_context(request: Request) -> ServerContext:
    context: ServerContext = request.app.state.context
    return context


Context = Annotated[ServerContext, Depends(get_context)]


def client_address(request: Request) -> str:
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
    limiter = ctx.token_failure_limiter
    wait = limiter.retry_after(address)
    if wait is not None:
        raise TooManyRequests(
            f"too many failed device tokens from this address: retry in {wait} s",
            headers={"Retry-After": str(wait)},
        )
    token = credentials.credentials.strip() if credentials else ""
    if not token:
        limiter.record(address)
        raise Unauthorized("send the device token as `Authorization: Bearer <token>`")
    try:
        yield token
    except Unauthorized:
        limiter.record(address)
        raise


BearerToken = Annotated[str, Depends(bearer_token)]
