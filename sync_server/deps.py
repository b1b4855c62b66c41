"""What endpoints share: the server context (settings, engine, limiter) and the bearer token."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine

from sync_server.config import Settings
from sync_server.kit.errors import Unauthorized
from sync_server.kit.ratelimit import RateLimiter


@dataclass(frozen=True, slots=True)
class ServerContext:
    settings: Settings
    engine: Engine
    pair_limiter: RateLimiter


def get_context(request: Request) -> ServerContext:
    context: ServerContext = request.app.state.context
    return context


def bearer_token(request: Request) -> str:
    """The raw token from `Authorization: Bearer …` (checked against the database later)."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("send the device token as `Authorization: Bearer <token>`")
    return token.strip()


Context = Annotated[ServerContext, Depends(get_context)]
BearerToken = Annotated[str, Depends(bearer_token)]
