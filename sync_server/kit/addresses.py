"""Customer addresses (email, E.164 phone): the form they are compared in, and whether they are
well formed. Shared by the push's checks (`sync.checks`) and the notifications."""

from __future__ import annotations

import re

EMAIL_RE = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63}$"
)
"""ASCII addresses only: the SMTP sender does not speak SMTPUTF8."""
PHONE_RE = re.compile(r"^\+[1-9][0-9]{6,14}$")
"""E.164: a plus, the country code, at most 15 digits."""


def normalise_address(channel: str, address: str) -> str:
    """The form an address is compared in (opt-outs): emails lower-cased, phones as given."""
    address = address.strip()
    return address.lower() if channel == "email" else address


def valid_address(channel: str, address: str) -> bool:
    return bool((EMAIL_RE if channel == "email" else PHONE_RE).match(address))
