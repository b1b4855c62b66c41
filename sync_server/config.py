"""Settings read from the environment (documented in the README's sync server section).

A plain frozen dataclass rather than pydantic-settings: the service needs a handful of values and
one obvious place that names them all.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_DATABASE_URL = "postgresql+psycopg://pos_sync_app@127.0.0.1:5432/pos_sync"
DEFAULT_ADMIN_DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/pos_sync"


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
    pair_attempts_per_minute: int = 10
    """Pairing attempts allowed per client address per minute before 429."""
    pool_size: int = 10

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
            pair_attempts_per_minute=_int(env, "SYNC_PAIR_ATTEMPTS_PER_MINUTE", 10),
            pool_size=_int(env, "SYNC_POOL_SIZE", 10),
        )

    def require_token_key(self) -> bytes:
        """The HMAC key, or a clear error: serving and pairing cannot work without it."""
        if len(self.token_hmac_key) < 16:
            raise ConfigError(
                "SYNC_TOKEN_HMAC_KEY must be set to a secret of at least 16 characters "
                "(for example: python -c 'import secrets; print(secrets.token_urlsafe(32))')"
            )
        return self.token_hmac_key


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
