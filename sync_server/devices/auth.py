"""The request scope of every device call: the token authenticated, the transaction scoped to
the device's shop, committed once (see `deps` for when)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends
from sqlalchemy import Connection

from sync_server.deps import BearerToken, Context
from sync_server.devices import service as devices
from sync_server.devices.schemas import DeviceAuth
from sync_server.kit.errors import Unauthorized
from sync_server.scope import Scope, anonymous_scope, tenant_scope
from sync_server.tenants import service as tenants
from sync_server.tenants.schemas import Tenant


class DeviceScope(Scope):
    """The scope of a device's call: its transaction, scoped to its shop, and the device."""

    def __init__(self, connection: Connection, device: DeviceAuth) -> None:
        super().__init__(lambda: connection, device.tenant_id)
        self.device = device
        self._tenant: Tenant | None = None

    def tenant(self) -> Tenant:
        """The device's shop, read once (row-level security shows only this one)."""
        if self._tenant is None:
            self._tenant = tenants.current_tenant(self.connection)
            if self._tenant is None:  # the token resolved, so only a deletion race gets here
                raise Unauthorized("unknown or revoked device token")
        return self._tenant


def device_scope(ctx: Context, token: BearerToken) -> Iterator[DeviceScope]:
    """Authenticate the token and scope the transaction to its shop, in one round trip; the
    request runs in that transaction, committed once at its end (a 401 here is counted by
    `bearer_token`)."""
    with anonymous_scope(ctx.engine) as scope:
        connection = scope.connection
        device = devices.authenticate(connection, key=ctx.settings.token_hmac_key, token=token)
        stale = devices.last_seen_stale(connection, device.tenant_id, device.device_id)
        yield DeviceScope(connection, device)
    if stale:
        # A transaction of its own: a write would give the request's transaction an xid, and
        # a pull holding one holds back what other registers' pulls may see until it ends.
        with tenant_scope(ctx.engine, device.tenant_id) as scope:
            devices.touch_last_seen(scope.connection, device.tenant_id, device.device_id)


DeviceRequest = Annotated[DeviceScope, Depends(device_scope, scope="function")]
