"""Settings from the environment, and paths that work from source and from a frozen build.

Environment variables (all optional):

``POS_DATA_DIR``          where the register keeps its database and logs
                          (default: the platform's user data dir, e.g. ~/.local/share/counter-pos)
``POS_STRIPE_API_BASE``   Stripe API endpoint override (test set-ups, the emulator)
``POS_STRIPE_API_KEY``    Stripe key override (test set-ups); otherwise the OS keyring holds it
``POS_LOCALE``            this register's language and formats, e.g. ``en_US`` or ``pt_BR``
                          (default: the shop's), for its screens and the receipts it prints
``POS_SYNC_CA_FILE``      a CA bundle to trust for the sync server's TLS certificate
``POS_WINDOWED``          ``1`` opens the counter in a window (an office PC) instead of full
                          screen (a register); ``pos-app --windowed`` does the same
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "counter-pos"


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def package_root() -> Path:
    """The `pos_app` package directory (inside the bundle when frozen)."""
    if is_frozen():
        return Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent)) / "pos_app"
    return Path(__file__).resolve().parent


def resources_dir() -> Path:
    """Icons, styles, translations and receipt templates."""
    if is_frozen():
        return Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent)) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True, slots=True)
class AppConfig:
    data_dir: Path
    stripe_api_base: str | None = None
    stripe_api_key: str | None = None
    locale: str | None = None
    sync_ca_file: str | None = None
    windowed: bool = False
    """A window that fits the screen, instead of the register's full screen."""

    @property
    def db_path(self) -> Path:
        return self.data_dir / "register.sqlite3"

    @property
    def log_dir(self) -> Path:
        return self.data_dir / "logs"

    def __repr__(self) -> str:  # never print a key, even by accident
        key = "set" if self.stripe_api_key else "unset"
        return (
            f"AppConfig(data_dir={self.data_dir!s}, stripe_api_base={self.stripe_api_base}, "
            f"stripe_api_key=<{key}>)"
        )


def load_config(data_dir: Path | None = None) -> AppConfig:
    env = os.environ
    return AppConfig(
        data_dir=data_dir or Path(env.get("POS_DATA_DIR") or default_data_dir()),
        stripe_api_base=env.get("POS_STRIPE_API_BASE") or None,
        stripe_api_key=env.get("POS_STRIPE_API_KEY") or None,
        locale=env.get("POS_LOCALE") or None,
        sync_ca_file=env.get("POS_SYNC_CA_FILE") or None,
        windowed=_flag(env.get("POS_WINDOWED")),
    )


def _flag(value: str | None) -> bool:
    """An on/off setting from the environment: 1, true, yes or on (any case) is on."""
    return (value or "").strip().casefold() in {"1", "true", "yes", "on"}
