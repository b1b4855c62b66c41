"""The same receipt as a PDF (to e-mail) and as a PNG (the preview in the app).

Both draw the `PrintLayout` the thermal printer gets, on the same grid: 203 dots per inch,
576 dots across 80 mm paper (384 across 58 mm), one monospaced character per column. So what
the customer gets by e-mail looks like the slip in their hand.

Qt classes only (`QImage`, `QPainter`, `QPdfWriter`): they work with
``QT_QPA_PLATFORM=offscreen`` and off the GUI thread, so the UI can render in a background
operation. A `QGuiApplication` must exist (fonts need it); the app has one.
"""

from __future__ import annotations

from dataclasses import dataclass

import qrcode
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPaintDevice,
    QPainter,
    QPdfWriter,
)

from pos_app.domain.receipts import (
    Align,
    KitchenTicket,
    PrintLayout,
    QrRow,
    Receipt,
    TextRow,
    layout_kitchen_ticket,
    layout_receipt,
)

DOTS_PER_INCH = 203
DOTS_80MM = 576
DOTS_58MM = 384
PAPER_80MM_MM = 80.0
PAPER_58MM_MM = 58.0
QR_MODULE_DOTS = 6
"""As on paper (`escpos_render.QR_MODULE_DOTS`)."""
MARGIN_DOTS = 24
"""White space around the preview, like the paper's unprintable edge."""
LINE_SPACING = 1.25
"""Row height as a multiple of the character width's font size, close to a printer's 30 dots."""


class DocumentError(RuntimeError):
    """A receipt document could not be drawn (no QGuiApplication, a painter that failed)."""


@dataclass(frozen=True, slots=True)
class _Grid:
    dots_wide: int
    char_w: float
    stretch: float
    """Horizontal scale from the font's own advance to one column of the grid."""
    line_h: float
    font: QFont
    bold_font: QFont
    baseline: float
    """From the top of a row: the glyphs sit centred in the row's height."""


def _require_gui_app() -> None:
    if QGuiApplication.instance() is None:
        raise DocumentError("receipt documents need a QGuiApplication (fonts come from it)")


def _dots_wide(width_chars: int) -> int:
    return DOTS_58MM if width_chars <= 32 else DOTS_80MM


def _grid(width_chars: int, device: QPaintDevice | None = None) -> _Grid:
    dots = _dots_wide(width_chars)
    char_w = dots / width_chars
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setStyleHint(QFont.StyleHint.Monospace)
    font.setKerning(False)
    font.setPixelSize(100)
    advance = _metrics(font, device).horizontalAdvance("M") or 60.0
    # Qt sizes fonts in whole pixels: take the largest whose characters fit one column, and
    # stretch each row the last few per cent to the printer's grid when drawing it. A row is
    # drawn as one string, so text copied out of the PDF reads as it does on paper.
    font.setPixelSize(max(6, int(100 * char_w / advance)))
    bold = QFont(font)
    bold.setBold(True)
    metrics = _metrics(font, device)
    line_h = max(metrics.height(), font.pixelSize() * LINE_SPACING)
    return _Grid(
        dots_wide=dots,
        char_w=char_w,
        stretch=char_w / metrics.horizontalAdvance("M"),
        line_h=line_h,
        font=font,
        bold_font=bold,
        baseline=(line_h - metrics.ascent() - metrics.descent()) / 2 + metrics.ascent(),
    )


def _metrics(font: QFont, device: QPaintDevice | None) -> QFontMetricsF:
    return QFontMetricsF(font, device) if device is not None else QFontMetricsF(font)


def _qr_matrix(payload: str) -> list[list[bool]]:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(payload)
    code.make(fit=True)
    return [[bool(cell) for cell in row] for row in code.get_matrix()]


def _row_height(row: TextRow | QrRow, grid: _Grid) -> float:
    if isinstance(row, QrRow):
        return len(_qr_matrix(row.payload)) * QR_MODULE_DOTS + 2 * grid.line_h
    return grid.line_h * row.size.height_factor


def _content_height(layout: PrintLayout, grid: _Grid) -> float:
    return sum(_row_height(row, grid) for row in layout.rows)


def _paint(painter: QPainter, layout: PrintLayout, grid: _Grid) -> None:
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    black = QColor(Qt.GlobalColor.black)
    white = QColor(Qt.GlobalColor.white)
    y = 0.0
    for row in layout.rows:
        height = _row_height(row, grid)
        if isinstance(row, QrRow):
            matrix = _qr_matrix(row.payload)
            side = len(matrix) * QR_MODULE_DOTS
            left = (grid.dots_wide - side) / 2
            top = y + grid.line_h
            for r, cells in enumerate(matrix):
                for c, dark in enumerate(cells):
                    if dark:
                        painter.fillRect(
                            QRectF(
                                left + c * QR_MODULE_DOTS,
                                top + r * QR_MODULE_DOTS,
                                QR_MODULE_DOTS,
                                QR_MODULE_DOTS,
                            ),
                            black,
                        )
            y += height
            continue
        sx = row.size.width_factor
        sy = row.size.height_factor
        text_w = len(row.text) * grid.char_w * sx
        if row.align is Align.CENTER:
            x = (grid.dots_wide - text_w) / 2
        elif row.align is Align.RIGHT:
            x = grid.dots_wide - text_w
        else:
            x = 0.0
        if row.invert and row.text:
            painter.fillRect(QRectF(x, y, text_w, height), black)
        painter.save()
        painter.setPen(white if row.invert else black)
        painter.setFont(grid.bold_font if row.bold else grid.font)
        painter.translate(x, y)
        painter.scale(sx * grid.stretch, sy)
        painter.drawText(QPointF(0, grid.baseline), row.text)
        painter.restore()
        y += height


def render_png(layout: PrintLayout) -> bytes:
    """A PNG of the slip: 576 dots wide for 80 mm paper (384 for 58 mm), plus margins."""
    _require_gui_app()
    grid = _grid(layout.width)
    height = int(_content_height(layout, grid)) + 2 * MARGIN_DOTS
    image = QImage(grid.dots_wide + 2 * MARGIN_DOTS, height, QImage.Format.Format_RGB32)
    image.setDotsPerMeterX(round(DOTS_PER_INCH / 0.0254))
    image.setDotsPerMeterY(round(DOTS_PER_INCH / 0.0254))
    image.fill(QColor(Qt.GlobalColor.white))
    painter = QPainter(image)
    try:
        painter.translate(MARGIN_DOTS, MARGIN_DOTS)
        _paint(painter, layout, grid)
    finally:
        painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # The stubs ask for bytes, but PySide6 6.12 only accepts the format as str at run time.
    if not image.save(buffer, "PNG"):  # type: ignore[call-overload]
        raise DocumentError("the receipt image could not be encoded as PNG")
    buffer.close()
    return bytes(data.data())


def render_pdf(layout: PrintLayout) -> bytes:
    """A one-page PDF as long as the slip, 80 mm (or 58 mm) wide, with real text."""
    _require_gui_app()
    paper_mm = PAPER_58MM_MM if layout.width <= 32 else PAPER_80MM_MM
    grid = _grid(layout.width)
    margin_mm = (paper_mm - grid.dots_wide / DOTS_PER_INCH * 25.4) / 2
    content_mm = _content_height(layout, grid) / DOTS_PER_INCH * 25.4
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(layout.title)
    writer.setCreator("Counter POS")
    writer.setResolution(DOTS_PER_INCH)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(
                QSizeF(paper_mm, content_mm + 2 * margin_mm),
                QPageSize.Unit.Millimeter,
                "Receipt",
                QPageSize.SizeMatchPolicy.ExactMatch,
            ),
            QPageLayout.Orientation.Portrait,
            QMarginsF(margin_mm, margin_mm, margin_mm, margin_mm),
            QPageLayout.Unit.Millimeter,
        )
    )
    painter = QPainter()
    if not painter.begin(writer):
        raise DocumentError("the PDF could not be started")
    try:
        _paint(painter, layout, _grid(layout.width, writer))
    finally:
        painter.end()
    del writer  # the PDF is complete once the painter ends; drop the writer before the buffer
    buffer.close()
    return bytes(data.data())


def receipt_png(receipt: Receipt, *, width: int = 42) -> bytes:
    return render_png(layout_receipt(receipt, width))


def receipt_pdf(receipt: Receipt, *, width: int = 42) -> bytes:
    return render_pdf(layout_receipt(receipt, width))


def kitchen_ticket_png(ticket: KitchenTicket, *, width: int = 42) -> bytes:
    return render_png(layout_kitchen_ticket(ticket, width))
