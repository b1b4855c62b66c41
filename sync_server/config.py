"""Settings read from the environment (documented in the README's sync server section).

A plain frozen dataclass rather than pydantic-settings: the service needs a handful of values and
one obvious place that names them all.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DATABASE_URL = "postgresql+psycopg://pos_sync_app@127.0.0.1:5432/pos_sync"
DEFAULT_ADMIN_DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/pos_sync"
DEFAULT_CONSOLE_URL = "http://127.0.0.1:8000"
DEFAULT_STRIPE_URL = "https://api.stripe.com"


class ConfigError(ValueError):
    """A setting that is missing or cannot be used."""


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    """The application role: owns nothing, every query under row-level security."""
    admin_database_url: str = DEFAULT_ADMIN_DATABASE_URL
    """The schema owner (BYPASSRLS or superuser): migrations, CLI, platform-wide fee runs."""
    token_hmac_key: bytes = b""
    """Key of the HMAC-SHA256 under which device tokens and pairing codes are stored."""
    app_role: str = "pos_sync_app"
    """Role the migration creates and grants to; the user of `database_url` must be it."""
    app_role_password: str | None = None
    max_batch: int = 1000
    """Most changes one push may carry."""
    max_body_bytes: int = 5 * 1024 * 1024
    pull_limit_max: int = 1000
    sale_time_margin_s: int = 86_400
    """How long before the shop's creation on the server a pushed sale or refund may be dated
    (a register set up the day before); older ones are refused (``time_window``)."""
    sale_time_ahead_s: int = 300
    """How far ahead of the server's clock a pushed sale or refund may be dated (drift)."""
    max_amount_minor: int = 10_000_000_000
    """The largest order total, tip or refund a push may carry (minor units), else refused."""
    pair_attempts_per_minute: int = 10
    """Pairing attempts allowed per client address per minute before 429."""
    token_failures_per_minute: int = 30
    """Failed device-token authentications per client address per minute; beyond them every
    token call from that address is 429 (even with a good token) until the minute passes."""
    trusted_proxies: tuple[str, ...] = ()
    """Addresses or networks of reverse proxies whose `X-Forwarded-For` names the client; from
    anyone else the header is ignored. Empty: the connection's own address, always (a client
    that could set the header itself would otherwise pick the address the limits count)."""
    pool_size: int = 10
    db_connect_timeout_s: int = 5
    """Longest wait for PostgreSQL to accept a connection and finish its start-up."""
    db_statement_timeout_s: int = 15
    """Longest a statement may run (PostgreSQL's `statement_timeout`); the client also stops
    waiting for any answer a little after it, in case the network, not the server, is stuck."""
    admin_statement_timeout_s: int = 300
    """The same for the admin role (the CLI, fee runs, the worker's admin work); migrations
    have none."""
    db_pool_timeout_s: int = 5
    """Longest a request waits for a free connection of the pool before a 503."""
    shutdown_timeout_s: int = 30
    """After SIGTERM, how long `serve` lets requests in flight finish before it cancels them:
    longer than one request's worst case (pool, connect and statement timeouts together), so
    each ends with its own answer rather than a cut connection."""
    public_url: str | None = None
    """Where customers reach this server (unsubscribe links in emails); none: no link."""
    console_url: str = DEFAULT_CONSOLE_URL
    """Where shop owners and operators reach the web console (the set-password links of
    invitations): `SYNC_CONSOLE_URL`, else `SYNC_PUBLIC_URL`, else `serve`'s own default address."""
    smtp_host: str | None = None
    """Outgoing mail for customer notifications; unset: email notifications wait, then fail."""
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    smtp_from: str | None = None
    sms_base_url: str = "https://api.twilio.com"
    """Twilio's Messages API (or anything speaking it)."""
    sms_account_sid: str | None = None
    sms_auth_token: str | None = None
    sms_from: str | None = None
    billing_stripe_key: str | None = field(default=None, repr=False)
    """The platform's own Stripe secret key (never a shop's): the fee invoices. Kept out of
    `repr`, so no log line or traceback shows it. Unset: closing a month invoices nobody."""
    billing_webhook_secret: str | None = field(default=None, repr=False)
    """The signing secret (`whsec_…`) of the platform's own webhook endpoint
    (`POST /v1/stripe/platform-webhook`): payment state of the fee invoices. Out of `repr`
    like the key. Unset: the endpoint refuses every delivery (the hourly job still reads
    open invoices' state from Stripe)."""
    billing_stripe_url: str = DEFAULT_STRIPE_URL
    """Stripe's API (the emulator in tests)."""
    billing_timeout_s: int = 20
    """Longest wait for one answer from Stripe (connect and read)."""
    billing_retries: int = 2
    """Retries of one call that failed on the way (network, 409, 429, 5xx), with its key."""
    billing_concurrency: int = 4
    """Shops invoiced at once (each call to Stripe waits on the network; Stripe allows about
    100 requests a second in live mode, 25 in test mode)."""
    billing_days_until_due: int = 14
    """Days a shop without a saved card has to pay the emailed invoice (hosted page)."""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        key = env.get("SYNC_TOKEN_HMAC_KEY", "")
        return cls(
            database_url=env.get("SYNC_DATABASE_URL", DEFAULT_DATABASE_URL),
            admin_database_url=env.get("SYNC_ADMIN_DATABASE_URL", DEFAULT_ADMIN_DATABASE_URL),
            token_hmac_key=key.encode(),
            app_role=env.get("SYNC_APP_ROLE", "pos_sync_app"),
            app_role_password=env.get("SYNC_APP_ROLE_PASSWORD") or None,
            max_batch=_int(env, "SYNC_MAX_BATCH", 1000),
            max_body_bytes=_int(env, "SYNC_MAX_BODY_BYTES", 5 * 1024 * 1024),
            pull_limit_max=_int(env, "SYNC_PULL_LIMIT_MAX", 1000),
            sale_time_margin_s=_int(env, "SYNC_SALE_TIME_MARGIN_S", 86_400),
            sale_time_ahead_s=_int(env, "SYNC_SALE_TIME_AHEAD_S", 300),
            max_amount_minor=_int(env, "SYNC_MAX_AMOUNT_MINOR", 10_000_000_000),
            pair_attempts_per_minute=_int(env, "SYNC_PAIR_ATTEMPTS_PER_MINUTE", 10),
            token_failures_per_minute=_int(env, "SYNC_TOKEN_FAILURES_PER_MINUTE", 30),
            trusted_proxies=_proxies(env, "SYNC_TRUSTED_PROXIES"),
            pool_size=_int(env, "SYNC_POOL_SIZE", 10),
            db_connect_timeout_s=_int(env, "SYNC_DB_CONNECT_TIMEOUT", 5),
            db_statement_timeout_s=_int(env, "SYNC_DB_STATEMENT_TIMEOUT", 15),
            admin_statement_timeout_s=_int(env, "SYNC_ADMIN_STATEMENT_TIMEOUT", 300),
            db_pool_timeout_s=_int(env, "SYNC_DB_POOL_TIMEOUT", 5),
            shutdown_timeout_s=_int(env, "SYNC_SHUTDOWN_TIMEOUT", 30),
            public_url=(env.get("SYNC_PUBLIC_URL") or "").rstrip("/") or None,
            console_url=(
                env.get("SYNC_CONSOLE_URL") or env.get("SYNC_PUBLIC_URL") or DEFAULT_CONSOLE_URL
            ).rstrip("/"),
            smtp_host=env.get("SYNC_SMTP_HOST") or None,
            smtp_port=_int(env, "SYNC_SMTP_PORT", 25),
            smtp_user=env.get("SYNC_SMTP_USER") or None,
            smtp_password=env.get("SYNC_SMTP_PASSWORD") or None,
            smtp_starttls=_bool(env, "SYNC_SMTP_STARTTLS"),
            smtp_from=env.get("SYNC_SMTP_FROM") or None,
            sms_base_url=(env.get("SYNC_SMS_BASE_URL") or "https://api.twilio.com").rstrip("/"),
            sms_account_sid=env.get("SYNC_SMS_ACCOUNT_SID") or None,
            sms_auth_token=env.get("SYNC_SMS_AUTH_TOKEN") or None,
            sms_from=env.get("SYNC_SMS_FROM") or None,
            billing_stripe_key=_secret(env, "SYNC_BILLING_STRIPE_KEY"),
            billing_webhook_secret=_secret(env, "SYNC_BILLING_WEBHOOK_SECRET"),
            billing_stripe_url=(env.get("SYNC_BILLING_STRIPE_URL") or DEFAULT_STRIPE_URL).rstrip(
                "/"
            ),
            billing_timeout_s=_int(env, "SYNC_BILLING_TIMEOUT", 20),
            billing_retries=_int(env, "SYNC_BILLING_RETRIES", 2),
            billing_concurrency=_int(env, "SYNC_BILLING_CONCURRENCY", 4),
            billing_days_until_due=_int(env, "SYNC_BILLING_DAYS_UNTIL_DUE", 14),
        )

    def require_token_key(self) -> bytes:
        """The HMAC key, or a clear error: serving and pairing cannot work without it."""
        if len(self.token_hmac_key) < 16:
            raise ConfigError(
                "SYNC_TOKEN_HMAC_KEY must be set to a secret of at least 16 characters "
                "(for example: python -c 'import secrets; print(secrets.token_urlsafe(32))')"
            )
        return self.token_hmac_key


def _secret(env: Mapping[str, str], name: str) -> str | None:
    """`NAME`, else the first line of the file `NAME_FILE` names (a secret mounted by the
    service manager, kept out of the environment other processes can read)."""
    value = env.get(name) or ""
    path = env.get(f"{name}_FILE") or ""
    if value and path:
        raise ConfigError(f"set {name} or {name}_FILE, not both")
    if path:
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise ConfigError(f"{name}_FILE: cannot read {path}: {exc.strerror or exc}") from None
        value = lines[0].strip() if lines else ""
        if not value:
            raise ConfigError(f"{name}_FILE: {path} is empty")
    return value.strip() or None


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None
    if value <= 0:
        raise ConfigError(f"{name} must be positive, got {value}")
    return value


def _proxies(env: Mapping[str, str], name: str) -> tuple[str, ...]:
    entries = tuple(item.strip() for item in (env.get(name) or "").split(",") if item.strip())
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise ConfigError(
                f"{name} lists addresses or networks (10.0.0.5, 10.0.0.0/24), got {entry!r}"
            ) from None
    return entries


def _bool(env: Mapping[str, str], name: str) -> bool:
    raw = (env.get(name) or "").strip().lower()
    if raw in ("", "0", "false", "no", "off"):
        return False
    if raw in ("1", "true", "yes", "on"):
        return True
    raise ConfigError(f"{name} must be true or false, got {raw!r}")
