"""The shop's settings row and the card-reader configuration row."""

from __future__ import annotations

from sqlalchemy.orm import Session

from pos_app.db.models import GatewayConfig, ShopSettings
from pos_app.domain.pricing import TaxMode
from pos_app.domain.shop import ReaderConfig, Shop


class SettingsRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def shop(self) -> Shop | None:
        row = self.session.get(ShopSettings, 1)
        if row is None:
            return None
        return Shop(
            name=row.shop_name,
            currency=row.currency,
            tax_mode=TaxMode(row.tax_mode),
            register_id=row.register_id,
            register_name=row.register_name,
            locale=row.locale,
            timezone=row.timezone,
            discount_threshold_ppm=row.discount_threshold_ppm,
            idle_lock_seconds=row.idle_lock_seconds,
            receipt_footer=row.receipt_footer,
            receipt_header=row.receipt_header,
            business_day_ends_minutes=row.business_day_ends_minutes,
        )

    def save_shop(self, shop: Shop) -> None:
        row = self.session.get(ShopSettings, 1) or ShopSettings(id=1)
        row.shop_name = shop.name
        row.currency = shop.currency
        row.tax_mode = shop.tax_mode.value
        row.register_id = shop.register_id
        row.register_name = shop.register_name
        row.locale = shop.locale
        row.timezone = shop.timezone
        row.discount_threshold_ppm = shop.discount_threshold_ppm
        row.idle_lock_seconds = shop.idle_lock_seconds
        row.receipt_footer = shop.receipt_footer
        row.receipt_header = shop.receipt_header
        row.business_day_ends_minutes = shop.business_day_ends_minutes
        self.session.add(row)

    def reader(self) -> ReaderConfig | None:
        row = self.session.get(GatewayConfig, 1)
        if row is None:
            return None
        return ReaderConfig(row.gateway, row.mode, row.location_id, row.reader_id, row.reader_label)

    def save_reader(self, config: ReaderConfig) -> None:
        row = self.session.get(GatewayConfig, 1) or GatewayConfig(id=1)
        row.gateway = config.gateway
        row.mode = config.mode
        row.location_id = config.location_id
        row.reader_id = config.reader_id
        row.reader_label = config.reader_label
        self.session.add(row)
