"""A local stand-in for Twilio's Messages API (`POST /2010-04-01/Accounts/{sid}/Messages.json`,
form-encoded, basic auth), answering with Twilio's JSON shapes. It checks what a real Twilio
would: the path's account, the credentials, the required fields."""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

ACCOUNT_SID = "AC" + "0" * 31 + "1"
AUTH_TOKEN = "test-auth-token"
FROM_NUMBER = "+15005550006"


@dataclass
class Planned:
    status: int
    body: dict[str, Any] | None = None
    delay: float = 0.0
    """Seconds to wait before answering (past the client's timeout: an unknown outcome)."""


@dataclass
class FakeTwilio:
    plan: list[Planned] = field(default_factory=list)
    """Answers used in turn; then 201 with a new message."""
    messages: list[dict[str, str]] = field(default_factory=list)
    """Messages created (what a real Twilio would deliver)."""
    requests: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"


def _handler(fake: FakeTwilio) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def _answer(self, status: int, body: dict[str, Any]) -> None:
            payload = json.dumps(body).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting (a planned late answer)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            with fake.lock:
                fake.requests += 1
                planned = fake.plan.pop(0) if fake.plan else None
            if planned is not None:
                time.sleep(planned.delay)
                if planned.status != 201:
                    self._answer(planned.status, planned.body or {})
                    return
            expected = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
            credentials = base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
            if self.path != expected:
                self._answer(404, {"code": 20404, "message": "not found", "status": 404})
                return
            if self.headers.get("Authorization") != f"Basic {credentials}":
                self._answer(401, {"code": 20003, "message": "Authenticate", "status": 401})
                return
            missing = [name for name in ("To", "From", "Body") if not form.get(name)]
            if missing:
                self._answer(
                    400,
                    {"code": 21604, "message": f"A '{missing[0]}' is required", "status": 400},
                )
                return
            sid = "SM" + secrets.token_hex(16)
            message = {"sid": sid, "to": form["To"], "from": form["From"], "body": form["Body"]}
            with fake.lock:
                fake.messages.append(message)
            self._answer(201, {**message, "status": "queued", "account_sid": ACCOUNT_SID})

    return Handler


def fake_twilio() -> Iterator[FakeTwilio]:
    fake = FakeTwilio()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    fake.server = server
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
