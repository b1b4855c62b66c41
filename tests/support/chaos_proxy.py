"""A TCP proxy on loopback that misbehaves on purpose: it refuses, delays, black-holes or
resets connections, including after the request reached the server (so the effect happened
but the answer is lost). Each new connection draws its fate from a seeded policy.

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
        ):
            if roll < share:
                return fate
            roll -= share
        return "ok"


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
        for thread in self._threads:
            thread.join(5)

    def heal(self) -> None:
        self.offline = False
        self.policy = ChaosPolicy()

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
            self._threads = [t for t in self._threads if t.is_alive()] + [thread]

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
            _reset(client)
            return
        self._pipe(client, upstream, reset_on_answer=fate == "reset_after_request")

    def _pipe(
        self, client: socket.socket, upstream: socket.socket, *, reset_on_answer: bool
    ) -> None:
        """Relay both ways. A kept-alive connection carries many requests: each new request
        (client data after an answer) draws a fate of its own."""
        sockets = [client, upstream]
        answered = False
        try:
            while not self._stop.is_set():
                readable, _, _ = select.select(sockets, [], [], 0.2)
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
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
                    if sock is upstream:
                        if reset_on_answer:
                            return  # the server did the work; the client never hears of it
                        answered = True
                    (upstream if sock is client else client).sendall(data)
        except OSError:
            return
        finally:
            upstream.close()
            if reset_on_answer:
                _reset(client)
            else:
                client.close()
