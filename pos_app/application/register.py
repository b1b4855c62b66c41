"""The register: its database and shop, and the application API's areas.

`register.sales`, `.shifts`, `.history`, `.refunds`, `.access`, `.cards` (the counter),
`.catalog`, `.staff`, `.settings`, `.reports` (the back office). The GUI calls them through
background operations; `pos-app sale`, `pos-app report`, the soak and the tests call them
directly.
"""

from __future__ import annotations

from pos_app.application.access import Access
from pos_app.application.cards import Cards
from pos_app.application.catalog import Catalog
from pos_app.application.history import History
from pos_app.application.refunds import Refunds
from pos_app.application.reports import Reports
from pos_app.application.sales import Sales
from pos_app.application.settings import Settings
from pos_app.application.shifts import Shifts
from pos_app.application.staff import Staff
from pos_app.config import AppConfig
from pos_app.db.database import Database
from pos_app.domain.errors import DomainError
from pos_app.domain.shop import Shop
from pos_app.services.setup import seed_demo


class Register:
    def __init__(self, db: Database, shop: Shop, config: AppConfig | None = None) -> None:
        self.db = db
        self.shop = shop
        self.config = config
        self.sales = Sales(self)
        self.shifts = Shifts(self)
        self.history = History(self)
        self.refunds = Refunds(self)
        self.access = Access(self)
        self.cards = Cards(self)
        self.catalog = Catalog(self)
        self.staff = Staff(self)
        self.settings = Settings(self)
        self.reports = Reports(self)

    @classmethod
    def open(cls, config: AppConfig, *, demo: bool = False) -> Register:
        """The register of the configuration's data directory; with `demo`, the demo shop is
        seeded first (once)."""
        db = Database(config.db_path)
        if demo:
            with db.write() as uow:
                seed_demo(uow)
        register = cls.of(db, config)
        if register is None:
            db.dispose()
            raise DomainError(
                f"no shop is set up in {config.data_dir}: run `pos-app setup` (or the app's "
                "first-run screen), pair it with `pos-app pair`, or try `pos-app demo`"
            )
        return register

    @classmethod
    def of(cls, db: Database, config: AppConfig | None = None) -> Register | None:
        """The register of an open database, or None while it has no shop (not set up, or
        its shop not yet pulled from the sync server)."""
        with db.read() as uow:
            shop = uow.settings.shop()
        return None if shop is None else cls(db, shop, config)

    def close(self) -> None:
        self.db.dispose()

    @classmethod
    def has_shop(cls, config: AppConfig) -> bool:
        """Whether a shop is set up in the configuration's data directory (else: first run)."""
        db = Database(config.db_path)
        try:
            return cls.of(db) is not None
        finally:
            db.dispose()

    def paired(self) -> bool:
        """Whether this register is paired with a sync server."""
        from pos_app.application.sync import DEVICE_ID

        with self.db.read() as uow:
            return uow.outbox.state(DEVICE_ID) is not None
