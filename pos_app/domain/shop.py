"""The shop a register belongs to, as the domain sees it."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from pos_app.domain.business_day import check_day_end
from pos_app.domain.money import check_currency
from pos_app.domain.pricing import TaxMode

SHOP_LOCALES = ("en_US", "pt_BR")
"""The languages a shop can be set up in: the ones the register ships translations for."""


@dataclass(frozen=True, slots=True)
class Shop:
    name: str
    currency: str
    tax_mode: TaxMode
    register_id: UUID
    register_name: str = "Register 1"
    locale: str = "en_US"
    timezone: str = "UTC"
    discount_threshold_ppm: int = 100_000
    """Discounts above this share of the amount need the LARGE_DISCOUNT permission (10 %)."""
    idle_lock_seconds: int = 120
    receipt_footer: str = ""
    business_day_ends_minutes: int = 0
    """When the business day ends, in minutes after local midnight (see `business_day`)."""

    def __post_init__(self) -> None:
        check_currency(self.currency)
        check_day_end(self.business_day_ends_minutes)


@dataclass(frozen=True, slots=True)
class ReaderConfig:
    gateway: str
    mode: str
    location_id: str | None
    reader_id: str | None
    reader_label: str | None
