"""The shop's settings: setting up a new shop, the business day, the Stripe key (kept in the
OS keyring) and the card reader's configuration.

Saving the Stripe key is one operation for the first-run screen and the back office alike:
the key is checked, kept in the keyring, the reader configuration follows its mode, and the
change is audited (with the key redacted)."""

from __future__ import annotations

from dataclasses import dataclass

from pos_app.application._area import Area
from pos_app.config import AppConfig
from pos_app.db.database import Database
from pos_app.domain.pricing import TaxMode
from pos_app.domain.shop import ReaderConfig, Shop
from pos_app.domain.staff import Authorization, StaffMember
from pos_app.integrations.secrets import SecretStore, redact
from pos_app.services import card_reader, setup
from pos_app.services import reports as reports_service

RegisterDatabase = Database
"""The register's database as screens hand it along (to a `ShopSetup`), never opening it."""


@dataclass(frozen=True, slots=True)
class SavedKey:
    redacted: str
    """The key as screens may show it: its kind and last four characters."""
    reader: ReaderConfig
    """The reader configuration saved with it (kept on a rotated key, unpaired on a new mode)."""


def check_stripe_key(key: str) -> str:
    """ "test" or "live" for a Stripe secret or restricted key; a `ValidationError` for
    anything else. Screens call it to answer at once; saving checks again."""
    return card_reader.key_mode(key)


def save_stripe_key(
    db: Database,
    key: str,
    *,
    staff: StaffMember | None = None,
    secrets: SecretStore | None = None,
) -> SavedKey:
    """Keep the shop's Stripe key in the keyring and the reader configuration in step with its
    mode; audited as `settings.stripe_key` with the key redacted. Writes the database (and
    the keyring, which may block or prompt): run it as a database operation."""
    key = key.strip()
    mode = check_stripe_key(key)
    card_reader.store_key(key, secrets=secrets)
    with db.write() as uow:
        reader = card_reader.reader_after_key_change(uow.settings.reader(), mode)
        uow.settings.save_reader(reader)
        uow.audit.record(
            "settings.stripe_key",
            staff_id=staff.id if staff else None,
            details={"key": redact(key)},
        )
    return SavedKey(redact(key), reader)


class ShopSetup:
    """The first run's operations, before this register has a shop (and so a `Register`)."""

    def __init__(self, db: Database, *, secrets: SecretStore | None = None) -> None:
        self.db = db
        self.secrets = secrets

    def create_shop(
        self,
        *,
        name: str,
        currency: str,
        tax_mode: TaxMode,
        locale: str,
        timezone: str,
        owner_name: str | None,
        owner_pin: str | None,
    ) -> Shop:
        """A new shop and its first owner, for the first-run screen and `pos-app setup`:
        every value is checked by `services.setup.initialize_shop`, which audits it."""
        with self.db.write() as uow:
            return setup.initialize_shop(
                uow,
                name=name,
                currency=currency,
                tax_mode=tax_mode,
                locale=locale,
                timezone=timezone,
                owner_name=owner_name,
                owner_pin=owner_pin,
            )

    def save_stripe_key(self, key: str) -> SavedKey:
        return save_stripe_key(self.db, key, secrets=self.secrets)


class Settings(Area):
    def set_business_day_end(self, minutes: int, *, authorization: Authorization) -> Shop:
        """When the shop's business day ends (minutes after local midnight); returns the shop
        as saved, for the caller to use from now on."""
        with self.db.write() as uow:
            return reports_service.set_business_day_end(
                uow, shop=self.shop, authorization=authorization, minutes=minutes
            )

    # --- the Stripe key and the card reader ------------------------------------------------

    def reader(self) -> ReaderConfig | None:
        with self.db.read() as uow:
            return uow.settings.reader()

    def stored_stripe_key(self, *, secrets: SecretStore | None = None) -> str:
        """The saved key, redacted ("" without one: the screen says so in its language).
        Reads the keyring, which may block: run it on the network pool."""
        key = card_reader.stored_key(secrets=secrets)
        return redact(key) if key else ""

    def save_stripe_key(
        self,
        key: str,
        *,
        staff: StaffMember | None = None,
        secrets: SecretStore | None = None,
    ) -> SavedKey:
        return save_stripe_key(self.db, key, staff=staff, secrets=secrets)

    def register_reader(
        self,
        config: AppConfig,
        *,
        registration_code: str,
        label: str,
        secrets: SecretStore | None = None,
    ) -> ReaderConfig:
        """Register a reader with Stripe, in the shop's location. Network only (nothing is
        saved): run it on the network pool, then `save_reader` what it returns."""
        return card_reader.pair_reader(
            config, self.shop, registration_code=registration_code, label=label, secrets=secrets
        )

    def save_reader(self, reader: ReaderConfig, *, staff: StaffMember | None = None) -> None:
        """Keep a newly paired reader's configuration; audited as `settings.reader_paired`."""
        with self.db.write() as uow:
            uow.settings.save_reader(reader)
            uow.audit.record(
                "settings.reader_paired",
                staff_id=staff.id if staff else None,
                details={
                    "mode": reader.mode,
                    "reader_id": reader.reader_id,
                    "label": reader.reader_label,
                },
            )
