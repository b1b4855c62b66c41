"""Console accounts: who signed in, and what the service hands back."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

AccountKind = Literal["owner", "operator"]


@dataclass(frozen=True, slots=True)
class ConsoleSession:
    """Who a session token belongs to: resolved from the token, never from a request's body.
    An owner's session scopes its transaction to `tenant_id`; an operator's has none."""

    kind: AccountKind
    account_id: uuid.UUID
    tenant_id: uuid.UUID | None
    email: str
    session_id: uuid.UUID
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class SignedIn:
    token: str
    """Shown once (the browser's cookie); only its HMAC is stored."""
    session: ConsoleSession


@dataclass(frozen=True, slots=True)
class Invitation:
    account_id: uuid.UUID
    invitation_id: uuid.UUID
    email: str
    expires_at: datetime
    link: str
    """The set-password link; the email carries it (the worker sends it)."""


@dataclass(frozen=True, slots=True)
class PasswordSet:
    tenant_id: uuid.UUID
    account_id: uuid.UUID
    email: str


@dataclass(frozen=True, slots=True)
class Operator:
    id: uuid.UUID
    email: str
    totp_uri: str | None
    """When TOTP was turned on: the otpauth:// URI to put in an authenticator app, shown once."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """An account an email may sign in to (`console_sign_in_candidates`)."""

    kind: AccountKind
    tenant_id: uuid.UUID | None
    shop: str | None
    account_id: uuid.UUID
    password_setting: str


@dataclass(frozen=True, slots=True)
class InvitationMail:
    """What the worker needs to send one invitation."""

    id: uuid.UUID
    tenant_id: uuid.UUID
    email: str
    shop: str
    expires_at: datetime
    used: bool
    email_status: str
