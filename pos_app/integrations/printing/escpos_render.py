"""Turn a receipt or kitchen ticket layout into the ESC/POS bytes a thermal printer takes.

python-escpos' `Dummy` printer builds the byte stream (styles, code pages, native QR, cut);
nothing here opens a connection. The bytes are stored in the print queue and sent later by
the worker, so rendering never waits for a printer.
"""

from __future__ import annotations

import importlib.resources
import json
import os
import pickle
import platform
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pos_app.domain.receipts import (
    Align,
    KitchenTicket,
    PrintLayout,
    QrRow,
    Receipt,
    TextRow,
    TextSize,
    layout_kitchen_ticket,
    layout_receipt,
)

_PICKLE_VAR = "ESCPOS_CAPABILITIES_PICKLE_DIR"


@contextmanager
def _capabilities_prebuilt() -> Iterator[None]:
    """Around the import of python-escpos: hand it its printer database already parsed.

    On import, escpos parses its capabilities.json with PyYAML (about 135 ms here) unless a
    pickle of it exists in $ESCPOS_CAPABILITIES_PICKLE_DIR, and it always makes a temporary
    directory for that pickle, which it never removes. The same file read with `json` takes
    about 3 ms and gives the same data, so no cache is kept between starts: the pickle is
    written to a private directory, the import reads it, and the directory and the
    environment variable are gone afterwards (a child process must not inherit a path that no
    longer exists). escpos' own temporary directory is made inside the private one, so it
    goes too. A variable set by the user is left alone.
    """
    if _PICKLE_VAR in os.environ:
        yield
        return
    private = Path(tempfile.mkdtemp(prefix="pos-escpos-"))
    saved_tempdir = tempfile.tempdir
    try:
        source = importlib.resources.files("escpos") / "capabilities.json"
        capabilities = json.loads(source.read_bytes())
        pickle_path = private / f"{platform.python_version()}.capabilities.pickle"
        pickle_path.write_bytes(pickle.dumps(capabilities, protocol=2))
        os.environ[_PICKLE_VAR] = str(private)
        tempfile.tempdir = str(private)
        yield
    finally:
        tempfile.tempdir = saved_tempdir
        os.environ.pop(_PICKLE_VAR, None)
        shutil.rmtree(private, ignore_errors=True)


with _capabilities_prebuilt():
    from escpos.constants import QR_ECLEVEL_M
    from escpos.printer import Dummy

QR_MODULE_DOTS = 6
"""Size of one QR module in printer dots: about 0.75 mm at 203 dpi, easy for phone cameras."""
DRAWER_PINS = (2, 5)
"""Kick both drawer connector pins: a drawer is wired to one of them, and the other is idle."""


class _Styler:
    """Send style changes only when a row's style differs from the previous row's."""

    def __init__(self, printer: Dummy) -> None:
        self.printer = printer
        self.current: tuple[Align, bool, TextSize, bool] | None = None

    def apply(self, row: TextRow) -> None:
        style = (row.align, row.bold, row.size, row.invert)
        if style == self.current:
            return
        # `ESC !` (the size command) also clears bold, so every change sends the whole style.
        self.printer.set(
            align=row.align.value,
            bold=row.bold,
            invert=row.invert,
            normal_textsize=row.size is TextSize.NORMAL,
            double_height=row.size is not TextSize.NORMAL,
            double_width=row.size is TextSize.LARGE,
        )
        self.current = style

    def reset(self) -> None:
        self.current = None


def render_layout(layout: PrintLayout, *, cut: bool = True) -> bytes:
    """ESC/POS bytes for `layout`: initialise, rows, QR code, feed and partial cut."""
    printer = Dummy()
    printer.hw("INIT")
    styler = _Styler(printer)
    for row in layout.rows:
        if isinstance(row, QrRow):
            printer.set(align="center", bold=False, invert=False, normal_textsize=True)
            styler.reset()
            # Native GS ( k: the printer draws the code itself, sharp and small on the wire.
            printer.qr(row.payload, ec=QR_ECLEVEL_M, size=QR_MODULE_DOTS, native=True)
            printer.ln()
            continue
        styler.apply(row)
        printer.textln(row.text)
    printer.set(align="left", bold=False, invert=False, normal_textsize=True)
    if cut:
        # Feeds six lines past the head (so the last row clears the cutter), then `GS V 1`.
        printer.cut(mode="PART")
    return bytes(printer.output)


def render_receipt(receipt: Receipt, *, width: int) -> bytes:
    return render_layout(layout_receipt(receipt, width))


def render_kitchen_ticket(ticket: KitchenTicket, *, width: int) -> bytes:
    return render_layout(layout_kitchen_ticket(ticket, width))


def drawer_kick() -> bytes:
    """The pulse that opens a cash drawer wired to the printer (`ESC p m t1 t2`)."""
    printer = Dummy()
    for pin in DRAWER_PINS:
        printer.cashdraw(pin)
    return bytes(printer.output)
