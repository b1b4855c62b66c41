"""The back office's sync tab: the changes the sync server refused, why, and what to do.

A refused change never holds up the rest of the register's queue (the server acknowledges it
and keeps a copy in the shop's quarantine); this list is where the manager learns of it."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.outbox import RefusedEntry
from pos_app.ui.formatting import format_datetime, format_money
from pos_app.ui.session import CounterSession
from pos_app.ui.widgets.common import label


class SyncTab(QWidget):
    def __init__(self, session: CounterSession, window: QWidget) -> None:
        super().__init__()
        self.session = session
        self.setObjectName("SyncTab")
        self.entries: list[RefusedEntry] = []
        root = QVBoxLayout(self)
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
        self.session.db(self.session.register.reports.refused_changes, self._show)

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
