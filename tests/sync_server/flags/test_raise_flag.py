"""A shop's flags: raised once per (kind, object), seen again, closed by a person, opened
again only when asked; each shop sees its own (row-level security)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from sync_server.config import Settings
from sync_server.flags import service as flags
from sync_server.reconciliation import service as reconciliation
from sync_server.scope import tenant_scope
from sync_server.tenants.schemas import Tenant
from tests.support.sync_server_tenants import create_tenant

pytestmark = pytest.mark.postgres

SEEN = datetime(2026, 3, 14, 12, 0, tzinfo=UTC)


def _raise(app_db: Engine, tenant: Tenant, *, detail: str, now: datetime, reopen: bool) -> None:
    with tenant_scope(app_db, tenant.id) as scope:
        flags.raise_flag(
            scope.connection, tenant.id, kind="failed_refund", object_id="re_1", order_id=None,
            amount_minor=450, currency=tenant.currency, detail=detail, now=now, reopen=reopen,
        )  # fmt: skip


def test_a_flag_is_raised_once_closed_by_a_person_and_opened_again_when_seen_again(
    app_db: Engine, tenant: Tenant
) -> None:
    _raise(app_db, tenant, detail="the bank refused", now=SEEN, reopen=True)
    _raise(app_db, tenant, detail="the bank refused", now=SEEN + timedelta(hours=1), reopen=True)
    with tenant_scope(app_db, tenant.id) as scope:
        (flag,) = reconciliation.report(scope.connection, tenant_id=tenant.id)
        assert (flag.kind, flag.object_id, flag.amount_minor) == ("failed_refund", "re_1", 450)
        assert (flag.first_seen_at, flag.last_seen_at) == (SEEN, SEEN + timedelta(hours=1))
        assert reconciliation.acknowledge(
            scope.connection, tenant_id=tenant.id, flag_id=flag.id, now=SEEN
        )

    # Seen again without `reopen` (a daily check that only notes it): stays closed.
    _raise(app_db, tenant, detail="still refused", now=SEEN + timedelta(days=1), reopen=False)
    with tenant_scope(app_db, tenant.id) as scope:
        assert reconciliation.report(scope.connection, tenant_id=tenant.id) == []
        (closed,) = reconciliation.report(
            scope.connection, tenant_id=tenant.id, include_resolved=True
        )
        assert closed.detail == "the bank refused"

    # Seen again with `reopen`: open, with the new detail.
    _raise(app_db, tenant, detail="refused again", now=SEEN + timedelta(days=2), reopen=True)
    with tenant_scope(app_db, tenant.id) as scope:
        (reopened,) = reconciliation.report(scope.connection, tenant_id=tenant.id)
        assert (reopened.id, reopened.detail, reopened.resolved_at) == (
            flag.id,
            "refused again",
            None,
        )


def test_a_shop_sees_only_its_own_flags(app_db: Engine, tenant: Tenant, settings: Settings) -> None:
    other = create_tenant(settings)
    _raise(app_db, tenant, detail="mine", now=SEEN, reopen=True)
    with tenant_scope(app_db, other.id) as scope:
        assert (
            reconciliation.report(scope.connection, tenant_id=other.id, include_resolved=True) == []
        )
