"""Enqueue background jobs inside the caller's transaction (tenant scope, application role).

The job becomes visible to workers only when the transaction commits, and disappears with it
on a rollback: there is never a job without its row, nor a row without its job. The SQL
function `sync_defer_jobs` (migration 0003) accepts only the tasks named here.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, text

HANDLE_STRIPE_EVENT = "handle_stripe_event"
SEND_NOTIFICATION = "send_notification"
SEND_OWNER_INVITATION = "send_owner_invitation"  # migration 0012


def defer(conn: Connection, task: str, args: Sequence[dict[str, Any]]) -> list[int]:
    """Enqueue one `task` job per item of `args` (each must carry this tenant's `tenant_id`)."""
    if not args:
        return []
    ids = conn.execute(
        text("SELECT sync_defer_jobs(:task, CAST(:args AS jsonb[]))"),
        {"task": task, "args": [json.dumps(item, default=_default) for item in args]},
    ).scalar_one()
    return [int(job_id) for job_id in ids]


def _default(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not a job argument")
