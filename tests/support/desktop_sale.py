"""A cash sale at the demo counter by keyboard and "scanner" on a real X desktop
(tests/support/desktop.py), shared by the run from source (tests/pos_app/ui/
test_ui_real_display.py) and the store build's smoke test (tests/packaging/
test_frozen_desktop.py): the same keys, screens and checks for both.

Nobody clicks. A name's first letter and the PIN sign in; the opening float; a barcode
"scanned" (its digits and Enter typed fast) as soon as the sell screen shows; an order discount
a manager approves with a PIN typed on the keyboard; another barcode right after that dialog
closes; F12 and the cash handed over; on the finish screen E, an address and Enter (the receipt
e-mailed), Enter again (the next customer); F4 and F10 (the drawer count) on the shift screen,
Esc; Alt+F4. What was sold is then read from the register's database.

A screenshot of each step is kept under `folder` and in build/artifacts/ as
`<prefix>-<nn>-<step>.png`.
"""

from __future__ import annotations

import sqlite3
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from pos_app.services.setup import DEMO_STAFF
from tests.support.desktop import Desktop, keep, wait_for

WINDOW_TITLE = " — Counter POS$"
DEMO_TITLE = "Corner Café — Counter POS"
WATER_BARCODE, COLA_BARCODE = "0012345678905", "0049000050103"
HALF_OFF_TOTAL_MINOR = 242
"""$1.95 + $2.50, half off, then New York's 8.875 % tax: $2.23 + $0.20."""
CUSTOMER_EMAIL = "pat.tenney@example.com"
"""P, E, N and T: the finish screen's shortcut letters, typed into its e-mail box."""
EMAIL_QUEUED = "SELECT 1 FROM audit_log WHERE action = 'notification.queued'"


def query(database: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        return connection.execute(sql).fetchall()


class Steps:
    """Screenshots, one per step, numbered in order; each kept under build/artifacts/."""

    def __init__(self, screen: Desktop, folder: Path, prefix: str) -> None:
        self.screen = screen
        self.folder = folder
        self.prefix = prefix
        self.last: Path | None = None
        self.count = 0

    def shot(self, name: str, *, changed: bool = True) -> Path:
        """Once the screen has settled (and, with `changed`, shows something new)."""
        self.count += 1
        path = self.folder / f"{self.count:02d}-{name}.png"
        self.last = self.screen.wait_until_settled(
            path, changed_from=self.last if changed else None
        )
        keep(self.last, self.prefix)
        return self.last


def scan(screen: Desktop, code: str) -> None:
    """A barcode scanner: a keyboard that types the digits fast and ends with Enter."""
    screen.run("xdotool", "type", "--delay", "12", code)
    screen.key("Return")


def screen_size(screen: Desktop) -> str:
    width, height = screen.run("xdotool", "getdisplaygeometry").split()
    return f"{width}x{height}"


def a_sale_by_keyboard(
    screen: Desktop,
    command: Sequence[str],
    env: Mapping[str, str],
    *,
    data: Path,
    folder: Path,
    prefix: str,
) -> None:
    """Start the demo counter (`command`, with `data` as its fresh data directory), sell, quit,
    and check what the database holds. Its stderr must stay empty."""
    database = data / "demo" / "register.sqlite3"
    cashier = next(member for member in DEMO_STAFF if member.name == "Alex")
    manager = next(member for member in DEMO_STAFF if member.name == "Morgan")
    steps = Steps(screen, folder, prefix)
    out, err = (folder / "stdout.txt").open("w+"), (folder / "stderr.txt").open("w+")
    with out, err:
        app = subprocess.Popen(list(command), env=dict(env), cwd=folder, stdout=out, stderr=err)
        try:
            window = screen.wait_for_window(WINDOW_TITLE)
            assert screen.title(window) == DEMO_TITLE
            # Nobody clicks: the window has the keyboard from the start.
            wait_for("the counter to have the keyboard", lambda: screen.active_window() == window)
            steps.shot("sign-in", changed=False)

            screen.type_text(cashier.name[0].lower())  # the name's first letter chooses it
            steps.shot("pin")
            screen.type_text(cashier.pin)
            screen.key("Return")
            steps.shot("open-shift")
            screen.type_text("150")  # the opening float
            screen.key("Return")
            wait_for(
                "the shift to open",
                lambda: bool(query(database, "SELECT 1 FROM shifts WHERE status = 'open'")),
            )
            steps.shot("sell-empty")

            scan(screen, WATER_BARCODE)  # the sell screen's code entry has the keyboard
            steps.shot("scanned-water")

            screen.key("F6")  # an order discount: more than a cashier may give
            screen.wait_for_window("^Order discount$")
            screen.type_text("50")
            screen.key("Tab")
            screen.type_text("regular")
            steps.shot("discount")
            screen.key("Return")
            screen.wait_for_window("^Manager approval$")
            steps.shot("approval")
            screen.type_text("m")  # the approver by first letter, the PIN typed, Enter approves
            screen.type_text(manager.pin)
            screen.key("Return")
            screen.wait_until_gone("^Manager approval$")
            scan(screen, COLA_BARCODE)  # right after the dialog closes
            steps.shot("scanned-cola")

            screen.key("F12")
            steps.shot("pay")
            screen.type_text("20")  # twenty dollars handed over
            screen.key("Return")
            wait_for(
                "the order to be paid",
                lambda: bool(query(database, "SELECT 1 FROM orders WHERE status = 'paid'")),
            )
            steps.shot("paid")

            screen.type_text("e")  # E: to the e-mail box, which did not have the keyboard
            screen.type_text(CUSTOMER_EMAIL)  # its letters are the address, not shortcuts
            screen.key("Return")  # Enter in the box sends the receipt
            wait_for("the e-mail receipt to be queued", lambda: bool(query(database, EMAIL_QUEUED)))
            steps.shot("receipt-emailed")
            screen.key("Return")  # and now Enter is the next customer
            steps.shot("next-customer")
            screen.key("F4")
            steps.shot("shift")
            screen.key("F10")  # count the drawer
            steps.shot("count")
            screen.key("Escape")
            steps.shot("shift-again")

            screen.key("alt+F4")  # openbox closes the window, as a click on its X would
            assert app.wait(timeout=30) == 0
        finally:
            if app.poll() is None:
                app.kill()
                app.wait()
        err.seek(0)
        assert err.read() == ""

    [(status, total, discount, reason, approver)] = query(
        database,
        "SELECT o.status, o.total_minor, o.discount_value, o.discount_reason, s.name "
        "FROM orders o JOIN audit_log a ON a.order_id = o.id AND a.action = 'discount.order' "
        "JOIN staff s ON s.id = a.approved_by_id",
    )
    assert (status, total, discount, reason, approver) == (
        "paid", HALF_OFF_TOTAL_MINOR, 500_000, "regular", manager.name,
    )  # fmt: skip
    lines = query(database, "SELECT sku, quantity FROM order_lines ORDER BY position")
    assert lines == [("DRK-WAT", 1), ("DRK-COL", 1)]
    tenders = query(database, "SELECT kind, tendered_minor, change_minor FROM tenders")
    assert tenders == [("cash", 2000, 2000 - HALF_OFF_TOTAL_MINOR)]
    [(seller,)] = query(database, "SELECT s.name FROM orders o JOIN staff s ON s.id = o.staff_id")
    assert seller == cashier.name
    [(payload,)] = query(database, "SELECT payload FROM outbox WHERE entity = 'notification'")
    assert f'"to": "{CUSTOMER_EMAIL}"' in str(payload)
