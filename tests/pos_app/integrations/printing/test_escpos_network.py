"""The raw TCP transport against real loopback sockets playing the printer."""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Iterator

import pytest

from pos_app.domain.receipts import PrintLayout, QrRow, TextRow
from pos_app.integrations.printing import escpos_render
from pos_app.integrations.printing.transport import PrinterUnavailable, Timeouts, send_raw
from tests.support.escpos_printer import LoopbackPrinter, decode, free_port

FAST = Timeouts(connect_s=1.0, write_s=1.0, close_wait_s=0.5)


@pytest.fixture
def printer() -> Iterator[LoopbackPrinter]:
    server = LoopbackPrinter().start()
    yield server
    server.stop()


def test_the_printer_gets_exactly_the_bytes_sent(printer: LoopbackPrinter) -> None:
    payload = escpos_render.drawer_kick() + bytes(range(256)) * 64  # 16 KiB, every byte value
    send_raw("127.0.0.1", printer.port, payload, FAST)
    assert printer.wait_for_jobs(1) == [payload]


def test_a_switched_off_printer_is_a_clear_error_at_once() -> None:
    port = free_port()
    started = time.monotonic()
    with pytest.raises(PrinterUnavailable) as caught:
        send_raw("127.0.0.1", port, b"hello", FAST)
    assert time.monotonic() - started < 1.0
    assert caught.value.host == "127.0.0.1"
    assert caught.value.port == port
    assert "refused the connection" in caught.value.reason


def _resetting_printer() -> tuple[socket.socket, threading.Thread]:
    """Accepts, then drops the connection with a reset (a printer rebooting mid-job)."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(1)

    def serve() -> None:
        connection, _ = server.accept()
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        connection.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return server, thread


def test_a_connection_reset_mid_job_is_not_taken_for_printed() -> None:
    server, thread = _resetting_printer()
    try:
        with pytest.raises(PrinterUnavailable):
            send_raw("127.0.0.1", server.getsockname()[1], b"x" * 4096, FAST)
    finally:
        thread.join(5)
        server.close()


def test_a_printer_that_keeps_the_connection_open_still_counts_as_printed() -> None:
    """Some printers never close their side: the wait for it is bounded, not an error."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    received = bytearray()
    done = threading.Event()

    def serve() -> None:
        connection, _ = server.accept()
        with connection:
            connection.settimeout(5)
            while len(received) < 5:
                received.extend(connection.recv(16))
            done.wait(5)  # hold the connection open past the client's close wait

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        started = time.monotonic()
        send_raw("127.0.0.1", server.getsockname()[1], b"hello", FAST)
        elapsed = time.monotonic() - started
    finally:
        done.set()
        thread.join(5)
        server.close()
    assert bytes(received) == b"hello"
    assert 0.4 <= elapsed < 2.0


def test_a_rendered_receipt_survives_the_wire(printer: LoopbackPrinter) -> None:
    layout = PrintLayout(42, (TextRow("Corner Café"), QrRow("pos:order:1")), "test")
    send_raw("127.0.0.1", printer.port, escpos_render.render_layout(layout), FAST)
    slip = decode(printer.wait_for_jobs(1)[0])
    assert slip.text.startswith("Corner Café")
    assert slip.qr_codes == ["pos:order:1"]
    assert slip.cuts == 1
