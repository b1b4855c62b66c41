"""Enqueue background jobs inside the caller's transaction (tenant scope, application role),
and the failed jobs an operator looks at and queues again (admin role).

The job becomes visible to workers only when the transaction commits, and disappears with it
on a rollback: there is never a job without its row, nor a row without its job. The SQL
function `sync_defer_jobs` (migration 0003) accepts only the tasks named here.

`failed_jobs` and `retry_failed_job` are what `sync-server jobs dead` / `jobs retry` and the
console's job queue page both call (the jobs table is the admin role's only).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, text

HANDLE_STRIPE_EVENT = "handle_stripe_event"
SEND_NOTIFICATION = "send_notification"
SEND_OWNER_INVITATION = "send_owner_invitation"  # migration 0012
SEND_BILLING_NOTICE = "send_billing_notice"  # migration 0017


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


# --- failed jobs (admin role) -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DeadJob:
    """A job that used up its retries, with the last attempt's error (`job_errors`)."""

    id: int
    task_name: str
    queue: str
    attempts: int
    args: dict[str, Any]
    error: str | None
    failed_at: datetime | None


class JobError(ValueError):
    """A job command that cannot be done."""


class NoSuchJob(JobError):
    """The job id names no job."""


def failed_jobs(conn: Connection, limit: int = 100) -> list[DeadJob]:
    """The failed jobs, newest first, each with its last error."""
    rows = conn.execute(
        text(
            "SELECT j.id, j.task_name, j.queue_name, j.attempts, j.args, e.error, e.at "
            "FROM procrastinate_jobs j LEFT JOIN LATERAL ("
            "  SELECT error, at FROM job_errors WHERE job_id = j.id "
            "  ORDER BY attempt DESC LIMIT 1) e ON true "
            "WHERE j.status = 'failed' ORDER BY j.id DESC LIMIT :n"
        ),
        {"n": limit},
    )
    return [DeadJob(*row) for row in rows]


def retry_failed_job(conn: Connection, job_id: int) -> None:
    """Queue a failed job again, now (it gets one more attempt)."""
    row = conn.execute(
        text("SELECT status, task_name FROM procrastinate_jobs WHERE id = :id FOR UPDATE"),
        {"id": job_id},
    ).first()
    if row is None:
        raise NoSuchJob(f"no job {job_id}")
    if row.status != "failed":
        hint = ""
        if row.task_name == SEND_NOTIFICATION:
            # Its job succeeds once the notification has a final state, failed included.
            hint = "; a failed notification is sent again with `notifications retry`"
        raise JobError(f"job {job_id} is {row.status}, not failed: nothing to retry{hint}")
    conn.execute(
        text("SELECT procrastinate_retry_job_v2(:id, now(), NULL, NULL, NULL)"), {"id": job_id}
    )


SECRET_ARGUMENTS = frozenset({"link", "token", "secret", "password"})
"""Job arguments never shown to a person (an owner invitation's `link` signs its owner in)."""


def shown_arguments(args: dict[str, Any]) -> dict[str, Any]:
    """A job's arguments with the secret ones blanked (`SECRET_ARGUMENTS`)."""
    return {key: "[hidden]" if key in SECRET_ARGUMENTS else value for key, value in args.items()}
