"""Changes waiting to go to the sync server, and the ones it refused."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    seq: int
    entity: str
    entity_id: UUID
    payload: dict[str, Any]
    created_at: datetime


@dataclass(frozen=True, slots=True)
class RefusedEntry:
    """A change the sync server refused, with its reason code and sentence."""

    seq: int
    entity: str
    entity_id: UUID
    payload: dict[str, Any]
    created_at: datetime
    refused_at: datetime
    code: str
    reason: str
