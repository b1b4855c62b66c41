"""What every console page module shares: the form field type, the reader's translator, the
signed-in user's header context, the session's CSRF check and the owner's shop."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request

from sync_server.console.auth import ConsoleContext, ConsoleScope, PageRefused, SignInNeeded
from sync_server.console.i18n import Translator, negotiate
from sync_server.console.security import csrf_matches, csrf_token
from sync_server.tenants import service as tenants
from sync_server.tenants.schemas import Tenant

FormField = Annotated[str, Form(max_length=4096)]


def visitor_translator(request: Request) -> Translator:
    """The words of the browser's language (pages before sign-in, operators' pages)."""
    return Translator(negotiate(request.headers.get("accept-language")))


def require_session_csrf(console: ConsoleContext, signed_in: ConsoleScope, submitted: str) -> None:
    """Every signed-in form posts the token derived from its session: refuse any other."""
    if not csrf_matches(console.key, signed_in.token, submitted):
        raise PageRefused(403, "csrf_refused")


def user_context(console: ConsoleContext, signed_in: ConsoleScope) -> dict[str, str]:
    """The header's account block: who is signed in, and the CSRF token of their forms."""
    return {
        "email": signed_in.session.email,
        "kind": signed_in.session.kind,
        "csrf": csrf_token(console.key, signed_in.token),
    }


def owner_shop(owner: ConsoleScope) -> Tenant:
    """The signed-in owner's shop, read under the shop's row-level security; a session whose
    shop is gone (or not the one RLS scopes to) signs the owner out."""
    shop = tenants.current_tenant(owner.scope.connection)
    if shop is None or shop.id != owner.session.tenant_id:
        raise SignInNeeded(None, "session_ended")
    return shop
