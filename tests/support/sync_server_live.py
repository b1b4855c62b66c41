"""The sync server at work in the tests: the app under uvicorn on a loopback port (in a thread
of this process), the `sync-server` command line in a process of its own, and the job worker
run here until nothing is due, with what it leaves in the queue. (`sync-server serve` in a
process of its own is `sync_server.process.ServerProcess`, which `pos-app platform` uses too.)"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from typing import Any

import uvicorn
from sqlalchemy import create_engine, text

from sync_server.app import create_app, proxy_options
from sync_server.config import Settings
from sync_server.jobs import Runtime, run_worker
from sync_server.process import server_env


class LiveServer:
    """The real app under uvicorn on a loopback port, in a thread."""

    def __init__(self, settings: Settings) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.app = create_app(settings)
        config = uvicorn.Config(
            self.app,
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            **proxy_options(settings),
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.app.state.context.engine.dispose()


def start_live_server(settings: Settings) -> LiveServer:
    live = LiveServer(settings)
    live.start()
    return live


def run_cli(
    settings: Settings, *args: str, timeout: float = 120, **env: str
) -> subprocess.CompletedProcess[str]:
    """`sync-server ARGS` in a process of its own against these settings' databases."""
    return subprocess.run(
        [sys.executable, "-m", "sync_server.cli", *args],
        env=server_env(settings, **env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


RELAXED_LIMITS = {"SYNC_PAIR_ATTEMPTS_PER_MINUTE": "1000", "SYNC_TOKEN_FAILURES_PER_MINUTE": "1000"}
"""Guessing limits high enough for tests that pair and call from one address all the time."""


def run_jobs(settings: Settings, channels: Any = None) -> None:
    """Run the worker in this process until no job is due (`sync-server worker --once`)."""
    run_worker(
        settings,
        once=True,
        install_signal_handlers=False,
        runtime=Runtime(settings, channels=channels),
    )


def make_jobs_due(settings: Settings) -> int:
    """Bring retries scheduled for later forward to now (time passing, without the wait)."""
    engine = create_engine(settings.admin_database_url)
    try:
        with engine.begin() as conn:
            result = conn.execute(
                text(
                    "UPDATE procrastinate_jobs SET scheduled_at = now() "
                    "WHERE status = 'todo' AND scheduled_at > now()"
                )
            )
            return int(result.rowcount)
    finally:
        engine.dispose()


def job_rows(settings: Settings, task_name: str | None = None) -> list[Any]:
    engine = create_engine(settings.admin_database_url)
    try:
        with engine.connect() as conn:
            return list(
                conn.execute(
                    text(
                        "SELECT id, task_name, queue_name, status, attempts, args, scheduled_at "
                        "FROM procrastinate_jobs "
                        "WHERE CAST(:t AS text) IS NULL OR task_name = :t ORDER BY id"
                    ),
                    {"t": task_name},
                )
            )
    finally:
        engine.dispose()
