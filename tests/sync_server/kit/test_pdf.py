"""The PDF writer (`sync_server.kit.pdf`): the file's structure read back as a reader does it
(startxref → the cross-reference table → each object at its offset; each stream's /Length),
the text of every page decoded from its content stream, pages that flow, and `pdftotext` when
the machine has it."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from sync_server.kit.pdf import Cell, Row, encode_text, fit, render, text_width


def parse(pdf: bytes) -> dict[int, bytes]:
    """Every object by number, found through the cross-reference table (checking it)."""
    assert pdf.startswith(b"%PDF-1.4\n")
    assert pdf.endswith(b"%%EOF\n")
    start = int(re.search(rb"startxref\n(\d+)\n%%EOF\n$", pdf).group(1))  # type: ignore[union-attr]
    assert pdf[start:].startswith(b"xref\n")
    header = re.match(rb"xref\n0 (\d+)\n", pdf[start:])
    assert header is not None
    count = int(header.group(1))
    table = pdf[start + header.end() : start + header.end() + 20 * count]
    entries = [table[20 * i : 20 * (i + 1)] for i in range(count)]
    assert entries[0] == b"0000000000 65535 f \n"
    objects: dict[int, bytes] = {}
    for number, entry in enumerate(entries[1:], start=1):
        assert re.fullmatch(rb"\d{10} 00000 n \n", entry), entry
        offset = int(entry[:10])
        assert pdf[offset:].startswith(f"{number} 0 obj\n".encode()), (number, pdf[offset:][:20])
        end = pdf.index(b"\nendobj\n", offset)
        objects[number] = pdf[offset + len(f"{number} 0 obj\n") : end]
    trailer = pdf[start + header.end() + 20 * count :]
    assert trailer.startswith(f"trailer\n<< /Size {count} /Root 1 0 R".encode())
    return objects


def stream_of(body: bytes) -> bytes:
    found = re.match(rb"<< /Length (\d+) >>\nstream\n", body)
    assert found is not None
    data = body[found.end() :]
    assert data.endswith(b"\nendstream")
    data = data[: -len(b"\nendstream")]
    assert len(data) == int(found.group(1))
    return data


def unescape(literal: bytes) -> str:
    out = bytearray()
    i = 0
    while i < len(literal):
        if literal[i : i + 1] == b"\\":
            octal = re.match(rb"[0-7]{3}", literal[i + 1 : i + 4])
            if octal:
                out.append(int(octal.group(0), 8))
                i += 4
                continue
            out.append(literal[i + 1])
            i += 2
            continue
        out.append(literal[i])
        i += 1
    return out.decode("cp1252")


def pages_text(pdf: bytes) -> list[list[tuple[float, float, str]]]:
    """Each page's shown strings, as (x, y, text), in drawing order."""
    objects = parse(pdf)
    kids = re.search(rb"/Kids \[([^\]]*)\]", objects[2]).group(1)  # type: ignore[union-attr]
    pages = []
    for page_id in [int(n) for n in re.findall(rb"(\d+) 0 R", kids)]:
        assert b"/Type /Page " in objects[page_id]
        contents = int(re.search(rb"/Contents (\d+) 0 R", objects[page_id]).group(1))  # type: ignore[union-attr]
        stream = stream_of(objects[contents])
        shown = re.findall(rb"Td \(((?:[^\\()]|\\.)*)\) Tj", stream)
        places = re.findall(rb"Tf ([\d.-]+) ([\d.-]+) Td", stream)
        pages.append(
            [(float(x), float(y), unescape(s)) for (x, y), s in zip(places, shown, strict=True)]
        )
    return pages


def test_a_one_page_document_is_well_formed_and_holds_its_text() -> None:
    pdf = render(
        [Row([Cell(48, "Extrato de taxas — março"), Cell(500, "R$\u00a01.234,56", "right")])],
        title="Padaria São João: extrato (2026-03)",
    )
    objects = parse(pdf)
    assert b"/BaseFont /Helvetica /Encoding /WinAnsiEncoding" in b"".join(objects.values())
    assert b"/BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding" in b"".join(objects.values())
    assert b"/Title (Padaria S\\343o Jo\\343o: extrato \\(2026-03\\))" in objects[3]
    (page,) = pages_text(pdf)
    texts = [text for _, _, text in page]
    assert texts[:2] == ["Extrato de taxas — março", "R$\u00a01.234,56"]
    assert texts[2] == "1 / 1"
    # Past the binary comment, the file is plain ASCII (every other byte is escaped).
    assert pdf.split(b"\n", 2)[2].isascii()


def test_a_right_aligned_cell_ends_at_its_x_by_helvetica_widths() -> None:
    pdf = render([Row([Cell(300, "€12.50", "right")], size=10)], title="t")
    x, _, text = pages_text(pdf)[0][0]
    # € 556, 1 556, 2 556, . 278, 5 556, 0 556 → 3058 / 1000 × 10 pt
    assert text == "€12.50"
    assert x == pytest.approx(300 - 30.58, abs=0.01)
    assert text_width("0123456789", 10) == pytest.approx(55.6)
    assert text_width("Wi", 10, "bold") == pytest.approx(12.22)


def test_rows_flow_over_pages_and_the_header_repeats_with_page_numbers() -> None:
    header = [Row([Cell(48, "Product", weight="bold"), Cell(540, "Fee", "right", "bold")],
                  rule_below=True)]  # fmt: skip
    rows = [*header, *(Row([Cell(48, f"Item {n}"), Cell(540, f"{n}.00", "right")])
                       for n in range(150))]  # fmt: skip
    pdf = render(rows, title="long", header=header, footer="Corner Café 2026-03")
    pages = pages_text(pdf)
    assert len(pages) == 4
    shown = [text for page in pages for _, _, text in page]
    items = [text for text in shown if text.startswith("Item ")]
    assert items == [f"Item {n}" for n in range(150)]  # each once, in order
    for number, page in enumerate(pages, start=1):
        texts = [text for _, _, text in page]
        assert texts[0] == "Product"  # the header starts every page
        assert texts[-1] == f"Corner Café 2026-03    {number} / 4"
        ys = [y for _, y, text in page if text.startswith("Item ")]
        assert ys == sorted(ys, reverse=True)
        assert min(ys) > 48  # nothing in the bottom margin
    assert parse(pdf)[2].endswith(b"/Count 4 >>")


def test_strings_escape_what_would_break_them() -> None:
    assert encode_text("a(b)c\\d") == b"a\\(b\\)c\\\\d"
    assert encode_text("ção €") == b"\\347\\343o \\200"
    assert encode_text("日本") == b"??"  # outside WinAnsi: a question mark, never a broken file
    (page,) = pages_text(render([Row([Cell(48, "(x) \\ y")])], title="t"))
    assert page[0][2] == "(x) \\ y"


def test_what_winansi_lacks_is_substituted_or_dropped_cleanly() -> None:
    """An emoji in a shop's name prints as nothing (not "?"), an accent WinAnsi lacks as its
    base letter; what WinAnsi has (’ “ ” – € ç) is kept; another script is marked `?`."""
    from sync_server.kit.pdf import winansi_text

    assert winansi_text("Padaria 🥐 Central") == "Padaria Central"
    assert winansi_text("Café ☕️") == "Café"
    assert winansi_text("Bar 👨‍👩‍👧 do Zé 🇧🇷") == "Bar do Zé"
    assert winansi_text("Gdańsk Őrség") == "Gdansk Orség"
    assert winansi_text("Zé’s “café” – €5") == "Zé’s “café” – €5"
    assert winansi_text("日本") == "??"
    assert encode_text("Padaria 🥐") == b"Padaria"
    (page,) = pages_text(render([Row([Cell(48, "Loja 🍞 Boa")])], title="Loja 🍞"))
    assert page[0][2] == "Loja Boa"


def test_fit_cuts_long_text_to_the_width() -> None:
    assert fit("Coffee", 100, 10) == "Coffee"
    cut = fit("A very long product name that does not fit the column", 100, 10)
    assert cut.endswith("...")
    assert text_width(cut, 10) <= 100


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_pdftotext_reads_the_text(tmp_path: Path) -> None:
    path = tmp_path / "statement.pdf"
    path.write_bytes(render([Row([Cell(48, "Extrato de março: R$\u00a012,00")])], title="t"))
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    assert "Extrato de março: R$" in out.stdout.decode()


def test_wrap_breaks_at_spaces_within_the_width() -> None:
    from sync_server.kit.pdf import wrap

    text = "Fechado: estes valores são finais. O que chegar atrasado entra no primeiro mês aberto."
    lines = wrap(text, 150, 9)
    assert len(lines) > 1
    assert " ".join(lines) == text
    assert all(text_width(line, 9) <= 150 for line in lines)
    assert wrap("", 100, 9) == []
