"""Send a finished ESC/POS byte stream to a network printer (raw TCP, "port 9100").

One attempt per call, bounded in time: connect, write, and wait for the printer to close.
Retrying is the print queue's job, so this function never repeats a write itself.

A plain socket rather than python-escpos' `Network` printer: the queue stores the whole job as
bytes already rendered, so there is nothing left for a printer object to build. `Network` has
one timeout for both connect and write, writes each command in its own `send`, and turns only
connect failures into its own error; here every way the printer can be away (refused, silent,
reset mid-job, unknown host) becomes one `PrinterUnavailable` with a reason a person can read.
"""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass

CONNECT_TIMEOUT_S = 3.0
WRITE_TIMEOUT_S = 3.0
"""For the whole write (`sendall` has one deadline for all of it since Python 3.5)."""
CLOSE_WAIT_S = 2.0
"""How long to wait for the printer to close its side after our last byte."""


@dataclass(frozen=True, slots=True)
class Timeouts:
    connect_s: float = CONNECT_TIMEOUT_S
    write_s: float = WRITE_TIMEOUT_S
    close_wait_s: float = CLOSE_WAIT_S


class PrinterUnavailable(Exception):
    """The printer did not take the job; nothing can be said about paper that came out."""

    def __init__(self, host: str, port: int, reason: str) -> None:
        self.host, self.port, self.reason = host, port, reason
        super().__init__(f"{host}:{port} {reason}")


def _reason(error: OSError) -> str:
    if isinstance(error, socket.gaierror):
        return "cannot be found on the network (check the printer's address)"
    if isinstance(error, TimeoutError):
        return "is not answering"
    if isinstance(error, ConnectionRefusedError):
        return "refused the connection (is it switched on and is the port right?)"
    if isinstance(error, ConnectionResetError | BrokenPipeError | ConnectionAbortedError):
        return "dropped the connection in the middle of the job"
    return f"is not reachable ({error.strerror or error})"


def send_raw(host: str, port: int, payload: bytes, timeouts: Timeouts = Timeouts()) -> None:
    """Deliver `payload` to the printer at `host:port` or raise `PrinterUnavailable`.

    After the last byte we half-close the connection and wait briefly for the printer to close
    its side: most printers then have the whole job. A printer that keeps the connection open
    is not an error (some do); one that resets it is, since it may not have read everything.
    """
    try:
        with socket.create_connection((host, port), timeout=timeouts.connect_s) as sock:
            sock.settimeout(timeouts.write_s)
            sock.sendall(payload)
            sock.shutdown(socket.SHUT_WR)
            _wait_for_close(sock, timeouts.close_wait_s)
    except OSError as error:
        raise PrinterUnavailable(host, port, _reason(error)) from error


def _wait_for_close(sock: socket.socket, limit_s: float) -> None:
    deadline = time.monotonic() + limit_s
    while (left := deadline - time.monotonic()) > 0:
        sock.settimeout(left)
        try:
            # A printer may answer with status bytes (automatic status back); they are dropped.
            if not sock.recv(1024):
                return
        except TimeoutError:
            return
