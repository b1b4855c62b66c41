"""Console account queries. Sign-in, sessions and set-password links go through the SECURITY
DEFINER functions of migration 0012 (the application role reads no hash); the rest runs under
the shop's row-level security, or on the admin role for operators."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import Connection, text

from sync_server.accounts.schemas import (
    Candidate,
    ConsoleSession,
    InvitationMail,
    RequestedInvitation,
)
from sync_server.kit.rows import row_as

# --- owners (tenant scope) ---------------------------------------------------------------------


def owner_id_by_email(conn: Connection, tenant_id: uuid.UUID, email: str) -> uuid.UUID | None:
    row = conn.execute(
        text("SELECT id FROM owner_accounts WHERE tenant_id = :t AND email = :e"),
        {"t": tenant_id, "e": email},
    ).first()
    return None if row is None else row.id


def first_owner_email(conn: Connection, tenant_id: uuid.UUID) -> str | None:
    """The shop's first owner account's email (the one invited first)."""
    email: str | None = conn.execute(
        text(
            "SELECT email FROM owner_accounts WHERE tenant_id = :t ORDER BY created_at, id LIMIT 1"
        ),
        {"t": tenant_id},
    ).scalar()
    return email


def insert_owner(
    conn: Connection, *, tenant_id: uuid.UUID, account_id: uuid.UUID, email: str
) -> None:
    conn.execute(
        text(
            "INSERT INTO owner_accounts (tenant_id, id, email) VALUES (:t, :i, :e) "
            "ON CONFLICT (tenant_id, email) DO NOTHING"
        ),
        {"t": tenant_id, "i": account_id, "e": email},
    )


def retire_invitations(
    conn: Connection, tenant_id: uuid.UUID, account_id: uuid.UUID, *, keep: uuid.UUID
) -> int:
    """End every unused, unexpired set-password link of an account now but `keep` (the newer
    one that replaces them); the number retired."""
    result = conn.execute(
        text(
            "UPDATE owner_invitations SET expires_at = now() WHERE tenant_id = :t "
            "AND account_id = :a AND id <> :k AND used_at IS NULL AND expires_at > now()"
        ),
        {"t": tenant_id, "a": account_id, "k": keep},
    )
    return int(result.rowcount)


def insert_invitation(
    conn: Connection,
    *,
    tenant_id: uuid.UUID,
    invitation_id: uuid.UUID,
    account_id: uuid.UUID,
    token_hash: bytes,
    expires_at: datetime,
    email_status: str,
    request_key: uuid.UUID | None = None,
    device_id: uuid.UUID | None = None,
) -> bool:
    """False when the shop already has an invitation of `request_key` (a resend that raced
    the first request: it waited for that one's commit)."""
    row = conn.execute(
        text(
            "INSERT INTO owner_invitations "
            "(tenant_id, id, account_id, token_hash, expires_at, email_status, request_key, "
            "device_id) VALUES (:t, :i, :a, :h, :x, :s, :k, :d) "
            "ON CONFLICT (tenant_id, request_key) WHERE request_key IS NOT NULL DO NOTHING "
            "RETURNING id"
        ),
        {
            "t": tenant_id,
            "i": invitation_id,
            "a": account_id,
            "h": token_hash,
            "x": expires_at,
            "s": email_status,
            "k": request_key,
            "d": device_id,
        },
    ).first()
    return row is not None


def invitation_by_request(
    conn: Connection, tenant_id: uuid.UUID, request_key: uuid.UUID
) -> RequestedInvitation | None:
    row = conn.execute(
        text(
            "SELECT i.id, i.account_id, a.email, i.expires_at, i.email_status "
            "FROM owner_invitations i "
            "JOIN owner_accounts a ON a.tenant_id = i.tenant_id AND a.id = i.account_id "
            "WHERE i.tenant_id = :t AND i.request_key = :k"
        ),
        {"t": tenant_id, "k": request_key},
    ).first()
    return None if row is None else RequestedInvitation(*row)


def lock_invitation(
    conn: Connection, tenant_id: uuid.UUID, invitation_id: uuid.UUID
) -> InvitationMail | None:
    row = conn.execute(
        text(
            "SELECT i.id, i.tenant_id, a.email, t.name AS shop, i.expires_at, "
            "i.used_at IS NOT NULL OR i.expires_at <= now() AS used, i.email_status "
            "FROM owner_invitations i "
            "JOIN owner_accounts a ON a.tenant_id = i.tenant_id AND a.id = i.account_id "
            "JOIN tenants t ON t.id = i.tenant_id "
            "WHERE i.tenant_id = :t AND i.id = :i FOR UPDATE OF i"
        ),
        {"t": tenant_id, "i": invitation_id},
    ).first()
    return None if row is None else InvitationMail(*row)


def set_invitation_email(
    conn: Connection,
    tenant_id: uuid.UUID,
    invitation_id: uuid.UUID,
    status: str,
    *,
    error: str | None = None,
    attempted: bool = False,
) -> None:
    conn.execute(
        text(
            "UPDATE owner_invitations SET email_status = :s, "
            "email_attempts = email_attempts + :a, email_error = coalesce(:e, email_error) "
            "WHERE tenant_id = :t AND id = :i"
        ),
        {"t": tenant_id, "i": invitation_id, "s": status, "a": 1 if attempted else 0,
         "e": None if error is None else error[:1000]},
    )  # fmt: skip


# --- sign-in, sessions, set-password links (SECURITY DEFINER functions) ------------------------


def sign_in_candidates(conn: Connection, email: str) -> list[Candidate]:
    rows = conn.execute(
        text(
            "SELECT kind, tenant_id, shop, account_id, password_setting "
            "FROM console_sign_in_candidates(:e)"
        ),
        {"e": email},
    )
    return [Candidate(*row) for row in rows]


def check_password(
    conn: Connection, candidate: Candidate, key: str
) -> tuple[bytes | None, int | None] | None:
    """None when the key does not match; else the operator's TOTP secret and last used step."""
    row = conn.execute(
        text("SELECT totp_secret, totp_last_step FROM console_check_password(:k, :t, :a, :key)"),
        {"k": candidate.kind, "t": candidate.tenant_id, "a": candidate.account_id, "key": key},
    ).first()
    return None if row is None else (row.totp_secret, row.totp_last_step)


def open_session(
    conn: Connection,
    candidate: Candidate,
    *,
    key: str,
    rehash: str | None,
    totp_step: int | None,
    session_id: uuid.UUID,
    secret_hash: bytes,
    client: str,
    ttl_seconds: int,
) -> bool:
    opened = conn.execute(
        text("SELECT console_open_session(:k, :t, :a, :key, :rehash, :step, :sid, :h, :c, :ttl)"),
        {
            "k": candidate.kind,
            "t": candidate.tenant_id,
            "a": candidate.account_id,
            "key": key,
            "rehash": rehash,
            "step": totp_step,
            "sid": session_id,
            "h": secret_hash,
            "c": client,
            "ttl": ttl_seconds,
        },
    ).scalar_one()
    return opened is not None


def session_and_scope(conn: Connection, secret_hash: bytes) -> ConsoleSession | None:
    """Resolve a session and, for an owner, scope the transaction to the shop in the same
    round trip."""
    row = conn.execute(
        text(
            "SELECT s.kind, s.account_id, s.tenant_id, s.email, s.session_id, s.expires_at, "
            "set_config('app.tenant_id', coalesce(s.tenant_id::text, ''), true) AS scoped "
            "FROM console_session(:h) s"
        ),
        {"h": secret_hash},
    ).first()
    if row is None:
        return None
    return ConsoleSession(
        kind=row.kind,
        account_id=row.account_id,
        tenant_id=row.tenant_id,
        email=row.email,
        session_id=row.session_id,
        expires_at=row.expires_at,
    )


def sign_out(conn: Connection, secret_hash: bytes, *, everywhere: bool) -> int:
    return int(
        conn.execute(
            text("SELECT console_sign_out(:h, :e)"), {"h": secret_hash, "e": everywhere}
        ).scalar_one()
    )


class ClaimedInvitation(NamedTuple):
    tenant_id: uuid.UUID
    account_id: uuid.UUID
    email: str


def claim_invitation(
    conn: Connection, token_hash: bytes, password_hash: str
) -> ClaimedInvitation | None:
    return row_as(
        ClaimedInvitation,
        conn.execute(
            text("SELECT tenant_id, account_id, email FROM console_claim_invitation(:h, :p)"),
            {"h": token_hash, "p": password_hash},
        ),
    )


def invitation_live(conn: Connection, token_hash: bytes) -> bool:
    return bool(
        conn.execute(text("SELECT console_invitation_live(:h)"), {"h": token_hash}).scalar_one()
    )


# --- operators (admin role) --------------------------------------------------------------------


def insert_operator(
    conn: Connection,
    *,
    account_id: uuid.UUID,
    email: str,
    password_hash: str,
    totp_secret: bytes | None,
) -> bool:
    row = conn.execute(
        text(
            "INSERT INTO operator_accounts (id, email, password_hash, totp_secret) "
            "VALUES (:i, :e, :p, :s) ON CONFLICT (email) DO NOTHING RETURNING id"
        ),
        {"i": account_id, "e": email, "p": password_hash, "s": totp_secret},
    ).first()
    return row is not None


def set_operator_totp(conn: Connection, email: str, secret: bytes | None) -> bool:
    row = conn.execute(
        text(
            "UPDATE operator_accounts SET totp_secret = :s, totp_last_step = NULL "
            "WHERE email = :e RETURNING id"
        ),
        {"e": email, "s": secret},
    ).first()
    return row is not None
