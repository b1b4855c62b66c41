"""scrypt hashes carry their parameters; new passwords meet a floor; TOTP follows RFC 6238
(checked against the RFC's own test vectors) with one step of drift."""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import parse_qs, urlsplit

import pytest

from sync_server.accounts import passwords, totp

# RFC 6238, Appendix B: the SHA-1 seed is the ASCII "12345678901234567890", codes have 8 digits.
RFC_SEED = b"12345678901234567890"
RFC_VECTORS = [
    (59, "94287082"),
    (1111111109, "07081804"),
    (1111111111, "14050471"),
    (1234567890, "89005924"),
    (2000000000, "69279037"),
    (20000000000, "65353130"),
]
# RFC 4226, Appendix D: HOTP values for counters 0-9 with the same seed (6 digits).
RFC_HOTP = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583",
            "399871", "520489"]  # fmt: skip


@pytest.mark.parametrize(("unix_time", "expected"), RFC_VECTORS)
def test_totp_matches_the_rfc_6238_vectors(unix_time: int, expected: str) -> None:
    assert totp.code_at(RFC_SEED, unix_time, digits=8) == expected
    assert totp.code_at(RFC_SEED, unix_time) == expected[-6:]  # 6 digits: the same, truncated


def test_hotp_matches_the_rfc_4226_vectors() -> None:
    assert [totp.hotp(RFC_SEED, counter) for counter in range(10)] == RFC_HOTP


def test_a_code_is_accepted_one_step_either_side_and_no_further() -> None:
    now = 1111111111.0
    step = totp.step_at(now)
    for offset in (-1, 0, 1):
        code = totp.hotp(RFC_SEED, step + offset)
        assert totp.matching_step(RFC_SEED, code, now) == step + offset
    for offset in (-2, 2):
        assert totp.matching_step(RFC_SEED, totp.hotp(RFC_SEED, step + offset), now) is None
    assert totp.matching_step(RFC_SEED, "12345", now) is None
    assert totp.matching_step(RFC_SEED, "abcdef", now) is None
    spaced = totp.hotp(RFC_SEED, step)
    assert totp.matching_step(RFC_SEED, f"{spaced[:3]} {spaced[3:]}", now) == step


def test_the_provisioning_uri_is_what_authenticator_apps_read() -> None:
    uri = totp.provisioning_uri(RFC_SEED, "ops@example.test")
    parts = urlsplit(uri)
    assert (parts.scheme, parts.netloc) == ("otpauth", "totp")
    assert parts.path == "/Counter%20POS%3Aops%40example.test"
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    assert query == {
        "secret": base64.b32encode(RFC_SEED).decode().rstrip("="),
        "issuer": "Counter POS",
        "algorithm": "SHA1",
        "digits": "6",
        "period": "30",
    }


def test_a_hash_carries_its_parameters_and_verifies_only_its_password() -> None:
    stored = passwords.hash_password("correct horse battery staple")
    scheme, params, salt, key = stored.split("$")
    assert (scheme, params) == ("scrypt", "ln=15,r=8,p=1")
    assert len(base64.b64decode(salt)) == 16
    assert base64.b64decode(key) == hashlib.scrypt(
        b"correct horse battery staple", salt=base64.b64decode(salt), n=2**15, r=8, p=1,
        maxmem=64 * 1024 * 1024, dklen=32,
    )  # fmt: skip
    assert passwords.verify("correct horse battery staple", stored)
    assert not passwords.verify("correct horse battery stapler", stored)
    assert passwords.hash_password("correct horse battery staple") != stored  # a new salt


def test_older_parameters_ask_for_a_rehash() -> None:
    weaker = passwords.hash_password("correct horse battery staple", passwords.Parameters(14))
    assert passwords.needs_rehash(weaker)
    assert passwords.verify("correct horse battery staple", weaker)
    assert not passwords.needs_rehash(passwords.hash_password("correct horse battery staple"))
    with pytest.raises(ValueError, match="not an scrypt password hash"):
        passwords.parse_setting("bcrypt$2b$12$whatever")


@pytest.mark.parametrize(
    ("password", "says"),
    [
        ("short-one", "too short: use at least 12 characters"),
        ("x" * 257, "too long"),
        ("Password1234", "too easy to guess"),
        ("aaaaaaaaaaaaaaaa", "too easy to guess"),
        ("ababababababab", "too easy to guess"),
        ("my name is mariana!", "too easy to guess"),
    ],
)
def test_weak_new_passwords_are_refused_with_a_reason(password: str, says: str) -> None:
    with pytest.raises(passwords.WeakPassword, match=says):
        passwords.check_new_password(password, email="mariana@example.test")


def test_a_long_unusual_password_is_accepted() -> None:
    passwords.check_new_password("tram lantern pebble 42", email="mariana@example.test")
