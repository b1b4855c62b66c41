"""Opaque pagination cursors: base64 of a small JSON list, refused cleanly when tampered with."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from sync_server.kit.errors import Unprocessable


def encode_cursor(parts: list[Any]) -> str:
    raw = json.dumps(parts, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, length: int) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        parts = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise Unprocessable("cursor is not one this server handed out") from None
    if not isinstance(parts, list) or len(parts) != length or not all(map(_clean, parts)):
        raise Unprocessable("cursor is not one this server handed out")
    return parts


def _clean(part: Any) -> bool:
    """No text PostgreSQL would refuse (NUL, a lone surrogate): this server makes none."""
    if not isinstance(part, str):
        return True
    try:
        part.encode()
    except UnicodeEncodeError:
        return False
    return "\x00" not in part
