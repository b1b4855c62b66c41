"""Back office → Card reader: the mode (demo, test, live), the paired reader and whether it is
online; the shop's Stripe key (kept in the OS keyring, shown only redacted) and pairing a
reader with its registration code. Saving either reconnects the reader."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from pos_app.application.settings import SavedKey, check_stripe_key
from pos_app.domain.errors import ValidationError
from pos_app.domain.shop import ReaderConfig
from pos_app.integrations.secrets import SecretsUnavailable
from pos_app.payments.runtime import SIMULATED_READER_CODE
from pos_app.ui.session import describe_error, translate_message
from pos_app.ui.widgets.common import button, label

if TYPE_CHECKING:
    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.session import CounterSession


class CardReaderTab(QWidget):
    def __init__(self, session: CounterSession, window: MainWindow) -> None:
        super().__init__()
        self.session = session
        self.window_ = window
        self.reader: ReaderConfig | None = None
        root = QVBoxLayout(self)

        status = QGroupBox(self.tr("Reader"))
        status_form = QFormLayout(status)
        self.mode_label = label("")
        self.mode_label.setObjectName("ReaderMode")
        self.reader_label = label("")
        self.reader_label.setObjectName("ReaderName")
        self.online_label = label("", "Status")
        self.online_label.setObjectName("ReaderOnline")
        status_form.addRow(self.tr("Mode"), self.mode_label)
        status_form.addRow(self.tr("Reader"), self.reader_label)
        status_form.addRow(self.tr("State"), self.online_label)
        root.addWidget(status)

        key_box = QGroupBox(self.tr("Stripe key"))
        key_layout = QVBoxLayout(key_box)
        self.stored_label = label("", "Muted")
        self.stored_label.setObjectName("StoredKey")
        key_layout.addWidget(self.stored_label)
        key_row = QHBoxLayout()
        self.key_field = QLineEdit()
        self.key_field.setObjectName("StripeKey")
        self.key_field.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_field.setPlaceholderText(self.tr("Restricted key: rk_live_… or rk_test_…"))
        self.key_field.returnPressed.connect(self.save_key)
        self.save_key_button = button(self.tr("Save key"), "primary")
        self.save_key_button.setObjectName("SaveKey")
        self.save_key_button.clicked.connect(self.save_key)
        key_row.addWidget(self.key_field, 3)
        key_row.addWidget(self.save_key_button, 1)
        key_layout.addLayout(key_row)
        root.addWidget(key_box)

        pair_box = QGroupBox(self.tr("Pair a reader"))
        pair_layout = QHBoxLayout(pair_box)
        self.code_field = QLineEdit()
        self.code_field.setObjectName("RegistrationCode")
        self.code_field.setPlaceholderText(self.tr("Registration code shown on the reader"))
        self.label_field = QLineEdit(session.shop.register_name)
        self.label_field.setObjectName("ReaderLabel")
        self.label_field.setMaxLength(40)
        self.pair_button = button(self.tr("Register reader"))
        self.pair_button.setObjectName("RegisterReader")
        self.pair_button.clicked.connect(self.pair)
        pair_layout.addWidget(self.code_field, 2)
        pair_layout.addWidget(self.label_field, 1)
        pair_layout.addWidget(self.pair_button, 1)
        root.addWidget(pair_box)
        self.message = label("")
        self.message.setObjectName("CardReaderMessage")
        root.addWidget(self.message)
        root.addStretch(1)
        session.sig_card_changed.connect(self._show_state)
        self._show_state()

    # --- showing -----------------------------------------------------------------------------

    def refresh(self) -> None:
        settings = self.session.register.settings
        self.session.db(settings.reader, self._show_reader)

        def stored() -> str:
            return settings.stored_stripe_key()  # the keyring may block: the network pool

        def show_stored(text: str) -> None:
            self.stored_label.setText(
                self.tr("Saved key: {key}").format(key=text) if text else self.tr("No key saved")
            )

        def unavailable(error: BaseException) -> None:
            self.stored_label.setText(
                translate_message(str(error))
                if isinstance(error, SecretsUnavailable)
                else self.tr("The keyring could not be read.")
            )

        self.session.net(stored, show_stored, unavailable)

    def _show_reader(self, reader: ReaderConfig | None) -> None:
        self.reader = reader
        mode = reader.mode if reader else "demo"
        self.mode_label.setText(
            {
                "demo": self.tr("Demo (built-in practice reader, no real money)"),
                "test": self.tr("Test (Stripe test mode, no real money)"),
                "live": self.tr("Live (real payments)"),
            }.get(mode, mode)
        )
        self._show_reader_name()
        if mode != "live" and not self.code_field.text():
            self.code_field.setText(SIMULATED_READER_CODE)
        self.pair_button.setEnabled(mode != "demo")
        self.pair_button.setToolTip(
            self.tr("Save a Stripe key first: demo mode uses the practice reader.")
            if mode == "demo"
            else ""
        )

    def _show_reader_name(self) -> None:
        """The reader the counter uses: the paired one, the practice reader in demo mode, or
        the one it is connected to; "none paired" only when there really is none."""
        reader = self.reader
        state = self.session.card_state
        if reader is not None and reader.reader_id:
            text = f"{reader.reader_label or ''} ({reader.reader_id})".strip()
        elif state.available and state.text:
            text = state.text  # connected without a pairing of its own (the practice reader)
        elif reader is None or reader.mode == "demo":
            text = self.tr("The built-in practice reader (no pairing needed)")
        else:
            text = self.tr("None paired yet: register one below")
        self.reader_label.setText(text)

    def _show_state(self) -> None:
        self._show_reader_name()
        state = self.session.card_state
        if state.available:
            text = self.tr("Online: {reader}").format(reader=state.text)
            colour = "#0b6b2f"
        elif state.connecting:
            text = state.text  # still starting up: not a problem yet
            colour = "#555"
        else:
            text = self.tr("Not available: {reason}").format(reason=state.text)
            colour = "#b00020"
        self.online_label.setText(text)
        self.online_label.setStyleSheet(f"color: {colour};")

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #b00020; font-weight: bold;" if error else "")

    # --- the key -------------------------------------------------------------------------------

    def save_key(self) -> None:
        key = self.key_field.text().strip()
        try:
            check_stripe_key(key)
        except ValidationError as error:
            self._say(translate_message(str(error)), error=True)
            return
        settings = self.session.register.settings
        staff = self.session.staff
        self.save_key_button.setEnabled(False)
        self._say(self.tr("Saving the key…"))

        def save() -> SavedKey:
            return settings.save_stripe_key(key, staff=staff)

        def saved(result: SavedKey) -> None:
            self.key_field.clear()
            self.stored_label.setText(self.tr("Saved key: {key}").format(key=result.redacted))
            self.save_key_button.setEnabled(True)
            self._show_reader(result.reader)
            self._say(
                self.tr("Key saved ({key}). Reconnecting the reader…").format(key=result.redacted)
            )
            self.session.start_terminal()

        def failed(error: BaseException) -> None:
            self.save_key_button.setEnabled(True)
            text = (
                translate_message(str(error))
                if isinstance(error, SecretsUnavailable | ValidationError)
                else self.tr("The key could not be saved.")
            )
            self._say(text, error=True)

        self.session.db(save, saved, failed)

    # --- pairing ---------------------------------------------------------------------------------

    def pair(self) -> None:
        code = self.code_field.text().strip()
        if not code:
            self._say(self.tr("Enter the registration code the reader shows."), error=True)
            return
        config = self.session.config
        settings = self.session.register.settings
        staff = self.session.staff
        reader_label = self.label_field.text()
        self.pair_button.setEnabled(False)
        self._say(self.tr("Registering the reader with Stripe…"))

        def register() -> ReaderConfig:
            return settings.register_reader(config, registration_code=code, label=reader_label)

        def registered(reader: ReaderConfig) -> None:
            def saved(_none: None) -> None:
                self.pair_button.setEnabled(True)
                self._show_reader(reader)
                self._say(
                    self.tr("Reader {reader} paired. Reconnecting…").format(
                        reader=reader.reader_label or reader.reader_id
                    )
                )
                self.session.start_terminal()

            self.session.db(lambda: settings.save_reader(reader, staff=staff), saved, failed)

        def failed(error: BaseException) -> None:
            self.pair_button.setEnabled(True)
            self._say(describe_error(error), error=True)

        self.session.net(register, registered, failed)
