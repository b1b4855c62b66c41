"""A TCP proxy on loopback that misbehaves on purpose: it refuses, delays, black-holes or
resets connections, including after the request reached the server (so the effect happened
but the answer is lost), and delivers requests twice (the client hears one of the answers).
Each new connection, and each new request on a kept-alive one, draws its fate from a seeded
policy.

Only ever listens on and connects to 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import random
import select
import socket
import struct
import threading
import time
from dataclasses import dataclass, field


@dataclass
class ChaosPolicy:
    refuse: float = 0.0
    """Close the client's connection at once (RST)."""
    delay: float = 0.0
    """Hold the connection `delay_s` before forwarding."""
    blackhole: float = 0.0
    """Accept and never answer (the client times out)."""
    reset_after_request: float = 0.0
    """Forward the request, then reset the client before the answer arrives."""
    duplicate: float = 0.0
    """Deliver the request twice (the copy on a connection of its own, at the same moment);
    the client gets the answer of the original delivery, whichever the server handled first."""
    delay_s: float = 0.3
    seed: int = 0
    _rng: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    def draw(self) -> str:
        roll = self._rng.random()
        for fate, share in (
            ("refuse", self.refuse),
            ("delay", self.delay),
            ("blackhole", self.blackhole),
            ("reset_after_request", self.reset_after_request),
            ("duplicate", self.duplicate),
        ):
            if roll < share:
                return fate
            roll -= share
        return "ok"


def _read_message(sock: socket.socket, buffer: bytes) -> bytes | None:
    """Read from `sock` until `buffer` holds one whole HTTP/1.1 message framed by
    Content-Length (or none); None when the peer closed first or the framing is chunked."""
    while b"\r\n\r\n" not in buffer:
        more = sock.recv(65536)
        if not more:
            return None
        buffer += more
    head, _, body = buffer.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"transfer-encoding":
            return None
        if name == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        more = sock.recv(65536)
        if not more:
            return None
        body += more
    return head + b"\r\n\r\n" + body


def _reset(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


class ChaosProxy:
    def __init__(self, target_port: int, *, policy: ChaosPolicy | None = None) -> None:
        self.target = ("127.0.0.1", target_port)
        self.policy = policy or ChaosPolicy()
        self.offline = False
        """When set, every connection is refused: the network is cut."""
        self.fates: dict[str, int] = {}
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.port = self._listener.getsockname()[1]
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._accept = threading.Thread(target=self._serve, name="chaos-proxy", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ChaosProxy:
        self._accept.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._accept.join(5)
        self._listener.close()
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(5)

    def heal(self) -> None:
        self.offline = False
        self.policy = ChaosPolicy()

    def _track(self, thread: threading.Thread) -> None:
        with self._lock:
            self._threads = [t for t in self._threads if t.is_alive()] + [thread]

    def _count(self, fate: str) -> None:
        with self._lock:
            self.fates[fate] = self.fates.get(fate, 0) + 1

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            fate = "refuse" if self.offline else self.policy.draw()
            self._count(fate)
            thread = threading.Thread(target=self._handle, args=(client, fate), daemon=True)
            thread.start()
            self._track(thread)

    def _handle(self, client: socket.socket, fate: str) -> None:
        if fate == "refuse":
            _reset(client)
            return
        if fate == "blackhole":
            deadline = time.monotonic() + 30
            while not self._stop.is_set() and time.monotonic() < deadline:
                readable, _, _ = select.select([client], [], [], 0.2)
                if readable and not client.recv(65536):
                    break
            client.close()
            return
        if fate == "delay":
            time.sleep(self.policy.delay_s)
        try:
            upstream = socket.create_connection(self.target, timeout=5)
        except OSError:
            self._count("server_unreachable")  # not injected: the server's own failure
            _reset(client)
            return
        self._pipe(client, upstream, fate)

    def _deliver_copy(self, request: bytes) -> None:
        """Send `request` on a connection of its own and read (then drop) the server's answer."""
        try:
            with socket.create_connection(self.target, timeout=60) as copy:
                copy.sendall(request)
                if _read_message(copy, b"") is None:
                    self._count("duplicate_unanswered")
        except OSError:
            self._count("duplicate_unanswered")

    def _pipe(self, client: socket.socket, upstream: socket.socket, fate: str) -> None:
        """Relay both ways. A kept-alive connection carries many requests: each new request
        (client data after an answer) draws a fate of its own."""
        sockets = [client, upstream]
        answered = False
        in_flight = False
        reset_on_answer = fate == "reset_after_request"
        duplicate = fate == "duplicate"
        try:
            while not self._stop.is_set():
                readable, _, _ = select.select(sockets, [], [], 0.2)
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        if sock is upstream:  # not injected: the server closed the connection
                            self._count("server_closed" + ("_in_flight" if in_flight else ""))
                        return
                    if sock is client and answered:
                        answered = False
                        fate = "refuse" if self.offline else self.policy.draw()
                        self._count(fate)
                        if fate in ("refuse", "blackhole"):
                            reset_on_answer = True
                            return
                        if fate == "delay":
                            time.sleep(self.policy.delay_s)
                        reset_on_answer = fate == "reset_after_request"
                        duplicate = fate == "duplicate"
                    if sock is client and duplicate:
                        duplicate = False
                        whole = _read_message(client, data)
                        if whole is None:
                            self._count("duplicate_unframed")
                        else:
                            data = whole
                            copy = threading.Thread(
                                target=self._deliver_copy, args=(data,), daemon=True
                            )
                            copy.start()
                            self._track(copy)
                    if sock is upstream:
                        if reset_on_answer:
                            return  # the server did the work; the client never hears of it
                        answered = True
                        in_flight = False
                    else:
                        in_flight = True
                    (upstream if sock is client else client).sendall(data)
        except OSError:
            return
        finally:
            upstream.close()
            if reset_on_answer:
                _reset(client)
            else:
                client.close()


class StallProxy:
    """A plain TCP relay (for PostgreSQL, say) that can go quiet without closing anything.

    `forward_limit`: from then on, each new connection relays that many bytes from the server
    (a start-up's worth, so the client's connect succeeds) and then nothing more, in either
    direction; None relays everything. `freeze()` stalls the connections open at that moment,
    mid-query if one is in flight. `silent`: new connections are accepted and never answered.
    """

    def __init__(self, target_port: int) -> None:
        self.target = ("127.0.0.1", target_port)
        self.forward_limit: int | None = None
        self.silent = False
        self.last_server_bytes = 0
        """Bytes the server has sent on the newest connection: read after a connect, what
        `forward_limit` should be to let a start-up through and no more."""
        self._freezes = 0
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.port = self._listener.getsockname()[1]
        self._accept = threading.Thread(target=self._serve, name="stall-proxy", daemon=True)

    def start(self) -> StallProxy:
        self._accept.start()
        return self

    def freeze(self) -> None:
        self._freezes += 1

    def heal(self) -> None:
        """New connections relay everything again (frozen ones stay frozen)."""
        self.forward_limit = None
        self.silent = False

    def stop(self) -> None:
        self._stop.set()
        self._accept.join(5)
        self._listener.close()
        with self._lock:
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.close()

    def _keep(self, *sockets: socket.socket) -> None:
        with self._lock:
            self._sockets.extend(sockets)

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._keep(client)
            if self.silent:
                continue  # accepted, and never a byte back
            threading.Thread(
                target=self._relay, args=(client, self.forward_limit, self._freezes), daemon=True
            ).start()

    def _relay(self, client: socket.socket, limit: int | None, freezes: int) -> None:
        try:
            upstream = socket.create_connection(self.target, timeout=5)
        except OSError:
            _reset(client)
            return
        self._keep(upstream)
        from_server = 0
        try:
            while not self._stop.is_set():
                if self._freezes > freezes or (limit is not None and from_server >= limit):
                    time.sleep(0.1)  # hold both ends open, relay nothing
                    continue
                readable, _, _ = select.select([client, upstream], [], [], 0.1)
                for sock in readable:
                    data = sock.recv(65536 if limit is None else max(1, limit - from_server))
                    if not data:
                        return
                    if sock is upstream:
                        from_server += len(data)
                        self.last_server_bytes = from_server
                        client.sendall(data)
                    else:
                        upstream.sendall(data)
        except OSError:
            return
