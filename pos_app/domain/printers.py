"""Printers as the shop sets them up, and which kitchen printer gets which line.

A printer is a network ESC/POS printer (TCP, usually port 9100). Its role says whether it
prints this register's receipts; its category ids say which kitchen tickets it prints, so a
single printer at a small counter can do both.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Final
from uuid import UUID

from pos_app.domain.errors import ValidationError
from pos_app.domain.ids import uuid7
from pos_app.domain.orders import OrderLine

DEFAULT_PORT: Final = 9100
WIDTH_58MM: Final = 32
"""Characters per line on 58 mm paper (font A)."""
WIDTH_80MM: Final = 42
"""Characters per line on 80 mm paper for printers with a 512-dot head (Epson TM-T88 style)."""
WIDTH_80MM_WIDE: Final = 48
"""Characters per line on 80 mm paper for printers with a 576-dot head."""
MIN_WIDTH: Final = 24
MAX_WIDTH: Final = 64

_HOST_RE = re.compile(r"^[A-Za-z0-9._:\-\[\]]+$")


class PrinterRole(StrEnum):
    RECEIPT = "receipt"
    """Prints this register's receipts (and may kick the cash drawer wired to it)."""
    KITCHEN = "kitchen"
    """Prints kitchen tickets only."""


@dataclass(frozen=True, slots=True)
class PrinterConfig:
    name: str
    role: PrinterRole
    host: str
    port: int = DEFAULT_PORT
    paper_width_chars: int = WIDTH_80MM
    category_ids: frozenset[UUID] = frozenset()
    """Kitchen tickets for products in these categories print here."""
    has_cash_drawer: bool = False
    enabled: bool = True
    id: UUID = field(default_factory=uuid7)

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValidationError("give the printer a name, like “Kitchen” or “Front counter”")
        if len(self.name) > 60:
            raise ValidationError("a printer name can be at most 60 characters")
        host = self.host.strip()
        if not host or len(host) > 255 or not _HOST_RE.match(host):
            raise ValidationError(
                f"{self.host!r} is not a printer address (use an IP address like 192.168.1.50 "
                "or a host name)"
            )
        if not 1 <= self.port <= 65_535:
            raise ValidationError("the printer port must be between 1 and 65535 (usually 9100)")
        if not MIN_WIDTH <= self.paper_width_chars <= MAX_WIDTH:
            raise ValidationError(
                f"paper width must be {MIN_WIDTH} to {MAX_WIDTH} characters "
                f"({WIDTH_58MM} for 58 mm paper, {WIDTH_80MM} or {WIDTH_80MM_WIDE} for 80 mm)"
            )
        if self.has_cash_drawer and self.role is not PrinterRole.RECEIPT:
            raise ValidationError("a cash drawer is wired to the receipt printer")

    @property
    def label(self) -> str:
        """How the cashier knows it: ``Kitchen (10.0.0.5)``."""
        return f"{self.name} ({self.host})"


def route_kitchen_lines(
    lines: Sequence[OrderLine], printers: Iterable[PrinterConfig]
) -> dict[UUID, tuple[OrderLine, ...]]:
    """Which lines each kitchen printer prints, by the product's category.

    Only enabled printers count. A category listed on two printers (the grill and the expo
    station) prints on both; a line whose category no printer lists prints nowhere, and a
    printer with no matching line gets no ticket. Lines keep their order on the order.
    """
    routed: dict[UUID, tuple[OrderLine, ...]] = {}
    for printer in printers:
        if not printer.enabled or not printer.category_ids:
            continue
        mine = tuple(
            line
            for line in lines
            if line.category_id is not None and line.category_id in printer.category_ids
        )
        if mine:
            routed[printer.id] = mine
    return routed


class JobKind(StrEnum):
    RECEIPT = "receipt"
    KITCHEN = "kitchen"
    DRAWER = "drawer"
    REPRINT = "reprint"
    REFUND = "refund"
    TEST = "test"


class JobStatus(StrEnum):
    QUEUED = "queued"
    PRINTING = "printing"
    """Claimed by the worker; if it stays so past its lease, the worker crashed mid-send."""
    PRINTED = "printed"
    FAILED = "failed"
    """Given up for a reason a person must act on (printer disabled, drawer kick too late)."""


PENDING_STATUSES: Final = (JobStatus.QUEUED, JobStatus.PRINTING)


@dataclass(frozen=True, slots=True)
class PrintJobRecord:
    id: UUID
    printer_id: UUID
    kind: JobKind
    order_id: UUID | None
    status: JobStatus
    attempts: int
    last_error: str | None
    next_attempt_at: datetime
    created_at: datetime
    printed_at: datetime | None


@dataclass(frozen=True, slots=True)
class ClaimedJob:
    """A job the worker now holds: its bytes and the printer they go to."""

    record: PrintJobRecord
    payload: bytes
    printer: PrinterConfig


@dataclass(frozen=True, slots=True)
class PrinterQueueStatus:
    printer: PrinterConfig
    pending: int
    """Jobs still to print (queued, or being sent)."""
    failed: int
    """Jobs given up on, waiting for someone to reprint or re-queue them."""
    last_error: str | None
    """Why the oldest pending job has not printed yet; None when nothing is stuck."""
    oldest_pending_at: datetime | None
    last_printed_at: datetime | None
