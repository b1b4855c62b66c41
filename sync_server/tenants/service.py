"""Creating and listing tenants (platform operations, run from the CLI as the admin role)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import Connection

from sync_server.kit.ids import uuid7
from sync_server.kit.periods import PeriodError, zone
from sync_server.tenants import repository
from sync_server.tenants.schemas import Tenant

_SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
_CURRENCY_RE = re.compile(r"^[A-Z]{3}$")


class TenantError(ValueError):
    """A tenant that cannot be created or found."""


def create_tenant(
    conn: Connection, *, slug: str, name: str, currency: str, timezone: str, fee_bps: int = 100
) -> Tenant:
    if not _SLUG_RE.match(slug):
        raise TenantError(f"slug {slug!r}: use 2-63 lowercase letters, digits and dashes")
    if not name.strip():
        raise TenantError("name must not be empty")
    if not _CURRENCY_RE.match(currency):
        raise TenantError(f"currency {currency!r}: use a 3-letter ISO code such as EUR")
    try:
        zone(timezone)
    except PeriodError as exc:
        raise TenantError(str(exc)) from None
    if not 0 <= fee_bps <= 10_000:
        raise TenantError(f"fee {fee_bps} bps: must be between 0 and 10000")
    if repository.slug_exists(conn, slug):
        raise TenantError(f"a tenant {slug!r} already exists")
    tenant = Tenant(id=uuid7(), slug=slug, name=name.strip(), currency=currency, timezone=timezone)
    repository.insert_tenant(conn, tenant, rate_bps=fee_bps)
    return tenant


def find_tenant(conn: Connection, slug: str) -> Tenant | None:
    return repository.by_slug(conn, slug)


def require_tenant(conn: Connection, slug: str) -> Tenant:
    tenant = repository.by_slug(conn, slug)
    if tenant is None:
        raise TenantError(f"no tenant {slug!r}")
    return tenant


def list_tenants(conn: Connection) -> list[Tenant]:
    return repository.all_tenants(conn)


def export_tenant(conn: Connection, slug: str) -> Iterator[tuple[str, dict[str, Any]]]:
    tenant = require_tenant(conn, slug)
    return repository.export_rows(conn, tenant.id)


def current_tenant(conn: Connection) -> Tenant | None:
    """The shop the transaction is scoped to (row-level security); None when it is gone."""
    return repository.current_tenant(conn)


def set_fee_rate(conn: Connection, tenant_id: uuid.UUID, *, effective_from: date, bps: int) -> None:
    """The shop's fee rate from `effective_from` on (`fees.set_rate` checks the month)."""
    repository.insert_fee_rate(conn, tenant_id, effective_from, bps)
