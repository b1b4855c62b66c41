"""Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP): HMAC-SHA-1, 30-second steps,
6 digits, one step of clock drift either way. What authenticator apps read from an
``otpauth://`` URI."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
from urllib.parse import quote, urlencode

STEP_SECONDS = 30
DIGITS = 6
DRIFT_STEPS = 1
SECRET_BYTES = 20  # 160 bits, RFC 4226's recommendation for SHA-1
ISSUER = "Counter POS"


def new_secret() -> bytes:
    return secrets.token_bytes(SECRET_BYTES)


def hotp(secret: bytes, counter: int, *, digits: int = DIGITS) -> str:
    """RFC 4226 §5.3: dynamic truncation of HMAC-SHA-1(secret, counter)."""
    mac = hmac.new(secret, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    binary = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(binary % 10**digits).zfill(digits)


def step_at(unix_time: float) -> int:
    return int(unix_time // STEP_SECONDS)


def code_at(secret: bytes, unix_time: float, *, digits: int = DIGITS) -> str:
    return hotp(secret, step_at(unix_time), digits=digits)


def matching_step(secret: bytes, code: str, unix_time: float) -> int | None:
    """The time step (within the drift allowed) whose code is `code`, else None. Every candidate
    is compared, in constant time, so the timing tells nothing about which one matched."""
    code = code.replace(" ", "")
    if len(code) != DIGITS or not code.isdigit():
        return None
    now = step_at(unix_time)
    found = None
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if hmac.compare_digest(hotp(secret, step).encode(), code.encode()):
            found = step if found is None else max(found, step)
    return found


def provisioning_uri(secret: bytes, account: str, *, issuer: str = ISSUER) -> str:
    """The ``otpauth://totp/…`` URI an authenticator app scans (as a QR code) or is pasted."""
    encoded = base64.b32encode(secret).decode().rstrip("=")
    label = quote(f"{issuer}:{account}")
    query = urlencode(
        {
            "secret": encoded,
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": DIGITS,
            "period": STEP_SECONDS,
        }
    )
    return f"otpauth://totp/{label}?{query}"
