"""Stripe's webhook signature scheme, on our side of the wire.

`Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">[,v1=…][,v0=…]`,
keyed with the endpoint's signing secret (`whsec_…`, used as UTF-8 bytes). Several `v1`
entries appear while a secret is being rolled; any one may match. `v0` (test-mode legacy) is
ignored. The HMAC itself is checked inside PostgreSQL (`stripe_webhook_check`), where the
secret stays; this module parses the header, bounds it, and judges the timestamp.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

from sync_server.kit.errors import ApiError

TOLERANCE_SECONDS = 300
"""Stripe's own default: a signed timestamp older (or newer) than this is refused as a replay."""

_MAX_SIGNATURES = 8
_HEX_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class SignatureError(ApiError):
    """The webhook is not provably from Stripe (or is too old to be trusted)."""

    status_code = 400
    code = "bad_signature"


@dataclass(frozen=True, slots=True)
class SignatureHeader:
    timestamp: int
    signatures: tuple[bytes, ...]

    def signed_payload(self, body: bytes) -> bytes:
        return f"{self.timestamp}.".encode() + body


def parse_header(header: str | None) -> SignatureHeader:
    if not header:
        raise SignatureError("no Stripe-Signature header")
    timestamp: int | None = None
    signatures: list[bytes] = []
    for item in header.split(","):
        key, sep, value = item.strip().partition("=")
        if not sep:
            continue
        if key == "t":
            # isascii too: "²" (a latin-1 header byte) is a digit to isdigit, not to int().
            if not (value.isascii() and value.isdigit()) or len(value) > 12:
                raise SignatureError("the Stripe-Signature timestamp is not a number")
            timestamp = int(value)
        elif key == "v1":
            value = value.lower()
            if _HEX_SHA256.match(value) and len(signatures) < _MAX_SIGNATURES:
                signatures.append(bytes.fromhex(value))
    if timestamp is None:
        raise SignatureError("the Stripe-Signature header has no timestamp (t=)")
    if not signatures:
        raise SignatureError("the Stripe-Signature header has no v1 signature")
    return SignatureHeader(timestamp=timestamp, signatures=tuple(signatures))


def check_timestamp(
    header: SignatureHeader, now: float, tolerance: int = TOLERANCE_SECONDS
) -> None:
    """Refuse a signature made more than `tolerance` seconds away from `now`, either way."""
    age = now - header.timestamp
    if abs(age) > tolerance:
        raise SignatureError(
            f"the signature's timestamp is {int(abs(age))} s {'old' if age > 0 else 'ahead'} "
            f"(tolerance {tolerance} s): a replay, or a clock that is off"
        )


def matches(header: SignatureHeader, body: bytes, secret: str) -> bool:
    """Whether any `v1` of the header is the HMAC of the body with `secret` (constant time)."""
    digest = hmac.new(secret.encode(), header.signed_payload(body), hashlib.sha256).digest()
    found = False
    for candidate in header.signatures:
        found |= hmac.compare_digest(candidate, digest)
    return found


def sign(body: bytes, secret: str, timestamp: int) -> str:
    """A `Stripe-Signature` header value, as Stripe makes it (tests and tools)."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"
