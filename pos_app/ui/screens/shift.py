"""The shift: open it with a counted float; while open, see the drawer's expected cash, pay cash
in or out, open the drawer without a sale, look at the X report; close it by counting the
drawer note by note, which shows over/short before it commits and ends on the Z report."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from pos_app.application.shifts import ShiftOverview, UnfinishedOrders
from pos_app.domain.history import OrderSummary
from pos_app.domain.money import MoneyError, currency_exponent
from pos_app.domain.reports import ShiftReport
from pos_app.domain.shifts import CashMovement, CashMovementKind, ShiftRecord, over_short
from pos_app.domain.staff import Authorization, Permission
from pos_app.ui.dialogs.cash_movement import CashMovementDialog
from pos_app.ui.dialogs.override import with_permission
from pos_app.ui.dialogs.prompts import TextPrompt
from pos_app.ui.dialogs.staff import ConfirmDialog
from pos_app.ui.formatting import describe_amount_error, format_moment, parse_money
from pos_app.ui.models.history_model import status_text
from pos_app.ui.screens.base import Screen
from pos_app.ui.widgets.cash_count import CashCountWidget
from pos_app.ui.widgets.common import button, fit_lines, label, shortcut
from pos_app.ui.widgets.report_view import ReportText, ReportView

if TYPE_CHECKING:
    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.session import CounterSession

QUICK_FLOATS_MAJOR = (100, 150, 200)


class ShiftScreen(Screen):
    name = "shift"
    CLOSED, OPEN, COUNT, REPORT = range(4)

    def __init__(self, session: CounterSession, window: MainWindow) -> None:
        super().__init__(session, window)
        self.overview: ShiftOverview | None = None
        self.report: ShiftReport | None = None
        self._expected_minor: int | None = None
        root = QVBoxLayout(self)
        self.pages = QStackedWidget()
        root.addWidget(self.pages, 1)
        self.pages.addWidget(self._build_closed())
        self.pages.addWidget(self._build_open())
        self.pages.addWidget(self._build_count())
        self.pages.addWidget(self._build_report())
        session.sig_shift_changed.connect(self._shift_changed)
        session.sig_staff_changed.connect(self._staff_changed)
        shortcut(self, "Escape", self._escape)

    # --- pages --------------------------------------------------------------------------------

    def _back_button(self) -> QWidget:
        back = button(self.tr("Back to selling (F2)"))
        back.clicked.connect(lambda: self.window_.show_screen("sell"))
        return back

    def _build_closed(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(label(self.tr("No shift is open"), "Title"))
        layout.addWidget(
            label(
                self.tr(
                    "Count the cash in the drawer (the float) and open the shift to start "
                    "taking cash."
                ),
                "Subtitle",
            )
        )
        layout.addSpacing(12)
        self.float_field = QLineEdit()
        self.float_field.setObjectName("FloatField")
        self.float_field.setPlaceholderText(
            self.tr("Opening float, e.g. {example}").format(example=self.session.money(15_000))
        )
        self.float_field.returnPressed.connect(self.open_shift)
        layout.addWidget(self.float_field)
        quick = QHBoxLayout()
        unit = self._major_unit()
        for major in QUICK_FLOATS_MAJOR:
            amount = major * unit
            choice = button(self.session.money(amount))
            choice.setObjectName(f"float-{amount}")
            choice.clicked.connect(
                lambda _=False, a=amount: self.float_field.setText(self.session.money(a))
            )
            quick.addWidget(choice)
        layout.addLayout(quick)
        self.open_button = button(self.tr("Open shift (Enter)"), "primary")
        self.open_button.setObjectName("OpenShift")
        self.open_button.setMinimumHeight(72)
        self.open_button.clicked.connect(self.open_shift)
        layout.addWidget(self.open_button)
        layout.addStretch(1)
        layout.addWidget(self._back_button())
        return page

    def _major_unit(self) -> int:
        return int(10 ** currency_exponent(self.session.shop.currency))

    def _build_open(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.open_title = label(self.tr("Shift open"), "Title")
        layout.addWidget(self.open_title)
        self.open_meta = label("", "Subtitle")
        self.open_meta.setObjectName("ShiftMeta")
        layout.addWidget(self.open_meta)
        figures = QGridLayout()
        figures.setHorizontalSpacing(24)
        self.figure_labels: dict[str, QLabel] = {}
        names = (
            ("float", self.tr("Opening float")),
            ("sales", self.tr("Cash sales")),
            ("refunds", self.tr("Cash refunds")),
            ("paid_in", self.tr("Paid in")),
            ("paid_out", self.tr("Paid out")),
        )
        for row, (key, text) in enumerate(names):
            value = label("")
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            value.setObjectName(f"figure-{key}")
            figures.addWidget(label(text), row, 0)
            figures.addWidget(value, row, 1)
            self.figure_labels[key] = value
        self.expected_label = label("", "Total")
        self.expected_label.setObjectName("ExpectedCash")
        figures.addWidget(label(self.tr("Expected in the drawer now"), "Subtitle"), len(names), 0)
        figures.addWidget(self.expected_label, len(names), 1)
        figures.setColumnStretch(2, 1)
        layout.addLayout(figures)
        layout.addWidget(label(self.tr("Drawer entries this shift"), "Subtitle"))
        entries = QHBoxLayout()
        self.movements_list = QListWidget()
        self.movements_list.setObjectName("MovementsList")
        # Long entries (and the empty list's sentence) wrap: the list never scrolls sideways.
        self.movements_list.setWordWrap(True)
        self.movements_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.movements_list.currentRowChanged.connect(lambda _row: self._update_actions())
        entries.addWidget(self.movements_list, 1)
        self.correct_button = button(self.tr("Correct the selected entry"))
        self.correct_button.setObjectName("CorrectMovement")
        self.correct_button.clicked.connect(self.ask_correction)
        entries.addWidget(self.correct_button)
        layout.addLayout(entries, 1)
        actions = QGridLayout()
        self.paid_in_button = button(self.tr("Paid in"))
        self.paid_in_button.setObjectName("PaidIn")
        self.paid_out_button = button(self.tr("Paid out"))
        self.paid_out_button.setObjectName("PaidOut")
        self.no_sale_button = button(self.tr("No sale (open drawer)"))
        self.no_sale_button.setObjectName("NoSale")
        self.x_button = button(self.tr("X report (F6)"))
        self.x_button.setObjectName("XReport")
        self.close_button = button(self.tr("Count and close shift (F10)"), "danger")
        self.close_button.setObjectName("CloseShift")
        actions.addWidget(self.paid_in_button, 0, 0)
        actions.addWidget(self.paid_out_button, 0, 1)
        actions.addWidget(self.no_sale_button, 0, 2)
        actions.addWidget(self.x_button, 1, 0)
        actions.addWidget(self.close_button, 1, 1, 1, 2)
        layout.addLayout(actions)
        layout.addWidget(self._back_button())
        self.paid_in_button.clicked.connect(lambda: self.ask_movement(CashMovementKind.PAID_IN))
        self.paid_out_button.clicked.connect(lambda: self.ask_movement(CashMovementKind.PAID_OUT))
        self.no_sale_button.clicked.connect(self.no_sale)
        self.x_button.clicked.connect(self.show_x_report)
        self.close_button.clicked.connect(self.start_count)
        shortcut(page, "F6", self.show_x_report)
        shortcut(page, "F10", self.start_count)
        return page

    def _build_count(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(label(self.tr("Count the drawer"), "Title"))
        self.cash_count = CashCountWidget(self.session.shop.currency, self.session.money)
        self.cash_count.sig_changed.connect(lambda _total: self._update_count())
        layout.addWidget(self.cash_count, 1)
        summary = QGridLayout()
        self.counted_label = label("", "Status")
        self.counted_label.setObjectName("CountedTotal")
        self.count_expected_label = label("", "Status")
        self.count_expected_label.setObjectName("CountExpected")
        self.over_short_label = label("", "Status")
        self.over_short_label.setObjectName("OverShort")
        summary.addWidget(self.counted_label, 0, 0)
        summary.addWidget(self.count_expected_label, 0, 1)
        summary.addWidget(self.over_short_label, 0, 2)
        layout.addLayout(summary)
        actions = QHBoxLayout()
        back = button(self.tr("Back (Esc)"))
        back.clicked.connect(self._escape)
        self.confirm_close = button(self.tr("Close shift"), "danger")
        self.confirm_close.setObjectName("ConfirmClose")
        self.confirm_close.clicked.connect(self.close_shift)
        actions.addWidget(back)
        actions.addWidget(self.confirm_close)
        layout.addLayout(actions)
        return page

    def _build_report(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.report_view = ReportView()
        layout.addWidget(self.report_view, 1)
        actions = QHBoxLayout()
        self.report_done = button(self.tr("Done (Esc)"), "primary")
        self.report_done.setObjectName("ReportDone")
        self.report_done.clicked.connect(self._escape)
        actions.addWidget(self.report_done)
        layout.addLayout(actions)
        return page

    # --- state --------------------------------------------------------------------------------

    def page(self) -> int:
        return self.pages.currentIndex()

    def activated(self) -> None:
        if self.page() in (self.COUNT, self.REPORT):
            return
        self._show_state()

    def keep_focus(self) -> None:
        page = self.page()
        if page == self.CLOSED:
            self.float_field.setFocus()
        elif page == self.COUNT:
            first = next(iter(self.cash_count.spinners.values()))
            first.setFocus()  # a count typed goes here, in place of its 0
            first.selectAll()
        else:
            self.setFocus()  # F6, F10, Esc: the page's keys

    def _staff_changed(self) -> None:
        if self.session.staff is None and self.page() in (self.COUNT, self.REPORT):
            # A half-done count or a report is not left for the next person to find.
            self.cash_count.clear()
            self.report = None
            self.report_view.clear()
            self._show_state()

    def _shift_changed(self) -> None:
        if self.page() in (self.CLOSED, self.OPEN):
            self._show_state()

    def _show_state(self) -> None:
        if self.session.shift is None:
            self.pages.setCurrentIndex(self.CLOSED)
            # Only when on screen: the shift is refreshed after every sale, and a hidden field
            # taking the focus would take the finish screen's keys (Enter opened a shift).
            if self.isVisible():
                self.float_field.setFocus()
        else:
            self.pages.setCurrentIndex(self.OPEN)
            self.load_overview()
        self._update_actions()

    def _update_actions(self) -> None:
        signed_in = self.session.staff is not None
        for widget in (
            self.open_button,
            self.paid_in_button,
            self.paid_out_button,
            self.no_sale_button,
            self.x_button,
            self.close_button,
        ):
            widget.setEnabled(signed_in)
        selected = self._selected_movement()
        self.correct_button.setEnabled(
            signed_in
            and selected is not None
            and selected.kind is not CashMovementKind.NO_SALE
            and selected.reverses_id is None
            and not selected.corrected
        )

    def _escape(self) -> None:
        page = self.page()
        if page == self.COUNT or (page == self.REPORT and self.session.shift is not None):
            self._show_state()
        elif page == self.REPORT:
            self.report = None
            self._show_state()

    def load_overview(self) -> None:
        self.session.db(self.session.register.shifts.overview, self._show_overview)

    def _show_overview(self, overview: ShiftOverview | None) -> None:
        self.overview = overview
        if overview is None:
            if self.page() == self.OPEN:
                self.session.refresh_shift()  # closed elsewhere meanwhile
            return
        money = self.session.money
        shop = self.session.shop
        when = format_moment(overview.shift.opened_at, shop.timezone, self.session.locale_name)
        self.open_meta.setText(
            self.tr("Opened by {name} at {time}").format(name=overview.opened_by, time=when)
        )
        cash = overview.report.cash
        # What leaves the drawer is written negative, as on the X and Z reports.
        for key, amount in (
            ("float", cash.opening_float_minor),
            ("sales", cash.cash_sales_minor),
            ("refunds", -cash.cash_refunds_minor),
            ("paid_in", cash.paid_in_minor),
            ("paid_out", -cash.paid_out_minor),
        ):
            self.figure_labels[key].setText(money(amount))
        self.expected_label.setText(money(cash.expected_minor))
        self._expected_minor = cash.expected_minor
        self._show_movements(overview.movements)
        self._update_count()

    # --- opening ------------------------------------------------------------------------------

    def open_shift(self) -> None:
        staff = self.session.staff
        if staff is None:
            return
        text = self.float_field.text().strip()
        if not text:
            self.session.error(self.tr("Count the float first: enter the cash in the drawer."))
            self.float_field.setFocus()
            return
        try:
            float_minor = parse_money(text, self.session.shop.currency, self.session.locale_name)
        except MoneyError as error:
            self.session.error(describe_amount_error(error))
            self.float_field.selectAll()
            return
        register = self.session.register

        def open_it() -> ShiftRecord:
            return register.shifts.open(staff, float_minor=float_minor)

        def opened(_shift: ShiftRecord) -> None:
            self.float_field.clear()
            self.session.info(
                self.tr("Shift open with a float of {amount}.").format(
                    amount=self.session.money(float_minor)
                )
            )
            self.session.refresh_shift()
            self.window_.show_screen("sell")

        self.open_button.setEnabled(False)
        self.session.db(open_it, opened, self._failed)

    def _failed(self, error: BaseException) -> None:
        self._update_actions()
        self.session.error(error)

    # --- cash in and out ---------------------------------------------------------------------

    def ask_movement(self, kind: CashMovementKind) -> None:
        if self.session.staff is None or self.session.shift is None:
            return
        dialog = CashMovementDialog(
            kind, self.session.shop.currency, self.session.locale_name, self
        )
        dialog.sig_movement.connect(
            lambda amount, reason: with_permission(
                self.session,
                self,
                Permission.PAID_IN_OUT,
                lambda granted: self.record_movement(kind, amount, reason, granted),
            )
        )
        dialog.open()

    def no_sale(self) -> None:
        if self.session.staff is None or self.session.shift is None:
            return
        prompt = TextPrompt(
            self.tr("No sale"),
            self.tr("Why open the drawer?"),
            self,
            choices=(
                self.tr("Give change"),
                self.tr("Check the drawer"),
                self.tr("Put a note under the tray"),
                self.tr("Manager request"),
            ),
        )
        prompt.setObjectName("NoSalePrompt")
        prompt.sig_value.connect(
            lambda reason: with_permission(
                self.session,
                self,
                Permission.NO_SALE,
                lambda granted: self.record_movement(CashMovementKind.NO_SALE, 0, reason, granted),
            )
        )
        prompt.open()

    def record_movement(
        self, kind: CashMovementKind, amount_minor: int, reason: str, authorization: Authorization
    ) -> None:
        register = self.session.register

        def record() -> UUID | None:
            return register.shifts.move_cash(
                kind, amount_minor=amount_minor, reason=reason, authorization=authorization
            )

        def recorded(drawer_job: UUID | None) -> None:
            money = self.session.money(amount_minor)
            no_drawer = kind is CashMovementKind.NO_SALE and drawer_job is None
            self.session.info(
                self.tr(
                    "No sale recorded: {reason}. No cash drawer is set up (Back office → "
                    "Printers): open the drawer with its key."
                ).format(reason=reason)
                if no_drawer
                else {
                    CashMovementKind.PAID_IN: self.tr("Paid in {amount}: {reason}"),
                    CashMovementKind.PAID_OUT: self.tr("Paid out {amount}: {reason}"),
                    CashMovementKind.NO_SALE: self.tr("Drawer opened (no sale): {reason}"),
                }[kind].format(amount=money, reason=reason)
            )
            self.window_.open_drawer()
            self.load_overview()

        self.session.db(record, recorded)

    def _movement_text(self, movement: CashMovement) -> str:
        kinds = {
            CashMovementKind.PAID_IN: self.tr("Paid in"),
            CashMovementKind.PAID_OUT: self.tr("Paid out"),
            CashMovementKind.NO_SALE: self.tr("No sale"),
        }
        shop = self.session.shop
        when = format_moment(movement.created_at, shop.timezone, self.session.locale_name)
        what = kinds[movement.kind]
        if movement.reverses_id is not None:
            what = self.tr("Correction of {kind}").format(kind=what.lower())
        text = f"{when}  {what}"
        if movement.kind is not CashMovementKind.NO_SALE:
            text += f"  {self.session.money(movement.amount_minor)}"
        text += f"  · {movement.reason}"
        if movement.corrected:
            text += "  " + self.tr("(corrected)")
        return text

    def _show_movements(self, movements: tuple[CashMovement, ...]) -> None:
        self.movements_list.clear()
        for movement in movements:
            self.movements_list.addItem(self._movement_text(movement))
        if not movements:
            empty = QListWidgetItem(
                self.tr(
                    "No paid in, paid out or no sale yet this shift. Each one shows here, and "
                    "a wrong one can be corrected."
                )
            )
            empty.setFlags(Qt.ItemFlag.NoItemFlags)  # not an entry: nothing to choose
            self.movements_list.addItem(empty)
        self._update_actions()

    def _selected_movement(self) -> CashMovement | None:
        row = self.movements_list.currentRow()
        movements = self.overview.movements if self.overview else ()
        return movements[row] if 0 <= row < len(movements) else None

    def ask_correction(self) -> None:
        """Reverse the selected paid in or out: a reason, a manager's PIN, then a reversing
        entry (the original stays, both are in the report and the audit log)."""
        movement = self._selected_movement()
        if movement is None or self.session.staff is None:
            return
        prompt = TextPrompt(
            self.tr("Correct a drawer entry"),
            self.tr("Why is “{entry}” wrong?").format(entry=self._movement_text(movement)),
            self,
            choices=(self.tr("Wrong amount typed"), self.tr("Wrong kind (in or out)")),
        )
        prompt.setObjectName("CorrectionReason")
        prompt.sig_value.connect(
            lambda reason: with_permission(
                self.session,
                self,
                Permission.PAID_IN_OUT,
                lambda granted: self.record_correction(movement, reason, granted),
            )
        )
        prompt.open()

    def record_correction(
        self, movement: CashMovement, reason: str, authorization: Authorization
    ) -> None:
        register = self.session.register

        def record() -> None:
            register.shifts.correct_movement(
                movement.id, reason=reason, authorization=authorization
            )

        def recorded(_none: None) -> None:
            self.session.info(
                self.tr("Corrected: {entry}").format(entry=self._movement_text(movement))
            )
            self.load_overview()

        self.session.db(record, recorded)

    # --- reports ------------------------------------------------------------------------------

    def show_x_report(self) -> None:
        if self.session.shift is None or self.session.staff is None:
            return
        self.session.db(self.session.register.shifts.x_report, self.show_report)

    def show_report(self, report: ShiftReport) -> None:
        self.report = report
        shop = self.session.shop
        self.report_view.show_report(
            report, self.session.money, shop.timezone, self.session.locale_name
        )
        self.pages.setCurrentIndex(self.REPORT)
        self.report_done.setFocus()

    # --- closing ------------------------------------------------------------------------------

    def start_count(self) -> None:
        if self.session.shift is None or self.session.staff is None:
            return
        self.cash_count.clear()
        self.pages.setCurrentIndex(self.COUNT)
        self.keep_focus()
        self.load_overview()  # the expected figure, fresh
        self._update_count()

    def _update_count(self) -> None:
        money = self.session.money
        counted = self.cash_count.total()
        self.counted_label.setText(self.tr("Counted {amount}").format(amount=money(counted)))
        expected = self._expected_minor
        if expected is None:
            self.count_expected_label.setText(self.tr("Expected …"))
            self.over_short_label.setText("")
            return
        self.count_expected_label.setText(
            self.tr("Expected {amount}").format(amount=money(expected))
        )
        self.over_short_label.setText(
            ReportText().over_short_html(over_short(expected, counted), money)
        )

    def close_shift(self) -> None:
        if self.session.staff is None or self.session.shift is None:
            return
        counts = self.cash_count.counts()
        with_permission(
            self.session,
            self,
            Permission.CLOSE_SHIFT,
            lambda granted: self.close_with(granted, counts),
        )

    def close_with(
        self,
        authorization: Authorization,
        counts: dict[int, int],
        leave_unfinished: bool = False,
    ) -> None:
        register = self.session.register

        def close() -> ShiftReport:
            return register.shifts.close(
                authorization, counts=counts, leave_unfinished=leave_unfinished
            )

        def closed(report: ShiftReport) -> None:
            self.confirm_close.setEnabled(True)
            self._expected_minor = None
            self.cash_count.clear()
            self.show_report(report)
            self.session.refresh_shift()
            self.session.info(self.tr("Shift closed."))

        def failed(error: BaseException) -> None:
            self.confirm_close.setEnabled(True)
            if isinstance(error, UnfinishedOrders):
                self._confirm_unfinished(error.orders, authorization, counts)
            else:
                self.session.error(error)

        self.confirm_close.setEnabled(False)
        self.session.db(close, closed, failed)

    def _confirm_unfinished(
        self,
        orders: tuple[OrderSummary, ...],
        authorization: Authorization,
        counts: dict[int, int],
    ) -> None:
        """Orders still open or parked: list them, and close only if the manager says so."""
        listed = "\n".join(
            self.tr("#{number} {status} {label} {total}")
            .format(
                number=order.number,
                status=status_text(order.status),
                label=order.label,
                total=self.session.money(order.total_minor),
            )
            .replace("  ", " ")
            for order in orders
        )
        dialog = ConfirmDialog(
            self.tr("Orders still open"),
            self.tr(
                "These orders are not paid or voided:\n{orders}\n\n"
                "Close the shift anyway?\nThey stay in the history to recall or void later."
            ).format(orders=listed),
            self.tr("Close anyway"),
            self,
        )
        dialog.setObjectName("UnfinishedOrdersDialog")
        fit_lines(dialog)
        dialog.sig_confirmed.connect(
            lambda: self.close_with(authorization, counts, leave_unfinished=True)
        )
        dialog.open()


SCREEN = ShiftScreen
