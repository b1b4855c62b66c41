"""PostgreSQL for the sync server's tests: the server at 127.0.0.1:5432 when it answers, else a
throwaway embedded cluster; throwaway databases on it, built by the server's own migrations."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import psycopg

from sync_server.config import Settings
from sync_server.db import migrate
from sync_server.embedded_pg import throwaway_cluster

HMAC_KEY = "test-hmac-key-0123456789"


def reachable(host: str, port: int) -> bool:
    try:
        with psycopg.connect(
            host=host, port=port, user="postgres", dbname="postgres", connect_timeout=2
        ):
            return True
    except psycopg.OperationalError:
        return False


@dataclass(frozen=True)
class PgServer:
    host: str
    port: int
    user: str

    def url(self, dbname: str, user: str | None = None) -> str:
        return f"postgresql+psycopg://{user or self.user}@{self.host}:{self.port}/{dbname}"

    def admin(self) -> psycopg.Connection[Any]:
        return psycopg.connect(
            host=self.host, port=self.port, user=self.user, dbname="postgres", autocommit=True
        )


def create_database(server: PgServer, role: str = "pos_sync_app") -> tuple[str, Settings]:
    name = f"sync_test_{secrets.token_hex(6)}"
    with server.admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    settings = Settings(
        database_url=server.url(name, role),
        admin_database_url=server.url(name),
        token_hmac_key=HMAC_KEY.encode(),
        app_role=role,
        pool_size=8,
        pair_attempts_per_minute=100_000,
        token_failures_per_minute=100_000,
    )
    migrate(settings)
    return name, settings


def drop_database(server: PgServer, name: str) -> None:
    with server.admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


EMBEDDED_ONLY_VAR = "SYNC_TEST_EMBEDDED_PG"
"""Set to 1, the tests ignore a server at 127.0.0.1:5432 and use the embedded cluster (CI runs
the server tests once that way, so that path keeps working)."""


@contextmanager
def test_postgres() -> Iterator[PgServer]:
    """The server at 127.0.0.1:5432 (user postgres, trust), else an embedded throwaway cluster
    for the length of the block."""
    if os.environ.get(EMBEDDED_ONLY_VAR) != "1" and reachable("127.0.0.1", 5432):
        yield PgServer("127.0.0.1", 5432, "postgres")
        return
    with throwaway_cluster() as port:
        yield PgServer("127.0.0.1", port, "postgres")
