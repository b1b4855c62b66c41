"""The status bar's sync indicator: "synced", "N pending", "offline since HH:MM" or the error;
a click shows the details and a "sync now" button."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from pos_app.application.sync import SyncStatus
from pos_app.ui.formatting import format_datetime, format_time


class SyncStatusBridge(QObject):
    sig_status = Signal(object)
    """A `SyncStatus`, emitted from the sync thread, delivered on the GUI thread."""


class SyncIndicator(QPushButton):
    def __init__(
        self,
        timezone: str,
        locale_name: str,
        sync_now: Callable[[], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("SyncIndicator")
        self.timezone = timezone
        self.locale_name = locale_name
        self.sync_now = sync_now
        self.status: SyncStatus | None = None
        self.setFlat(True)
        self.clicked.connect(self.show_details)
        self.setText(self.tr("Sync: starting…"))

    def text_for(self, status: SyncStatus) -> str:
        if status.revoked:
            return self.tr("Unpaired on the server — pair again")
        if not status.paired:
            return self.tr("Not synced (standalone)")
        if status.last_error and status.offline_since is not None:
            return self.tr("Offline since {time} — {count} pending").format(
                time=format_time(status.offline_since, self.timezone, self.locale_name),
                count=status.pending,
            )
        if status.last_error:
            return self.tr("Sync error — click for details")
        if status.pending:
            return self.tr("{count} pending").format(count=status.pending)
        return self.tr("Synced")

    def update_status(self, status: SyncStatus) -> None:
        self.status = status
        text = self.text_for(status)
        if status.negative_stock:
            text += "  ⚠ " + self.tr("oversold: {items}").format(
                items=", ".join(status.negative_stock)
            )
        if status.refused:
            text += "  ⚠ " + self.tr("{count} refused (Back office → Sync)").format(
                count=status.refused
            )
        self.setText(text)

    def show_details(self) -> None:
        status = self.status
        dialog = QDialog(self)
        dialog.setObjectName("SyncDetails")
        dialog.setWindowTitle(self.tr("Sync"))
        layout = QVBoxLayout(dialog)
        if status is not None and status.revoked:
            lines = [
                self.tr(
                    "This register was unpaired on the server. Pair it again with a new pairing "
                    "code (pos-app pair). Its sales are kept and sent after pairing."
                )
            ]
        elif status is None or not status.paired:
            lines = [self.tr("This register is not paired with a sync server.")]
        else:
            never = self.tr("never")
            lines = [
                self.tr("Server: {url}").format(url=status.server_url),
                self.tr("Device: {id}").format(id=status.device_id),
                self.tr("Changes waiting to be sent: {count}").format(count=status.pending),
                self.tr("Changes the server refused: {count}").format(count=status.refused),
                self.tr("Last successful sync: {when}").format(
                    when=format_datetime(status.last_success_at, self.timezone, self.locale_name)
                    if status.last_success_at
                    else never
                ),
            ]
            if status.last_error:
                lines.append(self.tr("Last error: {error}").format(error=status.last_error))
            if status.negative_stock:
                lines.append(
                    self.tr("Sold more than the shop had (check the shelves): {items}").format(
                        items=", ".join(status.negative_stock)
                    )
                )
        text = QLabel("\n".join(lines))
        text.setWordWrap(True)
        layout.addWidget(text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        if status is not None and status.paired:
            now = buttons.addButton(self.tr("Sync now"), QDialogButtonBox.ButtonRole.ActionRole)
            now.clicked.connect(self.sync_now)
        buttons.rejected.connect(dialog.reject)
        layout.addWidget(buttons)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
