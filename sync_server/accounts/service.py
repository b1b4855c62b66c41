"""Console accounts: inviting shop owners, setting a password from a one-time link, signing in
(with a TOTP code for operators who turned it on), sessions, signing out (everywhere).

Secrets (set-password tokens, session tokens) are random, prefixed so a leaked one is
recognisable (`cps_inv_…`, `cps_web_…`), and stored only as HMAC-SHA256 under the server's key,
like device tokens. Passwords are hashed with scrypt (`passwords`); the stored key never
leaves PostgreSQL (migration 0012). Failed sign-ins are counted in PostgreSQL per account and
per client address (`kit.ratelimit.GuessLimit`, shared by every server process), and refused
alike whether the email exists or not.

Service functions run in the caller's transaction and never commit, except `send_invitation`
(the worker's task), which must record "sending" before it talks to the mail server.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import logging
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, Engine

from sync_server.accounts import passwords, repository, totp
from sync_server.accounts.schemas import (
    Candidate,
    ConsoleSession,
    Invitation,
    Operator,
    PasswordSet,
    RequestedInvitation,
    SignedIn,
)
from sync_server.kit import queue
from sync_server.kit.addresses import normalise_address, valid_address
from sync_server.kit.errors import Conflict, TooManyRequests, Unauthorized, Unprocessable
from sync_server.kit.ids import uuid7
from sync_server.kit.ratelimit import GuessLimit
from sync_server.notifications.email import OutgoingEmail
from sync_server.tenants.schemas import Tenant

log = logging.getLogger(__name__)

INVITATION_PREFIX = "cps_inv_"
SESSION_PREFIX = "cps_web_"
INVITATION_TTL = timedelta(days=3)
OWNER_SESSION_TTL = timedelta(days=14)
OPERATOR_SESSION_TTL = timedelta(hours=12)
SEND_OWNER_INVITATION = queue.SEND_OWNER_INVITATION

ACCOUNT_FAILURES = 10
"""Failed sign-ins per account (email) per window before it must wait."""
ADDRESS_FAILURES = 50
"""Failed sign-ins per client address per window (an office behind one address, several staff)."""
FAILURE_WINDOW_SECONDS = 15 * 60

INVITES_PER_WINDOW = 10
"""New owner invitations a shop's registers may send per window (`invite_limit`)."""
INVITE_WINDOW_SECONDS = 60 * 60

REFUSED = "the email or the password is wrong"


class AccountError(ValueError):
    """A command that cannot be done (bad email, weak password, unknown operator)."""


class InvalidLink(Unauthorized):
    """A set-password token that is not one at all (as opposed to one used or expired)."""


class TotpRequired(Unauthorized):
    code = "totp_required"


class WeakPasswordRefused(Unprocessable):
    code = "weak_password"

    def __init__(self, message: str, reason: str = "guessable") -> None:
        super().__init__(message)
        self.reason = reason
        """`short`, `long` or `guessable` (`passwords.WeakPassword.reason`)."""


MIN_PASSWORD_LENGTH = passwords.MIN_LENGTH


def hash_secret(key: bytes, secret: str) -> bytes:
    return hmac.new(key, secret.encode(), hashlib.sha256).digest()


def normalise_email(email: str) -> str:
    address = normalise_address("email", email)
    if len(address) > 254 or not valid_address("email", address):
        raise AccountError(f"{email!r} is not an email address")
    return address


def set_password_link(public_base_url: str, token: str) -> str:
    return f"{public_base_url.rstrip('/')}/console/set-password?token={token}"


# --- owners: invitation and first password ------------------------------------------------------


class KeyReused(Conflict):
    code = "request_key_reused"


def billing_email(conn: Connection, tenant_id: uuid.UUID) -> str | None:
    """Where the platform's invoices to the shop go: its first owner's email (None: the shop
    has no owner account yet)."""
    return repository.first_owner_email(conn, tenant_id)


def invite_owner(
    conn: Connection,
    *,
    key: bytes,
    tenant: Tenant,
    email: str,
    public_base_url: str,
    send_email: bool = True,
    request_key: uuid.UUID | None = None,
    device_id: uuid.UUID | None = None,
    limit: GuessLimit | None = None,
) -> Invitation:
    """Invite `email` to own `tenant` (in a transaction scoped to it): the account is created if
    absent, and a one-time set-password link valid `INVITATION_TTL` is made; with `send_email`,
    a job emailing it is queued in this transaction (else the caller hands the link over).
    An older unused link of the same account stops working (one live link per owner).
    Only the link's HMAC is stored; the job carries the token to the worker (the admin-only
    jobs table), the worker puts it in the email.

    A register's request (`POST /v1/owners/invitations`) carries its idempotency key as
    `request_key`: a resend of it answers with the invitation it made (`replayed`, no second
    email, not counted), and the key with another email is refused (409). `limit` counts the
    shop's new invitations (`INVITES_PER_WINDOW` per `INVITE_WINDOW_SECONDS`): past it, 429."""
    address = normalise_email(email)
    if request_key is not None:
        done = repository.invitation_by_request(conn, tenant.id, request_key)
        if done is not None:
            return _replayed(done, address)
    if limit is not None:
        wait = limit.hit(str(tenant.id))
        if wait is not None:
            minutes = max(1, -(-wait // 60))
            raise TooManyRequests(
                f"too many owner invitations for this shop: wait {minutes} minute"
                f"{'s' if minutes > 1 else ''} and try again",
                headers={"Retry-After": str(wait)},
            )
    repository.insert_owner(conn, tenant_id=tenant.id, account_id=uuid7(), email=address)
    account_id = repository.owner_id_by_email(conn, tenant.id, address)
    if account_id is None:  # the insert above, or another transaction's before it
        raise AssertionError("the owner account vanished inside its transaction")
    token = INVITATION_PREFIX + secrets.token_urlsafe(32)
    invitation_id = uuid7()
    expires_at = datetime.now(UTC) + INVITATION_TTL
    status = "queued" if send_email else "printed"
    inserted = repository.insert_invitation(
        conn,
        tenant_id=tenant.id,
        invitation_id=invitation_id,
        account_id=account_id,
        token_hash=hash_secret(key, token),
        expires_at=expires_at,
        email_status=status,
        request_key=request_key,
        device_id=device_id,
    )
    if not inserted and request_key is not None:
        # The same request, sent twice at once: the other one made the invitation.
        done = repository.invitation_by_request(conn, tenant.id, request_key)
        if done is not None:
            return _replayed(done, address)
    # One live link per owner: an older unused one (a lost email, a second invitation) stops
    # working once this one is made.
    repository.retire_invitations(conn, tenant.id, account_id, keep=invitation_id)
    link = set_password_link(public_base_url, token)
    if send_email:
        queue.defer(
            conn,
            SEND_OWNER_INVITATION,
            [{"tenant_id": str(tenant.id), "invitation_id": str(invitation_id), "link": link}],
        )
    return Invitation(account_id, invitation_id, address, expires_at, link, email_status=status)


def _replayed(done: RequestedInvitation, address: str) -> Invitation:
    if done.email != address:
        raise KeyReused(
            "this request key was already used to invite another email: send a new request"
        )
    return Invitation(
        done.account_id, done.id, done.email, done.expires_at, "", replayed=True,
        email_status=done.email_status,
    )  # fmt: skip


def invitation_usable(conn: Connection, *, key: bytes, token: str) -> bool:
    """Whether a set-password link can still be used (unused, unexpired), without using it.
    `InvalidLink` when it is not a link at all."""
    if not token.startswith(INVITATION_PREFIX) or len(token) > 200:
        raise InvalidLink("this link is not valid: ask for a new invitation")
    return repository.invitation_live(conn, hash_secret(key, token))


def set_password(conn: Connection, *, key: bytes, token: str, password: str) -> PasswordSet:
    """Use a set-password link once: the account's password is set, its other links die and
    every session it had is signed out."""
    if not token.startswith(INVITATION_PREFIX) or len(token) > 200:
        raise InvalidLink("this link is not valid: ask for a new invitation")
    try:
        passwords.check_new_password(password)
    except passwords.WeakPassword as exc:
        raise WeakPasswordRefused(str(exc), exc.reason) from None
    claimed = repository.claim_invitation(
        conn, hash_secret(key, token), passwords.hash_password(password)
    )
    if claimed is None:
        raise Unauthorized(
            "this link was already used or has expired: ask the shop's owner or the platform "
            "for a new invitation"
        )
    return PasswordSet(claimed.tenant_id, claimed.account_id, claimed.email)


# --- sign-in ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SignInLimits:
    """Failed sign-ins counted in PostgreSQL, per account and per client address. Each count is
    its own short transaction (on `engine`), so it stays even when the request rolls back."""

    per_account: GuessLimit
    per_address: GuessLimit

    @classmethod
    def on(
        cls,
        engine: Engine,
        *,
        account_failures: int = ACCOUNT_FAILURES,
        address_failures: int = ADDRESS_FAILURES,
        window_seconds: int = FAILURE_WINDOW_SECONDS,
    ) -> SignInLimits:
        return cls(
            per_account=GuessLimit(
                engine, kind="console_account", limit=account_failures,
                window_seconds=window_seconds,
            ),
            per_address=GuessLimit(
                engine, kind="console_address", limit=address_failures,
                window_seconds=window_seconds,
            ),
        )  # fmt: skip


def invite_limit(
    engine: Engine, *, limit: int = INVITES_PER_WINDOW, window_seconds: int = INVITE_WINDOW_SECONDS
) -> GuessLimit:
    """Owner invitations per shop (by tenant id), counted in PostgreSQL like sign-in failures:
    a register (or a stolen device token) cannot turn the server into a mail cannon."""
    return GuessLimit(engine, kind="owner_invite", limit=limit, window_seconds=window_seconds)


def _account_key(email: str) -> str:
    # Addresses can be longer than the 64 characters a count's key holds.
    return hashlib.sha256(email.encode()).hexdigest()


def _locked_out(seconds: int) -> TooManyRequests:
    minutes = max(1, -(-seconds // 60))
    return TooManyRequests(
        f"too many failed sign-ins: wait {minutes} minute{'s' if minutes > 1 else ''} and "
        "try again",
        headers={"Retry-After": str(seconds)},
    )


def sign_in(
    conn: Connection,
    *,
    key: bytes,
    limits: SignInLimits,
    email: str,
    password: str,
    client: str,
    totp_code: str | None = None,
    shop: str | None = None,
    now: float | None = None,
) -> SignedIn:
    """Email and password (and a TOTP code for an operator who has one) → a session token.

    Every refusal of the email or the password reads the same, costs a scrypt hash (one per
    shop the email owns) and counts against both the account and the address, whether the
    email exists or not. `shop` picks one of several shops an email owns (by slug); without
    it, the first whose password matches."""
    address = normalise_address("email", email)[:254]
    account_key = _account_key(address)
    for limit, who in ((limits.per_account, account_key), (limits.per_address, client)):
        wait = limit.wait(who)
        if wait is not None:
            raise _locked_out(wait)
    candidates = [
        c for c in repository.sign_in_candidates(conn, address) if shop is None or c.shop == shop
    ]
    if len(password) > passwords.MAX_LENGTH:
        # No account has one this long (none is accepted), and hashing megabytes costs more.
        candidates, password = [], password[: passwords.MAX_LENGTH]
    matched: tuple[Candidate, str, bytes | None, int | None] | None = None
    for candidate in candidates[:5]:
        derived = passwords.derive(password, candidate.password_setting)
        checked = repository.check_password(conn, candidate, derived)
        if checked is not None:
            matched = (candidate, derived, *checked)
            break
    if not candidates:
        passwords.derive(password, passwords.new_setting())  # the same cost as a real check
    if matched is None:
        _count_failure(limits, account_key, client)
        raise Unauthorized(REFUSED)
    candidate, derived, totp_secret, _ = matched
    step = None
    if totp_secret is not None:
        if not totp_code:
            raise TotpRequired("enter the 6-digit code from your authenticator app")
        step = totp.matching_step(totp_secret, totp_code, time.time() if now is None else now)
        if step is None:
            _count_failure(limits, account_key, client)
            raise Unauthorized("the authenticator code is wrong or too old: try the next one")
    rehash = None
    if passwords.needs_rehash(candidate.password_setting):
        rehash = passwords.hash_password(password)
    token = SESSION_PREFIX + secrets.token_urlsafe(32)
    ttl = OPERATOR_SESSION_TTL if candidate.kind == "operator" else OWNER_SESSION_TTL
    opened = repository.open_session(
        conn,
        candidate,
        key=derived,
        rehash=rehash,
        totp_step=step,
        session_id=uuid7(),
        secret_hash=hash_secret(key, token),
        client=client,
        ttl_seconds=int(ttl.total_seconds()),
    )
    if not opened:
        # The password matched a moment ago: only a TOTP code already used gets here.
        _count_failure(limits, account_key, client)
        raise Unauthorized("this authenticator code was already used: wait for the next one")
    session = resolve_session(conn, key=key, token=token)
    return SignedIn(token=token, session=session)


def _count_failure(limits: SignInLimits, account_key: str, client: str) -> None:
    limits.per_account.hit(account_key)
    limits.per_address.hit(client)


# --- sessions -----------------------------------------------------------------------------------


def resolve_session(conn: Connection, *, key: bytes, token: str) -> ConsoleSession:
    """The live session of `token`; an owner's scopes the transaction to the shop. 401 when
    unknown, expired or signed out."""
    if not token.startswith(SESSION_PREFIX) or len(token) > 200:
        raise Unauthorized("signed out: sign in again")
    session = repository.session_and_scope(conn, hash_secret(key, token))
    if session is None:
        raise Unauthorized("signed out: sign in again")
    return session


def sign_out(conn: Connection, *, key: bytes, token: str) -> bool:
    """End this session; False when it had already ended."""
    if not token.startswith(SESSION_PREFIX) or len(token) > 200:
        return False
    return repository.sign_out(conn, hash_secret(key, token), everywhere=False) > 0


def sign_out_everywhere(conn: Connection, *, key: bytes, token: str) -> int:
    """End every open session of this session's account (this one included); how many."""
    if not token.startswith(SESSION_PREFIX) or len(token) > 200:
        return 0
    return repository.sign_out(conn, hash_secret(key, token), everywhere=True)


# --- operators (admin role) ---------------------------------------------------------------------


def create_operator(
    conn: Connection,
    *,
    email: str,
    password: str,
    with_totp: bool = False,
    params: passwords.Parameters = passwords.CURRENT,
) -> Operator:
    """A platform operator (admin connection). With `with_totp`, sign-in asks for a code too."""
    address = normalise_email(email)
    try:
        passwords.check_new_password(password, email=address)
    except passwords.WeakPassword as exc:
        raise AccountError(str(exc)) from None
    secret = totp.new_secret() if with_totp else None
    account_id = uuid7()
    created = repository.insert_operator(
        conn,
        account_id=account_id,
        email=address,
        password_hash=passwords.hash_password(password, params),
        totp_secret=secret,
    )
    if not created:
        raise AccountError(f"there is already an operator {address}")
    uri = None if secret is None else totp.provisioning_uri(secret, address)
    return Operator(account_id, address, uri)


def enrol_operator_totp(conn: Connection, *, email: str) -> str:
    """Turn TOTP on for an operator (a new secret, replacing any other): the otpauth:// URI."""
    address = normalise_email(email)
    secret = totp.new_secret()
    if not repository.set_operator_totp(conn, address, secret):
        raise AccountError(f"no operator {address}")
    return totp.provisioning_uri(secret, address)


def remove_operator_totp(conn: Connection, *, email: str) -> None:
    address = normalise_email(email)
    if not repository.set_operator_totp(conn, address, None):
        raise AccountError(f"no operator {address}")


# --- the invitation email (the worker's task) ---------------------------------------------------


def invitation_email(
    *, shop: str, to: str, link: str, expires_at: datetime, invitation_id: uuid.UUID, domain: str
) -> OutgoingEmail:
    until = f"{expires_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
    text = (
        f"You have been invited to manage {shop} on Counter POS.\n\n"
        f"Choose your password here (the link works once, until {until}):\n\n{link}\n\n"
        "If you did not expect this invitation, ignore this email: nothing happens without it.\n"
    )
    body = (
        f"<p>You have been invited to manage <strong>{html.escape(shop)}</strong> on "
        "Counter POS.</p>"
        f'<p><a href="{html.escape(link)}">Choose your password</a> (the link works once, until '
        f"{until}).</p><p>If you did not expect this invitation, ignore this email: nothing "
        "happens without it.</p>"
    )
    return OutgoingEmail(
        to=to,
        from_name="Counter POS",
        subject=f"Your Counter POS console for {shop}",
        text=text,
        html=body,
        message_id=f"<{invitation_id}@{domain}>",
    )
