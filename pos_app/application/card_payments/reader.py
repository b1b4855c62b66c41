"""The register's card reader: its saved settings in, the terminal connection out."""

from __future__ import annotations

from pos_app.config import AppConfig
from pos_app.db.database import Database
from pos_app.domain.shop import ReaderConfig, Shop
from pos_app.integrations.secrets import SecretStore
from pos_app.payments.runtime import TerminalRuntime, open_terminal


def reader_config(db: Database) -> ReaderConfig | None:
    """The reader saved in the shop's settings (None: none yet, the demo's)."""

    def read() -> ReaderConfig | None:
        with db.read() as uow:
            return uow.settings.reader()

    return db.run(read)


def connect_terminal(
    config: AppConfig, db: Database, shop: Shop, *, secrets: SecretStore | None = None
) -> TerminalRuntime:
    """`open_terminal` with the saved reader; a reader it registers is saved in settings.
    Network calls: run it off the GUI thread (its transactions run on the database worker)."""
    runtime = open_terminal(config, reader_config(db), shop, secrets=secrets)
    registered = runtime.registered
    if registered is not None:

        def save() -> None:
            with db.write() as uow:
                uow.settings.save_reader(registered)

        try:
            db.run(save)
        except BaseException:
            runtime.close()
            raise
    return runtime
