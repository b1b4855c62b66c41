"""A TCP proxy on loopback that misbehaves on purpose: it refuses, delays, black-holes or
resets connections, including after the request reached the server (so the effect happened
but the answer is lost), and delivers requests twice (the client hears one of the answers).
Each new connection, and each new request on a kept-alive one, draws its fate from a seeded
policy.

With several target ports it is also a round-robin balancer (two server processes on one
database): each new connection goes to the next target, or the one after when that one refuses
(a process killed and not yet restarted), as a load balancer would. It keeps which requests are
in flight to which target, so that a test can kill a server process mid-request.

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
from collections.abc import Sequence
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


@dataclass(frozen=True)
class InFlight:
    """A request forwarded to a server that has not answered yet."""

    target_port: int
    proxy_port: int
    """The proxy's own end of the connection to the server (the server sees it as the peer)."""
    request_line: str
    """`POST /v1/sync/push HTTP/1.1`, say."""


class ChaosProxy:
    def __init__(
        self, target_port: int | Sequence[int], *, policy: ChaosPolicy | None = None
    ) -> None:
        ports = [target_port] if isinstance(target_port, int) else list(target_port)
        self.targets = [("127.0.0.1", port) for port in ports]
        self.policy = policy or ChaosPolicy()
        self.offline = False
        """When set, every connection is refused: the network is cut."""
        self.fates: dict[str, int] = {}
        self.requests_by_target: dict[int, int] = {}
        """Requests forwarded, by target port."""
        self.cut_in_flight: list[InFlight] = []
        """Requests whose server closed the connection before answering (a process killed)."""
        self._next_target = 0
        self._in_flight: dict[int, InFlight] = {}
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

    def in_flight(self) -> list[InFlight]:
        """The requests forwarded and not answered yet, at this moment."""
        with self._lock:
            return list(self._in_flight.values())

    def _connect(self, timeout: float) -> socket.socket | None:
        """A connection to the next target that accepts one (round robin); None when none does."""
        with self._lock:
            first = self._next_target
            self._next_target = (first + 1) % len(self.targets)
        for step in range(len(self.targets)):
            target = self.targets[(first + step) % len(self.targets)]
            try:
                upstream = socket.create_connection(target, timeout=timeout)
            except OSError:
                continue
            if step:
                self._count("failed_over")  # not injected: a target was down, the next took it
            return upstream
        return None

    def _forwarding(self, upstream: socket.socket, data: bytes) -> None:
        """`data` starts a request on `upstream`: note it in flight until its answer comes."""
        proxy_port, target_port = upstream.getsockname()[1], upstream.getpeername()[1]
        line = data.split(b"\r\n", 1)[0].decode("latin-1")
        with self._lock:
            self._in_flight[proxy_port] = InFlight(target_port, proxy_port, line)
            self.requests_by_target[target_port] = self.requests_by_target.get(target_port, 0) + 1

    def _settled(self, upstream: socket.socket, *, cut: bool = False) -> None:
        with contextlib.suppress(OSError):
            proxy_port = upstream.getsockname()[1]
            with self._lock:
                request = self._in_flight.pop(proxy_port, None)
                if cut and request is not None:
                    self.cut_in_flight.append(request)

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
        upstream = self._connect(timeout=5)
        if upstream is None:
            self._count("server_unreachable")  # not injected: the server's own failure
            _reset(client)
            return
        self._pipe(client, upstream, fate)

    def _deliver_copy(self, request: bytes) -> None:
        """Send `request` on a connection of its own (to the next target, with several) and read
        (then drop) the server's answer."""
        copy = self._connect(timeout=60)
        if copy is None:
            self._count("duplicate_unanswered")
            return
        try:
            with copy:
                self._forwarding(copy, request)
                copy.sendall(request)
                answered = _read_message(copy, b"") is not None
                self._settled(copy, cut=not answered)
                if not answered:
                    self._count("duplicate_unanswered")
        except OSError:
            self._settled(copy, cut=True)
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
                    try:
                        data = sock.recv(65536)
                    except ConnectionResetError:
                        data = b""  # a reset (a process killed with bytes unread): closed
                    if not data:
                        if sock is upstream:  # not injected: the server closed the connection
                            self._count("server_closed" + ("_in_flight" if in_flight else ""))
                            self._settled(upstream, cut=in_flight)
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
                        self._settled(upstream)
                        if reset_on_answer:
                            return  # the server did the work; the client never hears of it
                        answered = True
                        in_flight = False
                    else:
                        if not in_flight:
                            self._forwarding(upstream, data)
                        in_flight = True
                    if sock is client:
                        try:
                            upstream.sendall(data)
                        except OSError:
                            # not injected: the server went away (a process killed) between
                            # its last answer and this request; the client hears a close.
                            self._count("server_closed_in_flight")
                            self._settled(upstream, cut=True)
                            return
                    else:
                        client.sendall(data)
        except OSError:
            return
        finally:
            self._settled(upstream)
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
