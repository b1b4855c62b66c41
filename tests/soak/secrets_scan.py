"""Look for secrets where they must never be: logs, SQLite databases (their rows, their raw
pages and write-ahead logs), database dumps.

`scan_paths` finds any of the given secrets (a Stripe key, device tokens) and anything shaped
like a card number: a run of 13 to 19 digits, not part of a longer word or number, with a card
issuer's leading digit (2-6) and a valid Luhn check digit. UUIDs (hex, so their digit runs
touch letters), epoch timestamps (they start with 1) and order numbers (short) do not match.
Findings name the place and mask what they found, so a report never leaks it again.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import unquote_to_bytes

from pos_app.payments.emulator.cards import luhn_valid

SQLITE_HEADER = b"SQLite format 3\x00"
#: A maximal run of 13-19 digits that is not glued to letters or other digits.
_DIGIT_RUN = re.compile(rb"(?<![0-9A-Za-z])[0-9]{13,19}(?![0-9A-Za-z])")
#: The same number printed in groups of four ("4242 4242 4242 4242", "4242-4242-...").
_GROUPED = re.compile(
    rb"(?<![0-9A-Za-z])[0-9]{4}([ -])[0-9]{4}\1[0-9]{4}\1[0-9]{1,7}(?![0-9A-Za-z])"
)
MIN_SECRET_LENGTH = 8


def looks_like_card_number(digits: str) -> bool:
    """13-19 digits, an issuer's leading digit (2 only in Mastercard's 2221-2720), Luhn-valid."""
    if not 13 <= len(digits) <= 19 or not digits.isdigit():
        return False
    if digits[0] not in "23456":
        return False
    if digits[0] == "2" and not 2221 <= int(digits[:4]) <= 2720:
        return False
    return luhn_valid(digits)


def mask(secret: str) -> str:
    return f"{secret[:6]}…({len(secret)} chars)" if len(secret) > 10 else "…"


def mask_card(digits: str) -> str:
    return f"{digits[:6]}…{digits[-4:]} ({len(digits)} digits)"


def card_numbers(data: bytes) -> Iterator[str]:
    for match in _DIGIT_RUN.finditer(data):
        digits = match.group().decode()
        if looks_like_card_number(digits):
            yield digits
    for match in _GROUPED.finditer(data):
        digits = re.sub(rb"[ -]", b"", match.group()).decode()
        if looks_like_card_number(digits):
            yield digits


def _scan_bytes(data: bytes, where: str, secrets: list[str]) -> list[str]:
    # Logged request bodies and URLs are percent-encoded ("%22number%22%3A4242..."): read them
    # decoded as well.
    variants = [data, unquote_to_bytes(data)] if b"%" in data else [data]
    findings = []
    for secret in secrets:
        if any(secret.encode() in variant for variant in variants):
            findings.append(f"{where}: contains the secret {mask(secret)}")
    numbers = {digits for variant in variants for digits in card_numbers(variant)}
    for digits in sorted(numbers):
        findings.append(f"{where}: card-like number {mask_card(digits)}")
    return findings


def _cell_bytes(value: object) -> bytes | None:
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass")
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value).encode()  # a card number stored as an integer is still one
    return None


def _scan_sqlite(path: Path, secrets: list[str]) -> list[str]:
    """Every value of every table, read from a copy (with its WAL, so unmerged writes count)."""
    findings: list[str] = []
    with tempfile.TemporaryDirectory(prefix="secrets-scan-") as tmp:
        copy = Path(tmp) / path.name
        shutil.copyfile(path, copy)
        wal = path.with_name(path.name + "-wal")
        if wal.exists():
            shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
        con = sqlite3.connect(copy)
        try:
            con.text_factory = bytes
            tables = [
                row[0].decode()
                for row in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            ]
            for table in tables:
                quoted = table.replace('"', '""')
                cursor = con.execute(f'SELECT * FROM "{quoted}"')
                columns = [c[0] for c in cursor.description]
                for number, row in enumerate(cursor, start=1):
                    for column, value in zip(columns, row, strict=True):
                        data = _cell_bytes(value)
                        if data:
                            findings.extend(
                                _scan_bytes(data, f"{path}: {table}.{column} row {number}", secrets)
                            )
        finally:
            con.close()
    return findings


def _files(paths: Iterable[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file())
        elif path.is_file():
            yield path


def scan_paths(paths: Iterable[Path], secrets: Iterable[str]) -> list[str]:
    """Findings (empty when clean) for files and directories (walked): raw bytes of every file,
    and the rows of every SQLite database among them."""
    wanted = [s for s in dict.fromkeys(secrets) if len(s) >= MIN_SECRET_LENGTH]
    findings: list[str] = []
    for path in _files(paths):
        data = path.read_bytes()
        findings.extend(_scan_bytes(data, str(path), wanted))
        if data.startswith(SQLITE_HEADER):
            try:
                findings.extend(_scan_sqlite(path, wanted))
            except sqlite3.DatabaseError as error:
                findings.append(f"{path}: could not be read as SQLite ({error})")
    return findings
