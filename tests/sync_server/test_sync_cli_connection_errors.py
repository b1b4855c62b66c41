"""`sync-server` against a database it cannot use: one line naming the problem and the fix,
exit 2, no traceback, for every command that connects (real PostgreSQL, real subprocesses)."""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from sync_server import embedded_pg
from sync_server.config import Settings
from sync_server.kit.database_errors import connection_problem
from tests.support.sync_server_db import HMAC_KEY, PgServer

pytestmark = pytest.mark.postgres

COMMANDS = (
    ("migrate",),
    ("serve", "--port", "0"),
    ("worker", "--once"),
    ("tenants", "list"),
    ("devices", "pair-code", "--tenant", "cafe"),
    ("fees", "verify"),
    ("jobs", "dead"),
    ("reconcile", "run", "--tenant", "cafe"),
)


def _sync_server(*args: str, database_url: str, admin_url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sync_server.cli", *args],
        env={
            **os.environ,
            "SYNC_DATABASE_URL": database_url,
            "SYNC_ADMIN_DATABASE_URL": admin_url,
            "SYNC_TOKEN_HMAC_KEY": HMAC_KEY,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )


def _assert_one_line(result: subprocess.CompletedProcess[str], *expected: str) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    line = result.stderr.strip()
    assert line.startswith("sync-server: ")
    for part in expected:
        assert part in line, line
    return line


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_a_missing_database_names_it_and_says_how_to_create_it(
    pg_server: PgServer, command: tuple[str, ...]
) -> None:
    name = f"sync_missing_{secrets.token_hex(4)}"
    result = _sync_server(
        *command,
        database_url=pg_server.url(name, "pos_sync_app"),
        admin_url=pg_server.url(name),
    )
    variable = "SYNC_DATABASE_URL" if command[0] == "serve" else "SYNC_ADMIN_DATABASE_URL"
    _assert_one_line(
        result,
        f'the database "{name}" does not exist on the PostgreSQL server at '
        f"{pg_server.host}:{pg_server.port}",
        f"createdb -h {pg_server.host} -p {pg_server.port} -U postgres {name}",
        variable,
    )


@pytest.mark.parametrize("command", COMMANDS[:4], ids=lambda c: " ".join(c[:2]))
def test_a_closed_port_says_nothing_answers_there(command: tuple[str, ...]) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # Closed now: nothing listens on a port the kernel just handed out and took back.
    url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/pos_sync"
    result = _sync_server(
        *command, database_url=url.replace("postgres@", "pos_sync_app@"), admin_url=url
    )
    _assert_one_line(
        result, f"nothing answers at 127.0.0.1:{port} (connection refused): start PostgreSQL"
    )


def test_an_unknown_host_is_named() -> None:
    url = "postgresql+psycopg://postgres@db.does-not-exist.invalid:5432/pos_sync"
    result = _sync_server("migrate", database_url=url, admin_url=url)
    _assert_one_line(
        result, 'the database host "db.does-not-exist.invalid" is unknown: correct the host'
    )


class _PasswordCluster:
    """A throwaway PostgreSQL that checks passwords (scram-sha-256 on 127.0.0.1): the shared
    server here trusts every loopback connection, so a wrong password would go through."""

    def __init__(self) -> None:
        self.bin = _postgres_bin()
        self.data = Path(tempfile.mkdtemp(prefix="sync-pw-pg-"))
        self.password = secrets.token_hex(8)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self._as_postgres = os.geteuid() == 0  # initdb refuses to run as root

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if self._as_postgres else []
        subprocess.run([*prefix, *command], check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        pwfile = self.data / "pw"
        pwfile.write_text(self.password)
        cluster = self.data / "cluster"
        if self._as_postgres:
            shutil.chown(self.data, user="postgres")
            shutil.chown(pwfile, user="postgres")
        self._run(
            str(self.bin / "initdb"), "-D", str(cluster), "-U", "postgres",
            "--auth-host=scram-sha-256", "--auth-local=trust", f"--pwfile={pwfile}",
        )  # fmt: skip
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(cluster), "-w", "-l", str(self.data / "log"),
            "-o", f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1", "start",
        )  # fmt: skip

    def stop(self) -> None:
        try:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data / "cluster"), "-m", "immediate",
                      "stop")  # fmt: skip
        finally:
            shutil.rmtree(self.data, ignore_errors=True)


def _postgres_bin() -> Path:
    """The embedded PostgreSQL's binaries (a copy the `postgres` user can reach, as root)."""
    return embedded_pg.bin_dir()


@pytest.fixture(scope="module")
def password_cluster() -> Iterator[_PasswordCluster]:
    cluster = _PasswordCluster()
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.mark.slow
@pytest.mark.parametrize("command", [("migrate",), ("tenants", "list"), ("serve", "--port", "0")])
def test_a_wrong_password_names_the_role_and_where_to_put_the_password(
    password_cluster: _PasswordCluster, command: tuple[str, ...]
) -> None:
    role = f"sync_pw_{secrets.token_hex(3)}"
    right = secrets.token_hex(8)
    with psycopg.connect(
        host="127.0.0.1",
        port=password_cluster.port,
        user="postgres",
        password=password_cluster.password,
        dbname="postgres",
        autocommit=True,
    ) as admin:
        admin.execute(f"CREATE ROLE {role} LOGIN SUPERUSER PASSWORD '{right}'")
    wrong = "not-" + right
    good_url = f"postgresql+psycopg://{role}:{right}@127.0.0.1:{password_cluster.port}/postgres"
    bad_url = good_url.replace(f":{right}@", f":{wrong}@")
    # The right password works (the role and cluster are real), then the wrong one is named.
    with psycopg.connect(good_url.replace("+psycopg", "")) as check:
        assert check.execute("SELECT current_user").fetchone() == (role,)
    is_serve = command[0] == "serve"
    result = _sync_server(
        *command,
        database_url=bad_url if is_serve else good_url,
        admin_url=good_url if is_serve else bad_url,
    )
    line = _assert_one_line(
        result,
        f'PostgreSQL at 127.0.0.1:{password_cluster.port} refused the password of role "{role}"',
        "SYNC_DATABASE_URL" if is_serve else "SYNC_ADMIN_DATABASE_URL",
    )
    assert wrong not in line
    assert right not in line


def test_a_statement_error_inside_a_session_is_not_called_a_set_up_problem(
    pg_server: PgServer,
) -> None:
    """A query cancelled by a timeout is an OperationalError too; it keeps its traceback."""
    with psycopg.connect(
        host=pg_server.host, port=pg_server.port, user=pg_server.user, dbname="postgres"
    ) as connection:
        connection.execute("SET statement_timeout = 10")
        with pytest.raises(psycopg.OperationalError) as raised:
            connection.execute("SELECT pg_sleep(1)")
    assert connection_problem(raised.value, Settings()) is None
