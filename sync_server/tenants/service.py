"""Creating and listing tenants (platform operations, run from the CLI as the admin role)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, time
from typing import Any

from sqlalchemy import Connection

from sync_server.kit.ids import uuid7
from sync_server.kit.periods import PeriodError, period_of, zone
from sync_server.tenants import repository
from sync_server.tenants.schemas import LATEST_DAY_END, LOCALES, Tenant, default_locale

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
    tenant = Tenant(
        id=uuid7(), slug=slug, name=name.strip(), currency=currency, timezone=timezone,
        locale=default_locale(currency),
    )  # fmt: skip
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


def first_month(conn: Connection, tenant: Tenant) -> str:
    """The month (`YYYY-MM`, on the shop's wall clock) the shop was created in on the server:
    no month before it has fees of its own (a sale accepted from just before the creation is
    the exception the statement pages allow when it is there)."""
    created = repository.created_at(conn, tenant.id)
    if created is None:
        raise LookupError(f"shop {tenant.slug} not found")
    return period_of(created, tenant.timezone)


def set_fee_rate(conn: Connection, tenant_id: uuid.UUID, *, effective_from: date, bps: int) -> None:
    """The shop's fee rate from `effective_from` on (`fees.set_rate` checks the month)."""
    repository.insert_fee_rate(conn, tenant_id, effective_from, bps)


class SettingsRefused(ValueError):
    """A report setting that cannot be saved; `field` and `reason` name what is wrong."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


def parse_day_end(value: str) -> time:
    """`HH:MM` from 00:00 to 11:59, as on the register (a business day is named after the date
    it starts; ending it at noon or later would put a whole afternoon on the day before)."""
    text = value.strip()
    if not re.fullmatch(r"\d{1,2}:\d{2}", text):
        raise SettingsRefused("day_ends_at", "format")
    hours, minutes = (int(part) for part in text.split(":"))
    if hours > 23 or minutes > 59:
        raise SettingsRefused("day_ends_at", "format")
    ends = time(hours, minutes)
    if ends >= LATEST_DAY_END:
        raise SettingsRefused("day_ends_at", "range")
    return ends


def change_report_settings(
    conn: Connection, tenant: Tenant, *, day_ends_at: str, locale: str
) -> Tenant:
    """Change the shop's business day end and locale (run under the shop's RLS)."""
    ends = parse_day_end(day_ends_at)
    if locale not in LOCALES:
        raise SettingsRefused("locale", "unknown")
    if not repository.update_report_settings(conn, tenant.id, day_ends_at=ends, locale=locale):
        raise TenantError("the shop is gone")
    return replace(tenant, day_ends_at=ends, locale=locale)
