"""The HTTP side: a threaded stdlib server speaking Stripe's wire format, and the CLI entry.

Per request: global latency, fault rules, API key check, form decoding, the optional OpenAPI
check, idempotency, then the API call under the state lock. Responses are written in one
piece with `Request-Id` and `Stripe-Version` headers. Paths under `/_emulator/` are test
controls (JSON in, JSON out) and are neither authenticated nor spec-checked; paths under
`/i/` are the hosted invoice pages and `/c/pay/` the hosted Checkout pages (HTML), public like
Stripe's.
"""

from __future__ import annotations

import base64
import contextlib
import json
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from pos_app.payments.emulator.billing import HOSTED_PATH
from pos_app.payments.emulator.checkout import CHECKOUT_PATH
from pos_app.payments.emulator.errors import StripeError
from pos_app.payments.emulator.events import API_VERSION
from pos_app.payments.emulator.faults import FaultRule
from pos_app.payments.emulator.forms import decode_nested, parse_pairs
from pos_app.payments.emulator.idempotency import StoredResponse
from pos_app.payments.emulator.store import RequestContext, new_request_id

if TYPE_CHECKING:
    from pos_app.payments.emulator.emulator import StripeEmulator


@dataclass
class RecordedRequest:
    """One API request as the emulator saw it (the API key is reduced to its last 4)."""

    method: str
    path: str
    query: dict[str, Any]
    params: dict[str, Any]
    headers: dict[str, str]
    status: int | None = None  # None: the connection was dropped without an answer
    request_id: str | None = None
    idempotency_key: str | None = None
    api_key_last4: str | None = None
    replayed: bool = False
    fault: str | None = None
    spec_violations: list[str] = field(default_factory=list)
    server_seconds: float = 0.0


class _DropConnection(Exception):
    """Close the socket without answering."""


class EmulatorHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, address: tuple[str, int], emulator: StripeEmulator) -> None:
        self.emulator = emulator
        self.open_connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self.open_connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self.open_connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that goes away mid-request (killed, or reset by a proxy) is ordinary traffic
        # for a server, not a traceback on stderr.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)

    def close_open_connections(self) -> None:
        with self._connections_lock:
            connections = list(self.open_connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "StripeEmulator"
    sys_version = ""
    disable_nagle_algorithm = True
    timeout = 120  # idle keep-alive connections are closed after this
    server: EmulatorHTTPServer

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    # -- plumbing --------------------------------------------------------------------------
    def _read_body(self) -> bytes | None:
        """The request's body; None when the client went away before sending all of it."""
        length = int(self.headers.get("Content-Length") or 0)
        if length <= 0:
            return b""
        body = self.rfile.read(length)
        return body if len(body) == length else None

    def _write(
        self,
        status: int,
        body: bytes,
        headers: dict[str, str] | None = None,
        content_type: str = "application/json",
    ) -> None:
        phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else ""
        lines = [
            f"HTTP/1.1 {status} {phrase}",
            "Server: StripeEmulator",
            f"Content-Type: {content_type}",
            f"Content-Length: {len(body)}",
            "Access-Control-Allow-Origin: *",
            "Cache-Control: no-cache, no-store",
        ]
        for name, value in (headers or {}).items():
            lines.append(f"{name}: {value}")
        if self.close_connection:
            lines.append("Connection: close")
        self.wfile.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)

    def _drop(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def _handle(self, method: str) -> None:
        started = time.perf_counter()
        emulator = self.server.emulator
        split = urlsplit(self.path)
        path = split.path
        body = self._read_body()
        if body is None:
            # Cut off mid-body (a client killed while sending): like Stripe, run nothing.
            self._drop()
            return
        if path.startswith("/_emulator/"):
            status, payload = emulator._control(method, path, body)
            self._write(status, json.dumps(payload).encode())
            return
        if path.startswith(HOSTED_PATH):
            # The hosted invoice page: a public page (no key, not part of the API).
            status, page = emulator._hosted_invoice(method, path, body)
            self._write(status, page.encode(), content_type="text/html; charset=utf-8")
            return
        if path.startswith(CHECKOUT_PATH):
            # The hosted Checkout page (saving a card): public like Stripe's, not the API.
            status, page, extra = emulator._hosted_checkout(method, path, body)
            self._write(status, page.encode(), extra, content_type="text/html; charset=utf-8")
            return
        request_id = new_request_id()
        query_pairs = parse_pairs(split.query)
        form_pairs = parse_pairs(body.decode("utf-8", errors="replace")) if method == "POST" else []
        record = RecordedRequest(
            method=method,
            path=path,
            query={},
            params={},
            headers={k: v for k, v in self.headers.items() if k.lower() != "authorization"},
            request_id=request_id,
            idempotency_key=self.headers.get("Idempotency-Key"),
        )
        try:
            status, payload, headers = self._api(
                emulator, method, path, query_pairs, form_pairs, request_id, record
            )
        except _DropConnection:
            record.server_seconds = time.perf_counter() - started
            emulator._record(record)
            self._drop()
            return
        record.status = status
        record.server_seconds = time.perf_counter() - started
        emulator._record(record)
        self._write(status, payload, headers)

    def _api(
        self,
        emulator: StripeEmulator,
        method: str,
        path: str,
        query_pairs: list[tuple[str, str]],
        form_pairs: list[tuple[str, str]],
        request_id: str,
        record: RecordedRequest,
    ) -> tuple[int, bytes, dict[str, str]]:
        version = self.headers.get("Stripe-Version") or API_VERSION
        headers = {"Request-Id": request_id, "Stripe-Version": version}
        if emulator.latency > 0:
            time.sleep(emulator.latency)
        fired = emulator.faults.draw(method, path)
        fault = next((rule for rule in fired if rule.kind != "delay"), None)
        if fault is not None:
            record.fault = fault.kind
            if fault.kind == "drop_before":
                raise _DropConnection
            if fault.kind == "error_before":
                return self._fault_answer(fault, request_id, headers)
            if fault.kind == "rate_limit":
                return self._rate_limited(request_id, headers)

        idempotency_key = record.idempotency_key
        api_key: str | None = None
        try:
            api_key = self._api_key()
            record.api_key_last4 = api_key[-4:]
            data = decode_nested([*query_pairs, *form_pairs])
            record.query = decode_nested(query_pairs) if query_pairs else {}
            record.params = data
            emulator.api.match(method, path)  # unknown endpoints answer 404 first
            self._check_spec(emulator, method, path, query_pairs, form_pairs, record)
            if method == "POST" and idempotency_key:
                stored = emulator.idempotency.begin(api_key, idempotency_key, method, path, data)
                if stored is not None:
                    record.replayed = True
                    headers.update(
                        {
                            "Idempotent-Replayed": "true",
                            "Original-Request": stored.request_id,
                        }
                    )
                    return self._after_fault(fault, stored.status, stored.body, headers, request_id)
            ctx = RequestContext(request_id, idempotency_key if method == "POST" else None)
            for rule in fired:
                if rule.kind == "delay":
                    # Slow processing: the idempotency key (if any) is held meanwhile.
                    time.sleep(rule.delay)
            try:
                with emulator.store.lock:
                    status, payload = emulator.api.call(method, path, data, ctx)
            except StripeError as error:
                status, payload = error.status, json.dumps(error.body(request_id)).encode()
                if method == "POST" and idempotency_key:
                    if error.idempotent_result:
                        emulator.idempotency.finish(
                            api_key, idempotency_key, StoredResponse(status, payload, request_id)
                        )
                    else:
                        emulator.idempotency.abandon(api_key, idempotency_key)
                if error.should_retry is not None:
                    headers["Stripe-Should-Retry"] = str(error.should_retry).lower()
                if method != "GET":
                    emulator.save()
                return self._after_fault(fault, status, payload, headers, request_id)
            except Exception:
                if method == "POST" and idempotency_key:
                    emulator.idempotency.abandon(api_key, idempotency_key)
                raise
            if method == "POST" and idempotency_key:
                emulator.idempotency.finish(
                    api_key, idempotency_key, StoredResponse(status, payload, request_id)
                )
            emulator.scheduler.run_due()
            if method != "GET":
                emulator.save()
            return self._after_fault(fault, status, payload, headers, request_id)
        except StripeError as error:
            if error.should_retry is not None:
                headers["Stripe-Should-Retry"] = str(error.should_retry).lower()
            return error.status, json.dumps(error.body(request_id)).encode(), headers
        except _DropConnection:
            raise
        except Exception as error:  # a bug in the emulator: answer like Stripe's 500
            emulator._internal_error(error)
            body = StripeError(
                500,
                f"The Stripe emulator failed on this request: {type(error).__name__}: {error}",
                type="api_error",
            ).body()
            return 500, json.dumps(body).encode(), headers

    def _after_fault(
        self,
        fault: FaultRule | None,
        status: int,
        payload: bytes,
        headers: dict[str, str],
        request_id: str,
    ) -> tuple[int, bytes, dict[str, str]]:
        if fault is not None and fault.kind == "drop_after":
            raise _DropConnection
        if fault is not None and fault.kind == "error_after":
            return self._fault_answer(fault, request_id, headers)
        return status, payload, headers

    @staticmethod
    def _rate_limited(
        request_id: str, headers: dict[str, str]
    ) -> tuple[int, bytes, dict[str, str]]:
        """Stripe's 429 (https://docs.stripe.com/rate-limits, /error-codes#rate-limit)."""
        body = StripeError(
            429,
            "Too many requests hit the API too quickly. We recommend an exponential backoff of "
            "your requests.",
            code="rate_limit",
        ).body(request_id)
        headers = {**headers, "Stripe-Rate-Limited-Reason": "endpoint-rate"}
        return 429, json.dumps(body).encode(), headers

    @staticmethod
    def _fault_answer(
        fault: FaultRule, request_id: str, headers: dict[str, str]
    ) -> tuple[int, bytes, dict[str, str]]:
        body = StripeError(
            fault.status,
            "An unknown error occurred (injected by the Stripe emulator: "
            f"{fault.kind} on {fault.method} {fault.path}).",
            type="api_error",
        ).body()
        if fault.should_retry is not None:
            headers = {**headers, "Stripe-Should-Retry": str(fault.should_retry).lower()}
        return fault.status, json.dumps(body).encode(), headers

    def _api_key(self) -> str:
        header = self.headers.get("Authorization") or ""
        scheme, _, credentials = header.partition(" ")
        key = ""
        if scheme.lower() == "bearer":
            key = credentials.strip()
        elif scheme.lower() == "basic":
            try:
                key = base64.b64decode(credentials).decode().split(":", 1)[0]
            except (ValueError, UnicodeDecodeError):
                key = ""
        if not key:
            raise StripeError(
                401,
                "You did not provide an API key. You need to provide your API key in the "
                "Authorization header, using Bearer auth (e.g. 'Authorization: Bearer "
                "YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for "
                "details, or we can help at https://support.stripe.com/.",
                idempotent_result=False,
            )
        if key.startswith(("sk_live_", "rk_live_", "pk_live_")):
            raise StripeError(
                401,
                "This is the Stripe emulator: it only speaks test mode and refuses live keys "
                f"({key[:8]}...{key[-4:]}). Use a test key such as sk_test_... .",
                idempotent_result=False,
            )
        if key.startswith("pk_test_"):
            raise StripeError(
                401,
                "This API call cannot be made with a publishable API key. Please use a secret "
                "API key. You can find a list of your API keys at "
                "https://dashboard.stripe.com/account/apikeys.",
                idempotent_result=False,
            )
        if not key.startswith(("sk_test_", "rk_test_")) or len(key) < 12:
            masked = key[:8] + "*" * max(0, len(key) - 12) + key[-4:] if len(key) > 12 else key
            raise StripeError(401, f"Invalid API Key provided: {masked}", idempotent_result=False)
        return key

    @staticmethod
    def _check_spec(
        emulator: StripeEmulator,
        method: str,
        path: str,
        query_pairs: list[tuple[str, str]],
        form_pairs: list[tuple[str, str]],
        record: RecordedRequest,
    ) -> None:
        checker = emulator.checker
        if checker is None:
            return
        violations = checker.check(method, path, query_pairs, form_pairs)
        if not violations:
            return
        record.spec_violations = [violation.message for violation in violations]
        emulator._spec_violation(method, path, violations)
        first = violations[0]
        raise StripeError(
            400,
            first.message + (f" (and {len(violations) - 1} more)" if len(violations) > 1 else ""),
            code=first.code or "parameter_invalid",
            param=first.param,
            idempotent_result=False,
        )


def serve_forever(
    *,
    host: str = "127.0.0.1",
    port: int = 12111,
    auto_present: bool = False,
    data_dir: Path | None = None,
) -> int:
    """`pos-app stripe-emulator`: run until Ctrl-C; returns the process exit code."""
    from pos_app.payments.emulator.emulator import StripeEmulator

    emulator = StripeEmulator(
        host=host, port=port, auto_present_delay=1.5 if auto_present else None, data_dir=data_dir
    )
    try:
        emulator.start()
    except OSError as error:
        sys.stderr.write(f"stripe-emulator: cannot listen on {host}:{port}: {error.strerror}\n")
        return 1
    # Ctrl-C can come as soon as the address is printed (a script reads it and stops us at
    # once): the try starts before the print, or an early interrupt would skip stop() and leave
    # the server's threads holding the process open.
    try:
        sys.stdout.write(
            f"Stripe emulator (API {API_VERSION}, test mode) listening on {emulator.base_url}\n"
            f"API key: {emulator.test_key}\n"
            + (
                "Simulated readers tap a test card by themselves after 1.5 s.\n"
                if auto_present
                else ""
            )
            + "Press Ctrl-C to stop.\n"
        )
        sys.stdout.flush()
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        sys.stdout.write("\nstopping the Stripe emulator\n")
    finally:
        emulator.stop()
    return 0
