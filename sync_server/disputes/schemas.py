"""A card dispute (chargeback) as the platform records it. Stripe's enums are mapped at the edge."""

from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StrictInt

DISPUTE_STATUSES = (
    "warning_needs_response", "warning_under_review", "warning_closed", "needs_response",
    "under_review", "won", "lost", "prevented",
)  # fmt: skip


class DisputeIn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: Annotated[str, Field(min_length=1, max_length=64)]
    order_id: uuid.UUID | None = None
    charge_id: Annotated[str, Field(max_length=64)] | None = None
    amount_minor: Annotated[StrictInt, Field(ge=0, le=10**15)]
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    reason: Annotated[str, Field(max_length=64)] = ""
    status: Annotated[str, Field(min_length=1, max_length=32)]
    evidence_due_by: AwareDatetime | None = None
    fee_minor: Annotated[StrictInt, Field(ge=0, le=10**15)] = 0
    outcome: Annotated[str, Field(max_length=64)] | None = None
    updated_at: AwareDatetime
