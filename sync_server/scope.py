"""Where transactions begin and end: one scope per request, per job and per command.

Services and flows never begin, commit or roll back: they are handed a scope (or its
connection). A scope is one transaction that commits once when its block ends without an error
and rolls back otherwise. The tenant is set once (`db.set_tenant`, transaction-local), so row
level security scopes every statement and a pooled connection carries no tenant into the next.

- `tenant_scope(engine, tenant_id)`: the application role, scoped to one shop (jobs, commands).
- `admin_scope(engine)`: the schema owner, no tenant (platform-wide work, the job tables).
- `anonymous_scope(engine)`: no tenant until `enter_tenant`, the transaction begun on first
  use (requests that may answer without the database: pairing, webhooks, links).
- The request scopes (`devices.auth.device_scope`, `deps.request_scope`), opened by the
  endpoints themselves, are built on these.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager

from sqlalchemy import Connection, Engine

from sync_server.db import set_tenant, tenant_transaction


class Scope:
    """One transaction, and the id of the shop it is scoped to (if any)."""

    def __init__(
        self, open_connection: Callable[[], Connection], tenant_id: uuid.UUID | None = None
    ) -> None:
        self._open = open_connection
        self._connection: Connection | None = None
        self._tenant_id = tenant_id

    @property
    def connection(self) -> Connection:
        """The transaction's connection (a lazy scope begins its transaction here)."""
        if self._connection is None:
            self._connection = self._open()
        return self._connection

    @property
    def opened(self) -> bool:
        return self._connection is not None

    @property
    def tenant_id(self) -> uuid.UUID:
        if self._tenant_id is None:
            raise LookupError("this scope has no tenant")
        return self._tenant_id

    def enter_tenant(self, tenant_id: uuid.UUID) -> None:
        """Scope the rest of the transaction to `tenant_id` (after an anonymous look-up that
        found it: a pairing code, a webhook's signature, an unsubscribe link)."""
        set_tenant(self.connection, tenant_id)
        self._tenant_id = tenant_id


@contextmanager
def tenant_scope(engine: Engine, tenant_id: uuid.UUID) -> Iterator[Scope]:
    """One transaction of the application role scoped to one tenant; commits at the end."""
    with tenant_transaction(engine, tenant_id) as connection:
        yield Scope(lambda: connection, tenant_id)


@contextmanager
def admin_scope(engine: Engine) -> Iterator[Scope]:
    """One transaction of the admin role (no tenant: row-level security does not bind the
    owner); commits at the end."""
    with engine.begin() as connection:
        yield Scope(lambda: connection)


@contextmanager
def anonymous_scope(engine: Engine) -> Iterator[Scope]:
    """The application role with no tenant yet (only the SECURITY DEFINER look-ups answer):
    the transaction is begun only if the block uses the connection, and commits at its end."""
    with ExitStack() as stack:
        yield Scope(lambda: stack.enter_context(engine.begin()))
