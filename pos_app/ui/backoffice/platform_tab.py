"""Back office → Shop set-up → Fees & web console: the platform's fee invoices to the shop
(`fee_invoices`) and inviting an owner to the web console (`web_console`). A tab of its own,
beside Sync, in a scroll area, so the office keeps the height of a 768-pixel screen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from pos_app.ui.backoffice.fee_invoices import FeeInvoicesSection
from pos_app.ui.backoffice.web_console import WebConsoleSection
from pos_app.ui.session import CounterSession
from pos_app.ui.widgets.common import vertical_scroll


class PlatformTab(QWidget):
    def __init__(self, session: CounterSession) -> None:
        super().__init__()
        self.setObjectName("PlatformTab")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        self.fee_invoices = FeeInvoicesSection(session)
        layout.addWidget(self.fee_invoices, 1)
        self.web_console = WebConsoleSection(session)
        layout.addWidget(self.web_console)
        # Both sections are taller than a 768-pixel screen's office: they scroll, the office's
        # other tabs keep their height.
        scroll = vertical_scroll(content, "PlatformScroll")
        # Not a tab stop of its own (it showed no focus: a Tab that seemed to do nothing); Tab
        # goes from the tab bar to the invoices, and the area scrolls to whatever has focus.
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        outer.addWidget(scroll, 1)

    def refresh(self) -> None:
        self.fee_invoices.refresh()
