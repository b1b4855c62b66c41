"""The shop a register belongs to, as the domain sees it."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from pos_app.domain.business_day import check_day_end
from pos_app.domain.errors import ValidationError
from pos_app.domain.money import PPM, check_currency
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
    """Sign the cashier out after this long without a touch or a key (0: never)."""
    receipt_footer: str = ""
    receipt_header: str = ""
    """Lines printed under the shop's name on every receipt (address, tax number...)."""
    business_day_ends_minutes: int = 0
    """When the business day ends, in minutes after local midnight (see `business_day`)."""

    def __post_init__(self) -> None:
        check_currency(self.currency)
        check_day_end(self.business_day_ends_minutes)


MAX_IDLE_LOCK_MINUTES = 60
RECEIPT_TEXT_MAX_LINES = 4
RECEIPT_LINE_MAX = 32
"""A receipt line fits 58 mm paper (32 characters), so it prints whole on every printer."""


def check_idle_lock_minutes(minutes: int) -> int:
    if not 0 <= minutes <= MAX_IDLE_LOCK_MINUTES:
        raise ValidationError("the idle lock is 0 (never) to 60 minutes")
    return minutes


def check_discount_limit(ppm: int) -> int:
    if not 0 <= ppm <= PPM:
        raise ValidationError("the discount limit is 0 to 100 %")
    return ppm


def clean_receipt_text(text: str) -> str:
    """The receipt header or footer as saved: trimmed lines, no blank ones; refused when it
    would not fit (too many lines, a line wider than 58 mm paper)."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    if len(lines) > RECEIPT_TEXT_MAX_LINES:
        raise ValidationError("a receipt header or footer has at most 4 lines")
    for line in lines:
        if len(line) > RECEIPT_LINE_MAX:
            raise ValidationError("a receipt line can be at most 32 characters")
    return "\n".join(lines)  # 4 × 32 characters: within the columns' 200


@dataclass(frozen=True, slots=True)
class ReaderConfig:
    gateway: str
    mode: str
    location_id: str | None
    reader_id: str | None
    reader_label: str | None
