"""The shop's settings: setting up a new shop, the business day, the counter's settings (idle
lock, discount limit, receipt lines), printers and the cash drawer, the Stripe key (kept in the
OS keyring) and the card reader's configuration.

Saving the Stripe key is one operation for the first-run screen and the back office alike:
the key is checked, kept in the keyring, the reader configuration follows its mode, and the
change is audited (with the key redacted)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from uuid import UUID

from pos_app.application._area import Area
from pos_app.config import AppConfig
from pos_app.db.database import Database
from pos_app.domain.errors import NotFound, PermissionDenied, ValidationError
from pos_app.domain.fee_invoices import FeeInvoices
from pos_app.domain.pricing import TaxMode
from pos_app.domain.shop import ReaderConfig, Shop
from pos_app.domain.staff import Authorization, Permission, StaffMember
from pos_app.integrations.secrets import SecretStore, redact
from pos_app.services import card_reader, setup, shop_settings
from pos_app.services import reports as reports_service
from pos_app.services.shop_settings import CounterSettings

__all__ = [
    "CounterSettings",
    "RegisterDatabase",
    "SavedKey",
    "Settings",
    "ShopSetup",
    "check_stripe_key",
    "save_stripe_key",
]

if TYPE_CHECKING:
    from pos_app.application.sync import OwnerInvitation
    from pos_app.domain.printers import PrinterConfig, PrinterQueueStatus

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


def _require_settings(authorization: Authorization) -> None:
    if authorization.permission is not Permission.MANAGE_SETTINGS:
        raise PermissionDenied("printer set-up needs the settings permission")


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

    # --- the counter: idle lock, discount limit, receipt lines ------------------------------

    def counter_settings(self) -> CounterSettings:
        """The idle lock, the discount limit and the receipt lines, as saved."""
        with self.db.read() as uow:
            return CounterSettings.of(uow.settings.shop() or self.shop)

    def save_counter_settings(
        self, settings: CounterSettings, *, authorization: Authorization
    ) -> Shop:
        """Check and save them (audited as `settings.counter`); returns the shop as saved,
        which the caller hands to the counter (`session.set_shop`) for its next action."""
        with self.db.write() as uow:
            return shop_settings.save_counter_settings(
                uow, shop=self.shop, settings=settings, authorization=authorization
            )

    # --- printers and the cash drawer ---------------------------------------------------------
    # The printing service is imported inside each method: python-escpos is heavy, and the
    # counter starts without it.

    def printers(self) -> list[PrinterQueueStatus]:
        """Every printer, with its queue: how many jobs wait, how many failed, the last error."""
        from pos_app.services import printing

        with self.db.read() as uow:
            return list(printing.queue_status(uow).printers)

    def save_printer(
        self, printer: PrinterConfig, *, authorization: Authorization
    ) -> PrinterConfig:
        """Add or change a printer (one enabled receipt printer; a drawer only on it);
        audited as `printer.saved`."""
        from pos_app.services import printing

        with self.db.write() as uow:
            return printing.save_printer(uow, printer=printer, authorization=authorization)

    def remove_printer(self, printer_id: UUID, *, authorization: Authorization) -> None:
        """Remove a printer with nothing left to print; audited as `printer.removed`."""
        from pos_app.services import printing

        with self.db.write() as uow:
            printing.remove_printer(uow, printer_id=printer_id, authorization=authorization)

    def print_test_page(self, printer_id: UUID, *, authorization: Authorization) -> UUID:
        """Queue a test page on the printer (the print queue sends it); audited as
        `printer.test_page`. Returns the print job."""
        from pos_app.services import printing

        _require_settings(authorization)
        with self.db.write() as uow:
            job_id = printing.print_test_page(uow, printer_id=printer_id, shop=self.shop)
            uow.audit.record(
                "printer.test_page",
                staff_id=authorization.actor.id,
                approved_by_id=authorization.approver.id if authorization.approver else None,
                details={"printer_id": str(printer_id), "job_id": str(job_id)},
            )
            return job_id

    def test_drawer(self, printer_id: UUID, *, authorization: Authorization) -> UUID:
        """Queue a kick of the cash drawer wired to this printer (the print queue sends it);
        audited as `drawer.test`. Returns the print job."""
        from pos_app.services import printing

        _require_settings(authorization)
        with self.db.write() as uow:
            printer = uow.printing.printer(printer_id)
            if printer is None:
                raise NotFound("that printer is no longer set up")
            drawer = printing.drawer_printer(uow)
            if drawer is None or drawer.id != printer_id:
                raise ValidationError("no cash drawer is wired to this printer")
            job_id = printing.enqueue_drawer_kick(uow)
            assert job_id is not None
            uow.audit.record(
                "drawer.test",
                staff_id=authorization.actor.id,
                approved_by_id=authorization.approver.id if authorization.approver else None,
                details={"printer_id": str(printer_id), "job_id": str(job_id)},
            )
            return job_id

    def retry_printer(self, printer_id: UUID, *, staff: StaffMember) -> int:
        """The printer is back: queue its failed jobs again (drawer kicks excepted, audited)
        and send what waits now rather than after the backoff. Returns the jobs requeued."""
        from pos_app.services import printing

        with self.db.write() as uow:
            count = printing.requeue_failed(uow, staff=staff, printer_id=printer_id)
            printing.retry_now(uow, printer_id=printer_id)
            return count

    # --- pairing with the shop's sync server -------------------------------------------------

    def pair_with_server(
        self,
        config: AppConfig,
        *,
        server_url: str,
        code: str,
        authorization: Authorization,
        secrets: SecretStore | None = None,
    ) -> str:
        """Pair this (set-up) register with its shop's sync server using a one-time code;
        audited as `settings.paired`. Returns the shop's name on the server. Writes the
        database and the keyring around one request to the server: run it as a database
        operation (the running sync loop picks the pairing up on its next round)."""
        from pos_app.application.sync import SyncEngine, default_client_factory

        _require_settings(authorization)
        if not server_url.strip() or not code.strip():
            raise ValidationError("enter the server address and the pairing code")
        engine = SyncEngine(
            self.db, client_factory=default_client_factory(config.sync_ca_file), secrets=secrets
        )
        try:
            result = engine.pair(
                server_url=server_url.strip(),
                code=code.strip(),
                device_name=self.shop.register_name,
            )
        finally:
            engine.close()
        shop_name = str(result.tenant.get("name") or "")
        with self.db.write() as uow:
            uow.audit.record(
                "settings.paired",
                staff_id=authorization.actor.id,
                approved_by_id=authorization.approver.id if authorization.approver else None,
                details={"server": server_url.strip(), "device_id": result.device_id},
            )
        return shop_name

    def invite_owner(
        self,
        config: AppConfig,
        *,
        email: str,
        authorization: Authorization,
        secrets: SecretStore | None = None,
        retry_delay_s: float = 1.0,
    ) -> OwnerInvitation:
        """Back office → Fees & web console: invite `email` to own this shop in the sync
        server's web console (the server emails a one-time set-password link). Needs the
        settings permission (a manager's PIN); audited as `settings.owner_invited`. Network
        work: run it on the network pool (its few database writes go to the database worker).
        Raises `OwnerInviteFailed` (not paired, offline, refused, too many) or
        `ValidationError` (no email)."""
        from pos_app.application.sync import SyncEngine, default_client_factory
        from pos_app.application.workers import DATABASE_WORKER

        if authorization.permission is not Permission.MANAGE_SETTINGS:
            raise PermissionDenied("inviting an owner needs the settings permission")
        engine = SyncEngine(
            self.db, client_factory=default_client_factory(config.sync_ca_file), secrets=secrets
        )
        invited = engine.invite_owner(email, retry_delay_s=retry_delay_s)

        def audit() -> None:
            with self.db.write() as uow:
                uow.audit.record(
                    "settings.owner_invited",
                    staff_id=authorization.actor.id,
                    approved_by_id=authorization.approver.id if authorization.approver else None,
                    details={"email": invited.email, "replayed": invited.replayed},
                )

        DATABASE_WORKER.run(audit)
        return invited

    # --- the platform's fee invoices --------------------------------------------------------

    def fee_invoices(self) -> FeeInvoices | None:
        """The shop's fee invoices as the sync server last told this register (None: never
        read). A database read."""
        from pos_app.application.sync import SyncEngine

        return SyncEngine(self.db).fee_invoices()

    def read_fee_invoices(
        self, config: AppConfig, *, secrets: SecretStore | None = None
    ) -> FeeInvoices:
        """Ask the sync server for them now (Back office → Fees & web console). Network work:
        run it on the network pool. Raises `SyncUnavailable` (not paired) or `SyncError`."""
        from pos_app.application.sync import SyncEngine, default_client_factory

        engine = SyncEngine(
            self.db, client_factory=default_client_factory(config.sync_ca_file), secrets=secrets
        )
        try:
            return engine.read_fee_invoices()
        finally:
            engine.close()

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
