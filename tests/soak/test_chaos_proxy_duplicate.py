"""The chaos proxy's "duplicate" fate: the server receives the request twice (body and all), the
client one answer, and the kept-alive connection goes on working."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import httpx
import pytest

from tests.support.chaos_proxy import ChaosPolicy, ChaosProxy


class Recorder(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    bodies: ClassVar[list[bytes]] = []
    lock: ClassVar[threading.Lock] = threading.Lock()

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        with self.lock:
            self.bodies.append(body)
            count = len(self.bodies)
        answer = str(count).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[ThreadingHTTPServer]:
    Recorder.bodies = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def test_a_duplicated_request_reaches_the_server_twice_and_the_client_once(
    server: ThreadingHTTPServer,
) -> None:
    proxy = ChaosProxy(server.server_address[1], policy=ChaosPolicy(duplicate=1.0)).start()
    try:
        body = b"x" * 300_000  # several reads: the proxy must frame the whole request
        with httpx.Client(base_url=proxy.url, timeout=10) as client:
            first = client.post("/push", content=body)
            second = client.post("/push", content=b"second")  # same kept-alive connection
        assert first.status_code == second.status_code == 200
    finally:
        proxy.stop()
    assert proxy.fates["duplicate"] == 2
    assert sorted(Recorder.bodies) == sorted([body, body, b"second", b"second"])
