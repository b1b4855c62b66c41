"""Time-ordered UUIDs (version 7, RFC 9562) made on the device, so a register creates rows offline.

Python 3.11 has no `uuid.uuid7`. This one uses the RFC's "monotonic random" method: within one
millisecond, the 12-bit `rand_a` field is a counter seeded at random, so ids made in a burst on
one register still sort in creation order.
"""

from __future__ import annotations

import os
import threading
import time
import uuid

_lock = threading.Lock()
_last_ms = 0
_counter = 0


def uuid7() -> uuid.UUID:
    global _last_ms, _counter
    with _lock:
        now_ms = time.time_ns() // 1_000_000
        if now_ms > _last_ms:
            _last_ms = now_ms
            _counter = int.from_bytes(os.urandom(2), "big") & 0x07FF  # leave room to count up
        else:
            _counter += 1
            if _counter > 0x0FFF:  # counter exhausted in this millisecond: borrow the next one
                _last_ms += 1
                _counter = 0
        ms, counter = _last_ms, _counter
    rand_b = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= counter << 64
    value |= 0b10 << 62
    value |= rand_b
    return uuid.UUID(int=value)


def uuid7_time_ms(value: uuid.UUID) -> int:
    """The Unix time in milliseconds encoded in a version-7 UUID."""
    return value.int >> 80
