"""The back office's chargebacks tab: what is disputed, by when evidence is due, and a button
that sends the order's receipt and details to the card network through Stripe."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos_app.application.disputes import OPEN_STATUSES, DisputeView, Evidence
from pos_app.domain.staff import Authorization, Permission
from pos_app.ui.backoffice.empty_state import EmptyOr, EmptyState
from pos_app.ui.dialogs.override import with_permission
from pos_app.ui.formatting import format_datetime, format_money
from pos_app.ui.session import CounterSession
from pos_app.ui.widgets.common import button, label, shortcut


class DisputesTab(QWidget):
    def __init__(self, session: CounterSession, window: QWidget) -> None:
        super().__init__()
        self.session = session
        self.setObjectName("DisputesTab")
        self.views: list[DisputeView] = []
        root = QVBoxLayout(self)
        root.addWidget(
            label(
                self.tr(
                    "A customer's bank is disputing these card payments. Send the evidence "
                    "before the due date, or the shop loses the money and a dispute fee."
                ),
                "Muted",
            )
        )
        self.table = QTableWidget(0, 7)
        self.table.setTabKeyNavigation(False)  # Tab leaves it; arrows move in it
        self.table.setObjectName("DisputesTable")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Order"),
                self.tr("Amount"),
                self.tr("Reason"),
                self.tr("Status"),
                self.tr("Evidence due"),
                self.tr("Fee"),
                self.tr("Outcome"),
            ]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_actions)
        self.empty = EmptyState(
            self.tr("No chargebacks"),
            self.tr(
                "No customer's bank is disputing a card payment. When one does, Stripe tells "
                "the shop's sync server, and the dispute appears here with the date its "
                "evidence is due."
            ),
            self.tr("Check again"),
            self.refresh,
        )
        self.empty.setObjectName("DisputesEmpty")
        self.list = EmptyOr(self.table, self.empty)
        root.addWidget(self.list, 1)
        self.status = label("", "Status")
        root.addWidget(self.status)
        self.submit = button(self.tr("Send the evidence (receipt and order)"), "primary")
        self.submit.setObjectName("SubmitEvidence")
        self.submit.clicked.connect(self._submit)
        root.addWidget(self.submit)
        shortcut(self, "Ctrl+E", self._submit)

    def refresh(self) -> None:
        self.session.db(self.session.register.reports.disputes, self._show)

    def _status_text(self, view: DisputeView) -> str:
        status = view.dispute.status
        if view.dispute.evidence_submitted_at is not None and status in OPEN_STATUSES:
            return self.tr("evidence sent")
        return {
            "needs_response": self.tr("needs evidence"),
            "warning_needs_response": self.tr("inquiry: needs an answer"),
            "under_review": self.tr("under review"),
            "warning_under_review": self.tr("inquiry under review"),
            "won": self.tr("won"),
            "lost": self.tr("lost"),
            "warning_closed": self.tr("inquiry closed"),
        }.get(status, status)

    def _show(self, views: list[DisputeView]) -> None:
        self.views = views
        self.list.show_empty(not views)
        self.status.setVisible(bool(views))
        self.submit.setVisible(bool(views))
        self.table.setRowCount(len(views))
        shop = self.session.shop
        for row, view in enumerate(views):
            d = view.dispute
            due = (
                format_datetime(d.evidence_due_by, shop.timezone, self.session.locale_name)
                if d.evidence_due_by
                else ""
            )
            cells = [
                f"#{view.order_number}" if view.order_number else self.tr("unknown"),
                format_money(d.amount_minor, d.currency, self.session.locale_name),
                d.reason.replace("_", " "),
                self._status_text(view),
                due,
                format_money(d.fee_minor, d.currency, self.session.locale_name),
                d.outcome or "",
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if view.overdue():
                    item.setForeground(QColor("#b00020"))
                elif view.needs_response:
                    item.setForeground(QColor("#8a5a00"))
                if column in (1, 5):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, column, item)
        waiting = sum(1 for v in views if v.needs_response)
        self.status.setText(
            self.tr("{count} need evidence").format(count=waiting)
            if waiting
            else self.tr("Nothing to answer.")
        )
        self._update_actions()

    def selected(self) -> DisputeView | None:
        rows = self.table.selectionModel().selectedRows()
        return self.views[rows[0].row()] if rows else None

    def _update_actions(self) -> None:
        view = self.selected()
        self.submit.setEnabled(
            view is not None
            and view.needs_response
            and view.order_number is not None
            and self.session.card is not None
        )

    def _submit(self) -> None:
        view = self.selected()
        if view is None or not self.submit.isEnabled():
            return
        with_permission(
            self.session,
            self,
            Permission.VIEW_REPORTS,
            lambda granted: self.submit_with(view.dispute.id, granted),
        )

    def submit_with(self, dispute_id: str, authorization: Authorization) -> None:
        runtime = self.session.terminal_runtime
        if runtime is None:
            self.session.error(self.tr("Stripe is not connected: evidence cannot be sent now."))
            return
        reports = self.session.register.reports
        terminal = runtime.terminal
        self.submit.setEnabled(False)
        self.status.setText(self.tr("Sending the evidence to Stripe…"))

        # Built and recorded on the database worker, sent on the network pool.
        def prepared(evidence: Evidence) -> None:
            self.session.net(
                lambda: reports.send_dispute_evidence(terminal, evidence),
                lambda status: self.session.db(
                    lambda: reports.evidence_sent(evidence, status),
                    lambda _none: recorded(status),
                    failed,
                ),
                failed,
            )

        def recorded(status: str) -> None:
            self.session.info(
                self.tr("Evidence sent: the dispute is {status}.").format(
                    status=status.replace("_", " ")
                )
            )
            self.refresh()

        def failed(error: BaseException) -> None:
            self.session.error(error)
            self.refresh()

        self.session.db(
            lambda: reports.dispute_evidence(dispute_id, authorization=authorization),
            prepared,
            failed,
        )
