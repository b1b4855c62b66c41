"""Back office → Printers: the receipt printer (and the cash drawer wired to it) and kitchen
printers; a test page or a drawer kick sent through the print queue, and each printer's queue
(what waits, what failed, the last error)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING
from uuid import UUID

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.errors import ValidationError
from pos_app.domain.printers import (
    DEFAULT_PORT,
    WIDTH_58MM,
    WIDTH_80MM,
    WIDTH_80MM_WIDE,
    PrinterConfig,
    PrinterQueueStatus,
    PrinterRole,
)
from pos_app.domain.staff import Authorization, Permission
from pos_app.ui.backoffice.empty_state import EmptyOr, EmptyState
from pos_app.ui.backoffice.messages import full_stop
from pos_app.ui.dialogs.override import with_permission
from pos_app.ui.formatting import format_datetime
from pos_app.ui.session import describe_error, translate_message
from pos_app.ui.widgets.common import (
    button,
    fill_ticked,
    label,
    tick_on_click,
    ticked_ids,
    vertical_scroll,
)

if TYPE_CHECKING:
    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.session import CounterSession

REFRESH_MS = 3000
"""How often the queue figures are read again while the tab is on screen."""


class PrintersTab(QWidget):
    NAME, ROLE, QUEUE, PROBLEM = range(4)

    def __init__(self, session: CounterSession, window: MainWindow) -> None:
        super().__init__()
        self.session = session
        self.window_ = window
        self.setObjectName("PrintersTab")
        self.statuses: list[PrinterQueueStatus] = []
        self.editing: PrinterConfig | None = None
        root = QHBoxLayout(self)

        # --- the list (or what to do while there is none)
        left = QVBoxLayout()
        self.table = QTableWidget(0, 4)
        self.table.setTabKeyNavigation(False)  # Tab leaves it; arrows move in it
        self.table.setObjectName("PrintersTable")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Name"),
                self.tr("Prints"),
                self.tr("Queue"),
                self.tr("Last error"),
            ]
        )
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.PROBLEM, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.empty = EmptyState(
            self.tr("No printers yet"),
            self.tr(
                "Receipts, kitchen tickets and the cash drawer need a network printer "
                "(ESC/POS, usually on port 9100). The cash drawer plugs into the receipt "
                "printer. Until one is added, receipts can be e-mailed, and the drawer opens "
                "with its key."
            ),
            self.tr("Add a printer"),
            self.new_printer,
        )
        self.list = EmptyOr(self.table, self.empty)
        left.addWidget(self.list, 1)
        # The chosen printer's last error in full (the column shows its start only).
        self.problem = label("")
        self.problem.setObjectName("PrinterProblem")
        self.problem.setStyleSheet("color: #b00020;")
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problem.hide()
        left.addWidget(self.problem)
        actions = QGridLayout()
        self.add_button = button(self.tr("Add a printer"))
        self.add_button.setObjectName("AddPrinter")
        self.add_button.clicked.connect(self.new_printer)
        self.test_button = button(self.tr("Print test page"))
        self.test_button.setObjectName("PrintTestPage")
        self.test_button.clicked.connect(self.print_test_page)
        self.drawer_button = button(self.tr("Open drawer"))
        self.drawer_button.setObjectName("TestDrawer")
        self.drawer_button.clicked.connect(self.test_drawer)
        self.retry_button = button(self.tr("Send again"))
        self.retry_button.setObjectName("RetryPrinter")
        self.retry_button.setToolTip(self.tr("The printer is back: send what waits for it now."))
        self.retry_button.clicked.connect(self.retry)
        self.remove_button = button(self.tr("Remove"), "danger")
        self.remove_button.setObjectName("RemovePrinter")
        self.remove_button.clicked.connect(self.remove)
        actions.addWidget(self.test_button, 0, 0)
        actions.addWidget(self.drawer_button, 0, 1)
        actions.addWidget(self.retry_button, 0, 2)
        actions.addWidget(self.add_button, 1, 0)
        actions.addWidget(self.remove_button, 1, 2)
        left.addLayout(actions)
        self.status = label("", "Muted")
        self.status.setObjectName("PrinterStatus")
        left.addWidget(self.status)
        root.addLayout(left, 3)

        # --- the form
        form_box = QWidget()
        right = QVBoxLayout(form_box)
        right.setContentsMargins(0, 0, 8, 0)
        self.form_title = label(self.tr("New printer"), "Subtitle")
        right.addWidget(self.form_title)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.name = QLineEdit()
        self.name.setObjectName("PrinterName")
        self.name.setMaxLength(60)
        self.name.setPlaceholderText(self.tr("Front counter"))
        self.role = QComboBox()
        self.role.setObjectName("PrinterRole")
        self.role.addItem(self.tr("Receipts"), PrinterRole.RECEIPT.value)
        self.role.addItem(self.tr("Kitchen tickets"), PrinterRole.KITCHEN.value)
        self.role.currentIndexChanged.connect(lambda _i: self._role_changed())
        self.host = QLineEdit()
        self.host.setObjectName("PrinterHost")
        self.host.setMaxLength(255)
        self.host.setPlaceholderText("192.168.1.50")
        self.port = QSpinBox()
        self.port.setObjectName("PrinterPort")
        self.port.setRange(1, 65_535)
        self.paper = QComboBox()
        self.paper.setObjectName("PrinterPaper")
        for combo in (self.role, self.paper):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(8)
        self.paper.addItem(self.tr("80 mm (42 characters)"), WIDTH_80MM)
        self.paper.addItem(self.tr("80 mm wide head (48 characters)"), WIDTH_80MM_WIDE)
        self.paper.addItem(self.tr("58 mm (32 characters)"), WIDTH_58MM)
        self.drawer = QCheckBox(self.tr("A cash drawer is plugged into it"))
        self.drawer.setObjectName("PrinterDrawer")
        self.enabled = QCheckBox(self.tr("In use"))
        self.enabled.setObjectName("PrinterEnabled")
        self.categories = QListWidget()
        self.categories.setObjectName("PrinterCategories")
        tick_on_click(self.categories)
        self.categories.setMinimumHeight(110)
        self.categories_label = label(self.tr("Kitchen tickets for"))
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Prints"), self.role)
        form.addRow(self.tr("Address"), self.host)
        form.addRow(self.tr("Port"), self.port)
        form.addRow(self.tr("Paper"), self.paper)
        form.addRow(self.drawer)
        form.addRow(self.categories_label)
        form.addRow(self.categories)
        form.addRow(self.enabled)
        right.addLayout(form)
        self.form_error = label("")
        self.form_error.setObjectName("PrinterError")
        self.form_error.setStyleSheet("color: #b00020; font-weight: bold;")
        right.addWidget(self.form_error)
        right.addStretch(1)
        # A short screen scrolls the form rather than squeezing its fields together.
        side = QVBoxLayout()
        side.addWidget(vertical_scroll(form_box, "PrinterFormScroll"), 1)
        self.save_button = button(self.tr("Save printer"), "primary")
        self.save_button.setObjectName("SavePrinter")
        self.save_button.clicked.connect(self.save)
        side.addWidget(self.save_button)
        side_box = QWidget()
        side_box.setLayout(side)
        side_box.setMinimumWidth(340)
        side_box.setMaximumWidth(380)
        side.setContentsMargins(0, 0, 0, 0)
        root.addWidget(side_box, 2)

        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        session.sig_catalog_changed.connect(self._fill_categories)
        self._set_form(None)
        self._show([])

    # --- showing -----------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.timer.start()

    def hideEvent(self, event: QHideEvent) -> None:
        self.timer.stop()
        super().hideEvent(event)

    def refresh(self) -> None:
        if self.session.runner.running:
            return  # the last read (or a change) is still on its way: no pile-up
        self.session.db(self.session.register.settings.printers, self._show)

    def role_text(self, role: PrinterRole) -> str:
        return self.tr("Receipts") if role is PrinterRole.RECEIPT else self.tr("Kitchen tickets")

    def queue_text(self, status: PrinterQueueStatus) -> str:
        if not status.printer.enabled:
            return self.tr("Not in use")
        parts = []
        if status.pending:
            parts.append(self.tr("{count} waiting").format(count=status.pending))
        if status.failed:
            parts.append(self.tr("{count} failed").format(count=status.failed))
        if parts:
            return ", ".join(parts)
        if status.last_printed_at is not None:
            return self.tr("Printed {when}").format(
                when=format_datetime(
                    status.last_printed_at, self.session.shop.timezone, self.session.locale_name
                )
            )
        return self.tr("Ready")

    def _show(self, statuses: list[PrinterQueueStatus]) -> None:
        keep = self.selected()
        self.statuses = statuses
        self.list.show_empty(not statuses)
        self.table.blockSignals(True)
        self.table.setRowCount(len(statuses))
        for row, status in enumerate(statuses):
            printer = status.printer
            cells = (
                printer.name,
                self.tr("{prints} + drawer").format(prints=self.role_text(printer.role))
                if printer.has_cash_drawer
                else self.role_text(printer.role),
                self.queue_text(status),
                status.last_error or "",
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(
                    status.last_error
                    if column == self.PROBLEM and status.last_error
                    else printer.label
                )
                if status.failed or (status.pending and status.last_error):
                    item.setForeground(QColor("#b00020"))
                elif not printer.enabled:
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(row, column, item)
            if keep is not None and printer.id == keep.id:
                self.table.selectRow(row)
        self.table.blockSignals(False)
        self._update_actions()
        self._show_problem()

    def _show_problem(self) -> None:
        """The chosen printer's last error, whole and wrapped, under the list (none shown
        while it has none, or nothing is chosen)."""
        printer = self.selected()
        status = next((s for s in self.statuses if printer and s.printer.id == printer.id), None)
        error = status.last_error if status is not None else None
        self.problem.setText(
            self.tr("Last error for {name}: {error}").format(name=status.printer.name, error=error)
            if status is not None and error
            else ""
        )
        self.problem.setVisible(bool(self.problem.text()))

    def selected(self) -> PrinterConfig | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or not 0 <= rows[0].row() < len(self.statuses):
            return None
        return self.statuses[rows[0].row()].printer

    def select_name(self, name: str) -> None:
        for row, status in enumerate(self.statuses):
            if status.printer.name == name:
                self.table.selectRow(row)

    def _selection_changed(self) -> None:
        self._set_form(self.selected())
        self._update_actions()
        self._show_problem()

    def _update_actions(self) -> None:
        printer = self.selected()
        has_printer = printer is not None
        self.test_button.setEnabled(has_printer)
        self.retry_button.setEnabled(has_printer)
        self.remove_button.setEnabled(has_printer)
        self.drawer_button.setEnabled(
            printer is not None and printer.has_cash_drawer and printer.enabled
        )

    # --- the form ----------------------------------------------------------------------------

    def _fill_categories(self) -> None:
        chosen = self._chosen_categories()
        if self.editing is not None and not chosen:
            chosen = set(self.editing.category_ids)
        fill_ticked(self.categories, ((c.id, c.name) for c in self.session.categories), chosen)

    def _chosen_categories(self) -> set[UUID]:
        return ticked_ids(self.categories)

    def _role_changed(self) -> None:
        receipt = self.role.currentData() == PrinterRole.RECEIPT.value
        self.drawer.setEnabled(receipt)
        if not receipt:
            self.drawer.setChecked(False)
        self.categories_label.setText(
            self.tr("Also print kitchen tickets for") if receipt else self.tr("Kitchen tickets for")
        )

    def _set_form(self, printer: PrinterConfig | None) -> None:
        self.editing = printer
        self.form_error.setText("")
        if printer is None:
            self.form_title.setText(self.tr("New printer"))
            self.name.clear()
            has_receipt = any(s.printer.role is PrinterRole.RECEIPT for s in self.statuses)
            self.role.setCurrentIndex(1 if has_receipt else 0)
            self.host.clear()
            self.port.setValue(DEFAULT_PORT)
            self.paper.setCurrentIndex(0)
            self.drawer.setChecked(not has_receipt)
            self.enabled.setChecked(True)
            self.categories.clear()
            self._fill_categories()
        else:
            self.form_title.setText(self.tr("Edit {name}").format(name=printer.name))
            self.name.setText(printer.name)
            self.role.setCurrentIndex(self.role.findData(printer.role.value))
            self.host.setText(printer.host)
            self.port.setValue(printer.port)
            index = self.paper.findData(printer.paper_width_chars)
            if index < 0:
                self.paper.addItem(
                    self.tr("{count} characters").format(count=printer.paper_width_chars),
                    printer.paper_width_chars,
                )
                index = self.paper.count() - 1
            self.paper.setCurrentIndex(index)
            self.drawer.setChecked(printer.has_cash_drawer)
            self.enabled.setChecked(printer.enabled)
            self.categories.clear()
            self._fill_categories()
        self._role_changed()

    def new_printer(self) -> None:
        self.table.clearSelection()
        self._set_form(None)
        self.name.setFocus()

    def printer_from_form(self) -> PrinterConfig:
        """The form as a printer; raises ValidationError with the problem to show."""
        if not self.name.text().strip():
            raise ValidationError(self.tr("Give the printer a name, like “Front counter”."))
        if not self.host.text().strip():
            raise ValidationError(
                self.tr("Enter the printer's address (its IP address, like 192.168.1.50).")
            )
        role = PrinterRole(self.role.currentData())
        try:
            values: dict[str, object] = {
                "name": " ".join(self.name.text().split()),
                "role": role,
                "host": self.host.text().strip(),
                "port": self.port.value(),
                "paper_width_chars": int(self.paper.currentData()),
                "category_ids": frozenset(self._chosen_categories()),
                "has_cash_drawer": self.drawer.isChecked() and role is PrinterRole.RECEIPT,
                "enabled": self.enabled.isChecked(),
            }
            if self.editing is not None:
                values["id"] = self.editing.id
            return PrinterConfig(**values)  # type: ignore[arg-type]
        except ValidationError as error:
            raise ValidationError(translate_message(str(error))) from error

    def save(self) -> None:
        try:
            printer = self.printer_from_form()
        except ValidationError as error:
            self.form_error.setText(full_stop(str(error)))
            return
        self.form_error.setText("")
        settings = self.session.register.settings

        def saved(result: PrinterConfig) -> None:
            self.session.info(self.tr("Printer {name} saved.").format(name=result.name))
            self.editing = result
            self._after_change(select=result.name)

        def failed(error: BaseException) -> None:
            self.form_error.setText(full_stop(describe_error(error)))

        self._with_settings(
            lambda granted: self.session.db(
                lambda: settings.save_printer(printer, authorization=granted), saved, failed
            )
        )

    # --- actions -------------------------------------------------------------------------------

    def _with_settings(self, action: Callable[[Authorization], None]) -> None:
        with_permission(self.session, self, Permission.MANAGE_SETTINGS, action)

    def _after_change(self, select: str | None = None) -> None:
        def shown(statuses: list[PrinterQueueStatus]) -> None:
            self._show(statuses)
            if select is not None:
                self.select_name(select)

        self.session.db(self.session.register.settings.printers, shown)

    def _wake_queue(self) -> bool:
        """Have the print queue send what was just queued; False when it is not running on
        this register (then nothing prints until it is)."""
        wake = self.window_.hooks.open_drawer  # wakes the print queue (which holds the kick)
        if wake is None:
            self.status.setText(
                self.tr("The print queue is not running on this register: nothing prints.")
            )
            return False
        wake()
        return True

    def _queued(self, text: str) -> Callable[[object], None]:
        def done(_result: object) -> None:
            if self._wake_queue():
                self.status.setText(text)
            self._after_change()

        return done

    def print_test_page(self) -> None:
        printer = self.selected()
        if printer is None:
            return
        settings = self.session.register.settings
        # Queued, not printed: the print queue sends it in the background, and a printer
        # that does not answer shows its error in the list.
        done = self._queued(
            self.tr(
                "Test page queued for {name}: it prints when the printer answers "
                "(if it cannot, the error shows above)."
            ).format(name=printer.name)
        )
        self._with_settings(
            lambda granted: self.session.db(
                lambda: settings.print_test_page(printer.id, authorization=granted), done
            )
        )

    def test_drawer(self) -> None:
        printer = self.selected()
        if printer is None or not printer.has_cash_drawer:
            return
        settings = self.session.register.settings
        done = self._queued(
            self.tr(
                "Drawer kick queued for {name}: the drawer opens when the printer answers."
            ).format(name=printer.name)
        )
        self._with_settings(
            lambda granted: self.session.db(
                lambda: settings.test_drawer(printer.id, authorization=granted), done
            )
        )

    def retry(self) -> None:
        printer = self.selected()
        staff = self.session.staff
        if printer is None or staff is None:
            return
        settings = self.session.register.settings
        self.session.db(
            lambda: settings.retry_printer(printer.id, staff=staff),
            self._queued(self.tr("Sending what waits for {name}.").format(name=printer.name)),
        )

    def remove(self) -> None:
        printer = self.selected()
        if printer is None:
            return
        settings = self.session.register.settings

        def removed(_none: None) -> None:
            self.session.info(self.tr("Printer {name} removed.").format(name=printer.name))
            self.table.clearSelection()
            self._set_form(None)
            self._after_change()

        self._with_settings(
            lambda granted: self.session.db(
                lambda: settings.remove_printer(printer.id, authorization=granted), removed
            )
        )
