"""`pos-app platform`: the whole platform on one machine, for a first look.

The sync server on its embedded PostgreSQL (or SYNC_DATABASE_URL when set), a demo shop on it,
a demo register paired with that shop, and the counter app on that register: a sale rung up
at the counter is pushed to the server, and its platform fee shows in
`sync-server fees statement`. Closing the window, Ctrl-C or SIGTERM stops everything it
started, in reverse order.

It runs the same functions as `sync-server tenants create`, `sync-server devices pair-code`
and `pos-app pair`; only the server and the counter app are processes of their own, as they
are in a shop.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from pos_app.config import AppConfig

if TYPE_CHECKING:
    from sync_server.config import Settings

DEMO_TENANT = "corner-cafe"
"""The server's shop for the demo register (the demo shop's name, currency and time zone)."""
DEFAULT_PORT = 8765
APP_STOP_TIMEOUT_S = 15.0


@dataclass(frozen=True)
class RunningPlatform:
    """What the platform is made of, once it runs (printed, and read by the tests)."""

    server_url: str
    tenant: str
    register_dir: Path
    device_id: str
    period: str
    statement_command: str


def register_config(config: AppConfig) -> AppConfig:
    """The platform's demo register: its own data, apart from `pos-app demo`'s and a shop's."""
    from pos_app.app import demo_config

    return demo_config(replace(config, data_dir=config.data_dir / "platform"))


def run_platform(
    config: AppConfig,
    *,
    port: int = DEFAULT_PORT,
    exit_after_startup: bool = False,
    environ: Mapping[str, str] | None = None,
    say: Callable[[str], None] | None = None,
) -> int:
    """Start everything, wait for the counter app to close (or a signal), stop everything."""
    from pos_app.integrations.secrets import SecretStore, SecretsUnavailable
    from pos_app.integrations.sync_client import SyncError
    from sync_server.config import ConfigError
    from sync_server.embedded_pg import EmbeddedPgError
    from sync_server.process import ServerDidNotStart

    env = dict(os.environ if environ is None else environ)
    say = say or _say
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        SecretStore()  # the register's device token goes there: fail before starting anything
        with _server_database(env, say) as settings, _sync_server(settings, env, port) as url:
            running = _pair_demo_register(config, settings, url, env)
            say(f"platform: the sync server is at {url} (log: {_server_log(env)})")
            say(f"platform: the demo register (data in {running.register_dir}) is paired with "
                f"the shop '{running.tenant}' as device {running.device_id}")  # fmt: skip
            say("platform: sell at the counter (PIN 1111); the sale syncs to the server, and "
                f"its fee shows in: {running.statement_command}")  # fmt: skip
            say("platform: closing the window or Ctrl-C stops everything")
            return _run_counter_app(running, exit_after_startup=exit_after_startup)
    except KeyboardInterrupt:
        return 0
    except (SecretsUnavailable, SyncError, EmbeddedPgError, ConfigError) as error:
        print(f"platform: {error}", file=sys.stderr)
        return 2
    except ServerDidNotStart as error:
        print(f"platform: {error} (port {port} in use? --port picks another)", file=sys.stderr)
        return 2
    finally:
        signal.signal(signal.SIGTERM, previous)
        say("platform: stopped")


def _say(line: str) -> None:
    print(line, flush=True)  # at once, also into a pipe: the lines tell what is running


def _interrupt(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


@contextmanager
def _server_database(env: Mapping[str, str], say: Callable[[str], None]) -> Iterator[Settings]:
    """The server's settings on a migrated database, held for the length of the block."""
    from sync_server import embedded_pg
    from sync_server.config import Settings
    from sync_server.db import migrate

    settings = replace(Settings.from_env(env), token_hmac_key=_token_key(env).encode())
    with embedded_pg.database_settings(
        settings, env, announce=lambda line: say(f"platform: {line}")
    ) as ready:
        migrate(ready)
        yield ready


def _token_key(env: Mapping[str, str]) -> str:
    """SYNC_TOKEN_HMAC_KEY, or one kept in the server's data directory, so that the register
    paired by an earlier run still has a valid token."""
    from sync_server import embedded_pg

    if env.get("SYNC_TOKEN_HMAC_KEY"):
        return env["SYNC_TOKEN_HMAC_KEY"]
    path = embedded_pg.data_dir_from(env) / "platform-token-key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_urlsafe(32))
    return path.read_text(encoding="utf-8").strip()


def _server_log(env: Mapping[str, str]) -> Path:
    from sync_server import embedded_pg

    return embedded_pg.data_dir_from(env) / "platform-server.log"


@contextmanager
def _sync_server(settings: Settings, env: Mapping[str, str], port: int) -> Iterator[str]:
    """`sync-server serve` in a process of its own, on the given settings."""
    from sync_server.process import ServerProcess, server_env

    server = ServerProcess(
        settings,
        port=port,
        env=server_env(settings),
        log_path=_server_log(env),
    )
    try:
        yield server.url
    finally:
        server.stop()


def _pair_demo_register(
    config: AppConfig, settings: Settings, url: str, env: Mapping[str, str]
) -> RunningPlatform:
    """The demo shop on the server, and the demo register paired with it (once per server
    address: a later run on the same port keeps the pairing and the register's history)."""
    from sqlalchemy import create_engine

    from pos_app.application.register import Register
    from pos_app.application.sync import SyncEngine, default_client_factory
    from pos_app.db.database import Database
    from sync_server.devices import service as devices
    from sync_server.tenants import service as tenants

    register_at = register_config(config)
    demo = Register.open(register_at, demo=True)  # the demo shop, its staff and catalog
    shop = demo.shop
    demo.close()
    db = Database(register_at.db_path)
    try:
        sync = SyncEngine(db, client_factory=default_client_factory(config.sync_ca_file))
        status = sync.status()
        already_paired = status.paired and status.server_url == url
        engine = create_engine(settings.admin_database_url)
        try:
            with engine.begin() as conn:
                tenant = tenants.find_tenant(conn, DEMO_TENANT) or tenants.create_tenant(
                    conn,
                    slug=DEMO_TENANT,
                    name=shop.name,
                    currency=shop.currency,
                    timezone=shop.timezone,
                    fee_bps=100,
                )
                code = (
                    None
                    if already_paired
                    else devices.create_pairing_code(
                        conn, key=settings.token_hmac_key, tenant=tenant
                    ).code
                )
        finally:
            engine.dispose()
        if code is not None:
            sync.pair(server_url=url, code=code, device_name="Demo register")
        device_id = str(sync.status().device_id)
    finally:
        db.dispose()
    period = datetime.now(ZoneInfo(tenant.timezone)).strftime("%Y-%m")
    # What another terminal needs to reach the same database (nothing, by default).
    where = " ".join(f"{name}={env[name]}" for name in ("SYNC_DATA_DIR",) if env.get(name))
    return RunningPlatform(
        server_url=url,
        tenant=tenant.slug,
        register_dir=register_at.data_dir,
        device_id=device_id,
        period=period,
        statement_command=(
            f"{where + ' ' if where else ''}sync-server fees statement "
            f"--tenant {tenant.slug} --period {period}"
        ),
    )


def _run_counter_app(running: RunningPlatform, *, exit_after_startup: bool) -> int:
    """The counter app (`pos-app demo` on the demo register) until its window closes."""
    command = [sys.executable, "-m", "pos_app", "--data-dir", str(running.register_dir.parent)]
    command += ["demo", *(["--exit-after-startup"] if exit_after_startup else [])]
    app = subprocess.Popen(command)
    try:
        return app.wait()
    finally:
        if app.poll() is None:
            app.send_signal(signal.SIGTERM)  # the app closes its window and stops cleanly
            try:
                app.wait(APP_STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                app.kill()
                app.wait()
