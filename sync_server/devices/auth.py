"""The request scope of every device call: the token authenticated, the transaction scoped to
the device's shop, committed once (see `deps` for when).

The dependency (`DeviceRequest`) only reads the token and the client's address; the endpoint
opens the scope, in the thread it runs in: `with device_scope(call) as scope:`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Connection

from sync_server.deps import (
    BearerToken,
    Context,
    RequestCall,
    ServerContext,
    client_address,
    counting_token_failures,
)
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


class DeviceCall(RequestCall):
    """A device's call before its scope is opened: the raw token and the client's address."""

    __slots__ = ("address", "token")

    def __init__(self, ctx: ServerContext, address: str, token: str) -> None:
        super().__init__(ctx)
        self.address = address
        self.token = token


async def device_call(request: Request, ctx: Context, token: BearerToken) -> DeviceCall:
    return DeviceCall(ctx, client_address(request), token)


DeviceRequest = Annotated[DeviceCall, Depends(device_call)]


@contextmanager
def device_scope(call: DeviceCall) -> Iterator[DeviceScope]:
    """Authenticate the token and scope the transaction to its shop, in one round trip; the
    block runs in that transaction, committed once at its end (a 401 anywhere in it counts as
    a failed token for the address, see `deps.counting_token_failures`)."""
    call.open_once()
    ctx = call.ctx
    with counting_token_failures(ctx, call.address, call.token) as token:
        with anonymous_scope(ctx.engine) as scope:
            connection = scope.connection
            device = devices.authenticate(connection, key=ctx.settings.token_hmac_key, token=token)
            stale = devices.last_seen_stale(connection, device.tenant_id, device.device_id)
            yield DeviceScope(connection, device)
        if stale:
            # A transaction of its own: a write would give the request's transaction an xid,
            # and a pull holding one holds back what other registers' pulls may see until it
            # ends.
            with tenant_scope(ctx.engine, device.tenant_id) as scope:
                devices.touch_last_seen(scope.connection, device.tenant_id, device.device_id)
