"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from sqlalchemy import Engine

from sync_server.accounts.endpoints import router as owners_router
from sync_server.accounts.service import SignInLimits, invite_limit
from sync_server.billing.endpoints import router as billing_router
from sync_server.config import Settings
from sync_server.console import endpoints as console
from sync_server.console.auth import ConsoleContext
from sync_server.console.security import CookiePolicy
from sync_server.deps import Context, ServerContext
from sync_server.devices.endpoints import router as devices_router
from sync_server.flows import push as push_flow
from sync_server.kit.errors import (
    DATABASE_RETRY_AFTER_S,
    ErrorResponse,
    ServiceUnavailable,
    error_body,
    error_responses,
    install_error_handlers,
)
from sync_server.kit.ratelimit import GuessLimit
from sync_server.notifications.endpoints import router as notifications_router
from sync_server.stripe_webhooks.endpoints import router as stripe_router
from sync_server.sync.endpoints import router as sync_router

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class BodySizeLimit:
    """Refuse bodies over `max_bytes` with 413, by header and while streaming (no header trust)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > self.max_bytes:
                await self._too_large(scope, send)
                return
        received = 0
        too_large = False

        async def limited_receive() -> Message:
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    too_large = True
                    raise _BodyTooLarge
            return message

        try:
            await self.app(scope, limited_receive, send)
        except _BodyTooLarge:
            await self._too_large(scope, send)

    async def _too_large(self, scope: Scope, send: Send) -> None:
        import json

        if console.is_console_path(scope.get("path", "")):
            # The console answers with a page (in the browser's language), like its other errors.
            body, headers = console.too_large_page(scope)
        else:
            body = json.dumps(
                error_body(
                    "payload_too_large", f"request body over {self.max_bytes} bytes: split it"
                )
            ).encode()
            headers = [(b"content-type", b"application/json")]
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [*headers, (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})


class _BodyTooLarge(Exception):
    pass


def create_app(settings: Settings, *, engine: Engine | None = None) -> FastAPI:
    from sync_server.db import app_engine, check_database

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        app.state.console.dispose()

    app = FastAPI(
        title="Counter POS sync server",
        version="1",
        description="Registers push their sales here and pull the catalog; one tenant per shop.",
        lifespan=lifespan,
    )
    settings.require_token_key()
    engine = engine or app_engine(settings)
    app.state.context = ServerContext(
        settings=settings,
        engine=engine,
        pair_limit=GuessLimit(engine, kind="pairing", limit=settings.pair_attempts_per_minute),
        token_failure_limit=GuessLimit(
            engine, kind="device_token", limit=settings.token_failures_per_minute
        ),
        invite_limit=invite_limit(engine),
    )
    # Sync declares what a push does beyond its own tables; the push flow does it.
    app.state.push_effects = push_flow.EFFECTS
    install_error_handlers(app)
    app.include_router(devices_router)
    app.include_router(sync_router)
    app.include_router(stripe_router)
    app.include_router(notifications_router)
    app.include_router(owners_router)
    app.include_router(billing_router)

    @app.get(
        "/healthz",
        tags=["health"],
        responses=error_responses({503: "The database does not answer"}),
    )
    def healthz(ctx: Context) -> dict[str, str]:
        """Alive, and the database answers."""
        reason = check_database(ctx.engine)
        if reason is not None:
            raise ServiceUnavailable(
                "the database does not answer",
                headers={"Retry-After": str(DATABASE_RETRY_AFTER_S)},
            )
        return {"status": "ok"}

    # The web console (`/console`): pages for shop owners and platform operators.
    console.install(
        app,
        ConsoleContext(
            settings=settings,
            engine=engine,
            limits=SignInLimits.on(engine),
            cookies=CookiePolicy.for_console(settings.console_url),
        ),
    )
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    _publish_raw_body_schemas(app)
    return app


def app_from_environment() -> FastAPI:
    """The app of one worker process of `sync-server serve --workers N`: uvicorn imports and
    calls this in each process it starts (`factory=True`), including a replacement for one that
    died. The settings are read from the environment the command read, checked by it before any
    worker started; with no database URL, the embedded cluster the command keeps running.
    Nothing the processes must agree on lives in one of them: the guessing limits are counted in
    PostgreSQL (`kit.ratelimit`), and so is everything else the API remembers."""
    import os
    from contextlib import asynccontextmanager

    from sync_server.embedded_pg import running_database_settings
    from sync_server.kit import accesslog

    settings = running_database_settings(Settings.from_env(), os.environ)
    accesslog.install()  # each process has its own logging, set up by uvicorn before this call
    app = create_app(settings)
    engine: Engine = app.state.context.engine

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()  # after the graceful shutdown: close this process's pool cleanly

    app.router.lifespan_context = lifespan
    return app


def proxy_options(settings: Settings) -> dict[str, Any]:
    """uvicorn's proxy settings for this server: left to itself uvicorn believes
    `X-Forwarded-For` from 127.0.0.1 (or `FORWARDED_ALLOW_IPS`), so a client on the same host,
    or behind a proxy that passes the header through, would choose the address the guessing
    limits count. Only the configured proxies are believed; with none, the header is ignored."""
    trusted = list(settings.trusted_proxies)
    return {"proxy_headers": bool(trusted), "forwarded_allow_ips": trusted}


def _publish_raw_body_schemas(app: FastAPI) -> None:
    """Put `PushRequest` (validated from the raw body, not by FastAPI) and `ErrorResponse`
    (referenced by every route's error answers, see `error_responses`) into the OpenAPI schemas."""
    from fastapi.openapi.utils import get_openapi

    from sync_server.sync.schemas import PushRequest

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in (PushRequest, ErrorResponse):
            published = model.model_json_schema(ref_template="#/components/schemas/{model}")
            for name, definition in published.pop("$defs", {}).items():
                components.setdefault(name, definition)
            components[model.__name__] = published
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
