"""What the API says about a tenant (a shop)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import time

from pydantic import BaseModel


@dataclass(frozen=True, slots=True)
class Tenant:
    id: uuid.UUID
    slug: str
    name: str
    currency: str
    timezone: str
    day_ends_at: time = time(0)
    """When the shop's business day ends on its wall clock (00:00-11:59; midnight by default):
    a day named D runs from D at this time to D + 1 at this time."""
    locale: str = ""
    """The console's language for the shop's owners (`en_US`, `pt_BR`); empty means the rule
    `default_locale` (a tenant built before the setting existed)."""

    @property
    def reading_locale(self) -> str:
        return self.locale or default_locale(self.currency)


LOCALES = ("en_US", "pt_BR")
LATEST_DAY_END = time(12, 0)
"""The first time a business day may not end at (the register has the same limit)."""


def default_locale(currency: str) -> str:
    """A new shop's locale: Brazilian Portuguese for a shop in reais, English otherwise."""
    return "pt_BR" if currency == "BRL" else "en_US"


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
