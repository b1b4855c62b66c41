"""Why the server could not connect to PostgreSQL, in one line that says what to do.

libpq reports a refused connection as text (no SQLSTATE reaches the client before the session
exists), so the common set-up mistakes are told apart by the server's and libpq's own words.
The URL is never printed (it may hold a password): only host, port, database and role.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import psycopg
from sqlalchemy.engine import make_url

from sync_server.config import Settings

# How libpq and psycopg begin the message of a connection that could not be made.
_CONNECTING = ("connection failed", "connection to server at", "resolve host", "timeout expired")

APP_URL_VAR = "SYNC_DATABASE_URL"
ADMIN_URL_VAR = "SYNC_ADMIN_DATABASE_URL"


@dataclass(frozen=True, slots=True)
class _Target:
    host: str
    port: str
    database: str
    role: str

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"


def connection_problem(error: BaseException, settings: Settings) -> str | None:
    """The one-line explanation of a failed connection, or None if `error` is not one."""
    cause = _psycopg_error(error)
    if cause is None or cause.sqlstate is not None:
        return None  # a statement's error inside a session (a timeout, a deadlock): not set-up
    text = str(cause)
    if not any(words in text for words in _CONNECTING):
        return None  # a session lost midway: not a set-up problem either
    target = _target(cause, text, settings)
    variable = _variable(target, settings)
    if (found := re.search(r'database "([^"]+)" does not exist', text)) is not None:
        name = found.group(1)
        return (
            f'the database "{name}" does not exist on the PostgreSQL server at {target.where}: '
            f"create it (createdb -h {target.host} -p {target.port} -U postgres {name}), "
            f"then run `sync-server migrate`; or name another database in {variable}"
        )
    if "password authentication failed" in text or "no password supplied" in text:
        return (
            f'PostgreSQL at {target.where} refused the password of role "{target.role}": '
            f"put the role's password in {variable} "
            "(postgresql+psycopg://ROLE:PASSWORD@HOST:PORT/DATABASE)"
        )
    if (found := re.search(r'role "([^"]+)" does not exist', text)) is not None:
        hint = (
            "`sync-server migrate` creates it"
            if found.group(1) == settings.app_role
            else f"create it, or name an existing role in {variable}"
        )
        return f'PostgreSQL at {target.where} has no role "{found.group(1)}": {hint}'
    if "no pg_hba.conf entry" in text:
        return (
            f'PostgreSQL at {target.where} does not let role "{target.role}" connect from this '
            f"machine: add a line for it to the server's pg_hba.conf, or use another role in "
            f"{variable}"
        )
    if "Connection refused" in text:
        return (
            f"nothing answers at {target.where} (connection refused): start PostgreSQL there, "
            f"or point {variable} at the server"
        )
    if "resolve host" in text or "translate host name" in text:
        return f'the database host "{target.host}" is unknown: correct the host in {variable}'
    if "timeout expired" in text or "timed out" in text:
        return (
            f"PostgreSQL at {target.where} did not answer within "
            f"{settings.db_connect_timeout_s} s: check the host and port in {variable}, and "
            "that a firewall lets the connection through"
        )
    first_line = text.strip().splitlines()[0] if text.strip() else type(cause).__name__
    return f"cannot connect to PostgreSQL at {target.where} ({variable}): {first_line}"


def _psycopg_error(error: BaseException) -> psycopg.OperationalError | None:
    """The psycopg connection error behind SQLAlchemy's or procrastinate's wrapper."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, psycopg.OperationalError):
            return current
        orig = getattr(current, "orig", None)  # sqlalchemy.exc.DBAPIError
        current = (
            orig if isinstance(orig, BaseException) else (current.__cause__ or current.__context__)
        )
    return None


def _target(cause: psycopg.OperationalError, text: str, settings: Settings) -> _Target:
    admin = make_url(settings.admin_database_url)
    pgconn = cause.pgconn
    if pgconn is not None:  # libpq knows what it tried (the default role, port, ...)
        return _Target(
            (pgconn.host or b"").decode() or admin.host or "localhost",
            (pgconn.port or b"").decode() or "5432",
            (pgconn.db or b"").decode(),
            (pgconn.user or b"").decode(),
        )
    # A host name that does not resolve fails before libpq has a connection to describe:
    # the role is left unknown, so both settings naming that host are blamed.
    found = re.search(r"resolve host '([^']+)'", text)
    host = found.group(1) if found else None
    for url in (make_url(settings.database_url), admin):
        if host is None or url.host == host:
            return _Target(url.host or "localhost", str(url.port or 5432), url.database or "", "")
    return _Target(host or "localhost", "5432", "", "")


def _variable(target: _Target, settings: Settings) -> str:
    """Which setting the failed connection came from (both, when they name the same)."""
    names = []
    for variable, raw in ((APP_URL_VAR, settings.database_url),
                          (ADMIN_URL_VAR, settings.admin_database_url)):  # fmt: skip
        url = make_url(raw)
        if (
            (url.host or "localhost") == target.host
            and str(url.port or 5432) == target.port
            and (url.username or "") == (target.role or url.username or "")
        ):
            names.append(variable)
    return " / ".join(names) if names else f"{APP_URL_VAR} / {ADMIN_URL_VAR}"
