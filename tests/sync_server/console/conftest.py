"""Console tests: accounts made as an owner and an operator make theirs (an invitation's link
used once, `sync-server operators create`), and a browser-like client that keeps cookies and
reads each form's CSRF token from the page; the Stripe emulator for the payment method page."""

from __future__ import annotations

import base64
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlalchemy import create_engine

from sync_server.accounts import service as accounts
from sync_server.config import Settings
from sync_server.db import tenant_transaction
from sync_server.tenants.schemas import Tenant
from tests.support.stripe_emulator_fixtures import (  # noqa: F401 - fixtures by name
    stripe_emulator,
    stripe_openapi_checker,
)
from tests.support.sync_server_live import LiveServer

PASSWORD = "tram lantern pebble 42"
CSRF_RE = re.compile(r'name="csrf" value="([^"]*)"')


def new_email(label: str) -> str:
    return f"{label}-{secrets.token_hex(4)}@example.test"


def invitation_token(settings: Settings, tenant: Tenant, email: str) -> str:
    engine = create_engine(settings.database_url)
    try:
        with tenant_transaction(engine, tenant.id) as conn:
            invited = accounts.invite_owner(
                conn, key=settings.token_hmac_key, tenant=tenant, email=email,
                public_base_url=settings.console_url, send_email=False,
            )  # fmt: skip
    finally:
        engine.dispose()
    return invited.link.partition("token=")[2]


def make_owner(settings: Settings, tenant: Tenant) -> str:
    """An owner of `tenant` with the password PASSWORD; their email."""
    email = new_email("owner")
    token = invitation_token(settings, tenant, email)
    engine = create_engine(settings.database_url)
    try:
        with engine.begin() as conn:
            accounts.set_password(conn, key=settings.token_hmac_key, token=token, password=PASSWORD)
    finally:
        engine.dispose()
    return email


def make_operator(settings: Settings) -> str:
    email = new_email("operator")
    engine = create_engine(settings.admin_database_url)
    try:
        with engine.begin() as conn:
            accounts.create_operator(conn, email=email, password=PASSWORD)
    finally:
        engine.dispose()
    return email


@dataclass
class Browser:
    """An httpx client that behaves like a browser for forms: cookies kept, redirects not
    followed (the tests look at them), the CSRF token taken from the last page read."""

    client: httpx.Client

    def page(self, path: str, **options: object) -> httpx.Response:
        return self.client.get(path, **options)  # type: ignore[arg-type]

    def csrf_of(self, path: str) -> str:
        response = self.page(path)
        assert response.status_code == 200, response.text
        match = CSRF_RE.search(response.text)
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def submit(self, path: str, data: dict[str, str], *, from_page: str) -> httpx.Response:
        return self.client.post(path, data={"csrf": self.csrf_of(from_page), **data})

    def sign_in(self, email: str, password: str = PASSWORD) -> httpx.Response:
        response = self.submit(
            "/console/sign-in", {"email": email, "password": password}, from_page="/console/sign-in"
        )
        return response


@pytest.fixture
def browser(live: LiveServer) -> Iterator[Browser]:
    with httpx.Client(base_url=live.url, timeout=30, follow_redirects=False) as client:
        yield Browser(client)


@pytest.fixture
def second_browser(live: LiveServer) -> Iterator[Browser]:
    with httpx.Client(base_url=live.url, timeout=30, follow_redirects=False) as client:
        yield Browser(client)


def make_operator_with_totp(settings: Settings) -> tuple[str, bytes]:
    """An operator whose sign-in asks for a TOTP code; their email and TOTP secret."""
    email = new_email("operator")
    engine = create_engine(settings.admin_database_url)
    try:
        with engine.begin() as conn:
            created = accounts.create_operator(conn, email=email, password=PASSWORD, with_totp=True)
    finally:
        engine.dispose()
    assert created.totp_uri is not None
    secret = parse_qs(urlsplit(created.totp_uri).query)["secret"][0]
    return email, base64.b32decode(secret + "=" * (-len(secret) % 8))
