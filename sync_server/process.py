"""`sync-server serve` in a process of its own, started from Python: `pos-app platform` runs the
server this way (as a shop does), and so do the tests that need the server as deployed (its own
interpreter, its access log, SIGTERM). Returns once the server answers /healthz."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from sync_server.config import Settings
from sync_server.embedded_pg import free_port


def server_env(settings: Settings, **overrides: str) -> dict[str, str]:
    """The environment `sync-server` reads for these settings (this process's, plus overrides)."""
    return {
        **os.environ,
        "SYNC_DATABASE_URL": settings.database_url,
        "SYNC_ADMIN_DATABASE_URL": settings.admin_database_url,
        "SYNC_TOKEN_HMAC_KEY": settings.token_hmac_key.decode(),
        **overrides,
    }


class ServerDidNotStart(RuntimeError):
    """`sync-server serve` exited, or did not answer /healthz in time."""


class ServerProcess:
    """`sync-server serve` on 127.0.0.1 in a process of its own, once /healthz answers.

    `env` defaults to `server_env(settings)`; with `log_path`, the server's output (uvicorn's
    access log included) goes to that file. `args` are more options of `serve`
    (`--workers 2`, say)."""

    def __init__(
        self,
        settings: Settings,
        *,
        port: int | None = None,
        env: dict[str, str] | None = None,
        log_path: Path | None = None,
        start_timeout_s: float = 30.0,
        args: tuple[str, ...] = (),
    ) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self._log = log_path.open("wb") if log_path is not None else None
        self.process = subprocess.Popen(
            [sys.executable, "-m", "sync_server.cli", "serve", "--port", str(self.port), *args],
            env=server_env(settings) if env is None else env,
            stdout=self._log or subprocess.DEVNULL,
            stderr=subprocess.STDOUT if self._log else subprocess.PIPE,
        )
        deadline = time.monotonic() + start_timeout_s
        with httpx.Client(base_url=self.url, timeout=5) as client:
            while True:
                try:
                    if client.get("/healthz").status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    where = f": see {log_path}" if log_path is not None else ""
                    raise ServerDidNotStart(f"the sync server did not start{where}")
                time.sleep(0.1)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.communicate()
        if self._log is not None:
            self._log.close()
