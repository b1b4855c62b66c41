"""A loopback TCP server that plays a network receipt printer, and an ESC/POS decoder.

The decoder is written from the ESC/POS command reference, not from python-escpos, so the
tests check the bytes a real printer would get. It knows the commands our renderer sends and
fails on anything else, so a surprising byte sequence is a test failure, not silently text.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field

ESC, GS, LF = 0x1B, 0x1D, 0x0A

#: ESC t n → the Python codec of that printer code page.
CODE_PAGES = {
    0: "cp437", 2: "cp850", 3: "cp860", 4: "cp863", 5: "cp865", 13: "cp857", 14: "cp737",
    15: "iso8859_7", 16: "cp1252", 17: "cp866", 18: "cp852", 19: "cp858", 39: "iso8859_2",
    40: "iso8859_15", 45: "cp1250", 46: "cp1251", 47: "cp1253", 48: "cp1254", 49: "cp1255",
    50: "cp1256", 51: "cp1257", 52: "cp1258",
}  # fmt: skip

#: Commands that take a fixed number of parameter bytes: (prefix, command byte) -> count.
_FIXED = {
    (ESC, ord("!")): 1,  # print mode (size, bold bit)
    (ESC, ord("E")): 1,  # bold
    (ESC, ord("-")): 1,  # underline
    (ESC, ord("M")): 1,  # font
    (ESC, ord("a")): 1,  # alignment
    (ESC, ord("t")): 1,  # code page
    (ESC, ord("d")): 1,  # print and feed n lines
    (ESC, ord("{")): 1,  # upside down
    (ESC, ord("G")): 1,  # double strike
    (ESC, ord("@")): 0,  # initialise
    (ESC, ord("p")): 3,  # drawer kick: m t1 t2
    (GS, ord("!")): 1,  # character size
    (GS, ord("B")): 1,  # white on black
    (GS, ord("b")): 1,  # smoothing
}


@dataclass
class DecodedLine:
    text: str
    bold: bool
    double_width: bool
    double_height: bool
    inverted: bool
    align: int
    """0 left, 1 centre, 2 right."""


@dataclass
class Decoded:
    lines: list[DecodedLine] = field(default_factory=list)
    drawer_kicks: list[tuple[int, int, int]] = field(default_factory=list)
    """``(m, t1, t2)`` of each ``ESC p``: m is the connector pin (0 = pin 2, 1 = pin 5)."""
    cuts: int = 0
    qr_codes: list[str] = field(default_factory=list)
    initialisations: int = 0

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    def line_with(self, fragment: str) -> DecodedLine:
        for line in self.lines:
            if fragment in line.text:
                return line
        raise AssertionError(f"{fragment!r} is not on the slip:\n{self.text}")


def decode(data: bytes) -> Decoded:
    """Split an ESC/POS stream into printed lines (with their style) and commands."""
    out = Decoded()
    codec = "cp437"
    bold = double_w = double_h = inverted = False
    align = 0
    line_style: tuple[bool, bool, bool, bool, int] | None = None
    # One line may switch code pages mid-way: each run of bytes is decoded with its own page.
    runs: list[str] = []
    buffer = bytearray()

    def end_run() -> None:
        nonlocal buffer
        if buffer:
            runs.append(buffer.decode(codec))
            buffer = bytearray()

    i = 0
    while i < len(data):
        byte = data[i]
        if byte == LF:
            end_run()
            style = line_style or (bold, double_w, double_h, inverted, align)
            out.lines.append(DecodedLine("".join(runs), *style))
            runs = []
            line_style = None
            i += 1
            continue
        if byte in (ESC, GS):
            command = data[i + 1]
            key = (byte, command)
            if key in _FIXED:
                params = data[i + 2 : i + 2 + _FIXED[key]]
                i += 2 + _FIXED[key]
                if key == (ESC, ord("@")):
                    out.initialisations += 1
                    bold = double_w = double_h = inverted = False
                    align = 0
                elif key == (ESC, ord("!")):
                    end_run()
                    mode = params[0]
                    bold = bool(mode & 0x08)
                    double_h = bool(mode & 0x10)
                    double_w = bool(mode & 0x20)
                elif key == (ESC, ord("E")):
                    bold = bool(params[0] & 1)
                elif key == (ESC, ord("a")):
                    align = params[0] % 48
                elif key == (ESC, ord("t")):
                    end_run()
                    if params[0] not in CODE_PAGES:
                        raise AssertionError(f"unexpected code page ESC t {params[0]}")
                    codec = CODE_PAGES[params[0]]
                elif key == (ESC, ord("p")):
                    out.drawer_kicks.append((params[0], params[1], params[2]))
                elif key == (GS, ord("!")):
                    double_w = bool(params[0] & 0xF0)
                    double_h = bool(params[0] & 0x0F)
                elif key == (GS, ord("B")):
                    inverted = bool(params[0] & 1)
                continue
            if key == (GS, ord("V")):  # cut: GS V m, or GS V m n for m = 65/66
                mode = data[i + 2]
                i += 4 if mode in (65, 66) else 3
                out.cuts += 1
                continue
            if key == (GS, ord("(")) and data[i + 2] == ord("k"):  # 2D code: GS ( k pL pH cn fn
                length = data[i + 3] + 256 * data[i + 4]
                body = data[i + 5 : i + 5 + length]
                cn, fn = body[0], body[1]
                if cn == ord("1") and fn == 80:  # QR: store data (m = '0', then the data)
                    out.qr_codes.append(body[3:].decode("utf-8"))
                i += 5 + length
                continue
            raise AssertionError(f"unknown command {bytes(data[i : i + 4])!r} at byte {i}")
        if byte < 0x20:
            raise AssertionError(f"unexpected control byte {byte:#04x} at {i}")
        if not buffer and not runs:
            line_style = (bold, double_w, double_h, inverted, align)
        buffer.append(byte)
        i += 1
    end_run()
    if runs:
        out.lines.append(DecodedLine("".join(runs), bold, double_w, double_h, inverted, align))
    return out


class LoopbackPrinter:
    """A network printer on 127.0.0.1: each connection is one job, read until the client
    closes its side, then closed by the printer (as a raw port-9100 printer does)."""

    def __init__(self, port: int = 0) -> None:
        self._requested_port = port
        self.port = port
        self.jobs: list[bytes] = []
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        self._server: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    def start(self) -> LoopbackPrinter:
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", self._requested_port))
        server.listen(8)
        server.settimeout(0.1)
        self.port = server.getsockname()[1]
        self._server = server
        self._stopping.clear()
        self._thread = threading.Thread(target=self._serve, name="loopback-printer", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None
        if self._server is not None:
            self._server.close()
            self._server = None

    def _serve(self) -> None:
        assert self._server is not None
        while not self._stopping.is_set():
            try:
                connection, _ = self._server.accept()
            except TimeoutError:
                continue
            with connection:
                connection.settimeout(5)
                chunks = []
                while chunk := connection.recv(65536):
                    chunks.append(chunk)
            with self._arrived:
                self.jobs.append(b"".join(chunks))
                self._arrived.notify_all()

    def wait_for_jobs(self, count: int, timeout_s: float = 10.0) -> list[bytes]:
        deadline = time.monotonic() + timeout_s
        with self._arrived:
            while len(self.jobs) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"the printer got {len(self.jobs)} jobs, not {count}")
                self._arrived.wait(left)
            return list(self.jobs)

    @property
    def received(self) -> bytes:
        with self._lock:
            return b"".join(self.jobs)


def free_port() -> int:
    """A loopback port nobody listens on (a printer that is switched off)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port
