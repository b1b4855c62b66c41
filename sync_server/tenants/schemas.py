"""What the API says about a tenant (a shop)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from pydantic import BaseModel


@dataclass(frozen=True, slots=True)
class Tenant:
    id: uuid.UUID
    slug: str
    name: str
    currency: str
    timezone: str


class TenantOut(BaseModel):
    id: uuid.UUID
    slug: str
    name: str
    currency: str
    timezone: str

    @classmethod
    def of(cls, tenant: Tenant) -> TenantOut:
        return cls(
            id=tenant.id,
            slug=tenant.slug,
            name=tenant.name,
            currency=tenant.currency,
            timezone=tenant.timezone,
        )
