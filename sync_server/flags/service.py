"""The shop's flags: what needs a person (reconciliation's daily checks, a refund that failed
at the bank, a lost dispute beyond what the order allows). Raised by the reconciliation and
disputes domains; read and closed through `reconciliation.service` (`reconcile report/ack`)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Connection

from sync_server.flags import repository


def raise_flag(
    conn: Connection,
    tenant_id: uuid.UUID,
    *,
    kind: str,
    object_id: str,
    order_id: uuid.UUID | None,
    amount_minor: int | None,
    currency: str | None,
    detail: str,
    now: datetime,
    reopen: bool = True,
) -> None:
    """Open (or keep open) a flag; with `reopen` a resolved one opens again."""
    repository.raise_flag(
        conn, tenant_id, kind=kind, object_id=object_id, order_id=order_id,
        amount_minor=amount_minor, currency=currency, detail=detail, now=now, reopen=reopen,
    )  # fmt: skip
