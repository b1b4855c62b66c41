"""Who a console request is: the session cookie resolved, and the request's transaction.

- `OwnerRequest`: the application role, the transaction scoped to the owner's shop by the very
  statement that resolves the session (row-level security applies as for a register).
- `OperatorRequest`: the session is resolved on the application role first (its own short
  transaction); only when it is an operator's is a transaction opened on the admin engine.
- `SessionRequest`: either kind (signing out).

Why the admin engine for operators, and not a SECURITY DEFINER function per operator read:
operators' pages are platform work the `sync-server` commands already do as the admin role
(month end, fee rates, the job queue, every shop's refused changes), many of them writes; a
definer function per page would re-implement each behind a second door. The web process holds
the admin credentials, but an owner's request never reaches them: the admin engine is made
lazily, only inside `operator_request`, after `console_session` has said "operator" for the
cookie's token (an HMAC lookup; an owner cannot become an operator by any field of the
request), and the pool is small (2). A deployment that wants the web process without admin
credentials at all can point `SYNC_ADMIN_DATABASE_URL` of the web process at a role granted
only what operator pages read (the next slice's hardening, see the README).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine

from sync_server.accounts import service as accounts
from sync_server.accounts.schemas import ConsoleSession
from sync_server.config import Settings
from sync_server.console.security import CookiePolicy, safe_next
from sync_server.kit.errors import Unauthorized
from sync_server.scope import Scope, admin_scope, anonymous_scope


@dataclass
class ConsoleContext:
    """The console's share of the server: settings, the application engine, the sign-in
    limits, the cookie policy and (for operators only, made on first use) the admin engine."""

    settings: Settings
    engine: Engine
    limits: accounts.SignInLimits
    cookies: CookiePolicy
    _admin_engine: Engine | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def key(self) -> bytes:
        return self.settings.token_hmac_key

    def admin_engine(self) -> Engine:
        with self._lock:
            if self._admin_engine is None:
                from sync_server.db import admin_engine

                self._admin_engine = admin_engine(self.settings)
            return self._admin_engine

    def dispose(self) -> None:
        with self._lock:
            if self._admin_engine is not None:
                self._admin_engine.dispose()
                self._admin_engine = None


def console_context(request: Request) -> ConsoleContext:
    context: ConsoleContext = request.app.state.console
    return context


Console = Annotated[ConsoleContext, Depends(console_context)]


class SignInNeeded(Exception):
    """No live session: the browser is sent to the sign-in page (and back to `next`)."""

    def __init__(self, next_path: str | None, notice: str | None = None) -> None:
        super().__init__(next_path)
        self.next_path = next_path
        self.notice = notice


class PageRefused(Exception):
    """A console error shown as a page: its status and the catalogue key of its sentence."""

    def __init__(self, status: int, message_key: str) -> None:
        super().__init__(message_key)
        self.status = status
        self.message_key = message_key


@dataclass
class ConsoleScope:
    """A signed-in request: its transaction, the session and the cookie's token (the CSRF
    tokens of its forms are bound to it)."""

    scope: Scope
    session: ConsoleSession
    token: str


def session_token(request: Request, console: ConsoleContext) -> str | None:
    return request.cookies.get(console.cookies.session_name)


def _come_back_to(request: Request) -> str:
    """Where signing in brings a signed-out visit back to: the page with its query string
    (Stripe's return to the payment method page carries its session id there), or the page
    alone when the query is not one `safe_next` lets through."""
    path = request.url.path
    query = request.url.query
    with_query = f"{path}?{query}" if query else path
    return with_query if safe_next(with_query) else path


def _resolve(console: ConsoleContext, scope: Scope, request: Request) -> ConsoleScope:
    token = session_token(request, console)
    next_path = _come_back_to(request) if request.method == "GET" else None
    if not token:
        raise SignInNeeded(next_path)
    try:
        session = accounts.resolve_session(scope.connection, key=console.key, token=token)
    except Unauthorized:
        raise SignInNeeded(next_path, "session_ended") from None
    return ConsoleScope(scope, session, token)


def session_request(request: Request, console: Console) -> Iterator[ConsoleScope]:
    with anonymous_scope(console.engine) as scope:
        yield _resolve(console, scope, request)


def owner_request(request: Request, console: Console) -> Iterator[ConsoleScope]:
    with anonymous_scope(console.engine) as scope:
        signed_in = _resolve(console, scope, request)
        if signed_in.session.kind != "owner" or signed_in.session.tenant_id is None:
            raise PageRefused(403, "owners_only")
        yield signed_in


def operator_request(request: Request, console: Console) -> Iterator[ConsoleScope]:
    with anonymous_scope(console.engine) as scope:
        resolved = _resolve(console, scope, request)
    if resolved.session.kind != "operator":
        raise PageRefused(403, "operators_only")
    with admin_scope(console.admin_engine()) as admin:
        yield ConsoleScope(admin, resolved.session, resolved.token)


SessionRequest = Annotated[ConsoleScope, Depends(session_request, scope="function")]
OwnerRequest = Annotated[ConsoleScope, Depends(owner_request, scope="function")]
OperatorRequest = Annotated[ConsoleScope, Depends(operator_request, scope="function")]
