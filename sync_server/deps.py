"""What endpoints share: the server context (settings, engine, limiters), the bearer token and
the request's one transaction scope (`request_scope` here, `devices.auth.device_scope` for a
device's calls).

A request has one transaction. Its dependency (`AnonymousRequest`, `devices.auth.DeviceRequest`)
only holds what is cheap and needs no I/O (built in the event loop: no thread-pool call); the
endpoint opens the scope itself, once, in the thread it runs in (`with request_scope(call) as
scope:`), and the scope commits when the block ends, *before* the answer is sent: a commit that
fails is the client's error answer, never a 200 for rows that were not stored. A second opening
in the same request raises. Endpoints hand the scope to their own domain's service.

(The scope was a generator dependency before: FastAPI enters and leaves one in the thread pool,
two more thread-pool calls per request than the endpoint's own: ~0.5 ms more per request.)"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
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


async def get_context(request: Request) -> ServerContext:
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


async def bearer_token(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer_scheme)],
) -> str:
    """The raw token from `Authorization: Bearer …`, '' when none was sent (checked against the
    database when the endpoint opens its scope, see `counting_token_failures`)."""
    return credentials.credentials.strip() if credentials else ""


BearerToken = Annotated[str, Depends(bearer_token)]


@contextmanager
def counting_token_failures(ctx: ServerContext, address: str, token: str) -> Iterator[str]:
    """The token, if this address may still try one.

    Token guessing is slowed per client address: each 401 of the call (a missing, unknown or
    revoked token) counts, a success does not; past the limit every call from the address is
    429 until the window has room again, whatever token it carries."""
    limit = ctx.token_failure_limit
    wait = limit.wait(address)
    if wait is not None:
        raise TooManyRequests(
            f"too many failed device tokens from this address: retry in {wait} s",
            headers={"Retry-After": str(wait)},
        )
    if not token:
        limit.hit(address)
        raise Unauthorized("send the device token as `Authorization: Bearer <token>`")
    try:
        yield token
    except Unauthorized:
        limit.hit(address)
        raise


class RequestCall:
    """What a request's dependency hands its endpoint: the server context, and whether the
    request's one scope was opened yet. Built with no I/O."""

    __slots__ = ("_opened", "ctx")

    def __init__(self, ctx: ServerContext) -> None:
        self.ctx = ctx
        self._opened = False

    def open_once(self) -> None:
        """Called by the scope helpers: a request has one transaction, so one scope."""
        if self._opened:
            raise RuntimeError("this request's transaction scope was already opened")
        self._opened = True


async def anonymous_request(ctx: Context) -> RequestCall:
    return RequestCall(ctx)


AnonymousRequest = Annotated[RequestCall, Depends(anonymous_request)]
"""A request that may answer without the database (pairing, webhooks, links): its endpoint
opens the scope with `request_scope`."""


@contextmanager
def request_scope(call: RequestCall) -> Iterator[Scope]:
    """The request's transaction with no tenant yet, begun only if the block reaches the
    database (a refused signature or rate-limited pairing costs no connection); commits at the
    end of the block."""
    call.open_once()
    with anonymous_scope(call.ctx.engine) as scope:
        yield scope
