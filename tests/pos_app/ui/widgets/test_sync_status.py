"""The status bar's sync indicator: the words for each state it is given, the warnings added to
them, and the details a click opens (with "Sync now" only when there is a server to sync with)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from PySide6.QtWidgets import QDialog, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from pos_app.application.sync import SyncStatus
from pos_app.ui.formatting import format_time
from pos_app.ui.widgets.sync_status import SyncIndicator
from tests.pos_app.ui.conftest import tap

PAIRED = SyncStatus(
    paired=True,
    server_url="https://sync.example",
    device_id="dev-42",
    pending=0,
    last_success_at=None,
    last_error=None,
    offline_since=None,
)
WENT_OFFLINE = datetime(2026, 3, 2, 14, 5, tzinfo=UTC)
OFFLINE_AT = format_time(WENT_OFFLINE, "America/New_York", "en_US")


@pytest.fixture
def syncs() -> list[bool]:
    return []


@pytest.fixture
def indicator(qtbot: QtBot, syncs: list[bool]) -> SyncIndicator:
    widget = SyncIndicator("America/New_York", "en_US", lambda: syncs.append(True))
    qtbot.addWidget(widget)
    widget.show()
    return widget


def status(**changes: object) -> SyncStatus:
    return replace(PAIRED, **changes)  # type: ignore[arg-type]


def test_offline_time_is_the_shops_clock() -> None:
    assert OFFLINE_AT.startswith("9:05")  # 14:05 UTC is 09:05 in New York
    assert OFFLINE_AT.endswith("AM")


@pytest.mark.parametrize(
    ("state", "text"),
    [
        (PAIRED, "Synced"),
        (status(pending=3), "3 pending"),
        (status(last_error="HTTP 502"), "Sync error — click for details"),
        (
            status(pending=12, last_error="timed out", offline_since=WENT_OFFLINE),
            f"Offline since {OFFLINE_AT} — 12 pending",
        ),
        (status(paired=False), "Not synced (standalone)"),
        (status(paired=False, revoked=True), "Unpaired on the server — pair again"),
        (
            status(pending=1, negative_stock=("Croissant", "Cola"), refused=2),
            "1 pending  ⚠ oversold: Croissant, Cola  ⚠ 2 refused (Back office → Sync)",
        ),
    ],
)
def test_shows_the_state_it_is_given(
    indicator: SyncIndicator, state: SyncStatus, text: str
) -> None:
    assert indicator.text() == "Sync: starting…"
    indicator.update_status(state)
    assert indicator.text() == text
    assert indicator.status is state


def details(qtbot: QtBot, indicator: SyncIndicator) -> QDialog:
    tap(indicator)
    dialog = indicator.findChild(QDialog, "SyncDetails")
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def test_a_click_shows_the_details_and_sync_now(
    qtbot: QtBot, indicator: SyncIndicator, syncs: list[bool]
) -> None:
    indicator.update_status(
        status(pending=4, refused=1, last_error="HTTP 502", negative_stock=("Cola",))
    )
    dialog = details(qtbot, indicator)
    [text] = [w.text() for w in dialog.findChildren(QLabel)]
    assert text.splitlines() == [
        "Server: https://sync.example",
        "Device: dev-42",
        "Changes waiting to be sent: 4",
        "Changes the server refused: 1",
        "Last successful sync: never",
        "Last error: HTTP 502",
        "Sold more than the shop had (check the shelves): Cola",
    ]
    [now] = [b for b in dialog.findChildren(QPushButton) if b.text() == "Sync now"]
    tap(now)
    assert syncs == [True]
    dialog.reject()


def test_an_unpaired_register_is_told_how_to_pair_and_offered_no_sync(
    qtbot: QtBot, indicator: SyncIndicator
) -> None:
    indicator.update_status(status(paired=False, revoked=True))
    dialog = details(qtbot, indicator)
    [text] = [w.text() for w in dialog.findChildren(QLabel)]
    assert text.startswith("This register was unpaired on the server.")
    assert "pos-app pair" in text
    assert not [b for b in dialog.findChildren(QPushButton) if b.text() == "Sync now"]
    dialog.reject()
