"""Password hashing with scrypt (the standard library's `hashlib.scrypt`), and the rules a new
password must meet.

A hash is stored as ``scrypt$ln=15,r=8,p=1$<salt>$<key>`` (salt and key in standard base64):
the parameters travel with it, so raising them later only means hashing anew at the next
sign-in (`needs_rehash`). The part before the key (`setting`) is what the database gives the
web process at sign-in; the key itself never leaves PostgreSQL (migration 0012).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from dataclasses import dataclass

MIN_LENGTH = 12
MAX_LENGTH = 256
"""Longer is refused: scrypt reads it all, and nobody types more."""

# OWASP's password storage cheat sheet: scrypt with N=2^17, r=8, p=1 at the top, 2^15 as the
# floor for interactive logins on small machines. 2^15 × 8 × 128 bytes = 32 MiB and ~0.1 s a
# hash on one core here; raise `CURRENT` later and accounts are re-hashed as they sign in.
_SALT_BYTES = 16
_KEY_BYTES = 32
_MAX_LOG_N = 20

# The commonest choices of people told "at least 12 characters" (breach corpora), lower-cased:
# refused whatever the length rule says.
_REFUSED = frozenset(
    {
        "password1234", "password12345", "password123456", "passwordpassword", "123456789012",
        "1234567890123", "12345678901234", "qwertyuiop12", "qwertyuiop123", "qwerty123456",
        "1q2w3e4r5t6y", "iloveyou1234", "abcdefghijkl", "abc123abc123", "letmein12345",
        "welcome12345", "administrator", "changeme1234", "counterpos123", "counterpos1234",
        "000000000000", "111111111111", "aaaaaaaaaaaa", "123123123123", "password2025",
        "password2026", "password2027", "sunshine1234", "football1234", "monkey123456",
    }
)  # fmt: skip


class WeakPassword(ValueError):
    """A new password that is refused, with what to do instead."""


@dataclass(frozen=True, slots=True)
class Parameters:
    log_n: int = 15
    r: int = 8
    p: int = 1

    def encode(self) -> str:
        return f"ln={self.log_n},r={self.r},p={self.p}"


CURRENT = Parameters()

_HASH_RE = re.compile(
    r"^scrypt\$ln=(?P<ln>\d{1,2}),r=(?P<r>\d{1,2}),p=(?P<p>\d{1,2})"
    r"\$(?P<salt>[A-Za-z0-9+/]+=*)(?:\$(?P<key>[A-Za-z0-9+/]+=*))?$"
)


def check_new_password(password: str, *, email: str | None = None) -> None:
    """Refuse a password that is too short, too long or obvious, saying why."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(
            f"the password is too short: use at least {MIN_LENGTH} characters "
            "(a few unrelated words make a long password that is easy to remember)"
        )
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"the password is too long: use at most {MAX_LENGTH} characters")
    folded = password.casefold()
    local_part = (email or "").partition("@")[0].casefold()
    if (
        folded in _REFUSED
        or len(set(folded)) <= 2
        or (len(local_part) >= 4 and local_part in folded)
    ):
        raise WeakPassword(
            "the password is too easy to guess (a common password, one repeated character, "
            "or your email's name): choose another"
        )


def derive(password: str, setting: str) -> str:
    """The base64 key scrypt derives from `password` under a stored hash's `setting`
    (``scrypt$ln=…,r=…,p=…$<salt>``)."""
    params, salt = parse_setting(setting)
    key = hashlib.scrypt(
        password.encode(),
        salt=salt,
        n=2**params.log_n,
        r=params.r,
        p=params.p,
        maxmem=2 * 128 * params.r * 2**params.log_n,
        dklen=_KEY_BYTES,
    )
    return base64.b64encode(key).decode()


def new_setting(params: Parameters = CURRENT) -> str:
    salt = base64.b64encode(os.urandom(_SALT_BYTES)).decode()
    return f"scrypt${params.encode()}${salt}"


def hash_password(password: str, params: Parameters = CURRENT) -> str:
    """A new stored hash of `password` (fresh salt)."""
    setting = new_setting(params)
    return f"{setting}${derive(password, setting)}"


def verify(password: str, stored: str) -> bool:
    """Whether `password` matches a full stored hash (constant-time comparison)."""
    setting, _, key = stored.rpartition("$")
    return hmac.compare_digest(derive(password, setting).encode(), key.encode())


def needs_rehash(setting: str, params: Parameters = CURRENT) -> bool:
    """Whether a hash (or its setting) was made with other parameters than `params`."""
    found, _ = parse_setting(setting)
    return found != params


def parse_setting(setting: str) -> tuple[Parameters, bytes]:
    match = _HASH_RE.match(setting)
    if match is None:
        raise ValueError("not an scrypt password hash")
    params = Parameters(int(match["ln"]), int(match["r"]), int(match["p"]))
    if not (1 <= params.log_n <= _MAX_LOG_N and params.r >= 1 and params.p >= 1):
        raise ValueError("scrypt parameters out of range")
    return params, base64.b64decode(match["salt"])
