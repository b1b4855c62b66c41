"""Turn a receipt or kitchen ticket layout into the ESC/POS bytes a thermal printer takes.

python-escpos' `Dummy` printer builds the byte stream (styles, code pages, native QR, cut);
nothing here opens a connection. The bytes are stored in the print queue and sent later by
the worker, so rendering never waits for a printer.
"""

from __future__ import annotations

import os
import platform
import shutil
import tempfile
from pathlib import Path

import platformdirs

from pos_app.config import APP_NAME
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

_PICKLE_NAME = f"{platform.python_version()}.capabilities.pickle"


def _capabilities_cache() -> tuple[Path, Path] | None:
    """Where python-escpos keeps its parsed printer database.

    It parses a large YAML file on import and pickles it, by default into a fresh temporary
    directory every time (~0.1 s and a leaked directory per start). A per-user cache directory
    lets later starts load the pickle (per user, not /tmp: the file is unpickled). escpos
    writes that file in place, so two processes starting together could read it half
    written: a missing cache is built in a private directory and published atomically.
    Returns (private dir, shared file) when the caller must publish after the import.
    """
    if "ESCPOS_CAPABILITIES_PICKLE_DIR" in os.environ:
        return None
    cache = Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / "escpos"
    try:
        cache.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None  # python-escpos falls back to its temporary directory
    shared = cache / _PICKLE_NAME
    if shared.is_file() and shared.stat().st_size > 0:
        os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"] = str(cache)
        return None
    private = Path(tempfile.mkdtemp(prefix="pos-escpos-"))
    os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"] = str(private)
    return private, shared


def _publish(private: Path, shared: Path) -> None:
    built = private / _PICKLE_NAME
    try:
        if built.is_file() and built.stat().st_size > 0:
            partial = shared.with_name(f"{shared.name}.{os.getpid()}.tmp")
            shutil.copyfile(built, partial)
            os.replace(partial, shared)  # atomic: readers see the old file or the whole new one
    except OSError:
        pass  # no shared cache this time; the next start tries again
    finally:
        shutil.rmtree(private, ignore_errors=True)


_to_publish = _capabilities_cache()

from escpos.constants import QR_ECLEVEL_M  # noqa: E402
from escpos.printer import Dummy  # noqa: E402

if _to_publish is not None:
    _publish(*_to_publish)

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
