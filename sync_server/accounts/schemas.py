"""Console accounts: who signed in, and what the service hands back."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

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
    """The set-password link; the email carries it (the worker sends it). Empty for a resend of
    a request already done (`replayed`): only the link's HMAC was kept."""
    replayed: bool = False
    """A resend of a register's request (same idempotency key): nothing new was made or sent."""
    email_status: str = "queued"


@dataclass(frozen=True, slots=True)
class RequestedInvitation:
    """The invitation a register's request (its idempotency key) made."""

    id: uuid.UUID
    account_id: uuid.UUID
    email: str
    expires_at: datetime
    email_status: str


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


# --- the register's API (`POST /v1/owners/invitations`) -----------------------------------------


class OwnerInviteRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: str = Field(
        min_length=1, max_length=320, description="The new owner's email: the link goes there"
    )


class OwnerInviteResponse(BaseModel):
    invitation_id: uuid.UUID
    email: str = Field(description="The address as stored (trimmed, lower case)")
    expires_at: datetime = Field(description="Until when the set-password link works")
    email_status: str = Field(
        description="`queued` when the worker is to send it; later `sending`, `sent`, `failed`…"
    )
    replayed: bool = Field(
        description="True when this request (its Idempotency-Key) was already done: nothing new "
        "was made or sent"
    )
