"""Secrets never reach logs or databases: the Stripe key, device tokens and card numbers.

A realistic day at DEBUG logging (card sales through the Stripe emulator with its test cards, a
decline, a card refund, pairing with the real sync server and a push), then the register's data
directory (logs, SQLite file and WAL), the sync server's log and a pg_dump of its database are
scanned. The scanner itself is checked first: it finds what is planted and ignores look-alikes.
"""

from __future__ import annotations

import logging
import secrets
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from uuid import uuid4

import keyring
import pytest
from sqlalchemy.engine import make_url

from pos_app.app import setup_logging
from pos_app.application.card_payments import (
    CardOutcomeKind,
    CardPayments,
    PollPolicy,
    connect_terminal,
)
from pos_app.application.register import Register
from pos_app.application.sync import SyncEngine
from pos_app.config import AppConfig
from pos_app.domain.staff import Permission, authorize
from pos_app.domain.tenders import TenderKind, TenderRequest
from pos_app.integrations.secrets import DEVICE_TOKEN, STRIPE_KEY, SecretStore
from pos_app.payments.emulator import StripeEmulator
from pos_app.services.card_reader import store_key
from sync_server import embedded_pg
from sync_server.config import Settings
from sync_server.process import ServerProcess, server_env
from tests.soak.secrets_scan import looks_like_card_number, scan_paths
from tests.support.memory_keyring import MemoryKeyring
from tests.support.stripe_emulator_fixtures import (  # noqa: F401 - fixtures by name
    make_stripe_emulator,
    stripe_openapi_checker,
)
from tests.support.sync_server_fixtures import pg_server, settings  # noqa: F401
from tests.support.sync_server_tenants import create_tenant, pairing_code

ROOT = Path(__file__).resolve().parents[2]
TEST_CARDS = ("4242424242424242", "5555555555554444", "4000000000000002")


# --- the scanner ------------------------------------------------------------------------------


def test_the_scanner_finds_a_planted_key_token_and_card_number(tmp_path: Path) -> None:
    key = "rk_test_" + secrets.token_hex(20)
    token = secrets.token_urlsafe(32)
    (tmp_path / "app.log").write_text(
        f"INFO connecting with {key}\nDEBUG card=5555555555554444\n"
        "DEBUG post_data=card_present%5Bnumber%5D%3D%222223003122003222%22\n"
    )
    db = tmp_path / "register.sqlite3"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE t (a TEXT, b BLOB, c INTEGER)")
    con.execute(
        "INSERT INTO t VALUES (?, ?, ?)", ("x", f"Bearer {token}".encode(), 4242424242424242)
    )
    con.commit()
    con.close()
    (tmp_path / "dump.sql").write_text(
        "COPY notes (body) FROM stdin;\npaid with 4000 0000 0000 0002\n"
    )

    findings = scan_paths([tmp_path], [key, token])

    assert any("app.log: contains the secret" in f for f in findings)
    assert any("app.log: card-like number 555555…4444" in f for f in findings)
    assert any("app.log: card-like number 222300…3222" in f for f in findings)  # %-encoded
    assert any("t.b row 1: contains the secret" in f for f in findings)
    assert any("t.c row 1: card-like number 424242…4242" in f for f in findings)
    assert any("dump.sql: card-like number 400000…0002" in f for f in findings)
    assert not any(key in f or token in f for f in findings), "findings must mask what they found"


def test_the_scanner_ignores_uuids_timestamps_and_ordinary_numbers(tmp_path: Path) -> None:
    lines = [
        *(str(uuid4()) for _ in range(200)),
        *(uuid4().hex for _ in range(2000)),
        "created_ms=1764252977123 created_us=1764252977123456",  # epoch ms and µs
        "at 20261127135617 total 4250 order 12 attempt pos-pay-01938a6b7c2d7e0f",
        "4242424242424241",  # right shape, Luhn-invalid
        "x4242424242424242y",  # glued into a word: not a number on its own
        "42424242424242424242",  # 20 digits: too long for a card
    ]
    (tmp_path / "noise.log").write_text("\n".join(lines))
    assert scan_paths([tmp_path], ["rk_test_not_present_anywhere"]) == []
    assert looks_like_card_number("4242424242424242")
    assert not looks_like_card_number("1764252977123")


# --- a realistic day --------------------------------------------------------------------------


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    saved = dict(MemoryKeyring.store)
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)
    MemoryKeyring.store.clear()
    MemoryKeyring.store.update(saved)


@pytest.fixture
def app_log_files(tmp_path: Path) -> Iterator[AppConfig]:
    """The app's own logging set-up (its file, its format), at DEBUG for every logger."""
    config = AppConfig(data_dir=tmp_path / "register")
    root = logging.getLogger()
    kept, level = list(root.handlers), root.level
    root.handlers.clear()  # pytest's capture handlers would make basicConfig a no-op
    setup_logging(config)
    ours = list(root.handlers)
    root.handlers.extend(kept)
    root.setLevel(logging.DEBUG)
    yield config
    for handler in ours:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)
    logging.getLogger("stripe").setLevel(logging.NOTSET)


@pytest.fixture
def sync_server(settings: Settings, tmp_path: Path) -> Iterator[tuple[str, Path]]:  # noqa: F811
    """`sync-server serve` as deployed, its output (uvicorn's access log included) to a file."""
    log_path = tmp_path / "sync-server.log"
    server = ServerProcess(settings, env=server_env(settings), log_path=log_path)
    try:
        yield server.url, log_path
    finally:
        server.stop()


def pg_dump(settings: Settings, path: Path) -> None:  # noqa: F811
    """The embedded PostgreSQL's pg_dump: the newest one here, so it dumps the system server
    (15) and the embedded one (18) alike, and it is there on machines with no PostgreSQL."""
    url = make_url(settings.admin_database_url).set(drivername="postgresql")
    dump = str(embedded_pg.bin_dir() / "pg_dump")
    subprocess.run(
        [dump, "--no-owner", "--file", str(path), url.render_as_string(hide_password=False)],
        check=True,
        capture_output=True,
    )


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.stripe_emulator
def test_no_key_token_or_card_number_in_logs_or_databases(
    tmp_path: Path,
    settings: Settings,  # noqa: F811
    memory_keyring: MemoryKeyring,
    app_log_files: AppConfig,
    sync_server: tuple[str, Path],
    make_stripe_emulator: Callable[..., StripeEmulator],  # noqa: F811
) -> None:
    emulator = make_stripe_emulator(auto_present_delay=0.05)
    config = AppConfig(data_dir=app_log_files.data_dir, stripe_api_base=emulator.base_url)
    server_url, server_log = sync_server
    register = Register.open(config, demo=True)
    db, shop = register.db, register.shop
    staff = register.access.cli_staff(None)
    register.shifts.ensure_open(staff, float_minor=10_000)

    # The manager saves the shop's restricted key (Back office → Card reader).
    stripe_key = "rk_test_" + secrets.token_hex(24)
    store_key(stripe_key)
    assert SecretStore().get(STRIPE_KEY) == stripe_key

    # A card sale the way `pos-app sale --pay card` makes it (the reader taps 4242... itself).
    sold = register.sales.scripted_sale(
        staff, [("COF-LAT", 2), ("BAK-CRO", 1)], pay="card", tendered_minor=None, tip_minor=100
    )
    assert [t["card_last4"] for t in sold["tenders"]] == ["4242"]

    # A decline, then a Mastercard on the same payment, half the order in cash.
    runtime = connect_terminal(config, db, shop)
    card = CardPayments(
        db, runtime.terminal, shop=shop, reader_id=runtime.reader_id, poll=PollPolicy(0.05)
    )
    emulator.terminal.auto_present_delay = None
    order = register.sales.ring_up([("COF-ESP", 2), ("FOD-FRI", 1)])
    total = order.totals().total_minor
    shift = register.shifts.current()
    assert shift is not None
    cards = register.cards
    payment_id = cards.start(
        card, order, amount_minor=total // 2, tip_minor=0, staff=staff, shift_id=shift.id
    )
    emulator.present_card(runtime.reader_id, TEST_CARDS[2])
    assert cards.watch(card, payment_id).kind is CardOutcomeKind.DECLINED
    cards.ask_for_another_card(card, payment_id)
    emulator.present_card(runtime.reader_id, TEST_CARDS[1])
    approved = cards.watch(card, payment_id)
    assert approved.kind is CardOutcomeKind.APPROVED
    placed = cards.complete(
        card,
        order,
        tenders=[
            TenderRequest(
                TenderKind.CARD,
                total // 2,
                payment_id=payment_id,
                card_brand=approved.card_brand,
                card_last4=approved.card_last4,
            ),
            TenderRequest(TenderKind.CASH, total - total // 2),
        ],
        staff=staff,
        shift_id=shift.id,
    )

    # A refund to the card.
    refund = register.refunds.record(
        placed.order_id,
        authorization=authorize(staff, Permission.REFUND),
        reason="cold coffee",
        amount_minor=total // 4,
        shift_id=shift.id,
    )
    assert refund.card_allocation_ids
    assert register.refunds.send_to_cards(card, refund.refund_id) == []
    assert emulator.refunds
    runtime.close()

    # Pairing with the sync server, and a push of the day.
    tenant = create_tenant(settings, currency="USD", timezone="America/New_York")
    code = pairing_code(settings, tenant)
    engine = SyncEngine(db)
    engine.pair(server_url=server_url, code=code, device_name="Till 1")
    device_token = SecretStore().get(DEVICE_TOKEN)
    assert device_token
    for _ in range(10):
        engine.sync_once()
        if engine.status().pending == 0:
            break
    assert engine.status().pending == 0

    dump = tmp_path / "sync-server.sql"
    pg_dump(settings, dump)
    assert str(placed.order_id) in dump.read_text(), "the dump misses the pushed order"
    log_file = config.log_dir / "pos-app.log"
    assert log_file.stat().st_size > 0, "the app wrote no log: nothing was checked"
    # Scanned while the register is open: its write-ahead log holds the latest pages too.
    assert config.db_path.with_name(config.db_path.name + "-wal").exists()
    findings = scan_paths(
        [config.data_dir, server_log, dump],
        [stripe_key, device_token, code, settings.token_hmac_key.decode()],
    )
    db.dispose()
    assert findings == []
    # Stripe's SDK would log each PaymentIntent's client_secret at DEBUG; the app keeps it at INFO.
    assert "_secret_" not in log_file.read_text(encoding="utf-8")
