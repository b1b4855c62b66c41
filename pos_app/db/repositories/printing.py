"""Printers and the persistent print queue (`printers`, `print_jobs`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from pos_app.db.models import PrinterRow, PrintJobRow
from pos_app.domain.printers import (
    PENDING_STATUSES,
    ClaimedJob,
    JobKind,
    JobStatus,
    PrinterConfig,
    PrinterQueueStatus,
    PrinterRole,
    PrintJobRecord,
)

LAST_ERROR_MAX = 300
"""The width of `print_jobs.last_error`."""

_PENDING = tuple(status.value for status in PENDING_STATUSES)


def _printer(row: PrinterRow) -> PrinterConfig:
    ids = row.category_ids.get("ids", []) if isinstance(row.category_ids, dict) else []
    return PrinterConfig(
        id=row.id,
        name=row.name,
        role=PrinterRole(row.role),
        host=row.host,
        port=row.port,
        paper_width_chars=row.paper_width_chars,
        category_ids=frozenset(UUID(str(value)) for value in ids),
        has_cash_drawer=row.has_cash_drawer,
        enabled=row.enabled,
    )


_JOB_COLUMNS = (
    PrintJobRow.id,
    PrintJobRow.printer_id,
    PrintJobRow.kind,
    PrintJobRow.order_id,
    PrintJobRow.status,
    PrintJobRow.attempts,
    PrintJobRow.last_error,
    PrintJobRow.next_attempt_at,
    PrintJobRow.created_at,
    PrintJobRow.printed_at,
)


def _job(row: Sequence[object]) -> PrintJobRecord:
    id_, printer_id, kind, order_id, status, attempts, error, next_at, created, printed = row
    return PrintJobRecord(
        id=id_,  # type: ignore[arg-type]
        printer_id=printer_id,  # type: ignore[arg-type]
        kind=JobKind(str(kind)),
        order_id=order_id,  # type: ignore[arg-type]
        status=JobStatus(str(status)),
        attempts=attempts,  # type: ignore[arg-type]
        last_error=error,  # type: ignore[arg-type]
        next_attempt_at=next_at,  # type: ignore[arg-type]
        created_at=created,  # type: ignore[arg-type]
        printed_at=printed,  # type: ignore[arg-type]
    )


class PrintingRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # --- printers -----------------------------------------------------------------------

    def printers(self, *, enabled_only: bool = False) -> list[PrinterConfig]:
        query = select(PrinterRow).order_by(PrinterRow.name, PrinterRow.id)
        if enabled_only:
            query = query.where(PrinterRow.enabled.is_(True))
        return [_printer(row) for row in self.session.scalars(query)]

    def printer(self, printer_id: UUID) -> PrinterConfig | None:
        row = self.session.get(PrinterRow, printer_id)
        return _printer(row) if row else None

    def save_printer(self, printer: PrinterConfig) -> None:
        row = self.session.get(PrinterRow, printer.id) or PrinterRow(id=printer.id)
        row.name = printer.name.strip()
        row.role = printer.role.value
        row.host = printer.host.strip()
        row.port = printer.port
        row.paper_width_chars = printer.paper_width_chars
        row.category_ids = {"ids": sorted(str(value) for value in printer.category_ids)}
        row.has_cash_drawer = printer.has_cash_drawer
        row.enabled = printer.enabled
        self.session.add(row)
        self.session.flush()

    def delete_printer(self, printer_id: UUID) -> None:
        """Delete the printer; its finished jobs go with it (the foreign key cascades)."""
        self.session.execute(delete(PrintJobRow).where(PrintJobRow.printer_id == printer_id))
        self.session.execute(delete(PrinterRow).where(PrinterRow.id == printer_id))

    # --- jobs ---------------------------------------------------------------------------

    def enqueue(
        self,
        *,
        printer_id: UUID,
        kind: JobKind,
        payload: bytes,
        order_id: UUID | None,
        at: datetime,
    ) -> UUID:
        row = PrintJobRow(
            printer_id=printer_id,
            kind=kind.value,
            order_id=order_id,
            payload=payload,
            status=JobStatus.QUEUED.value,
            attempts=0,
            next_attempt_at=at,
            created_at=at,
        )
        self.session.add(row)
        self.session.flush()
        return row.id

    def has_jobs(self, *, order_id: UUID, kinds: Sequence[JobKind]) -> bool:
        query = select(PrintJobRow.id).where(
            PrintJobRow.order_id == order_id,
            PrintJobRow.kind.in_([kind.value for kind in kinds]),
        )
        return self.session.scalar(query.limit(1)) is not None

    def job(self, job_id: UUID) -> PrintJobRecord | None:
        row = self.session.execute(select(*_JOB_COLUMNS).where(PrintJobRow.id == job_id)).first()
        return _job(tuple(row)) if row else None

    def jobs(
        self,
        *,
        order_id: UUID | None = None,
        printer_id: UUID | None = None,
        statuses: Sequence[JobStatus] | None = None,
        limit: int = 200,
    ) -> list[PrintJobRecord]:
        """Jobs in the order they were queued (oldest first)."""
        query = select(*_JOB_COLUMNS)
        if order_id is not None:
            query = query.where(PrintJobRow.order_id == order_id)
        if printer_id is not None:
            query = query.where(PrintJobRow.printer_id == printer_id)
        if statuses is not None:
            query = query.where(PrintJobRow.status.in_([status.value for status in statuses]))
        query = query.order_by(PrintJobRow.created_at, PrintJobRow.id).limit(limit)
        return [_job(tuple(row)) for row in self.session.execute(query)]

    def payload(self, job_id: UUID) -> bytes | None:
        return self.session.scalar(select(PrintJobRow.payload).where(PrintJobRow.id == job_id))

    def pending_heads(self) -> list[PrintJobRecord]:
        """The oldest unprinted job of each printer, oldest first.

        A printer prints its jobs in the order they were queued, so only its head may be sent;
        the jobs behind it wait even when their own time has come.
        """
        query = (
            select(*_JOB_COLUMNS)
            .where(PrintJobRow.status.in_(_PENDING))
            .order_by(PrintJobRow.created_at, PrintJobRow.id)
        )
        heads: dict[UUID, PrintJobRecord] = {}
        for row in self.session.execute(query):
            job = _job(tuple(row))
            heads.setdefault(job.printer_id, job)
        return list(heads.values())

    def claim(self, job: PrintJobRecord, *, lease_until: datetime) -> ClaimedJob | None:
        """Mark `job` as being sent until `lease_until`; None if it changed since it was read.

        The attempt counter doubles as the claim token: every later update names it.
        """
        result = self.session.execute(
            update(PrintJobRow)
            .where(
                PrintJobRow.id == job.id,
                PrintJobRow.status.in_(_PENDING),
                PrintJobRow.attempts == job.attempts,
            )
            .values(
                status=JobStatus.PRINTING.value,
                attempts=PrintJobRow.attempts + 1,
                next_attempt_at=lease_until,
            )
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            return None
        printer_row = self.session.get(PrinterRow, job.printer_id)
        payload = self.payload(job.id)
        claimed = self.job(job.id)
        if printer_row is None or payload is None or claimed is None:
            return None
        return ClaimedJob(record=claimed, payload=payload, printer=_printer(printer_row))

    def _update_claimed(self, claimed: PrintJobRecord, **values: object) -> bool:
        result = self.session.execute(
            update(PrintJobRow)
            .where(
                PrintJobRow.id == claimed.id,
                PrintJobRow.status == JobStatus.PRINTING.value,
                PrintJobRow.attempts == claimed.attempts,
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1  # type: ignore[attr-defined,no-any-return]

    def mark_printed(self, claimed: PrintJobRecord, *, at: datetime) -> bool:
        return self._update_claimed(
            claimed, status=JobStatus.PRINTED.value, printed_at=at, last_error=None
        )

    def mark_retry(self, claimed: PrintJobRecord, *, error: str, next_attempt_at: datetime) -> bool:
        return self._update_claimed(
            claimed,
            status=JobStatus.QUEUED.value,
            last_error=error[:LAST_ERROR_MAX],
            next_attempt_at=next_attempt_at,
        )

    def fail(self, job_id: UUID, *, error: str) -> None:
        """Give up on a pending job, with the reason."""
        self.session.execute(
            update(PrintJobRow)
            .where(PrintJobRow.id == job_id, PrintJobRow.status.in_(_PENDING))
            .values(status=JobStatus.FAILED.value, last_error=error[:LAST_ERROR_MAX])
            .execution_options(synchronize_session=False)
        )

    def retry_now(self, *, at: datetime, printer_id: UUID | None = None) -> int:
        """Make queued jobs due at once (the printer is back: don't wait out the backoff)."""
        query = update(PrintJobRow).where(PrintJobRow.status == JobStatus.QUEUED.value)
        if printer_id is not None:
            query = query.where(PrintJobRow.printer_id == printer_id)
        result = self.session.execute(
            query.values(next_attempt_at=at).execution_options(synchronize_session=False)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    def requeue_failed(self, *, at: datetime, printer_id: UUID | None = None) -> int:
        """Put failed jobs back in the queue, except drawer kicks (a late kick is never sent).

        They keep their place: a requeued receipt prints before the ones queued after it.
        """
        query = update(PrintJobRow).where(
            PrintJobRow.status == JobStatus.FAILED.value,
            PrintJobRow.kind != JobKind.DRAWER.value,
        )
        if printer_id is not None:
            query = query.where(PrintJobRow.printer_id == printer_id)
        result = self.session.execute(
            query.values(status=JobStatus.QUEUED.value, next_attempt_at=at).execution_options(
                synchronize_session=False
            )
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    def count_pending(self, printer_id: UUID) -> int:
        query = select(func.count()).where(
            PrintJobRow.printer_id == printer_id, PrintJobRow.status.in_(_PENDING)
        )
        return self.session.scalar(query) or 0

    def queue_status(self) -> list[PrinterQueueStatus]:
        counts: dict[tuple[UUID, str], int] = {}
        for printer_id, status, count in self.session.execute(
            select(PrintJobRow.printer_id, PrintJobRow.status, func.count()).group_by(
                PrintJobRow.printer_id, PrintJobRow.status
            )
        ):
            counts[(printer_id, status)] = count
        last_printed = dict(
            self.session.execute(
                select(PrintJobRow.printer_id, func.max(PrintJobRow.printed_at)).group_by(
                    PrintJobRow.printer_id
                )
            ).all()
        )
        heads = {job.printer_id: job for job in self.pending_heads()}
        result = []
        for printer in self.printers():
            head = heads.get(printer.id)
            result.append(
                PrinterQueueStatus(
                    printer=printer,
                    pending=sum(counts.get((printer.id, s), 0) for s in _PENDING),
                    failed=counts.get((printer.id, JobStatus.FAILED.value), 0),
                    last_error=head.last_error if head else None,
                    oldest_pending_at=head.created_at if head else None,
                    last_printed_at=last_printed.get(printer.id),
                )
            )
        return result

    def prune_printed(self, *, before: datetime) -> int:
        """Delete printed jobs older than `before` (their bytes are kilobytes per receipt)."""
        result = self.session.execute(
            delete(PrintJobRow).where(
                PrintJobRow.status == JobStatus.PRINTED.value, PrintJobRow.printed_at < before
            )
        )
        return int(result.rowcount)  # type: ignore[attr-defined]
