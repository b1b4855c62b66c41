"""What a back-office list shows while it is empty: what belongs there, and the one action
that fills it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from pos_app.ui.widgets.common import button, label


class EmptyState(QWidget):
    def __init__(
        self,
        title: str,
        text: str,
        action_text: str | None = None,
        action: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("EmptyState")
        # A column of at most 600 pixels, centred: word-wrapped labels get the height they
        # need only when added without an alignment of their own.
        column = QWidget()
        column.setMaximumWidth(600)
        layout = QVBoxLayout(column)
        self.title = label(title, "Subtitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text = label(text, "Muted")
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.title)
        layout.addWidget(self.text)
        self.action = None
        if action_text is not None and action is not None:
            self.action = button(action_text, "primary")
            self.action.setObjectName("EmptyStateAction")
            self.action.setMinimumWidth(260)
            self.action.setMaximumWidth(360)
            self.action.clicked.connect(action)
            layout.addSpacing(12)
            layout.addWidget(self.action, 0, Qt.AlignmentFlag.AlignHCenter)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(column, 4)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)


class EmptyOr(QStackedWidget):
    """The list, or its empty state while it has nothing to show."""

    def __init__(self, content: QWidget, empty: EmptyState) -> None:
        super().__init__()
        self.content = content
        self.empty = empty
        self.addWidget(content)
        self.addWidget(empty)

    def show_empty(self, empty: bool) -> None:
        self.setCurrentWidget(self.empty if empty else self.content)

    @property
    def is_empty(self) -> bool:
        return self.currentWidget() is self.empty
