"""HTTP client for the sync server: pairing, push, pull.

Timeouts fit a counter (connect 5 s, read 15 s); TLS is verified, against a configured CA file
when the shop's server uses its own certificate authority. Retrying is always safe: a push is
idempotent by its sequence numbers, a pull is a read. The device token is never logged and
never shown by `repr`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import httpx

from pos_app import __version__


class SyncErrorKind(StrEnum):
    NETWORK = "network"
    AUTH = "auth"
    REJECTED = "rejected"
    RATE_LIMITED = "rate_limited"
    SERVER = "server"


class SyncError(Exception):
    def __init__(self, kind: SyncErrorKind, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.status = status


@dataclass(frozen=True, slots=True)
class PairResult:
    device_id: str
    token: str = field(repr=False)
    tenant: dict[str, Any]


@dataclass(frozen=True, slots=True)
class PushResult:
    acknowledged_seq: int
    applied: int
    replayed: int
    conflicts: list[dict[str, Any]]
    refused: list[dict[str, Any]] = field(default_factory=list)
    """Changes the server refused: ``{"seq", "entity", "id", "code", "field", "reason"}``."""


@dataclass(frozen=True, slots=True)
class PullResult:
    cursor: str
    has_more: bool
    changes: list[dict[str, Any]]


def _message(response: httpx.Response) -> str:
    """The server's one sentence for people: `{"error": {"message"}}` (FastAPI's `detail` from
    an older server), never the raw body."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:300] or response.reason_phrase
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict) and isinstance(error.get("message"), str):
            return str(error["message"])[:300]
        detail = body.get("detail")
        if isinstance(detail, str):
            return detail[:300]
    return response.reason_phrase or f"error {response.status_code}"


def _retry_after_s(response: httpx.Response) -> int | None:
    try:
        return max(1, int(float(response.headers.get("Retry-After", ""))))
    except ValueError:
        return None


class SyncClient:
    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        ca_file: str | None = None,
        read_timeout_s: float = 15.0,
        connect_timeout_s: float = 5.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if not base_url.startswith(("https://", "http://")):
            raise SyncError(SyncErrorKind.REJECTED, "the server address must start with https://")
        self.base_url = base_url.rstrip("/")
        self._token = token
        headers = {"User-Agent": f"counter-pos/{__version__}"}
        self._http = httpx.Client(
            base_url=self.base_url,
            headers=headers,
            timeout=httpx.Timeout(read_timeout_s, connect=connect_timeout_s),
            verify=ca_file if ca_file else True,
            transport=transport,
        )

    def __repr__(self) -> str:
        return f"SyncClient({self.base_url!r}, token={'<set>' if self._token else '<none>'})"

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> SyncClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        headers = kwargs.pop("headers", {})
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        try:
            response = self._http.request(method, path, headers=headers, **kwargs)
        except httpx.TimeoutException as error:
            raise SyncError(
                SyncErrorKind.NETWORK, "the sync server did not answer in time"
            ) from error
        except httpx.TransportError as error:
            raise SyncError(
                SyncErrorKind.NETWORK, f"cannot reach the sync server ({type(error).__name__})"
            ) from error
        status = response.status_code
        if status < 300:
            try:
                return response.json()
            except ValueError as error:
                raise SyncError(
                    SyncErrorKind.SERVER, "the sync server sent an unreadable answer", status=status
                ) from error
        message = _message(response)
        if status in (401, 403):
            raise SyncError(SyncErrorKind.AUTH, message, status=status)
        if status == 429:
            wait = _retry_after_s(response)
            after = f"wait {wait} s" if wait is not None else "wait a minute"
            message = f"too many attempts: {after} and try again"
            raise SyncError(SyncErrorKind.RATE_LIMITED, message, status=status)
        if status >= 500:
            raise SyncError(
                SyncErrorKind.SERVER, f"the sync server failed ({status})", status=status
            )
        raise SyncError(SyncErrorKind.REJECTED, message, status=status)

    def pair(
        self,
        code: str,
        device_name: str,
        *,
        install_id: str | None = None,
        held_tenant_id: str | None = None,
        held_currency: str | None = None,
    ) -> PairResult:
        """Trade the code for a token. What the register already holds (its install, the shop
        it was paired with, its currency) goes along, so a code of another shop is refused
        (409) before the server uses it up."""
        request: dict[str, Any] = {"code": code.strip(), "device_name": device_name}
        held = {
            "install_id": install_id,
            "held_tenant_id": held_tenant_id,
            "held_currency": held_currency,
        }
        request.update({name: value for name, value in held.items() if value is not None})
        body = self._request("POST", "/v1/devices/pair", json=request)
        return PairResult(
            device_id=str(body["device_id"]), token=str(body["token"]), tenant=dict(body["tenant"])
        )

    def me(self) -> dict[str, Any]:
        return dict(self._request("GET", "/v1/devices/me"))

    def push(self, device_id: str, batch: list[dict[str, Any]]) -> PushResult:
        body = self._request("POST", "/v1/sync/push", json={"device_id": device_id, "batch": batch})
        return PushResult(
            acknowledged_seq=int(body["acknowledged_seq"]),
            applied=int(body.get("applied", 0)),
            replayed=int(body.get("replayed", 0)),
            conflicts=list(body.get("conflicts", [])),
            refused=list(body.get("refused", [])),
        )

    def pull(self, cursor: str, limit: int = 500) -> PullResult:
        body = self._request("GET", "/v1/sync/pull", params={"cursor": cursor, "limit": limit})
        return PullResult(
            cursor=str(body["cursor"]),
            has_more=bool(body["has_more"]),
            changes=list(body["changes"]),
        )

    def fee_invoices(self) -> dict[str, Any]:
        """The platform's fee invoices to this register's shop, and whether it is past due."""
        return dict(self._request("GET", "/v1/billing/invoices"))

    def invite_owner(self, email: str, idempotency_key: str) -> dict[str, Any]:
        """Invite `email` to own this register's shop in the web console (the server emails a
        one-time set-password link). Safe to retry with the same `idempotency_key`: the server
        answers a resend with the invitation the first one made (`replayed`)."""
        return dict(
            self._request(
                "POST",
                "/v1/owners/invitations",
                json={"email": email},
                headers={"Idempotency-Key": idempotency_key},
            )
        )
