"""The console's pages and forms under `/console`, and `install`, which mounts them (with the
static files, the security headers and error pages) on the server's app.

Endpoints call services only (accounts, reports); every POST checks its CSRF
token first; every refusal is a page with a sentence in the reader's language."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool

from sync_server.accounts import service as accounts
from sync_server.console import billing_pages, operator_pages, owner_pages, report_pages
from sync_server.console.auth import (
    Console,
    ConsoleContext,
    PageRefused,
    SessionRequest,
    SignInNeeded,
    console_context,
)
from sync_server.console.i18n import Translator, negotiate, shop_locale
from sync_server.console.pages import STATIC, render
from sync_server.console.security import (
    HEADERS,
    PREFIX,
    ConsoleHeaders,
    CookiePolicy,
    csrf_matches,
    csrf_token,
    new_pre_session_secret,
    safe_next,
)
from sync_server.console.views import (
    FormField,
    require_session_csrf,
    visitor_translator,
)
from sync_server.deps import client_address
from sync_server.kit.errors import TooManyRequests, Unauthorized
from sync_server.scope import anonymous_scope
from sync_server.tenants import service as tenants

router = APIRouter(prefix=PREFIX, include_in_schema=False)

AREA_ROUTERS: tuple[APIRouter, ...] = (
    report_pages.router,
    owner_pages.router,
    operator_pages.router,
    billing_pages.router,
)
"""The page areas' own routers (one module each: `<area>_pages.py`), mounted by `install`."""

NOTICES = ("password_set", "signed_out", "signed_out_everywhere", "session_ended")
"""The notices a page may show from its query string (keys only: no text is reflected)."""

ExceptionHandler = Callable[[Request, Exception], Response | Awaitable[Response]]


def _pre_session(request: Request, console: ConsoleContext) -> tuple[str, bool]:
    """The pre-session CSRF cookie's secret, and whether it is new (to be set)."""
    existing = request.cookies.get(console.cookies.csrf_name)
    if existing and 16 <= len(existing) <= 64:
        return existing, False
    return new_pre_session_secret(), True


def _with_pre_session(
    response: Response, console: ConsoleContext, secret: str, new: bool
) -> Response:
    if new:
        response.set_cookie(
            console.cookies.csrf_name, secret, **console.cookies.options(same_site="strict")
        )
    return response


def _require_pre_session_csrf(request: Request, console: ConsoleContext, submitted: str) -> None:
    if not csrf_matches(console.key, request.cookies.get(console.cookies.csrf_name), submitted):
        raise PageRefused(403, "csrf_refused")


def _home(kind: str) -> str:
    return f"{PREFIX}/shops" if kind == "operator" else f"{PREFIX}/today"


_PAGES_OF: dict[str, tuple[APIRouter, ...]] = {
    "owner": (report_pages.router, owner_pages.router, billing_pages.router),
    "operator": (operator_pages.router,),
}
"""The page areas each kind of account may open."""


def _landing(kind: str, next_path: str | None) -> str:
    """Where a sign-in lands: `next` when it is a page this kind of account may open (an
    owner sent to an operators' page would only meet a 403), else the kind's home."""
    if next_path:
        path = next_path.partition("?")[0]
        for area in _PAGES_OF.get(kind, ()):
            for route in area.routes:
                if (
                    isinstance(route, APIRoute)
                    and "GET" in (route.methods or ())
                    and route.path_regex.match(path)
                ):
                    return next_path
    return _home(kind)


# --- signing in ---------------------------------------------------------------------------------


@router.get("", response_class=HTMLResponse)
@router.get("/", response_class=HTMLResponse)
def console_home(request: Request, console: Console) -> Response:
    """Where a bookmark of the console lands: your home page, or the sign-in page."""
    token = request.cookies.get(console.cookies.session_name)
    if token:
        with anonymous_scope(console.engine) as scope:
            try:
                session = accounts.resolve_session(scope.connection, key=console.key, token=token)
            except Unauthorized:
                session = None
        if session is not None:
            return RedirectResponse(_home(session.kind), status_code=303)
    return RedirectResponse(f"{PREFIX}/sign-in", status_code=303)


def _sign_in_page(
    request: Request, console: ConsoleContext, *, status: int = 200, error: str | None = None,
    email: str = "", next_path: str | None = None, totp: bool = False,
    headers: dict[str, str] | None = None,
) -> Response:  # fmt: skip
    secret, new = _pre_session(request, console)
    notice = request.query_params.get("notice")
    response = render(
        "sign_in.html", visitor_translator(request), status=status, headers=headers,
        csrf=csrf_token(console.key, secret), error=error, email=email,
        next_path=next_path or "", totp=totp,
        notice=notice if notice in NOTICES and status == 200 else None,
    )  # fmt: skip
    return _with_pre_session(response, console, secret, new)


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_form(request: Request, console: Console, next: str | None = None) -> Response:
    return _sign_in_page(request, console, next_path=safe_next(next))


@router.post("/sign-in", response_class=HTMLResponse)
def sign_in(
    request: Request, console: Console, csrf: FormField = "", email: FormField = "",
    password: FormField = "", totp: FormField = "", next: FormField = "",
) -> Response:  # fmt: skip
    _require_pre_session_csrf(request, console, csrf)
    t = visitor_translator(request)
    next_path = safe_next(next)
    try:
        with anonymous_scope(console.engine) as scope:
            signed = accounts.sign_in(
                scope.connection, key=console.key, limits=console.limits, email=email,
                password=password, client=client_address(request),
                totp_code=totp.strip() or None,
            )  # fmt: skip
    except TooManyRequests as exc:
        wait = int(exc.headers.get("Retry-After", "60"))
        return _sign_in_page(
            request, console, status=429, email=email, next_path=next_path,
            error=t("locked_out", minutes=max(1, -(-wait // 60))), headers=exc.headers,
        )  # fmt: skip
    except accounts.TotpRequired:
        return _sign_in_page(
            request, console, status=401, email=email, next_path=next_path, totp=True,
            error=t("totp_required"),
        )  # fmt: skip
    except Unauthorized as exc:
        wrong_code = exc.message != accounts.REFUSED
        return _sign_in_page(
            request, console, status=401, email=email, next_path=next_path, totp=wrong_code,
            error=t("totp_wrong" if wrong_code else "refused"),
        )  # fmt: skip
    response = RedirectResponse(_landing(signed.session.kind, next_path), status_code=303)
    response.set_cookie(
        console.cookies.session_name, signed.token, **console.cookies.options(same_site="lax")
    )
    _forget(response, console.cookies.csrf_name, console.cookies)
    return response


def _forget(response: Response, name: str, cookies: CookiePolicy) -> None:
    response.delete_cookie(name, path="/", secure=cookies.secure, httponly=True)


# --- the invitation's set-password link ---------------------------------------------------------


def _set_password_page(
    request: Request, console: ConsoleContext, token: str, *, status: int = 200,
    error: str | None = None,
) -> Response:  # fmt: skip
    secret, new = _pre_session(request, console)
    response = render(
        "set_password.html", visitor_translator(request), status=status,
        csrf=csrf_token(console.key, secret), token=token, error=error,
        min_length=accounts.MIN_PASSWORD_LENGTH,
    )  # fmt: skip
    return _with_pre_session(response, console, secret, new)


@router.get("/set-password", response_class=HTMLResponse)
def set_password_form(request: Request, console: Console, token: str = "") -> Response:
    """The form, for a link that can still be used; a used or expired one says so at once."""
    try:
        with anonymous_scope(console.engine) as scope:
            usable = accounts.invitation_usable(scope.connection, key=console.key, token=token)
    except accounts.InvalidLink:
        raise PageRefused(400, "link_invalid") from None
    if not usable:
        raise PageRefused(410, "link_used")
    return _set_password_page(request, console, token)


@router.post("/set-password", response_class=HTMLResponse)
def set_password(
    request: Request, console: Console, csrf: FormField = "", token: FormField = "",
    password: FormField = "", confirm: FormField = "",
) -> Response:  # fmt: skip
    _require_pre_session_csrf(request, console, csrf)
    t = visitor_translator(request)
    if password != confirm:
        return _set_password_page(request, console, token, status=422, error=t("passwords_differ"))
    try:
        with anonymous_scope(console.engine) as scope:
            accounts.set_password(scope.connection, key=console.key, token=token, password=password)
    except accounts.WeakPasswordRefused as exc:
        return _set_password_page(
            request, console, token, status=422,
            error=t(f"weak_{exc.reason}", min=accounts.MIN_PASSWORD_LENGTH),
        )  # fmt: skip
    except accounts.InvalidLink:
        raise PageRefused(400, "link_invalid") from None
    except Unauthorized:
        raise PageRefused(410, "link_used") from None
    return RedirectResponse(f"{PREFIX}/sign-in?notice=password_set", status_code=303)


# --- signing out --------------------------------------------------------------------------------


def _signed_out(console: ConsoleContext, notice: str) -> Response:
    response = RedirectResponse(f"{PREFIX}/sign-in?notice={notice}", status_code=303)
    _forget(response, console.cookies.session_name, console.cookies)
    return response


@router.post("/sign-out")
def sign_out(console: Console, signed_in: SessionRequest, csrf: FormField = "") -> Response:
    require_session_csrf(console, signed_in, csrf)
    accounts.sign_out(signed_in.scope.connection, key=console.key, token=signed_in.token)
    return _signed_out(console, "signed_out")


@router.post("/sign-out-everywhere")
def sign_out_everywhere(
    console: Console, signed_in: SessionRequest, csrf: FormField = ""
) -> Response:
    require_session_csrf(console, signed_in, csrf)
    accounts.sign_out_everywhere(signed_in.scope.connection, key=console.key, token=signed_in.token)
    return _signed_out(console, "signed_out_everywhere")


# --- mounting -----------------------------------------------------------------------------------


def install(app: FastAPI, console: ConsoleContext) -> None:
    """Serve the console under `/console`: its routes, its static files, its headers, and its
    errors as pages (the API keeps its JSON errors)."""
    app.state.console = console
    app.include_router(router)
    for area in AREA_ROUTERS:
        app.include_router(area)
    app.mount(f"{PREFIX}/static", StaticFiles(directory=STATIC), name="console-static")
    app.add_middleware(ConsoleHeaders)
    _install_error_pages(app)


_STATUS_MESSAGES = {400: "bad_request", 404: "not_found", 405: "not_found", 413: "bad_request",
                    422: "bad_request", 429: "bad_request"}  # fmt: skip


def reader_translator(request: Request, status: int) -> Translator:
    """An error page's words: the signed-in owner's shop language when the session cookie
    resolves, else the browser's. The look-up is one short transaction of its own (the
    request's own transaction has ended by the time an error handler runs); it is skipped for
    a server error (the database may be what failed) and any database error falls back to the
    browser's language: an error page never fails for want of a language."""
    console: ConsoleContext | None = getattr(request.app.state, "console", None)
    token = request.cookies.get(console.cookies.session_name) if console else None
    if console is None or not token or status >= 500:
        return visitor_translator(request)
    shop = None
    try:
        with anonymous_scope(console.engine) as scope:
            session = accounts.resolve_session(scope.connection, key=console.key, token=token)
            if session.kind == "owner":
                shop = tenants.current_tenant(scope.connection)
                shop = shop if shop is not None and shop.id == session.tenant_id else None
    except (Unauthorized, SQLAlchemyError):
        shop = None
    return visitor_translator(request) if shop is None else Translator(shop_locale(shop))


def error_page(
    request: Request, status: int, message_key: str, t: Translator | None = None
) -> Response:
    headers = {"Retry-After": "5"} if status == 503 else None
    t = t or visitor_translator(request)
    return render("error.html", t, status=status, headers=headers, message=t(message_key))


async def reader_error_page(request: Request, status: int, message_key: str) -> Response:
    """`error_page` in the reader's language (`reader_translator`, off the event loop)."""
    t = await run_in_threadpool(reader_translator, request, status)
    return error_page(request, status, message_key, t)


def _install_error_pages(app: FastAPI) -> None:
    """Under `/console`, every error the app's handlers answer (404, 405, a validation error,
    the database unavailable, ...) becomes a page with the same status; elsewhere they answer
    as before (JSON for the API)."""

    def wrap(original: ExceptionHandler) -> ExceptionHandler:
        async def handler(request: Request, exc: Exception) -> Response:
            answer = original(request, exc)
            response: Response = await answer if inspect.isawaitable(answer) else answer
            if not _is_console(request):
                return response
            status = response.status_code
            key = _STATUS_MESSAGES.get(status, "server_error" if status >= 500 else "bad_request")
            page = await reader_error_page(request, status, key)
            if "retry-after" in response.headers:
                page.headers["Retry-After"] = response.headers["retry-after"]
            return page

        return handler

    for exc_class, original in list(app.exception_handlers.items()):
        app.exception_handlers[exc_class] = wrap(original)

    async def refused(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, PageRefused)
        return await reader_error_page(request, exc.status, exc.message_key)

    async def sign_in_needed(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, SignInNeeded)
        query = {key: value for key, value in (("next", safe_next(exc.next_path)),
                                               ("notice", exc.notice)) if value}  # fmt: skip
        target = f"{PREFIX}/sign-in" + (f"?{urlencode(query)}" if query else "")
        response = RedirectResponse(target, status_code=303)
        if exc.notice:
            console = console_context(request)
            _forget(response, console.cookies.session_name, console.cookies)
        return response

    app.exception_handlers[PageRefused] = refused
    app.exception_handlers[SignInNeeded] = sign_in_needed


def _is_console(request: Request) -> bool:
    return is_console_path(request.url.path)


def is_console_path(path: str) -> bool:
    return path == PREFIX or path.startswith(PREFIX + "/")


def too_large_page(scope: MutableMapping[str, Any]) -> tuple[bytes, list[tuple[bytes, bytes]]]:
    """The 413 page of a body over the server's limit (sent by `app.BodySizeLimit`, outside
    the app, hence the security headers here)."""
    languages = [
        v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"accept-language"
    ]
    t = Translator(negotiate(languages[0] if languages else None))
    page = render("error.html", t, status=413, message=t("too_large"))
    sent = [(b"content-type", b"text/html; charset=utf-8"), (b"cache-control", b"no-store")]
    return bytes(page.body), [*sent, *HEADERS]
