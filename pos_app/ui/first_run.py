"""First run: try the demo, set up a new shop, or join a shop by pairing with its sync server;
then, optionally, the shop's Stripe restricted key (kept in the OS keyring).

Every network call and database write runs as a background operation; the window stays live.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from pos_app.application.settings import (
    RegisterDatabase,
    SavedKey,
    ShopSetup,
    check_stripe_key,
)
from pos_app.application.sync import SyncEngine, default_client_factory
from pos_app.config import AppConfig
from pos_app.domain.errors import DomainError
from pos_app.domain.money import CURRENCY_EXPONENTS
from pos_app.domain.pricing import TaxMode
from pos_app.integrations.secrets import SecretStore, SecretsUnavailable
from pos_app.integrations.sync_client import SyncError
from pos_app.ui.formatting import sentence
from pos_app.ui.session import translate_message
from pos_app.ui.tasks import TaskRunner
from pos_app.ui.widgets.common import Banner, button, label

log = logging.getLogger(__name__)

COMMON_TIMEZONES = (
    "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
    "America/Sao_Paulo", "America/Mexico_City", "Europe/London", "Europe/Paris",
    "Europe/Berlin", "Europe/Lisbon", "Asia/Tokyo", "Australia/Sydney", "UTC",
)  # fmt: skip


@dataclass(frozen=True)
class FirstRunResult:
    demo: bool
    """The person chose the demo: start the counter in demo mode."""


class FirstRunWizard(QWidget):
    sig_finished = Signal(object)
    """A `FirstRunResult` once the register is ready (or the demo was chosen)."""

    def __init__(
        self,
        config: AppConfig,
        db: RegisterDatabase,
        runner: TaskRunner,
        *,
        secrets: SecretStore | None = None,
        sync_engine: SyncEngine | None = None,
    ) -> None:
        super().__init__()
        self.config = config
        self.runner = runner
        self.setup = ShopSetup(db, secrets=secrets)
        self.engine = sync_engine or SyncEngine(
            db, secrets=secrets, client_factory=default_client_factory(config.sync_ca_file)
        )
        self.setWindowTitle(self.tr("Counter POS — set-up"))
        # Less than 1024×768: the app sizes the wizard to the screen, and a 768-pixel-high
        # one less a title bar and a task bar leaves it 688.
        self.setMinimumSize(800, 680)
        root = QVBoxLayout(self)
        self.banner = Banner()
        root.addWidget(self.banner)
        self.stack = QStackedWidget()
        root.addWidget(self.stack, 1)
        self.welcome = self._welcome_page()
        self.new_shop = self._new_shop_page()
        self.pairing = self._pair_page()
        self.card = self._card_page()
        for page in (self.welcome, self.new_shop, self.pairing, self.card):
            self.stack.addWidget(page)
        # Each form starts with its first field ready for typing (no Tab first).
        self._first_fields: dict[QWidget, QWidget] = {
            self.new_shop: self.shop_name,
            self.pairing: self.server_url,
            self.card: self.stripe_key,
        }
        self.stack.currentChanged.connect(self._focus_first_field)

    def _focus_first_field(self, _index: int) -> None:
        page = self.stack.currentWidget()
        field = self._first_fields.get(page) if page is not None else None
        if field is not None:
            field.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- plumbing -------------------------------------------------------------------------

    def _error(self, error: BaseException | str) -> None:
        self._busy(False)
        if isinstance(error, str):
            text = error
        elif isinstance(error, DomainError):
            text = translate_message(str(error))
        elif isinstance(error, (SyncError, SecretsUnavailable)):
            text = sentence(str(error))
        else:
            log.exception("set-up step failed", exc_info=error)
            text = self.tr("That did not work: {error}").format(error=error)
        self.banner.show_message(text, "error")

    def _busy(self, busy: bool) -> None:
        page = self.stack.currentWidget()
        if page is not None:
            page.setEnabled(not busy)

    def _run(self, fn: Callable[[], Any], done: Callable[[Any], None], *, network: bool) -> None:
        self.banner.hide()
        self._busy(True)

        def finished(value: Any) -> None:
            self._busy(False)
            done(value)

        (self.runner.run_net if network else self.runner.run_db)(fn, finished, self._error)

    def _page(self, title: str, subtitle: str) -> tuple[QWidget, QVBoxLayout]:
        page = QWidget()
        layout = QVBoxLayout(page)
        heading = label(title, "Title")
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(heading)
        explanation = label(subtitle, "Subtitle")
        explanation.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(explanation)
        return page, layout

    # --- welcome ------------------------------------------------------------------------------

    def _welcome_page(self) -> QWidget:
        page, layout = self._page(
            self.tr("Welcome to Counter POS"), self.tr("How will this register be used?")
        )
        layout.addStretch(1)
        for text, slot, name in (
            (
                self.tr("Set up a new shop"),
                lambda: self.stack.setCurrentWidget(self.new_shop),
                "NewShop",
            ),
            (
                self.tr("Join a shop: pair with its sync server"),
                lambda: self.stack.setCurrentWidget(self.pairing),
                "JoinShop",
            ),
            (self.tr("Try the demo (a sample café, no real money)"), self._demo, "TryDemo"),
        ):
            choice = button(text, "primary" if name == "NewShop" else None)
            choice.setObjectName(name)
            choice.setMinimumHeight(80)
            choice.clicked.connect(slot)
            layout.addWidget(choice)
        layout.addStretch(1)
        return page

    def _demo(self) -> None:
        self.sig_finished.emit(FirstRunResult(demo=True))

    # --- a new shop -------------------------------------------------------------------------

    def _new_shop_page(self) -> QWidget:
        page, layout = self._page(
            self.tr("A new shop"), self.tr("Name the shop and its first owner.")
        )
        form = QFormLayout()
        self.shop_name = QLineEdit()
        self.shop_name.setObjectName("ShopName")
        self.currency = QComboBox()
        for code in sorted(CURRENCY_EXPONENTS):
            self.currency.addItem(code, code)
        self.currency.setCurrentText("USD")
        self.tax_mode = QComboBox()
        self.tax_mode.addItem(self.tr("Prices exclude tax (US)"), TaxMode.EXCLUSIVE.value)
        self.tax_mode.addItem(self.tr("Prices include tax (VAT, Brazil)"), TaxMode.INCLUSIVE.value)
        self.timezone = QComboBox()
        self.timezone.setEditable(True)
        self.timezone.addItems(list(COMMON_TIMEZONES))
        self.language = QComboBox()
        self.language.addItem("English (US)", "en_US")
        self.language.addItem("Português (Brasil)", "pt_BR")
        self.owner_name = QLineEdit()
        self.owner_name.setObjectName("OwnerName")
        self.owner_pin = QLineEdit()
        self.owner_pin.setObjectName("OwnerPin")
        self.owner_pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.owner_pin_again = QLineEdit()
        self.owner_pin_again.setObjectName("OwnerPinAgain")
        self.owner_pin_again.setEchoMode(QLineEdit.EchoMode.Password)
        self.owner_pin_again.returnPressed.connect(self.create_shop)  # Enter: the form's action
        for text, field in (
            (self.tr("Shop name"), self.shop_name),
            (self.tr("Currency"), self.currency),
            (self.tr("Tax"), self.tax_mode),
            (self.tr("Time zone"), self.timezone),
            (self.tr("Language"), self.language),
            (self.tr("Owner's name"), self.owner_name),
            (self.tr("Owner's PIN (4–8 digits)"), self.owner_pin),
            (self.tr("PIN again"), self.owner_pin_again),
        ):
            form.addRow(text, field)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addLayout(self._nav(self.tr("Create the shop"), self.create_shop, "CreateShop"))
        return page

    def _nav(self, text: str, action: Callable[[], None], name: str) -> QHBoxLayout:
        row = QHBoxLayout()
        back = button(self.tr("Back"))
        back.clicked.connect(lambda: self.stack.setCurrentWidget(self.welcome))
        go = button(text, "primary")
        go.setObjectName(name)
        go.clicked.connect(action)
        row.addWidget(back, 1)
        row.addWidget(go, 2)
        return row

    def create_shop(self) -> None:
        # The service checks every value (as it does for `pos-app setup`); only the repeated
        # PIN is this screen's own.
        name = self.shop_name.text()
        owner = self.owner_name.text()
        pin = self.owner_pin.text()
        if pin != self.owner_pin_again.text():
            self._error(self.tr("The two PINs are different."))
            return
        currency = str(self.currency.currentData())
        tax_mode = TaxMode(str(self.tax_mode.currentData()))
        timezone = self.timezone.currentText().strip()
        locale = str(self.language.currentData())

        def create() -> None:
            self.setup.create_shop(
                name=name,
                currency=currency,
                tax_mode=tax_mode,
                locale=locale,
                timezone=timezone,
                owner_name=owner,
                owner_pin=pin,
            )

        self._run(create, lambda _none: self.stack.setCurrentWidget(self.card), network=False)

    # --- pairing ------------------------------------------------------------------------------

    def _pair_page(self) -> QWidget:
        page, layout = self._page(
            self.tr("Join a shop"),
            self.tr(
                "On the server, run “sync-server devices pair-code --tenant SHOP” and type "
                "the code here. It works once, for 15 minutes."
            ),
        )
        form = QFormLayout()
        self.server_url = QLineEdit()
        self.server_url.setObjectName("ServerUrl")
        self.server_url.setPlaceholderText("https://sync.example.com")
        self.pair_code = QLineEdit()
        self.pair_code.setObjectName("PairCode")
        self.register_name = QLineEdit(self.tr("Register 2"))
        self.register_name.setObjectName("RegisterName")
        form.addRow(self.tr("Server address"), self.server_url)
        form.addRow(self.tr("Pairing code"), self.pair_code)
        form.addRow(self.tr("This register's name"), self.register_name)
        layout.addLayout(form)
        self.pair_status = label("", "Status")
        layout.addWidget(self.pair_status)
        layout.addStretch(1)
        layout.addLayout(self._nav(self.tr("Pair"), self.pair, "Pair"))
        return page

    def pair(self) -> None:
        server = self.server_url.text().strip()
        code = self.pair_code.text().strip()
        name = self.register_name.text().strip() or "Register"
        if not server or not code:
            self._error(self.tr("Enter the server address and the pairing code."))
            return
        self.pair_status.setText(self.tr("Pairing…"))

        def pair() -> str:
            result = self.engine.pair(server_url=server, code=code, device_name=name)
            try:
                report = self.engine.sync_once()
            except (SyncError, OSError) as error:
                return self.tr(
                    "Paired with {shop}. The first sync failed ({error}); it will retry by itself."
                ).format(shop=result.tenant.get("name"), error=error)
            return self.tr("Paired with {shop}: {count} items received.").format(
                shop=result.tenant.get("name"), count=report.pulled
            )

        def paired(message: str) -> None:
            self.pair_status.setText(message)
            self.banner.show_message(message, "info")
            self.stack.setCurrentWidget(self.card)

        self._run(pair, paired, network=True)

    # --- card payments ------------------------------------------------------------------------

    def _card_page(self) -> QWidget:
        page, layout = self._page(
            self.tr("Card payments"),
            self.tr(
                "Paste the shop's Stripe restricted key (rk_live_… or rk_test_…). It is kept "
                "in this computer's keyring, never in a file. You can do this later in "
                "the back office."
            ),
        )
        form = QFormLayout()
        self.stripe_key = QLineEdit()
        self.stripe_key.setObjectName("StripeKey")
        self.stripe_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.stripe_key.returnPressed.connect(self.save_key)
        form.addRow(self.tr("Stripe key"), self.stripe_key)
        layout.addLayout(form)
        self.key_status = label("", "Muted")
        layout.addWidget(self.key_status)
        layout.addStretch(1)
        row = QHBoxLayout()
        skip = button(self.tr("Skip: cash only for now"))
        skip.setObjectName("SkipCard")
        skip.clicked.connect(self.finish)
        save = button(self.tr("Save the key and finish"), "primary")
        save.setObjectName("SaveKey")
        save.clicked.connect(self.save_key)
        row.addWidget(skip, 1)
        row.addWidget(save, 2)
        layout.addLayout(row)
        return page

    def save_key(self) -> None:
        key = self.stripe_key.text().strip()
        try:
            check_stripe_key(key)
        except DomainError as error:
            self._error(error)
            return

        def saved(result: SavedKey) -> None:
            self.stripe_key.clear()
            self.key_status.setText(self.tr("Saved {key}").format(key=result.redacted))
            self.finish()

        self._run(lambda: self.setup.save_stripe_key(key), saved, network=False)

    def finish(self) -> None:
        self.sig_finished.emit(FirstRunResult(demo=False))
