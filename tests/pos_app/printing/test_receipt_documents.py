"""The receipt as a PDF (for e-mail) and a PNG (the in-app preview), drawn by Qt offscreen."""

from __future__ import annotations

import io
import threading

import pytest
import qrcode
from pypdf import PdfReader
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from pos_app.db.database import Database
from pos_app.domain.receipts import Receipt, build_kitchen_ticket
from pos_app.domain.shop import Shop
from pos_app.domain.staff import StaffMember
from pos_app.domain.tenders import TenderKind, TenderRequest
from pos_app.integrations.printing import documents
from pos_app.services import checkout, printing
from tests.support.register import ring_up

pytestmark = pytest.mark.qt


@pytest.fixture
def receipt(db: Database, shop: Shop, staff: dict[str, StaffMember]) -> Receipt:
    order = ring_up(db, shop, [("COF-LAT", 2), ("FOD-CHB", 1)])
    total = order.totals().total_minor
    card = TenderRequest(
        TenderKind.CARD, total, tip_minor=200, card_brand="visa", card_last4="4242"
    )
    with db.write() as uow:
        placed = checkout.place_order(
            uow, order=order, tenders=[card], shop=shop, staff=staff["Alex"], shift_id=None
        )
    with db.read() as uow:
        return printing.load_receipt(uow, order_id=placed.order_id)


def test_pdf_is_an_80mm_page_with_the_receipt_as_real_text(
    qapp: QApplication, receipt: Receipt
) -> None:
    pdf = documents.receipt_pdf(receipt)
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert float(page.mediabox.width) == pytest.approx(80 / 25.4 * 72, abs=0.5)
    assert float(page.mediabox.height) > float(page.mediabox.width)
    # Text extraction guesses word gaps from glyph positions (columns come out as tabs, and
    # now and then a word is split), so compare with all white space taken out.
    text = "".join(page.extract_text(extraction_mode="layout").split())
    for expected in (
        "Corner Café",
        f"Order {receipt.order_number}",
        "2 x Latte",
        "1 x Cheeseburger",
        "Subtotal",
        "Tax 8.875%",
        "TOTAL",
        "Visa •••• 4242",
        "Served by Alex",
    ):
        assert expected.replace(" ", "") in text, expected
    total = receipt.total_minor + receipt.tip_minor
    assert f"${total // 100}.{total % 100:02d}" in text
    assert reader.metadata is not None
    assert reader.metadata.title == receipt.title


def _qr_from_image(image: QImage, side_modules: int, module: int) -> list[list[bool]]:
    """Find the QR code in the image (its top-left finder pattern) and read it module by module."""
    side = side_modules * module
    left = (image.width() - side) // 2
    black = QColor("black").rgb()
    for top in range(image.height() - side):
        # The finder pattern's top edge: seven dark modules in a row at the code's left edge.
        if all(image.pixel(left + x, top) == black for x in range(0, 7 * module, module)):
            return [
                [
                    image.pixel(left + c * module + module // 2, top + r * module + module // 2)
                    == black
                    for c in range(side_modules)
                ]
                for r in range(side_modules)
            ]
    raise AssertionError("no QR code in the image")


def test_png_preview_is_576_dots_of_paper_with_a_readable_qr_code(
    qapp: QApplication, receipt: Receipt
) -> None:
    png = documents.receipt_png(receipt)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = QImage.fromData(png)
    assert not image.isNull()
    assert image.width() == documents.DOTS_80MM + 2 * documents.MARGIN_DOTS
    assert 800 < image.height() < 3000
    assert round(image.dotsPerMeterX() * 0.0254) == documents.DOTS_PER_INCH
    assert image.pixelColor(2, 2) == QColor("white")

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(receipt.qr_payload)
    code.make(fit=True)
    expected = [[bool(cell) for cell in row] for row in code.get_matrix()]
    assert _qr_from_image(image, len(expected), documents.QR_MODULE_DOTS) == expected


def test_58mm_paper_is_384_dots_wide(qapp: QApplication, receipt: Receipt) -> None:
    image = QImage.fromData(documents.receipt_png(receipt, width=32))
    assert image.width() == documents.DOTS_58MM + 2 * documents.MARGIN_DOTS


def test_documents_render_off_the_gui_thread(qapp: QApplication, receipt: Receipt) -> None:
    results: dict[str, bytes] = {}

    def render() -> None:
        results["png"] = documents.receipt_png(receipt)
        results["pdf"] = documents.receipt_pdf(receipt)

    worker = threading.Thread(target=render)
    worker.start()
    worker.join(30)
    assert results["png"] == documents.receipt_png(receipt)
    text = PdfReader(io.BytesIO(results["pdf"])).pages[0].extract_text(extraction_mode="layout")
    assert "CornerCafé" in "".join(text.split())


def test_kitchen_ticket_preview(qapp: QApplication, receipt: Receipt, db: Database) -> None:
    with db.read() as uow:
        order = uow.orders.get(receipt.order_id)
        shop = uow.settings.shop()
    assert order is not None
    assert shop is not None
    ticket = build_kitchen_ticket(
        order=order, lines=order.lines[1:], station="Grill", shop=shop, at=order.created_at
    )
    image = QImage.fromData(documents.kitchen_ticket_png(ticket))
    assert image.width() == documents.DOTS_80MM + 2 * documents.MARGIN_DOTS
    assert image.height() > 200
