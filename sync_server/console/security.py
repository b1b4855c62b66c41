"""The console's browser security: cookies, CSRF tokens, safe redirects and response headers.

- Cookies: the session (`__Host-console_session` over https: Secure, Path=/, no Domain, so no
  sibling host can set or read it) and the pre-session CSRF cookie. Secure is on unless the
  console's own address (`SYNC_CONSOLE_URL`) is plain http on loopback (the tests, a laptop).
  Both HttpOnly; the session SameSite=Lax (a link from the invitation email or a bookmark
  keeps you signed in), the CSRF cookie SameSite=Strict.
- CSRF: every form carries `csrf`, an HMAC under the server's key of what the request is bound
  to: the session token when signed in (a synchronizer token: it dies with the session), else
  the random pre-session cookie (double submit, signed so a cookie planted by a sibling
  subdomain without the key cannot be paired with a token). A POST without a match is 403.
- `safe_next`: only same-site `/console/...` paths, so a crafted link cannot send a signed-in
  owner elsewhere.
- `ConsoleHeaders`: CSP without inline script, frame-ancestors none, no-referrer (the
  set-password link carries its token), nosniff; HTML pages are never cached. Forms post to
  the console only (`form-action 'self'`, which browsers also apply to the redirects after
  a post), except where a page names one more origin its forms lead to (`FORM_TARGET_HEADER`:
  the payment method page's button, redirected to Stripe's Checkout page).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

PREFIX = "/console"
CSRF_FIELD = "csrf"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")

_NEXT_RE = re.compile(r"^/console(/[A-Za-z0-9._~/-]*)?(\?[A-Za-z0-9._~=&%-]*)?$")

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'{targets}; "
    "frame-ancestors 'none'; base-uri 'none'"
)
FORM_TARGET_HEADER = b"x-console-form-target"
"""A page's answer may name (in this header, never sent on) one more origin its forms may
post or be redirected to: it is added to `form-action`."""
_ORIGIN_RE = re.compile(
    r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$|^https?://\[[0-9a-fA-F:]+\](:[0-9]{1,5})?$"
)


def csp(form_target: str | None = None) -> bytes:
    """The console's Content-Security-Policy; `form_target` an origin (scheme://host[:port])."""
    extra = f" {form_target}" if form_target and _ORIGIN_RE.match(form_target) else ""
    return CSP.format(targets=extra).encode()


HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", csp()),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-content-type-options", b"nosniff"),
    (b"cross-origin-opener-policy", b"same-origin"),
)


@dataclass(frozen=True, slots=True)
class CookiePolicy:
    secure: bool

    @classmethod
    def for_console(cls, console_url: str) -> CookiePolicy:
        parts = urlsplit(console_url)
        loopback_http = parts.scheme == "http" and (parts.hostname or "") in LOOPBACK_HOSTS
        return cls(secure=not loopback_http)

    @property
    def session_name(self) -> str:
        return "__Host-console_session" if self.secure else "console_session"

    @property
    def csrf_name(self) -> str:
        return "__Host-console_csrf" if self.secure else "console_csrf"

    @property
    def pairing_name(self) -> str:
        """The new pairing code's short-lived cookie (see `owner_pages.new_pairing_code`)."""
        return "__Host-console_pairing" if self.secure else "console_pairing"

    def options(self, *, same_site: str) -> dict[str, Any]:
        return {"path": "/", "secure": self.secure, "httponly": True, "samesite": same_site}


def new_pre_session_secret() -> str:
    return secrets.token_urlsafe(24)


def csrf_token(key: bytes, binding: str) -> str:
    """The form token for a session token or a pre-session cookie."""
    return hmac.new(key, b"console-csrf\x00" + binding.encode(), hashlib.sha256).hexdigest()


def csrf_matches(key: bytes, binding: str | None, submitted: str | None) -> bool:
    if not binding or not submitted or len(submitted) > 128:
        return False
    return hmac.compare_digest(csrf_token(key, binding), submitted)


def signed_value(key: bytes, purpose: str, binding: str, value: str) -> str:
    """`value` with an HMAC of it, of `purpose` and of `binding` (a session token, a shop):
    a cookie the server can trust it wrote, for that session only. Signed, not encrypted:
    the browser it is given to may read `value`."""
    message = f"console-{purpose}\x00{binding}\x00{value}".encode()
    return f"{value}.{hmac.new(key, message, hashlib.sha256).hexdigest()}"


def signed_value_of(key: bytes, purpose: str, binding: str, sealed: str | None) -> str | None:
    """The value `signed_value` signed for this purpose and binding; None for anything else."""
    if not sealed or len(sealed) > 300:
        return None
    value = sealed.rpartition(".")[0]
    expected = signed_value(key, purpose, binding, value)
    return value if value and hmac.compare_digest(expected, sealed) else None


def safe_next(value: str | None) -> str | None:
    """`value` when it is a path of the console on this site, else None."""
    if not value or len(value) > 300 or not _NEXT_RE.match(value) or "//" in value:
        return None
    if "/.." in value or value.startswith(PREFIX + "/static"):
        return None
    return value


Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class ConsoleHeaders:
    """Security headers on every answer under `/console` (pages, errors, static files); HTML
    answers are `no-store` (an owner's figures stay out of shared caches and the back button's
    disk cache after sign-out)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if not (path == PREFIX or path.startswith(PREFIX + "/")):
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                target = None
                headers = []
                for name, value in message.get("headers", []):
                    if name.lower() == FORM_TARGET_HEADER:
                        target = value.decode("latin-1")
                    elif name.lower() not in {h for h, _ in HEADERS}:
                        headers.append((name, value))
                headers.extend(HEADERS)
                if target is not None:
                    headers = [
                        (n, csp(target) if n == b"content-security-policy" else v)
                        for n, v in headers
                    ]
                content_type = dict(headers).get(b"content-type", b"")
                if content_type.startswith(b"text/html"):
                    headers = [(n, v) for n, v in headers if n.lower() != b"cache-control"]
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
