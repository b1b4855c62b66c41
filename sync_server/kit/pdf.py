"""A small PDF 1.4 writer for text documents (fee statements): no PDF library is installed, and
a statement needs only lines of text on A4 pages.

What it writes: one uncompressed content stream per page, the standard Type 1 fonts Helvetica
and Helvetica-Bold (every PDF reader has them; nothing is embedded) with `WinAnsiEncoding`, so
Portuguese (ã, ç, é, õ, …), €, £ and the no-break space print as themselves; a character
outside that encoding prints as `?`. Text strings are written with octal escapes for every byte
outside printable ASCII, so the file is plain ASCII after its binary comment line, and the
cross-reference table holds each object's byte offset (checked by the tests, which parse it).

Layout: `Row`s of `Cell`s flow down the page; a row that does not fit starts a new page, which
repeats the `header` rows (a table's column titles) and every page gets "n / N" at its foot.
Right-aligned cells (amounts) are placed by the fonts' real widths (`WIDTHS`, from Adobe's
Helvetica metrics), so columns of figures line up.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

A4 = (595.28, 841.89)
"""Points (1/72 inch)."""

FONTS = {"regular": ("F1", "Helvetica"), "bold": ("F2", "Helvetica-Bold")}

Weight = Literal["regular", "bold"]
Align = Literal["left", "right"]


def _widths(table: str) -> dict[str, int]:
    """`"chars:width chars:width"` → {char: width in 1/1000 em}."""
    widths: dict[str, int] = {}
    for group in table.split():
        chars, _, width = group.rpartition(":")
        for char in chars:
            widths[char] = int(width)
    return widths


_COMMON = (
    "0123456789$#?_€£¥:556 .,/:;[]\\!:278 -:333 ():333 %:889 +<=>~×:584 @:1015 *:389 ^:469 "
    "|:260 {}:334 `:333 ':191 \":355 –:556 —:1000 ·:278 °:400"
)
WIDTHS: dict[str, dict[str, int]] = {
    "regular": {
        **_widths(
            _COMMON + " \u00a0 :278 &:667 ABEKPSVXYÀÁÂÃÄÅÈÉÊË:667 CDHNRUÇÑÙÚÛÜ:722 FTZ:611 "
            "GOQÒÓÔÕÖ:778 IÌÍÎÏ:278 J:500 L:556 M:833 W:944 "
            "abdeghnopquàáâãäåèéêëñòóôõöùúûü:556 ckstvxyzçý:500 fjilìíîït:222 m:833 r:333 w:722"
        ),
        "f": 278,
        "t": 278,
        "s": 500,
        "ª": 370,
        "º": 365,
    },
    "bold": {
        **_widths(
            _COMMON + " \u00a0 :278 &:722 ABCDKRUÀÁÂÃÄÅCÇÑÙÚÛÜ:722 ESPVXYÈÉÊË:667 FTZ:611 "
            "GOQÒÓÔÕÖ:778 IÌÍÎÏ:278 J:556 L:611 M:833 NH:722 W:944 "
            "aceksvxyàáâãäåçèéêëý:556 bdghnopquñòóôõöùúûü:611 fjt:333 iljìíîï:278 m:889 r:389 "
            "w:778 z:500"
        ),
        "ª": 370,
        "º": 365,
    },
}
"""Glyph widths in 1/1000 em (Adobe's Helvetica and Helvetica-Bold metrics) of the characters
a statement prints; any other character counts as a full em (so it is never under-measured)."""

_UNKNOWN_WIDTH = 1000


def text_width(text: str, size: float, weight: Weight = "regular") -> float:
    """The width of `text` in points, set in `weight` at `size`."""
    widths = WIDTHS[weight]
    return sum(widths.get(char, _UNKNOWN_WIDTH) for char in winansi_text(text)) * size / 1000


def fit(text: str, width: float, size: float, weight: Weight = "regular") -> str:
    """`text`, cut with an ellipsis-like "..." when it is wider than `width` points."""
    if text_width(text, size, weight) <= width:
        return text
    while text and text_width(text + "...", size, weight) > width:
        text = text[:-1]
    return text.rstrip() + "..."


def wrap(text: str, width: float, size: float, weight: Weight = "regular") -> list[str]:
    """`text` broken at spaces into lines no wider than `width` points (a word wider than the
    line is cut with `fit`)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if text_width(candidate, size, weight) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = fit(word, width, size, weight)
    if line:
        lines.append(line)
    return lines


@dataclass(frozen=True, slots=True)
class Cell:
    """Text at `x` points from the left edge (its right end there when `align` is right)."""

    x: float
    text: str
    align: Align = "left"
    weight: Weight = "regular"


@dataclass(frozen=True, slots=True)
class Row:
    """One line: its cells, the font size, and the space above it (points)."""

    cells: Sequence[Cell]
    size: float = 10.0
    space_before: float = 4.0
    rule_below: bool = False
    """A thin line under the row (a table's heading)."""

    @property
    def height(self) -> float:
        return self.space_before + self.size * 1.2


@dataclass(slots=True)
class _Page:
    operations: list[str] = field(default_factory=list)


def _winansi_char(char: str) -> str:
    try:
        char.encode("cp1252")
        return char
    except UnicodeEncodeError:
        pass
    # An accented letter WinAnsi lacks (ő, ź): its base letter, its accent dropped.
    base = "".join(
        part for part in unicodedata.normalize("NFKD", char) if not unicodedata.combining(part)
    )
    try:
        if base:
            base.encode("cp1252")
            return base
    except UnicodeEncodeError:
        pass
    category = unicodedata.category(char)
    if category.startswith("Z"):
        return " "  # another kind of space
    if category[0] in "SCM":
        return ""  # emoji, symbols, joiners, variation selectors: dropped, nothing printed
    return "?"  # a letter or digit of another script: marked, never silently lost


def winansi_text(text: str) -> str:
    """`text` as WinAnsiEncoding (cp1252) can print it: each character it has as it is, an
    accented letter it lacks as its base letter, emoji and other symbols dropped (with the
    space they leave), another script's letters as `?`."""
    cleaned = "".join(_winansi_char(char) for char in text)
    if cleaned == text:
        return text
    return re.sub(r" {2,}", " ", cleaned).strip()


def encode_text(text: str) -> bytes:
    """`text` in WinAnsiEncoding (`winansi_text`), as a PDF literal string body: backslash,
    parentheses and every byte outside printable ASCII escaped."""
    out = bytearray()
    for byte in winansi_text(text).encode("cp1252", errors="replace"):
        if byte in (0x5C, 0x28, 0x29):
            out += b"\\" + bytes([byte])
        elif 0x20 <= byte < 0x7F:
            out.append(byte)
        else:
            out += f"\\{byte:03o}".encode("ascii")
    return bytes(out)


def _number(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def _show(cell: Cell, y: float, size: float) -> str:
    x = cell.x - text_width(cell.text, size, cell.weight) if cell.align == "right" else cell.x
    font = FONTS[cell.weight][0]
    body = encode_text(cell.text).decode("ascii")
    return f"BT /{font} {_number(size)} Tf {_number(x)} {_number(y)} Td ({body}) Tj ET"


def render(
    rows: Sequence[Row], *, title: str, header: Sequence[Row] = (), footer: str = "",
    page_size: tuple[float, float] = A4, margin: float = 48.0,
) -> bytes:  # fmt: skip
    """A PDF of `rows` flowing over as many pages as they need; `header` rows start every page
    after the first too (a table's column titles); each page's foot says `footer` and n / N."""
    width, height = page_size
    pages: list[_Page] = []

    def new_page(repeat_header: bool) -> float:
        pages.append(_Page())
        top = height - margin
        if repeat_header:
            for row in header:
                top = place(row, top)
        return top

    def place(row: Row, top: float) -> float:
        baseline = top - row.height
        page = pages[-1]
        page.operations += [_show(cell, baseline, row.size) for cell in row.cells]
        if row.rule_below:
            rule = baseline - row.size * 0.35
            page.operations.append(
                f"0.5 w {_number(margin)} {_number(rule)} m {_number(width - margin)} "
                f"{_number(rule)} l S"
            )
        return baseline - row.size * 0.2

    y = new_page(False)
    for row in rows:
        if y - row.height < margin + 24:
            y = new_page(True)
        y = place(row, y)
    for number, page in enumerate(pages, start=1):
        foot = f"{footer}    {number} / {len(pages)}".strip()
        page.operations.append(_show(Cell(margin, foot), margin - 16, 8))
    return _assemble(pages, title=title, page_size=page_size)


def _assemble(pages: list[_Page], *, title: str, page_size: tuple[float, float]) -> bytes:
    """The file: catalog, page tree, fonts, info, then each page and its content stream; the
    cross-reference table of every object's byte offset; the trailer."""
    fonts = list(FONTS.values())
    first_page = 4 + len(fonts)
    page_ids = [first_page + 2 * index for index in range(len(pages))]
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        (
            "<< /Type /Pages /Kids ["
            + " ".join(f"{page_id} 0 R" for page_id in page_ids)
            + f"] /Count {len(pages)} >>"
        ).encode("ascii"),
        b"<< /Title (" + encode_text(title) + b") /Producer (Counter POS) >>",
    ]
    font_refs = " ".join(f"/{name} {4 + index} 0 R" for index, (name, _) in enumerate(fonts))
    objects += [
        f"<< /Type /Font /Subtype /Type1 /BaseFont /{base} /Encoding /WinAnsiEncoding >>".encode()
        for _, base in fonts
    ]
    box = f"[0 0 {_number(page_size[0])} {_number(page_size[1])}]"
    for page_id, page in zip(page_ids, pages, strict=True):
        stream = "\n".join(page.operations).encode("ascii")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox {box} /Resources << /Font << {font_refs} "
            f">> >> /Contents {page_id + 1} 0 R >>".encode("ascii")
        )
        objects.append(
            b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream"
        )
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n".encode() + b"0000000000 65535 f \n"
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 3 0 R >>\n"
        f"startxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)
