"""The back office's sync tab: the changes the sync server refused, why, and what to do; on
a register not yet paired, what pairing is and the way to pair it. (The platform's fee invoices
and the web console's owner invitation are on the tab beside it: `platform_tab`.)

A refused change never holds up the rest of the register's queue (the server acknowledges it
and keeps a copy in the shop's quarantine); this list is where the manager learns of it."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.errors import DomainError
from pos_app.domain.outbox import RefusedEntry
from pos_app.domain.staff import Authorization, Permission
from pos_app.ui.backoffice.empty_state import EmptyState
from pos_app.ui.dialogs.override import with_permission
from pos_app.ui.formatting import format_datetime, format_money
from pos_app.ui.session import CounterSession, describe_error
from pos_app.ui.widgets.common import button, label


class PairDialog(QDialog):
    """The sync server's address and a one-time pairing code; stays open, with the reason,
    when pairing fails."""

    sig_pair = Signal(str, str)
    """(server address, code)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PairDialog")
        self.setWindowTitle(self.tr("Pair this register"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        layout.addWidget(label(self.tr("Pair this register"), "Subtitle"))
        layout.addWidget(
            label(
                self.tr(
                    "On the sync server, run “sync-server devices pair-code --tenant SHOP”: "
                    "it shows a code that works once, for 15 minutes."
                ),
                "Muted",
            )
        )
        form = QFormLayout()
        self.server = QLineEdit()
        self.server.setObjectName("PairServer")
        self.server.setPlaceholderText("https://sync.example.com")
        self.code = QLineEdit()
        self.code.setObjectName("PairCode")
        self.code.returnPressed.connect(self._confirm)
        form.addRow(self.tr("Server address"), self.server)
        form.addRow(self.tr("Pairing code"), self.code)
        layout.addLayout(form)
        self.error = label("")
        self.error.setObjectName("PairError")
        self.error.setStyleSheet("color: #b00020; font-weight: bold;")
        layout.addWidget(self.error)
        actions = QHBoxLayout()
        cancel = button(self.tr("Cancel (Esc)"))
        cancel.clicked.connect(self.reject)
        self.confirm = button(self.tr("Pair"), "primary")
        self.confirm.setObjectName("PairConfirm")
        self.confirm.clicked.connect(self._confirm)
        actions.addWidget(cancel)
        actions.addWidget(self.confirm)
        layout.addLayout(actions)
        self.finished.connect(self.deleteLater)
        self.server.setFocus()

    def _confirm(self) -> None:
        server, code = self.server.text().strip(), self.code.text().strip()
        if not server or not code:
            self.error.setText(self.tr("Enter the server address and the pairing code."))
            return
        self.confirm.setEnabled(False)
        self.error.setText(self.tr("Pairing…"))
        self.sig_pair.emit(server, code)

    def refused(self, text: str) -> None:
        self.confirm.setEnabled(True)
        self.error.setText(text)


class SyncTab(QWidget):
    def __init__(self, session: CounterSession, window: QWidget) -> None:
        super().__init__()
        self.session = session
        self.setObjectName("SyncTab")
        self.entries: list[RefusedEntry] = []
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.pages = QStackedWidget()
        outer.addWidget(self.pages, 1)
        self.not_paired = EmptyState(
            self.tr("This register is not paired"),
            self.tr(
                "Pairing links this register to the shop's sync server: its sales, refunds "
                "and stock counts go to the shop's books and reports, and the other "
                "registers' catalog changes and any chargebacks come back. Until then "
                "everything stays on this computer (nothing is lost; it is sent once paired). "
                "Ask for a pairing code on the server, then pair here."
            ),
            self.tr("Pair this register…"),
            self.pair,
        )
        self.not_paired.setObjectName("SyncNotPaired")
        self.pages.addWidget(self.not_paired)
        self.refused_page = QWidget()
        self.pages.addWidget(self.refused_page)
        root = QVBoxLayout(self.refused_page)
        root.setContentsMargins(0, 0, 0, 0)
        root.addWidget(
            label(
                self.tr(
                    "The sync server refused these changes: they are not in the shop's books "
                    "on the server (and so not in its reports or fees). Everything else keeps "
                    "syncing. Select one to see what to do."
                ),
                "Muted",
            )
        )
        self.table = QTableWidget(0, 4)
        self.table.setTabKeyNavigation(False)  # Tab leaves it; arrows move in it
        self.table.setObjectName("RefusedTable")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Recorded"), self.tr("What"), self.tr("Why"), self.tr("Details")]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._show_advice)
        root.addWidget(self.table, 1)
        self.advice = label("", "Status")
        self.advice.setObjectName("RefusedAdvice")
        self.advice.setWordWrap(True)
        root.addWidget(self.advice)

    def refresh(self) -> None:
        register = self.session.register

        def read() -> tuple[bool, list[RefusedEntry]]:
            return register.paired(), register.reports.refused_changes()

        def show(result: tuple[bool, list[RefusedEntry]]) -> None:
            paired, entries = result
            # Refused changes are shown even if the register was unpaired since.
            self.pages.setCurrentWidget(
                self.not_paired if not paired and not entries else self.refused_page
            )
            self._show(entries)

        self.session.db(read, show)

    @property
    def paired_shown(self) -> bool:
        return self.pages.currentWidget() is not self.not_paired

    def pair(self) -> None:
        dialog = PairDialog(self)
        dialog.sig_pair.connect(
            lambda server, code: with_permission(
                self.session,
                dialog,
                Permission.MANAGE_SETTINGS,
                lambda granted: self.pair_with(dialog, server, code, granted),
            )
        )
        dialog.open()

    def pair_with(
        self, dialog: PairDialog, server: str, code: str, authorization: Authorization
    ) -> None:
        settings = self.session.register.settings
        config = self.session.config

        def paired(shop: str) -> None:
            dialog.accept()
            self.session.info(
                self.tr("Paired with {shop}: this register syncs from now on.").format(shop=shop)
            )
            self.refresh()

        def failed(error: BaseException) -> None:
            dialog.refused(
                describe_error(error)
                if isinstance(error, DomainError)
                else self.tr("Pairing failed: {error}").format(error=error)
            )

        # Database, keyring and one request to the server: on the database worker, like
        # saving the Stripe key.
        self.session.db(
            lambda: settings.pair_with_server(
                config, server_url=server, code=code, authorization=authorization
            ),
            paired,
            failed,
        )

    def reason_text(self, code: str) -> str:
        return {
            "money_mismatch": self.tr("amounts do not follow the pricing rules"),
            "time_window": self.tr("date outside what the server accepts"),
            "currency": self.tr("another currency than the shop's"),
            "out_of_range": self.tr("an amount beyond any sale"),
            "id_reused": self.tr("a record number already used"),
            "structure": self.tr("parts that do not fit together"),
            "malformed": self.tr("a damaged record"),
            "unknown_order": self.tr("its sale is not on the server"),
            "depends_on_refused": self.tr("its sale was refused"),
            "over_refund": self.tr("more refunded than is left of the sale"),
        }.get(code, code)

    def advice_text(self, code: str) -> str:
        if code == "time_window":
            return self.tr(
                "The register's clock was wrong when this was recorded. Set the date and time "
                "of this computer; if the sale really happened, ring it up again."
            )
        if code == "currency":
            return self.tr(
                "This register sells in another currency than the shop on the server. Pair a "
                "register that is set up for this shop."
            )
        if code in ("unknown_order", "depends_on_refused"):
            return self.tr(
                "It belongs to a sale the server does not have. Sort out that sale first (it "
                "is in this list if it was refused); this change needs nothing more."
            )
        if code == "over_refund":
            return self.tr(
                "Another register, Stripe's dashboard or a lost chargeback already gave this "
                "money back. Check the order in History before giving anything more: if the "
                "customer is still owed money, refund only what is left."
            )
        return self.tr(
            "This register recorded figures the server cannot accept. Do not ring the sale up "
            "again: call support with the details shown, and check the drawer against the "
            "order in History."
        )

    def _what(self, entry: RefusedEntry) -> str:
        data = entry.payload
        currency = self.session.shop.currency
        locale = self.session.locale_name
        if entry.entity == "order" and isinstance(data.get("total_minor"), int):
            return self.tr("Sale #{number}, {total}").format(
                number=data.get("number", "?"),
                total=format_money(data["total_minor"], currency, locale),
            )
        if entry.entity == "refund" and isinstance(data.get("amount_minor"), int):
            return self.tr("Refund of {amount}").format(
                amount=format_money(data["amount_minor"], currency, locale)
            )
        if entry.entity == "payment":
            return self.tr("Card payment")
        return entry.entity

    def _show(self, entries: list[RefusedEntry]) -> None:
        self.entries = entries
        self.table.setRowCount(len(entries))
        shop = self.session.shop
        for row, entry in enumerate(entries):
            cells = [
                format_datetime(entry.created_at, shop.timezone, self.session.locale_name),
                self._what(entry),
                self.reason_text(entry.code),
                entry.reason,
            ]
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        if entries:
            self.table.selectRow(0)
        else:
            self.advice.setText(self.tr("The server accepted everything this register sent."))

    def _show_advice(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.advice.setText(self.advice_text(self.entries[rows[0].row()].code))
