"""`X-Forwarded-For` is believed only from a configured proxy: a client cannot rotate the
header to walk past the guessing limits (`sync-server serve` as deployed, on loopback)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from sync_server.config import ConfigError, Settings
from sync_server.process import ServerProcess, server_env

pytestmark = pytest.mark.postgres

LIMIT = 3
TIGHT_LIMITS = {
    "SYNC_TOKEN_FAILURES_PER_MINUTE": str(LIMIT),
    "SYNC_PAIR_ATTEMPTS_PER_MINUTE": str(LIMIT),
}


def _serve(settings: Settings, **env: str) -> Iterator[httpx.Client]:
    server = ServerProcess(settings, env=server_env(settings, **TIGHT_LIMITS, **env))
    try:
        with httpx.Client(base_url=server.url, timeout=30) as client:
            yield client
    finally:
        server.stop()


@pytest.fixture
def no_proxy(fresh_settings: Settings) -> Iterator[httpx.Client]:
    # FORWARDED_ALLOW_IPS is what uvicorn would otherwise read: it must change nothing.
    yield from _serve(fresh_settings, FORWARDED_ALLOW_IPS="*", SYNC_TRUSTED_PROXIES="")


@pytest.fixture
def behind_proxy(fresh_settings: Settings) -> Iterator[httpx.Client]:
    yield from _serve(fresh_settings, SYNC_TRUSTED_PROXIES="127.0.0.1, ::1")


def _bad_token_calls(client: httpx.Client, forwarded_for: list[str]) -> list[int]:
    return [
        client.get(
            "/v1/devices/me",
            headers={"Authorization": f"Bearer cps_dev_guess{n}", "X-Forwarded-For": address},
        ).status_code
        for n, address in enumerate(forwarded_for)
    ]


def _pair_attempts(client: httpx.Client, forwarded_for: list[str]) -> list[int]:
    return [
        client.post(
            "/v1/devices/pair",
            json={"code": "WRONG-CODE1", "device_name": "x"},
            headers={"X-Forwarded-For": address},
        ).status_code
        for address in forwarded_for
    ]


ROTATING = [f"198.51.100.{n}" for n in range(1, 7)]


def test_rotating_x_forwarded_for_does_not_walk_past_the_token_limit(
    no_proxy: httpx.Client,
) -> None:
    assert _bad_token_calls(no_proxy, ROTATING) == [401, 401, 401, 429, 429, 429]


def test_rotating_x_forwarded_for_does_not_walk_past_the_pairing_limit(
    no_proxy: httpx.Client,
) -> None:
    assert _pair_attempts(no_proxy, ROTATING) == [401, 401, 401, 429, 429, 429]


def test_a_configured_proxy_is_believed(behind_proxy: httpx.Client) -> None:
    # Each forwarded client has its own count: six addresses, six first failures.
    assert _bad_token_calls(behind_proxy, ROTATING) == [401] * 6
    # One forwarded client is limited like a direct one; its neighbours are not.
    assert _bad_token_calls(behind_proxy, ["203.0.113.9"] * 4) == [401, 401, 401, 429]
    assert _bad_token_calls(behind_proxy, ["203.0.113.10"]) == [401]
    assert _pair_attempts(behind_proxy, ["203.0.113.9"] * 4) == [401, 401, 401, 429]
    # What a client wrote before the proxy appended the address it saw is not believed.
    spoofed = [f"{address}, 203.0.113.20" for address in ROTATING[:4]]
    assert _bad_token_calls(behind_proxy, spoofed) == [401, 401, 401, 429]


def test_trusted_proxies_are_addresses_or_networks() -> None:
    parsed = Settings.from_env({"SYNC_TRUSTED_PROXIES": "10.0.0.5, 10.1.0.0/16,::1"})
    assert parsed.trusted_proxies == ("10.0.0.5", "10.1.0.0/16", "::1")
    assert Settings.from_env({}).trusted_proxies == ()
    with pytest.raises(ConfigError, match="SYNC_TRUSTED_PROXIES lists addresses or networks"):
        Settings.from_env({"SYNC_TRUSTED_PROXIES": "proxy.internal"})
