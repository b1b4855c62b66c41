"""Which card terminal this register talks to, and getting it ready.

Demo mode starts the project's Stripe emulator in-process (its simulated reader taps a card by
itself). Otherwise the key comes from ``POS_STRIPE_API_KEY`` (test set-ups) or the OS keyring,
and the endpoint from ``POS_STRIPE_API_BASE`` or Stripe itself. A register with a test key and
no reader registers Stripe's simulated reader (``simulated-wpe``); a live key needs a reader
paired by a manager.

It reads and writes no database: the application layer (`pos_app.application.card_payments.
connect_terminal`) passes the saved `ReaderConfig` in and saves the reader registered here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pos_app.config import AppConfig
from pos_app.domain.shop import ReaderConfig, Shop
from pos_app.integrations.secrets import STRIPE_KEY, SecretStore, SecretsUnavailable

if TYPE_CHECKING:
    from pos_app.payments.stripe_terminal import StripeTerminal

DEMO_STRIPE_DIR = "demo-stripe"
DEMO_AUTO_PRESENT_DELAY_S = 2.0
SIMULATED_READER_CODE = "simulated-wpe"


class CardUnavailable(Exception):
    """Card payments cannot be offered; the message says why, for the status bar."""


class CardsNotSetUp(CardUnavailable):
    """No Stripe key was ever saved for this shop (cash only, by choice): nothing is wrong,
    and the keyring is not even asked."""

    def __init__(self) -> None:
        super().__init__(
            "Cash only: a manager can set up card payments in Back office → Card reader."
        )


@dataclass
class TerminalRuntime:
    terminal: StripeTerminal
    reader_id: str
    reader_label: str
    mode: str
    emulator: Any = field(default=None, repr=False)
    registered: ReaderConfig | None = None
    """A reader registered while opening, for the caller to save (None: nothing new)."""

    def close(self) -> None:
        self.terminal.close()
        if self.emulator is not None:
            self.emulator.stop()


def is_test_key(key: str) -> bool:
    return key.startswith(("sk_test_", "rk_test_"))


def _api_key(config: AppConfig, secrets: SecretStore | None) -> str:
    if config.stripe_api_key:
        return config.stripe_api_key
    try:
        store = secrets or SecretStore()
        key = store.get(STRIPE_KEY)
    except SecretsUnavailable as error:
        raise CardUnavailable(str(error)) from error
    if not key:
        raise CardUnavailable(
            "No Stripe key is set up: a manager can add the shop's restricted key in "
            "Back office → Card reader."
        )
    return key


def open_terminal(
    config: AppConfig,
    saved: ReaderConfig | None,
    shop: Shop,
    *,
    secrets: SecretStore | None = None,
) -> TerminalRuntime:
    """Build the terminal and make sure a reader is registered (`saved`: the reader in the
    shop's settings, None for the demo's). A reader registered here comes back as
    `registered`, for the caller to save. Network calls: run it off the GUI thread."""
    from pos_app.payments.stripe_terminal import StripeSettings, StripeTerminal
    from pos_app.payments.terminal import TerminalError

    reader_config = saved or ReaderConfig("stripe", "demo", None, None, None)
    if reader_config.mode == "unset" and not config.stripe_api_key:
        # A new shop that chose cash only: a key saved later sets the mode (test or live).
        raise CardsNotSetUp()
    registered = None
    emulator = None
    if reader_config.mode == "demo" and not config.stripe_api_base:
        from pos_app.payments.emulator import StripeEmulator

        # The demo's Stripe keeps its objects in the data folder, so a card sale from an
        # earlier run can still be refunded or recovered (issue 18).
        emulator = StripeEmulator(
            auto_present_delay=DEMO_AUTO_PRESENT_DELAY_S,
            data_dir=config.data_dir / DEMO_STRIPE_DIR,
        ).start()
        settings = StripeSettings(api_key=emulator.test_key, api_base=emulator.base_url)
        # Its address changes every start, so the reader is not saved in settings: registering
        # again finds the same location, and the same reader (its idempotency key replays).
        reader_config = ReaderConfig("stripe", "demo", None, None, None)
    else:
        settings = StripeSettings(
            api_key=_api_key(config, secrets), api_base=config.stripe_api_base
        )
    terminal = StripeTerminal(settings)
    try:
        if reader_config.reader_id is None:
            if not is_test_key(settings.api_key):
                raise CardUnavailable(
                    "No card reader is paired: a manager can pair one in Back office → Card reader."
                )
            location = terminal.ensure_location(
                display_name=shop.name, idempotency_key=f"location-{shop.register_id}"
            )
            reader = terminal.register_reader(
                registration_code=SIMULATED_READER_CODE,
                label=shop.register_name,
                location_id=location,
                idempotency_key=f"reader-{shop.register_id}-{location}",
            )
            reader_config = ReaderConfig(
                "stripe", reader_config.mode, location, reader.reader_id, reader.label
            )
            if emulator is None:
                registered = reader_config
        assert reader_config.reader_id is not None
        return TerminalRuntime(
            terminal=terminal,
            reader_id=reader_config.reader_id,
            reader_label=reader_config.reader_label or reader_config.reader_id,
            mode=reader_config.mode,
            emulator=emulator,
            registered=registered,
        )
    except TerminalError as error:
        terminal.close()
        if emulator is not None:
            emulator.stop()
        raise CardUnavailable(str(error)) from error
    except BaseException:
        terminal.close()
        if emulator is not None:
            emulator.stop()
        raise
